"""The photos check: each photo's resolution at the size it is printed, for paper or screen."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Finding
from ..render import photo_url
from . import OutputContext, output_check
from .boxes import PX_PER_IN, PX_TO_MM, descendants

# Photos: print shops work at 300 ppi; below 200 a photo looks soft, below 100 it shows pixels.
PHOTO_PPI_PRINT = 300
PHOTO_PPI_WARNING = 200
PHOTO_PPI_ERROR = 100
# On screen a photo needs far less: below this it looks blocky even on a phone.
PHOTO_PPI_SCREEN_WARNING = 72


@output_check
def check_photos(context: OutputContext) -> Iterable[Finding]:
    """Each photo's resolution at the size it is printed (300 ppi is what print shops expect)."""
    if context.laid is None or not context.laid.photos:
        return []
    by_uri = {photo_url(p.path): p for p in context.laid.photos}
    placed: dict[str, tuple[float, float]] = {}
    for page in context.laid.fit.laid_out.document.pages:
        for box in descendants(page._page_box):
            element = getattr(box, "element", None)
            if element is None or getattr(box, "element_tag", None) != "img":
                continue
            src = element.get("src")
            if src in by_uri and hasattr(box, "replacement"):
                placed.setdefault(src, (box.width, box.height))
    found = []
    for uri, (width_px, height_px) in placed.items():
        photo = by_uri[uri]
        # The original's pixels, not the prepared copy's: preparation resamples to the target.
        source_width = photo.source_width or photo.width
        ppi = source_width / (width_px / PX_PER_IN)
        size = f"{width_px * PX_TO_MM:.0f} × {height_px * PX_TO_MM:.0f} mm"
        message = f"photo '{photo.key}' ({source_width} px wide) is printed {size}: {ppi:.0f} ppi"
        need = round(source_width * PHOTO_PPI_PRINT / ppi)
        if context.job.target == "screen":
            # Print thresholds are for paper; a screen PDF only warns when it looks blocky.
            status = "warning" if ppi < PHOTO_PPI_SCREEN_WARNING else "ok"
            if status == "warning":
                message += f", blocky even on screen; and too small to print (about {need} px wide)"
        elif ppi < PHOTO_PPI_ERROR:
            status = "error"
            message += (
                f", below the {PHOTO_PPI_ERROR} ppi where print shows pixels; use an original "
                f"about {need} px wide"
            )
        elif ppi < PHOTO_PPI_WARNING:
            status = "warning"
            message += (
                f", below the {PHOTO_PPI_WARNING} ppi where print looks sharp; an original about "
                f"{need} px wide prints at {PHOTO_PPI_PRINT} ppi"
            )
        else:
            status = "ok"
        index = next((p.index for p in context.campaign.photos if p.key == photo.key), None)
        found.append(
            context.finding(
                "photos",
                status,
                message,
                file=str(context.campaign.shown_as),
                key=f"photos[{index}].file" if index is not None else None,
            )
        )
    return found

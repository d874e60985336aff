"""The toner check: photocopy outputs have no dark area larger than a copier lays evenly."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Finding
from . import OutputContext, output_check


@output_check
def check_toner(context: OutputContext) -> Iterable[Finding]:
    """Photocopy output: no large area darker than a copier lays evenly (copier.py)."""
    from ..copier import DARK_AREA_LIMIT_CM2, DARK_GREY, page_dark_areas

    if context.job.target != "photocopy" or context.pdf is None:
        return []
    found = []
    for page, area in page_dark_areas(context.pdf, context.print_scale):
        x, y, w, h = area.box_mm
        found.append(
            context.finding(
                "toner",
                "warning",
                f"page {page}: {area.area_cm2:.1f} cm² darker than {DARK_GREY:.0%} grey at "
                f"{x:.0f}, {y:.0f} mm ({w:.0f} × {h:.0f} mm), over the {DARK_AREA_LIMIT_CM2:g} cm² "
                "a copier lays evenly: use a light tint (--accent-fill, --wash) or an outline",
                file=str(context.layout.shown_as),
            )
        )
    if not found:
        found.append(
            context.finding(
                "toner",
                "ok",
                f"no area darker than {DARK_GREY:.0%} grey over {DARK_AREA_LIMIT_CM2:g} cm²",
            )
        )
    return found

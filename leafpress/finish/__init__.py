"""Finishing: PDF → PDF steps after rendering (marks, n-up imposition, tiling), vector throughout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..constants import TARGETS
from ..records import TargetOptions

# The finishers (and pypdf under them) are imported by the target that needs one: a screen
# output is finished as it is rendered, and a one-output build need not import them.
if TYPE_CHECKING:
    from .labelfont import SheetWords


def finish(
    target: str,
    data: bytes,
    options: TargetOptions,
    *,
    duplex: bool = False,
    words: SheetWords | None = None,
) -> bytes:
    """The rendered PDF made ready for `target` by the finisher its record names (none: as it
    is). `words` are what the finishing prints (tile labels), in the output's language and an
    embedded font."""
    finisher = TARGETS[target].finisher
    if finisher == "crop-marks":
        from .marks import add_crop_marks

        return add_crop_marks(data, options.bleed_mm)
    if finisher == "impose":
        from .impose import impose_office

        return impose_office(data, options.sheet_mm, options.n_up, duplex=duplex)
    if finisher == "tile":
        from .tile import tile_poster

        if words is None:
            raise ValueError("tiles print labels: finish() needs the output's words")
        return tile_poster(data, options.sheet_mm, options.overlap_mm, words)
    if finisher is None:
        return data
    raise ValueError(f"target {target!r} names an unknown finisher {finisher!r}")


def print_scale(target: str, page_pt: tuple[float, float], options: TargetOptions) -> float:
    """How much `target` scales a page of this size when it prints it: imposed sheets shrink a
    page that does not fit (an A3 poster on A4 to 71 %); everything else prints at size."""
    if TARGETS[target].finisher == "impose":
        from .impose import choose_grid
        from .pages import MM

        return choose_grid(
            page_pt, (options.sheet_mm[0] * MM, options.sheet_mm[1] * MM), options.n_up
        ).scale
    return 1.0

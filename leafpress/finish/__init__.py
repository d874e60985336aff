"""Finishing: PDF → PDF steps after rendering (marks, n-up imposition, tiling), vector throughout."""

from __future__ import annotations

from ..constants import TARGETS
from ..records import TargetOptions
from .impose import impose_office
from .marks import add_crop_marks
from .tile import tile_poster


def finish(target: str, data: bytes, options: TargetOptions, *, duplex: bool = False) -> bytes:
    """The rendered PDF made ready for `target` by the finisher its record names (none: as it is)."""
    finisher = TARGETS[target].finisher
    if finisher == "crop-marks":
        return add_crop_marks(data, options.bleed_mm)
    if finisher == "impose":
        return impose_office(data, options.sheet_mm, options.n_up, duplex=duplex)
    if finisher == "tile":
        return tile_poster(data, options.sheet_mm, options.overlap_mm)
    if finisher is None:
        return data
    raise ValueError(f"target {target!r} names an unknown finisher {finisher!r}")

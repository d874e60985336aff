"""Finishing: PDF → PDF steps after rendering (marks, n-up imposition, tiling), vector throughout."""

from __future__ import annotations

from ..targets import TargetOptions
from .impose import impose_office
from .marks import add_crop_marks
from .tile import tile_poster


def finish(target: str, data: bytes, options: TargetOptions, *, duplex: bool = False) -> bytes:
    """The rendered PDF made ready for `target`; screen output is returned untouched."""
    if target == "print-shop":
        return add_crop_marks(data, options.bleed_mm)
    if target in ("office", "photocopy"):
        return impose_office(data, options.sheet_mm, options.n_up, duplex=duplex)
    if target == "tiles":
        return tile_poster(data, options.sheet_mm, options.overlap_mm)
    return data

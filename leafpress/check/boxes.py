"""Laid-out boxes as the photo and QR checks read them: the box tree and its CSS pixels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

PX_PER_IN = 96
PX_TO_MM = 25.4 / PX_PER_IN
PT_PER_PX = 0.75


def descendants(box: Any) -> Iterable[Any]:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from descendants(child)

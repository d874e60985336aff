"""Legibility floors: the smallest printed size of each text role, measured from the PDF's glyphs."""

from __future__ import annotations

import ctypes
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .layoutconfig import WHOLE_PAGE, Floor
from .layouts import Layout

PT_PER_PX = 0.75
# Sizes are rounded in the PDF (a font size times a text matrix); a floor is met within this.
TOLERANCE_PT = 0.05


@dataclass(frozen=True)
class Glyph:
    """A printed character: its size in points and its centre on the page (points, from the top)."""

    char: str
    pt: float
    x: float
    y: float


@dataclass
class RoleSize:
    """The smallest glyph found in one role, and where."""

    floor: Floor
    pt: float
    page: int
    sample: str

    @property
    def under(self) -> bool:
        return self.pt + TOLERANCE_PT < self.floor.pt


def glyphs(pdf: bytes) -> list[list[Glyph]]:
    """Every printed character of every page, with the size it prints at: the font size times
    the scale of its text matrix (WeasyPrint draws in CSS pixels, scaled to points), and its
    centre in points from the top left of the trimmed page."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pages = []
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            # From the trim box's top left, as the layout places its boxes: a print-shop PDF's
            # media box reaches past it by the bleed.
            left, _, _, top = page.get_trimbox()
            textpage = page.get_textpage()
            # Thousands of calls per page: straight to pdfium with the raw handle and reused
            # out-parameters (pypdfium2's get_charbox makes four c_doubles each time).
            text = textpage.raw
            found = []
            matrix = raw.FS_MATRIX()
            at_matrix = ctypes.byref(matrix)
            x0, x1, y0, y1 = (ctypes.c_double() for _ in range(4))
            box = tuple(ctypes.byref(side) for side in (x0, x1, y0, y1))  # pdfium's order: lrbt
            for i in range(raw.FPDFText_CountChars(text)):
                char = chr(raw.FPDFText_GetUnicode(text, i))
                if char.isspace() or raw.FPDFText_IsGenerated(text, i) == 1:
                    continue
                raw.FPDFText_GetMatrix(text, i, at_matrix)
                scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
                size = raw.FPDFText_GetFontSize(text, i) * scale
                if not raw.FPDFText_GetCharBox(text, i, *box):
                    raise pdfium.PdfiumError("Failed to get charbox.")
                x = (x0.value + x1.value) / 2 - left
                found.append(Glyph(char, size, x, top - (y0.value + y1.value) / 2))
            pages.append(found)
    finally:
        document.close()
    return pages


def role_sizes(document: Any, pdf: bytes, floors: list[Floor]) -> list[RoleSize]:
    """The smallest printed size of each role that prints anything. A glyph belongs to the
    innermost role box around it (a phone number inside the contacts is a phone number), and
    to the whole-page role when no box claims it."""
    smallest: dict[str, RoleSize] = {}
    page_glyphs = glyphs(pdf)
    for number, (page, printed) in enumerate(zip(document.pages, page_glyphs, strict=False)):
        regions = list(_regions(page._page_box, floors))
        whole = next((f for f in floors if f.selector == WHOLE_PAGE), None)
        for glyph in printed:
            owner = _owner(regions, glyph) or whole
            if owner is None:
                continue
            known = smallest.get(owner.role)
            if known is None or glyph.pt < known.pt - 0.01:
                smallest[owner.role] = RoleSize(owner, glyph.pt, number, _around(printed, glyph))
    return [smallest[f.role] for f in floors if f.role in smallest]


def under_floors(document: Any, pdf: bytes, floors: list[Floor]) -> list[RoleSize]:
    """The roles with text printed under their floor."""
    return [size for size in role_sizes(document, pdf, floors) if size.under]


def _owner(regions: list[tuple[Floor, tuple[float, float, float, float]]], glyph: Glyph):
    best = None
    best_area = math.inf
    for floor, (x, y, w, h) in regions:
        inside = x - 0.5 <= glyph.x <= x + w + 0.5 and y - 0.5 <= glyph.y <= y + h + 0.5
        if inside and w * h < best_area:
            best, best_area = floor, w * h
    return best


def _regions(box: Any, floors: list[Floor]) -> Iterator[tuple[Floor, tuple]]:
    """Each visible box matching a role's selector, as (floor, (left, top, width, height)) in pt."""
    element = getattr(box, "element", None)
    if (
        element is not None
        and hasattr(box, "border_width")
        and box.style["visibility"] == "visible"
    ):
        for floor in floors:
            if floor.selector != WHOLE_PAGE and _matches(box, floor.selector):
                yield (
                    floor,
                    (
                        box.border_box_x() * PT_PER_PX,
                        box.border_box_y() * PT_PER_PX,
                        box.border_width() * PT_PER_PX,
                        box.border_height() * PT_PER_PX,
                    ),
                )
    for child in getattr(box, "children", None) or []:
        yield from _regions(child, floors)


def _matches(box: Any, selector: str) -> bool:
    element = box.element
    if "::" in (getattr(box, "element_tag", "") or ""):
        return False
    if selector.startswith("."):
        return selector[1:] in (element.get("class") or "").split()
    if selector.startswith("#"):
        return element.get("id") == selector[1:]
    return element.tag == selector


def _around(printed: list[Glyph], glyph: Glyph, width: int = 12) -> str:
    """The text of the line around a glyph, for a person to find it on the page."""
    i = printed.index(glyph)
    line = [g for g in printed[max(0, i - width) : i + width] if abs(g.y - glyph.y) < glyph.pt / 2]
    return "".join(g.char for g in line)


def describe(sizes: Iterable[RoleSize], layout: Layout) -> str:
    """One line on the smallest size of every role, for the check's `ok` finding."""
    return ", ".join(f"{s.floor.role} {s.pt:.1f} ≥ {s.floor.pt:g} pt" for s in sizes)

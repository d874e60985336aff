"""Text that runs out of its column or over a photo or QR code: the PDF's glyph boxes against the
boxes the layout gave their lines."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

PT_PER_PX = 0.75
# A glyph may stand a little past its line's box (rounding): more than this is overflow.
TOLERANCE_PT = 1.0


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def holds(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom

    def overlaps(self, other: Box, by: float = TOLERANCE_PT) -> bool:
        return (
            min(self.right, other.right) - max(self.left, other.left) > by
            and min(self.bottom, other.bottom) - max(self.top, other.top) > by
        )


@dataclass(frozen=True)
class Line:
    """A line as the layout placed it: its own box, its block's column, and whether it was
    placed over other content on purpose (inside an absolutely positioned box)."""

    box: Box
    column: Box
    overlay: bool


def overflows(document: Any, pdf: bytes) -> list[str]:
    """Each page's glyphs that stand outside their line's column, or over a photo or QR code
    they were not placed on: one message per page and problem, with the characters."""
    found = []
    for number, (page, printed) in enumerate(zip(document.pages, _glyph_boxes(pdf), strict=False)):
        lines = list(_lines(page._page_box, None, False))
        images = list(_images(page._page_box))
        out, over = [], []
        for char, ink in printed:
            x, y = (ink.left + ink.right) / 2, (ink.top + ink.bottom) / 2
            holding = [line for line in lines if line.box.holds(x, y)]
            if not holding:
                continue
            line = min(holding, key=lambda ln: _area(ln.box))
            column = line.column
            # A glyph's side bearing may reach past its advance (a j's tail): more in large type.
            slack = max(TOLERANCE_PT, 0.03 * (ink.bottom - ink.top))
            if ink.right > column.right + slack or ink.left < column.left - slack:
                out.append(char)
            if not line.overlay and any(ink.overlaps(image) for image in images):
                over.append(char)
        if out:
            found.append(f"page {number + 1}: {''.join(out)[:40]!r} runs out of its column")
        if over:
            found.append(f"page {number + 1}: {''.join(over)[:40]!r} prints over a photo or code")
    return found


def _area(box: Box) -> float:
    return (box.right - box.left) * (box.bottom - box.top)


def _pt(x: float, y: float, w: float, h: float) -> Box:
    return Box(x * PT_PER_PX, y * PT_PER_PX, (x + w) * PT_PER_PX, (y + h) * PT_PER_PX)


def _lines(box: Any, block: Any, overlay: bool) -> Iterator[Line]:
    style = getattr(box, "style", None)
    if style is not None and style["position"] in ("absolute", "fixed"):
        overlay = True
    for child in getattr(box, "children", None) or []:
        if type(child).__name__ == "LineBox":
            if child.style["visibility"] != "visible":
                continue
            starts = [c.position_x for c in child.children] or [child.position_x]
            ends = [c.position_x + c.margin_width() for c in child.children] or starts
            yield Line(
                _pt(min(starts), child.position_y, max(ends) - min(starts), child.height),
                _pt(box.content_box_x(), box.content_box_y(), box.width, box.height),
                overlay,
            )
            # An inline-block is a column of its own inside the line (a layout's foot sets its
            # contacts and code side by side that way): its lines are checked against it.
            for inner in _inline_blocks(child):
                yield from _lines(inner, child, overlay)
        else:
            yield from _lines(child, box, overlay)


def _inline_blocks(box: Any) -> Iterator[Any]:
    """The inline-blocks a line holds, at any depth of inline boxes, not inside one another."""
    for child in getattr(box, "children", None) or []:
        if type(child).__name__ == "InlineBlockBox":
            yield child
        else:
            yield from _inline_blocks(child)


def _images(box: Any) -> Iterator[Box]:
    for child in getattr(box, "children", None) or []:
        if "Replaced" in type(child).__name__ and child.style["visibility"] == "visible":
            yield _pt(
                child.border_box_x(),
                child.border_box_y(),
                child.border_width(),
                child.border_height(),
            )
        yield from _images(child)


def _glyph_boxes(pdf: bytes) -> list[list[tuple[str, Box]]]:
    """Every printed character's box, in points from the trimmed page's top left."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pages = []
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            left, _, _, top = page.get_trimbox()
            text = page.get_textpage()
            found = []
            rect = raw.FS_RECTF()
            for i in range(text.count_chars()):
                char = chr(raw.FPDFText_GetUnicode(text, i))
                if char.isspace() or raw.FPDFText_IsGenerated(text, i) == 1:
                    continue
                # The loose box: the glyph's advance and the font's height, where the layout
                # puts it; a j's or an italic's ink may stand past it by design.
                raw.FPDFText_GetLooseCharBox(text, i, ctypes.byref(rect))
                if rect.right - rect.left <= 0 or rect.top - rect.bottom <= 0:
                    continue
                found.append(
                    (
                        char,
                        Box(rect.left - left, top - rect.top, rect.right - left, top - rect.bottom),
                    )
                )
            pages.append(found)
    finally:
        document.close()
    return pages

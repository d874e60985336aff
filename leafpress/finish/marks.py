"""Print-shop marks: a slug around the bleed, and crop marks in it that no artwork covers."""

from __future__ import annotations

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject, RectangleObject

from .pages import MM, line, num, read, to_bytes
from .pdfx import strip_xmp_maker

# Marks start this far outside the bleed, so trimming a little off never shows a mark.
MARK_GAP_MM = 2.0
MARK_LENGTH_MM = 6.0
SLUG_MM = MARK_GAP_MM + MARK_LENGTH_MM + 2.0  # beyond the bleed, on every side
MARK_WIDTH_PT = 0.25
# Registration colour: all four inks at 100 %, so the mark appears on every plate.
REGISTRATION = "1 1 1 1 K"


def crop_mark_lines(
    trim: tuple[float, float, float, float], bleed_mm: float
) -> list[tuple[float, float, float, float]]:
    """The eight crop-mark strokes for a trim box (x0, y0, x1, y1), each outside the bleed."""
    x0, y0, x1, y1 = trim
    start = (bleed_mm + MARK_GAP_MM) * MM
    end = start + MARK_LENGTH_MM * MM
    strokes = []
    for x, y, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        strokes.append((x + sx * start, y, x + sx * end, y))  # along the horizontal trim edge
        strokes.append((x, y + sy * start, x, y + sy * end))  # along the vertical trim edge
    return strokes


def add_crop_marks(data: bytes, bleed_mm: float) -> bytes:
    """Widen each page's MediaBox by a slug and draw crop marks there, over nothing.

    WeasyPrint has already laid the artwork into the bleed and set TrimBox; BleedBox is set here
    from TrimBox, and the marks go in a content stream after the page's own, outside the bleed,
    where no artwork reaches.
    """
    source = read(data)
    writer = PdfWriter(clone_from=source)
    bleed = bleed_mm * MM
    slug = (bleed_mm + SLUG_MM) * MM
    for page in writer.pages:
        x0, y0, x1, y1 = (float(v) for v in page.trimbox)
        page.bleedbox = RectangleObject((x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed))
        page.mediabox = RectangleObject((x0 - slug, y0 - slug, x1 + slug, y1 + slug))
        page.cropbox = page.mediabox
        page[NameObject("/TrimBox")] = ArrayObject(FloatObject(v) for v in (x0, y0, x1, y1))
        drawing = [f"q {num(MARK_WIDTH_PT)} w 0 J {REGISTRATION}"]
        drawing += [line(*stroke) for stroke in crop_mark_lines((x0, y0, x1, y1), bleed_mm)]
        drawing.append("Q")
        marks = DecodedStreamObject()
        marks.set_data(("\n".join(drawing) + "\n").encode())
        original = page.get_contents()
        whole = DecodedStreamObject()
        whole.set_data(
            b"q\n"
            + (original.get_data() if original is not None else b"")
            + b"\nQ\n"
            + marks.get_data()
        )
        page.replace_contents(whole)
    strip_xmp_maker(writer)
    return to_bytes(writer, source)

"""Tiling: a poster split over A4 (or A3) sheets with glue overlaps, marks, labels and a map."""

from __future__ import annotations

import math
import string
from dataclasses import dataclass

from pypdf import PdfWriter

from ..errors import RenderError
from .labelfont import LabelFont, SheetWords
from .pages import MM, line, new_sheet, num, page_as_form, place, read, text, to_bytes

UNPRINTABLE_MM = 5.0
# Below the artwork of every sheet: the sheet's label. The sheet underneath covers it, or it is
# trimmed off with the poster's bottom edge.
LABEL_BAND_MM = 7.0
MARK_PT = 0.4
TRIM_TICK_MM = 4.0


@dataclass(frozen=True)
class TilePlan:
    """How one poster page is cut: columns × rows of a sheet whose artwork area is `area`."""

    cols: int
    rows: int
    landscape: bool
    sheet: tuple[float, float]  # points, as the sheet is printed
    area: tuple[float, float]  # artwork area of one sheet, points
    overlap: float  # points
    poster: tuple[float, float]  # points

    @property
    def count(self) -> int:
        return self.cols * self.rows

    @property
    def step(self) -> tuple[float, float]:
        return (self.area[0] - self.overlap, self.area[1] - self.overlap)

    def region(self, col: int, row: int) -> tuple[float, float, float, float]:
        """The part of the poster on sheet (col, row): x, y from the poster's top left, w, h."""
        sx, sy = self.step
        x, y = col * sx, row * sy
        return (x, y, min(self.area[0], self.poster[0] - x), min(self.area[1], self.poster[1] - y))


def label(col: int, row: int) -> str:
    """`B3`: row letter (A from the top), column number (1 from the left)."""
    letters = string.ascii_uppercase
    name = letters[row % 26] * (row // 26 + 1)
    return f"{name}{col + 1}"


def _count(length: float, area: float, overlap: float) -> int:
    if length <= area + 0.5:
        return 1
    return math.ceil((length - overlap - 0.5) / (area - overlap))


def plan_tiles(poster: tuple[float, float], sheet: tuple[float, float], overlap: float) -> TilePlan:
    """The fewest sheets, portrait or landscape, that cover `poster` (all sizes in points)."""
    margin = UNPRINTABLE_MM * MM
    band = LABEL_BAND_MM * MM
    best: TilePlan | None = None
    for landscape in (False, True):
        sw, sh = (sheet[1], sheet[0]) if landscape else sheet
        area = (sw - 2 * margin, sh - 2 * margin - band)
        if area[0] <= overlap or area[1] <= overlap:
            raise RenderError(f"an overlap of {overlap / MM:g} mm leaves no room on the sheet")
        cols, rows = _count(poster[0], area[0], overlap), _count(poster[1], area[1], overlap)
        plan = TilePlan(cols, rows, landscape, (sw, sh), area, overlap, poster)
        if best is None or plan.count < best.count:
            best = plan
    assert best is not None
    return best


def tile_poster(
    data: bytes, sheet_mm: tuple[float, float], overlap_mm: float, words: SheetWords
) -> bytes:
    """For each poster page: a map sheet, then its tiles row by row from the top left. Labels
    and instructions are in `words`' language and font, embedded."""
    reader = read(data)
    writer = PdfWriter()
    font = LabelFont(writer, words.font)
    painter = _Painter(font, words)
    sheet = (sheet_mm[0] * MM, sheet_mm[1] * MM)
    pages = list(reader.pages)
    for number, page in enumerate(pages, 1):
        form, box = page_as_form(writer, page)
        poster = (box[2] - box[0], box[3] - box[1])
        plan = plan_tiles(poster, sheet, overlap_mm * MM)
        prefix = f"{number}: " if len(pages) > 1 else ""
        _map_sheet(writer, plan, form, box, prefix, painter)
        for row in range(plan.rows):
            for col in range(plan.cols):
                _tile_sheet(writer, plan, form, box, col, row, prefix, painter)
    font.finish()
    return to_bytes(writer, reader)


class _Painter:
    """Draws the words of the sheets in the label font."""

    def __init__(self, font: LabelFont, words: SheetWords) -> None:
        self.font = font
        self.words = words

    def text(self, x: float, y: float, size: float, words: str) -> str:
        return text(x, y, size, words, self.font)


def _tile_sheet(
    writer, plan: TilePlan, form, box, col: int, row: int, prefix: str, painter: _Painter
) -> None:
    sw, sh = plan.sheet
    margin = UNPRINTABLE_MM * MM
    rx, ry, rw, rh = plan.region(col, row)
    # The artwork area's top left on the sheet shows the region's top left on the poster.
    left, top = margin, sh - margin
    bx0, _, _, by1 = box
    matrix = (1, 0, 0, 1, left - rx - bx0, top - by1 + ry)
    clip = (left, top - rh, rw, rh)
    content = place("Poster", matrix, clip)
    ops = [f"q {num(MARK_PT)} w 0 G"]
    ov = plan.overlap
    # Alignment marks where the next sheet's artwork edge goes: in this sheet's right and bottom
    # overlaps, which the next sheet covers when glued on top.
    if col < plan.cols - 1:
        x = left + plan.step[0]
        ops.append("[2 2] 0 d " + line(x, top - rh, x, top) + " [] 0 d")
        for y in (top - rh / 4, top - rh / 2, top - 3 * rh / 4):
            ops += _cross(x + ov / 2, y)
    if row < plan.rows - 1:
        y = top - plan.step[1]
        ops.append("[2 2] 0 d " + line(left, y, left + rw, y) + " [] 0 d")
        for x in (left + rw / 4, left + rw / 2, left + 3 * rw / 4):
            ops += _cross(x, y - ov / 2)
    # Trim marks on this sheet's own edges that are cut (left, unless first in its row; top,
    # unless in the first row): solid ticks at both ends of the edge, on the artwork's border,
    # where the unprintable margin leaves nothing else to cut along on a white poster.
    tick = TRIM_TICK_MM * MM
    if col > 0:
        ops.append(line(left, top, left, top - tick))
        ops.append(line(left, top - rh, left, top - rh + tick))
    if row > 0:
        ops.append(line(left, top, left + tick, top))
        ops.append(line(left + rw, top, left + rw - tick, top))
    ops.append("Q")
    name = prefix + label(col, row)
    say = painter.words.say
    ops.append(
        "0 g "
        + painter.text(left, top - rh - 5.5 * MM, 11, f"{name}   ({plan.rows} × {plan.cols})")
    )
    neighbours = []
    if col < plan.cols - 1:
        neighbours.append(say("tile_right", "right: {sheet}", sheet=label(col + 1, row)))
    if row < plan.rows - 1:
        neighbours.append(say("tile_below", "below: {sheet}", sheet=label(col, row + 1)))
    if neighbours:
        ops.append(
            "0.3 g " + painter.text(left + 45 * MM, top - rh - 5.5 * MM, 8, "   ".join(neighbours))
        )
    content += ("\n".join(ops) + "\n").encode()
    new_sheet(writer, sw, sh, {"Poster": form}, content, painter.font.ref)


def _cross(x: float, y: float, arm: float = 2.5 * MM) -> list[str]:
    return [line(x - arm, y, x + arm, y), line(x, y - arm, x, y + arm)]


def _map_sheet(writer, plan: TilePlan, form, box, prefix: str, painter: _Painter) -> None:
    """The poster small, with the sheet grid and labels over it: how the wall goes together."""
    sw, sh = plan.sheet
    margin = 15 * MM
    heading = 14 * MM
    scale = min((sw - 2 * margin) / plan.poster[0], (sh - 2 * margin - heading) / plan.poster[1])
    w, h = plan.poster[0] * scale, plan.poster[1] * scale
    x0 = (sw - w) / 2
    top = sh - margin - heading
    y0 = top - h
    bx0, by0 = box[0], box[1]
    content = place(
        "Poster", (scale, 0, 0, scale, x0 - scale * bx0, y0 - scale * by0), (x0, y0, w, h)
    )
    ops = ["q 0.9 0.9 0.9 rg 0.6 w 0 G", f"{num(x0)} {num(y0)} {num(w)} {num(h)} re S"]
    for row in range(plan.rows):
        for col in range(plan.cols):
            rx, ry, rw, rh = plan.region(col, row)
            cx, cy = x0 + rx * scale, top - (ry + rh) * scale
            ops.append(f"{num(cx)} {num(cy)} {num(rw * scale)} {num(rh * scale)} re S")
            size = max(7, min(18, rw * scale / 4))
            ops.append(
                "q 1 g "
                + f"{num(cx + 2 * MM - 1)} {num(cy + rh * scale - 2 * MM - size - 1)} "
                + f"{num(size * 1.6 + 2)} {num(size + 2)} re f Q"
            )
            ops.append(
                "0 g "
                + painter.text(
                    cx + 2 * MM, cy + rh * scale - 2 * MM - size * 0.85, size, label(col, row)
                )
            )
    ops.append("Q")
    say = painter.words.say
    title = prefix + say(
        "tile_map",
        "{rows} × {cols} sheets, {overlap} mm overlap",
        rows=plan.rows,
        cols=plan.cols,
        overlap=f"{plan.overlap / MM:g}",
    )
    ops.append("0 g " + painter.text(margin, sh - margin - 8 * MM, 16, title))
    instructions = say(
        "tile_instructions",
        "Trim each sheet along its artwork; lay it on its left and upper neighbours' dashed lines.",
    )
    for number, words in enumerate(painter.font.wrap(instructions, 9, sw - 2 * margin)[:2]):
        ops.append("0.3 g " + painter.text(margin, sh - margin - (13 + 4 * number) * MM, 9, words))
    new_sheet(
        writer,
        sw,
        sh,
        {"Poster": form},
        content + ("\n".join(ops) + "\n").encode(),
        painter.font.ref,
    )

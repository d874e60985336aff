"""Office imposition: pages step-and-repeated on A4 (or A3) with cut lines, duplex-ready."""

from __future__ import annotations

from dataclasses import dataclass

from pypdf import PdfWriter

from ..errors import RenderError
from .geometry import Matrix, apply, compose, long_edge_flip
from .pages import MM, line, new_sheet, num, page_as_form, place, read, to_bytes

UNPRINTABLE_MM = 5.0
CUT_LINE_PT = 0.3
CUT_LINE_GREY = 0.45  # visible enough to cut along, light enough not to read as part of the page
FIT_TOLERANCE_PT = 1.5  # A5 is 148 mm, half an A4 is 148.5 mm: that fits


@dataclass(frozen=True)
class Grid:
    """How cells sit on a sheet: columns × rows, turned a quarter or not, at a scale."""

    cols: int
    rows: int
    rotated: bool
    scale: float
    sheet: tuple[float, float]  # points, portrait
    page: tuple[float, float]  # points

    @property
    def count(self) -> int:
        return self.cols * self.rows

    @property
    def cell(self) -> tuple[float, float]:
        w, h = self.page
        if self.rotated:
            w, h = h, w
        return (w * self.scale, h * self.scale)

    def origin(self) -> tuple[float, float]:
        cw, ch = self.cell
        return ((self.sheet[0] - self.cols * cw) / 2, (self.sheet[1] - self.rows * ch) / 2)

    def cell_rect(self, index: int) -> tuple[float, float, float, float]:
        """Cell `index` (row by row from the top left) as x, y, width, height on the sheet."""
        col, row = index % self.cols, index // self.cols
        cw, ch = self.cell
        ox, oy = self.origin()
        return (ox + col * cw, oy + (self.rows - 1 - row) * ch, cw, ch)

    def matrix(self, index: int, box: tuple[float, float, float, float]) -> Matrix:
        """Page coordinates (inside MediaBox `box`) to sheet coordinates for cell `index`."""
        x, y, _, _ = self.cell_rect(index)
        s = self.scale
        bx0, by0, _, by1 = box
        if self.rotated:  # a quarter turn anticlockwise: the page's top points left
            return (0, s, -s, 0, x + s * by1, y - s * bx0)
        return (s, 0, 0, s, x - s * bx0, y - s * by0)


def choose_grid(page: tuple[float, float], sheet: tuple[float, float], n_up: str) -> Grid:
    """The grid for `n_up` ('auto' or a count): natural size where it fits, else scaled down.

    At natural size the cells may reach into the printer's unprintable margin, since a layout keeps
    its own margins of 5 mm or more; scaled cells fit inside the printable area instead.
    """
    w, h = page
    sw, sh = sheet
    margin = UNPRINTABLE_MM * MM
    candidates: list[Grid] = []
    for rotated in (False, True):
        cw, ch = (h, w) if rotated else (w, h)
        if n_up == "auto":
            cols = int((sw + FIT_TOLERANCE_PT) // cw)
            rows = int((sh + FIT_TOLERANCE_PT) // ch)
            if cols * rows:
                candidates.append(Grid(cols, rows, rotated, 1.0, sheet, page))
            continue
        count = int(n_up)
        for cols in range(1, count + 1):
            if count % cols:
                continue
            rows = count // cols
            natural = min(
                (sw + FIT_TOLERANCE_PT) / (cols * cw), (sh + FIT_TOLERANCE_PT) / (rows * ch)
            )
            if natural >= 1:
                scale = 1.0
            else:
                scale = min((sw - 2 * margin) / (cols * cw), (sh - 2 * margin) / (rows * ch))
            candidates.append(Grid(cols, rows, rotated, scale, sheet, page))
    if n_up == "auto":
        if candidates:
            return max(candidates, key=lambda g: (g.count, not g.rotated))
        return choose_grid(page, sheet, "1")
    return max(candidates, key=lambda g: (round(g.scale, 4), not g.rotated, -abs(g.cols - g.rows)))


def impose_office(
    data: bytes,
    sheet_mm: tuple[float, float],
    n_up: str = "auto",
    *,
    duplex: bool = False,
    fill: bool = True,
) -> bytes:
    """Impose every page (or front/back pair, with `duplex`) of `data` on sheets.

    With `fill`, each leaflet is repeated to fill its sheet (a stack of one sheet printed gives a
    stack of leaflets); without, leaflets follow each other cell by cell. Duplex output alternates
    front and back sheets: a back lands behind its front when the sheet turns over its long edge.
    """
    reader = read(data)
    pages = list(reader.pages)
    if not pages:
        raise RenderError("nothing to impose: the PDF has no pages")
    step = 2 if duplex else 1
    if duplex and len(pages) % 2:
        raise RenderError(f"a duplex leaflet needs pages in pairs, found {len(pages)}")
    sheet = (sheet_mm[0] * MM, sheet_mm[1] * MM)
    box0 = tuple(float(v) for v in pages[0].mediabox)
    grid = choose_grid((box0[2] - box0[0], box0[3] - box0[1]), sheet, n_up)

    writer = PdfWriter()
    forms = [page_as_form(writer, page) for page in pages]
    leaflets = [list(range(i, i + step)) for i in range(0, len(pages), step)]
    cells: list[list[int]] = []
    for leaflet in leaflets:
        cells += [leaflet] * (grid.count if fill else 1)
    printable = _printable(sheet)
    inset = _uniform_inset(grid, printable)
    flip = long_edge_flip((0, 0, *sheet))
    for first in range(0, len(cells), grid.count):
        chunk = cells[first : first + grid.count]
        for side in range(step):
            content = b""
            used = {}
            for index, leaflet in enumerate(chunk):
                page_no = leaflet[side]
                form, box = forms[page_no]
                used[f"P{page_no}"] = form
                matrix = grid.matrix(index, box)
                clip = _inset(grid.cell_rect(index), inset)
                if side == 1:
                    # Behind the front: the leaflet turns over its own long edge, the sheet over its.
                    matrix = compose(compose(long_edge_flip(box), matrix), flip)
                    clip = _flip_rect(clip, sheet)
                content += place(f"P{page_no}", matrix, clip)
            if side == 0:
                content += _cut_lines(grid, len(chunk), printable)
            new_sheet(writer, sheet[0], sheet[1], used, content)
    return to_bytes(writer, reader)


def _printable(sheet: tuple[float, float]) -> tuple[float, float, float, float]:
    m = UNPRINTABLE_MM * MM
    return (m, m, sheet[0] - 2 * m, sheet[1] - 2 * m)


def _uniform_inset(grid: Grid, printable) -> tuple[float, float]:
    """How far the printer's unprintable margin reaches into the outermost cells, across and
    down. Every cell is clipped by that much on every side, not only the cells at the sheet's
    edge: after cutting, the copies of a sheet are identical (a band that runs off the page
    loses the same strip on each), where clipping at the margin alone left one copy with a
    white strip and another with a half-height band."""
    ox, oy = grid.origin()
    return (max(0.0, printable[0] - ox), max(0.0, printable[1] - oy))


def _inset(rect, inset: tuple[float, float]) -> tuple[float, float, float, float]:
    x, y, w, h = rect
    dx, dy = inset
    return (x + dx, y + dy, max(0.0, w - 2 * dx), max(0.0, h - 2 * dy))


def _intersect(a, b) -> tuple[float, float, float, float]:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    return (x0, y0, max(0.0, x1 - x0), max(0.0, y1 - y0))


def _flip_rect(rect, sheet) -> tuple[float, float, float, float]:
    x, y, w, h = rect
    (ax, ay) = apply(long_edge_flip((0, 0, *sheet)), x, y)
    (bx, by) = apply(long_edge_flip((0, 0, *sheet)), x + w, y + h)
    return (min(ax, bx), min(ay, by), abs(bx - ax), abs(by - ay))


def _cut_lines(grid: Grid, used: int, printable) -> bytes:
    """Lines along every cell edge, kept inside the printable area."""
    ox, oy = grid.origin()
    cw, ch = grid.cell
    gx0, gy0, gw, gh = _intersect((ox, oy, grid.cols * cw, grid.rows * ch), printable)
    px0, py0, px1, py1 = gx0, gy0, gx0 + gw, gy0 + gh
    xs: set[float] = set()
    ys: set[float] = set()
    for index in range(used):
        x, y, w, h = grid.cell_rect(index)
        xs |= {round(x, 3), round(x + w, 3)}
        ys |= {round(y, 3), round(y + h, 3)}
    ops = [f"q {num(CUT_LINE_PT)} w {num(CUT_LINE_GREY)} G"]
    ops += [line(x, py0, x, py1) for x in sorted(xs) if px0 <= x <= px1]
    ops += [line(px0, y, px1, y) for y in sorted(ys) if py0 <= y <= py1]
    ops.append("Q")
    return ("\n".join(ops) + "\n").encode()

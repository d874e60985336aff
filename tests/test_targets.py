"""Print targets built from one small campaign: print-shop, office, photocopy, tiles and duplex."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageOps, ImageStat
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import REPO, Workspace
from leafpress.finish.impose import impose_office
from leafpress.finish.tile import LABEL_BAND_MM, UNPRINTABLE_MM, tile_poster
from leafpress.pipeline import join_pdfs
from leafpress.records import TargetOptions
from leafpress.run import build

MM = 72 / 25.4
A4 = (210, 297)
A3 = (297, 420)
A5_PT = (148 * MM, 210 * MM)
A6_PT = (105 * MM, 148 * MM)
BLEED_PT = 3 * MM

OUTPUTS = """
[[outputs]]
layout = "leaflet-a5"
languages = ["kk"]

[[outputs]]
layout = "leaflet-a6"
languages = ["kk"]

[[outputs]]
layout = "leaflet-a5-duplex"
languages = ["kk", "en"]

[[outputs]]
layout = "photo-display-a3"
languages = ["kk"]

[[outputs]]
layout = "poster-a2"
languages = ["kk"]

[[outputs]]
layout = "poster-a1"
languages = ["kk"]
"""


class Press:
    """The campaign built once for every target the tests look at."""

    def __init__(self, root: Path) -> None:
        self.ws = Workspace(root)
        self.photo = root / "assets" / "street.jpg"
        _colour_photo().save(self.photo, quality=92)
        self.ws.append("campaign.toml", '\n[[photos]]\nfile = "assets/street.jpg"\n')
        self.ws.append("campaign.toml", OUTPUTS)
        self.ws.append("kk.toml", '\n[captions]\nstreet = "Шаңырақ көшесі."\n')
        self.ws.append("en.toml", '\n[captions]\nstreet = "A street in Shanyrak."\n')
        for name, size in (("poster-a2", "A2"), ("poster-a1", "A1")):
            folder = root / "layouts" / name
            folder.mkdir()
            (folder / "layout.toml").write_text(
                f'extends = "poster-a3-demands"\npage_size = "{size}"\n', "utf-8"
            )
        out = self.ws.out
        runs = [
            (["leaflet-a5", "leaflet-a6", "leaflet-a5-duplex"], ["screen", "office"]),
            (["leaflet-a6", "photo-display-a3"], ["print-shop"]),
            (["leaflet-a5", "photo-display-a3"], ["photocopy"]),
            (["poster-a2", "poster-a1"], ["screen", "tiles"]),
        ]
        for layouts, targets in runs:
            report = build(self.ws.root, out, layouts=layouts, targets=targets)
            assert report.ok, "\n".join(f"{r.label}: {r.error}" for r in report.failed)

    def pdf(self, layout: str, target: str = "screen", lang: str = "kk") -> Path:
        suffix = "" if target == "screen" else f".{target}"
        return self.ws.out / "demo" / lang / f"{layout}{suffix}.pdf"


def _colour_photo() -> Image.Image:
    """A strongly coloured picture: red, green and blue bands over a gradient."""
    # 1500 px wide: sharp enough (over 100 ppi) across an A3 display, or `check` refuses it.
    image = Image.linear_gradient("L").resize((1500, 1000)).convert("RGB")
    for i, colour in enumerate([(220, 30, 40), (30, 160, 60), (30, 60, 200)]):
        image.paste(colour, (i * 500 + 50, 100, i * 500 + 450, 600))
    return image


@pytest.fixture(scope="session")
def press(tmp_path_factory: pytest.TempPathFactory) -> Press:
    return Press(tmp_path_factory.mktemp("press"))


def box(page, name: str) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in getattr(page, name))


def render_region(path: Path, page: int, dpi: int) -> Image.Image:
    """The whole MediaBox of a page, rasterised (pdfium draws the CropBox: we set it equal)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    return document[page].render(scale=dpi / 72).to_pil().convert("RGB")


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    """Mean grey difference, after a slight blur that forgives sub-pixel placement."""
    soft = ImageFilter.GaussianBlur(1)
    diff = ImageChops.difference(a.convert("L").filter(soft), b.convert("L").filter(soft))
    return ImageStat.Stat(diff).mean[0]


def share_differing(a: Image.Image, b: Image.Image, by: int = 48) -> float:
    """The share of pixels that differ clearly (after the same slight blur)."""
    soft = ImageFilter.GaussianBlur(1)
    diff = ImageChops.difference(a.convert("L").filter(soft), b.convert("L").filter(soft))
    return sum(diff.histogram()[by:]) / (diff.width * diff.height)


# print-shop ---------------------------------------------------------------------------------------


def test_print_shop_boxes_trim_is_the_layout_bleed_is_3mm_media_is_larger(press: Press):
    page = PdfReader(press.pdf("leaflet-a6", "print-shop")).pages[0]
    tx0, ty0, tx1, ty1 = box(page, "trimbox")
    assert (tx1 - tx0, ty1 - ty0) == pytest.approx(A6_PT, abs=0.1)
    bx0, by0, bx1, by1 = box(page, "bleedbox")
    assert (bx0, by0, bx1, by1) == pytest.approx(
        (tx0 - BLEED_PT, ty0 - BLEED_PT, tx1 + BLEED_PT, ty1 + BLEED_PT), abs=0.05
    )
    mx0, my0, mx1, my1 = box(page, "mediabox")
    assert mx0 < bx0 and my0 < by0 and mx1 > bx1 and my1 > by1


def _crop_mark_segments(page) -> list[tuple[float, float, float, float]]:
    """Every stroked line drawn in registration colour (1 1 1 1 K) on the page."""
    content = ContentStream(page.get_contents(), page.pdf)
    segments, registration, start = [], False, None
    for operands, operator in content.operations:
        op = operator.decode()
        if op == "K":
            registration = [float(v) for v in operands] == [1, 1, 1, 1]
        elif op == "m":
            start = tuple(float(v) for v in operands)
        elif op == "l" and registration and start:
            end = tuple(float(v) for v in operands)
            segments.append((*start, *end))
        elif op == "Q":
            registration = False
    return segments


def test_print_shop_crop_marks_lie_outside_the_bleed_in_registration_colour(press: Press):
    page = PdfReader(press.pdf("leaflet-a6", "print-shop")).pages[0]
    segments = _crop_mark_segments(page)
    assert len(segments) == 8
    bx0, by0, bx1, by1 = box(page, "bleedbox")
    tx0, ty0, tx1, ty1 = box(page, "trimbox")
    for x0, y0, x1, y1 in segments:
        for x, y in ((x0, y0), (x1, y1)):
            assert not (bx0 < x < bx1 and by0 < y < by1), "a crop mark reaches into the bleed"
        # Each mark continues a trim edge.
        assert (x0 == x1 and round(x0, 2) in (round(tx0, 2), round(tx1, 2))) or (
            y0 == y1 and round(y0, 2) in (round(ty0, 2), round(ty1, 2))
        )


def test_print_shop_artwork_fills_the_bleed_at_the_top_corners(press: Press):
    """The A6 band runs off the page: just inside the bleed, past the trim, it is still red."""
    path = press.pdf("leaflet-a6", "print-shop")
    page = PdfReader(path).pages[0]
    dpi = 150
    image = render_region(path, 0, dpi)
    mx0, _, _, my1 = box(page, "mediabox")
    tx0, _, tx1, ty1 = box(page, "trimbox")
    px = dpi / 72

    def pixel(x: float, y: float) -> tuple[int, int, int]:
        return image.getpixel((int((x - mx0) * px), int((my1 - y) * px)))

    inside = 1.5 * MM  # halfway into the 3 mm bleed
    for x in (tx0 - inside, tx1 + inside):
        r, g, b = pixel(x, ty1 + inside)
        assert r > 150 and g < 90 and b < 90, f"bleed at x={x:.1f} is {r, g, b}, not the band's red"
    # And the mark in the slug is drawn, dark, where nothing else is.
    mark_x = tx0  # the vertical mark continues the left trim edge above the bleed
    mark_y = ty1 + (3 + 2 + 3) * MM
    darkest = min(min(pixel(mark_x + dx / px, mark_y)) for dx in (-1, 0, 1))
    assert darkest < 160


def test_print_shop_is_pdf_x4_with_a_cmyk_output_intent(press: Press):
    reader = PdfReader(press.pdf("leaflet-a6", "print-shop"))
    intents = reader.trailer["/Root"]["/OutputIntents"]
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4
    assert profile.get_data()[16:20] == b"CMYK"
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"PDF/X-4" in metadata


def test_print_shop_embeds_the_icc_file_as_it_is_in_every_output(press: Press):
    from leafpress.records import TargetOptions

    icc = TargetOptions().icc_profile().read_bytes()
    # The name of the profile has been read for the first output's intent by the time the
    # others render; littleCMS used to write the profile out differently from then on.
    for layout in ("leaflet-a6", "photo-display-a3"):  # built together, in this order
        reader = PdfReader(press.pdf(layout, "print-shop"))
        intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
        assert intent["/DestOutputProfile"].get_object().get_data() == icc, layout
        spaces = reader.pages[0]["/Resources"]["/ColorSpace"]
        assert spaces["/device-cmyk"][1].get_object().get_data() == icc, layout


def test_print_shop_palette_is_device_cmyk_and_text_black_is_100_k(press: Press):
    content = PdfReader(press.pdf("leaflet-a6", "print-shop")).pages[0].get_contents().get_data()
    text = content.decode("latin-1")
    assert "/DeviceCMYK cs" in text
    assert "0 1 0.8 0.05 scn" in text, "the accent red of palette-cmyk.css"
    assert not re.search(r"\brg\b", text), "an RGB fill survived on a press page"
    # Black is 100 % K alone: no rich black (black with cyan, magenta or yellow under it).
    colours = [
        tuple(map(float, c.split())) for c in re.findall(r"([\d.]+ [\d.]+ [\d.]+ [\d.]+) scn", text)
    ]
    assert (0, 0, 0, 1) in colours
    assert not [c for c in colours if c[3] >= 0.9 and any(c[:3])], "rich black on a press page"


def test_print_shop_photo_is_a_cmyk_image(press: Press):
    page = PdfReader(press.pdf("photo-display-a3", "print-shop")).pages[0]
    images = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
    photos = [x for x in images if x.get("/Subtype") == "/Image"]
    assert photos
    assert all(x["/ColorSpace"] == "/DeviceCMYK" for x in photos)


def test_a_new_profile_saved_over_the_old_one_makes_new_cmyk_photos(tmp_path: Path):
    from leafpress.targets import convert_photo

    photo = tmp_path / "prepared.jpg"
    _colour_photo().save(photo, quality=92)
    from leafpress.records import DEFAULT_ICC_CANDIDATES

    icc = tmp_path / "shop.icc"
    profile = bytearray(next(p for p in DEFAULT_ICC_CANDIDATES if p.is_file()).read_bytes())
    icc.write_bytes(profile)
    first = convert_photo(photo, "cmyk", tmp_path / "cache", icc)
    profile[24:36] = bytes([7, 234, 11, 27, 10, 0, 0, 0, 0, 0, 0, 0])  # made 2026-11-27 10:00
    icc.write_bytes(profile)
    later = icc.stat().st_mtime + 60
    os.utime(icc, (later, later))  # saved a minute later
    second = convert_photo(photo, "cmyk", tmp_path / "cache", icc)
    assert second != first
    with Image.open(second) as converted:
        assert converted.mode == "CMYK"
    assert convert_photo(photo, "cmyk", tmp_path / "cache", icc) == second  # and then kept


def test_photos_are_in_their_targets_colours_once_before_outputs_render(
    workspace: Workspace, calls_to
):
    import importlib

    build_module = importlib.import_module("leafpress.photoprep")
    photo = workspace.root / "assets" / "street.jpg"
    _colour_photo().save(photo, quality=92)
    workspace.append("campaign.toml", '\n[[photos]]\nfile = "assets/street.jpg"\n')
    workspace.append("kk.toml", '\n[captions]\nstreet = "Шаңырақ көшесі."\n')
    workspace.append("en.toml", '\n[captions]\nstreet = "A street in Shanyrak."\n')
    converted = calls_to(build_module, "convert_photo", lambda source, mode, *_: mode)
    report = build(
        workspace.root,
        workspace.out,
        layouts=["photo-display-a3"],
        targets=["print-shop", "photocopy"],
        jobs=2,
    )
    assert report.ok, [str(r.error) for r in report.failed]
    # Once per photo and colour, before any output renders: each worker then finds it made.
    assert sorted(mode for _, mode in converted()) == ["cmyk", "grey"]


def test_print_shop_fails_clearly_without_the_icc_file(workspace: Workspace, tmp_path: Path):
    options = TargetOptions(icc=tmp_path / "missing.icc")
    report = build(workspace.root, workspace.out, targets=["print-shop"], target_options=options)
    assert not report.ok
    assert "missing.icc not found" in str(report.failed[0].error)


def test_print_shop_takes_the_shops_profile_and_refuses_an_rgb_one(
    workspace: Workspace, tmp_path: Path
):
    from PIL import ImageCms

    from leafpress.records import DEFAULT_ICC_CANDIDATES

    shop = tmp_path / "shop.icc"
    shop.write_bytes(next(p for p in DEFAULT_ICC_CANDIDATES if p.is_file()).read_bytes())
    code, output = workspace.build(
        "--lang", "en", "--layout", "leaflet-a6", "--target", "print-shop", "--icc", str(shop)
    )
    assert code == 0, output
    reader = PdfReader(workspace.out / "demo" / "en" / "leaflet-a6.print-shop.pdf")
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/DestOutputProfile"].get_object().get_data()[16:20] == b"CMYK"

    rgb = tmp_path / "screen.icc"
    rgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    code, output = workspace.build(
        "--lang", "en", "--layout", "leaflet-a6", "--target", "print-shop", "--icc", str(rgb)
    )
    assert code == 1
    assert "screen.icc is a RGB profile; print-shop output needs a CMYK one" in output


# office -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "per_sheet", "rotated"), [("leaflet-a5", 2, True), ("leaflet-a6", 4, False)]
)
def test_office_cells_equal_the_original_page(press: Press, layout, per_sheet, rotated):
    dpi = 60
    sheet_pdf = press.pdf(layout, "office")
    reader = PdfReader(sheet_pdf)
    assert len(reader.pages) == 1
    assert box(reader.pages[0], "mediabox")[2:] == pytest.approx((A4[0] * MM, A4[1] * MM), abs=0.1)
    sheet = render_region(sheet_pdf, 0, dpi)
    original = render_region(press.pdf(layout), 0, dpi)
    if rotated:
        original = original.rotate(90, expand=True)  # the page's top points left on the sheet
    cw, ch = original.size
    cols, rows = (1, 2) if rotated else (2, 2)
    assert cols * rows == per_sheet
    ox, oy = (sheet.width - cols * cw) // 2, (sheet.height - rows * ch) // 2
    margin = round(UNPRINTABLE_MM / 25.4 * dpi) + 2
    for row in range(rows):
        for col in range(cols):
            x, y = ox + col * cw, oy + row * ch
            cell = sheet.crop((x, y, x + cw, y + ch))
            # Leave out what the office printer cannot print (clipped on purpose) and the cut lines.
            inner = (margin, margin, cw - margin, ch - margin)
            assert mean_difference(cell.crop(inner), original.crop(inner)) < 4
            assert share_differing(cell.crop(inner), original.crop(inner)) < 0.01


def test_office_keeps_the_unprintable_margin_empty(press: Press):
    sheet = render_region(press.pdf("leaflet-a6", "office"), 0, 72).convert("L")
    margin = int(UNPRINTABLE_MM / 25.4 * 72) - 1
    w, h = sheet.size
    for strip in (
        (0, 0, w, margin),
        (0, h - margin, w, h),
        (0, 0, margin, h),
        (w - margin, 0, w, h),
    ):
        assert sheet.crop(strip).getextrema()[0] >= 250, f"ink in the unprintable strip {strip}"


@pytest.mark.parametrize(
    ("layout", "sequential"), [("leaflet-a5", [1, 1, 2]), ("leaflet-a6", [1, 1, 1])]
)
def test_office_page_counts_for_one_two_and_three_leaflets(press: Press, layout, sequential):
    page = press.pdf(layout).read_bytes()
    for leaflets, sheets in zip((1, 2, 3), sequential, strict=True):
        data = join_pdfs([page] * leaflets)
        following = impose_office(data, A4, "auto", fill=False)
        assert len(PdfReader(io.BytesIO(following)).pages) == sheets
        # Filled sheets: one sheet of copies per leaflet.
        filled = impose_office(data, A4, "auto", fill=True)
        assert len(PdfReader(io.BytesIO(filled)).pages) == leaflets


@pytest.mark.parametrize("n_up", ["2", "4", "8"])
def test_office_n_up_forces_the_count_and_shrinks_to_fit(press: Press, n_up: str):
    data = impose_office(press.pdf("leaflet-a5").read_bytes(), A4, n_up)
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
    assert content.count(b" Do") == int(n_up)


# photocopy ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["leaflet-a5", "photo-display-a3"])
def test_photocopy_has_no_colour_pixel(press: Press, layout: str):
    image = render_region(press.pdf(layout, "photocopy"), 0, 50)
    r, g, b = image.split()
    spread = ImageChops.lighter(ImageChops.difference(r, g), ImageChops.difference(g, b))
    assert spread.getextrema()[1] <= 2, "a coloured pixel in photocopy output"


def test_photocopy_qr_survives_two_generations_of_copying(press: Press, decode_qr):
    image = render_region(press.pdf("leaflet-a5", "photocopy"), 0, 150).convert("L")
    for _generation in range(2):
        image = image.filter(ImageFilter.GaussianBlur(1.2))
        image = image.point(lambda v: 255 if v > 140 else 0)
    found = decode_qr(image)
    assert found and found[0].text == "https://example.org/shanyrak"


def test_photocopy_has_no_large_solid_dark_area(press: Press):
    image = render_region(press.pdf("photo-display-a3", "photocopy"), 0, 30).convert("L")
    # Dark 1 cm squares: a copier fills those with toner; text strokes never fill one.
    cell = round(10 / 25.4 * 30)
    for y in range(0, image.height - cell, cell):
        for x in range(0, image.width - cell, cell):
            mean = ImageStat.Stat(image.crop((x, y, x + cell, y + cell))).mean[0]
            assert mean > 40, f"a solid dark area at {x, y}"


# tiles --------------------------------------------------------------------------------------------

# Sheets per poster, worked out by hand: artwork area = sheet − 2 × 5 mm margin (− 7 mm label band
# in height), step = area − 10 mm overlap, portrait or landscape sheet, whichever needs fewer.
TILE_COUNTS = {("A2", "A4"): 8, ("A2", "A3"): 4, ("A1", "A4"): 15, ("A1", "A3"): 8}


def _english_words():
    from leafpress.finish.labelfont import SheetWords
    from leafpress.fonts import load_manifest

    bold = load_manifest(REPO).families["PT Sans"].files["bold"]
    return SheetWords(bold, {})


@pytest.mark.parametrize(("poster", "sheet"), sorted(TILE_COUNTS))
def test_tiles_count_and_stitch_back_into_the_poster(press: Press, poster: str, sheet: str):
    source = press.pdf(f"poster-{poster.lower()}")
    sheet_mm = {"A4": A4, "A3": A3}[sheet]
    data = tile_poster(source.read_bytes(), sheet_mm, 10, _english_words())
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1 + TILE_COUNTS[(poster, sheet)], "a map, then the tiles"

    dpi = 20
    px = dpi / 25.4
    full = render_region(source, 0, dpi).convert("L")
    tiles_pdf = source.with_name(f"tiles-{poster}-{sheet}.pdf")
    tiles_pdf.write_bytes(data)
    first = reader.pages[1]
    landscape = float(first.mediabox.width) > float(first.mediabox.height)
    sw, sh = (sheet_mm[1], sheet_mm[0]) if landscape else sheet_mm
    area = (sw - 2 * UNPRINTABLE_MM, sh - 2 * UNPRINTABLE_MM - LABEL_BAND_MM)
    step = (area[0] - 10, area[1] - 10)
    rows_cols = re.search(r"\((\d+) × (\d+)\)", reader.pages[1].extract_text())
    cols = int(rows_cols.group(2))
    canvas = Image.new("L", full.size, 128)
    for index in range(1, len(reader.pages)):
        col, row = (index - 1) % cols, (index - 1) // cols
        tile = render_region(tiles_pdf, index, dpi).convert("L")
        left, top = round(UNPRINTABLE_MM * px), round(UNPRINTABLE_MM * px)
        keep = tile.crop((left, top, left + round(step[0] * px), top + round(step[1] * px)))
        canvas.paste(keep, (round(col * step[0] * px), round(row * step[1] * px)))
    # Mostly white posters: what matters is the share of clearly different pixels. Tiles off by
    # the overlap (10 mm) make over 1 % of them differ; a true stitch fewer than 0.2 %.
    assert share_differing(canvas, full) < 0.004
    assert mean_difference(canvas, full) < 1.5


def test_tiles_label_sheets_by_row_and_column_and_start_with_a_map(press: Press):
    reader = PdfReader(press.pdf("poster-a2", "tiles"))
    assert "парақ, 10 мм қабаттасу" in reader.pages[0].extract_text()  # kk: the map in Kazakh
    labels = [re.search(r"\b([A-Z]\d+)\b", p.extract_text()).group(1) for p in reader.pages[1:]]
    assert labels[:3] == ["A1", "A2", "B1"]
    assert "D2" in labels  # four rows of two columns on landscape A4
    # Vector stays vector: the tiles place the poster as a form, never as a picture.
    for page in reader.pages:
        for xobject in page["/Resources"]["/XObject"].values():
            assert xobject.get_object()["/Subtype"] == "/Form"


# duplex -------------------------------------------------------------------------------------------


def test_duplex_front_is_the_first_language_and_back_the_second(press: Press):
    reader = PdfReader(press.pdf("leaflet-a5-duplex", lang="kk+en"))
    assert len(reader.pages) == 2
    assert "Шаңырақ тұрғындарын" in reader.pages[0].extract_text()
    assert "Defend Shanyrak" in reader.pages[1].extract_text()


def test_duplex_back_lands_behind_its_front_on_a_long_edge_flip(press: Press):
    dpi = 40
    imposed = press.pdf("leaflet-a5-duplex", "office", lang="kk+en")
    assert len(PdfReader(imposed).pages) == 2
    front_sheet = render_region(imposed, 0, dpi)
    # Turning a portrait sheet over its long edge mirrors it left to right.
    back_seen_from_front = ImageOps.mirror(render_region(imposed, 1, dpi))
    leaflet = press.pdf("leaflet-a5-duplex", lang="kk+en")
    front = render_region(leaflet, 0, dpi).rotate(90, expand=True)
    # The leaflet's back, seen through its front after turning it over its own long edge.
    back = ImageOps.mirror(render_region(leaflet, 1, dpi)).rotate(90, expand=True)
    cw, ch = front.size
    ox, oy = (front_sheet.width - cw) // 2, (front_sheet.height - 2 * ch) // 2
    margin = round(UNPRINTABLE_MM / 25.4 * dpi) + 2
    inner = (margin, margin, cw - margin, ch - margin)
    for row in range(2):
        cell = (ox, oy + row * ch, ox + cw, oy + (row + 1) * ch)
        assert mean_difference(front_sheet.crop(cell).crop(inner), front.crop(inner)) < 4
        behind = back_seen_from_front.crop(cell).crop(inner)
        assert mean_difference(behind, back.crop(inner)) < 4
        assert mean_difference(behind, front.crop(inner)) > 4, "the back is not the front again"


# names, campaign defaults, command line -----------------------------------------------------------


def test_targets_in_campaign_toml_are_the_default(workspace: Workspace):
    text = (workspace.campaign_dir / "campaign.toml").read_text("utf-8")
    workspace.write("campaign.toml", 'targets = ["screen", "office"]\n' + text)
    code, output = workspace.build("--lang", "en", "--layout", "leaflet-a6")
    assert code == 0, output
    names = sorted(p.name for p in workspace.pdfs())
    assert names == ["leaflet-a6.office.pdf", "leaflet-a6.pdf"]
    header = next(line for line in output.splitlines() if line.startswith("file"))
    assert "target" in header.split()
    assert any("office" in line.split() for line in output.splitlines())


def test_target_option_overrides_the_campaign_and_names_the_file(workspace: Workspace):
    text = (workspace.campaign_dir / "campaign.toml").read_text("utf-8")
    workspace.write("campaign.toml", 'targets = ["office"]\n' + text)
    code, output = workspace.build("--lang", "en", "--layout", "leaflet-a6", "--target", "tiles")
    assert code == 0, output
    assert [p.name for p in workspace.pdfs()] == ["leaflet-a6.tiles.pdf"]


def test_unknown_target_is_an_error_naming_the_known_ones(workspace: Workspace):
    code, output = workspace.build("--target", "print-shp")
    assert code == 1
    assert "unknown target 'print-shp' (did you mean 'print-shop'?)" in output
    text = (workspace.campaign_dir / "campaign.toml").read_text("utf-8")
    workspace.write("campaign.toml", 'targets = ["ofice"]\n' + text)
    code, output = workspace.build()
    assert code == 1
    assert "targets[0]" in output and "did you mean 'office'" in output


def test_bilingual_layout_needs_two_languages(workspace: Workspace):
    workspace.append(
        "campaign.toml", '\n[[outputs]]\nlayout = "leaflet-a5-duplex"\nlanguages = ["kk"]\n'
    )
    code, output = workspace.build()
    assert code == 1
    assert "outputs[0].languages" in output and "expected two languages" in output


def test_no_target_output_names_the_program_that_made_it(press: Press):
    pdfs = sorted(press.ws.out.rglob("*.pdf"))
    assert len(pdfs) >= 10
    for path in pdfs:
        info = PdfReader(path).metadata or {}
        assert "/Producer" not in info and "/Creator" not in info, path.name
        root = PdfReader(path).trailer["/Root"]
        if "/Metadata" in root:
            assert b"WeasyPrint" not in root["/Metadata"].get_object().get_data(), path.name


def test_photocopy_photos_are_grey_with_contrast_lifted_and_no_solid_black(tmp_path: Path):
    from leafpress.targets import convert_photo

    flat = tmp_path / "flat.jpg"
    # A dull photo: every tone between 90 and 150, in colour.
    gradient = Image.linear_gradient("L").resize((120, 80)).point(lambda v: 90 + v * 60 // 255)
    Image.merge("RGB", (gradient, gradient.point(lambda v: v - 20), gradient)).save(flat)
    converted = convert_photo(flat, "grey", tmp_path / "cache")
    with Image.open(converted) as image:
        assert image.mode == "L"
        darkest, lightest = image.getextrema()
    assert lightest - darkest > 150, "contrast not lifted"
    assert darkest >= 20, "shadows filled solid: a copier turns them to toner"


def test_print_shop_photos_go_through_the_cmyk_profile(tmp_path: Path):
    from leafpress.records import TargetOptions
    from leafpress.targets import convert_photo

    photo = tmp_path / "red.jpg"
    Image.new("RGB", (40, 40), (220, 30, 40)).save(photo)
    converted = convert_photo(photo, "cmyk", tmp_path / "cache", TargetOptions().icc_profile())
    with Image.open(converted) as image:
        assert image.mode == "CMYK"
        c, m, y, k = image.getpixel((20, 20))
    assert m > 180 and y > 130 and c < 60, (c, m, y, k)


def test_sheet_and_n_up_options_reach_the_finishing_step(workspace: Workspace):
    args = ["--lang", "en", "--layout", "leaflet-a6"]
    code, output = workspace.build(*args, "--target", "office", "--n-up", "2", "--sheet", "A3")
    assert code == 0, output
    sheet = PdfReader(workspace.out / "demo" / "en" / "leaflet-a6.office.pdf").pages[0]
    assert box(sheet, "mediabox")[2:] == pytest.approx((A3[0] * MM, A3[1] * MM), abs=0.1)
    assert sheet.get_contents().get_data().count(b" Do") == 2
    code, output = workspace.build(*args, "--n-up", "3")
    assert code == 2 and "'3' is not one of" in output


@pytest.mark.parametrize(
    ("page_mm", "sheet_mm", "count"),
    [
        ((148, 210), A4, 2),  # A5
        ((105, 148), A4, 4),  # A6
        ((74, 105), A4, 8),  # A7
        ((100, 100), A4, 4),
        ((85, 55), A4, 10),  # business card, landscape
        ((148, 210), A3, 4),
        ((297, 420), A4, 1),  # A3 poster: shrunk onto one sheet
    ],
)
def test_office_auto_steps_and_repeats_as_many_as_fit(page_mm, sheet_mm, count):
    from leafpress.finish.impose import choose_grid

    page = (page_mm[0] * MM, page_mm[1] * MM)
    grid = choose_grid(page, (sheet_mm[0] * MM, sheet_mm[1] * MM), "auto")
    assert grid.count == count
    cw, ch = grid.cell
    assert grid.cols * cw <= sheet_mm[0] * MM + 1.5 and grid.rows * ch <= sheet_mm[1] * MM + 1.5


def test_bleed_of_5_mm_makes_a_bleed_box_5_mm_larger_on_every_side_with_marks_outside(
    workspace: Workspace,
):
    code, output = workspace.build(
        "--layout", "leaflet-a5", "--lang", "en", "--target", "print-shop", "--bleed", "5"
    )
    assert code == 0, output
    page = PdfReader(workspace.out / "demo" / "en" / "leaflet-a5.print-shop.pdf").pages[0]
    bx0, by0, bx1, by1 = box(page, "bleedbox")
    tx0, ty0, tx1, ty1 = box(page, "trimbox")
    assert abs((tx1 - tx0) - A5_PT[0]) < 0.5 and abs((ty1 - ty0) - A5_PT[1]) < 0.5
    for inner, outer in ((tx0, bx0), (bx1, tx1), (ty0, by0), (by1, ty1)):
        assert abs(abs(inner - outer) - 5 * MM) < 0.05
    segments = _crop_mark_segments(page)
    assert len(segments) == 8
    for x0, y0, x1, y1 in segments:
        for x, y in ((x0, y0), (x1, y1)):
            assert not (bx0 < x < bx1 and by0 < y < by1), "a crop mark reaches into the bleed"


def test_office_a6_four_up_copies_are_identical_after_cutting(tmp_path: Path):
    """Each of the four cells, cut along its cut lines, looks the same: the unprintable margin
    clips every copy alike, so none has a white strip where another has its band."""
    import pypdfium2 as pdfium

    from leafpress.finish.impose import UNPRINTABLE_MM
    from leafpress.run import build

    out = tmp_path / "out"
    report = build(REPO, out, [REPO / "leaflets" / "shanyrak"], ["kk"], ["leaflet-a6"], ["office"])
    assert report.ok
    sheet = pdfium.PdfDocument(str(out / "shanyrak" / "kk" / "leaflet-a6.office.pdf"))[0]
    dpi = 254  # 10 pixels a millimetre: every cell starts on a whole pixel, alike
    image = sheet.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    px = dpi / 25.4
    top = round((297 - 2 * 148) / 2 * px)
    cell = (round(105 * px), round(148 * px))
    cells = [
        image.crop((cx * cell[0], top + cy * cell[1], (cx + 1) * cell[0], top + (cy + 1) * cell[1]))
        for cy in range(2)
        for cx in range(2)
    ]
    from PIL import Image, ImageChops

    # Away from the cut lines, at a millimetre a pixel (type antialiased differently where
    # glyphs land on other subpixels does not count; a missing band or strip does).
    inner = (6, 6, cell[0] - 6, cell[1] - 6)

    def coarse(picture):
        cropped = picture.crop(inner)
        return cropped.resize((cropped.width // 10, cropped.height // 10), Image.Resampling.BOX)

    for other in cells[1:]:
        difference = ImageChops.difference(coarse(cells[0]), coarse(other))
        assert max(difference.getextrema()) < 40, difference.getbbox()
    margin = round(UNPRINTABLE_MM * px) - top
    # Each copy: white where the margin clipped it, then its band, alike on all four.
    for picture in cells:
        assert picture.crop((10, 4, cell[0] - 10, margin - 2)).getextrema()[0] >= 250
        assert picture.getpixel((cell[0] // 2, margin + 3)) < 128


def _unembedded_fonts(path: Path) -> list[str]:
    """Every font a PDF's pages (and the forms they place) name without a font file."""
    reader = PdfReader(path)
    missing = []
    seen: set[int] = set()

    def walk(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            if id(font) in seen:
                continue
            seen.add(id(font))
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(font.get("/BaseFont")))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return missing


@pytest.fixture(scope="module")
def every_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from leafpress.run import build

    out = tmp_path_factory.mktemp("every-target")
    report = build(
        REPO,
        out,
        [REPO / "leaflets" / "shanyrak"],
        ["kk", "ru", "en"],
        ["leaflet-a5", "leaflet-a6", "poster-a3-demands"],
        ["screen", "print-shop", "office", "photocopy", "tiles"],
        jobs=2,
    )
    assert report.ok, "\n".join(f"{r.label}: {r.error}" for r in report.failed)
    return out


def test_no_pdf_of_any_target_names_a_font_it_does_not_embed(every_target: Path):
    pdfs = sorted(every_target.rglob("*.pdf"))
    assert {p.name.split(".")[1] for p in pdfs if p.name.count(".") == 2} == {
        "print-shop",
        "office",
        "photocopy",
        "tiles",
    }
    for path in pdfs:
        assert _unembedded_fonts(path) == [], path


@pytest.mark.parametrize(
    ("lang", "words"),
    [("kk", ("парақ", "астында:")), ("ru", ("Листы:", "снизу:")), ("en", ("sheets", "below:"))],
)
def test_tile_labels_and_instructions_are_in_the_posters_language(
    every_target: Path, lang: str, words: tuple[str, str]
):
    reader = PdfReader(every_target / "shanyrak" / lang / "poster-a3-demands.tiles.pdf")
    map_text = reader.pages[0].extract_text()
    assert words[0] in map_text
    assert words[1] in "".join(p.extract_text() for p in reader.pages[1:])
    if lang != "en":
        assert "sheets" not in map_text and "below:" not in reader.pages[1].extract_text()


def test_print_shop_files_pass_the_structural_pdf_x4_checks(every_target: Path):
    """No PDF/X validator installs from Debian or PyPI (veraPDF checks PDF/A and PDF/UA, and
    Ghostscript writes PDF/X but does not check it), so these are the properties a strict
    preflight looks at first: the header's version, identification, XMP in step with Info, the
    output intent, and the page boxes."""
    for path in sorted(every_target.rglob("*.print-shop.pdf")):
        assert path.read_bytes()[:8] >= b"%PDF-1.6", path
        reader = PdfReader(path)
        root = reader.root_object
        metadata = root["/Metadata"].get_object()
        assert "/Filter" not in metadata
        xmp = metadata.get_data().decode("utf-8")
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
        # The pdfx: schema mirrors custom Info entries; Info has none, so XMP must carry none.
        info = reader.trailer["/Info"].get_object()
        custom = [k for k in info if k not in ("/Title", "/CreationDate", "/ModDate", "/Trapped")]
        assert "<pdfx:" not in xmp and custom == [], (path, custom)
        assert f'<rdf:li xml:lang="x-default">{info["/Title"]}</rdf:li>' in xmp
        trapped = {"/False": "False", "/True": "True"}[info["/Trapped"]]
        assert f"<pdf:Trapped>{trapped}</pdf:Trapped>" in xmp
        for key, tag in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
            d = info[key]  # D:YYYYMMDDHHmmSS+HH'mm'
            iso = f"{d[2:6]}-{d[6:8]}-{d[8:10]}T{d[10:12]}:{d[12:14]}:{d[14:16]}"
            assert f"<{tag}>{iso}" in xmp, (path, key)
        (intent,) = root["/OutputIntents"]
        intent = intent.get_object()
        assert intent["/S"] == "/GTS_PDFX"
        profile = intent["/DestOutputProfile"].get_object().get_data()
        assert profile[16:20] == b"CMYK"  # the ICC header's colour space
        for page in reader.pages:
            media, bleed, trim = page.mediabox, page.bleedbox, page.trimbox
            assert media.left < bleed.left < trim.left and trim.right < bleed.right < media.right


def test_each_tile_is_marked_along_the_edges_it_is_trimmed_on(every_target: Path):
    """A1 is trimmed nowhere; A2 on its left edge; B1 on its top; B2 on both: ticks at the ends
    of each such edge, on the artwork's border, 2 mm in from its corner."""
    import pypdfium2 as pdfium

    from leafpress.finish.tile import TRIM_TICK_MM

    document = pdfium.PdfDocument(
        str(every_target / "shanyrak" / "en" / "poster-a3-demands.tiles.pdf")
    )
    dpi = 200
    px = dpi / 25.4
    margin = UNPRINTABLE_MM * px
    along = (TRIM_TICK_MM / 2) * px

    def dark(page, x: float, y: float) -> bool:
        image = document[page].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        box = (round(x) - 2, round(y) - 2, round(x) + 3, round(y) + 3)
        return image.crop(box).getextrema()[0] < 128

    # Pages: the map, then A1, A2, B1, B2. The poster's top edge is white on every tile's top
    # margin line except where a tick is drawn; its left edge too.
    left_tick = (margin, margin + along)  # on the left edge, near the top
    top_tick = (margin + along, margin)  # on the top edge, near the left
    assert not dark(1, *left_tick) and not dark(1, *top_tick)
    assert dark(2, *left_tick) and not dark(2, *top_tick)
    assert dark(3, *top_tick) and not dark(3, *left_tick)
    assert dark(4, *left_tick) and dark(4, *top_tick)

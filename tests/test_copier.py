"""Photocopies: QR codes that survive two copier generations, and pages without large dark areas."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from conftest import REPO, Workspace
from leafpress.content import Contact, load_campaign
from leafpress.copier import (
    COPIER_DPI,
    COPIER_THRESHOLDS,
    dark_areas,
    qr_after_copies,
    too_dark,
)
from leafpress.qr import Payload, _smallest_code, make_qr, payload_for, vcard
from leafpress.run import build

MM_PER_INCH = 25.4
KAZAKH = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
LATIN = "abcdefghijklmnopqrstuvwxyz"


def _name(rng: random.Random, letters: str) -> str:
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(3)]
    return " ".join(w.capitalize() for w in words)


def _contacts(seed: int, count: int) -> list[Contact]:
    """Addressees never seen by the layouts: names of 14–32 letters in three alphabets."""
    rng = random.Random(seed)
    found = []
    for index in range(count):
        letters = (KAZAKH, RUSSIAN, LATIN)[index % 3]
        phone = "+7 7" + "".join(rng.choice("0123456789") for _ in range(9))
        found.append(Contact(name=_name(rng, letters), phone=phone))
    return found


def _drawn(card: str, module_mm: float) -> Image.Image:
    """The code as a printer draws it, sampled at the copier's resolution (area-averaged)."""
    code = make_qr(Payload(card, Path("x"), "k"))
    modules = _smallest_code(card.encode("utf-8"), 0).get_matrix()  # the encoder make_qr uses
    assert len(modules) == code.modules
    oversample = 8
    px = module_mm / MM_PER_INCH * COPIER_DPI * oversample
    size = round(len(modules) * px)
    image = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                draw.rectangle(
                    [
                        round(x * px),
                        round(y * px),
                        round((x + 1) * px) - 1,
                        round((y + 1) * px) - 1,
                    ],
                    fill=0,
                )
    return image.resize((size // oversample,) * 2, Image.Resampling.BOX)


@pytest.mark.parametrize("contact", _contacts(18, 6), ids=lambda c: c.name[:12])
def test_vcard_with_0_6_mm_modules_survives_two_copies_at_every_threshold(contact: Contact):
    trials = qr_after_copies(_drawn(vcard(contact), 0.6), vcard(contact))
    assert [t.threshold for t in trials] == list(COPIER_THRESHOLDS)
    assert all(t.decoded for t in trials), trials


@pytest.mark.parametrize("contact", _contacts(81, 3), ids=lambda c: c.name[:12])
def test_vcard_with_0_42_mm_modules_is_lost_by_a_lighter_or_darker_copier(contact: Contact):
    # The A5 code before issue 18 (57 modules in 24 mm): it scans from the original, not from
    # a copy of a copy.
    import zxingcpp

    card = vcard(contact)

    drawn = _drawn(card, 0.42)
    assert card in [r.text for r in zxingcpp.read_barcodes(drawn)]
    trials = qr_after_copies(drawn, card)
    assert not all(t.decoded for t in trials)


def test_dark_areas_ignores_text_and_finds_a_solid_block():
    dpi = 50
    page = Image.new("L", (round(148 / MM_PER_INCH * dpi), round(210 / MM_PER_INCH * dpi)), 255)
    draw = ImageDraw.Draw(page)
    # Lines of "text": 0.8 mm strokes, black, packed the way a headline is.
    for row in range(12):
        y = round((20 + row * 4) / MM_PER_INCH * dpi)
        draw.rectangle([20, y, 250, y + 1], fill=0)
    assert too_dark(dark_areas(page, dpi)) == []
    # A 30 × 20 mm block of 90 % grey: 6 cm².
    x0, y0 = (round(v / MM_PER_INCH * dpi) for v in (40, 120))
    x1, y1 = (round(v / MM_PER_INCH * dpi) for v in (70, 140))
    draw.rectangle([x0, y0, x1 - 1, y1 - 1], fill=25)
    found = too_dark(dark_areas(page, dpi))
    assert len(found) == 1
    assert found[0].area_cm2 == pytest.approx(6.0, rel=0.1)
    assert found[0].box_mm[0] == pytest.approx(40, abs=1)


def test_a_small_qr_on_office_output_is_an_error_that_suggests_a_shorter_kind(
    workspace: Workspace,
):
    workspace.edit("campaign.toml", 'kind = "url"', 'kind = "vcard"')
    code, output = workspace.build("--lang", "kk", "--layout", "leaflet-a5", "--target", "screen")
    assert code == 0, output
    workspace.edit("../../layouts/leaflet-a5/layout.toml", "qr_max_mm = 35", "qr_max_mm = 24")
    code, output = workspace.build("--lang", "kk", "--layout", "leaflet-a5", "--target", "office")
    assert code == 1
    flat = " ".join(output.split())
    assert "office output needs 0.6 mm modules" in flat, output
    assert "kind = 'tel'" in flat
    assert "does not decode after 2 photocopies" in flat
    assert not (workspace.out / "demo" / "kk" / "leaflet-a5.office.pdf").exists()


@pytest.fixture(scope="module")
def copied_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("copied")
    report = build(
        REPO,
        out,
        [REPO / "leaflets" / "shanyrak"],
        ["kk", "ru", "en"],
        targets=["office", "photocopy"],
        jobs=2,
    )
    assert report.ok, "\n".join(f"{r.label}: {r.error}" for r in report.failed)
    return out


def _around(image: Image.Image, position, margin_mm: float) -> Image.Image:
    """The part of `image` (at COPIER_DPI) within `margin_mm` of a code's corners."""
    corners = [position.top_left, position.top_right, position.bottom_left, position.bottom_right]
    margin = round(margin_mm / MM_PER_INCH * COPIER_DPI)
    xs, ys = [c.x for c in corners], [c.y for c in corners]
    return image.crop(
        (
            max(0, min(xs) - margin),
            max(0, min(ys) - margin),
            min(image.width, max(xs) + margin),
            min(image.height, max(ys) + margin),
        )
    )


def test_every_office_and_photocopy_sheet_decodes_after_two_copies(copied_sample: Path):
    """Every layout in kk, ru and en (and the kk+ru duplex leaflet): every code zxing finds on
    a printed sheet at the copier's resolution still reads as that language's payload after
    two copies at every threshold."""
    import pypdfium2 as pdfium
    import zxingcpp

    campaign = load_campaign(REPO / "leaflets" / "shanyrak", REPO)
    payloads = {payload_for(campaign, campaign.text(lang)).data for lang in ("kk", "ru", "en")}
    sheets = sorted((copied_sample / "shanyrak").rglob("*.pdf"))
    layouts = {path.name.split(".")[0] for path in sheets}
    assert len(layouts) == 6, layouts
    copied = set()
    for path in sheets:
        found = []
        for page in pdfium.PdfDocument(str(path)):
            image = page.render(scale=COPIER_DPI / 72, grayscale=True).to_pil().convert("L")
            codes = zxingcpp.read_barcodes(image)
            assert {r.text for r in codes} <= payloads, path
            for code in codes:
                # The copies are made of the code and 15 mm around it: a copier's blur and
                # threshold act on a pixel's neighbours only, and the whole A3 sheet would
                # take ten times as long to copy for the same answer.
                for trial in qr_after_copies(_around(image, code.position, 15), code.text):
                    assert trial.decoded, f"{path} lost at threshold {trial.threshold}"
                found.append(code.text)
        assert found, f"no code found on {path}"
        copied |= set(found)
    assert copied == payloads


def test_photocopy_sheets_have_no_dark_area_over_the_limit(copied_sample: Path):
    """Measured from the printed sheets, not from the CSS: the night photo, bands and rules."""
    from leafpress.copier import page_dark_areas

    sheets = sorted((copied_sample / "shanyrak").rglob("*.photocopy.pdf"))
    assert len({p.name for p in sheets}) == 6
    for path in sheets:
        assert page_dark_areas(path.read_bytes()) == [], path


def test_a_dark_photo_on_a_photocopy_is_lifted_under_75_percent_grey(tmp_path: Path):
    from leafpress.copier import DARK_GREY
    from leafpress.targets import convert_photo

    # A night scene never seen before: mostly black, a few lit windows.
    rng = random.Random(7)
    photo = Image.new("RGB", (400, 300), (5, 5, 12))
    draw = ImageDraw.Draw(photo)
    for _ in range(20):
        x, y = rng.randrange(380), rng.randrange(280)
        draw.rectangle([x, y, x + 12, y + 10], fill=(250, 220, 120))
    source = tmp_path / "night.jpg"
    photo.save(source, quality=95)
    converted = Image.open(convert_photo(source, "grey", tmp_path))
    from PIL import ImageFilter

    # A median over 3 × 3 pixels: JPEG rings a pixel or two darker beside the bright windows.
    darkest = converted.convert("L").filter(ImageFilter.MedianFilter(3)).getextrema()[0]
    assert darkest >= 255 * (1 - DARK_GREY)


def test_a_layout_grows_its_code_only_as_far_as_a_long_payload_needs():
    from leafpress.layouts import LayoutLibrary

    library = LayoutLibrary(REPO)
    a5, poster = library.get("leaflet-a5"), library.get("poster-a3-demands")
    assert a5.qr_size_for(33) == a5.qr_size_mm == 24  # a link: the layout's own size
    assert a5.qr_size_for(57) == pytest.approx(34.2)  # a Cyrillic vCard: 0.6 mm modules
    assert a5.qr_size_for(97) == a5.qr_max_mm == 35  # no further than the layout allows
    # An A3 poster prints at 67 % on an A4 office sheet: 0.6 mm there is 0.89 mm on the poster.
    assert poster.qr_size_for(57) * poster.qr_office_scale / 57 == pytest.approx(0.6, abs=0.002)

"""The sample campaign, built whole: every shipped layout in every language, checked as PDFs."""

from __future__ import annotations

import itertools
import re
import tomllib
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO
from leafpress.layouts import LayoutLibrary

A5 = (419.5, 595.3)
A3 = (841.9, 1190.6)
SAMPLE_LANGUAGES = ["kk", "ru", "en"]
A4_LANDSCAPE = (841.9, 595.3)
SHIPPED = {
    "leaflet-a5": A5,
    "poster-a3-demands": A3,
    "photo-display-a3": A3,
    "photo-display-a4-landscape": A4_LANDSCAPE,
}
KAZAKH_LETTERS = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")


def sample_text(lang: str) -> dict:
    return tomllib.loads((REPO / "leaflets" / "shanyrak" / f"{lang}.toml").read_text("utf-8"))


def photo_count() -> int:
    campaign = tomllib.loads((REPO / "leaflets" / "shanyrak" / "campaign.toml").read_text("utf-8"))
    return len(campaign["photos"])


def test_every_shipped_layout_is_in_the_library():
    assert set(SHIPPED) <= set(LayoutLibrary(REPO).names())


@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
@pytest.mark.parametrize("layout", sorted(SHIPPED))
def test_layout_renders_with_right_page_count_and_size(sample_build: Path, layout: str, lang: str):
    reader = PdfReader(sample_build / "shanyrak" / lang / f"{layout}.pdf")
    expected_pages = photo_count() if layout.startswith("photo-display") else 1
    assert len(reader.pages) == expected_pages
    want_w, want_h = SHIPPED[layout]
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(want_w, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(want_h, abs=0.5)


def test_kazakh_pdf_text_contains_the_headline_with_its_kazakh_letters(sample_build: Path):
    headline = sample_text("kk")["headline"]
    assert KAZAKH_LETTERS & set(headline), "the sample headline should show Kazakh letters"
    text = PdfReader(sample_build / "shanyrak" / "kk" / "leaflet-a5.pdf").pages[0].extract_text()
    assert " ".join(headline.split()) in " ".join(text.split())


@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_demands_and_contacts_are_printed(sample_build: Path, lang: str):
    text = " ".join(
        PdfReader(sample_build / "shanyrak" / lang / "leaflet-a5.pdf")
        .pages[0]
        .extract_text()
        .split()
    )
    for demand in sample_text(lang)["demands"]:
        first_words = " ".join(demand.split()[:3])
        assert first_words in text
    assert "293 4710" in text.replace("\xa0", " ")


def _fonts(reader: PdfReader) -> list[dict]:
    found = {}
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.get_object().values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            found[str(font["/BaseFont"])] = target
    return list(found.values())


def _manifest_full_names() -> set[str]:
    """Full names (name ID 4) of every font file in fonts/fonts.toml."""
    from fontTools.ttLib import TTFont

    from leafpress.fonts import load_manifest

    return {
        TTFont(path, fontNumber=family.index)["name"].getDebugName(4)
        for family in load_manifest(REPO).families.values()
        for path in family.files.values()
    }


@pytest.mark.parametrize("layout", sorted(SHIPPED))
def test_every_font_is_embedded_and_comes_from_the_manifest(sample_build: Path, layout: str):
    import io

    from fontTools.ttLib import TTFont

    reader = PdfReader(sample_build / "shanyrak" / "kk" / f"{layout}.pdf")
    fonts = _fonts(reader)
    assert fonts
    allowed = _manifest_full_names()
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        files = [
            descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor
        ]
        assert files, f"{font['/BaseFont']} is not embedded"
        embedded = TTFont(io.BytesIO(files[0].get_object().get_data()))
        assert embedded["name"].getDebugName(4) in allowed, font["/BaseFont"]


@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_pdf_says_title_and_language_and_nothing_about_its_maker(sample_build: Path, lang: str):
    reader = PdfReader(sample_build / "shanyrak" / lang / "leaflet-a5.pdf")
    info = dict(reader.metadata or {})
    assert _plain(info["/Title"]) == _plain(sample_text(lang)["headline"])
    for key in ("/Producer", "/Creator", "/Author", "/CreationDate", "/ModDate"):
        assert key not in info, f"{key} = {info.get(key)}"
    assert reader.trailer["/Root"]["/Lang"] == lang


def _plain(text: str) -> str:
    """Text without quote marks or space variants, which language conventions may change."""
    return "".join(c for c in " ".join(text.split()) if c not in "'\"‘’“”«»\u00a0")


def test_html_lang_is_the_output_language(sample_build: Path):
    reader = PdfReader(sample_build / "shanyrak" / "ru" / "poster-a3-demands.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "ru"


def _letters(text: str) -> str:
    return "".join(re.findall(r"[^\W\d_]", text))


def _word_gaps(path: Path, source: str) -> list[tuple[float, str]]:
    """Gaps between words, in ems of the font size, on every line whose letters run in `source`.

    Measured from the PDF's glyph boxes: on each line, the distance from the right edge of one
    glyph to the left edge of the next, wherever there is white space between them (PDF viewers
    do not always report a space glyph, so a gap wider than a tenth of an em counts as one).
    """
    from collections import defaultdict

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    page = pdfium.PdfDocument(str(path))[0]
    text = page.get_textpage()
    lines: dict[tuple[float, bool], list] = defaultdict(list)
    middle = page.get_width() / 2
    for i in range(text.count_chars()):
        char = chr(raw.FPDFText_GetUnicode(text, i))
        if char.isspace() or char in "\x02\xad":
            continue
        left, bottom, right, _ = text.get_charbox(i, loose=True)
        size = raw.FPDFText_GetFontSize(text, i)
        lines[(round(bottom, 1), left < middle)].append((left, right, char, size))
    body = _letters(source)
    gaps = []
    for glyphs in lines.values():
        glyphs.sort()
        line = "".join(g[2] for g in glyphs)
        if len(_letters(line)) < 10 or _letters(line) not in body:
            continue
        for before, after in itertools.pairwise(glyphs):
            gap = (after[0] - before[1]) / before[3]
            if gap > 0.1:
                gaps.append((gap, line))
    return gaps


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_body_has_no_word_gap_wider_than_two_spaces(sample_build: Path, lang: str):
    from fontTools.ttLib import TTFont

    gaps = _word_gaps(
        sample_build / "shanyrak" / lang / "leaflet-a5.pdf", sample_text(lang)["body"]
    )
    assert len(gaps) > 40, "the body's lines were not found"
    font = TTFont("/usr/share/fonts/truetype/paratype/PTS55F.ttf")
    space = font["hmtx"]["space"][0] / font["head"].unitsPerEm
    widest, line = max(gaps)
    assert widest <= 2 * space, f"a {widest:.2f} em gap in: {line}"


@pytest.mark.parametrize("layout", ["poster-a3-demands", "leaflet-a5"])
def test_every_way_to_reach_a_contact_is_printed(layout: str, tmp_path: Path):
    import shutil

    from leafpress.run import build

    for folder in ("layouts", "fonts", "leaflets"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    campaign = tmp_path / "leaflets" / "shanyrak" / "campaign.toml"
    text = campaign.read_text("utf-8").replace(
        'fax = "+7 327 293 4710"',
        'fax = "+7 327 293 4710"\nemail = "akimat@example.kz"\naddress = "Республика алаңы, 4"',
    )
    campaign.write_text(text, "utf-8")
    report = build(tmp_path, tmp_path / "out", languages=["ru"], layouts=[layout])
    assert report.ok, [str(r.error) for r in report.failed]
    printed = " ".join(PdfReader(report.written[0].path).pages[0].extract_text().split())
    assert "akimat@example.kz" in printed and "Республика алаңы, 4" in printed.replace("\xa0", " ")

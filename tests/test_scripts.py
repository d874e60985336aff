"""Every script a campaign needs: fallback fonts per script, right to left, CJK, actionable errors."""

from __future__ import annotations

import io
import json
import shutil
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import REPO
from leafpress.errors import FontError
from leafpress.fonts import load_manifest
from leafpress.run import build
from leafpress.scripts import direction, fallback_key, isolate_ltr, lookup_codes
from scripts_corpus import LANGUAGES, PHONE, TEXTS, write_campaign

FAST_LAYOUTS = ["leaflet-a5", "poster-a3-demands"]
OTHER_LAYOUTS = ["leaflet-a6", "photo-display-a3", "photo-display-a4-landscape"]
# The family each language's own script must be set in: the language decides the Han forms.
EXPECTED_FALLBACK = {
    "ar": "Noto Sans Arabic", "he": "Noto Sans Hebrew", "fa": "Noto Sans Arabic",
    "hi": "Noto Sans Devanagari", "bn": "Noto Sans Bengali", "ta": "Noto Sans Tamil",
    "th": "Noto Sans Thai", "ka": "Noto Sans Georgian", "hy": "Noto Sans Armenian",
    "am": "Noto Sans Ethiopic", "zh-Hans": "Noto Sans CJK SC", "zh-Hant": "Noto Sans CJK TC",
    "ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR",
}  # fmt: skip


def _workspace(root: Path) -> Path:
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "fonts", root / "fonts")
    write_campaign(root)
    return root


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fourteen-language campaign through a leaflet and a poster, built once."""
    root = _workspace(tmp_path_factory.mktemp("world"))
    report = build(root, root / "out", layouts=FAST_LAYOUTS, jobs=2)
    assert report.ok, "\n".join(f"{r.label}: {r.error}" for r in report.failed)
    return root / "out" / "world"


@pytest.fixture(scope="module")
def world_other_layouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _workspace(tmp_path_factory.mktemp("world-all"))
    report = build(root, root / "out", layouts=OTHER_LAYOUTS, jobs=2)
    assert report.ok, "\n".join(f"{r.label}: {r.error}" for r in report.failed)
    return root / "out" / "world"


def _manifest_names() -> dict[str, str]:
    """Full name (name ID 4) -> family, for every face fonts/fonts.toml declares."""
    names = {}
    for family in load_manifest(REPO).families.values():
        for path in family.files.values():
            with TTFont(str(path), lazy=True, fontNumber=family.index) as font:
                names[font["name"].getDebugName(4)] = family.name
    return names


MANIFEST = _manifest_names()


def _embedded(reader: PdfReader) -> dict[str, tuple[str, int]]:
    """PDF font resource name -> (full name of the embedded file, its size in bytes)."""
    found = {}
    for page in reader.pages:
        for key, ref in page["/Resources"]["/Font"].items():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            stream = next(
                descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor
            )
            data = stream.get_object().get_data()
            found[key] = (TTFont(io.BytesIO(data), lazy=True)["name"].getDebugName(4), len(data))
    return found


def _glyph_ids(reader: PdfReader) -> list[int]:
    """Every glyph the pages show: WeasyPrint writes two-byte glyph IDs (Identity-H)."""
    ids = []
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            strings = []
            if operator == b"Tj":
                strings = [operands[0]]
            elif operator == b"TJ":
                strings = [item for item in operands[0] if isinstance(item, bytes | str)]
            for value in strings:
                data = value.original_bytes if hasattr(value, "original_bytes") else bytes(value)
                ids += [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
    return ids


def _assert_prints_right(pdf: Path, lang: str) -> None:
    reader = PdfReader(pdf)
    embedded = _embedded(reader)
    families = set()
    for name, _ in embedded.values():
        assert name in MANIFEST, f"{pdf.name}: {name} is not a font of fonts/fonts.toml"
        families.add(MANIFEST[name])
    assert EXPECTED_FALLBACK[lang] in families, (pdf, families)
    ids = _glyph_ids(reader)
    assert ids and 0 not in ids, f"{pdf}: an empty box (glyph 0) is printed"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_script_prints_in_its_fallback_with_no_empty_box(world: Path, lang: str):
    for layout in FAST_LAYOUTS:
        _assert_prints_right(world / lang / f"{layout}.pdf", lang)


@pytest.mark.parametrize("layout", OTHER_LAYOUTS)
def test_every_layout_prints_every_script(world_other_layouts: Path, layout: str):
    for lang in LANGUAGES:
        _assert_prints_right(world_other_layouts / lang / f"{layout}.pdf", lang)


def _chars(pdf: Path) -> tuple[str, list[tuple[float, float]], float]:
    """The first page's text, each character's (left, right) in points, and the page width."""
    page = pdfium.PdfDocument(str(pdf))[0]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    boxes = [textpage.get_charbox(i)[::2] for i in range(len(text))]
    return text, boxes, page.get_width()


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_right_to_left_text_reads_from_the_right_and_its_phone_from_the_left(
    world: Path, lang: str
):
    text, boxes, width = _chars(world / lang / "leaflet-a5.pdf")
    headline = TEXTS[lang][0]
    first_word, last_word = headline.split()[0], headline.split()[-1]
    start = text.index(first_word[:2])
    end = text.index(last_word[-2:], start)
    # The headline's first letters stand right of its last ones, and it ends at the right margin.
    assert boxes[start][0] > boxes[end][0]
    line = [boxes[i] for i in range(start, end + 2) if boxes[i][1] > boxes[i][0]]
    assert width - max(right for _, right in line) < max(left for left, _ in line)
    assert width - max(right for _, right in line) < 20 * 72 / 25.4
    # The phone number inside the lead keeps its digits in order, left to right.
    digits = PHONE.replace(" ", "\xa0")
    found = text.index(digits)
    lefts = [boxes[i][0] for i in range(found, found + len(digits)) if text[i] != "\xa0"]
    assert lefts == sorted(lefts), lefts


def test_numbered_demands_stand_on_the_right_in_arabic(world: Path):
    text, boxes, width = _chars(world / "ar" / "leaflet-a5.pdf")
    demand = TEXTS["ar"][3][0]
    at = text.index(demand[:4])
    numeral = max(i for i in range(at) if text[i] == "1")
    assert boxes[numeral][0] > boxes[at][0] > width / 2


MM = 72 / 25.4
RTL_LAYOUTS = ["photo-display-a3", "photo-display-a4-landscape", "leaflet-a6"]


@pytest.fixture(scope="module")
def rtl_portrait(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Arabic and Hebrew through the layouts that mirror by hand, with a portrait photo: one
    narrower than the A3 display's measure, so that it has to be centred."""
    root = tmp_path_factory.mktemp("rtl")
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "fonts", root / "fonts")
    write_campaign(root, languages=["ar", "he"])
    photo = root / "assets" / "world" / "homes.jpg"
    Image = pytest.importorskip("PIL.Image")
    Image.open(photo).crop((0, 0, 1600, 2400)).save(photo, quality=85)
    report = build(root, root / "out", layouts=RTL_LAYOUTS, jobs=2)
    assert report.ok, "\n".join(f"{r.label}: {r.error}" for r in report.failed)
    return root / "out" / "world"


def _shapes(pdf: Path) -> tuple[float, list[tuple[str, tuple[float, ...], tuple[int, ...]]]]:
    """The first page's width, and its filled paths and images: (kind, (left, bottom, right,
    top) in points, fill colour)."""
    import ctypes

    import pypdfium2.raw as raw

    page = pdfium.PdfDocument(str(pdf))[0]
    shapes = []
    for obj in page.get_objects(max_depth=5):
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
            shapes.append(("image", tuple(obj.get_bounds()), ()))
        elif obj.type == raw.FPDF_PAGEOBJ_PATH:
            rgba = [ctypes.c_uint() for _ in range(4)]
            if raw.FPDFPageObj_GetFillColor(obj.raw, *(ctypes.byref(c) for c in rgba)):
                colour = tuple(c.value for c in rgba[:3])
                shapes.append(("path", tuple(obj.get_bounds()), colour))
    return page.get_width(), shapes


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_right_to_left_display_bands_reach_both_edges_and_its_photo_stays_centred(
    rtl_portrait: Path, lang: str
):
    width, shapes = _shapes(rtl_portrait / lang / "photo-display-a3.pdf")
    band = max((s for s in shapes if s[2] == (200, 16, 46)), key=lambda s: s[1][3])
    assert band[1][0] <= 0.1 and band[1][2] >= width - 0.1, band
    (photo,) = [bounds for kind, bounds, _ in shapes if kind == "image"]
    left, right = photo[0], width - photo[2]
    # Narrower than the measure, centred in it: WeasyPrint's `margin: auto` pushed it right,
    # off the page's right edge.
    assert left > 20 * MM and abs(left - right) < 0.5, (left, right)


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_right_to_left_a6_numbers_its_demands_on_the_right(rtl_portrait: Path, lang: str):
    page = pdfium.PdfDocument(str(rtl_portrait / lang / "leaflet-a6.pdf"))[0]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    boxes = [textpage.get_charbox(i) for i in range(len(text))]  # left, bottom, right, top
    for number, demand in enumerate(TEXTS[lang][3], start=1):
        # pdfium reads a shadda out of its place: the first letters are looked for without marks.
        letters = "".join(c for c in demand if unicodedata.category(c) != "Mn")
        at = text.index(letters[:4])
        line = boxes[at : at + 4]
        low, high = min(b[1] for b in line), max(b[3] for b in line)
        # The numeral (a float, so read out of order) on the demand's first line, right of it.
        (numeral,) = [
            b
            for c, b in zip(text, boxes, strict=True)
            if c == str(number) and low < b[3] and b[1] < high
        ]
        assert numeral[0] > max(b[2] for b in line), demand
        assert numeral[0] > page.get_width() / 2


def test_right_to_left_photo_credit_stands_beside_the_caption(rtl_portrait: Path):
    text, boxes, _ = _chars(rtl_portrait / "ar" / "photo-display-a4-landscape.pdf")
    _, shapes = _shapes(rtl_portrait / "ar" / "photo-display-a4-landscape.pdf")
    (photo,) = [bounds for kind, bounds, _ in shapes if kind == "image"]
    credit = text.index("Archive")
    # The photo stands on the right, the caption on its left: the credit on the photo's left edge.
    assert photo[0] - 1 <= boxes[credit][0] < photo[0] + 40 * MM, (photo, boxes[credit])


def test_right_to_left_body_text_is_set_ragged_left(world: Path):
    text, boxes, width = _chars(world / "ar" / "leaflet-a5.pdf")
    first = TEXTS["ar"][2].split()[0]
    at = text.index(first)
    # The story's first line starts at the right margin of its (right-hand) column.
    right = max(r for _, r in boxes[at : at + len(first)])
    assert abs(width - 12 * MM - right) < 1 * MM, (width - 12 * MM, right)


def test_a_chinese_leaflet_embeds_a_subset_not_the_16_mb_face(world: Path):
    pdf = world / "zh-Hans" / "leaflet-a5.pdf"
    embedded = _embedded(PdfReader(pdf))
    cjk = [size for name, size in embedded.values() if "CJK" in name]
    assert cjk, embedded
    # The face alone is 16 MB; WeasyPrint keeps glyph IDs, so empty slots up to the highest
    # one used remain, under 1 MB for a leaflet.
    assert max(cjk) < 1_000_000, cjk
    assert pdf.stat().st_size < 500_000


@pytest.mark.parametrize("lang", ["zh-Hans", "ja"])
def test_cjk_lines_break_between_characters_without_hyphens(world: Path, lang: str):
    text, _, _ = _chars(world / lang / "poster-a3-demands.pdf")
    lines = [line for line in text.split("\r\n") if line.strip()]
    headline = TEXTS[lang][0]
    # The headline has no spaces, yet it is set on more than one line of the poster.
    assert " " not in headline
    assert sum(1 for line in lines if line and line in headline) >= 2, lines
    assert not any(line.endswith(("-", "\u2010", "\xad")) for line in lines), lines


def _korean_words() -> set[str]:
    """Every word (eojeol) the Korean leaflet and poster print: its texts, labels and contact."""
    import tomllib

    headline, lead, body, demands, call, qr_label, caption, addressee = TEXTS["ko"]
    labels = tomllib.loads((REPO / "layouts" / "labels.toml").read_text("utf-8"))["ko"]
    texts = [headline, lead, body.replace("**", ""), *demands, call, qr_label, caption, addressee]
    return {word for text in [*texts, *labels.values()] for word in text.split()}


@pytest.mark.parametrize("layout", FAST_LAYOUTS)
def test_korean_lines_break_only_between_words(world: Path, layout: str):
    words = _korean_words()
    text, _, _ = _chars(world / "ko" / f"{layout}.pdf")
    lines = [line for line in text.split("\r\n") if line.strip()]
    assert len(lines) > 8, lines
    for line in lines:
        for token in line.replace("\xa0", " ").split():
            if any("\uac00" <= c <= "\ud7a3" for c in token):
                # Pango would break between any two syllables: 지었습니 | 다, 있 | 습니다.
                assert token in words, (token, line)


def test_a_korean_word_longer_than_its_line_still_breaks(tmp_path: Path):
    from weasyprint import HTML

    from leafpress.typography import apply_conventions

    long_word = "타우마타와카탕이항아코아우아우오타마테아투리푸카카피키마웅아호로"
    text = apply_conventions(f"언덕의 이름은 {long_word}입니다. 줄여서 타우마타라고 부른다.", "ko")
    css = load_manifest(REPO).fallback_css(["Kore"])
    pdf = tmp_path / "ko.pdf"
    HTML(
        string=f'<html lang="ko"><style>{css} @page {{ size: 60mm 120mm; margin: 5mm }} '
        "html { overflow-wrap: break-word; font: 12pt var(--script-fonts) }</style>"
        f"<p>{text}</p></html>"
    ).write_pdf(pdf)
    page_text, boxes, width = _chars(pdf)
    lines = page_text.split("\r\n")
    # The short words stay whole; the long one starts a line of its own and fills the next ones.
    assert lines[0] == "언덕의 이름은", lines
    assert "".join(lines[1:]).startswith(long_word) and len(lines) >= 4, lines
    assert "줄여서 타우마타라고 부른다." in " ".join(lines), lines
    assert max(right for _, right in boxes) <= width - 5 * MM + 0.5  # nothing overflows
    assert "\u2060" not in page_text  # the joiners print nothing and copy as nothing


def test_korean_letters_are_joined_within_words_only():
    from leafpress.typography import apply_conventions

    joined = apply_conventions("집을 지었습니다. (한글)의 맥북Pro https://예.kr/가나", "ko")
    assert joined.startswith(
        "집\u2060을 지\u2060었\u2060습\u2060니\u2060다. (한\u2060글)의 맥\u2060북\u2060Pro"
    )
    assert joined.endswith(" https://예.kr/가나")  # an address is printed as written
    assert apply_conventions(joined, "ko") == joined
    # Chinese and Japanese break between characters, as they should.
    assert "\u2060" not in apply_conventions("我们的家园 私たちの家", "zh-Hans")


# Headlines that broke a word on main: the corpus's Hebrew one set its last two words, kept
# together, past the poster's line (שלנ | ו); a long Tamil word is wider than the line at full size.
HEADLINES = {"he": TEXTS["he"][0], "ta": "குடியிருப்புகளை காப்போம்"}


@pytest.fixture(scope="module")
def headline_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("headlines")
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "fonts", root / "fonts")
    folder = write_campaign(root, languages=list(HEADLINES))
    ta = folder / "ta.toml"
    ta.write_text(
        ta.read_text("utf-8").replace(
            json.dumps(TEXTS["ta"][0], ensure_ascii=False),
            json.dumps(HEADLINES["ta"], ensure_ascii=False),
        ),
        "utf-8",
    )
    return root


def _headline_lines(laid_out) -> list[str]:
    """The headline's lines as WeasyPrint set them: each line's text, in reading order."""

    def walk(box, inside: bool = False):
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        inside = inside or "headline" in classes
        if inside and type(box).__name__ == "LineBox":
            yield "".join(walk_text(box))
            return
        for child in getattr(box, "children", None) or []:
            yield from walk(child, inside)

    def walk_text(box):
        for child in getattr(box, "children", None) or []:
            if type(child).__name__ == "TextBox":
                yield child.text
            else:
                yield from walk_text(child)

    lines = [line for page in laid_out.document.pages for line in walk(page._page_box)]
    return [line for line in lines if line]


@pytest.mark.parametrize(
    ("lang", "layout"),
    [("he", "poster-a3-demands"), ("ta", "poster-a3-demands"), ("ta", "leaflet-a6")],
)
def test_a_long_headline_shrinks_rather_than_break_a_word(
    headline_workspace: Path, lang: str, layout: str
):
    from leafpress.pipeline import Builder
    from leafpress.plan import plan_build

    plan = plan_build(
        headline_workspace, headline_workspace / "out", languages=[lang], layouts=[layout]
    )
    laid = Builder.for_plan(plan).lay_out(plan.jobs[0])
    lines = _headline_lines(laid.fit.laid_out)
    assert len(lines) >= 2, lines
    # Hebrew and Tamil lines may end only at a space (a no-break space, kept at the line's
    # end, or a plain one, dropped): each line's last word is a whole word of the headline.
    words = HEADLINES[lang].split()
    for line in lines[:-1]:
        if not line.endswith("\xa0"):
            assert line.split()[-1].split("\xa0")[-1] in words, lines
    assert laid.fit.first_scale >= laid.fit.spec.first.min_scale - 0.001


def test_kazakh_pages_declare_no_fallback_fonts(workspace):
    from leafpress.compose import compose
    from leafpress.content import load_campaign
    from leafpress.layouts import LayoutLibrary

    campaign = load_campaign(workspace.campaign_dir, workspace.root)
    fonts = load_manifest(workspace.root)
    layout = LayoutLibrary(workspace.root).get("leaflet-a5")
    html = compose(campaign, campaign.text("kk"), layout, fonts, [], {}).html
    assert "--script-fonts" not in html and 'dir="rtl"' not in html


def test_direction_and_isolation():
    assert [direction(c) for c in ("ar", "he", "fa", "ur", "uz-Arab", "en", "ku-Latn")] == [
        "rtl", "rtl", "rtl", "rtl", "rtl", "ltr", "ltr",
    ]  # fmt: skip
    isolated = isolate_ltr("اتصلوا على +7 727 271 6557 أو protest@example.org الآن")
    assert "\u2066+7 727 271 6557\u2069" in isolated
    assert "\u2066protest@example.org\u2069" in isolated
    assert isolate_ltr(isolated) == isolated


def test_han_characters_take_the_languages_own_forms():
    assert [fallback_key("国", lang) for lang in ("zh", "zh-Hans", "zh-TW", "zh-Hant", "ja", "ko")] == [
        "Hans", "Hans", "Hant", "Hant", "Jpan", "Kore",
    ]  # fmt: skip
    assert fallback_key("カ", "zh") == "Jpan" and fallback_key("한", "ja") == "Kore"


def test_label_tables_are_found_through_script_subtags():
    assert lookup_codes("zh-TW") == ["zh-TW", "zh-Hant"]
    assert lookup_codes("sr-Cyrl") == ["sr-Cyrl", "sr"]
    assert lookup_codes("uz-Cyrl") == ["uz-Cyrl"]  # never the Latin [uz]
    assert lookup_codes("kk-Latn") == ["kk-Latn"]
    assert lookup_codes("en-GB") == ["en-GB", "en"]


def test_labels_ship_in_at_least_thirty_languages_with_every_key():
    import tomllib

    tables = tomllib.loads((REPO / "layouts" / "labels.toml").read_text("utf-8"))
    wanted = "ar bn ca cs da de el es fa fi fr he hi hu it ja ko ky nl pl pt ro sv tg tr uk ur uz"
    assert set(wanted.split()) | {"zh-Hans", "zh-Hant", *LANGUAGES} <= set(tables)
    keys = set(tables["en"])
    assert all(set(table) == keys for table in tables.values())
    # Real translations: no table repeats English words, except where the word is the same.
    shared = {"Tel.", "Fax", "E-mail", "Web", "Photo"}
    for lang, table in tables.items():
        if lang != "en":
            assert table["demands"] != tables["en"]["demands"], lang
            assert set(table.values()) - shared, lang


def test_a_missing_label_names_every_label_the_language_lacks(workspace):
    workspace.edit("campaign.toml", 'languages = ["kk", "en"]', 'languages = ["kk", "en", "xx"]')
    workspace.edit(
        "campaign.toml", 'en = "Office of the Mayor of Almaty" }', 'en = "A", xx = "B" }'
    )
    shutil.copy(workspace.campaign_dir / "en.toml", workspace.campaign_dir / "xx.toml")
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "xx")
    assert code == 1
    assert (
        "'xx' has none of the labels demands, contacts, email, fax, phone, photo, tile_below, tile_instructions, tile_map, tile_right, web"
        in output
    )
    assert output.count("xx.toml") == 1, output


def _without_fallback(root: Path, key: str) -> None:
    manifest = root / "fonts" / "fonts.toml"
    lines = manifest.read_text("utf-8").splitlines()
    manifest.write_text(
        "\n".join(line for line in lines if not line.startswith(f"{key} = ")) + "\n", "utf-8"
    )


def test_a_script_without_fallback_is_one_line_naming_count_fields_and_the_installed_family(
    tmp_path: Path,
):
    from click.testing import CliRunner

    from leafpress.cli import main

    root = tmp_path
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "fonts", root / "fonts")
    write_campaign(root, languages=["ar", "he"])
    _without_fallback(root, "Arab")
    result = CliRunner().invoke(
        main, ["check", "--root", str(root), "--layout", "leaflet-a5", "--json"]
    )
    findings = [f for f in json.loads(result.output) if f["check"] == "glyphs"]
    errors = [f for f in findings if f["status"] == "error"]
    assert len(errors) == 1, errors
    message = errors[0]["message"]
    assert errors[0]["language"] == "ar"
    assert "Arabic characters" in message and "in headline, lead, call_to_action…" in message
    count = int(message.split()[0])
    letters = {c for c in "".join(TEXTS["ar"][:3]) if 0x600 <= ord(c) <= 0x6FF}
    assert count >= len(letters) > 20
    assert "Noto Sans Arabic (installed) covers them" in message
    assert "[fallbacks] Arab" in message
    assert any(f["language"] == "he" and f["status"] == "ok" for f in findings)


def test_fonts_toml_refuses_an_unknown_script_and_an_undeclared_family(tmp_path: Path):
    shutil.copytree(REPO / "fonts", tmp_path / "fonts")
    manifest = tmp_path / "fonts" / "fonts.toml"
    text = manifest.read_text("utf-8")
    text = text.replace('Arab = "Noto Sans Arabic"', 'Arabic = "Noto Sans Arabic"')
    text = text.replace('Hebr = "Noto Sans Hebrew"', 'Hebr = "Noto Sans Hebreu"')
    manifest.write_text(text, "utf-8")
    with pytest.raises(FontError) as raised:
        load_manifest(tmp_path)
    message = str(raised.value)
    assert "fallbacks.Arabic" in message and "unknown script 'Arabic'" in message
    assert "fallbacks.Hebr" in message and "'Noto Sans Hebreu' is not declared" in message


@pytest.mark.parametrize(
    ("lang", "number", "day", "numbered"),
    [
        ("de", "1.234.567", "14.\xa0Juli 2006", "Nr.\xa03"),
        ("zh-Hant", "1,234,567", "2006年7月14日", "No.\xa03"),
        ("ko", "1,234,567", "2006년 7월 14일", "No.\xa03"),
        ("he", "1,234,567", "14 ביולי 2006", "מס׳\xa03"),
        ("uk", "1\u202f234\u202f567", "14\xa0липня 2006\xa0р.", "№\xa03"),
        ("pt-BR", "1.234.567", "14 de julho de 2006", "n.º\xa03"),
        ("hi", "12,34,567", "14\xa0जुलाई 2006", "सं.\xa03"),  # lakhs: 12,34,567
        ("th", "1,234,567", "14\xa0กรกฎาคม พ.ศ. 2549", "หมายเลข\xa03"),  # the Buddhist era
        ("hu", "1\u202f234\u202f567", "2006. július\xa014.", "3.\xa0sz."),
        ("ar", "1,234,567", "14\xa0يوليو 2006", "رقم\xa03"),
        ("cs", "1\u202f234\u202f567", "14.\xa0července 2006", "č.\xa03"),
        ("ka", "1\u202f234\u202f567", "14\xa0ივლისი, 2006", "№\xa03"),
        ("tg", "1\u202f234\u202f567", "14.07.2006", "№\xa03"),
        # The three languages leafpress began with keep their own ways.
        ("kk", "1\u202f234\u202f567", "2006\xa0жылғы 14\xa0шілде", "№\xa03"),
        ("en", "1,234,567", "14\xa0July 2006", "No.\xa03"),
    ],
)
def test_numbers_and_dates_follow_the_language(lang, number, day, numbered):
    from leafpress.typography import format_date, format_number, format_numbered

    assert format_number(1234567, lang) == number
    assert format_date("2006-07-14", lang) == day
    assert format_numbered(3, lang) == numbered


def test_every_language_with_labels_writes_dates_and_numbers_its_own_way():
    import tomllib

    from leafpress.typography import format_date, format_numbered

    tables = tomllib.loads((REPO / "layouts" / "labels.toml").read_text("utf-8"))
    # Where № is what the language writes: Kazakh, Russian, Ukrainian, Central Asian, Georgian
    # and Armenian print.
    cyrillic_sign = {"kk", "kk-Latn", "ru", "uk", "ky", "tg", "uz", "uz-Cyrl", "ka", "hy"}
    for lang in tables:
        written = format_date("2006-04-01", lang)
        assert written != "2006-04-01" and ("2006" in written or "2549" in written), lang
        assert ("№" in format_numbered(3, lang)) == (lang in cyrillic_sign), lang
    assert format_date("2006-04-01", "ca") == "1\xa0d’abril del 2006"
    assert format_date("2006-04-01", "xx") == "2006-04-01"  # no pattern known: ISO 8601


def test_a_new_campaign_in_arabic_hebrew_and_chinese_builds(tmp_path: Path):
    from click.testing import CliRunner

    from leafpress.cli import main

    shutil.copytree(REPO / "layouts", tmp_path / "layouts")
    shutil.copytree(REPO / "fonts", tmp_path / "fonts")
    runner = CliRunner()
    args = ["--root", str(tmp_path)]
    made = runner.invoke(
        main,
        ["new", "campaign", "demo", "--lang", "ar", "--lang", "he", "--lang", "zh-Hans", *args],
    )
    assert made.exit_code == 0, made.output
    # labels.toml has all three: the language files carry no [labels] of their own.
    assert "[labels]" not in (tmp_path / "leaflets" / "demo" / "ar.toml").read_text("utf-8")
    built = runner.invoke(main, ["build", *args, "--layout", "leaflet-a5"])
    assert built.exit_code == 0, built.output
    html_dir = PdfReader(tmp_path / "out" / "demo" / "ar" / "leaflet-a5.pdf")
    assert html_dir.trailer["/Root"]["/Lang"] == "ar"
    assert (tmp_path / "out" / "demo" / "zh-Hans" / "leaflet-a5.pdf").is_file()


@pytest.mark.parametrize(
    ("lang", "faces"),
    [
        ("ar", {"Noto Sans Arabic Regular", "Noto Sans Arabic Bold"}),
        ("zh-Hans", {"Noto Sans CJK SC", "Noto Sans CJK SC Bold"}),
    ],
)
def test_bold_text_stays_bold_in_its_fallback(world: Path, lang: str, faces: set[str]):
    # The headline and the demands are bold, the body is not: both faces are embedded.
    embedded = {name for name, _ in _embedded(PdfReader(world / lang / "leaflet-a5.pdf")).values()}
    assert faces <= embedded, embedded


def test_a_glyph_message_says_what_to_do_for_each_kind_of_gap():
    from leafpress.scripts import glyph_gaps

    missing = [("headline", "ا"), ("lead", "ر"), ("lead", "😀"), ("body", "ⵣ"), ("body", "ر")]
    arabic, other = glyph_gaps(missing, "ar")
    stack = "PT Sans, Noto Sans"
    # Not listed, not declared: both steps are named.
    told = arabic.message(stack, {}, [])
    assert told.startswith("2 Arabic characters (ا ر) in headline, lead, body are in none")
    assert '([fallbacks] Arab = "Noto Sans Arabic") and declared under [families]' in told
    # Listed, yet the fallback lacks them: no advice to list it again.
    told = arabic.message(stack, {"Arab": "Noto Sans Arabic"}, ["Noto Sans Arabic"])
    assert "nor in Noto Sans Arabic, the fallback for Arabic" in told and "[fallbacks]" not in told
    # Characters of no known script are named one by one.
    told = other.message(stack, {}, [])
    assert "2 characters ('😀' U+1F600 GRINNING FACE, 'ⵣ' U+2D63 TIFINAGH LETTER YAZ)" in told


CJK_COLLECTION = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.mark.skipif(not CJK_COLLECTION.is_file(), reason="fonts-noto-cjk is not installed")
def test_one_face_of_a_collection_is_kept_alone_and_a_cache_it_cannot_write_is_named(
    tmp_path: Path,
):
    from leafpress.fonts import face_file

    cache = tmp_path / "out" / ".cache" / "fonts"
    face = face_file(CJK_COLLECTION, 3, cache)
    assert face.parent == cache
    assert TTFont(str(face), lazy=True)["name"].getDebugName(1) == "Noto Sans CJK TC"
    assert face_file(CJK_COLLECTION, 3, cache) == face and len(list(face.parent.iterdir())) == 1
    with pytest.raises(FontError, match="has no face 99"):
        face_file(CJK_COLLECTION, 99, cache)
    (tmp_path / "file").write_text("")
    with pytest.raises(FontError, match="make sure the output folder is writable"):
        face_file(CJK_COLLECTION, 1, tmp_path / "file")


@pytest.mark.skipif(not CJK_COLLECTION.is_file(), reason="fonts-noto-cjk is not installed")
def test_faces_cut_from_a_collection_stay_in_the_output_cache_never_in_home(
    workspace, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
):
    # What scripts a campaign prints must not be left in the user's home, where the leaflets
    # are not: HOME points to an empty folder that must stay empty.
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    workspace.edit("en.toml", "Together for justice", "Together for justice 团结一致")
    code, output = workspace.build("--lang", "en", "--layout", "leaflet-a5", "-j", "1")
    assert code == 0, output
    faces = sorted((workspace.out / ".cache" / "fonts").glob("NotoSansCJK-*-2-*.otf"))
    assert faces, output
    assert TTFont(str(faces[0]), lazy=True)["name"].getDebugName(1) == "Noto Sans CJK SC"
    assert list(home.rglob("*")) == []


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh-Hans", "右："), ("ja", "右: "), ("ka", "right:"), ("ar", "right:")],
)
def test_tile_labels_print_in_a_font_that_has_them(tmp_path: Path, lang: str, words: str):
    """Tiles label each sheet in the output's language, in an embedded font with its glyphs;
    a script the label font cannot shape (Arabic), or whose fallback lacks the Latin sheet names
    (Georgian), keeps the English instructions."""
    root = _workspace(tmp_path)
    report = build(
        root, root / "out", languages=[lang], layouts=["poster-a3-demands"], targets=["tiles"]
    )
    assert report.ok, "\n".join(f"{r.label}: {r.error}" for r in report.failed)
    pdf = root / "out" / "world" / lang / "poster-a3-demands.tiles.pdf"
    reader = PdfReader(pdf)
    text = reader.pages[1].extract_text()
    assert words in text, text
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor"
            )
            assert descriptor is not None, font  # no standard font left unembedded
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))

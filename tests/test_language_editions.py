"""Language editions in print: generated Latin-script Kazakh, and each language's conventions in the PDF."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from conftest import Workspace


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def _with_latin_edition(ws: Workspace) -> None:
    ws.edit(
        "campaign.toml",
        'languages = ["kk", "en"]',
        'languages = ["kk", "en", "kk-Latn"]\ntransliterate = { "kk-Latn" = "kk" }',
    )


def test_latin_edition_is_made_from_the_cyrillic_text(workspace: Workspace):
    _with_latin_edition(workspace)
    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 0, output
    text = _text(workspace.pdf("kk-Latn"))
    assert "Şañyraq tūrğyndaryn qorğaimyz" in text
    # The contact's name has no kk-Latn entry in campaign.toml: it is transliterated too.
    assert "Almaty qalasynyñ äkımdıgı" in text
    assert "+7 727 271 6557" in text.replace("\xa0", " ")
    assert PdfReader(workspace.pdf("kk-Latn")).trailer["/Root"]["/Lang"] == "kk-Latn"


def test_build_summary_marks_a_transliterated_output_for_review(workspace: Workspace):
    _with_latin_edition(workspace)
    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 0, output
    assert (
        "note: demo/kk-Latn/leaflet-a5: transliterated from kk by machine: have a person review it"
        in output
    )
    assert "note: demo/kk/" not in output


def test_transliterating_into_a_language_not_listed_is_an_error(workspace: Workspace):
    workspace.edit(
        "campaign.toml",
        'languages = ["kk", "en"]',
        'languages = ["kk", "en"]\ntransliterate = { "kk-Latn" = "kk" }',
    )
    code, output = workspace.build()
    assert code == 1
    assert (
        "campaign.toml:2: transliterate.kk-Latn: 'kk-Latn' (made) is not one of the campaign's languages"
        in output
    )


def test_an_unsupported_transliteration_is_an_error(workspace: Workspace):
    workspace.edit(
        "campaign.toml",
        'languages = ["kk", "en"]',
        'languages = ["kk", "en", "ru"]\ntransliterate = { "ru" = "en" }',
    )
    code, output = workspace.build()
    assert code == 1
    assert "transliterate.ru:" in output


def test_a_hand_written_file_and_a_rule_for_the_same_language_conflict(workspace: Workspace):
    _with_latin_edition(workspace)
    workspace.write("kk-Latn.toml", 'headline = "Qolmen"\n')
    code, output = workspace.build()
    assert code == 1
    assert "kk-Latn.toml exists too" in output


def test_quotes_follow_each_language(workspace: Workspace):
    workspace.edit(
        "kk.toml",
        'lead = "Қысқа кіріспе мәтін."',
        'lead = "Олар \\"жаппай тәртіпсіздік\\" деп айыптады."',
    )
    workspace.edit(
        "en.toml",
        'lead = "A short lead."',
        'lead = "They were charged with \\"mass disorder\\" and can\'t leave."',
    )
    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 0, output
    assert "«жаппай тәртіпсіздік»" in _text(workspace.pdf("kk"))
    english = _text(workspace.pdf("en"))
    assert "“mass disorder”" in english and "can’t" in english


def test_a_phone_number_is_never_split_across_lines(workspace: Workspace, rasterise):
    import pypdfium2 as pdfium

    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "kk")
    assert code == 0, output
    page = pdfium.PdfDocument(str(workspace.pdf("kk")))[0]
    text = page.get_textpage()
    full = text.get_text_range()
    start = full.replace("\xa0", " ").index("+7 727 293 4710")
    # Loose boxes span the line's ascent and descent, so every glyph on one line shares them.
    tops = {round(text.get_charbox(i, loose=True)[3]) for i in range(start, start + 15)}
    assert len(tops) == 1, "the fax number runs onto two lines"


def test_photo_display_numbers_its_sheets_in_each_languages_way(sample_build: Path):
    kk = PdfReader(sample_build / "shanyrak" / "kk" / "photo-display-a3.pdf")
    en = PdfReader(sample_build / "shanyrak" / "en" / "photo-display-a3.pdf")
    assert "№\xa02" in kk.pages[1].extract_text() or "№ 2" in kk.pages[1].extract_text()
    assert "No. 2" in " ".join(en.pages[1].extract_text().replace("\xa0", " ").split())


def test_layout_words_get_numbers_and_dates_in_the_output_language(workspace: Workspace):
    folder = workspace.root / "layouts" / "dated"
    folder.mkdir()
    (folder / "layout.toml").write_text(
        'kind = "leaflet"\npage_size = "A6"\nrequires = ["headline"]\nfonts = ["PT Sans"]\n'
        'stylesheets = ["../_shared/palette.css", "style.css"]\n'
    )
    (folder / "style.css").write_text("body { font-family: var(--font-text); }\n")
    (folder / "template.html").write_text(
        '{% extends "base.html" %}{% block body %}<p>{{ date("2006-07-14") }} | '
        "{{ number(1234567) }} | {{ numbered(5) }}</p>{{ qr }}{% endblock %}"
    )
    code, output = workspace.build("--layout", "dated")
    assert code == 0, output
    kk = " ".join(
        _text(workspace.pdf("kk", "dated")).replace("\xa0", " ").replace("\u202f", " ").split()
    )
    en = " ".join(_text(workspace.pdf("en", "dated")).replace("\xa0", " ").split())
    assert "2006 жылғы 14 шілде | 1 234 567 | № 5" in kk
    assert "14 July 2006 | 1,234,567 | No. 5" in en

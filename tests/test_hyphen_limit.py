"""No more than two hyphenated lines in a row, although WeasyPrint has no hyphenate-limit-lines."""

from __future__ import annotations

import pytest

from conftest import Workspace
from leafpress import hyphenation
from leafpress.hyphenlimit import overlong_hyphen_runs, plain_text, protect_words

FONT = "/usr/share/fonts/truetype/paratype/PTS55F.ttf"
# Long Kazakh words in a narrow justified column: left alone, WeasyPrint hyphenates line after line.
WORDS = (
    "Қазақстан Республикасының тұрғындарымыздың үйлеріміздің заңдастырылсын талаптарымыздың "
    "конституциялық құқықтарымыздың орындалуын жауапкершілігіміздің ұйымдастырушыларының "
    "қорғаушыларымыздың бостандығымыздың"
)


def _html(text: str) -> str:
    return (
        '<html lang="kk"><head><style>'
        f'@font-face {{ font-family: "PT Sans"; src: url("file://{FONT}"); }}'
        "body { width: 27mm; font: 10pt 'PT Sans'; hyphens: auto; text-align: justify; "
        "hyphenate-character: '-'; }</style></head>"
        f"<body><p>{text}</p></body></html>"
    )


def _lay_out(html: str):
    from weasyprint import HTML

    hyphenation.register()
    return HTML(string=html).render()


def _longest_run(document, html: str) -> int:
    longest = 0
    for limit in range(0, 12):
        if not overlong_hyphen_runs(document, plain_text(html), limit):
            return limit
        longest = limit + 1
    return longest


def test_unlimited_kazakh_column_has_long_runs_of_hyphenated_lines():
    html = _html(WORDS)
    assert _longest_run(_lay_out(html), html) > 2


def _hyphen_runs_in_pdf(pdf) -> list[int]:
    """The lengths of the runs of consecutive text lines ending in a hyphen, page by page,
    read from the PDF's own glyph positions."""
    import pypdfium2

    runs = []
    for page in pypdfium2.PdfDocument(pdf):
        text = page.get_textpage()
        lines: dict[tuple[int, int], list[tuple[float, str]]] = {}
        for i in range(text.count_chars()):
            char = text.get_text_range(i, 1)
            if not char.strip():
                continue
            left, bottom, _, _ = text.get_charbox(i)
            # Lines in each column: the column by its left half of the page, the line by its base.
            column = 0 if left < page.get_width() / 2 else 1
            lines.setdefault((column, round(bottom)), []).append((left, char))
        run = 0
        for key in sorted(lines, key=lambda k: (k[0], -k[1])):
            last = max(lines[key])[1]
            if last in "-\u2010\xad\ufffe":  # pdfium reads a hyphen it broke at as U+FFFE
                run += 1
            else:
                runs.append(run)
                run = 0
        runs.append(run)
    return runs


def test_a_built_kazakh_leaflet_keeps_runs_of_hyphenated_lines_to_the_layouts_limit(
    workspace: Workspace,
):
    """The pipeline's own path: long Kazakh words in the A5 leaflet's justified columns."""
    body = " ".join([WORDS] * 3)
    workspace.edit("kk.toml", "Бірінші абзац.", body)
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "kk")
    assert code == 0, output
    runs = _hyphen_runs_in_pdf(workspace.pdf("kk"))
    assert max(runs) >= 1  # the text is hyphenated at all, so the limit is what holds it
    assert max(runs) <= 2, runs


def test_a_typed_hyphen_at_a_line_end_is_not_counted():
    html = _html("аааа-бббб " * 12)
    document = _lay_out(html)
    assert overlong_hyphen_runs(document, plain_text(html), 0) == set()


@pytest.mark.parametrize(
    "inside",
    ["<style>p { color: red }</style>", "<svg><text>сөз</text></svg>", "<title>сөз</title>"],
)
def test_protect_words_touches_only_document_text(inside: str):
    html = f'<html><head>{inside}</head><body><p class="сөз">сөз сөздер сөз</p></body></html>'
    out = protect_words(html, {"сөз"})
    assert inside in out
    assert 'class="сөз"' in out
    assert out.count('<span style="hyphens: manual">сөз</span>') == 2

"""No more than two hyphenated lines in a row, although WeasyPrint has no hyphenate-limit-lines."""

from __future__ import annotations

import pytest

from leafpress import hyphenation
from leafpress.hyphenlimit import (
    lay_out_within_limit,
    overlong_hyphen_runs,
    plain_text,
    protect_words,
)

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


def test_layout_keeps_runs_of_hyphenated_lines_to_two():
    document, html, passes = lay_out_within_limit(_html(WORDS), _lay_out, limit=2)
    assert _longest_run(document, html) <= 2
    assert 1 < passes <= 4
    # The text is all still there.
    assert plain_text(html).split() == plain_text(_html(WORDS)).split()


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

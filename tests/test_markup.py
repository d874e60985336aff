"""Campaign text to HTML: Markdown without raw HTML, and runs in another language marked."""

from __future__ import annotations

from leafpress.markup import language_runs, markdown_to_html, plain_to_html


def test_raw_html_and_images_stay_text():
    html = markdown_to_html(
        '<img src="http://x/a.png"> ![a](http://x/b.png) <script>x</script>', lang="en"
    )
    assert "<img" not in html and "<script" not in html
    assert "&lt;img" in html and "&lt;script&gt;" in html


def test_an_address_in_a_kazakh_paragraph_is_marked_as_no_language():
    html = markdown_to_html(
        "Хат жазыңыз: protest@example.org немесе https://example.kz/a-b.", lang="kk"
    )
    assert '<span class="address" lang="zxx">protest@example.org</span>' in html
    assert '<span class="address" lang="zxx">https://example.kz/a-b</span>.' in html


def test_latin_words_in_cyrillic_text_are_marked_english():
    assert language_runs("WhatsApp тобына жазыңыз", "kk") == [
        ("WhatsApp", "en"),
        (" тобына жазыңыз", None),
    ]
    assert language_runs("Сообщите в Human Rights Watch", "ru")[-1] == ("Human Rights Watch", "en")


def test_latin_text_is_not_marked_in_latin_languages():
    assert language_runs("WhatsApp tobyna jazyñyz", "kk-Latn") == [
        ("WhatsApp tobyna jazyñyz", None)
    ]


def test_plain_fields_keep_line_breaks_and_escape():
    assert plain_to_html("a <b>\nc", lang="en") == "a &lt;b&gt;<br>c"


def test_quotes_split_across_markdown_runs_still_pair():
    from leafpress.typography import apply_conventions

    def fix(text: str, *, before: str = "", after: str = "") -> str:
        return apply_conventions(text, "ru", before=before, after=after)

    assert "«<strong>нет</strong>»" in markdown_to_html('"**нет**"', fix, "ru")

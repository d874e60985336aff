"""Line endings: headlines, demands and captions never end on a single short word."""

from __future__ import annotations

import pytest

from leafpress.lines import NBSP, WORD_JOINER, keep_last_word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Руки прочь от Шанырака!", f"Руки прочь от{NBSP}Шанырака!"),
        ("Hands off Shanyrak!", f"Hands off{NBSP}Shanyrak!"),
        ("Two words", "Two words"),  # too short to balance
        ("Stop the unconstitutionalisation", "Stop the unconstitutionalisation"),  # long last word
        ("Line one here\nand line two", f"Line one{NBSP}here\nand line{NBSP}two"),
        ("trailing space kept ", f"trailing space{NBSP}kept "),
    ],
)
def test_a_short_last_word_is_joined_to_the_one_before(text: str, expected: str):
    assert keep_last_word(text) == expected


def test_demands_captions_and_headlines_are_composed_with_the_join(workspace):
    from leafpress.pipeline import Builder
    from leafpress.plan import plan_build

    workspace.edit(
        "en.toml",
        'demands = ["Legalise the homes.", "Pay compensation."]',
        'demands = ["Legalise every home in the districts now.", "Pay compensation."]',
    )
    workspace.edit("en.toml", 'qr_label = "Scan me"', 'qr_label = "Scan to save the number"')
    plan = plan_build(workspace.root, workspace.out, languages=["en"], layouts=["leaflet-a5"])
    html = Builder.for_plan(plan).lay_out(plan.jobs[0])
    source = html.laid_out.document.pages[0]  # laid out: the join reached the page
    text = "".join(_texts(source._page_box))
    assert f"districts{NBSP}now." in text
    assert f"for{NBSP}justice" in text  # the subheadline
    assert f"the{NBSP}number" in text  # the QR code's label, read beside the code


def _texts(box):
    if hasattr(box, "text"):
        yield box.text
    for child in getattr(box, "children", None) or []:
        yield from _texts(child)


def test_a_headline_lets_go_of_its_last_word_only_where_it_was_kept():
    from leafpress.lines import release_last_word, release_last_words_in

    for text in ("ידיים מהבתים שלנו", "one two\nthree four five", "raise it to 5\u00a0000"):
        assert release_last_word(keep_last_word(text)) == text
    # A phone number's own no-break spaces are not the kept last word's.
    phone = "Call us on +7\u00a0727\u00a0271\u00a06557"
    assert release_last_word(phone) == phone
    html = '<h1 class="headline big">a b\u00a0c<br>d e\u00a0f</h1><p class="lead">x y\u00a0z</p>'
    assert release_last_words_in(html, ".headline") == (
        '<h1 class="headline big">a b c<br>d e f</h1><p class="lead">x y\u00a0z</p>'
    )


def test_a_japanese_headline_keeps_its_last_characters_together():
    # Broken between any two characters, "な！" stood alone on the poster's third line.
    kept = keep_last_word("私たちの家に手を出すな！")
    assert kept == f"私たちの家に手を出{WORD_JOINER}す{WORD_JOINER}な！"
    assert keep_last_word("停止強制拆遷。") == "停止強制拆遷。"  # too short to balance

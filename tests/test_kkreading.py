"""Hand-typed Kazakh Latin read back into Cyrillic letters: which pairs are one letter."""

from __future__ import annotations

import pytest

from leafpress import kklexicon, transliterate
from leafpress.hyphenation import hand_written_breaks, hyphenate
from leafpress.kkreading import read_latin


@pytest.fixture(autouse=True)
def typed_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every word here is typed in Latin letters: one that another test in this process spelled
    from Cyrillic (the stress corpus makes words up) would break where its source does."""
    monkeypatch.setattr(transliterate, "_SPELLED_FROM", {})


def cyrillic(word: str) -> list[str]:
    # The rules alone: tests/test_kklexicon.py has the dictionaries' part.
    readings = read_latin(word, dictionaries=False)
    assert readings is not None
    return [letters for letters, _ in readings]


@pytest.mark.parametrize(
    ("latin", "expected"),
    [
        # т+с, т+ш, ш+ш where a Kazakh suffix begins: the conditional, the imperative, the
        # privative, -шы/-ші, -шыл.
        ("qaitsañyz", "қайтсаңыз"),
        ("bekıtsın", "бекітсін"),
        ("ūmytsañ", "ұмытсаң"),
        ("qūrmetsızdık", "құрметсіздік"),
        ("jūrtşylyq", "жұртшылық"),
        ("kütşı", "күтші"),
        ("ışşı", "ішші"),
    ],
)
def test_a_pair_where_a_kazakh_suffix_begins_is_two_letters(latin, expected):
    assert cyrillic(latin) == [expected]


@pytest.mark.parametrize(
    ("latin", "expected"),
    [
        ("kontsertte", "концертте"),
        ("motsart", "моцарт"),
        # -са after и is no Kazakh verb: Russian -ица.
        ("tablitsa", "таблица"),
        ("pitstsa", "пицца"),
        ("kamtşatka", "камчатка"),
        ("tşempion", "чемпион"),
        ("roşşin", "рощин"),
        # The native roots spelled with щ.
        ("aşşy", "ащы"),
        ("tūşşylyq", "тұщылық"),
    ],
)
def test_a_pair_anywhere_else_is_one_letter(latin, expected):
    assert cyrillic(latin) == [expected]


@pytest.mark.parametrize(
    ("latin", "expected"),
    [
        # After a vowel or at a word's start: я, ё, ю.
        ("saiahat", "саяхат"),
        ("iakov", "яков"),
        ("qoiu", "қою"),
        # After a consonant, и and a vowel only where Russian spelling cannot have я, ё, ю.
        ("regiondar", "региондар"),
        ("materialdar", "материалдар"),
        ("sotsialdyq", "социалдық"),
        ("radius", "радиус"),
        ("variatsiia", "вариация"),
        # Elsewhere the pair stays one letter.
        ("aktior", "актёр"),
        ("kostium", "костюм"),
        ("infliatsiia", "инфляция"),
        ("lialia", "ляля"),
        ("semion", "семён"),
    ],
)
def test_a_vowel_pair_is_two_letters_only_where_russian_has_no_one_letter_for_it(latin, expected):
    assert cyrillic(latin) == [expected]


def test_where_either_reading_is_kazakh_no_break_only_one_allows_is_made(monkeypatch):
    # ә-дет-ше (-ше of manner) and a Russian -че: neither break is safe for the other. (With
    # the dictionaries, the stem әдет decides: tests/test_kklexicon.py.)
    assert sorted(cyrillic("ädetşe")) == ["әдетше", "әдече"]
    monkeypatch.setattr(kklexicon, "DICTIONARIES", ())
    kklexicon._index.cache_clear()
    try:
        assert hyphenate("ädetşe", "kk-Latn") == ["ädetşe"]
        assert hyphenate("ädetşeler", "kk-Latn")[-1] == "ler"
    finally:
        monkeypatch.undo()
        kklexicon._index.cache_clear()


def test_a_vowel_pair_that_may_be_one_letter_is_never_broken():
    # Татьяна is spelled as a тиара would be; the break between i and a is not made.
    assert hyphenate("Tatiana", "kk-Latn") == ["Ta", "tia", "na"]
    assert hyphenate("Diatlovtyñ", "kk-Latn") == ["Diat", "lov", "tyñ"]


def test_a_loan_prefix_before_a_dropped_hard_sign_ends_its_syllable():
    assert cyrillic("subektılerı") == ["субъектілері"]
    assert hyphenate("subektılerı", "kk-Latn") == ["sub", "ek", "tı", "le", "rı"]


def test_capitals_are_read_as_kazakh_latin_capitals():
    # I is the capital of ı, İ of i: lower-cased by str.lower() they would shift the breaks.
    assert hand_written_breaks("İNFLİATSİİA") == hand_written_breaks("infliatsiia") == {3, 6, 9}


def test_a_letter_outside_the_alphabet_leaves_the_word_to_the_patterns():
    assert read_latin("kafé") is None
    assert hyphenate("kafélerde", "kk-Latn")  # the Latin patterns still answer

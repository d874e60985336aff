"""Typographic conventions per language: quotation marks, no-break spaces, phones, numbers."""

from __future__ import annotations

import pytest

from leafpress.errors import ContentError
from leafpress.typography import apply_conventions, format_number, format_phone

NB = "\u00a0"  # no-break space
NNB = "\u202f"  # narrow no-break space
NBH = "\u2011"  # non-breaking hyphen
LANGS = ["kk", "kk-Latn", "ru", "en"]


# --- quotation marks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("kk", 'Ол "Бірлік" деді.', "Ол «Бірлік» деді."),
        ("kk-Latn", 'Ol "Bırlık" dedı.', "Ol «Bırlık» dedı."),
        ("ru", 'Он сказал "нет".', "Он сказал «нет»."),
        ("en", 'She said "no".', "She said “no”."),
        ("kk", "Ол 'Бірлік' деді.", "Ол «Бірлік» деді."),
        ("en", "She said 'no'.", "She said “no”."),
    ],
)
def test_straight_quotes_become_the_languages_quotes(lang, text, expected):
    assert apply_conventions(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("kk", '"Біз "Шаңырақ" үшін" деді.', "«Біз „Шаңырақ“ үшін» деді."),
        ("kk-Latn", '"Bız "Şañyraq" üşın" dedı.', "«Bız „Şañyraq“ üşın» dedı."),
        ("ru", '"Мы за "Шанырак"!" — сказали они.', f"«Мы за „Шанырак“!»{NB}— сказали они."),
        ("en", "\"We stand for 'Shanyrak',\" she said.", "“We stand for ‘Shanyrak’,” she said."),
        ("en", 'He said "she said "no" twice".', "He said “she said ‘no’ twice”."),
    ],
)
def test_nested_quotes_take_the_inner_pair(lang, text, expected):
    assert apply_conventions(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("kk", '«Біз "Шаңырақ" үшін»', "«Біз „Шаңырақ“ үшін»"),
        ("kk-Latn", '«Bız "Şañyraq" üşın»', "«Bız „Şañyraq“ üşın»"),
        ("ru", '«Мы за "Шанырак"»', "«Мы за „Шанырак“»"),
        ("en", '“We stand for "Shanyrak"”', "“We stand for ‘Shanyrak’”"),
    ],
)
def test_straight_quotes_inside_typographic_ones_are_nested(lang, text, expected):
    assert apply_conventions(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("kk", "«жаппай тәртіпсіздікті ұйымдастырды» деген айып"),
        ("kk-Latn", "«Bırlık» pen „Şañyraq“"),
        ("ru", "в «организации „массовых“ беспорядков»"),
        ("en", "charged with “organising ‘mass’ disorder”"),
        ("en", "an English “quote” in a Kazakh text is the author's choice".replace("'", "’")),
    ],
)
def test_typographic_quotes_already_there_are_left_alone(lang, text):
    assert apply_conventions(text, lang) == text


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Almaty's residents' homes don't wait.", "Almaty’s residents’ homes don’t wait."),
        ("en", "Back in the '90s, rock 'n roll.", "Back in the ’90s, rock ’n roll."),
        ("ru", "д'Артаньян и О'Коннор", "д’Артаньян и О’Коннор"),
        ("kk-Latn", "Qazaqstan Respy'blikasy", "Qazaqstan Respy’blikasy"),
    ],
)
def test_apostrophes_become_typographic(lang, text, expected):
    assert apply_conventions(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "runs", "expected"),
    [
        ("en", ['She said "', "no", '" twice.'], ["She said “", "no", "” twice."]),
        ("kk", ['Ол "', "жоқ", '" деді.'], ["Ол «", "жоқ", "» деді."]),
    ],
)
def test_quotes_split_across_markdown_runs_still_open_and_close(lang, runs, expected):
    # The engine calls apply_conventions on each text run, so `"**no**"` arrives in pieces.
    assert [apply_conventions(run, lang) for run in runs] == expected


@pytest.mark.parametrize(("lang", "opening", "closing"), [("ru", "«", "»"), ("en", "“", "”")])
def test_a_quote_alone_in_its_run_turns_by_the_runs_beside_it(lang, opening, closing):
    # `"**Нет**"`: three runs, the quotes alone in theirs.
    assert apply_conventions('"', lang, after="Нет") == opening
    assert apply_conventions('"', lang, before="Нет") == closing
    assert apply_conventions('"', lang, before="сказал ", after="Нет") == opening
    # With nothing around it, neither guess is safe: it stays as written.
    assert apply_conventions('"', lang) == '"'


def test_a_double_prime_after_a_number_is_not_a_quote():
    assert apply_conventions('a 5" screen', "en") == 'a 5" screen'


# --- no-break spaces -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "kk",
            "15 %, 3 км, 5 000 тг, 200 ₸, 2024 ж., 10 мың адам",
            f"15{NB}%, 3{NB}км, 5{NB}000{NB}тг, 200{NB}₸, 2024{NB}ж., 10{NB}мың адам",
        ),
        ("kk", "14 шілдеде 150 адам, 2024 жылы", f"14{NB}шілдеде 150{NB}адам, 2024{NB}жылы"),
        (
            "kk-Latn",
            "15 %, 3 km, 2024 jyly, 14 şıldede",
            f"15{NB}%, 3{NB}km, 2024{NB}jyly, 14{NB}şıldede",
        ),
        (
            "ru",
            "5 км, 10 тыс. руб., 15 %, 14 июля",
            f"5{NB}км, 10{NB}тыс. руб., 15{NB}%, 14{NB}июля",
        ),
        (
            "en",
            "5 km, 10 %, 3 kg, on 14 July, on July 14",
            f"5{NB}km, 10{NB}%, 3{NB}kg, on 14{NB}July, on July{NB}14",
        ),
        # English joins units, not any short word after a number.
        ("en", "around 150 people, 2 of them", "around 150 people, 2 of them"),
    ],
)
def test_a_number_and_its_unit_never_part(lang, text, expected):
    assert apply_conventions(text, lang) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_no_break_space_after_the_numero_sign(lang):
    assert apply_conventions("№ 5 учаске", lang).startswith(f"№{NB}5")
    assert apply_conventions("№5", lang) == "№5"


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("kk", "Біз — бірге. Шаңырақ – біздің үй", f"Біз{NB}— бірге. Шаңырақ{NB}– біздің үй"),
        ("kk-Latn", "Bız — bırge", f"Bız{NB}— bırge"),
        ("ru", "Мы — вместе", f"Мы{NB}— вместе"),
        ("en", "Almaty – the city – and its edge", f"Almaty{NB}– the city{NB}– and its edge"),
        ("ru", "в 1990—2000 годах", f"в 1990—2000{NB}годах"),
        ("kk", "— Иә, — деді ол.", f"— Иә,{NB}— деді ол."),
    ],
)
def test_a_dash_after_a_space_never_starts_a_line(lang, text, expected):
    assert apply_conventions(text, lang) == expected


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A line may end after the area code, never inside the code or the local number: kept
        # whole, a long number leaves gaps too wide in a narrow justified column.
        ("+7 327 271 6557", f"+7{NB}327 271{NB}6557"),
        ("8 (727) 271-65-57", f"8{NB}(727) 271{NBH}65{NBH}57"),
        ("+7 (701) 123-45-67", f"+7{NB}(701) 123{NBH}45{NBH}67"),
        ("+7-727-271-65-57", f"+7{NBH}727-271{NBH}65{NBH}57"),
        ("тел. 271-65-57", f"тел. 271{NBH}65{NBH}57"),
    ],
)
def test_phone_numbers_break_only_between_the_area_code_and_the_number(lang, text, expected):
    assert apply_conventions(f"Call {text}, now", lang) == f"Call {expected}, now"


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("kk", "12 адам келді", f"12{NB}адам келді"),
        ("kk", "3 000 отбасы қалды", f"3{NB}000{NB}отбасы қалды"),
        ("kk", "(17 тұрғын) және «5 бала»", f"(17{NB}тұрғын) және «5{NB}бала»"),
        ("kk", "2,5 мың шаршы метр", f"2,5{NB}мың шаршы метр"),
        ("kk-Latn", "12 adam, 3 000 otbasy", f"12{NB}adam, 3{NB}000{NB}otbasy"),
        ("ru", "17 человек и 3 000 семей", f"17{NB}человек и 3{NB}000{NB}семей"),
        # English keeps its own rule: units only.
        ("en", "17 people and 3 families", "17 people and 3 families"),
        # The end of a sentence, and the tail of a phone number, are not counting anything.
        ("kk", "Олар 2006. Келесі жыл", "Олар 2006. Келесі жыл"),
    ],
)
def test_a_number_stays_with_the_word_it_counts(lang, text, expected):
    assert apply_conventions(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("kk", "ХХІ ғасыр", f"ХХІ{NB}ғасыр"),
        ("kk", "XIX ғасырдың ІІ жартысы", f"XIX{NB}ғасырдың ІІ{NB}жартысы"),
        ("kk-Latn", "XXI ğasyr", f"XXI{NB}ğasyr"),
        ("ru", "XXI век", f"XXI{NB}век"),
        # A capitalised word or an initial is not a numeral.
        ("kk", "Х. Досмұхамедұлы, ХАЛЫҚ үні", "Х. Досмұхамедұлы, ХАЛЫҚ үні"),
    ],
)
def test_a_roman_numeral_stays_with_the_word_after_it(lang, text, expected):
    assert apply_conventions(text, lang) == expected


def test_a_number_grouped_in_thousands_is_not_a_phone():
    assert apply_conventions("8 000 000 теңге", "kk") == f"8{NB}000{NB}000{NB}теңге"
    assert apply_conventions("8 000 000 dollars", "en") == "8 000 000 dollars"


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("kk", "150-ге жуық адам", f"150{NBH}ге жуық адам"),
        ("kk-Latn", "2024-jyly", f"2024{NBH}jyly"),
        ("ru", "в 1990-х годах", f"в 1990{NBH}х годах"),
        ("en", "a 5-year plan", "a 5-year plan"),
    ],
)
def test_an_ending_joined_to_digits_stays_with_them(lang, text, expected):
    assert apply_conventions(text, lang) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_urls_and_email_addresses_are_not_touched(lang):
    text = "https://example.org/a-b?q='x'&n=5 info@example.org, www.example.org/x-5_y"
    assert apply_conventions(text, lang) == text


@pytest.mark.parametrize("lang", LANGS)
def test_applying_twice_changes_nothing_more(lang):
    text = (
        'Ол "жаппай" деді — 8 (727) 271-65-57, +7 327 271 6557, № 5, 150-ге, 15 %, '
        "5 000 тг, it's 'fine', 14 July"
    )
    once = apply_conventions(text, lang)
    assert apply_conventions(once, lang) == once


def test_a_language_without_conventions_keeps_its_quotes_but_gets_the_safe_rules():
    text = 'Er sagte "nein" — +7 327 271 6557, № 5, 15 %'
    assert apply_conventions(text, "de") == (
        f'Er sagte "nein"{NB}— +7{NB}327 271{NB}6557, №{NB}5, 15{NB}%'
    )


@pytest.mark.parametrize("lang", ["", "kazakh", "kk-", "12", None])
def test_a_malformed_language_code_is_a_content_error(lang):
    with pytest.raises(ContentError, match="language code"):
        apply_conventions("text", lang)


def test_empty_text_stays_empty():
    assert apply_conventions("", "kk") == ""


# --- format_phone and format_number ----------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("+7 727 271 6557", f"+7{NB}727{NB}271{NB}6557"),
        ("8 (727) 271-65-57", f"8{NB}(727){NB}271{NBH}65{NBH}57"),
        ("  +7  727\t271 6557 ", f"+7{NB}727{NB}271{NB}6557"),
        ("102", "102"),
        ("", ""),
        (f"+7{NB}727", f"+7{NB}727"),
    ],
)
def test_format_phone_makes_a_number_unbreakable(number, expected):
    assert format_phone(number) == expected


@pytest.mark.parametrize("number", ["call us", "+7 727 CALL", "12", "7+7"])
def test_format_phone_rejects_what_is_not_a_phone(number):
    with pytest.raises(ContentError, match="not a telephone number"):
        format_phone(number)


@pytest.mark.parametrize(
    ("n", "lang", "expected"),
    [
        (1234567, "kk", f"1{NNB}234{NNB}567"),
        (1234567, "kk-Latn", f"1{NNB}234{NNB}567"),
        (1234567, "ru", f"1{NNB}234{NNB}567"),
        (1234567, "en", "1,234,567"),
        (1234567, "en-GB", "1,234,567"),
        (15000, "kk", f"15{NNB}000"),
        (999, "kk", "999"),
        (0, "en", "0"),
        (-1234, "ru", f"−1{NNB}234"),
        (-1234, "en", "−1,234"),
        (1234567, "fr", f"1{NNB}234{NNB}567"),
        (1234567, "de", "1.234.567"),
    ],
)
def test_format_number_groups_thousands_per_language(n, lang, expected):
    assert format_number(n, lang) == expected


@pytest.mark.parametrize("n", [True, 3.5, "1000", None])
def test_format_number_needs_a_whole_number(n):
    with pytest.raises(ContentError, match="whole number"):
        format_number(n, "kk")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("kk", "2006\u00a0жылғы 14\u00a0шілде"),
        ("kk-Latn", "2006\u00a0jylğy 14\u00a0şılde"),
        ("ru", "14\u00a0июля 2006\u00a0г."),
        ("en", "14\u00a0July 2006"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(lang: str, expected: str):
    from leafpress.typography import format_date

    assert format_date("2006-07-14", lang) == expected


def test_a_date_that_is_not_iso_is_an_error():
    from leafpress.typography import format_date

    with pytest.raises(ContentError, match="YYYY-MM-DD"):
        format_date("14.07.2006", "ru")


@pytest.mark.parametrize(
    ("lang", "expected"), [("kk", "№\u00a03"), ("ru", "№\u00a03"), ("en", "No.\u00a03")]
)
def test_number_sign_per_language(lang: str, expected: str):
    from leafpress.typography import format_numbered

    assert format_numbered(3, lang) == expected

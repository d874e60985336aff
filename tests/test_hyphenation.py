"""Kazakh hyphenation: our patterns against hand-marked syllables, through pyphen and WeasyPrint."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pypdf
import pyphen
import pytest

from leafpress.errors import ContentError
from leafpress.hyphenation import DICTIONARY_PATHS, MIN_LEFT, MIN_RIGHT, hyphenate, register
from leafpress.transliterate import kk_cyrillic_to_latin

REPO = Path(__file__).resolve().parent.parent
SYLLABLES = Path(__file__).parent / "data" / "kk_syllables.txt"
GENERATOR = REPO / "scripts" / "make_kk_hyphenation.py"
PT_SANS = Path("/usr/share/fonts/truetype/paratype/PTS55F.ttf")
REQUIRED_AGREEMENT = 0.95


def hand_syllables() -> list[list[str]]:
    """The hand-built list, each word as its syllables."""
    words = []
    for line in SYLLABLES.read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line.split("-"))
    return words


def latin_syllables() -> list[list[str]]:
    # Syllable by syllable, so the hand-marked breaks carry over to the Latin spelling.
    return [[kk_cyrillic_to_latin(s) for s in word] for word in hand_syllables()]


def hand_breaks(syllables: list[str]) -> set[int]:
    """Break positions that respect the 2-letter minimum on each side."""
    word = "".join(syllables)
    positions, at = set(), 0
    for syllable in syllables[:-1]:
        at += len(syllable)
        positions.add(at)
    return {p for p in positions if MIN_LEFT <= p <= len(word) - MIN_RIGHT}


@dataclass
class Agreement:
    expected: int = 0
    found: int = 0
    matched: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.expected

    @property
    def precision(self) -> float:
        return self.matched / self.found

    def __str__(self) -> str:
        return (
            f"{self.matched} of {self.expected} hand breaks found ({self.recall:.1%}), "
            f"{self.matched} of {self.found} pattern breaks right ({self.precision:.1%}); "
            f"missed: {self.missed}; not in the hand list: {self.extra}"
        )


def measure(words: list[list[str]], lang: str) -> Agreement:
    dictionary = pyphen.Pyphen(lang=lang, left=MIN_LEFT, right=MIN_RIGHT)
    result = Agreement()
    for syllables in words:
        word = "".join(syllables)
        expected = hand_breaks(syllables)
        found = set(dictionary.positions(word))
        result.expected += len(expected)
        result.found += len(found)
        result.matched += len(expected & found)
        if expected - found:
            result.missed.append("-".join(syllables))
        if found - expected:
            result.extra.append(dictionary.inserted(word))
    return result


def test_hand_list_covers_kazakh_letters_loanwords_and_suffix_chains():
    words = ["".join(s) for s in hand_syllables()]
    assert len(words) >= 220
    assert len(set(words)) == len(words), "a word is listed twice"
    text = "".join(words).lower()
    for letter in "әғқңөұүһі":
        assert letter in text, letter
    for word in (
        "министр",
        "конституция",
        "структура",
        "прокурор",
        "республика",
        "Республикасының",
        "тұрғындарымыздың",
        "үйлеріміздің",
        "заңдастырылсын",
    ):
        assert word in words, word


def test_kk_patterns_agree_with_hand_syllables():
    result = measure(hand_syllables(), "kk")
    assert result.recall >= REQUIRED_AGREEMENT, str(result)
    assert result.precision >= REQUIRED_AGREEMENT, str(result)


def test_kk_latn_patterns_agree_with_transliterated_hand_syllables():
    result = measure(latin_syllables(), "kk-Latn")
    assert result.recall >= REQUIRED_AGREEMENT, str(result)
    assert result.precision >= REQUIRED_AGREEMENT, str(result)


# The examples the orthography's hyphenation rules give, each as a break the rule allows and one
# it forbids (None: the word is not hyphenated at all).
RULE_EXAMPLES = [
    ("ала-қан", "а-лақан"),
    ("ор-на-лас-ты-ру", None),
    ("еле-уіш", "е-леуіш"),
    ("ар-мия", "арми-я"),
    ("ою-лы", "о-юлы"),
    ("да-уыс", "дау-ыс"),
    ("са-уат", "сау-ат"),
    ("да-йындық", "дай-ындық"),
    ("құ-йын", "құй-ын"),
    ("бу-ын", None),
    ("су-ық", None),
    ("қи-ын", None),
    ("ти-ын", None),
    ("жи-ын", None),
    ("ки-ім", None),
    ("қи-ық", None),
    ("қу-ақы", None),
    ("ту-ынды", None),
    ("құмырс-қа", "құмыр-сқа"),
    ("күңгірт-теу", "күңгір-ттеу"),
    ("жаңғырт-ты", "жаңғы-ртты"),
    ("ро-лінде", "рол-інде"),
    ("съез-дің", "съезд-ің"),
    ("про-ект", None),
    ("ро-яль", None),
    ("по-эма", None),
    ("төрт", "тө-рт"),
    ("жалт", "жа-лт"),
    ("пункт", "пун-кт"),
    ("взвод", "вз-вод"),
    ("атом", "а-том"),
    ("ақыр", "а-қыр"),
    ("ақыл", "а-қыл"),
    ("отын", "о-тын"),
    ("отыр", "о-тыр"),
    ("эмаль", "э-маль"),
]


@pytest.mark.parametrize(("allowed", "forbidden"), RULE_EXAMPLES)
def test_examples_given_by_the_orthography_rules(allowed, forbidden):
    word = allowed.replace("-", "")
    parts = hyphenate(word, "kk")
    positions = {len("".join(parts[:i])) for i in range(1, len(parts))}
    if "-" in allowed:
        assert allowed.index("-") in positions, parts
    else:
        assert parts == [word]
    if forbidden:
        assert forbidden.index("-") not in positions, parts


@pytest.mark.parametrize("lang", ["kk", "kk-Latn"])
def test_no_break_leaves_fewer_than_two_letters(lang):
    words = hand_syllables() if lang == "kk" else latin_syllables()
    # Even when a caller lowers pyphen's minimums to 1, the patterns themselves never strand a
    # single letter (ала-қан, ар-мия), and hyphenate() never returns a one-letter edge.
    loose = pyphen.Pyphen(lang=lang, left=1, right=1)
    for syllables in words:
        word = "".join(syllables)
        for position in loose.positions(word):
            assert MIN_LEFT <= position <= len(word) - MIN_RIGHT, loose.inserted(word)
        parts = hyphenate(word, lang)
        assert "".join(parts) == word
        if len(parts) > 1:
            assert len(parts[0]) >= MIN_LEFT and len(parts[-1]) >= MIN_RIGHT, parts


@pytest.mark.parametrize("lang", ["kk", "kk-Latn"])
@pytest.mark.parametrize(
    "token",
    [
        "2024",
        "1234567890",
        "271-65-57",
        "150-ге",
        "2024жылы",
        "https://akorda.kz/kk",
        "www.gov.kz",
        "ақпарат@сайлау.қаз",
        "info@example.org",
        "3,14159",
    ],
)
def test_numbers_and_urls_are_never_split(token, lang):
    assert hyphenate(token, lang) == [token]


@pytest.mark.parametrize("lang", ["kk", "kk-Latn"])
def test_patterns_have_no_break_inside_digits(lang):
    loose = pyphen.Pyphen(lang=lang, left=1, right=1)
    for digits in ("2024", "14", "87272716557", "1000000"):
        assert loose.positions(digits) == []


def test_kk_latn_resolves_to_the_latin_file_not_to_kk():
    register()
    assert pyphen.language_fallback("kk-Latn") == "kk_Latn"
    assert pyphen.language_fallback("kk-Latn-KZ") == "kk_Latn"
    assert pyphen.language_fallback("kk_latn") == "kk_Latn"
    assert pyphen.LANGUAGES["kk_Latn"] == DICTIONARY_PATHS["kk_Latn"]
    for cyrillic in ("kk", "kk-KZ", "kk-Cyrl", "kk-Cyrl-KZ"):
        assert pyphen.language_fallback(cyrillic) == "kk"
    assert pyphen.LANGUAGES["kk"] == DICTIONARY_PATHS["kk"]
    # WeasyPrint builds its dictionaries this way; it must get ours, with our lower-casing.
    assert hyphenate("Qazaqstan", "kk-Latn") == ["Qa", "zaqs", "tan"]
    assert hyphenate("Қазақстан", "kk") == ["Қа", "зақс", "тан"]


def test_register_is_idempotent():
    register()
    before = {name: pyphen.hdcache[path] for name, path in DICTIONARY_PATHS.items()}
    register()
    register()
    assert {name: pyphen.hdcache[path] for name, path in DICTIONARY_PATHS.items()} == before
    assert all(path.is_file() for path in DICTIONARY_PATHS.values())


@pytest.mark.parametrize(
    ("word", "lang", "parts"),
    [
        ("талаптарымыз", "kk", ["та", "лап", "та", "ры", "мыз"]),
        ("ТҰРҒЫНДАРЫМЫЗДЫҢ", "kk", ["ТҰР", "ҒЫН", "ДА", "РЫ", "МЫЗ", "ДЫҢ"]),
        ("ата", "kk", ["ата"]),
        ("армия", "kk", ["ар", "мия"]),
        # İ lower-cases to two characters in Python; the breaks must not drift by one.
        ("İnstitut", "kk-Latn", ["İns", "ti", "tut"]),
        ("İNSTİTUT", "kk-Latn", ["İNS", "Tİ", "TUT"]),
        ("ISKERLIK", "kk-Latn", ["IS", "KER", "LIK"]),
        # Kazakh typed with the Latin i for і still hyphenates.
        ("бiлiмдi", "kk", ["бi", "лiм", "дi"]),
        ("ҚазҰУ", "kk", ["ҚазҰУ"]),
    ],
)
def test_hyphenate_cuts_at_syllables_and_keeps_the_case(word, lang, parts):
    assert hyphenate(word, lang) == parts


def test_unknown_language_is_a_content_error():
    with pytest.raises(ContentError, match="no hyphenation dictionary"):
        hyphenate("сөз", "xx")


def test_dictionaries_regenerate_byte_identical(tmp_path):
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)], check=True, capture_output=True
    )
    for path in DICTIONARY_PATHS.values():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
    check = subprocess.run([sys.executable, str(GENERATOR), "--check"], capture_output=True)
    assert check.returncode == 0, check.stderr


def test_dictionary_files_are_in_pyphen_format():
    for path in DICTIONARY_PATHS.values():
        lines = path.read_text("utf-8").splitlines()
        assert lines[0] == "UTF-8"
        assert "LEFTHYPHENMIN 2" in lines[:3] and "RIGHTHYPHENMIN 2" in lines[:3]
        patterns = [line for line in lines[1:] if not line.startswith(("%", "LEFT", "RIGHT"))]
        assert patterns == sorted(patterns)
        assert all(re.fullmatch(r"\.?(?:\d?\D)+\d?\.?", p) for p in patterns)


# --- WeasyPrint ------------------------------------------------------------------------------

SENTENCE = (
    "Қазақстан Республикасының азаматтары тұрғындарымыздың құқықтарын қорғау үшін "
    "мемлекеттік бағдарламаларды талқылап, әлеуметтік жауапкершілікті арттыруды талап етеді."
)


def render_column(text: str, lang: str) -> str:
    """The text of a 30 mm justified, hyphenated column, as pypdf reads it from the PDF."""
    from weasyprint import HTML

    html = f"""<!doctype html><html lang="{lang}"><head><style>
      @font-face {{ font-family: "PT Sans"; src: url("{PT_SANS.as_uri()}"); }}
      @page {{ size: 60mm 150mm; margin: 5mm; }}
      p {{ width: 30mm; hyphens: auto; text-align: justify; font: 10pt "PT Sans"; }}
    </style></head><body><p>{text}</p></body></html>"""
    pdf = HTML(string=html, base_url=str(REPO)).write_pdf()
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def hyphenated_line_ends(text: str) -> list[tuple[str, int]]:
    """Each word broken at a line end, with the number of letters left before the hyphen."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found = []
    for line, following in pairwise(lines):
        if line[-1] in "-‐":  # WeasyPrint's hyphenate-character is U+2010
            head = line.split()[-1][:-1]
            tail = re.sub(r"\W+$", "", following.split()[0])
            found.append((head + tail, len(head)))
    return found


@pytest.mark.skipif(not PT_SANS.is_file(), reason="PT Sans is not installed")
@pytest.mark.parametrize(
    ("lang", "text"), [("kk", SENTENCE), ("kk-Latn", kk_cyrillic_to_latin(SENTENCE))]
)
def test_weasyprint_hyphenates_a_narrow_kazakh_column_where_the_dictionary_allows(lang, text):
    breaks = hyphenated_line_ends(render_column(text, lang))
    assert breaks, "no line of the 30 mm column ends in a hyphen"
    for word, at in breaks:
        parts = hyphenate(word, lang)
        allowed = {len("".join(parts[:i])) for i in range(1, len(parts))}
        assert at in allowed, f"{word} broken after {at} letters; the dictionary allows {parts}"

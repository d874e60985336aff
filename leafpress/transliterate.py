"""Kazakh Cyrillic to the Kazakh Latin alphabet of 2021, leaving URLs, e-mail and digits alone."""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import ContentError

__all__ = ["KK_CYRILLIC_TO_LATIN_2021", "kk_cyrillic_to_latin", "spelled_from", "transliterate"]

#: The Kazakh Latin alphabet of 2021: the 31-letter version the Government of Kazakhstan presented
#: on 28 January 2021 (A Ä B D E F G Ğ H I İ J K L M N Ñ O Ö P Q R S Ş T U Ū Ü V Y Z), with the
#: guidance published with it for the Cyrillic letters it has no letter of its own for. See the
#: Prime Minister's announcement of 28 January 2021 and the 2021 column of Wikipedia's «Kazakh
#: alphabets», whose example text tests/test_transliterate.py checks against.
#: Keys are the 42 small letters of the Cyrillic alphabet; capitals are derived (_latin_upper).
KK_CYRILLIC_TO_LATIN_2021: dict[str, str] = {
    "а": "a",
    "ә": "ä",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "ğ",
    "д": "d",
    "е": "e",
    "ж": "j",
    "з": "z",
    "и": "i",  # и and й share the dotted İ i
    "й": "i",
    "к": "k",
    "қ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "ñ",
    "о": "o",
    "ө": "ö",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "ū",
    "ү": "ü",
    "ф": "f",
    "х": "h",  # х and һ share H h
    "һ": "h",
    "ш": "ş",
    "ы": "y",
    "і": "ı",  # і is the dotless I ı; the dotted İ i is и/й
    # Letters of Russian loanwords. The 2021 guidance gives a letter-for-sound spelling first
    # (ё → io, ю → iu, я → ia, ц → ts, ч → tş, щ → şş, э → e) and a respelling second
    # (актёр → aktör, цех → seh, чек → şek); respelling needs to know the word, so a
    # transliterator can only use the first. Ъ and ь have no sound of their own and are dropped.
    "ё": "io",
    "ю": "iu",
    "я": "ia",
    "ц": "ts",
    "ч": "tş",
    "щ": "şş",
    "э": "e",
    "ъ": "",
    "ь": "",
}

# Python's str.upper() turns i into a dotless I and str.lower() turns İ into i + U+0307; the
# Kazakh pairs are İ/i and I/ı, so case goes through this table instead.
_LATIN_UPPER = {"i": "İ", "ı": "I"}

# Text that must reach the page letter for letter: addresses a reader types or a phone opens.
_ADDRESS = re.compile(
    r"""
      (?:https?|ftp)://[^\s<>"«»“”„]+         # a URL with its scheme
    | www\.[^\s<>"«»“”„]+                      # or one without
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+             # an e-mail address, Cyrillic ones too
    | [\w-]+(?:\.[\w-]+)*\.(?:қаз|рф|kz|ru|kg|uz|ua|by|com|org|net|info|edu|gov|io)
      (?![\w])(?:/[^\s<>"«»“”„]*)?          # a domain, Cyrillic names under .kz too (сайт.kz)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'’"
# Kazakh joins a case ending to a URL with a hyphen (akorda.kz-те); that ending is Kazakh text.
_CASE_ENDING = re.compile(r"-[а-яёәғқңөұүһі]+$")

# ХХІ ғасыр: Roman numerals typed with the Cyrillic look-alikes Х and І are numbers, not words.
# A lone Х is left to be a letter: it is far more often an initial (Х. Досмұхамедұлы).
_CYRILLIC_NUMERAL = re.compile(r"(?<![^\W\d_])[ХІIVX]{2,}(?![^\W\d_])")
_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$")

# Kazakh typed on a Russian keyboard layout often has the Latin i (and I) for і: бiрлiк. In a
# word of Cyrillic letters it can only be і; a word with other Latin letters is left alone.
_CYRILLIC_WORD_WITH_LATIN_I = re.compile(r"[^\W\d_]*[iI][^\W\d_]*")
_OTHER_LATIN = re.compile(r"[A-HJ-Za-hj-z]")
_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

# Every Latin word this process has spelled from a Cyrillic one (lower-cased as Kazakh Latin
# lower-cases: İ → i, I → ı), with that Cyrillic word and its letters' Latin spellings. The Latin
# word no longer shows whether its ts was ц or т+с, nor its io ё or и+о; this record does, so the
# hyphenation can break it where the Cyrillic word breaks (leafpress/hyphenation.py).
_SPELLED_FROM: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
_LATIN_LOWER = str.maketrans({"İ": "i", "I": "ı"})

# A language's script when its code names none (CLDR likely subtags).
_SCRIPT_DEFAULT = {"kk": "Cyrl"}


def _latin_upper(text: str) -> str:
    return "".join(_LATIN_UPPER.get(ch, ch.upper()) for ch in text)


def _address_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _ADDRESS.finditer(text):
        address = match.group().rstrip(_TRAILING_PUNCTUATION)
        if ending := _CASE_ENDING.search(address):
            address = address[: ending.start()]
        if address:
            spans.append((match.start(), match.start() + len(address)))
    return spans


def _letter(text: str, i: int) -> str:
    ch = text[i]
    latin = KK_CYRILLIC_TO_LATIN_2021.get(ch.lower())
    if latin is None:
        return ch
    if not latin:
        # Ъ and ь have no sound, so no Latin letter; named on their own («Ъ әрпі») they stay.
        alone = (i == 0 or not text[i - 1].isalpha()) and (
            i + 1 == len(text) or not text[i + 1].isalpha()
        )
        return ch if alone else latin
    if not ch.isupper():
        return latin
    if len(latin) < 2:
        return _latin_upper(latin)
    # Ю → İu in «Юрий», IU in «ЮНЕСКО»: a word in capitals keeps its digraphs in capitals.
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prev = text[i - 1] if i > 0 else ""
    neighbour = nxt if nxt.isalpha() else prev
    if neighbour.isalpha() and neighbour.isupper():
        return _latin_upper(latin)
    return _latin_upper(latin[0]) + latin[1:]


def _numeral(match: re.Match[str]) -> str:
    token = match.group()
    latin = token.replace("Х", "X").replace("І", "I")
    if latin != token and _ROMAN.match(latin):
        return latin
    return token


def _latin_i_as_cyrillic(match: re.Match[str]) -> str:
    word = match.group()
    if _HAS_CYRILLIC.search(word) and not _OTHER_LATIN.search(word):
        return word.replace("i", "і").replace("I", "І")
    return word


def _run(text: str) -> str:
    text = _CYRILLIC_WORD_WITH_LATIN_I.sub(_latin_i_as_cyrillic, text)
    text = _CYRILLIC_NUMERAL.sub(_numeral, text)
    spellings = [_letter(text, i) for i in range(len(text))]
    for word in re.finditer(r"[^\W\d_]+", text):
        if _HAS_CYRILLIC.search(word.group()):
            letters = tuple(spellings[word.start() : word.end()])
            latin = "".join(letters).translate(_LATIN_LOWER).lower()
            _SPELLED_FROM.setdefault(latin, set()).add((word.group(), letters))
    return "".join(spellings)


def spelled_from(latin_word: str) -> frozenset[tuple[str, tuple[str, ...]]]:
    """The Cyrillic words this process has spelled as `latin_word`, each with the Latin spelling
    of each of its letters: spelled_from("politseiler") == {("полицейлер", ("p", "o", "l", "i",
    "ts", "e", "i", "l", "e", "r"))} once kk_cyrillic_to_latin has written it."""
    return frozenset(_SPELLED_FROM.get(latin_word.translate(_LATIN_LOWER).lower(), ()))


@lru_cache(maxsize=4096)
def kk_cyrillic_to_latin(text: str) -> str:
    """Kazakh Cyrillic text in the 2021 Latin alphabet; URLs, e-mail and non-Cyrillic kept.

    Kept per text: serve and check read the Kazakh file again after every save of any
    language, and the spellings it notes (spelled_from) are noted the first time."""
    out = []
    position = 0
    for start, end in _address_spans(text):
        out.append(_run(text[position:start]))
        out.append(text[start:end])
        position = end
    out.append(_run(text[position:]))
    return "".join(out)


_TRANSLITERATORS = {("kk-Cyrl", "kk-Latn"): kk_cyrillic_to_latin}


def _normalize(code: str, role: str) -> str:
    parts = code.replace("_", "-").split("-") if isinstance(code, str) else []
    if not parts or not re.fullmatch(r"[A-Za-z]{2,3}", parts[0]):
        raise ContentError(
            f"'{code}' is not a language code (BCP 47, e.g. 'kk' or 'kk-Latn')", key=role
        )
    language = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    return f"{language}-{script or _SCRIPT_DEFAULT.get(language, '')}".rstrip("-")


def transliterate(text: str, to: str, from_: str) -> str:
    """`text` in language `from_` rewritten in the script of `to` (BCP 47: 'kk' → 'kk-Latn')."""
    source = _normalize(from_, "from")
    target = _normalize(to, "to")
    if source == target:
        return text
    convert = _TRANSLITERATORS.get((source, target))
    if convert is None:
        pairs = ", ".join(f"{s} → {t}" for s, t in _TRANSLITERATORS)
        raise ContentError(
            f"cannot transliterate from '{from_}' to '{to}'; leafpress knows {pairs}"
        )
    return convert(text)

"""Kazakh hyphenation: leafpress's own kk and kk-Latn patterns, registered with pyphen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from itertools import accumulate, pairwise
from pathlib import Path
from types import MappingProxyType

import pyphen

from .errors import ContentError
from .kkreading import read_latin
from .transliterate import spelled_from

__all__ = [
    "DICTIONARY_PATHS",
    "MIN_LEFT",
    "MIN_RIGHT",
    "hand_written_breaks",
    "hyphenate",
    "register",
]

_DATA = Path(__file__).resolve().parent / "data"

#: pyphen language name → pattern file. Made by scripts/make_kk_hyphenation.py; never edit them.
DICTIONARY_PATHS: Mapping[str, Path] = MappingProxyType(
    {
        "kk": _DATA / "hyph_kk.dic",
        "kk_Latn": _DATA / "hyph_kk_Latn.dic",
    }
)

#: Kazakh orthography never leaves one letter at a line's end nor carries one to the next.
MIN_LEFT = 2
MIN_RIGHT = 2

# pyphen lower-cases a word with str.lower() and then cuts the original at the positions it
# found. In Latin Kazakh that goes wrong twice: "İ".lower() is two characters (i + U+0307), which
# shifts every later break by one, and "I" is the capital of ı, not of i. Cyrillic texts are
# often typed with the Latin I/i for і, which is the same letter to a reader.
_LOWER: Mapping[str, dict[int, str]] = {
    "kk": str.maketrans({"I": "і", "i": "і"}),
    "kk_Latn": str.maketrans({"İ": "i", "I": "ı"}),
}


_TWO_LETTER_VOWELS = "ёюя"


class _KazakhHyphDict(pyphen.HyphDict):
    """A pyphen pattern set that lower-cases letter for letter, so positions fit the word."""

    def __init__(self, path: Path, lower: dict[int, str], carries: bool = False) -> None:
        super().__init__(path)
        self._lower = lower
        self._carries = carries

    def positions(self, word: str) -> list[pyphen.DataInt]:
        word = word.translate(self._lower)
        # The Latin spelling cannot tell ц from т+с or ё from и+о, the Cyrillic word can: a Latin
        # word leafpress spelled from Cyrillic breaks where its source does, and one written in
        # Latin letters by hand where the Cyrillic word it reads as breaks (kkreading.py).
        if self._carries:
            if sources := spelled_from(word):
                breaks = frozenset.intersection(*(_carried(*source) for source in sources))
            elif (read := _as_read(word.lower(), word[:1].isupper())) is not None:
                breaks = read
            else:
                return super().positions(word)
            return [pyphen.DataInt(position) for position in sorted(breaks)]
        return super().positions(word)


class _PatternCache(dict):
    """pyphen's cache of pattern sets by path, which reads our Kazakh patterns the first time
    pyphen asks for them: parsing both files at import cost every build, an English one too."""

    def _load(self, path: object) -> None:
        if path in _NAME_OF and not isinstance(dict.get(self, path), _KazakhHyphDict):
            name = _NAME_OF[path]
            self[path] = _KazakhHyphDict(path, _LOWER[name], carries=name == "kk_Latn")

    def __contains__(self, path: object) -> bool:
        # pyphen.Pyphen asks `path not in hdcache` before it reads a file of its own.
        self._load(path)
        return dict.__contains__(self, path)

    def __getitem__(self, path: object) -> pyphen.HyphDict:
        self._load(path)
        return dict.__getitem__(self, path)

    def get(self, path: object, default: object = None) -> object:
        self._load(path)
        return dict.get(self, path, default)


_NAME_OF = {path: name for name, path in DICTIONARY_PATHS.items()}


def register() -> None:
    """Make pyphen, and so WeasyPrint, hyphenate lang="kk" and lang="kk-Latn" with our patterns.

    Safe to call any number of times. pyphen resolves a language by lower-casing it and dropping
    subtags from the right (kk-Latn-KZ → kk_latn → kk), so kk_Latn is registered under its own
    lower-case name and never falls back to the Cyrillic kk.
    """
    for name, path in DICTIONARY_PATHS.items():
        pyphen.LANGUAGES[name] = path
        pyphen.LANGUAGES_LOWERCASE[name.lower()] = name
    # pyphen.Pyphen (as WeasyPrint calls it) takes a pattern set from this cache by path; ours
    # are read when first asked for (_PatternCache), in place of any plain one put there.
    if not isinstance(pyphen.hdcache, _PatternCache):
        pyphen.hdcache = _PatternCache(pyphen.hdcache)


@cache
def _dictionary(name: str, left: int = MIN_LEFT, right: int = MIN_RIGHT) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=name, left=left, right=right)


def _breakable(word: str) -> bool:
    # Only words are hyphenated: digits, URLs, e-mail addresses and anything with a sign in it
    # stay whole. Mixed-case abbreviations (ҚазҰУ, ҚазМҰУ) are not split either.
    if len(word) < MIN_LEFT + MIN_RIGHT or not word.isalpha():
        return False
    return not any(a.islower() and b.isupper() for a, b in pairwise(word))


@cache
def _carried(cyrillic: str, spellings: Sequence[str]) -> frozenset[int]:
    """The breaks of the Cyrillic word `cyrillic`, in its Latin spelling.

    `spellings` holds the Latin spelling of each of its letters (ц → "ts", ъ → ""), so a break
    lands between two letters' spellings and never inside one: полицейлер → po-li-tsei-ler,
    субъект → sub-ekt. Two Cyrillic words spelled alike in Latin letters keep only the breaks
    both allow (positions() intersects them).
    """
    latin = "".join(spellings)
    # By the Latin word's length: қою is three letters, qo-iu four.
    if len(spellings) != len(cyrillic) or not _breakable(latin) or not cyrillic.isalpha():
        return frozenset()
    ends = list(accumulate(len(spelling) for spelling in spellings))
    # The Cyrillic patterns keep я, ю, ё from standing alone at a word's edge (ар-мия), but in
    # Latin letters they are two (ar-mi-ia): a consonant beside them lets the patterns say where
    # the syllable starts, as inside a word.
    before = "т" if cyrillic[0].lower() in _TWO_LETTER_VOWELS else ""
    after = "т" if cyrillic[-1].lower() in _TWO_LETTER_VOWELS else ""
    positions = _dictionary("kk", 1, 1).positions(before + cyrillic + after)
    return frozenset(
        ends[position - 1]
        for position in (p - len(before) for p in positions)
        if 0 < position < len(cyrillic) and 0 < ends[position - 1] < len(latin)
    )


def hand_written_breaks(word: str, dictionaries: bool = True) -> frozenset[int]:
    """Where a Kazakh Latin word typed by hand breaks, whether or not leafpress has spelled it
    from Cyrillic: read back into Cyrillic letters (leafpress/kkreading.py), never inside the
    spelling of one, and keeping 2 letters before and after each break. A word with a letter
    the alphabet lacks gets none. `dictionaries`: false to read by the rules alone."""
    lowered = word.translate(_LOWER["kk_Latn"]).lower()
    breaks = _as_read(lowered, word[:1].isupper(), dictionaries) if _breakable(word) else None
    return frozenset(p for p in breaks or () if MIN_LEFT <= p <= len(word) - MIN_RIGHT)


def _as_read(latin: str, name: bool = False, dictionaries: bool = True) -> frozenset[int] | None:
    """The breaks of a lower-case Latin word read back into Cyrillic; where a pair may be read
    either way, only the breaks both readings allow. None for a letter outside the alphabet.
    `name`: the word was capitalised, so it may be a name the dictionaries know."""
    readings = read_latin(latin, name=name, dictionaries=dictionaries)
    if not readings:
        return None
    return frozenset.intersection(*(_carried(*reading) for reading in readings))


def hyphenate(word: str, lang: str) -> list[str]:
    """`word` cut at its syllable breaks, keeping 2 letters before and after each one.

    hyphenate("талаптарымыз", "kk") == ["та", "лап", "та", "ры", "мыз"]; a number, URL or
    anything that is not a plain word comes back whole: hyphenate("2024", "kk") == ["2024"].
    """
    register()
    name = pyphen.language_fallback(lang) if isinstance(lang, str) and lang else None
    if name is None:
        known = ", ".join(sorted(n for n in pyphen.LANGUAGES if "_" not in n))
        raise ContentError(f"no hyphenation dictionary for language '{lang}'; there are: {known}")
    if not _breakable(word):
        return [word]
    parts, start = [], 0
    for position in _dictionary(name).positions(word):
        parts.append(word[start:position])
        start = position
    parts.append(word[start:])
    return parts


register()

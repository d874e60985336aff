"""Kazakh and Russian word stems from the system's Hunspell dictionaries, keyed by Latin spelling."""

# A Kazakh word typed in Latin letters by hand does not say whether its ts, tş, şş, io, ia, iu
# are one Cyrillic letter (ц ч щ ё я ю) or two (т+с, и+а...). kkreading.py decides by rules,
# and where they cannot tell it keeps the pair whole, missing a break (Ди-а-на, Ки-о-то). A word
# the dictionaries know is no longer a guess: Debian's hunspell-kk (Kazakh, with the loanwords
# Kazakh spells as Russian does) and hunspell-ru (Russian: the loanwords and the names) list the
# stems Kazakh text puts its suffixes on, and each stem, spelled in Latin letters, says which
# reading its letters have (Диана, Киото, миллиард, Татьяна, актёр, субъект).
#
# A stem counts for a word when its Latin spelling begins the word and only Kazakh suffixes
# follow it (Kiotoğa = Киото + ға, milliardtar = миллиард + тар, ketse = кет + се). The suffixes
# are the inflections and common derivations of Kazakh, in every harmony variant; the stems of
# the Kazakh verbs are the dictionary's infinitives (its verb flags) without their -у.
#
# Only stems that can decide something are kept: those with one of the pairs or a ъ in their
# spelling, and Kazakh stems ending in т or ш, whose suffix makes the pair two letters (кет-се,
# ұлт-шыл; these may be three letters long, others four). Where stems of different lengths fit,
# the longest decides (дача, not дат + -ша); where several of one length do, each gives a
# reading and the hyphenation keeps only the breaks all allow. A Russian word spelled like a
# Kazakh one is not kept; Russian verbs are not (Kazakh suffixes no Russian infinitive), and a
# name (a capitalised entry) counts only for a capitalised word.
#
# A word no stem fits is read by the rules, with the dictionaries' evidence on a vowel pair after
# a consonant, which the rules keep whole wherever Russian could spell it я, ё, ю: where the
# dictionary words that share its closest letters spell it as и and a vowel, at least three of
# them and none closer with я, ё, ю, it is two letters (гелиостанция, like гелиограф and
# гелиотроп; not Шрёдер, whose "^şrio" is Шрёдингер's). And with one check: a pair read as two
# letters which some dictionary word spells as one letter, with the same two letters either
# side, may be either (the rules' conditional in Vi-tşent-sa against инфлюэнца). The converse is not
# taken: measured with one dictionary's words against the other's, it split letters.
#
# The dictionaries are read once per process, the first time a hand-typed Latin word is
# hyphenated (about two seconds of CPU); without them leafpress reads by the rules alone.

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .transliterate import KK_CYRILLIC_TO_LATIN_2021

__all__ = [
    "DICTIONARIES",
    "Stem",
    "spelled_in_dictionaries",
    "stems_beginning",
    "vowel_pair_is_two_letters",
]

_HUNSPELL = Path("/usr/share/hunspell")
#: The Hunspell word lists read, in order: Kazakh (hunspell-kk) and Russian (hunspell-ru).
DICTIONARIES: Sequence[Path] = (_HUNSPELL / "kk_KZ.dic", _HUNSPELL / "ru_RU.dic")

# Spelled in Latin letters, a stem under this length decides too little to be trusted.
_SHORTEST_STEM = 4


@dataclass(frozen=True)
class Stem:
    """A dictionary stem: its Cyrillic letters and the Latin spelling of each (ъ, ь: "")."""

    cyrillic: str
    spellings: tuple[str, ...]


_LATIN = str.maketrans(KK_CYRILLIC_TO_LATIN_2021)
# Overlapping: in "tsia" both ts and ia are pairs.
_PAIR = re.compile("(?=ts|tş|şş|io|ia|iu)")
_KAZAKH_WORD = re.compile(r"[а-яёәғқңөұүһі]+")
# The verb flags of hunspell-kk's affix file: its verbs are listed in the infinitive (кету).
_VERB_FLAGS = frozenset("MmNnOoPpQqRrSsTtUuVvWwXxYyZz")
# Russian verbs, listed in the infinitive: Kazakh puts its suffixes on none (жечь is no jetşı).
_RUSSIAN_VERB = re.compile(r"(?:ть|ться|чь|чься|ти|тись)$")


def _latin(cyrillic: str) -> str:
    return cyrillic.translate(_LATIN)


# The Kazakh suffixes a noun, name or loanword takes, each with its harmony and assimilation
# variants, in the order Kazakh stacks them: derivations, the plural, a possessive with the case
# it allows after it (Dianasyna: -сы-на, the н-cases only after a possessive) or a case alone,
# then the particle -дағы / -ғы, after which the chain may begin again (Kiotodağylarğa).
_DERIVATION = """лық лік дық дік тық тік шы ші шыл шіл сыз сіз лы лі ды ді ты ті
    шылық шілік ша ше дай дей тай тей лас лес дас дес тас тес"""
_PLURAL = "лар лер дар дер тар тер"
_THIRD_PERSON = "ы і сы сі"
_CASE_AFTER_THIRD = "н на не нда нде нан нен ның нің мен ндағы ндегі"
_OTHER_PERSON = "ым ім м ың ің ң ыңыз іңіз ңыз ңіз мыз міз ымыз іміз"
_CASE_AFTER_OTHER = "а е ды ді ның нің да де дан ден мен ыз із"
_CASE = """ның нің дың дің тың тің ны ні ды ді ты ті ға ге қа ке да де та те
    дан ден тан тен нан нен мен бен пен менен бенен пенен ша ше"""
_PARTICLE = "дағы дегі тағы тегі ғы гі қы кі"
# After a verb's stem: so loose a list that kk_KZ's verbs serve only to show where a suffix
# begins after т or ш (кет-се, көш-ші), never to spell a pair.
_VERB_SUFFIXES = """са се сам сем саң сең сақ сек сын сін сыңдар сіңдер ма ме ба бе па пе
    ған ген қан кен атын етін йтын йтін ар ер р ады еді йды йді ды ді ты ті ып іп п у уы
    уі ушы уші мақ мек пақ пек бақ бек мын мін сың сің ңдар ңдер шы ші м ң ңыз ңіз қ к
    ымыз іміз мыз міз лар лер дар дер тар тер ның нің ға ге да де дан ден"""


def _either(suffixes: str) -> str:
    latin = sorted({_latin(s) for s in suffixes.split()}, key=lambda s: (-len(s), s))
    return f"(?:{'|'.join(latin)})"


_NOUN_SUFFIXES = re.compile(
    f"(?:{_either(_DERIVATION)}{{0,2}}{_either(_PLURAL)}?"
    f"(?:{_either(_THIRD_PERSON)}{_either(_CASE_AFTER_THIRD)}?"
    f"|{_either(_OTHER_PERSON)}{_either(_CASE_AFTER_OTHER)}?|{_either(_CASE)})?"
    f"{_either(_PARTICLE)}?){{0,2}}"
)
_VERB_SUFFIX_CHAIN = re.compile(f"{_either(_VERB_SUFFIXES)}{{0,4}}")


@dataclass(frozen=True)
class _Lexicon:
    # Latin spelling → (Cyrillic stem, is a name, is a verb).
    stems: Mapping[str, tuple[tuple[str, bool, bool], ...]]
    # A pair with two letters on each side (^ and $ past the word's edges), as dictionary words
    # spell it: with one Cyrillic letter, and with two.
    one_letter: frozenset[str]
    two_letters: frozenset[str]
    # Each vowel pair after a consonant in a dictionary word, with four letters before it and
    # three after (the word's edges padded with ^ and $), keyed by the letter before it and the
    # pair: how many words spell that window with я, ё, ю (or ь, ъ and one of them), how many
    # with и and a vowel.
    vowel_windows: Mapping[str, Mapping[str, list[int]]]
    # The same, counted by context as words ask (_vowel_contexts).
    vowel_contexts: dict[str, Mapping[str, tuple[int, int]]] = field(default_factory=dict)


# Where a Cyrillic word has a letter Latin spells with a pair, or two letters it spells as one.
_ONE_LETTER = re.compile("[цчщёяю]")
_TWO_LETTERS = re.compile("(?=тс|тш|шш|[ий][оау])")
# A vowel pair after a consonant, spelled as one letter (ь, ъ kept out of the Latin spelling) or
# as и and a vowel.
_CONSONANT = "бвгджзйклмнпрстфхцчшщқғңһ"
_VOWEL_PAIR = re.compile(f"(?<=[{_CONSONANT}])(?:[ьъ]?([яёю])|(и)[аоу])")
# The contexts a vowel pair is counted in, most specific first: (letters before, letters after),
# the word's edges padded with ^ and $.
_BEFORE, _AFTER = 4, 3
_SHAPES = sorted(
    ((b, a) for b in range(1, _BEFORE + 1) for a in range(_AFTER + 1)),
    key=lambda shape: (-sum(shape), -shape[1]),
)
# Going from the closest context to the widest, the pair is и and a vowel once this many
# dictionary words spell it so, unless one spells it as one letter first. Measured on the
# dictionaries' own pairs, each word left out of the counts: 2,834 of 3,424 и + a vowel found,
# 21 of 28,378 я, ё, ю taken for two (rare words: Касьян, орёл, шрёдингер), before the reading
# keeps a pair whole wherever some dictionary word spells the two letters either side of it as
# one letter (spelled_in_dictionaries). At 4 words: 2,706 found, 15 taken for two, and one word
# fewer of the lists 1 to 5 and the lexicon broken right.
_EVIDENCE = 3


def _vowel_window(latin: str, at: int) -> str:
    """The pair at `at` of a Latin word with four letters before it and three after."""
    return ("^" * _BEFORE + latin + "$" * _AFTER)[at : at + _BEFORE + 2 + _AFTER]


def _window(padded: str, at: int) -> str:
    """The pair at `at` of a Latin word with two letters either side; `padded` is the word
    with "^^" before it and "$$" after it."""
    return padded[at : at + 6]


@cache
def _index() -> _Lexicon:
    """The stems that can decide a pair, and how the dictionaries spell each pair in context;
    empty without the dictionaries."""
    found: dict[str, set[tuple[str, bool, bool]]] = {}
    kazakh_keys: set[str] = set()
    one_letter: set[str] = set()
    two_letters: set[str] = set()
    vowel_windows: dict[str, dict[str, list[int]]] = {}
    for path in DICTIONARIES:
        try:
            text = path.read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        kazakh = path.name.startswith("kk")
        for line in text.splitlines()[1:]:
            word, _, flags = line.strip().partition("/")
            lower = word.lower()
            if not _KAZAKH_WORD.fullmatch(lower):
                continue
            verb = kazakh and bool(_VERB_FLAGS.intersection(flags)) and lower.endswith("у")
            if verb:
                lower = lower[:-1]
            elif not kazakh and _RUSSIAN_VERB.search(lower):
                continue
            key = _latin(lower)
            if _PAIR.search(key):
                padded = f"^^{key}$$"
                for letters, windows in ((_ONE_LETTER, one_letter), (_TWO_LETTERS, two_letters)):
                    for m in letters.finditer(lower):
                        windows.add(_window(padded, len(_latin(lower[: m.start()]))))
                for m in _VOWEL_PAIR.finditer(lower):
                    window = _vowel_window(key, len(_latin(lower[: m.start()])))
                    bucket = vowel_windows.setdefault(window[_BEFORE - 1 : _BEFORE + 2], {})
                    bucket.setdefault(window, [0, 0])[m.group(2) is not None] += 1
            # Kazakh spelling first: a Russian word spelled alike is not the Kazakh one.
            if not kazakh and key in kazakh_keys:
                continue
            if _PAIR.search(key) or "ъ" in lower or (kazakh and key[-1:] in ("t", "ş")):
                found.setdefault(key, set()).add((lower, word[0].isupper(), verb))
        if kazakh:
            kazakh_keys = set(found)
    stems = {key: tuple(sorted(stems)) for key, stems in found.items()}
    return _Lexicon(stems, frozenset(one_letter), frozenset(two_letters), vowel_windows)


def spelled_in_dictionaries(word: str, at: int) -> tuple[bool, bool]:
    """Whether some dictionary word spells the pair at `at` of a lower-case Latin word, with the
    same two letters either side, as one Cyrillic letter, and whether as two."""
    lexicon = _index()
    window = _window(f"^^{word}$$", at)
    return window in lexicon.one_letter, window in lexicon.two_letters


def vowel_pair_is_two_letters(word: str, at: int) -> bool:
    """Whether the dictionaries say that the vowel pair (io, ia, iu) at `at` of a lower-case Latin
    word, after a consonant, is и and a vowel: in the most specific context (up to four letters
    before it and three after) that enough dictionary words share, every one of them spells it
    so. vowel_pair_is_two_letters("mediatorlar", 3) is True: медиатор, медиатизация, медиана.
    """
    window = _vowel_window(word, at)
    contexts = _vowel_contexts(window[_BEFORE - 1 : _BEFORE + 2])
    for context in _contexts(window):
        one, two = contexts.get(context, (0, 0))
        # One word that spells it as one letter, in a closer context, outweighs many further.
        if one:
            return False
        if two >= _EVIDENCE:
            return True
    return False


def _contexts(window: str) -> list[str]:
    """A vowel window's contexts, closest first: how many letters before and after, then them."""
    return [
        f"{before}{after}{window[_BEFORE - before : _BEFORE + 2 + after]}"
        for before, after in _SHAPES
    ]


def _vowel_contexts(key: str) -> Mapping[str, tuple[int, int]]:
    """How the dictionaries spell the vowel pair after one letter (`key`: that letter and the
    pair) in each context: counted the first time a word asks, from that letter's windows only,
    so a process pays only for the letters its words have."""
    lexicon = _index()
    if (counted := lexicon.vowel_contexts.get(key)) is None:
        counts: dict[str, list[int]] = {}
        for spelled, (one, two) in lexicon.vowel_windows.get(key, {}).items():
            for context in _contexts(spelled):
                found = counts.setdefault(context, [0, 0])
                found[0] += one
                found[1] += two
        counted = {context: (one, two) for context, (one, two) in counts.items()}
        lexicon.vowel_contexts[key] = counted
    return counted


def stems_beginning(word: str, name: bool) -> list[tuple[Stem, int]]:
    """The dictionary stems a lower-case Latin word may be made of, each with the length of its
    Latin spelling: those whose spelling begins the word, covers a pair of it or holds a ъ, and
    leaves only Kazakh suffixes after it. `name`: the word is capitalised, so may be a name.

    Where stems of different lengths fit, only the longest are given.
    stems_beginning("milliardtar", False) == [(Stem("миллиард", (...)), 8)].
    """
    index = _index().stems
    found = []
    for end in range(_SHORTEST_STEM - 1, len(word) + 1):
        stems = index.get(word[:end])
        if not stems:
            continue
        covers_a_pair = any(m.start() < end for m in _PAIR.finditer(word))
        # A stem that only shows where a suffix begins after т or ш (сат-са, кет-се) may be
        # shorter, and a Kazakh noun may be a verb's stem too (сат, қайт).
        boundary = word[end - 1 : end + 1] in ("ts", "tş", "şş")
        for cyrillic, is_name, verb in stems:
            if boundary:
                fits = _NOUN_SUFFIXES.fullmatch(word, end) or _VERB_SUFFIX_CHAIN.fullmatch(
                    word, end
                )
            elif end < _SHORTEST_STEM:
                continue
            else:
                fits = (_VERB_SUFFIX_CHAIN if verb else _NOUN_SUFFIXES).fullmatch(word, end)
            if fits and (covers_a_pair or "ъ" in cyrillic) and (name or not is_name):
                spellings = tuple(KK_CYRILLIC_TO_LATIN_2021[letter] for letter in cyrillic)
                found.append((Stem(cyrillic, spellings), end))
    # The longest stem is the most specific: дача, not дат + -ша; тұщы, not тұш + -шы.
    return [(stem, end) for stem, end in found if end == found[-1][1]]

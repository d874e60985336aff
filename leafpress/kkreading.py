"""Read a Kazakh word typed in Latin letters back into its Cyrillic letters, for hyphenation."""

# The 2021 Latin alphabet spells ц ч щ ё я ю with two letters (ts tş şş io ia iu), and the same
# pairs occur where two Kazakh letters meet (кет-се → ketse, айт-шы → aitşy, ра-ди-о → radio).
# A Latin word that leafpress spelled itself remembers its Cyrillic source; one typed by hand does
# not, so this module reads it back, deciding for each pair whether it is one letter or two, and
# the hyphenation breaks the reading as it breaks any Cyrillic word. The decisions are Kazakh
# phonotactics and morphology, not a word list:
#
# - ц, ч, щ are not Kazakh sounds. т+с, т+ш and ш+ш are Kazakh only where a suffix begins: after
#   т the suffixes that begin with с are the conditional (айт-са, кет-се-ңіз), the imperative of
#   the third person (тарт-сын) and the privative (сәт-сіз-дік); those that begin with ш are -шы,
#   -ші, -шыл, -шіл (су-рет-ші, ұлт-шыл), which put ы or і after ш, and Russian spells no чы, щы
#   and no і at all. Anywhere else the pair is ц, ч or щ (кон-церт, Ка-ча-лов, Ро-щин). A word
#   ending in -tşa, -tşe may be the -ша, -ше of manner (ә-дет-ше) or a Russian -ча (да-ча): it
#   is read both ways.
# - A vowel pair after a vowel or at the start of a word is я, ё or ю (а-яқ, қо-ю, Я-ков, ё-жик).
#   After a consonant it is either one letter (Ва-ся, ак-тёр, бю-ро) or и and a vowel (ди-а-лог,
#   ре-ги-он, ра-ди-ус), and both readings break the word alike except between i and the vowel.
#   So the pair is read as two letters only in the contexts where Russian spelling cannot have
#   я, ё or ю (ц before it: со-ци-ал; the international endings -ial, -iant, -ion, -ium, -ius;
#   -iatsiia and -iator, since Russian has -яция, -ятор only after л; the prefixes bio-, dia-,
#   pian-, avia-), and is otherwise kept whole: a break missed in ди-а-на costs nothing on
#   paper, one made in Та-тья-на would split a letter.
#
# Where the Hunspell dictionaries know the word's stem (kklexicon.py), the stem spells it and
# these rules read only the suffixes after it: Ди-а-на, Ки-о-то, мил-ли-ард-тар, whose pairs the
# rules alone keep whole. Where they do not, a vowel pair the rules keep whole is и and a vowel
# if the dictionary words sharing its closest letters spell it so (ге-ли-ос-тан-ци-я).
#
# Where a pair may be read either way, the hyphenation keeps only the breaks both readings
# allow. A few native roots join т and ш or с inside them (пат-ша, ат-шап-тыр, ат-са-лы-су) or
# are spelled with щ (ащы, тұщы); they are listed, as morphology cannot find them. The loan
# prefixes before a dropped ъ (субъ-ект) are the Latin generator's rule, here as a reading.

from __future__ import annotations

import re
from collections.abc import Callable

from .kklexicon import spelled_in_dictionaries, stems_beginning, vowel_pair_is_two_letters

__all__ = ["read_latin"]

_VOWELS = "aäeıoöūüy"
# i and u are vowels after a consonant, consonants (й, у) after a vowel.
_NUCLEI = _VOWELS + "iu"
_CONSONANTS = "bcdfgğhjklmnñpqrsştvwxz"

# The Latin letters of the 2021 alphabet (and c, w, x of foreign names) as Cyrillic ones. Only
# the class of a letter matters to the Cyrillic patterns; i is и or й by its neighbours.
_LETTERS = dict(
    zip(
        "aäbdefgğhjklmnñoöpqrsştuūüvyzıcwx",
        "аәбдефгғхжклмнңоөпқрсштуұүвызіквх",
        strict=True,
    )
)
_PAIRS = {"ts": "ц", "tş": "ч", "şş": "щ", "io": "ё", "ia": "я", "iu": "ю"}

_V = f"[{_NUCLEI}]"
_C = f"[{_CONSONANTS}]"

# After т, a Kazakh suffix that begins with с, to the word's end: the conditional with its
# personal endings and the particle -шы/-ші (кет-се-ші), the third person's imperative, the
# privative with whatever follows it, and -сымақ.
_SUFFIX_AFTER_T = re.compile(
    r"s(?:[ae](?:m|ñ|ñ[yı]z|[qk]|ñd[ae]r|ñ[yı]zd[ae]r|i)?(?:ş[yı])?"
    r"|[yı]n(?:d[ae]r)?(?:ş[yı])?"
    rf"|[yı]z(?:{_C}.*)?"
    r"|[yı]m[ae][qk].*)$"
)
# What may end a Kazakh stem before that т: a vowel, й (i after a vowel), у, р, л, н. Not и after
# a consonant: no Kazakh stem ends in -ит, many Russian nouns end in -ица (таб-ли-ца).
_STEM_BEFORE_T = re.compile(rf"(?:[{_VOWELS}u]|(?<=[{_VOWELS}])i|[rln])$")

# Native roots in which т meets ш or с: the pair is two letters there.
_NATIVE_JOINS = re.compile(r"patşa|^atşa[pb]|^atsal")

# Native roots spelled with щ, before ы like the suffix -шы (ащы, тұщы).
_NATIVE_SHCH = re.compile(r"^aşş|tūşş")

# The Latin alphabet drops ъ, but the loan prefixes it followed still end their syllable
# (sub-ekt, ob-ek-ti-ler, pod-ezd): read there, the ъ gives the Cyrillic patterns their break.
_DROPPED_HARD_SIGN = re.compile(
    r"^(?:ob|sub|in)(?=ek)|^pod(?=ez)|^(?:ad|kon)(?=iu)|^(?:ob|pod)(?=io)"
)

# Where a vowel pair after a consonant is и and a vowel, Russian spelling having no я, ё, ю
# there. Each pattern matches at the pair.
_TWO_VOWELS: dict[str, tuple[re.Pattern[str], ...]] = {
    "ia": tuple(
        re.compile(p)
        for p in (
            r"(?<=ts)ia",  # со-ци-ал, по-тен-ци-ал: ц is not followed by я
            rf"(?<={_C})ia(?=l(?:$|{_C}|[yı]))",  # -ial: ма-те-ри-ал-дар, -а-лы (not Ля-ля)
            rf"(?<={_C})ia(?=nt)",  # -iant: ва-ри-ант
            r"(?<=^d)ia(?=gn|gr|m|f|p|s|l)",  # dia-: ди-аг-ноз, ди-а-метр, ди-а-лог
            r"(?<=^p)ia(?=n)",  # пи-а-нист
            r"(?<=^av)ia",  # ави-а-: а-ви-а-ком-па-ни-я
            # -iatsiia, -iator: Russian has -яция, -ятор only after л (инф-ля-ци-я, и-зо-ля-тор)
            r"(?<=[bcdfgğhjkmnñpqrsştvwxz])ia(?=tsi|tor)",  # ва-ри-а-ци-я, ра-ди-а-тор
        )
    ),
    "io": tuple(
        re.compile(p)
        for p in (
            r"(?<=ts)io",  # ак-ци-о-нер: ц is not followed by ё
            r"(?<=[dgpskvzb])io(?=n)",  # -ion: ре-ги-он, пи-о-нер (not Се-мён, Мат-рё-на)
            r"(?<=ll)io(?=n)",  # мил-ли-он
            r"(?<=^b)io(?![rv])",  # bio-: би-о-лог (not объ-ём)
            r"(?<=[rd])io(?=t)",  # пат-ри-от
            rf"(?<={_V}[rd])io(?=d)",  # пе-ри-од (not Шрё-дер)
            r"(?<=k)io(?=sk)",  # ки-оск
            rf"(?<={_C})io$",  # ра-ди-о, То-ки-о
        )
    ),
    "iu": (
        # -ium, -ius after a vowel and one consonant (ра-ди-ус, ак-ва-ри-ум-да; not кос-тюм,
        # Брюс, Тю-мень): a word's end or a suffix's consonant follows.
        re.compile(rf"(?<={_V}[bdgklmnprsvz])iu(?=[ms](?:$|{_C}))"),
        re.compile(rf"(?<=ts)iu(?=m(?:$|{_C}))"),  # кон-сор-ци-ум (not Ко-цю-бинс-кий)
    ),
}


# How a pair is read: one Cyrillic letter, two, or either (the hyphenation then keeps only the
# breaks both readings allow).
ONE, TWO, EITHER = (False,), (True,), (False, True)


def _consonant_pair(word: str, at: int) -> tuple[bool, ...]:
    pair = word[at : at + 2]
    after = word[at + 2 :]
    if any(m.start() <= at < m.end() - 1 for m in _NATIVE_SHCH.finditer(word)):
        return ONE
    if pair in ("tş", "şş") and after[:1] and after[0] in "yı":
        return TWO  # -шы, -ші: Russian has no чы, щы, and no і
    if at and any(m.start() <= at < m.end() - 1 for m in _NATIVE_JOINS.finditer(word)):
        return TWO
    native_stem = (
        at > 0 and bool(_STEM_BEFORE_T.search(word[:at])) and any(ch in _NUCLEI for ch in word[:at])
    )
    if pair == "ts" and native_stem and _SUFFIX_AFTER_T.match(word, at + 1):
        return TWO
    if pair == "tş" and native_stem and after in ("a", "e"):
        return EITHER  # -ша, -ше of manner (ә-дет-ше) or a Russian -ча (да-ча)
    return ONE


def _vowel_pair(word: str, at: int) -> tuple[bool, ...]:
    if at == 0 or word[at - 1] in _NUCLEI:
        return ONE  # я, ё, ю: after a vowel and at a word's start they are й and a vowel
    # Elsewhere a break between i and the vowel is made only where it cannot split я, ё, ю.
    return TWO if any(p.match(word, at) for p in _TWO_VOWELS[word[at : at + 2]]) else ONE


_READ: dict[str, Callable[[str, int], tuple[bool, ...]]] = {
    "ts": _consonant_pair,
    "tş": _consonant_pair,
    "şş": _consonant_pair,
    "io": _vowel_pair,
    "ia": _vowel_pair,
    "iu": _vowel_pair,
}

# Vowels after which Latin i is й (ай-дар, да-йын, Юрий); у is not one of them: after a
# consonant у is a vowel, yet i after it is и (ин-ту-и-ци-я).
_BEFORE_Й = "аәеёиоөұүыіэюя"


def read_latin(
    word: str, *, name: bool = False, dictionaries: bool = True
) -> list[tuple[str, tuple[str, ...]]] | None:
    """The Cyrillic words a lower-case Kazakh Latin word reads as, each with the Latin spelling
    of each of its letters (one reading, or more where a pair may be either), or None if the
    word has a letter the alphabet lacks.

    A stem the dictionaries know (kklexicon.py) spells the word as far as it goes, and the rules
    read the suffixes after it; where several stems fit, each gives its readings. Without one,
    or with `dictionaries` false, the rules read the whole word. `name`: the word is
    capitalised, so the stem may be a name.

    read_latin("kontsert") == [("концерт", ("k", "o", "n", "ts", "e", "r", "t"))];
    read_latin("ketse") == [("кетсе", ("k", "e", "t", "s", "e"))].
    """
    readings: list[tuple[str, tuple[str, ...]]] = []
    if dictionaries and (stems := stems_beginning(word, name)):
        for stem, end in stems:
            if not _read(word, end, list(stem.cyrillic), list(stem.spellings), readings, True):
                return None
        return list(dict.fromkeys(readings))
    letters: list[str] = []
    spellings: list[str] = []
    at = 0
    if prefix := _DROPPED_HARD_SIGN.match(word):
        letters.extend(_LETTERS.get(latin, "и") for latin in prefix.group())
        letters.append("ъ")
        spellings.extend([*prefix.group(), ""])
        at = prefix.end()
    if _read(word, at, letters, spellings, readings, dictionaries):
        return readings
    return None


def _read(
    word: str,
    at: int,
    letters: list[str],
    spellings: list[str],
    readings: list[tuple[str, tuple[str, ...]]],
    dictionaries: bool,
) -> bool:
    while at < len(word):
        pair = word[at : at + 2]
        ways = _READ[pair](word, at) if pair in _PAIRS else TWO
        if pair in _PAIRS and dictionaries:
            if ways == ONE and _after_a_consonant(word, at, pair):
                ways = TWO if vowel_pair_is_two_letters(word, at) else ONE
            ways = _checked(ways, *spelled_in_dictionaries(word, at))
        # Either way: read the pair as two letters on a copy, then go on reading it as one.
        if ways == EITHER and not _read(
            word, at + 1, *_with(letters, spellings, word[at]), readings, dictionaries
        ):
            return False
        if ways != TWO:
            letters.append(_PAIRS[pair])
            spellings.append(pair)
            at += 2
            continue
        letter = _letter(word[at], letters)
        if letter is None:
            return False
        letters.append(letter)
        spellings.append(word[at])
        at += 1
    readings.append(("".join(letters), tuple(spellings)))
    return True


def _after_a_consonant(word: str, at: int, pair: str) -> bool:
    return pair[1] in "aou" and at > 0 and word[at - 1] not in _NUCLEI


def _checked(ways: tuple[bool, ...], one: bool, two: bool) -> tuple[bool, ...]:
    # A pair the rules read as two letters, which a dictionary word spells as one letter with
    # the same two letters either side (Констанца against the conditional of айт-са, Румянцев
    # against ва-ри-ант), may be either. The other way round is not taken: a pair the rules
    # keep whole stays whole (a dictionary's ди-а in one word is no proof for the next).
    del two
    return EITHER if ways == TWO and one else ways


def _letter(latin: str, before: list[str]) -> str | None:
    if latin == "i":
        return "й" if before and before[-1] in _BEFORE_Й else "и"
    return _LETTERS.get(latin)


def _with(letters: list[str], spellings: list[str], latin: str) -> tuple[list[str], list[str]]:
    letter = _letter(latin, letters)
    assert letter is not None  # the first letter of a pair
    return [*letters, letter], [*spellings, latin]

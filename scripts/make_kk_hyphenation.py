"""Write leafpress's Kazakh hyphenation patterns (Cyrillic, 2021 Latin) from the syllable rules."""

# pyphen, and so WeasyPrint, ships no Kazakh dictionary. This script is the source of ours: the
# rules of Kazakh syllable division are written below as code, and the `.dic` files in
# leafpress/data/ are only their output, in the Liang pattern format that pyphen and libhyphen
# read. Change a rule here and run the script again; never edit the `.dic` files by hand.
#
#     python scripts/make_kk_hyphenation.py            # rewrite both dictionaries
#     python scripts/make_kk_hyphenation.py --check    # exit 1 if they are not what the rules give
#
# The rules, as school grammar and the orthographic dictionary state them (syllable types V, VC,
# CV, CVC, VCC, CVCC; a word is hyphenated at its syllable boundaries):
#
# 1. Every syllable has one vowel. A syllable inside a word begins with at most one consonant, so
#    of the consonants between two vowels only the last one starts the next syllable: а-на,
#    ал-ма, айт-ты, құмырс-қа, күңгірт-теу; loanwords follow the same rule: рес-пуб-ли-ка.
# 2. Two vowels side by side belong to two syllables: про-ект, по-э-ма, ра-ди-о.
# 3. Й is a consonant: да-йын-дық, ай-дар. У after a vowel is the consonant [w]: before a vowel it
#    starts the next syllable (да-уыс, са-уат, е-ле-уіш), before a consonant it closes its own
#    (ау-дан, кеу-де). У after a consonant stands for ұу/үу and is the syllable's vowel; the rule
#    of the orthography puts the break before the vowel that follows it: бу-ын, су-ық, қу-ат.
#    И stands for ый/ій and is always a vowel: қи-ын, ки-ім, ти-іс. In loanwords и before у and
#    a consonant is a syllable of its own, у the vowel of the next: ра-ди-ус, ак-ва-ри-ум.
# 4. Ь belongs to the consonant before it and never begins a line: аль-бом, ком-пью-тер. Ъ
#    closes its syllable, and the vowel after it starts the next one: субъ-ект, объ-ек-ті-лер,
#    подъ-езд; after a word's first consonant it starts nothing (съезд, съез-дің).
# 5. A cluster at the start of a word (loanwords) stays whole: про-ку-рор, струк-ту-ра; a cluster
#    at the end stays whole too, since no vowel follows it: ми-нистр.
# 6. One letter is never left at the end of a line nor carried to the next (ала-қан, ар-мия): no
#    break after a word's first letter or before its last. The dictionaries also say
#    LEFTHYPHENMIN 2 and RIGHTHYPHENMIN 2 for libhyphen; pyphen ignores those lines and takes the
#    minimums from its caller, which is why rule 6 is also written as patterns.
#
# The 2021 Latin alphabet writes и and й alike as i, and у as u; both behave as у does in rule 3.
# It spells ц ч щ ё я ю with two letters (ts tş şş io ia iu), which a break must never separate,
# yet the same pairs also meet at Kazakh suffixes (айт-сын → ait-syn, айт-шы → ait-şy, көш-ші →
# köş-şı) and in и + a vowel (ра-ди-о → ra-di-o). Which one a pair is shows in the letters around
# it, and LATIN_DIGRAPHS below lists those contexts: a Kazakh suffix puts only a, e, y, ı after
# т+с and only y, ı after т+ш and ш+ш, so ts before i, o, u or before e and the consonants loanwords
# continue with (про-цесс, кон-церт, по-ли-цей-лер) is ц; io after a consonant before r or v and a
# consonant or the word's end (ак-тёр, Хру-щёв) is ё; ia in l + ia + consonant (инф-ля-ци-я) is
# я. A generated Latin edition does not depend on these guesses: it carries the breaks of the
# Cyrillic word over letter by letter (leafpress/hyphenation.py). Nor does Latin text written by
# hand, any more: leafpress reads it back into Cyrillic letters (leafpress/kkreading.py), which
# generalises to words no list has; these patterns are its fallback for a word with a letter the
# alphabet lacks, and what other tools that read the .dic get.
# Digits and other signs occur in no pattern, so nothing here can break a number.
#
# The letters around a pair cannot settle every word (дача and ат-шаптыр both spell "tşa", Лёша
# and биология "io"): that ambiguity is lexical, so the Latin patterns also learn from a lexicon,
# scripts/kk_loanwords.txt, of loanwords and names with ц ч ё ю я щ ъ. Each word is broken by the
# Cyrillic patterns, its breaks carried to its Latin spelling letter by letter (as a generated
# edition does), and wherever the rules above break its Latin spelling otherwise, the shortest
# context around that place that is right for every lexicon word and every word of the list the
# rules were checked on (tests/data/kk_syllables.txt, native Kazakh, so a pattern learned from
# дача cannot spoil ат-шаптыр) becomes a pattern. Short contexts are stems (-tsiia, datş-), so
# they also hold in the inflected forms Kazakh suffixes make (po-li-tsi-ia-ğa).

from __future__ import annotations

import argparse
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "leafpress" / "data"
LEXICON = Path(__file__).resolve().parent / "kk_loanwords.txt"
# Native words divided by hand: what a pattern learned from a loanword must not break.
CHECKED_ON = ROOT / "tests" / "data" / "kk_syllables.txt"

# Liang values: an odd number allows a break, an even one forbids it, the highest one wins.
BREAK = 1
NO_BREAK = 2
# For the rules that overrule the general ones (a Latin pair spelling one letter, ъ, и-у).
STRONG_BREAK = 3
STRONG_NO_BREAK = 4
EXCEPTION_BREAK = 5
# Learned from the lexicon: above every rule, a no-break above a break where two learned
# contexts meet in a word neither was learned from, since a missed break costs less than a
# letter split in two.
LEARNED_BREAK = 7
LEARNED_NO_BREAK = 8
# The widest context a learned pattern may have (letters and word-edge dots).
LEARNED_WIDTH = 9
# The fewest letters a break leaves on either side (leafpress.hyphenation's MIN_LEFT, MIN_RIGHT).
MIN_SIDE = 2


@dataclass(frozen=True)
class Script:
    """The letters of one Kazakh script, sorted into the classes the rules speak of."""

    name: str
    title: str
    vowels: str  # always a syllable's vowel
    glides: str  # a vowel after a consonant, a consonant after a vowel (у; Latin i, u)
    consonants: str
    signs: str  # ь: silent, it belongs to the consonant before it
    # A glide that is a syllable's vowel, and the letters after it that start a new syllable.
    glide_hiatus: tuple[tuple[str, str], ...]
    # Letter pairs that spell one Cyrillic letter, each with the contexts in which they do so:
    # "_" stands for the pair, "." for a word's end, "C" for any consonant.
    digraphs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Signs that close their syllable, the vowel after them starting the next (ъ).
    closing_signs: str = ""
    # Prefixes that end before a dropped ъ, and what follows them (Latin ob-ekt for объ-ект).
    sign_prefixes: tuple[tuple[str, str], ...] = ()
    # A vowel and a glide that are two syllables in some contexts (и-у in ра-ди-ус), written as
    # for digraphs.
    vowel_glide_hiatus: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The same, where it overrules a digraph's context (ia is я after l, but и+а after ll).
    hiatus_over_digraphs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Whether the patterns also learn the lexicon's words (the Latin script's ambiguous pairs).
    learns_lexicon: bool = False


CYRILLIC = Script(
    name="hyph_kk.dic",
    title="Kazakh (Cyrillic)",
    vowels="аәеёиоөұүыіэюя",
    glides="у",
    consonants="бвгғджзйкқлмнңпрстфхһцчшщ",
    signs="ь",
    glide_hiatus=(("у", "аәеёиоөұүыіэюяу"),),
    closing_signs="ъ",
    vowel_glide_hiatus=(("иу", ("_C",)),),
)

# See the header: where ts, tş, şş, io, ia spell one Cyrillic letter. After a consonant ("C_").
LATIN_DIGRAPHS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ts", ("_i", "_o", "_u", "_es", "_er", "_en", "_ep", "_ed", "_ei")),  # ц
    ("tş", ("_e", "_i", "_o", "_u", "u_a")),  # ч; tş + y/ı, tş + a are т+ш (айт-шы, ат-шап-тыр)
    ("şş", tuple(f"_{v}" for v in "aäeoöūüiu")),  # щ; şş + y/ı is ш+ш (көш-ші)
    # ё: ак-тёр, шо-фёр, Хру-щёв, са-мо-лёт, Ар-тём, Фё-дор; not и+о as in ра-ди-о, ста-ди-он.
    ("io", ("C_rC", "C_r.", "C_vC", "C_v.", "l_t", "t_m.", "f_d")),
    ("ia", ("l_C",)),  # я: инф-ля-ци-я, и-зо-ля-тор; not и+а as in ди-а-лог
    ("iu", ("t_m.",)),  # ю in кос-тюм, though -ium is и-у elsewhere (ак-ва-ри-ум)
)

LATIN = Script(
    name="hyph_kk_Latn.dic",
    title="Kazakh (Latin, 2021 alphabet)",
    vowels="aäeıoöūüy",
    glides="iu",
    # c, w, x are not Kazakh letters but turn up in names; treating them as consonants is safe.
    consonants="bcdfgğhjklmnñpqrsştvwxz",
    signs="",
    glide_hiatus=(
        # i after a consonant is и: ki-ım, qi-yn, and the ia of я: ar-mi-ia, A-zi-ia.
        # Not before u: iu spells ю, one vowel (biud-jet, kom-piu-ter).
        ("i", "aäeıoöūüyi"),
        ("u", "aäeıoöūüyu"),
    ),
    digraphs=LATIN_DIGRAPHS,
    # The Latin endings -ium, -ius: ra-di-us, ak-va-ri-um (but kos-tium, костюм, is ю); ia after
    # ll is и+а: mil-li-ard.
    vowel_glide_hiatus=(("iu", ("_m.", "_s.")),),
    hiatus_over_digraphs=(("ia", ("ll_",)),),
    # The Latin alphabet drops ъ; the loan prefixes it followed still end their syllable.
    sign_prefixes=(
        ("ob", "e"),
        ("sub", "e"),
        ("pod", "e"),
        ("ad", "iu"),
        ("kon", "iu"),
        ("in", "ek"),
    ),
    learns_lexicon=True,
)


def rule_onset(s: Script) -> Iterator[str]:
    """Rule 1 (and 3, 4): a consonant followed by a vowel starts a syllable."""
    nuclei = s.vowels + s.glides  # after a consonant a glide is a vowel
    for c in s.consonants:
        for v in nuclei:
            yield f"{BREAK}{c}{v}"
            for sign in s.signs:
                yield f"{BREAK}{c}{sign}{v}"


def rule_hiatus(s: Script) -> Iterator[str]:
    """Rule 2: two vowels side by side are two syllables."""
    for v1 in s.vowels:
        for v2 in s.vowels:
            yield f"{v1}{BREAK}{v2}"


def rule_glide_between_vowels(s: Script) -> Iterator[str]:
    """Rule 3: a glide between vowels is a consonant and starts the next syllable (да-уыс)."""
    for v1 in s.vowels:
        for g in s.glides:
            for v2 in s.vowels + s.glides:
                yield f"{v1}{BREAK}{g}{v2}"


def rule_glide_as_vowel(s: Script) -> Iterator[str]:
    """Rule 3: a glide after a consonant is the vowel; a vowel after it starts anew (бу-ын)."""
    for g, following in s.glide_hiatus:
        for c in s.consonants:
            for v in following:
                yield f"{c}{g}{BREAK}{v}"


def _expand(context: str, s: Script) -> Iterator[str]:
    """A context with "C" standing for each consonant in turn."""
    if "C" not in context:
        yield context
        return
    head, _, tail = context.partition("C")
    for c in s.consonants:
        yield from _expand(head + c + tail, s)


def rule_digraphs(s: Script) -> Iterator[str]:
    """Latin pairs spelling one Cyrillic letter: never split inside; a consonant pair (ts, tş,
    şş) starts its syllable whole, a vowel pair (io, ia) is one vowel."""
    for pair, contexts in s.digraphs:
        consonant = pair[0] in s.consonants and pair[1] in s.consonants
        for context in contexts:
            for letters in _expand(context, s):
                before, _, after = letters.partition("_")
                if consonant:
                    yield f"{before}{BREAK}{pair}{after}"
                yield f"{before}{pair[0]}{STRONG_NO_BREAK}{pair[1:]}{after}"


def rule_closing_sign(s: Script) -> Iterator[str]:
    """Rule 4: ъ closes its syllable (субъ-ект), except after a word's first consonant (съезд)."""
    for sign in s.closing_signs:
        for c in s.consonants:
            for v in s.vowels:
                yield f"{c}{NO_BREAK}{sign}{BREAK}{v}"
            yield f".{c}{sign}{STRONG_NO_BREAK}"


def rule_sign_prefixes(s: Script) -> Iterator[str]:
    """Rule 4 in Latin letters: the syllable a dropped ъ closed still ends there (sub-ekt)."""
    for prefix, after in s.sign_prefixes:
        yield f".{prefix[:-1]}{STRONG_NO_BREAK}{prefix[-1]}{STRONG_BREAK}{after}"


def rule_vowel_glide_hiatus(s: Script) -> Iterator[str]:
    """Rule 3: и before у and a consonant is a syllable of its own (ра-ди-ус)."""
    for entries, value in (
        (s.vowel_glide_hiatus, STRONG_BREAK),
        (s.hiatus_over_digraphs, EXCEPTION_BREAK),
    ):
        for pair, contexts in entries:
            for context in contexts:
                for letters in _expand(context, s):
                    before, _, after = letters.partition("_")
                    yield f"{before}{pair[0]}{value}{pair[1:]}{after}"


def rule_initial_cluster(s: Script) -> Iterator[str]:
    """Rule 5: no break inside a cluster that starts the word (струк-ту-ра, not ст-рук-)."""
    for c1 in s.consonants:
        yield f".{c1}{NO_BREAK}"
        for c2 in s.consonants:
            yield f".{c1}{c2}{NO_BREAK}"


def rule_single_letter(s: Script) -> Iterator[str]:
    """Rule 6: no single vowel left at a line's end or carried alone (ала-қан, ар-мия)."""
    for v in s.vowels + s.glides:
        yield f".{v}{NO_BREAK}"
        yield f"{NO_BREAK}{v}."


RULES = (
    rule_onset,
    rule_hiatus,
    rule_glide_between_vowels,
    rule_glide_as_vowel,
    rule_digraphs,
    rule_closing_sign,
    rule_sign_prefixes,
    rule_vowel_glide_hiatus,
    rule_initial_cluster,
    rule_single_letter,
)


def parse(pattern: str) -> tuple[str, list[int]]:
    """A Liang pattern as its letters and the value at each gap (len(letters) + 1 values)."""
    letters: list[str] = []
    values = [0]
    for char in pattern:
        if char.isdigit():
            values[-1] = int(char)
        else:
            letters.append(char)
            values.append(0)
    return "".join(letters), values


def unparse(letters: str, values: list[int]) -> str:
    out = []
    for i, letter in enumerate(letters):
        if values[i]:
            out.append(str(values[i]))
        out.append(letter)
    if values[-1]:
        out.append(str(values[-1]))
    return "".join(out)


def _merge(merged: dict[str, list[int]], pattern: str) -> None:
    """Add a pattern; two with the same letters merge, the higher value winning."""
    letters, values = parse(pattern)
    known = merged.setdefault(letters, [0] * len(values))
    merged[letters] = [max(a, b) for a, b in zip(known, values, strict=True)]


def breaks(merged: dict[str, list[int]], word: str) -> set[int]:
    """Where the patterns break `word` (lower case), as pyphen reads them: Liang's algorithm."""
    dotted = f".{word}."
    values = [0] * (len(dotted) + 1)
    widest = max(map(len, merged))
    for start in range(len(dotted)):
        for end in range(start + 1, min(len(dotted), start + widest) + 1):
            for at, value in enumerate(merged.get(dotted[start:end], ())):
                values[start + at] = max(values[start + at], value)
    # The gap before the word's letter p is the gap before dotted[p + 1].
    return {p for p in range(1, len(word)) if values[p + 1] % 2}


# The Latin pairs that spell one Cyrillic letter in some words and two in others.
PAIRS = ("ts", "tş", "şş", "io", "iu", "ia")


def _lexicon() -> list[str]:
    lines = LEXICON.read_text("utf-8").splitlines()
    return [line.strip().lower() for line in lines if line.strip() and not line.startswith("#")]


def _checked_on() -> list[list[str]]:
    lines = CHECKED_ON.read_text("utf-8").splitlines()
    return [
        line.strip().lower().split("-")
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


def _spell(cyrillic: str) -> list[str]:
    """The Latin spelling of each Cyrillic letter (ц → ts, ъ → "")."""
    from leafpress.transliterate import KK_CYRILLIC_TO_LATIN_2021

    return [KK_CYRILLIC_TO_LATIN_2021.get(letter, letter) for letter in cyrillic]


def _carried(cyrillic_patterns: dict[str, list[int]], word: str) -> tuple[str, set[int]]:
    """A Cyrillic word's Latin spelling and its breaks carried there, as leafpress.hyphenation
    carries them for a generated edition (a я, ю, ё at a word's edge is two Latin letters, so a
    consonant put beside it lets the patterns say where its syllable starts)."""
    before = "т" if word[0] in "ёюя" else ""
    after = "т" if word[-1] in "ёюя" else ""
    found = breaks(cyrillic_patterns, before + word + after)
    spellings = _spell(word)
    ends = [len("".join(spellings[: i + 1])) for i in range(len(word))]
    at = {ends[p - len(before) - 1] for p in found if 0 < p - len(before) < len(word)}
    return "".join(spellings), at


def _examples(
    cyrillic_patterns: dict[str, list[int]],
) -> list[tuple[str, dict[int, bool], bool]]:
    """Each Latin word with the places a break may fall and whether it should (its edges, where
    no break is made anyway, say nothing), and whether patterns are learned from it: the
    lexicon's words teach, the checked-on list's native words only veto (its тұщы, tū-şşy, is
    spelled as ұшшы, ūş-şy, and a pattern for it would spoil the suffix rule)."""
    words = [(*_carried(cyrillic_patterns, w), True) for w in _lexicon()]
    for syllables in _checked_on():
        spelled = [_spell_word(s) for s in syllables]
        ends = {len("".join(spelled[: i + 1])) for i in range(len(spelled) - 1)}
        words.append(("".join(spelled), ends, False))
    return [
        (word, {p: p in want for p in range(MIN_SIDE, len(word) - MIN_SIDE + 1)}, teaches)
        for word, want, teaches in words
    ]


def _spell_word(cyrillic: str) -> str:
    return "".join(_spell(cyrillic))


def learned(base: dict[str, list[int]], cyrillic: dict[str, list[int]]) -> list[str]:
    """Patterns that make every lexicon word break as its Cyrillic source does (see the header).

    For each place the patterns so far get wrong, the narrowest context around it in which every
    example agrees becomes a pattern; a context that reaches the word's end is taken only when
    none inside the word will do, so that a stem's pattern still holds before a suffix.
    """
    examples = _examples(cyrillic)
    # All examples in one string, so a context is looked up with str.find over all at once.
    text = " ".join(f".{word}." for word, _, _ in examples)
    starts, at = [], 0
    for word, _, _ in examples:
        starts.append(at)
        at += len(word) + 3  # two dots and a space

    def agrees(context: str, gap: int, want: bool) -> bool:
        found = text.find(context)
        while found != -1:
            index = bisect_right(starts, found) - 1
            place = found - starts[index] + gap - 1  # the word's letter the gap comes before
            if examples[index][1].get(place, want) != want:
                return False
            found = text.find(context, found + 1)
        return True

    merged = {letters: list(values) for letters, values in base.items()}
    out: list[str] = []
    for word, want, teaches in examples:
        if not teaches:
            continue
        dotted = f".{word}."
        found = breaks(merged, word)
        for p in [p for p, brk in sorted(want.items()) if (p in found) != brk]:
            if (p in breaks(merged, word)) == want[p]:
                continue  # a pattern learned for an earlier place already set this one
            # Only the places in or beside an ambiguous pair are the lexicon's to decide; the
            # rest (hiatus, clusters) are the rules', which a word list would only patch.
            pair = next((q for q in (p, p - 1, p + 1) if word[q - 1 : q + 1] in PAIRS), None)
            if pair is None:
                continue
            pattern = _narrowest(dotted, p + 1, pair, want[p], agrees)
            if pattern is None:
                continue  # the examples contradict each other: two words spelled alike
            out.append(pattern)
            _merge(merged, pattern)
    return out


def _narrowest(
    dotted: str, gap: int, pair: int, want: bool, agrees: Callable[[str, int, bool], bool]
) -> str | None:
    """The shortest context of `dotted` around the gap before dotted[gap], holding the whole pair
    whose second letter is the word's letter `pair`, in which every example agrees, as a pattern;
    inside the word before one that reaches its end, more before than after."""
    candidates = [
        (start, end)
        for start in range(0, min(gap, pair))
        for end in range(max(gap, pair + 1) + 1, len(dotted) + 1)
        if end - start <= LEARNED_WIDTH
    ]
    candidates.sort(key=lambda c: (c[1] - c[0], c[1] == len(dotted), c[1] - gap))
    value = LEARNED_BREAK if want else LEARNED_NO_BREAK
    for start, end in candidates:
        if agrees(dotted[start:end], gap - start, want):
            return dotted[start:gap] + str(value) + dotted[gap:end]
    return None


def patterns(s: Script) -> list[str]:
    """Every rule's patterns, and for the Latin script those learned from the lexicon."""
    merged: dict[str, list[int]] = {}
    for rule in RULES:
        for pattern in rule(s):
            _merge(merged, pattern)
    if s.learns_lexicon:
        cyrillic: dict[str, list[int]] = {}
        for rule in RULES:
            for pattern in rule(CYRILLIC):
                _merge(cyrillic, pattern)
        for pattern in learned(merged, cyrillic):
            _merge(merged, pattern)
    return sorted(unparse(letters, values) for letters, values in merged.items())


def dictionary(s: Script) -> str:
    lines = [
        "UTF-8",
        "LEFTHYPHENMIN 2",
        "RIGHTHYPHENMIN 2",
        f"% {s.title} hyphenation patterns for pyphen and libhyphen.",
        "% Generated by scripts/make_kk_hyphenation.py from the syllable rules written there;",
        "% change the rules and run it again, do not edit this file.",
        *patterns(s),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="only compare; exit 1 if a file is out of date"
    )
    parser.add_argument(
        "--out", type=Path, default=DATA, help="folder to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)

    stale = []
    for script in (CYRILLIC, LATIN):
        path = args.out / script.name
        text = dictionary(script).encode("utf-8")
        if args.check:
            if not path.is_file() or path.read_bytes() != text:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)
        count = text.count(b"\n") - 6  # the lines after the header
        print(f"wrote {path} ({count} patterns)")
    for path in stale:
        print(f"{path} is out of date; run scripts/make_kk_hyphenation.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

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
#    И stands for ый/ій and is always a vowel: қи-ын, ки-ім, ти-іс.
# 4. Ь and Ъ belong to the consonant before them and never begin a line: аль-бом, ком-пью-тер.
# 5. A cluster at the start of a word (loanwords) stays whole: про-ку-рор, струк-ту-ра; a cluster
#    at the end stays whole too, since no vowel follows it: ми-нистр.
# 6. One letter is never left at the end of a line nor carried to the next (ала-қан, ар-мия): no
#    break after a word's first letter or before its last. The dictionaries also say
#    LEFTHYPHENMIN 2 and RIGHTHYPHENMIN 2 for libhyphen; pyphen ignores those lines and takes the
#    minimums from its caller, which is why rule 6 is also written as patterns.
#
# The 2021 Latin alphabet writes и and й alike as i, and у as u; both behave as у does in rule 3.
# It writes ц, ч, щ as ts, tş, şş; before i (и) ts and tş are taken as the one consonant ц or ч
# (по-зи-ци-я → po-zi-tsi-ia), elsewhere as two (айт-сын → ait-syn), and şş is always one (щ).
# Digits and other signs occur in no pattern, so nothing here can break a number.

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "leafpress" / "data"

# Liang values: an odd number allows a break, an even one forbids it, the highest one wins.
BREAK = 1
NO_BREAK = 2


@dataclass(frozen=True)
class Script:
    """The letters of one Kazakh script, sorted into the classes the rules speak of."""

    name: str
    title: str
    vowels: str  # always a syllable's vowel
    glides: str  # a vowel after a consonant, a consonant after a vowel (у; Latin i, u)
    consonants: str
    signs: str  # ь, ъ: silent, they belong to the consonant before them
    # A glide that is a syllable's vowel, and the letters after it that start a new syllable.
    glide_hiatus: tuple[tuple[str, str], ...]
    # Letter pairs that spell one consonant, and the letters before which they do so.
    digraphs: tuple[tuple[str, str], ...] = ()


CYRILLIC = Script(
    name="hyph_kk.dic",
    title="Kazakh (Cyrillic)",
    vowels="аәеёиоөұүыіэюя",
    glides="у",
    consonants="бвгғджзйкқлмнңпрстфхһцчшщ",
    signs="ьъ",
    glide_hiatus=(("у", "аәеёиоөұүыіэюяу"),),
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
    digraphs=(("ts", "i"), ("tş", "i"), ("şş", "aäeıoöūüyiu")),
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


def rule_digraphs(s: Script) -> Iterator[str]:
    """Latin ts, tş, şş spelling one consonant: break before the pair, never inside it."""
    for pair, followers in s.digraphs:
        for v in followers:
            yield f"{BREAK}{pair}{v}"
            yield f"{pair[0]}{NO_BREAK}{pair[1:]}{v}"


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


def patterns(s: Script) -> list[str]:
    """Every rule's patterns; two with the same letters merge, the higher value winning."""
    merged: dict[str, list[int]] = {}
    for rule in RULES:
        for pattern in rule(s):
            letters, values = parse(pattern)
            known = merged.setdefault(letters, [0] * len(values))
            merged[letters] = [max(a, b) for a, b in zip(known, values, strict=True)]
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
        count = len(patterns(script))
        if args.check:
            if not path.is_file() or path.read_bytes() != text:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)
        print(f"wrote {path} ({count} patterns)")
    for path in stale:
        print(f"{path} is out of date; run scripts/make_kk_hyphenation.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

"""Writing systems: which script a character belongs to, which way a language runs, which
fallback font sets it, and the one-line glyph messages a person can act on."""

from __future__ import annotations

import bisect
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "FALLBACK_SCRIPTS",
    "ScriptGap",
    "direction",
    "fallback_key",
    "glyph_gaps",
    "installed_family",
    "isolate_ltr",
    "language_parts",
    "lookup_codes",
    "script_name",
    "script_of",
]

# ISO 15924 code -> the code-point ranges of that script's blocks. Only what a fallback font is
# chosen for: Latin, Cyrillic and Greek are the design families' own business.
_BLOCKS: dict[str, tuple[tuple[int, int], ...]] = {
    "Arab": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "Hebr": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "Deva": ((0x0900, 0x097F), (0xA8E0, 0xA8FF)),
    "Beng": ((0x0980, 0x09FF),),
    "Taml": ((0x0B80, 0x0BFF),),
    "Telu": ((0x0C00, 0x0C7F),),
    "Thai": ((0x0E00, 0x0E7F),),
    "Geor": ((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)),
    "Armn": ((0x0530, 0x058F), (0xFB13, 0xFB17)),
    "Ethi": ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    "Hang": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)),
    "Kana": ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    # Han ideographs and the punctuation, symbols and full-width forms that go with them.
    "Hani": (
        (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3190, 0x31EF), (0x3200, 0x33FF), (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFF65), (0xFFE0, 0xFFEF),
        (0x20000, 0x3134F),
    ),
}  # fmt: skip
_NAMES = {
    "Arab": "Arabic", "Hebr": "Hebrew", "Deva": "Devanagari", "Beng": "Bengali",
    "Taml": "Tamil", "Telu": "Telugu", "Thai": "Thai", "Geor": "Georgian",
    "Armn": "Armenian", "Ethi": "Ethiopic", "Hang": "Korean Hangul", "Kana": "Japanese kana",
    "Hani": "Chinese", "Hans": "Chinese (Simplified)", "Hant": "Chinese (Traditional)",
    "Jpan": "Japanese", "Kore": "Korean", "Latn": "Latin", "Cyrl": "Cyrillic", "Grek": "Greek",
}  # fmt: skip
# The keys fonts/fonts.toml's [fallbacks] may use: one per script, and for the characters that
# Chinese, Japanese and Korean share, one per writing system, since each draws them its own way.
FALLBACK_SCRIPTS = (
    *(k for k in _BLOCKS if k not in ("Hang", "Kana", "Hani")),
    "Hans",
    "Hant",
    "Jpan",
    "Kore",
)

_STARTS: list[int] = []
_TABLE: list[tuple[int, int, str]] = []
for _script, _ranges in _BLOCKS.items():
    _TABLE.extend((start, end, _script) for start, end in _ranges)
_TABLE.sort()
_STARTS = [start for start, _, _ in _TABLE]

# Written right to left (ISO 639 codes), and the scripts that are whatever the language.
_RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi"}
)
_RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"})
_LATIN_SCRIPT_SUBTAGS = frozenset({"Latn", "Cyrl", "Grek"})
# Chinese written in Taiwan, Hong Kong and Macao uses traditional characters unless it says so.
_TRADITIONAL_REGIONS = frozenset({"TW", "HK", "MO"})

_CODE = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?$")


def language_parts(lang: str) -> tuple[str, str, str]:
    """(language, script, region) of a BCP 47 code: "zh-Hant-TW" -> ("zh", "Hant", "TW")."""
    match = _CODE.match(lang or "")
    if match is None:
        return (lang or "").lower(), "", ""
    language, script, region = match.groups()
    return language.lower(), (script or "").title(), (region or "").upper()


# The script a language is written in when its code does not say: a table keyed zh-Hans serves
# "zh" and "zh-CN", one keyed "uz" serves "uz-Latn" but never "uz-Cyrl".
_DEFAULT_SCRIPT = {
    "zh": "Hans", "sr": "Cyrl", "uz": "Latn", "kk": "Cyrl", "ky": "Cyrl", "tg": "Cyrl",
    "az": "Latn", "mn": "Cyrl", "bs": "Latn", "tk": "Latn", "ug": "Arab", "pa": "Guru",
}  # fmt: skip


def lookup_codes(lang: str) -> list[str]:
    """The codes a table for `lang` may be filed under, most specific first:
    "zh-TW" -> ["zh-TW", "zh-Hant"], "sr-Cyrl" -> ["sr-Cyrl", "sr"], "uz-Cyrl" -> ["uz-Cyrl"]."""
    language, script, region = language_parts(lang)
    codes = [lang]
    if not script and language == "zh" and region:
        script = "Hant" if region in _TRADITIONAL_REGIONS else "Hans"
    default = _DEFAULT_SCRIPT.get(language)
    script = script or default or ""
    if script and f"{language}-{script}" not in codes:
        codes.append(f"{language}-{script}")
    if (not script or script == default) and language not in codes:
        codes.append(language)
    return codes


def direction(lang: str) -> str:
    """ "rtl" for a language written right to left (ar, he, fa, ur, ...), else "ltr".

    A script subtag decides first: uz-Arab runs right to left, ku-Latn left to right.
    """
    language, script, _ = language_parts(lang)
    if script:
        return "rtl" if script in _RTL_SCRIPTS else "ltr"
    return "rtl" if language in _RTL_LANGUAGES else "ltr"


def script_of(char: str) -> str | None:
    """The fallback-relevant script of one character (ISO 15924), None for any other."""
    code = ord(char)
    i = bisect.bisect_right(_STARTS, code) - 1
    if i >= 0:
        start, end, script = _TABLE[i]
        if start <= code <= end:
            return script
    return None


def _cjk_system(lang: str) -> str:
    """Which of Hans, Hant, Jpan, Kore sets Han characters in `lang`."""
    language, script, region = language_parts(lang)
    if language == "ja":
        return "Jpan"
    if language == "ko":
        return "Kore"
    if script in ("Hans", "Hant"):
        return script
    if language in ("zh", "yue", "cmn") and (region in _TRADITIONAL_REGIONS or language == "yue"):
        return "Hant"
    return "Hans"


def fallback_key(char: str, lang: str) -> str | None:
    """The [fallbacks] key of fonts/fonts.toml that sets `char` in a text in `lang`, or None."""
    script = script_of(char)
    if script == "Hang":
        return "Kore"
    if script == "Kana":
        return "Jpan"
    if script == "Hani":
        return _cjk_system(lang)
    return script


def script_name(key: str) -> str:
    return _NAMES.get(key, key)


# The family Debian installs for each script (fonts-noto-core, fonts-noto-cjk): what a glyph
# error suggests when fonts/fonts.toml has no fallback for the script.
_NOTO = "/usr/share/fonts/truetype/noto/"
_NOTO_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
_INSTALLED = {
    "Arab": ("Noto Sans Arabic", _NOTO + "NotoSansArabic-Regular.ttf"),
    "Hebr": ("Noto Sans Hebrew", _NOTO + "NotoSansHebrew-Regular.ttf"),
    "Deva": ("Noto Sans Devanagari", _NOTO + "NotoSansDevanagari-Regular.ttf"),
    "Beng": ("Noto Sans Bengali", _NOTO + "NotoSansBengali-Regular.ttf"),
    "Taml": ("Noto Sans Tamil", _NOTO + "NotoSansTamil-Regular.ttf"),
    "Telu": ("Noto Sans Telugu", _NOTO + "NotoSansTelugu-Regular.ttf"),
    "Thai": ("Noto Sans Thai", _NOTO + "NotoSansThai-Regular.ttf"),
    "Geor": ("Noto Sans Georgian", _NOTO + "NotoSansGeorgian-Regular.ttf"),
    "Armn": ("Noto Sans Armenian", _NOTO + "NotoSansArmenian-Regular.ttf"),
    "Ethi": ("Noto Sans Ethiopic", _NOTO + "NotoSansEthiopic-Regular.ttf"),
    "Hans": ("Noto Sans CJK SC", _NOTO_CJK),
    "Hant": ("Noto Sans CJK TC", _NOTO_CJK),
    "Jpan": ("Noto Sans CJK JP", _NOTO_CJK),
    "Kore": ("Noto Sans CJK KR", _NOTO_CJK),
}


def installed_family(key: str) -> str | None:
    """The name of the installed family that covers a fallback key's script, if there is one."""
    family, path = _INSTALLED.get(key, ("", ""))
    return family if path and os.path.isfile(path) else None


# --- bidi isolation ---------------------------------------------------------------------------

# A left-to-right isolate: its content keeps its order inside right-to-left text.
LRI, PDI = "\u2066", "\u2069"
# What must read left to right inside right-to-left text: addresses, phone numbers, and runs of
# Latin words (with the digits, spaces and signs between them).
_LTR_RUN = re.compile(
    r"(?:https?://|www\.)[^\s\"<>«»“”]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\+?\(?\d[\d\u00a0\u2011 ()-]{5,}\d"
    r"|[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F0-9'’.\-]*"
    r"(?:[ \u00a0]+[A-Za-z\u00C0-\u024F0-9][A-Za-z\u00C0-\u024F0-9'’.\-]*)*"
)


def isolate_ltr(text: str) -> str:
    """`text` with its addresses, phone numbers and Latin words wrapped in left-to-right isolates
    (U+2066 ... U+2069), so that right-to-left text never reorders them; safe to apply twice."""
    if not text:
        return text
    out, last = [], 0
    for match in _LTR_RUN.finditer(text):
        start, end = match.span()
        if text[start - 1 : start] == LRI:
            continue  # already isolated
        value = match.group().rstrip(".-")
        end = start + len(value)
        if not value:
            continue
        out.append(text[last:start])
        out.append(LRI + value + PDI)
        last = end
    out.append(text[last:])
    return "".join(out)


# --- glyph coverage, told per script --------------------------------------------------------


# The gap of the characters no fallback script is known for (emoji, symbols, other scripts).
OTHER = "other"


@dataclass
class ScriptGap:
    """The characters of one script that an output prints and its fonts lack."""

    key: str  # a fallback key (Arab, Hans, ...) or the character's own name when it has none
    chars: dict[str, None] = field(default_factory=dict)
    fields: dict[str, None] = field(default_factory=dict)

    def message(self, stack: str, fallbacks: Mapping[str, str], declared: Iterable[str]) -> str:
        """One line: how many characters, which fields, and what would cover them.

        `fallbacks` is fonts/fonts.toml's [fallbacks], `declared` the families it declares.
        """
        count = len(self.chars)
        fields = list(self.fields)
        where = ", ".join(fields[:3]) + ("…" if len(fields) > 3 else "")
        noun = "character" if count == 1 else "characters"
        script = "" if self.key == OTHER else f"{script_name(self.key)} "
        line = (
            f"{count} {script}{noun} ({self._sample()}) in {where} "
            f"{'is' if count == 1 else 'are'} in none of this layout's fonts ({stack})"
        )
        listed = fallbacks.get(self.key)
        if listed:
            line += f" nor in {listed}, the fallback for {script_name(self.key)}"
        family = installed_family(self.key)
        if family and not listed:
            declare = "" if family in declared else " and declared under [families]"
            return (
                f"{line}; {family} (installed) covers them: it is used automatically once listed "
                f'as a fallback in fonts/fonts.toml ([fallbacks] {self.key} = "{family}"){declare}'
            )
        if count == 1:
            return f"{line}: it would print as an empty box or in a stray font"
        return f"{line}: they would print as empty boxes or in a stray font"

    def _sample(self) -> str:
        chars = list(self.chars)
        if self.key == OTHER:  # no script to name them by: each one's Unicode name
            shown = [f"'{c}' U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in chars[:3]]
            return ", ".join(shown) + (" …" if len(chars) > 3 else "")
        return " ".join(chars[:6]) + (" …" if len(chars) > 6 else "")


def glyph_gaps(missing: Iterable[tuple[str, str]], lang: str) -> list[ScriptGap]:
    """(field, character) pairs a layout's fonts lack, grouped by script, in order of appearance."""
    gaps: dict[str, ScriptGap] = {}
    for where, char in missing:
        key = fallback_key(char, lang)
        if key is None:
            key = OTHER
        gap = gaps.setdefault(key, ScriptGap(key))
        gap.chars[char] = None
        gap.fields[where] = None
    return list(gaps.values())

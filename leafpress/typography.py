"""Each language's conventions for plain text: quotation marks, no-break spaces, phones."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from .errors import ContentError
from .locales import date_pattern, groups_in_lakhs, number_sign, thousands_separator
from .scripts import language_parts

__all__ = [
    "apply_conventions",
    "format_date",
    "format_number",
    "format_numbered",
    "format_phone",
]

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
NB_HYPHEN = "\u2011"
MINUS = "\u2212"


@dataclass(frozen=True)
class Convention:
    """How one language sets quotation marks, numbers and the words after them."""

    quotes: tuple[str, str, str, str] | None = None  # outer open/close, inner open/close
    # Typographic quotes already in the text that open and close a level, so that straight
    # quotes inside them take the inner pair. English ’ is left out: it is also the apostrophe.
    typographic_open: str = ""
    typographic_close: str = ""
    thousands: str = NARROW_NBSP  # the SI and ISO 80000 grouping, unless a language differs
    short_words: bool = False  # join a number to any short word after it (5 жыл, 10 тыс.)
    suffix_hyphen: bool = False  # 150-ге, 1990-х: the ending joined to digits never breaks off
    months: tuple[str, ...] = ()
    month_first: bool = False  # English also writes July 14
    counted: tuple[str, ...] = ()  # longer words a number belongs to: 2024 жылы, 5 000 теңге
    # A number, or a Roman numeral, stays with the word it counts: 12 адам, 3 000 отбасы,
    # ХХІ ғасыр (Kazakh and Russian typesetting; English joins units only).
    number_joins_word: bool = False


# Kazakh uses «» and „“ in both scripts: the Latin alphabet changed the letters, not the
# punctuation, and Kazakh texts in Latin letters keep the guillemets.
_GUILLEMETS = ("«", "»", "„", "“")
_KK_MONTHS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
_KK_LATN_MONTHS = (
    "qañtar", "aqpan", "nauryz", "säuır", "mamyr", "mausym",
    "şılde", "tamyz", "qyrküiek", "qazan", "qaraşa", "jeltoqsan",
)  # fmt: skip
# Stems, so that every case form matches: 14 июля, в мае.
_RU_MONTHS = (
    "январ", "феврал", "март", "апрел", "ма[йяе]", "июн",
    "июл", "август", "сентябр", "октябр", "ноябр", "декабр",
)  # fmt: skip
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_CYRILLIC_STYLE = {
    "quotes": _GUILLEMETS,
    "typographic_open": "«„",
    "typographic_close": "»“",
    "short_words": True,
    "suffix_hyphen": True,
    "number_joins_word": True,
}
CONVENTIONS: dict[str, Convention] = {
    "kk": Convention(
        **_CYRILLIC_STYLE, months=_KK_MONTHS, counted=("жыл", "ғасыр", "теңге", "пайыз")
    ),
    "kk-Latn": Convention(
        **_CYRILLIC_STYLE, months=_KK_LATN_MONTHS, counted=("jyl", "ğasyr", "teñge", "paiyz")
    ),
    "ru": Convention(
        **_CYRILLIC_STYLE, months=_RU_MONTHS, counted=("год", "век", "рубл", "тенге", "процент")
    ),
    "en": Convention(
        quotes=("“", "”", "‘", "’"),
        typographic_open="“",
        typographic_close="”",
        thousands=",",
        months=_EN_MONTHS,
        month_first=True,
    ),
}
# A language leafpress has no conventions for keeps its quotes as written; the rules that hold
# everywhere (phones, №, units, dashes) still apply, and numbers are grouped the SI way.
_NEUTRAL = Convention()

_LANGUAGE_CODE = re.compile(
    r"^([a-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_](?:[A-Za-z]{2}|\d{3}))?$", re.I
)


def _convention(lang: str) -> Convention:
    match = _LANGUAGE_CODE.match(lang) if isinstance(lang, str) else None
    if match is None:
        raise ContentError(f"'{lang}' is not a language code (BCP 47, e.g. 'kk', 'kk-Latn', 'en')")
    language, script = match.group(1).lower(), (match.group(2) or "").title()
    return CONVENTIONS.get(f"{language}-{script}", CONVENTIONS.get(language, _NEUTRAL))


# --- what is never touched -------------------------------------------------------------------

_ADDRESS = re.compile(
    r"(?:https?|ftp)://[^\s\"<>«»“”]+|www\.[^\s\"<>«»“”]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I
)


def _protected(text: str) -> list[bool]:
    mask = [False] * len(text)
    for match in _ADDRESS.finditer(text):
        end = match.start() + len(match.group().rstrip(".,;:!?)]}»”’\"'"))
        for i in range(match.start(), end):
            mask[i] = True
    return mask


def _sub(pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str) -> str:
    """pattern.sub that leaves URLs and e-mail addresses as they are."""
    if not _ADDRESS.search(text):  # most text holds none: no mask to build
        return pattern.sub(repl, text)
    mask = _protected(text)

    def guarded(match: re.Match[str]) -> str:
        if any(mask[match.start() : match.end()]):
            return match.group()
        return repl(match)

    return pattern.sub(guarded, text)


# --- quotation marks -------------------------------------------------------------------------

_OPENS_BEFORE = "([{<«„“‘—–-/"
_CLOSES_AFTER = ".,;:!?)]}>»”’…—–-/"


def _side(text: str, i: int) -> str:
    """'open', 'close' or '' for the straight quote at i, judged by its neighbours."""
    prev = text[i - 1] if i > 0 else None
    nxt = text[i + 1] if i + 1 < len(text) else None
    after_space = prev is None or prev.isspace() or prev in _OPENS_BEFORE
    before_space = nxt is None or nxt.isspace() or nxt in _CLOSES_AFTER
    if after_space and not before_space:
        return "open"
    if before_space and not after_space:
        return "close"
    # The engine calls us on each run of Markdown text, so a run may start with the quote that
    # closes `"**bold**"` or end with the one that opens it.
    if prev is None and nxt is not None:
        return "close"
    if nxt is None and prev is not None:
        return "open"
    return ""


def _is_apostrophe(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    return prev.isalnum() and nxt.isalpha()  # don't, Almaty's, O'Connor, д'Артаньян


def _later_closing_single(text: str, i: int) -> bool:
    return any(
        text[j] == "'" and not _is_apostrophe(text, j) and _side(text, j) == "close"
        for j in range(i + 1, len(text))
    )


def _quotes(text: str, conv: Convention, before: str, after: str) -> str:
    if conv.quotes is None or ("'" not in text and '"' not in text):
        return text
    outer_open, outer_close, inner_open, inner_close = conv.quotes
    # Judge each quote with the characters around it, including those of the runs beside it.
    full = before[-1:] + text + after[:1]
    offset = len(before[-1:])
    mask = _protected(full)
    out = list(text)
    stack: list[str] = []  # what opened each level: a straight quote, or "typographic"

    def opening(mark: str) -> str:
        stack.append(mark)
        return outer_open if len(stack) % 2 else inner_open

    def closing() -> str:
        level = len(stack)
        if stack:
            stack.pop()
        return outer_close if level % 2 or level == 0 else inner_close

    for i, ch in enumerate(text):
        at = i + offset
        if mask[at]:
            continue
        if ch in conv.typographic_open:
            stack.append("typographic")
        elif ch in conv.typographic_close and stack and stack[-1] == "typographic":
            stack.pop()
        elif ch == '"':
            side = _side(full, at)
            if not side and len(full) == 1:
                continue  # a quote alone, nothing around it: either guess could be wrong
            side = side or ("close" if stack and stack[-1] == '"' else "open")
            if side == "close" and not stack and at > 0 and full[at - 1].isdigit():
                continue  # 5" is inches, not a quotation
            out[i] = opening('"') if side == "open" else closing()
        elif ch == "'":
            side = _side(full, at)
            if _is_apostrophe(full, at):
                out[i] = "’"
            elif side == "open" and at + 1 < len(full) and full[at + 1].isdigit():
                out[i] = "’"  # ’90s
            elif side == "open" and _later_closing_single(full, at):
                out[i] = opening("'")
            elif side == "close" and stack and stack[-1] == "'":
                out[i] = closing()
            else:
                out[i] = "’"  # residents' archive, 'tis
    return "".join(out)


# --- telephone numbers -----------------------------------------------------------------------

_SEP = r"[ \u00a0\-\u2011]?"
_PHONE = re.compile(
    r"(?<![\w+\-\u2011])"  # not the tail of a longer number or word
    rf"(?P<head>(?:\+\d{{1,3}}|8){_SEP}"  # country code, or the trunk prefix 8 of KZ and RU
    rf"(?:\(\d{{2,5}}\)|\d{{2,5}}))"  # area code, bracketed or not
    rf"(?P<sep>{_SEP})(?P<local>\d{{2,4}}(?:{_SEP}\d{{2,4}}){{0,3}})"
    r"(?![\w\-\u2011])"
)
_LOCAL_PHONE = re.compile(r"(?<![\w\-\u2011])\d{2,3}-\d{2}-\d{2}(?![\w\-\u2011])")
_PHONE_CHARS = re.compile(r"^\+?[\d\s()\-.\u2011]+$")


def _is_phone(candidate: str) -> bool:
    digits = sum(ch.isdigit() for ch in candidate)
    if candidate.startswith("+"):
        return 8 <= digits <= 15  # E.164 allows at most 15 digits
    # 8 is the trunk prefix of Kazakhstan and Russia: 8 and ten digits. Anything shorter that
    # starts with 8 is more likely a number grouped in thousands (8 000 000).
    return digits == 11


def _unbreakable(number: str) -> str:
    number = re.sub(r"\s+", NBSP, number.strip())
    return number.replace("-", NB_HYPHEN)


def format_phone(number: str) -> str:
    """A telephone number that never breaks across lines: no-break spaces and hyphens."""
    if not isinstance(number, str):
        raise ContentError(f"a telephone number must be text, not {type(number).__name__}")
    if not number.strip():
        return ""
    digits = sum(ch.isdigit() for ch in number)
    if not _PHONE_CHARS.match(number.strip()) or digits < 3:
        raise ContentError(
            f"'{number}' is not a telephone number: use digits, spaces, hyphens, brackets and a "
            "leading +, e.g. +7 727 271 6557"
        )
    return _unbreakable(number)


def _phones(text: str) -> str:
    # In running text a phone number may end a line after its area code, and nowhere else: kept
    # whole, "+7 727 271 6557" left a justified column of 50 characters a line with gaps twice
    # as wide as the rest. The code and the local number each stay whole.
    def join(match: re.Match[str]) -> str:
        if not _is_phone(match.group()):
            return match.group()
        sep = match["sep"] if match["sep"] not in ("", " ") else " " * bool(match["sep"])
        return _unbreakable(match["head"]) + sep + _unbreakable(match["local"])

    text = _sub(_PHONE, join, text)
    return _sub(_LOCAL_PHONE, lambda m: m.group().replace("-", NB_HYPHEN), text)


# --- words that letters of their own would let break --------------------------------------------

# Korean puts spaces between its words (eojeol) and breaks lines only there, as CSS's
# `word-break: keep-all` does; WeasyPrint 70 has no keep-all, and Pango breaks between any two
# Hangul syllables. An invisible word joiner between the letters of each word leaves the spaces
# as its only break opportunities; a word longer than its line still breaks anywhere, by
# `overflow-wrap: break-word` (palette.css). Pango draws no glyph for it and a PDF reader copies none.
WORD_JOINER = "\u2060"
_WORDS_KEPT_WHOLE = frozenset({"ko"})
_HANGUL_HAN = (
    "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
)


# A letter or digit with a Hangul or Han letter after it, or a Hangul or Han one with a letter or
# digit after it: only between them may Pango break inside a word (punctuation keeps its breaks).
# Compiled when a Korean text first needs it: the Han ranges make it the costliest pattern here.
@functools.cache
def _letter_before_letter() -> re.Pattern[str]:
    return re.compile(rf"[{_HANGUL_HAN}](?=[^\W_])|[^\W_](?=[{_HANGUL_HAN}])")


# --- numbers and what follows them -----------------------------------------------------------

_SYMBOLS = r"%|‰|‱|₸|₽|\$|€|£|°"
_UNITS = (
    # Kazakh and Russian
    r"тг|руб|млн|млрд|трлн|мың|тыс|ж|жж|г|гг|в|вв|шақ|сағ|мин|сек|с|км|м|см|мм|дм|"
    r"га|кг|т|ц|л|мл|кВт|МВт|кв|куб|"
    # Latin units and abbreviations
    r"km|m|cm|mm|ha|kg|g|t|l|ml|h|min|s|kW|MW|kWh|GB|MB|pp|tg|KZT|USD|EUR|RUB|mln|bn|mlrd|"
    r"million|billion"
)
# Not after a no-break space or hyphen: that is the local part of a phone number (+7 727 271 655).
_GROUPED = re.compile(r"(?<![\d.,\u00a0\u2011])\d{1,3}(?: \d{3})+(?![\d])")
_SIGN = re.compile(r"([№§])[ \t]+(?=\S)")
_DASH = re.compile(r"(?<=\S)[ \t]+(?=[—–](?:\s|$))")
_SUFFIX_HYPHEN = re.compile(r"(?<=\d)-(?=[^\W\d_])")


# A number that starts after a space or an opening sign (not the tail of a phone number or of
# 1,5), with its groups of thousands and decimals, and the word after it.
_NUMBER_THEN_WORD = (
    r"(?<![^\s(«„“\"\[])(?<!\u00a0)(?<!\u202f)"
    r"(\d{1,3}(?:[\u00a0\u202f ]\d{3})+|\d+)(?:[.,]\d+)?[ \t]+(?=[^\W\d_])"
)
# ХХІ ғасыр, XXI век: Roman numerals (Cyrillic Х and І typed for X and I count too) before a word.
_ROMAN_THEN_WORD = r"(?<![^\W\d_])[IVXХІ]{2,}[ \t]+(?=[^\W\d_])"


def _join_to_next_word(match: re.Match[str]) -> str:
    return match.group().rstrip(" \t") + NBSP


def _number_words(text: str, conv: Convention) -> str:
    words = [_UNITS]
    if conv.months or conv.counted:
        words.append("|".join(rf"{m}\w*" for m in conv.months + conv.counted))
    if conv.short_words:
        words.append(r"[^\W\d_]{1,3}\.?")  # 5 жыл, 10 тыс., 3 км
    follows = rf"(?:{_SYMBOLS})|(?:{'|'.join(words)})\.?(?![\w])"
    after_number = re.compile(rf"(?<=\d)[ \t]+(?={follows})", re.I)
    text = _sub(after_number, lambda m: NBSP, text)
    if conv.number_joins_word:
        # Compiled (and cached by re) only for the languages that join them.
        text = _sub(re.compile(_NUMBER_THEN_WORD), _join_to_next_word, text)
        text = _sub(re.compile(_ROMAN_THEN_WORD), _join_to_next_word, text)
    if conv.month_first:
        before_number = re.compile(rf"\b((?:{'|'.join(conv.months)})\.?)[ \t]+(?=\d)")
        text = _sub(before_number, lambda m: m.group(1) + NBSP, text)
    return text


def apply_conventions(text: str, lang: str, *, before: str = "", after: str = "") -> str:
    """`text` with `lang`'s quotation marks and the no-break spaces that keep units, numbers,
    phones and dashes from breaking badly; safe to apply twice.

    `before` and `after` are the text of the runs beside this one (a Markdown paragraph comes in
    runs: `"**no**"` is `"`, `no`, `"`); only they tell which way a quote standing alone turns.
    """
    conv = _convention(lang)
    if not text:
        return text
    text = _quotes(text, conv, before, after)
    text = _phones(text)
    if conv.suffix_hyphen:
        text = _sub(_SUFFIX_HYPHEN, lambda m: NB_HYPHEN, text)
    if conv.thousands != ",":
        # 1 000 000 typed with plain spaces: keep the author's spacing, only make it unbreakable.
        text = _sub(_GROUPED, lambda m: m.group().replace(" ", NBSP), text)
    text = _sub(_SIGN, lambda m: m.group(1) + NBSP, text)
    text = _number_words(text, conv)
    if language_parts(lang)[0] in _WORDS_KEPT_WHOLE:
        text = _sub(_letter_before_letter(), lambda m: m.group() + WORD_JOINER, text)
    # A dash after a space must not start a line: glue it to the word before.
    return _sub(_DASH, lambda m: NBSP, text)


def format_number(n: int, lang: str) -> str:
    """`n` with its thousands grouped as `lang` writes them: 1 234 567 (kk, ru), 1,234,567 (en)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise ContentError(f"format_number needs a whole number, not {n!r}")
    thousands = _convention(lang).thousands
    if _convention(lang) is _NEUTRAL:
        thousands = thousands_separator(lang) or thousands
    grouped = f"{abs(n):,}".replace(",", thousands)
    if groups_in_lakhs(lang) and abs(n) >= 100_000:
        head, last3 = str(abs(n))[:-3], str(abs(n))[-3:]
        pairs = [head[max(i - 2, 0) : i] for i in range(len(head), 0, -2)][::-1]
        grouped = thousands.join([*pairs, last3])
    return f"{MINUS}{grouped}" if n < 0 else grouped


# Genitive month names: Russian dates decline the month (14 июля), Kazakh and English do not.
_RU_MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
_DATE_PATTERNS = {
    # Kazakh puts the year first, in the genitive-like «жылғы»: 2006 жылғы 14 шілде.
    "kk": lambda d: f"{d.year}{NBSP}жылғы {d.day}{NBSP}{_KK_MONTHS[d.month - 1]}",
    "kk-Latn": lambda d: f"{d.year}{NBSP}jylğy {d.day}{NBSP}{_KK_LATN_MONTHS[d.month - 1]}",
    "ru": lambda d: f"{d.day}{NBSP}{_RU_MONTHS_GENITIVE[d.month - 1]} {d.year}{NBSP}г.",
    "en": lambda d: f"{d.day}{NBSP}{_EN_MONTHS[d.month - 1]} {d.year}",
}
# The sign before a number in a list or a series: Kazakh and Russian use №, English "No."
_NUMBER_SIGNS = {"kk": "№", "kk-Latn": "№", "ru": "№", "en": "No."}


def format_date(value: date | str, lang: str) -> str:
    """A date as `lang` writes it in running text: 2006 жылғы 14 шілде, 14 июля 2006 г., 14 July 2006."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ContentError(f"'{value}' is not a date; write it as YYYY-MM-DD") from None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise ContentError(f"format_date needs a date, not {value!r}")
    _convention(lang)  # a bad code is an error here too
    pattern = (
        _DATE_PATTERNS.get(lang) or _DATE_PATTERNS.get(lang.split("-")[0]) or date_pattern(lang)
    )
    return pattern(value) if pattern else value.isoformat()


def format_numbered(n: int, lang: str) -> str:
    """`n` after the number sign, joined by a no-break space: № 3, No. 3."""
    sign = (
        _NUMBER_SIGNS.get(lang) or _NUMBER_SIGNS.get(lang.split("-")[0]) or number_sign(lang) or "№"
    )
    if "{}" in sign:
        return sign.format(format_number(n, lang))
    return f"{sign}{NBSP}{format_number(n, lang)}"

"""Numbers and dates in the languages beyond kk, ru and en: thousands separators, number signs and
how a date is written, for a layout's number(), numbered() and date()."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .scripts import lookup_codes

__all__ = ["date_pattern", "number_sign", "thousands_separator"]

NBSP = "\u00a0"

_THOUSANDS = {
    **dict.fromkeys(("de", "es", "it", "nl", "tr", "da", "el", "ro", "id", "pt-BR"), "."),
    **dict.fromkeys(("zh", "zh-Hans", "zh-Hant", "ja", "ko", "he", "th"), ","),
}

_SIGNS = {
    "de": "Nr.", "fr": "n°", "es": "n.º", "it": "n.", "pt": "n.º", "nl": "nr.", "pl": "nr",
    "cs": "č.", "uk": "№", "tr": "No.", "he": "מס׳", "ar": "رقم", "zh": "No.", "ja": "No.",
    "ko": "No.",
}  # fmt: skip


def _months(names: str) -> tuple[str, ...]:
    return tuple(names.split())


_DE = _months("Januar Februar März April Mai Juni Juli August September Oktober November Dezember")
_FR = _months(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
)
_ES = _months(
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
)
_IT = _months(
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"
)
_PT = _months(
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro"
)
_NL = _months(
    "januari februari maart april mei juni juli augustus september oktober november december"
)
# Polish and Ukrainian put the month in the genitive after the day: 14 lipca, 14 липня.
_PL = _months(
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia"
)
_UK = _months(
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня"
)
_TR = _months("Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık")
_HE = _months("ינואר פברואר מרץ אפריל מאי יוני יולי אוגוסט ספטמבר אוקטובר נובמבר דצמבר")

_DATES: dict[str, Callable[[date], str]] = {
    "de": lambda d: f"{d.day}.{NBSP}{_DE[d.month - 1]} {d.year}",
    "fr": lambda d: f"{'1er' if d.day == 1 else d.day}{NBSP}{_FR[d.month - 1]} {d.year}",
    "es": lambda d: f"{d.day} de {_ES[d.month - 1]} de {d.year}",
    "it": lambda d: f"{'1º' if d.day == 1 else d.day}{NBSP}{_IT[d.month - 1]} {d.year}",
    "pt": lambda d: f"{d.day} de {_PT[d.month - 1]} de {d.year}",
    "nl": lambda d: f"{d.day}{NBSP}{_NL[d.month - 1]} {d.year}",
    "pl": lambda d: f"{d.day}{NBSP}{_PL[d.month - 1]} {d.year}{NBSP}r.",
    "uk": lambda d: f"{d.day}{NBSP}{_UK[d.month - 1]} {d.year}{NBSP}р.",
    "tr": lambda d: f"{d.day}{NBSP}{_TR[d.month - 1]} {d.year}",
    "he": lambda d: f"{d.day} ב{_HE[d.month - 1]} {d.year}",
    # Chinese and Japanese write year, month and day with their counters, Korean likewise.
    "zh": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "ja": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "ko": lambda d: f"{d.year}년 {d.month}월 {d.day}일",
}


def _find(table: dict, lang: str):
    codes = lookup_codes(lang)
    for code in [*codes, *(c.split("-")[0] for c in codes)]:
        if code in table:
            return table[code]
    return None


def thousands_separator(lang: str) -> str | None:
    """The sign between thousands in `lang`, or None to keep the SI narrow space."""
    return _find(_THOUSANDS, lang)


def number_sign(lang: str) -> str | None:
    """The sign before a number in a list or a series (Nr. 3, n° 3), or None."""
    return _find(_SIGNS, lang)


def date_pattern(lang: str) -> Callable[[date], str] | None:
    """How `lang` writes a date in running text, or None (then ISO 8601)."""
    return _find(_DATES, lang)

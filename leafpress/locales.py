"""Numbers and dates in the languages beyond kk, ru and en: thousands separators, number signs and
how a date is written, for a layout's number(), numbered() and date()."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .scripts import language_parts, lookup_codes

__all__ = ["date_pattern", "groups_in_lakhs", "number_sign", "thousands_separator"]

NBSP = "\u00a0"

# Languages not listed keep the SI narrow space (1 234 567), which the rest of CLDR's spaces match.
_THOUSANDS = {
    **dict.fromkeys(("de", "es", "it", "nl", "tr", "da", "el", "ro", "id", "pt-BR", "ca", "sr"), "."),
    **dict.fromkeys(
        ("zh", "zh-Hans", "zh-Hant", "ja", "ko", "he", "th", "ar", "fa", "ur", "am", "hi", "bn",
         "ta", "te"),
        ",",
    ),
}  # fmt: skip
# India groups the digits above the thousands in twos (lakh, crore): 12,34,567.
_LAKH = frozenset({"hi", "bn", "ta", "te", "mr", "gu", "pa", "kn", "ml", "or", "as", "ne"})

_SIGNS = {
    "de": "Nr.", "fr": "n°", "es": "n.º", "it": "n.", "pt": "n.º", "nl": "nr.", "pl": "nr",
    "cs": "č.", "uk": "№", "tr": "No.", "he": "מס׳", "ar": "رقم", "zh": "No.", "ja": "No.",
    "ko": "No.", "ca": "núm.", "da": "nr.", "sv": "nr", "fi": "nro", "ro": "nr.", "el": "αρ.",
    "sr": "бр.", "sr-Latn": "br.", "fa": "شمارهٔ", "ur": "نمبر", "hi": "सं.", "bn": "নং",
    "ta": "எண்", "te": "సంఖ్య", "th": "หมายเลข", "am": "ቁጥር",
    # Hungarian counts with the number first: 3. sz.
    "hu": "{}.\u00a0sz.",
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
# The other languages of layouts/labels.toml, as the Unicode CLDR's long date format writes them
# (its month names, in the case the day takes), with a no-break space that keeps the day with
# its month. Copied from the CLDR (45) once rather than depending on Babel for it: 31 MB of
# locale data for one template function, and a Babel upgrade must not change a PDF.
_CLDR = {
    "am": ("{d}\u00a0{m} {y}", "ጃንዋሪ ፌብሩዋሪ ማርች ኤፕሪል ሜይ ጁን ጁላይ ኦገስት ሴፕቴምበር ኦክቶበር ኖቬምበር ዲሴምበር"),
    "ar": ("{d}\u00a0{m} {y}", "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر"),
    "bn": ("{d}\u00a0{m}, {y}", "জানুয়ারী ফেব্রুয়ারী মার্চ এপ্রিল মে জুন জুলাই আগস্ট সেপ্টেম্বর অক্টোবর নভেম্বর ডিসেম্বর"),
    "ca": ("{d}\u00a0{m} del {y}", "gener febrer març abril maig juny juliol agost setembre octubre novembre desembre"),
    "cs": ("{d}.\u00a0{m} {y}", "ledna února března dubna května června července srpna září října listopadu prosince"),
    "da": ("{d}.\u00a0{m} {y}", "januar februar marts april maj juni juli august september oktober november december"),
    "el": ("{d}\u00a0{m} {y}", "Ιανουαρίου Φεβρουαρίου Μαρτίου Απριλίου Μαΐου Ιουνίου Ιουλίου Αυγούστου Σεπτεμβρίου Οκτωβρίου Νοεμβρίου Δεκεμβρίου"),
    "fa": ("{d}\u00a0{m} {y}", "ژانویهٔ فوریهٔ مارس آوریل مهٔ ژوئن ژوئیهٔ اوت سپتامبر اکتبر نوامبر دسامبر"),
    "fi": ("{d}.\u00a0{m} {y}", "tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta syyskuuta lokakuuta marraskuuta joulukuuta"),
    "hi": ("{d}\u00a0{m} {y}", "जनवरी फ़रवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर अक्तूबर नवंबर दिसंबर"),
    "hu": ("{y}. {m}\u00a0{d}.", "január február március április május június július augusztus szeptember október november december"),
    "hy": ("{dd}\u00a0{m}, {y}\u00a0թ.", "հունվարի փետրվարի մարտի ապրիլի մայիսի հունիսի հուլիսի օգոստոսի սեպտեմբերի հոկտեմբերի նոյեմբերի դեկտեմբերի"),
    "ka": ("{d}\u00a0{m}, {y}", "იანვარი თებერვალი მარტი აპრილი მაისი ივნისი ივლისი აგვისტო სექტემბერი ოქტომბერი ნოემბერი დეკემბერი"),
    "ky": ("{y}-ж., {d}-{m}", "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь"),
    "ro": ("{d}\u00a0{m} {y}", "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie"),
    "sr": ("{d}.\u00a0{m} {y}.", "јануар фебруар март април мај јун јул август септембар октобар новембар децембар"),
    "sr-Latn": ("{d}.\u00a0{m} {y}.", "januar februar mart april maj jun jul avgust septembar oktobar novembar decembar"),
    "sv": ("{d}\u00a0{m} {y}", "januari februari mars april maj juni juli augusti september oktober november december"),
    "ta": ("{d}\u00a0{m}, {y}", "ஜனவரி பிப்ரவரி மார்ச் ஏப்ரல் மே ஜூன் ஜூலை ஆகஸ்ட் செப்டம்பர் அக்டோபர் நவம்பர் டிசம்பர்"),
    "te": ("{d}\u00a0{m}, {y}", "జనవరి ఫిబ్రవరి మార్చి ఏప్రిల్ మే జూన్ జులై ఆగస్టు సెప్టెంబర్ అక్టోబర్ నవంబర్ డిసెంబర్"),
    # Thai counts years in the Buddhist era, 543 years ahead: 14 กรกฎาคม พ.ศ. 2549.
    "th": ("{d}\u00a0{m} พ.ศ. {be}", "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม"),
    "ur": ("{d}\u00a0{m}، {y}", "جنوری فروری مارچ اپریل مئی جون جولائی اگست ستمبر اکتوبر نومبر دسمبر"),
    "uz": ("{d}-{m}, {y}", "yanvar fevral mart aprel may iyun iyul avgust sentabr oktabr noyabr dekabr"),
    "uz-Cyrl": ("{d}\u00a0{m}, {y}", "январ феврал март апрел май июн июл август сентябр октябр ноябр декабр"),
}  # fmt: skip
# Catalan elides its "de" before a vowel: 1 d’abril, 14 de juliol.
_CATALAN_OF = {"abril": "d’", "agost": "d’", "octubre": "d’"}
# Tajik month names have no settled written form in the CLDR: the numeric date of the region.
_NUMERIC = {"tg": "{dd}.{mm}.{y}"}


def _cldr_date(pattern: str, months: str, lang: str) -> Callable[[date], str]:
    names = months.split()

    def written(d: date) -> str:
        month = names[d.month - 1] if names else ""
        if lang == "ca":
            month = _CATALAN_OF.get(month, "de\u00a0") + month
        return pattern.format(
            d=d.day, dd=f"{d.day:02d}", m=month, mm=f"{d.month:02d}", y=d.year, be=d.year + 543
        )

    return written


_DATES.update({lang: _cldr_date(*spec, lang) for lang, spec in _CLDR.items()})
_DATES.update({lang: _cldr_date(pattern, "", lang) for lang, pattern in _NUMERIC.items()})


def _find(table: dict, lang: str):
    codes = lookup_codes(lang)
    for code in [*codes, *(c.split("-")[0] for c in codes)]:
        if code in table:
            return table[code]
    return None


def thousands_separator(lang: str) -> str | None:
    """The sign between thousands in `lang`, or None to keep the SI narrow space."""
    return _find(_THOUSANDS, lang)


def groups_in_lakhs(lang: str) -> bool:
    """Whether `lang` groups digits the Indian way, twos above the thousands: 12,34,567."""
    return language_parts(lang)[0] in _LAKH


def number_sign(lang: str) -> str | None:
    """The sign before a number in a list or a series (Nr. 3, n° 3), or None; one with {} in
    it says where the number goes (3. sz.)."""
    return _find(_SIGNS, lang)


def date_pattern(lang: str) -> Callable[[date], str] | None:
    """How `lang` writes a date in running text, or None (then ISO 8601)."""
    return _find(_DATES, lang)

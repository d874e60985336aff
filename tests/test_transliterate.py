"""Kazakh Cyrillic to the 2021 Latin alphabet: every letter, loanwords, capitals, what stays put."""

from __future__ import annotations

import pytest

from leafpress.errors import ContentError
from leafpress.transliterate import KK_CYRILLIC_TO_LATIN_2021, kk_cyrillic_to_latin, transliterate

# The 42 letters of the Kazakh Cyrillic alphabet in their order, with the 2021 Latin spelling:
# (Cyrillic capital, small, Latin for the capital standing alone, Latin for the small letter).
ALPHABET = [
    ("А", "а", "A", "a"),
    ("Ә", "ә", "Ä", "ä"),
    ("Б", "б", "B", "b"),
    ("В", "в", "V", "v"),
    ("Г", "г", "G", "g"),
    ("Ғ", "ғ", "Ğ", "ğ"),
    ("Д", "д", "D", "d"),
    ("Е", "е", "E", "e"),
    ("Ё", "ё", "İo", "io"),
    ("Ж", "ж", "J", "j"),
    ("З", "з", "Z", "z"),
    ("И", "и", "İ", "i"),
    ("Й", "й", "İ", "i"),
    ("К", "к", "K", "k"),
    ("Қ", "қ", "Q", "q"),
    ("Л", "л", "L", "l"),
    ("М", "м", "M", "m"),
    ("Н", "н", "N", "n"),
    ("Ң", "ң", "Ñ", "ñ"),
    ("О", "о", "O", "o"),
    ("Ө", "ө", "Ö", "ö"),
    ("П", "п", "P", "p"),
    ("Р", "р", "R", "r"),
    ("С", "с", "S", "s"),
    ("Т", "т", "T", "t"),
    ("У", "у", "U", "u"),
    ("Ұ", "ұ", "Ū", "ū"),
    ("Ү", "ү", "Ü", "ü"),
    ("Ф", "ф", "F", "f"),
    ("Х", "х", "H", "h"),
    ("Һ", "һ", "H", "h"),
    ("Ц", "ц", "Ts", "ts"),
    ("Ч", "ч", "Tş", "tş"),
    ("Ш", "ш", "Ş", "ş"),
    ("Щ", "щ", "Şş", "şş"),
    ("Ъ", "ъ", "", ""),
    ("Ы", "ы", "Y", "y"),
    ("І", "і", "I", "ı"),
    ("Ь", "ь", "", ""),
    ("Э", "э", "E", "e"),
    ("Ю", "ю", "İu", "iu"),
    ("Я", "я", "İa", "ia"),
]


def test_the_table_covers_the_42_letter_alphabet():
    assert len(ALPHABET) == 42
    assert set(KK_CYRILLIC_TO_LATIN_2021) == {small for _, small, _, _ in ALPHABET}


@pytest.mark.parametrize(("capital", "small", "latin_capital", "latin_small"), ALPHABET)
def test_every_letter_upper_and_lower_case(capital, small, latin_capital, latin_small):
    # Inside a word, as letters are read; a letter standing alone is a test of its own below.
    assert kk_cyrillic_to_latin(f"ас{small}ар") == f"as{latin_small}ar"
    assert kk_cyrillic_to_latin(f"{capital}ар") == f"{latin_capital}ar"
    if latin_small:
        assert kk_cyrillic_to_latin(small) == latin_small
        assert kk_cyrillic_to_latin(capital) == latin_capital


def test_dotted_and_dotless_i_keep_their_own_capitals():
    # Python's str.upper() would give I for i; in Kazakh Latin и's capital is İ, і's is I.
    assert kk_cyrillic_to_latin("Ине, ИНЕ, іні, ІНІ") == "İne, İNE, ını, INI"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        # The example of Wikipedia's «Kazakh alphabets» article, transliterated there by the 2021
        # alphabet: an independent check of the whole native table.
        (
            "Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының бір үлкен қазысының "
            "үйіне келіп қоныпты.",
            "Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ bır ülken qazysynyñ "
            "üiıne kelıp qonypty.",
        ),
        (
            "Не де болса, бұған жалынып, сый беріп, орнымда қалайын!",
            "Ne de bolsa, būğan jalynyp, syi berıp, ornymda qalaiyn!",
        ),
        (
            "Қазақстан Республикасының Конституциясы мен министрлігі.",
            "Qazaqstan Respublikasynyñ Konstitutsiiasy men ministrlıgı.",
        ),
        (
            "Прокурор структураны реформалады, компьютер мен бюджет жоқ.",
            "Prokuror strukturany reformalady, kompiuter men biudjet joq.",
        ),
        (
            "Шаңырақ тұрғындарының үйлері заңдастырылсын!",
            "Şañyraq tūrğyndarynyñ üilerı zañdastyrylsyn!",
        ),
        ("Чемпион актёр объектіде съезд өткізді.", "Tşempion aktior obektıde sezd ötkızdı."),
        ("Щетка, цирк, экология, альбом, Азия.", "Şşetka, tsirk, ekologiia, albom, Aziia."),
        ("Тәуелсіздік, ауыл, дайындық, қиын, киім.", "Täuelsızdık, auyl, daiyndyq, qiyn, kiım."),
    ],
)
def test_sentences_with_native_words_and_loanwords(cyrillic, latin):
    assert kk_cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("ҚАЗАҚСТАН РЕСПУБЛИКАСЫ", "QAZAQSTAN RESPUBLİKASY"),
        ("ІШКІ ІСТЕР ДЕПАРТАМЕНТІ", "IŞKI ISTER DEPARTAMENTI"),
        # A digraph keeps the case of the word: all capitals in a word in capitals, Title case
        # at the start of a word in Title case.
        ("ЮНЕСКО", "İUNESKO"),
        ("ЧЕХИЯ", "TŞEHİİA"),
        ("Чехия", "Tşehiia"),
        ("Юрий", "İurii"),
        ("ЦИК", "TSİK"),
        ("ТАРИХ ЖӘНЕ ЯДРОЛЫҚ ЭНЕРГИЯ", "TARİH JÄNE İADROLYQ ENERGİİA"),
        ("ҚР", "QR"),
    ],
)
def test_all_caps_words_stay_in_capitals(cyrillic, latin):
    assert kk_cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        (
            "Сайт: https://akorda.kz/kk/about, пошта: info@akorda.kz.",
            "Sait: https://akorda.kz/kk/about, poşta: info@akorda.kz.",
        ),
        # Addresses with Cyrillic letters are addresses, not words.
        ("https://сайлау.қаз/үміткер сайтында", "https://сайлау.қаз/үміткер saitynda"),
        ("Жазыңыз: ақпарат@сайлау.қаз", "Jazyñyz: ақпарат@сайлау.қаз"),
        ("сайлау.қаз сайтына кіріңіз", "сайлау.қаз saityna kırıñız"),
        ("www.gov.kz/ru/ministries", "www.gov.kz/ru/ministries"),
        # The case ending Kazakh joins to an address with a hyphen is Kazakh text.
        ("www.akorda.kz-те жарияланды", "www.akorda.kz-te jariialandy"),
        (
            "2024 жылғы 14 шілде, +7 727 271 65 57, 1 000 000 ₸",
            "2024 jylğy 14 şılde, +7 727 271 65 57, 1 000 000 ₸",
        ),
        ("«Бірлік» — 15 %; 3,5 км!", "«Bırlık» — 15 %; 3,5 km!"),
    ],
)
def test_urls_emails_digits_and_punctuation_are_kept(cyrillic, latin):
    assert kk_cyrillic_to_latin(cyrillic) == latin


def test_roman_numerals_typed_in_cyrillic_become_latin_numerals():
    assert kk_cyrillic_to_latin("ХХІ ғасыр, ХІХ ғасыр, ІІ дүниежүзілік соғыс") == (
        "XXI ğasyr, XIX ğasyr, II düniejüzılık soğys"
    )
    # A lone Х is far more often an initial (Х. Досмұхамедұлы) than the numeral ten.
    assert kk_cyrillic_to_latin("Хат, Іле, ХАЛЫҚ, Х. Досмұхамедұлы") == (
        "Hat, Ile, HALYQ, H. Dosmūhamedūly"
    )


def test_text_that_is_not_kazakh_cyrillic_is_untouched():
    text = "Defend Shanyrak's residents — Qazaqstan 2024 & İnstitut."
    assert kk_cyrillic_to_latin(text) == text
    assert kk_cyrillic_to_latin("") == ""


@pytest.mark.parametrize(
    ("to", "from_"),
    [("kk-Latn", "kk"), ("kk-Latn", "kk-Cyrl"), ("kk-Latn-KZ", "kk-KZ"), ("kk_Latn", "kk_Cyrl_KZ")],
)
def test_transliterate_dispatches_on_bcp47_codes(to, from_):
    assert transliterate("Әділдік үшін бірге", to=to, from_=from_) == "Ädıldık üşın bırge"


def test_transliterate_to_the_same_script_changes_nothing():
    assert transliterate("Әділдік", to="kk", from_="kk-Cyrl") == "Әділдік"
    assert transliterate("Ädıldık", to="kk-Latn", from_="kk-Latn-KZ") == "Ädıldık"


@pytest.mark.parametrize(
    ("to", "from_", "message"),
    [
        ("ru", "kk", "cannot transliterate from 'kk' to 'ru'"),
        ("kk", "kk-Latn", "cannot transliterate"),
        ("en-Latn", "ru", "cannot transliterate"),
        ("", "kk", "is not a language code"),
        ("kk-Latn", "kazakh", "is not a language code"),
    ],
)
def test_unsupported_pairs_are_content_errors(to, from_, message):
    with pytest.raises(ContentError, match=message):
        transliterate("сөз", to=to, from_=from_)


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Ъ әрпі мен ь белгісі", "Ъ ärpı men ь belgısı"),
        ("«Ь» — жіңішкелік белгісі", "«Ь» — jıñışkelık belgısı"),
        ("Ъ, Ь: екі белгі", "Ъ, Ь: ekı belgı"),
        # Inside a word they are silent, as before.
        ("Съезд, подъезд, альбом", "Sezd, podezd, albom"),
    ],
)
def test_a_sign_named_on_its_own_is_kept(cyrillic, latin):
    assert kk_cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        # Typed on a Russian keyboard: the Latin i for і, in lower and upper case.
        ("Бiздiң бiрлiгiмiз", "Bızdıñ bırlıgımız"),
        ("IШКI IСТЕР", "IŞKI ISTER"),
        ("Iле өзенi", "Ile özenı"),
        # Mixed with other Latin letters, a word is not Kazakh Cyrillic: left alone.
        ("iPhone, Wi-Fi, Linux", "iPhone, Wi-Fi, Linux"),
        # ХХI with the Latin I is still a Roman numeral.
        ("ХХI ғасыр", "XXI ğasyr"),
    ],
)
def test_latin_i_typed_for_kazakh_i_is_read_as_kazakh_i(cyrillic, latin):
    assert kk_cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Жаңалықтар сайт.kz-те", "Jañalyqtar сайт.kz-te"),
        ("шаңырақ.kz/үндеу бетінде", "шаңырақ.kz/үндеу betınde"),
        ("Мекенжай: жаңалық.com.", "Mekenjai: жаңалық.com."),
        # A full stop between two words is not a domain.
        ("Біз келдік.Көрдік", "Bız keldık.Kördık"),
    ],
)
def test_a_cyrillic_name_on_a_latin_domain_is_an_address(cyrillic, latin):
    assert kk_cyrillic_to_latin(cyrillic) == latin

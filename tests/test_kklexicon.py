"""Hand-typed Kazakh Latin read with the Hunspell word lists: which stem decides a pair."""

from __future__ import annotations

import time

import pytest

from leafpress import kklexicon, transliterate
from leafpress.hyphenation import hand_written_breaks, hyphenate
from leafpress.kkreading import read_latin

# Hunspell .dic files as Debian ships them: a count, then a word a line with its affix flags.
# The Kazakh one has a byte-order mark and CRLF line ends.
KAZAKH = ["қайт/A", "әдет/ABbCc", "кету/MmNn", "радио/AB", "патша/A", "тұщы/A"]
RUSSIAN = [
    "Диана/H",
    "Киото",
    "миллиард/K",
    "фиаско",
    "Лион/J",
    "лён/K",
    "дача/I",
    "жечь/B",
    "инфлюэнца/I",
    "вариант/K",
    "Татьяна/I",
    "субъект/K",
    # и and a vowel after the same letters in three words; я, ё after them in one word, where
    # more letters agree.
    "гелиограф/K",
    "гелиотроп/K",
    "гелиоцентризм/K",
    "период/K",
    "периодика/I",
    "периодичный/A",
    "Шрёдингер/J",
]


@pytest.fixture
def dictionaries(tmp_path, monkeypatch):
    kazakh = tmp_path / "kk_KZ.dic"
    kazakh.write_text("\ufeff" + "\r\n".join([str(len(KAZAKH)), *KAZAKH]) + "\r\n", "utf-8")
    russian = tmp_path / "ru_RU.dic"
    russian.write_text("\n".join([str(len(RUSSIAN)), *RUSSIAN]) + "\n", "utf-8")
    monkeypatch.setattr(kklexicon, "DICTIONARIES", (kazakh, russian))
    # A word some other test spelled from Cyrillic in this process (the stress corpus makes up
    # words) would break where its source does: these words are typed by hand.
    monkeypatch.setattr(transliterate, "_SPELLED_FROM", {})
    kklexicon._index.cache_clear()
    yield
    monkeypatch.undo()
    kklexicon._index.cache_clear()


def read(word: str) -> list[str]:
    readings = read_latin(word.lower(), name=word[:1].isupper())
    assert readings is not None
    return sorted(letters for letters, _ in readings)


@pytest.mark.parametrize(
    ("latin", "expected", "breaks"),
    [
        # и and a vowel the rules keep whole, where я, ё could be: the dictionary spells them.
        ("Dianağa", "дианаға", "Di-a-na-ğa"),
        ("Kiotoda", "киотода", "Ki-o-to-da"),
        ("milliardtar", "миллиардтар", "mil-li-ard-tar"),
        ("fiasko", "фиаско", "fi-as-ko"),
        ("radiosy", "радиосы", "ra-di-o-sy"),
        # ь and ъ, which the Latin spelling drops, come back with the stem.
        ("Tatiananyñ", "татьянаның", "Ta-tia-na-nyñ"),
        ("subektter", "субъекттер", "sub-ekt-ter"),
        # A Kazakh stem before a suffix: the pair is two letters.
        ("ädetşe", "әдетше", "ädet-şe"),
        ("patşalar", "патшалар", "pat-şa-lar"),
    ],
)
def test_a_stem_the_dictionaries_know_spells_the_pair(dictionaries, latin, expected, breaks):
    assert read(latin) == [expected]
    assert "-".join(hyphenate(latin, "kk-Latn")) == breaks


def test_only_kazakh_suffixes_may_follow_the_stem(dictionaries):
    # Диана + -на is no Kazakh form (-на follows a possessive only): the rules read it.
    assert read("Dianana") == ["дянана"]
    assert read("Dianasyna") == ["дианасына"]


def test_a_name_counts_only_for_a_capitalised_word(dictionaries):
    # Lion is the name Лион or the noun лён: capitalised, both readings are kept, and only the
    # breaks both allow are made; in lower case only the noun fits.
    assert read("Lionda") == ["лионда", "лёнда"]
    assert hyphenate("Lionda", "kk-Latn") == ["Lion", "da"]
    assert read("lionda") == ["лёнда"]


def test_a_vowel_pair_three_dictionary_words_spell_as_two_letters_in_its_context_is_split(
    dictionaries,
):
    # No stem begins gelio-stantsiia, and the rules keep "io" after a consonant whole; гелиограф,
    # гелиотроп, гелиоцентризм spell "elio" with и and о, and no dictionary word with ё.
    assert read("geliostantsiia") == ["гелиостанция"]
    assert "-".join(hyphenate("geliostantsiia", "kk-Latn")) == "ge-li-os-tan-tsi-ia"


def test_one_word_with_the_letter_in_a_closer_context_outweighs_many_further(dictionaries):
    # период, периодика, периодичный spell "riod" with и and о; Шрёдингер spells "^şrio" with ё,
    # which is closer to Şrioder: the pair stays one letter.
    assert read("Şrioder") == ["шрёдер"]
    assert "-".join(hyphenate("Şrioderdıñ", "kk-Latn")) == "Şrio-der-dıñ"


def test_the_longest_stem_decides(dictionaries):
    # дача, not a Kazakh stem дат with -ша of manner; тұщы, not тұш with -шы.
    assert read("datşasy") == ["дачасы"]
    assert read("tūşşylau") == ["тұщылау"]


def test_a_russian_verb_is_no_stem_for_kazakh_suffixes(dictionaries):
    # жечь would read jetşı as жеч + і; Kazakh's жет-ші is the rules' reading.
    assert read("jetşı") == ["жетші"]


def test_a_rules_break_a_dictionary_word_contradicts_is_not_made(dictionaries):
    # The rules read -ntsa after a consonant as the conditional (айт-са); инфлюэнца spells the
    # same pair, with the same two letters either side, as ц: so it may be either, and no break
    # inside it is made.
    assert read_latin("vitşentsa", dictionaries=False)[0][0] == "вичентса"
    assert read("Vitşentsa") == ["вичентса", "виченца"]
    assert hand_written_breaks("Vitşentsa") <= {2, 5, 6}


def test_without_the_dictionaries_the_rules_read_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(kklexicon, "DICTIONARIES", (tmp_path / "missing.dic",))
    kklexicon._index.cache_clear()
    try:
        for word in ("dianağa", "milliardtar", "ädetşe", "kontsert", "lionda"):
            assert read_latin(word) == read_latin(word, dictionaries=False)
        assert hyphenate("Kontsertte", "kk-Latn") == ["Kon", "tsert", "te"]
    finally:
        monkeypatch.undo()
        kklexicon._index.cache_clear()


def test_the_dictionaries_are_read_once_and_only_for_hand_typed_latin(dictionaries):
    # Cyrillic text and Latin text leafpress spelled itself never need them.
    hyphenate("концерттер", "kk")
    assert kklexicon._index.cache_info().currsize == 0
    hand_written_breaks("Kiotoda")
    started = time.process_time()
    for _ in range(100):
        hand_written_breaks("Kiotoda")
    assert kklexicon._index.cache_info().misses == 1
    assert time.process_time() - started < 0.5

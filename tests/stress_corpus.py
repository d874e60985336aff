"""A stress corpus: seeded campaign variants in kk, ru, en and kk-Latn, written as workspaces.

Every word comes from the lists below (none from the sample campaign); only the length of the
sample's body is taken, to scale the generated bodies from a third to three times it.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from leafpress.transliterate import kk_cyrillic_to_latin

REPO = Path(__file__).resolve().parent.parent


def _list(text: str) -> list[str]:
    return text.split()


WORDS = {
    "kk": _list(
        "су өзен тау бұлақ көше ауыл қала мектеп аурухана жол көпір бақ ағаш тас үй ана бала "
        "жұмысшы дәрігер мұғалім тұрғын көрші жер заң құқық әділдік бостандық дауыс шешім "
        "жиналыс хат өтініш талап наразылық бейбіт ашық бірге қорғау сақтау тоқтату қайтару "
        "төлеу құру жабу ашу салу бұзу тыңдау жариялау мойындау жауапкершілік айыппұл келісім "
        "зауыт шаң ауа таза лас қоқыс орман жайылым егістік бидай нан жалақы зейнетақы тариф"
    ),
    "ru": _list(
        "вода река гора родник улица село город школа больница дорога мост сад дерево камень "
        "дом мать ребёнок рабочий врач учитель житель сосед земля закон право справедливость "
        "свобода голос решение собрание письмо заявление требование протест мирный открытый "
        "вместе защитить сохранить остановить вернуть заплатить построить закрыть открыть "
        "снести выслушать опубликовать признать ответственность штраф договор завод пыль "
        "воздух чистый грязный мусор лес пастбище поле пшеница хлеб зарплата пенсия тариф"
    ),
    "en": _list(
        "water river mountain spring street village town school hospital road bridge garden "
        "tree stone house mother child worker doctor teacher resident neighbour land law right "
        "justice freedom voice decision meeting letter petition demand protest peaceful open "
        "together protect keep stop return pay build close reopen demolish hear publish "
        "recognise responsibility fine agreement factory dust air clean dirty rubbish forest "
        "pasture field wheat bread wages pension tariff"
    ),
}
WORDS["kk-Latn"] = [kk_cyrillic_to_latin(w) for w in WORDS["kk"]]
# One word of exactly 40 letters per language, made of the lists' own stems, as long compounds
# and agglutinated forms are in real campaigns.
LONG_WORD = {
    "kk": "жауапкершіліктерімізденқұтылмайтындардың"[:40],
    "ru": "человеконенавистническиотвратительнейший"[:40],
    "en": "antidisestablishmentarianismnotwithstand"[:40],
}
LONG_WORD["kk-Latn"] = kk_cyrillic_to_latin(LONG_WORD["kk"])[:40]
LANGUAGES = ("kk", "ru", "en", "kk-Latn")
SHAPES = {"landscape": (3, 2), "wide": (16, 9), "portrait": (2, 3), "square": (1, 1)}


def sample_body_chars(lang: str) -> int:
    """The length of the sample's body in a language (kk-Latn: as kk), to scale bodies by."""
    source = "kk" if lang == "kk-Latn" else lang
    path = REPO / "leaflets" / "shanyrak" / f"{source}.toml"
    return len(tomllib.loads(path.read_text(encoding="utf-8"))["body"])


@dataclass
class Variant:
    """One generated campaign in one language."""

    seed: int
    lang: str
    headline: str
    subheadline: str | None
    lead: str
    body: str
    demands: list[str]
    call_to_action: str
    qr_label: str
    captions: list[str]
    shapes: list[str]
    notes: dict[str, int] = field(default_factory=dict)


def _words(rng: random.Random, lang: str, count: int) -> str:
    return " ".join(rng.choice(WORDS[lang]) for _ in range(count))


def _sentence(rng: random.Random, lang: str, count: int) -> str:
    text = _words(rng, lang, count)
    return text[:1].upper() + text[1:] + "."


def make_variant(seed: int, lang: str | None = None) -> Variant:
    """A campaign variant from its seed: every length drawn within the ranges of issue 15."""
    rng = random.Random(seed)
    lang = lang or LANGUAGES[seed % len(LANGUAGES)]
    headline = _words(rng, lang, rng.randint(2, 12))
    headline = headline[:1].upper() + headline[1:] + "!"
    subheadline = _sentence(rng, lang, rng.randint(12, 22)) if rng.random() < 0.5 else None
    target = sample_body_chars(lang) * rng.uniform(1 / 3, 3)
    paragraphs: list[str] = []
    while sum(len(p) for p in paragraphs) < target:
        paragraphs.append(" ".join(_sentence(rng, lang, rng.randint(6, 18)) for _ in range(3)))
    demands = [_sentence(rng, lang, rng.randint(5, 30)) for _ in range(rng.randint(1, 10))]
    # The 40-letter word goes where it is hardest to set: into a demand, and the body.
    where = rng.randrange(len(demands))
    demands[where] = demands[where][:-1] + " " + LONG_WORD[lang] + "."
    paragraphs[0] = LONG_WORD[lang] + " " + paragraphs[0]
    photos = rng.randint(1, 12)
    captions = [
        _sentence(rng, lang, n) if n else "" for n in (rng.randint(0, 60) for _ in range(photos))
    ]
    return Variant(
        seed=seed,
        lang=lang,
        headline=headline,
        subheadline=subheadline,
        lead=_sentence(rng, lang, rng.randint(15, 40)),
        body="\n\n".join(paragraphs),
        demands=demands,
        call_to_action=_sentence(rng, lang, rng.randint(8, 25)),
        qr_label=_words(rng, lang, rng.randint(2, 6)),
        captions=captions,
        shapes=[rng.choice(list(SHAPES)) for _ in range(photos)],
    )


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_variant(root: Path, variant: Variant, photo_px: int = 480) -> Path:
    """Write the variant as leaflets/v<seed>/ in a workspace, with its photos in assets/."""
    folder = root / "leaflets" / f"v{variant.seed}"
    folder.mkdir(parents=True)
    assets = root / "assets" / f"v{variant.seed}"
    assets.mkdir(parents=True)
    lines = [
        f'languages = ["{variant.lang}"]',
        "[contact]",
        'name = "Office of the District Akim"',
        'phone = "+7 727 555 0101"',
        'fax = "+7 727 555 0102"',
        "[[contacts]]",
        'name = "Regional Department of Ecology and Natural Resources"',
        'phone = "+7 727 555 0199"',
        "[qr]",
        'kind = "vcard"',
    ]
    rng = random.Random(variant.seed)
    for i, shape in enumerate(variant.shapes):
        w, h = SHAPES[shape]
        scale = photo_px / max(w, h)
        size = (round(w * scale), round(h * scale))
        colour = tuple(rng.randrange(40, 220) for _ in range(3))
        image = Image.new("RGB", size, colour)
        image.paste((250, 250, 250), (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2))
        image.save(assets / f"p{i}.jpg", quality=80)
        lines += ["[[photos]]", f'file = "assets/v{variant.seed}/p{i}.jpg"', 'credit = "Archive"']
    (folder / "campaign.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _write_language(folder, variant)
    return folder


def write_duplex(root: Path, front: Variant, back: Variant) -> Path:
    """Two variants in two languages as leaflets/d<front seed>/, one leaflet-a5-duplex output:
    the front's language on one side, the back's on the other."""
    folder = root / "leaflets" / f"d{front.seed}"
    folder.mkdir(parents=True)
    lines = [
        f'languages = ["{front.lang}", "{back.lang}"]',
        "[contact]",
        'name = "Office of the District Akim"',
        'phone = "+7 727 555 0101"',
        "[qr]",
        'kind = "vcard"',
        "[[outputs]]",
        'layout = "leaflet-a5-duplex"',
        f'languages = ["{front.lang}", "{back.lang}"]',
    ]
    (folder / "campaign.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _write_language(folder, front, captions=False)
    _write_language(folder, back, captions=False)
    return folder


def _write_language(folder: Path, variant: Variant, captions: bool = True) -> None:
    text = [
        f"headline = {_toml_string(variant.headline)}",
        f"lead = {_toml_string(variant.lead)}",
        f"body = {_toml_string(variant.body)}",
        "demands = [" + ", ".join(_toml_string(d) for d in variant.demands) + "]",
        f"call_to_action = {_toml_string(variant.call_to_action)}",
        f"qr_label = {_toml_string(variant.qr_label)}",
    ]
    if variant.subheadline:
        text.append(f"subheadline = {_toml_string(variant.subheadline)}")
    if captions:
        text.append("[captions]")
        text += [f"p{i} = {_toml_string(c)}" for i, c in enumerate(variant.captions)]
    (folder / f"{variant.lang}.toml").write_text("\n".join(text) + "\n", encoding="utf-8")

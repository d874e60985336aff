"""Campaign and language files: load, validate and merge into what a layout receives."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import reads
from .constants import MAX_MARKDOWN_NESTING, TARGET_NAMES
from .errors import ContentError, LeafpressError, Problem, did_you_mean
from .markup import markdown_depth
from .schema import Field, TomlFile, load_toml, text_problems
from .transliterate import transliterate
from .workspace import outside_workspace

# BCP 47 as campaigns use it: a language, an optional script, an optional region.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$")

CONTACT_FIELDS = [
    Field("name", "text", "Who the protest goes to, as printed."),
    Field("phone", "str", "Telephone number in international form, e.g. +7 727 271 6557."),
    Field("fax", "str", "Fax number in international form."),
    Field("email", "str", "E-mail address."),
    Field("url", "str", "Web address, absolute (https://…)."),
    Field("address", "text", "Postal or street address."),
]

QR_KINDS = ("url", "vcard", "mailto", "tel", "text")

QR_FIELDS = [
    Field("kind", "str", "What a scan opens.", required=True, choices=QR_KINDS),
    Field(
        "error_correction",
        "str",
        "How much damage the code survives: L 7 %, M 15 %, Q 25 %, H 30 %.",
        choices=("L", "M", "Q", "H"),
    ),
    Field("target", "str", "For kind = 'url': the address, when it is not contact.url."),
    Field("text", "text", "For kind = 'text': the words the code holds."),
]

PHOTO_FIELDS = [
    Field("file", "str", "Path of the photo, relative to the workspace root.", required=True),
    Field("credit", "text", "Who took the photo, as printed."),
    Field(
        "mask_faces", "bool", "Cover every detected face with a solid block (default: campaign's)."
    ),
    Field("masks", "any", "Extra solid blocks [[x, y, w, h], ...] in the upright photo's pixels."),
    Field(
        "unmask",
        "any",
        "Detected blocks that are not faces: numbers from `leafpress faces`, or [x, y, w, h].",
    ),
    Field(
        "crop", "any", 'In photo displays, fill the frame: "center" or a focal point [x, y] (0-1).'
    ),
]

OUTPUT_FIELDS = [
    Field("layout", "str", "Name of a folder in layouts/.", required=True),
    Field("languages", "list[str]", "Languages to build it in; default: all of the campaign's."),
    Field("options", "table", "Values for the options the layout declares in layout.toml."),
]

CAMPAIGN_FIELDS = [
    Field("languages", "list[str]", "Language codes, in preferred order.", required=True),
    Field("contact", "table", "The main addressee; the QR code leads here.", required=True),
    Field("contacts", "list[table]", "Further addressees, printed after the main one."),
    Field("qr", "table", "What the QR code holds."),
    Field("photos", "list[table]", "Photos for photo displays."),
    Field("outputs", "list[table]", "Which layouts to build; default: every one that fits."),
    Field(
        "transliterate",
        "table",
        'Languages made from another by transliteration, e.g. { "kk-Latn" = "kk" }.',
    ),
    Field(
        "targets",
        "list[str]",
        "Print targets built by default: screen, print-shop, office, photocopy, tiles.",
    ),
    Field("mask_faces", "bool", "Cover detected faces on every photo (a photo may say otherwise)."),
]

MAILTO_FIELDS = [
    Field("subject", "str", "Subject of the ready protest e-mail.", required=True),
    Field("body", "str", "Body of the ready protest e-mail.", required=True),
]

# Text a layout may ask for with `requires` in layout.toml, beyond the language file's own keys.
LANGUAGE_FIELDS = [
    Field("headline", "str", "The big line at the top; a few words."),
    Field("subheadline", "str", "One line under the headline."),
    Field("lead", "str", "One or two sentences that say what happened."),
    Field("body", "str", "The story, in Markdown: paragraphs, *emphasis*, lists, links."),
    Field("demands", "list[str]", "The demands, one string each, same count in every language."),
    Field("call_to_action", "str", "What the reader should do now."),
    Field("qr_label", "str", "The words printed beside the QR code."),
    Field("mailto", "table", "Subject and body of the e-mail a mailto QR code opens."),
    Field("captions", "table", "Photo captions keyed by the photo file's stem."),
    Field("labels", "table", "Overrides of the layout's fixed words (see layouts/labels.toml)."),
    Field("qr_text", "str", "For a QR code of kind 'text': the words in this language."),
]

# Requirements a layout may name that are satisfied by campaign.toml rather than a language file.
CAMPAIGN_REQUIREMENTS = {"photos", "contact"}
KNOWN_REQUIREMENTS = {f.name for f in LANGUAGE_FIELDS} | CAMPAIGN_REQUIREMENTS


@dataclass(frozen=True)
class Contact:
    """An addressee with every value already in one language."""

    name: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    url: str = ""
    address: str = ""


@dataclass(frozen=True)
class Photo:
    key: str
    file: Path
    shown_as: str
    credit: Any
    index: int
    mask_faces: bool | None = None
    masks: tuple[tuple[int, int, int, int], ...] = ()
    crop: str | tuple[float, float] | None = None
    # Detected blocks to leave off: a number from the review sheet, or an area whose blocks go.
    unmask: tuple[int | tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True)
class OutputSpec:
    layout: str
    languages: tuple[str, ...] | None
    options: dict[str, Any]
    index: int | None


@dataclass(frozen=True)
class QRSpec:
    kind: str = "url"
    error_correction: str = "M"
    target: str | None = None
    text: Any = None


@dataclass
class LanguageText:
    """One `<lang>.toml`: the campaign's words in one language."""

    lang: str
    file: Path
    shown_as: Path
    values: dict[str, Any]
    source: TomlFile
    # The language this text was transliterated from, when it was not written by hand.
    transliterated_from: str | None = None

    def has(self, key: str) -> bool:
        value = self.values.get(key)
        return value not in (None, "", [], {})

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def line_of(self, key: str) -> int | None:
        return self.source.line_of(key)


@dataclass
class Campaign:
    """A campaign folder: campaign.toml plus one language file per language."""

    key: str
    folder: Path
    root: Path
    source: TomlFile
    languages: list[str]
    contact: dict[str, Any]
    contacts: list[dict[str, Any]]
    qr: QRSpec
    photos: list[Photo]
    outputs: list[OutputSpec] | None
    # Generated language -> the language it is transliterated from.
    generated: dict[str, str] = field(default_factory=dict)
    targets: list[str] | None = None
    mask_faces: bool = False
    _texts: dict[str, LanguageText] = field(default_factory=dict)

    @property
    def shown_as(self) -> Path:
        return self.source.shown_as

    def language_file(self, lang: str) -> Path:
        return self.folder / f"{lang}.toml"

    def text(self, lang: str) -> LanguageText:
        """The language file for `lang`, loaded and checked once; counted as read each time."""
        reads.record(self.language_file(lang))
        source = self.generated.get(lang)
        while source is not None:  # a generated language is made from its source's file
            reads.record(self.language_file(source))
            source = self.generated.get(source)
        if lang not in self._texts:
            self._texts[lang] = load_language(self, lang)
        return self._texts[lang]

    def localize(self, value: Any, lang: str) -> str:
        """A 'text' value in one language; a generated language falls back to its source's."""
        if isinstance(value, dict) and lang not in value and lang in self.generated:
            source = self.generated[lang]
            return transliterate(localize(value, source), to=lang, from_=source)
        return localize(value, lang)

    def contact_in(self, lang: str) -> Contact:
        return self._contact_in(self.contact, lang)

    def contacts_in(self, lang: str) -> list[Contact]:
        """Every addressee in print order, the main one first."""
        return [self.contact_in(lang), *(self._contact_in(c, lang) for c in self.contacts)]

    def _contact_in(self, table: dict[str, Any], lang: str) -> Contact:
        return Contact(**{f.name: self.localize(table.get(f.name), lang) for f in CONTACT_FIELDS})


def localize(value: Any, lang: str) -> str:
    """A 'text' value in one language: a plain string, or its entry in a language table."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get(lang, "")


def relative_to_root(path: Path, root: Path) -> Path:
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        return path


def _load_inside(path: Path, root: Path) -> TomlFile:
    """load_toml, for a campaign or language file that must lie inside the workspace: one that
    is a symlink out of it (or in a campaign folder that is) is refused, naming it as given."""
    try:
        shown = Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
    except ValueError:
        shown = relative_to_root(path, root)
    if path.is_symlink() or path.exists():
        refused = outside_workspace(path, root)
        if refused:
            raise ContentError(refused, file=shown)
    return load_toml(path, ContentError, shown)


def find_campaigns(root: Path) -> list[Path]:
    """Every campaign folder under leaflets/, sorted by name."""
    leaflets = root / "leaflets"
    if not leaflets.is_dir():
        return []
    return sorted(p for p in leaflets.iterdir() if (p / "campaign.toml").is_file())


def load_campaign(folder: Path, root: Path) -> Campaign:
    """Read and check campaign.toml; language files are read later, one at a time."""
    path = folder / "campaign.toml"
    if not folder.is_dir():
        raise ContentError("campaign folder not found", file=relative_to_root(folder, root))
    doc = _load_inside(path, root)
    data = doc.data
    problems = doc.check(data, CAMPAIGN_FIELDS)

    languages = data.get("languages") if isinstance(data.get("languages"), list) else []
    languages = [lang for lang in languages if isinstance(lang, str)]
    generated, found = _check_transliterate(doc, data.get("transliterate"), languages, folder)
    problems += found
    for i, lang in enumerate(languages):
        if not LANGUAGE_CODE.match(lang):
            problems.append(
                doc.problem(
                    f"languages[{i}]",
                    f"'{lang}' is not a language code; expected a BCP 47 code such as "
                    "'kk', 'ru', 'en' or 'kk-Latn'",
                )
            )
        elif lang not in generated and not (folder / f"{lang}.toml").is_file():
            problems.append(
                doc.problem(
                    "languages",
                    f"language '{lang}' has no file; expected {relative_to_root(folder, root)}/{lang}.toml",
                )
            )
    if "languages" in data and not languages:
        problems.append(doc.problem("languages", "expected at least one language code"))
    if len(set(languages)) != len(languages):
        problems.append(doc.problem("languages", "a language is listed twice"))

    contact = data.get("contact") if isinstance(data.get("contact"), dict) else {}
    if "contact" in data:
        problems += doc.check(data["contact"], CONTACT_FIELDS, "contact.")
        if isinstance(data["contact"], dict) and not any(contact.values()):
            problems.append(
                doc.problem(
                    "contact", "expected at least one of name, phone, fax, email, url, address"
                )
            )
    contacts = data.get("contacts") if isinstance(data.get("contacts"), list) else []
    for i, extra in enumerate(contacts):
        problems += doc.check(extra, CONTACT_FIELDS, f"contacts[{i}].")
    for where, table in [
        ("contact", contact),
        *((f"contacts[{i}]", c) for i, c in enumerate(contacts)),
    ]:
        problems += _check_language_tables(doc, table, where, languages, generated)

    qr_data = data.get("qr", {})
    problems += doc.check(qr_data, QR_FIELDS, "qr.")
    qr = QRSpec()
    if isinstance(qr_data, dict):
        qr = QRSpec(
            kind=qr_data.get("kind", "url"),
            error_correction=qr_data.get("error_correction", "M"),
            target=qr_data.get("target"),
            text=qr_data.get("text"),
        )
        problems += _check_language_tables(doc, qr_data, "qr", languages, generated)

    photos: list[Photo] = []
    raw_photos = data.get("photos") if isinstance(data.get("photos"), list) else []
    stems: dict[str, int] = {}
    for i, entry in enumerate(raw_photos):
        found = doc.check(entry, PHOTO_FIELDS, f"photos[{i}].")
        problems += found
        if found or not isinstance(entry, dict):
            continue
        problems += _check_language_tables(doc, entry, f"photos[{i}]", languages, generated)
        file = root / entry["file"]
        refused = outside_workspace(file, root)
        if refused:
            problems.append(doc.problem(f"photos[{i}].file", f"'{entry['file']}': {refused}"))
            continue
        stem = Path(entry["file"]).stem
        if stem in stems:
            problems.append(
                doc.problem(
                    f"photos[{i}].file",
                    f"two photos share the key '{stem}' (photos[{stems[stem]}] too); "
                    "a photo's key is its file name without extension, so rename one",
                )
            )
        stems[stem] = i
        masks, crop, found = _photo_privacy_keys(doc, entry, i)
        problems += found
        unmask, found = _photo_unmask(doc, entry, i)
        problems += found
        photos.append(
            Photo(
                stem,
                file,
                entry["file"],
                entry.get("credit"),
                i,
                entry.get("mask_faces"),
                masks,
                crop,
                unmask,
            )
        )

    outputs: list[OutputSpec] | None = None
    if isinstance(data.get("outputs"), list):
        outputs = []
        for i, entry in enumerate(data["outputs"]):
            found = doc.check(entry, OUTPUT_FIELDS, f"outputs[{i}].")
            problems += found
            if found:
                continue
            langs = entry.get("languages")
            for lang in langs or []:
                if lang not in languages:
                    problems.append(
                        doc.problem(
                            f"outputs[{i}].languages",
                            f"'{lang}' is not one of the campaign's languages "
                            f"({', '.join(languages)}){did_you_mean(lang, languages)}",
                        )
                    )
            outputs.append(
                OutputSpec(
                    entry["layout"], tuple(langs) if langs else None, entry.get("options", {}), i
                )
            )

    problems += _check_targets(doc, data.get("targets"))
    problems += text_problems(doc, data)
    if problems:
        raise ContentError(problems=problems)
    return Campaign(
        key=folder.name,
        folder=folder,
        root=root,
        source=doc,
        languages=languages,
        contact=contact,
        contacts=contacts,
        qr=qr,
        photos=photos,
        outputs=outputs,
        generated=generated,
        targets=list(data["targets"]) if isinstance(data.get("targets"), list) else None,
        mask_faces=bool(data.get("mask_faces", False)),
    )


def _check_transliterate(
    doc: TomlFile, table: Any, languages: list[str], folder: Path
) -> tuple[dict[str, str], list[Problem]]:
    """`transliterate = { "kk-Latn" = "kk" }`: both languages listed, a supported pair, one source."""
    if not isinstance(table, dict):
        return {}, []
    generated: dict[str, str] = {}
    problems: list[Problem] = []
    for target, source in table.items():
        key = f"transliterate.{target}"
        if not isinstance(source, str):
            problems.append(
                doc.problem(key, f"expected a language code, found {type(source).__name__}")
            )
            continue
        for role, lang in (("made", target), ("made from", source)):
            if lang not in languages:
                problems.append(
                    doc.problem(
                        key,
                        f"'{lang}' ({role}) is not one of the campaign's languages "
                        f"({', '.join(languages)}){did_you_mean(lang, languages)}",
                    )
                )
        if source in table:
            problems.append(
                doc.problem(key, f"'{source}' is itself transliterated; name a written language")
            )
        try:
            transliterate("", to=target, from_=source)
        except LeafpressError as exc:
            problems.append(doc.problem(key, exc.first.message))
        if (folder / f"{target}.toml").is_file():
            problems.append(
                doc.problem(
                    key,
                    f"{target}.toml exists too; remove it, or remove this line to use the file",
                )
            )
        generated[target] = source
    return generated, problems


def _check_targets(doc: TomlFile, targets: Any) -> list[Problem]:

    if not isinstance(targets, list):
        return []
    return [
        doc.problem(
            f"targets[{i}]",
            f"unknown target {name!r}{did_you_mean(str(name), TARGET_NAMES)}; "
            f"known targets: {', '.join(TARGET_NAMES)}",
        )
        for i, name in enumerate(targets)
        if name not in TARGET_NAMES
    ]


def _photo_privacy_keys(
    doc: TomlFile, entry: dict[str, Any], i: int
) -> tuple[tuple[tuple[int, int, int, int], ...], str | tuple[float, float] | None, list[Problem]]:
    """A photo's `masks` and `crop`, checked: what the schema's kinds cannot say."""
    problems: list[Problem] = []
    masks: list[tuple[int, int, int, int]] = []
    raw = entry.get("masks", [])
    if not isinstance(raw, list) or not all(
        isinstance(m, list)
        and len(m) == 4
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in m)
        and m[2] > 0
        and m[3] > 0
        for m in raw
    ):
        problems.append(
            doc.problem(
                f"photos[{i}].masks",
                "expected a list of [x, y, width, height] in whole photo pixels, "
                "e.g. masks = [[120, 80, 60, 60]]",
            )
        )
    else:
        masks = [tuple(m) for m in raw]
    crop = entry.get("crop")
    if crop is not None and crop != "center":
        if (
            isinstance(crop, list)
            and len(crop) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in crop)
            and all(0 <= v <= 1 for v in crop)
        ):
            crop = (float(crop[0]), float(crop[1]))
        else:
            problems.append(
                doc.problem(
                    f"photos[{i}].crop",
                    'expected "center" or a focal point [x, y] as fractions of the width and '
                    "height (0 to 1), e.g. crop = [0.5, 0.3]",
                )
            )
            crop = None
    return tuple(masks), crop, problems


def _photo_unmask(
    doc: TomlFile, entry: dict[str, Any], i: int
) -> tuple[tuple[int | tuple[int, int, int, int], ...], list[Problem]]:
    """A photo's `unmask`: block numbers (1 and up) and [x, y, w, h] areas, mixed as one likes."""
    raw = entry.get("unmask", [])

    def whole(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    def fine(item: Any) -> bool:
        if whole(item):
            return item >= 1
        return (
            isinstance(item, list)
            and len(item) == 4
            and all(whole(v) and v >= 0 for v in item)
            and item[2] > 0
            and item[3] > 0
        )

    if not isinstance(raw, list) or not all(fine(item) for item in raw):
        problem = doc.problem(
            f"photos[{i}].unmask",
            "expected a list of block numbers from `leafpress faces` (1 and up) or "
            "[x, y, width, height] in whole photo pixels, e.g. unmask = [2, [900, 40, 120, 160]]",
        )
        return (), [problem]
    return tuple(item if whole(item) else tuple(item) for item in raw), []


def _check_language_tables(
    doc: TomlFile,
    table: Any,
    where: str,
    languages: list[str],
    generated: dict[str, str] | None = None,
) -> list[Problem]:
    """A per-language table must give every written campaign language, and only those."""
    problems: list[Problem] = []
    if not isinstance(table, dict):
        return problems
    for key, value in table.items():
        if not isinstance(value, dict):
            continue
        dotted = f"{where}.{key}"
        for lang in value:
            if lang not in languages:
                problems.append(
                    doc.problem(
                        dotted,
                        f"'{lang}' is not one of the campaign's languages "
                        f"({', '.join(languages)}){did_you_mean(lang, languages)}",
                    )
                )
        missing = [
            lang for lang in languages if lang not in value and lang not in (generated or {})
        ]
        if missing:
            problems.append(
                doc.problem(dotted, f"no text for {', '.join(missing)}; expected one per language")
            )
    return problems


def load_language(campaign: Campaign, lang: str) -> LanguageText:
    """Read and check one `<lang>.toml` of a campaign, or make a generated language from its source."""
    if lang in campaign.generated:
        return _transliterated(campaign.text(campaign.generated[lang]), lang)
    doc = _load_inside(campaign.language_file(lang), campaign.root)
    path, shown = doc.path, doc.shown_as
    data = doc.data
    problems = doc.check(data, LANGUAGE_FIELDS)
    if isinstance(data.get("mailto"), dict):
        problems += doc.check(data["mailto"], MAILTO_FIELDS, "mailto.")
    captions = data.get("captions")
    if isinstance(captions, dict):
        keys = [p.key for p in campaign.photos]
        for stem, caption in captions.items():
            if stem not in keys:
                problems.append(
                    doc.problem(
                        f"captions.{stem}",
                        f"no photo has the key '{stem}'{did_you_mean(stem, keys)}; "
                        f"photo keys are the file stems in campaign.toml: {', '.join(keys) or 'none'}",
                    )
                )
            elif not isinstance(caption, str):
                problems.append(
                    doc.problem(
                        f"captions.{stem}", f"expected a string, found {type(caption).__name__}"
                    )
                )
    labels = data.get("labels")
    if isinstance(labels, dict):
        for key, value in labels.items():
            if not isinstance(value, str):
                problems.append(doc.problem(f"labels.{key}", "expected a string"))
    problems += text_problems(doc, data)
    if not problems and isinstance(data.get("body"), str):
        depth = markdown_depth(data["body"])
        if depth > MAX_MARKDOWN_NESTING:
            problems.append(
                doc.problem(
                    "body",
                    f"lists or quotes nest {depth if depth < 100 else 'over 100'} deep, more than "
                    f"the {MAX_MARKDOWN_NESTING} leafpress prints; indent less",
                )
            )
    if problems:
        raise ContentError(problems=problems)
    return LanguageText(lang, path, shown, data, doc)


def _transliterated(source: LanguageText, lang: str) -> LanguageText:
    """Every string of a language file rewritten in another script; errors still point at the source."""

    def convert(value: Any) -> Any:
        if isinstance(value, str):
            return transliterate(value, to=lang, from_=source.lang)
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    values = convert(source.values)
    return LanguageText(lang, source.file, source.shown_as, values, source.source, source.lang)


def requirement_met(campaign: Campaign, text: LanguageText, requirement: str) -> bool:
    """Whether one language of a campaign has what a layout requires."""
    if requirement == "photos":
        return bool(campaign.photos)
    if requirement == "contact":
        return True  # campaign.toml requires it
    return text.has(requirement)


def missing_requirement(campaign: Campaign, text: LanguageText, requirement: str) -> Problem:
    """The problem to report when a language lacks something a layout needs."""
    if requirement == "photos":
        return campaign.source.problem("photos", "the layout shows photos; add [[photos]] entries")
    return Problem(
        f"missing required key '{requirement}'",
        text.shown_as,
        requirement,
        None,
    )

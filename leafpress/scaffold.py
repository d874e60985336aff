"""Start something new: a campaign skeleton to fill in, or a layout copied from or extending another."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .content import LANGUAGE_CODE, load_campaign
from .errors import ContentError, LayoutError, LeafpressError, Problem
from .layouts import LayoutLibrary
from .scripts import lookup_codes

NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
DEFAULT_LANGUAGES = ("kk", "ru", "en")
# Every placeholder starts with this, so `placeholders()` (and `check`) can list what is left.
PLACEHOLDER = "TODO"

# The language keys a new campaign gets, in print order: what each is, how long it can be, and
# a placeholder short enough that the skeleton builds in every layout before anything is written.
TEXT_KEYS: list[tuple[str, str, str]] = [
    ("headline", "The big line at the top: a few words, at most about 40 characters.", "headline"),
    ("subheadline", "One line under the headline: at most about 70 characters.", "subheadline"),
    ("lead", "What happened, in one or two sentences: at most about 250 characters.", "lead"),
    (
        "body",
        "The story in Markdown (blank line between paragraphs, *emphasis*): "
        "at most about 1,200 characters on an A5 leaflet.",
        "the story, in two or three short paragraphs",
    ),
    (
        "call_to_action",
        "What the reader should do now: one or two sentences, at most about 150 characters.",
        "what to do now",
    ),
    ("qr_label", "Beside the QR code, what a scan does: at most about 50 characters.", "scan me"),
]
DEMANDS_COMMENT = "The demands, one string each, the same count in every language: 3 to 6, each at most about 120 characters."


@dataclass(frozen=True)
class Placeholder:
    file: Path
    key: str


def _toml_string(value: str) -> str:
    # A JSON string with non-ASCII kept is a valid TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def _placeholder(what: str, lang: str) -> str:
    return f"{PLACEHOLDER} ({lang}): {what}"


def campaign_toml(name: str, languages: list[str]) -> str:
    names = ", ".join(
        f"{lang} = {_toml_string(_placeholder('who to write to', lang))}" for lang in languages
    )
    return f"""# Settings shared by every language of the campaign '{name}'.
# Any text value is either a plain string (the same in every language) or a table that maps a
# language code to the string for that language. Every value starting with {PLACEHOLDER} is a
# placeholder: `leafpress check` lists them.

# The languages this campaign is written in; each has its own <code>.toml beside this file.
languages = [{", ".join(_toml_string(lang) for lang in languages)}]

# The main addressee of the protest: printed first, and the QR code leads here.
# Allowed keys: name, phone, fax, email, url, address (leave out what you do not have).
[contact]
# Who to write to, per language: at most about 60 characters.
name = {{ {names} }}
# Web address the QR code opens (https://…). Add phone = "+7 …" and fax = "+7 …" in international form.
url = "https://example.org/{name}"

# The QR code printed on every output.
[qr]
# "url" opens contact.url; "vcard" saves the main contact; "mailto" opens a protest e-mail
# (needs contact.email and [mailto] in each language file); "tel" calls contact.phone.
kind = "url"
# How much damage the code survives: "L" 7 %, "M" 15 %, "Q" 25 %, "H" 30 %.
error_correction = "M"

# Photos for photo displays, from assets/{name}/; repeat the block for each:
# [[photos]]
# file = "assets/{name}/photo.jpg"
# credit = "Who took it"
"""


def language_toml(lang: str, known_labels: dict[str, dict[str, str]]) -> str:
    lines = [
        f"# The campaign's words in '{lang}'. Replace every {PLACEHOLDER} placeholder;",
        "# one-line comments say what each key is and how long it can be.",
        "",
    ]
    for key, comment, what in TEXT_KEYS:
        lines += [f"# {comment}", f"{key} = {_toml_string(_placeholder(what, lang))}", ""]
    demands = ", ".join(_toml_string(_placeholder(f"demand {i}", lang)) for i in (1, 2, 3))
    lines += [f"# {DEMANDS_COMMENT}", f"demands = [{demands}]", ""]
    lines += [
        "# For a QR code of kind 'mailto': the ready protest e-mail.",
        "# [mailto]",
        '# subject = "…"',
        '# body = "…"',
    ]
    if not any(code in known_labels for code in lookup_codes(lang)):
        # layouts/labels.toml has no table for this language: the fixed words go here.
        template = known_labels.get("en") or next(iter(known_labels.values()), {})
        lines += [
            "",
            "# The layouts' fixed words, which layouts/labels.toml does not have in this language.",
            "[labels]",
        ]
        lines += [
            f"{key} = {_toml_string(_placeholder(value, lang))}" for key, value in template.items()
        ]
    return "\n".join(lines) + "\n"


def new_campaign(root: Path, name: str, languages: list[str] | None = None) -> Path:
    """Create leaflets/NAME/ (campaign.toml and one file per language) and assets/NAME/."""
    langs = list(languages or DEFAULT_LANGUAGES)
    if not NAME.fullmatch(name):
        raise ContentError(
            f"'{name}' cannot name a campaign: use lower-case letters, digits, '-' and '_'",
            key="NAME",
        )
    problems = [
        Problem(
            f"'{lang}' is not a language code; expected a BCP 47 code such as 'kk', 'ru', 'en' or 'kk-Latn'",
            key="--lang",
        )
        for lang in langs
        if not LANGUAGE_CODE.match(lang)
    ]
    if len(set(langs)) != len(langs):
        problems.append(Problem("a language is given twice", key="--lang"))
    if problems:
        raise ContentError(problems=problems)
    folder = root / "leaflets" / name
    if folder.exists():
        raise ContentError(
            "already exists; choose another name or edit it", file=Path("leaflets") / name
        )
    known_labels = _labels(root)
    folder.mkdir(parents=True)
    (folder / "campaign.toml").write_text(campaign_toml(name, langs), encoding="utf-8")
    for lang in langs:
        (folder / f"{lang}.toml").write_text(language_toml(lang, known_labels), encoding="utf-8")
    (root / "assets" / name).mkdir(parents=True, exist_ok=True)
    return folder


def _labels(root: Path) -> dict[str, dict[str, str]]:
    path = root / "layouts" / "labels.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError:
        return {}


def placeholders(campaign_dir: Path, root: Path) -> list[Placeholder]:
    """Every value of a campaign that still holds a placeholder, by file and key."""
    campaign = load_campaign(campaign_dir, root)
    langs = set(campaign.languages)
    found = [
        Placeholder(campaign.shown_as, key)
        for key in _placeholder_keys(campaign.source.data, langs)
    ]
    for lang in campaign.languages:
        text = campaign.text(lang)
        found += [Placeholder(text.shown_as, key) for key in _placeholder_keys(text.values, langs)]
    return found


def _placeholder_keys(value: object, languages: set[str], prefix: str = "") -> list[str]:
    if isinstance(value, str):
        return [prefix] if value.startswith(PLACEHOLDER) else []
    if isinstance(value, list):
        return [
            k
            for i, item in enumerate(value)
            for k in _placeholder_keys(item, languages, f"{prefix}[{i}]")
        ]
    if not isinstance(value, dict):
        return []
    found = [
        k
        for key, item in value.items()
        for k in _placeholder_keys(item, languages, f"{prefix}.{key}".lstrip("."))
    ]
    # A per-language table ({ kk = "…", ru = "…" }) is one value: name its key once.
    if prefix and found and set(value) <= languages:
        return [prefix]
    return found


def new_layout(root: Path, name: str, source: str, *, extend: bool = False) -> Path:
    """Create layouts/NAME/: a copy of SOURCE, or (extend) a small layout that extends it."""
    library = LayoutLibrary(root)
    parent = library.get(source, key="--from")  # an unknown one lists the layouts there are
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise LayoutError(
            f"'{name}' cannot name a layout: use letters, digits, '.', '-' and '_'", key="NAME"
        )
    folder = root / "layouts" / name
    if folder.exists():
        raise LayoutError("already exists; choose another name", file=Path("layouts") / name)
    if not extend:
        shutil.copytree(parent.folder, folder)
        return folder
    folder.mkdir()
    (folder / "layout.toml").write_text(
        f"""# {name}: a variant of {source}. Settings not given here come from {source}'s layout.toml.
description = "A variant of {source}."
extends = {_toml_string(source)}
""",
        encoding="utf-8",
    )
    (folder / "style.css").write_text(
        f"""/* {name}: rules here are layered on top of {source}'s stylesheets. */
""",
        encoding="utf-8",
    )
    (folder / "template.html").write_text(
        f"""{{% extends "{source}/template.html" %}}
{{# Override any block of {source}/template.html here, e.g.
{{% block masthead %}}<h1 class="headline">{{{{ headline }}}}</h1>{{% endblock %}}
Blocks not named here stay as {source} has them. #}}
""",
        encoding="utf-8",
    )
    library = LayoutLibrary(root)
    try:
        library.get(name)
    except LeafpressError:
        shutil.rmtree(folder)
        raise
    return folder

"""The glyph check: every character an output prints is in its fonts or its script's fallback."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

from ..compose import PLAIN_FIELDS, load_labels
from ..content import localize
from ..errors import LeafpressError
from ..findings import Finding
from ..scripts import fallback_key, glyph_gaps
from ..typography import apply_conventions
from . import OutputContext, output_check


def printed_strings(context: OutputContext) -> Iterable[tuple[str, str]]:
    """(field, text) for every piece of text the output prints, after the language's conventions."""
    text, lang = context.text, context.text.lang
    campaign = context.campaign
    for name in (*PLAIN_FIELDS, "body"):
        value = text.get(name)
        if isinstance(value, str):
            yield name, value
    for i, demand in enumerate(text.get("demands") or []):
        if isinstance(demand, str):
            yield f"demands[{i}]", demand
    for key, caption in (text.get("captions") or {}).items():
        if isinstance(caption, str):
            yield f"captions.{key}", caption
    if "photos" in context.layout.requires:
        for photo in campaign.photos:
            credit = localize(photo.credit, lang)
            if credit:
                yield f"photos[{photo.index}].credit", credit
    labels = load_labels(campaign.root, context.layout, lang)
    labels.update(text.get("labels") or {})
    for key, value in labels.items():
        if isinstance(value, str):
            yield f"labels.{key}", value
    for i, contact in enumerate(campaign.contacts_in(lang)):
        where = "contact" if i == 0 else f"contacts[{i - 1}]"
        for key, value in vars(contact).items():
            if value:
                yield f"{where}.{key}", value


@functools.lru_cache(maxsize=4096)
def _printed_characters(value: str, lang: str) -> tuple[str, ...]:
    # Every target of a language prints the same strings: the conventions are applied once.
    try:
        printed = apply_conventions(value, lang)
    except LeafpressError:
        printed = value
    return tuple(
        char
        for char in dict.fromkeys(printed)
        if char not in "\n\r\t" and unicodedata.category(char) not in ("Cc", "Cf")
    )


@output_check
def check_glyphs(context: OutputContext) -> Iterable[Finding]:
    """Every character printed is in one of the layout's fonts or the fallback its script has in
    fonts/fonts.toml (the very test compose uses to add them), so none prints as an empty box.
    One finding per script, so that a page of Arabic is one line, not hundreds."""
    fonts, lang = context.fonts, context.text.lang
    names = [n for n in context.layout.fonts if n in fonts.families]
    try:
        covered = fonts.coverage(names)
    except Exception as exc:  # fontTools raises its own kinds on a damaged file
        return [
            context.finding(
                "glyphs",
                "error",
                f"a font file of {', '.join(names)} cannot be read ({exc}); "
                "replace it with a working .ttf or .otf file",
                file="fonts/fonts.toml",
                key="families",
            )
        ]
    if not covered:
        return [context.finding("glyphs", "warning", "the layout names no font to check")]
    stack = ", ".join(names)
    missing = []
    for where, value in printed_strings(context):
        for char in _printed_characters(value, lang):
            if ord(char) in covered:
                continue
            key = fallback_key(char, lang)
            fallback = fonts.fallbacks.get(key or "")
            if fallback and ord(char) in fonts.coverage([fallback]):
                continue
            missing.append((where, char))
    found = [
        context.finding(
            "glyphs",
            "error",
            gap.message(stack, fonts.fallbacks, fonts.families),
            file=str(_file_of(context, next(iter(gap.fields)))),
            key=next(iter(gap.fields)),
        )
        for gap in glyph_gaps(missing, lang)
    ]
    if not found:
        found.append(context.finding("glyphs", "ok", f"every character is in {stack}"))
    return found


def _file_of(context: OutputContext, where: str) -> str:
    """The file a printed string comes from, for the finding's location."""
    if where.startswith(("contact", "photos[")):
        return str(context.campaign.shown_as)
    if where.startswith("labels.") and where[7:] not in (context.text.get("labels") or {}):
        return "layouts/labels.toml"
    return str(context.text.shown_as)

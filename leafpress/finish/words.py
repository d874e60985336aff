"""The words a finishing step prints for an output: its language's labels and a font that has them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..compose import load_labels
from ..fonts import FontManifest, face_file
from ..layouts import Layout
from ..scripts import script_of
from .labelfont import SheetWords

# Tile labels are short and must read at a glance: the bold of the chosen family.
LABEL_STYLES = ("bold", "regular")
# Scripts whose letters join or change shape with their neighbours, or that run right to left.
# Labels are drawn glyph by glyph from the font's character map, with no shaping, so words in
# these scripts would print wrong: such sheets give their instructions in English.
SHAPED_SCRIPTS = frozenset({"Arab", "Hebr", "Deva", "Beng", "Taml", "Telu", "Thai"})
# What labels print besides the words: sheet names (A1, B3), counts and sizes.
SHEET_NAMES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:×.,-"


def sheet_words(root: Path, layout: Layout, job: Any, fonts: FontManifest) -> SheetWords:
    """Labels (layouts/labels.toml and the language file's [labels]) in the output's language
    (the front's, for a two-language output), set in the layout's first font family, or in the
    fallback family fonts.toml declares for a script that family lacks (CJK, Georgian, …)."""
    lang = job.sides[0] if job.sides else job.lang
    words = load_labels(root, layout, lang)
    words.update(job.campaign.text(lang).get("labels") or {})
    words = {k: str(v) for k, v in words.items() if k.startswith("tile_")}
    printed = "".join(words.values())
    if any(script_of(char) in SHAPED_SCRIPTS for char in printed):
        words, printed = {}, ""  # SheetWords.say falls back to its English words
    own = layout.fonts[0] if layout.fonts else next(iter(fonts.families))
    name = own
    if not _covers(fonts, name, printed):
        keys = fonts.fallbacks_for(printed, [name], lang)
        name = fonts.fallbacks[keys[0]] if keys else name
        # One font sets a label, sheet names and all: a fallback without Latin letters
        # (Georgian, Armenian) cannot, and the sheets then speak English in the layout's font.
        if not _covers(fonts, name, printed):
            words, name = {}, own
    family = fonts.family(name, layout.shown_as)
    style = next(s for s in (*LABEL_STYLES, *family.files) if s in family.files)
    # A collection (.ttc, as the CJK fonts come) is cut down to the one face it uses.
    return SheetWords(face_file(family.files[style], family.index, fonts.face_cache), words)


def _covers(fonts: FontManifest, name: str, printed: str) -> bool:
    covered = fonts.coverage([name])
    return all(ord(char) in covered for char in printed + SHEET_NAMES if not char.isspace())

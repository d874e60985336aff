"""The words a finishing step prints for an output: its language's labels and a layout font."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..compose import load_labels
from ..fonts import FontManifest
from ..layouts import Layout
from .labelfont import SheetWords

# Tile labels are short and must read at a glance: the bold of the layout's first family.
LABEL_STYLES = ("bold", "regular")


def sheet_words(root: Path, layout: Layout, job: Any, fonts: FontManifest) -> SheetWords:
    """Labels (layouts/labels.toml and the language file's [labels]) in the output's language
    (the front's, for a two-language output), set in the first of the layout's font families."""
    lang = job.sides[0] if job.sides else job.lang
    words = load_labels(root, layout, lang)
    text = job.campaign.text(lang)
    words.update(text.get("labels") or {})
    name = layout.fonts[0] if layout.fonts else next(iter(fonts.families))
    family = fonts.family(name, layout.shown_as)
    font = next(family.files[s] for s in (*LABEL_STYLES, *family.files) if s in family.files)
    return SheetWords(font, {k: str(v) for k, v in words.items()})

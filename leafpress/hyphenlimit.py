"""At most N hyphenated lines in a row: WeasyPrint 70 ignores `hyphenate-limit-lines`, so we enforce it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

from markupsafe import escape

# What a layout gets unless its layout.toml says otherwise: the usual rule of European typesetting.
DEFAULT_LIMIT = 2
_TAG = re.compile(r"(<[^>]*>)")
_SKIPPED_ELEMENTS = re.compile(r"(<(style|title|svg)\b.*?</\2>)", re.S | re.I)
_WORD_END = re.compile(r"(\w+)\W*$")
_WORD_START = re.compile(r"^\W*(\w+)")


def _lines(box) -> Iterator[tuple[object, str]]:
    """(block, text) of every line box, in reading order."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.LineBox):
        leaves = [b for b in box.descendants() if isinstance(b, boxes.TextBox)]
        yield box.element, "".join(leaf.text for leaf in leaves)
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child)


def plain_text(html: str) -> str:
    """The words of an HTML document, for telling a typed hyphen from one the renderer added."""
    html = _SKIPPED_ELEMENTS.sub(" ", html)
    return unescape(_TAG.sub("", html))


def overlong_hyphen_runs(document, source_text: str, limit: int = DEFAULT_LIMIT) -> set[str]:
    """Words that were hyphenated on a line after `limit` hyphenated lines in a row.

    A line counts as hyphenated when it ends with a hyphen that is not in the source: the part
    before it and the start of the next line make a word that the source has without one.
    """
    lines = [line for page in document.pages for line in _lines(page._page_box)]
    words: set[str] = set()
    run = 0
    for (block, text), (next_block, next_text) in zip(lines, [*lines[1:], (None, "")], strict=True):
        end = (
            _WORD_END.search(text.rstrip()[:-1])
            if text.rstrip().endswith(("-", "\u2010", "\u00ad"))
            else None
        )
        start = _WORD_START.match(next_text) if next_block is block else None
        joined = end[1] + start[1] if end and start else ""
        if joined and re.search(rf"\b{re.escape(joined)}", source_text):
            run += 1
            if run > limit:
                words.add(joined)
        else:
            run = 0
    return words


def protect_words(html: str, words: set[str]) -> str:
    """Wrap every occurrence of `words` in document text so it is never hyphenated."""
    if not words:
        return html
    pattern = re.compile(
        r"(?<!\w)("
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?!\w)"
    )
    parts = _SKIPPED_ELEMENTS.split(html)
    out = []
    # split() with two groups yields [text, whole skipped element, its tag name, text, ...]
    for index, part in enumerate(parts):
        kind = index % 3
        if kind == 2:
            continue
        if kind == 1:
            out.append(part)
            continue
        for piece in _TAG.split(part):
            if piece.startswith("<"):
                out.append(piece)
            else:
                out.append(
                    pattern.sub(
                        lambda m: f'<span style="hyphens: manual">{escape(m[1])}</span>', piece
                    )
                )
    return "".join(out)

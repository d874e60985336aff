"""Campaign text to safe HTML: Markdown without raw HTML, images or local links; plain fields escaped."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .workspace import link_allowed

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# A filter gets a run of text and the text of the runs beside it: a Markdown paragraph comes in
# runs (`"**no**"` is `"`, `no`, `"`), and only the neighbours tell which way a lone quote turns.
TextFilter = Callable[..., str]


def _identity(text: str, *, before: str = "", after: str = "") -> str:
    return text


@cache
def _parser() -> MarkdownIt:
    # Imported here: a build that renders nothing (all outputs unchanged) never needs it.
    from markdown_it import MarkdownIt

    # Raw HTML is off, so `<script>` prints as text; images are off, so content cannot make the
    # renderer fetch anything; the link validator drops javascript: and similar schemes.
    # maxNesting well above what content may hold (markdown_depth refuses deeper text): at the
    # limit markdown-it stops parsing and silently drops the rest of the field.
    options = {"html": False, "typographer": False, "maxNesting": _PARSE_NESTING}
    return MarkdownIt("commonmark", options).disable("image")


_PARSE_NESTING = 100
_CONTAINERS = {"bullet_list_open", "ordered_list_open", "blockquote_open"}


def markdown_depth(source: str) -> int:
    """How deep lists and quotes nest in a Markdown text (a top-level list is 1); text nested
    deeper than the parser reaches counts as deeper than any limit."""
    depth = deepest = 0
    for token in _parser().parse(source):
        if token.type in _CONTAINERS:
            depth += 1
            deepest = max(deepest, depth)
        elif token.type.replace("_close", "_open") in _CONTAINERS:
            depth -= 1
        if token.level >= _PARSE_NESTING - 2:
            return _PARSE_NESTING
    return deepest


# Web and e-mail addresses: never hyphenated (a hyphen would change the address), and of no language.
_ADDRESS = re.compile(
    r"(?:https?://|www\.)[^\s<>«»“”\"]+[^\s<>«»“”\".,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
# Words in Latin letters inside a Cyrillic text (a name, "WhatsApp") are hyphenated as English,
# not by the Kazakh or Russian patterns.
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ \u00a0-][A-Za-z][A-Za-z'’]*)*")
CYRILLIC_LANGUAGES = {"kk", "ru", "uk", "be", "ky", "tg", "mn", "bg", "sr", "mk"}


def _is_cyrillic(lang: str) -> bool:
    primary, _, rest = lang.partition("-")
    return primary in CYRILLIC_LANGUAGES and "Latn" not in rest.split("-")


def language_runs(text: str, lang: str) -> list[tuple[str, str | None]]:
    """Split text into (run, lang) pairs: addresses get 'zxx' (no language), Latin words in a
    Cyrillic text get 'en', the rest None (the element's own language)."""
    patterns = [_ADDRESS, _LATIN_RUN] if _is_cyrillic(lang) else [_ADDRESS]
    runs: list[tuple[str, str | None]] = []
    position = 0
    while position < len(text):
        found = [(m, p) for p in patterns if (m := p.search(text, position))]
        if not found:
            break
        match, pattern = min(found, key=lambda mp: (mp[0].start(), patterns.index(mp[1])))
        if match.start() > position:
            runs.append((text[position : match.start()], None))
        runs.append((match.group(), "zxx" if pattern is _ADDRESS else "en"))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], None))
    return runs


def _span(run: str, lang: str | None) -> Markup:
    if lang is None:
        return escape(run)
    kind = "address" if lang == "zxx" else "foreign"
    return Markup(f'<span class="{kind}" lang="{lang}">{escape(run)}</span>')


def markdown_to_html(source: str, text_filter: TextFilter = _identity, lang: str = "") -> Markup:
    """Render Markdown; `text_filter` rewrites each run of text (quotes, no-break spaces), and
    runs in another language or no language (addresses) are marked with `lang`."""
    from markdown_it.token import Token

    md = _parser()
    tokens = md.parse(source)
    for token in tokens:
        children = token.children or []
        originals = [c.content if c.type == "text" else "" for c in children]
        marked: list[Token] = []
        unlinked = False
        for i, child in enumerate(children):
            # A link the PDF may not carry (relative, file:, http:) prints as its text: a relative
            # link became file:///<the user's folders>/layouts/… in the PDF.
            if child.type == "link_open" and not link_allowed(str(child.attrGet("href") or "")):
                unlinked = True
                continue
            if child.type == "link_close" and unlinked:
                unlinked = False
                continue
            if child.type != "text":
                marked.append(child)
                continue
            before = "".join(originals[:i])
            after = "".join(originals[i + 1 :])
            fixed = text_filter(child.content, before=before, after=after)
            for run, run_lang in language_runs(fixed, lang):
                # An html_inline token is written out as it is; _span escapes the run itself.
                marked.append(Token("html_inline", "", 0, content=str(_span(run, run_lang))))
        if token.children is not None:
            token.children = marked
    return Markup(md.renderer.render(tokens, md.options, {}))


def plain_to_html(text: str, text_filter: TextFilter = _identity, lang: str = "") -> Markup:
    """A plain field as escaped HTML, with its line breaks kept and other-language runs marked."""
    lines = text_filter(text).split("\n")
    return Markup("<br>").join(
        Markup("").join(_span(run, run_lang) for run, run_lang in language_runs(line, lang))
        for line in lines
    )

"""Campaign text to safe HTML: Markdown without raw HTML or images, plain fields escaped."""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

# A filter gets a run of text and the text of the runs beside it: a Markdown paragraph comes in
# runs (`"**no**"` is `"`, `no`, `"`), and only the neighbours tell which way a lone quote turns.
TextFilter = Callable[..., str]


def _identity(text: str, *, before: str = "", after: str = "") -> str:
    return text


def _parser() -> MarkdownIt:
    # Raw HTML is off, so `<script>` prints as text; images are off, so content cannot make the
    # renderer fetch anything; the link validator drops javascript: and similar schemes.
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).disable("image")


_MD = _parser()


def markdown_to_html(source: str, text_filter: TextFilter = _identity) -> Markup:
    """Render Markdown; `text_filter` rewrites each run of text (quotes, no-break spaces)."""
    tokens = _MD.parse(source)
    for token in tokens:
        children = token.children or []
        originals = [c.content if c.type == "text" else "" for c in children]
        for i, child in enumerate(children):
            if child.type == "text":
                before = "".join(originals[:i])
                after = "".join(originals[i + 1 :])
                child.content = text_filter(child.content, before=before, after=after)
    # markdown-it escapes every text run itself; what comes out is trusted markup.
    return Markup(_MD.renderer.render(tokens, _MD.options, {}))


def plain_to_html(text: str, text_filter: TextFilter = _identity) -> Markup:
    """A plain field as escaped HTML, with its line breaks kept."""
    return Markup("<br>").join(escape(line) for line in text_filter(text).split("\n"))

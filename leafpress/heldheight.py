"""An invisible copy that only holds a pinned strip's room in the flow (a layout's `hold_height`): measured in the first pass that lays it out, then a block of that height."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .render import LaidOut

# Elements without an end tag: they open no level.
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


_TITLE = re.compile(r"<title>.*?</title>", re.S)


@dataclass(frozen=True)
class Holder:
    """Where the holder's content is in the document: html[start:end] is its inner HTML."""

    html: str
    start: int
    end: int
    body_start: int  # just after <body ...>
    body_end: int  # at </body>

    @property
    def inner(self) -> str:
        return self.html[self.start : self.end]

    def alone(self) -> str:
        """The document with the holder as the only element of its body: all a holder's size
        depends on (its content, the styles and the page), what its measure is kept under."""
        opening = self.html.rfind("<", self.body_start, self.start)
        closing = self.html.find(">", self.end) + 1
        # The title is the headline, and lays nothing out: an edited headline does not make
        # the holder's height measured again.
        head = _TITLE.sub("", self.html[: self.body_start], count=1)
        return head + self.html[opening:closing] + self.html[self.body_end :]

    def held(self, height_px: float) -> str:
        """The document with the holder's content replaced by one block of `height_px`."""
        # repr() writes the float exactly, and the CSS parser reads it back the same.
        block = f'<div style="height: {height_px!r}px"></div>'
        return self.html[: self.start] + block + self.html[self.end :]


class _Finder(HTMLParser):
    def __init__(self, html: str, class_name: str) -> None:
        super().__init__(convert_charrefs=False)
        self.class_name = class_name
        self.lines = [0]
        for line in html.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.depth = 0  # levels inside <body>, 0 outside it
        self.in_body = False
        self.body_start = self.body_end = -1
        self.start = self.end = -1
        self.holder_depth = -1

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
            self.body_start = self._offset() + len(self.get_starttag_text() or "")
            return
        if not self.in_body or tag in _VOID:
            return
        self.depth += 1
        classes = (dict(attrs).get("class") or "").split()
        if self.depth == 1 and self.start < 0 and self.class_name in classes:
            self.start = self._offset() + len(self.get_starttag_text() or "")
            self.holder_depth = self.depth

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # <br/>, <path/>: no level

    def handle_endtag(self, tag: str) -> None:
        if tag == "body":
            self.body_end = self._offset()
            self.in_body = False
            return
        if not self.in_body or tag in _VOID:
            return
        if self.depth == self.holder_depth and self.end < 0:
            self.end = self._offset()
        self.depth -= 1


def find_holder(html: str, class_name: str) -> Holder | None:
    """The first element of class `class_name` that is a child of <body>, or None. Leafpress
    composes its documents from templates, so their tags are closed as they are opened."""
    finder = _Finder(html, class_name)
    finder.feed(html)
    finder.close()
    if min(finder.start, finder.end, finder.body_start, finder.body_end) < 0:
        return None
    return Holder(html, finder.start, finder.end, finder.body_start, finder.body_end)


@dataclass(frozen=True)
class HeldSize:
    """The holder's content, measured: its height, and the width it was laid out at."""

    height: float
    width: float

    def fits_strip(self, laid_out: LaidOut, strip_class: str) -> bool:
        """Whether the strip the holder stands for came out this size in a pass: its room."""
        strip = _box(laid_out, strip_class)
        # The same lines give the same height, give or take the last bits of a float summed
        # from another origin.
        return (
            strip is not None
            and abs(strip.width - self.width) < 1e-6
            and abs(strip.height - self.height) < 1e-6
        )


def measure_holder(laid_out: LaidOut, class_name: str) -> HeldSize | None:
    """The size of the holder's content in a pass that laid the holder out as it is; None when
    a block of that height would not stand exactly where the holder's content did (a margin of
    its content reaching through its edge), or the holder broke across pages."""
    boxes = _boxes(laid_out, class_name)
    if len(boxes) != 1:
        return None
    box = boxes[0]
    if _margin_reaches_through(box, "top") or _margin_reaches_through(box, "bottom"):
        return None
    return HeldSize(box.height, box.width)


def prune_holder(laid_out: LaidOut, class_name: str) -> None:
    """Empty the holder's boxes in a pass that laid it out as it is: it draws nothing, but its
    content's boxes leave empty drawing operations in the PDF that a pass with a block in its
    place does not, and the PDF must be the same whichever pass a fit ends on."""
    for box in _boxes(laid_out, class_name):
        box.children = []


def _margin_reaches_through(box: Any, side: str) -> bool:
    """Whether a margin of the box's first (top) or last (bottom) descendants collapses through
    its edge: then its content's height does not say where the next box stands."""
    if box.style[f"border_{side}_width"] or getattr(box, f"padding_{side}"):
        return False
    blocks = [c for c in getattr(box, "children", None) or [] if _in_flow_block(c)]
    if not blocks or len(blocks) != len(getattr(box, "children", None) or []):
        return False  # lines of text (or nothing): no margin to reach through
    child = blocks[0] if side == "top" else blocks[-1]
    return bool(getattr(child, f"margin_{side}")) or _margin_reaches_through(child, side)


def _in_flow_block(box: Any) -> bool:
    name = type(box).__name__
    return name.endswith("BlockBox") and box.is_in_normal_flow()


def _boxes(laid_out: LaidOut, class_name: str) -> list[Any]:
    """The block boxes of the elements of the class, in document order (a block broken across
    pages is one box on each)."""
    found = []
    stack = [page._page_box for page in reversed(laid_out.document.pages)]
    while stack:
        box = stack.pop()
        element = getattr(box, "element", None)
        # A pinned strip is an AbsolutePlaceholder, which stands for its block box.
        if (
            type(box).__name__ in ("BlockBox", "AbsolutePlaceholder")
            and element is not None
            and class_name in (element.get("class") or "").split()
        ):
            found.append(box)
            continue
        stack.extend(reversed(getattr(box, "children", None) or []))
    return found


def _box(laid_out: LaidOut, class_name: str) -> Any:
    """The first block box of an element of the class, in document order, or None."""
    boxes = _boxes(laid_out, class_name)
    return boxes[0] if boxes else None


class HeldPasses:
    """Layout passes of one document with the layout's height holder as a block of its height
    wherever that lays out the same pages, and as it is elsewhere.

    `classes` are the layout's `hold_height` (holder, strip), or None; `sizes` the holders
    measured so far, kept by the builder across outputs; `context` what else a holder's size
    depends on (WeasyPrint's options); `render(document, css)` lays a document out once."""

    def __init__(
        self,
        classes: tuple[str, str] | None,
        sizes: dict[str, HeldSize | None],
        budget: int,
        context: str,
        render: Callable[[str, str], LaidOut],
    ) -> None:
        self.classes = classes
        self.sizes = sizes
        self.budget = budget
        self.context = context
        self.render = render
        self._holders: dict[str, tuple[Holder, str] | None] = {}

    def lay_out(self, html: str, css: str, sketching: bool = False) -> LaidOut:
        """One pass of `html` with `css`. A sketch's pass (`sketching`) that runs over its
        budget is left as it is: it is not shown, nor taken by a fit."""
        found = self._holder(html)
        if found is None:
            return self.render(html, css)
        holder, key = found
        assert self.classes is not None
        size = self.sizes.get(key)
        if size is not None:
            laid_out = self.render(holder.held(size.height), css)
            # Run over, the holder would break across pages where its block cannot; a strip of
            # another size (one that scales) needs its own room. Laid out as it is, the pass
            # measures as it always did, and the fit ends where it always did.
            if (laid_out.pages <= self.budget or sketching) and size.fits_strip(
                laid_out, self.classes[1]
            ):
                return laid_out
        laid_out = self.render(html, css)
        if laid_out.pages <= self.budget:
            # Whole on its page: measured, then emptied, so that this pass writes the same PDF
            # as one with a block in its place. (A pass run over is never written.)
            if key not in self.sizes:
                self.sizes[key] = measure_holder(laid_out, self.classes[0])
            prune_holder(laid_out, self.classes[0])
        return laid_out

    def _holder(self, html: str) -> tuple[Holder, str] | None:
        """The document's holder and the key its size is kept under, or None."""
        if self.classes is None:
            return None
        if html not in self._holders:
            holder = find_holder(html, self.classes[0])
            if holder is None:
                self._holders[html] = None
            else:
                text = holder.alone() + "\0" + self.context
                key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
                self._holders[html] = (holder, key)
        return self._holders[html]

"""An invisible copy that only holds its content's height in the flow (a layout's `hold_height`): measured once per content, then a block of that height in its place."""

from __future__ import annotations

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
_MARK_CLASS = "leafpress-held-mark"
_MARK = f'<div class="{_MARK_CLASS}" style="height: 1px"></div>'


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
        """The document with the holder as the only element of its body, between two marks:
        what its content's height is measured in (the same head, styles and page; the same
        width, as a child of the body), and where the marks show whether a block of that
        height takes the holder's place exactly (its content's margins may reach through it)."""
        opening = self.html.rfind("<", self.body_start, self.start)
        closing = self.html.find(">", self.end) + 1
        # The title is the headline, and lays nothing out: an edited headline does not make
        # the holder's height measured again.
        head = _TITLE.sub("", self.html[: self.body_start], count=1)
        return head + _MARK + self.html[opening:closing] + _MARK + self.html[self.body_end :]

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


def measure_holder(
    holder: Holder, class_name: str, css: str, render: Callable[[str, str], LaidOut]
) -> float | None:
    """The height of the holder's content, laid out alone (`render(document, css)`); None when
    a block of that height does not lay out as the holder did (its content's margins reaching
    through it, say), and the holder must stay as it is."""
    alone = render(holder.alone(), css)
    box = _box(alone, class_name)
    if box is None or alone.pages != 1:
        return None
    block = find_holder(holder.alone(), class_name)
    assert block is not None
    held = render(block.held(box.height), css)
    if _placement(held, class_name) != _placement(alone, class_name):
        return None
    return box.height


def _placement(laid_out: LaidOut, class_name: str) -> tuple[float, ...] | None:
    """Where the holder's content starts and ends, and where the mark after it stands."""
    box, mark = _box(laid_out, class_name), _box(laid_out, _MARK_CLASS, last=True)
    if box is None or mark is None:
        return None
    return (box.content_box_y(), box.height, mark.position_y)


def _box(laid_out: LaidOut, class_name: str, last: bool = False) -> Any:
    """The first (or last) block box of an element of the class, in document order."""
    found = None
    stack = [page._page_box for page in reversed(laid_out.document.pages)]
    while stack:
        box = stack.pop()
        element = getattr(box, "element", None)
        if (
            type(box).__name__ == "BlockBox"
            and element is not None
            and class_name in (element.get("class") or "").split()
        ):
            if not last:
                return box
            found = box
        stack.extend(reversed(getattr(box, "children", None) or []))
    return found

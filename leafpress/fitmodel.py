"""How tall fitted text would be at another scale, predicted from the lines of one layout pass."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Words counted this much wider where a line too many costs a pass: widths are estimated.
SAFE_WIDTH = 1.02


@dataclass(frozen=True)
class Paragraph:
    """One block of lines inside a fitted element, as one pass laid it out: its words' widths
    (each with the space after it), what it wraps them in, and its lines' height."""

    lines: int
    words: tuple[tuple[float, float], ...]
    width_px: float
    height_px: float
    share: float = 1.0  # of the element's height: 1 / columns in a multi-column box

    def lines_at(self, ratio: float, widen: float = 1.0) -> int:
        """Its lines with every size multiplied by `ratio`: the words rewrapped as much wider,
        corrected by how far rewrapping at the same size is from the lines the pass found
        (justification, hyphens, widths shared out between characters)."""
        found = _wrap(self.words, self.width_px / ratio / widen) - _wrap(self.words, self.width_px)
        return max(self.lines + found, 1)

    def height_at(self, ratio: float, widen: float = 1.0) -> float:
        """Its lines' height with every size multiplied by `ratio`, each line as much taller
        (and its words `widen` times wider still, to be safe)."""
        return self.height_px / self.lines * self.lines_at(ratio, widen) * ratio


def paragraphs(box: Any, share: float = 1.0) -> Iterator[Paragraph]:
    """The blocks of lines inside a laid-out box, floats and absolutely placed boxes left out
    (they do not add to its height)."""
    children = [c for c in getattr(box, "children", None) or [] if _in_flow(c)]
    lines = [c for c in children if type(c).__name__ == "LineBox"]
    if lines and box.width:
        words = [word for line in lines for word in _words(line)]
        height = sum(line.height for line in lines)
        yield Paragraph(len(lines), tuple(words), box.width, height, share)
        return
    columns = box.style["column_count"] if hasattr(box, "style") else "auto"
    if isinstance(columns, int) and columns > 1:
        share /= columns
    for child in children:
        yield from paragraphs(child, share)


def predicted_height(found: list[Paragraph], ratio: float, widen: float = 1.0) -> float:
    """How much the element's height changes when its sizes are multiplied by `ratio`; what
    is not lines (padding, borders, gaps) is taken to stay as it is."""
    return sum(p.share * (p.height_at(ratio, widen) - p.height_px) for p in found)


def _wrap(words: tuple[tuple[float, float], ...], width: float) -> int:
    """Lines the words take, broken greedily between words."""
    lines, x = 1, 0.0
    for word, space in words:
        if x and x + word > width + 0.01:
            lines, x = lines + 1, 0.0
        x += word + space
    return lines


def _words(line: Any) -> Iterator[tuple[float, float]]:
    """A line's words as (width, width of the space after it): a text's width shared between
    its characters, an inline block whole."""
    for box in _leaves(line):
        text = getattr(box, "text", None)
        if text is None:
            yield (box.margin_width(), 0.0)
            continue
        if not text or not box.width:
            continue
        per_char = box.width / len(text)
        for chunk in text.split(" "):
            if chunk:
                yield (per_char * len(chunk), per_char)
    # A line ends where it broke: its last space is not carried into the next.


def _leaves(box: Any) -> Iterator[Any]:
    for child in getattr(box, "children", None) or []:
        name = type(child).__name__
        if name == "TextBox" or name.startswith("InlineBlock") or name.startswith("InlineReplaced"):
            yield child
        elif _in_flow(child):
            yield from _leaves(child)


def _in_flow(box: Any) -> bool:
    style = getattr(box, "style", None)
    if style is None:
        return True
    return style["position"] not in ("absolute", "fixed") and style["float"] == "none"


def ratio_for_lines(found: list[Paragraph], max_lines: int, lowest: float) -> float:
    """The largest ratio, from `lowest` to 1, at which the paragraphs take at most `max_lines`
    lines, their words counted a little wider so that a line on the edge is not lost."""

    def lines(ratio: float) -> int:
        return sum(p.lines_at(ratio, SAFE_WIDTH) for p in found)

    if lines(lowest) > max_lines:
        return lowest
    lo, hi = lowest, 1.0
    for _ in range(14):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if lines(mid) <= max_lines else (lo, mid)
    return lo

"""Copy-fitting: scale a layout's fitting text until its output fills its page budget, no more."""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .fitmodel import SAFE_WIDTH, Paragraph, paragraphs, predicted_height, ratio_for_lines
from .layoutconfig import FitSpec
from .render import PX_TO_PT, LaidOut

# Aim a little below the page's full height, mid-way into the good-enough band: line breaks make
# the height jump, not glide, and a pass that overshoots costs one more.
TARGET_FILL = 0.985
# A fitted output whose text leaves less than this share of its pages empty is good enough.
GOOD_ENOUGH_SLACK = 0.03
# Text at scale 1 that leaves more than this share of its pages empty grows (up to max_scale):
# the same share as good enough, so that a poster's gap above its foot is filled by fitting.
GROW_WHEN_SLACK = GOOD_ENOUGH_SLACK
MAX_PASSES = 6
# Text height grows with the square of its size: lines get taller, and each holds fewer words.
HEIGHT_EXPONENT = 2.0
# The share of its lines' width a fitted headline may fill: breaks between words waste the rest.
LINE_FILL = 0.88


def scale_css(scale: float, first: float = 1.0) -> str:
    """The stylesheet that sets the scales; layouts multiply their fitting sizes by --fit-scale,
    and the size of the element fitted first (`fit_lines`) by --fit-lines-scale."""
    return f":root {{ --fit-scale: {scale:.4f}; --fit-lines-scale: {first:.4f}; }}"


@dataclass
class Measure:
    """How one layout pass filled its pages."""

    scale: float
    pages: int
    budget: int
    needed_px: float  # height the flow takes, summed over pages
    room_px: float  # height the page budget offers
    element_px: float  # height of the fitting element(s)
    field_px: float  # height of the field's box (class = field name): what "too long" is a share of
    text_pt: float | None  # font size of the floor text
    first_scale: float = 1.0  # the scale of the element fitted first (fit_lines)
    lines: int = 0  # lines of the element fitted first
    line_fill: float = 0.0  # its lines' text widths summed, in line widths
    first_px: float = 0.0  # its height
    # The blocks of lines of the fitting element(s): what the next scale is predicted from.
    paragraphs: tuple[Paragraph, ...] = ()
    first_paragraphs: tuple[Paragraph, ...] = ()  # those of the element fitted first
    # Words of the element fitted first broken across its lines (overflow-wrap's last resort),
    # and the scale, relative to this pass's, at which the widest of them would fit a line.
    broken_words: int = 0
    unbroken_at: float = 1.0

    @property
    def fits(self) -> bool:
        return self.pages <= self.budget and self.needed_px <= self.room_px + 0.5

    @property
    def slack(self) -> float:
        return (self.room_px - self.needed_px) / self.room_px


@dataclass
class FitResult:
    laid_out: LaidOut
    scale: float
    passes: int
    fits: bool
    budget: int
    text_pt: float | None = None
    too_long_pct: float | None = None
    spec: FitSpec | None = None
    history: list[float] = field(default_factory=list)
    first_scale: float = 1.0  # the scale fit_lines chose for its element
    # How the chosen pass filled its pages, and the words kept whole in it (build.py's
    # hyphenation limit): what another target of the same text starts from.
    measure: Measure | None = None
    protected: frozenset[str] = frozenset()
    # Laid out without the no-break space before the first element's last word (fit's unglued).
    unglued: bool = False

    @property
    def field_to_blame(self) -> bool:
        """Whether shortening the fitted field can make the text fit: when the overflow is
        larger than the whole field, the text around it is what is too long."""
        return self.spec is not None and (self.too_long_pct or 0) < 100

    def too_long_message(self, layout: str, lang: str) -> str:
        """The sentence a person reads when the text cannot be made to fit."""
        if self.spec is None:
            return (
                f"the output takes {self.laid_out.pages} pages; {layout} has room for "
                f"{self.budget} and does not copy-fit. Shorten the longest text"
            )
        base_pt = (self.text_pt or 0) / self.scale
        if base_pt and self.spec.floor_pt / base_pt >= self.spec.min_scale:
            at = f"at the {self.spec.floor_pt:g} pt minimum"
        else:
            at = f"at the smallest scale the layout allows ({self.spec.min_scale * 100:.0f} %)"
        pct = math.ceil(self.too_long_pct or 1)
        return (
            f"{self.spec.field} is about {pct} % too long for {layout} in {lang} {at}; "
            f"shorten it by about {pct} %"
        )


def measure(
    laid_out: LaidOut, spec: FitSpec | None, budget: int, scale: float, first_scale: float = 1.0
) -> Measure:
    """Page usage of one pass, from WeasyPrint's page boxes."""
    pages = [page._page_box for page in laid_out.document.pages]
    room = pages[0].height * budget
    # Pages within the budget count in full when text runs past them: what broke to the next page
    # (a block that does not split, a widow) left their foot empty, but not usable.
    used = [_flow_bottom(page) - page.content_box_y() for page in pages]
    used[1:] = [u + _removed_at_top(page) for u, page in zip(used[1:], pages[1:], strict=True)]
    needed = sum(used)
    if len(pages) > budget:
        needed = max(needed, room + 1)
    element_px = field_px = 0.0
    text_pt = None
    found: list[Paragraph] = []
    if spec is not None:
        for page in pages:
            for box in _outermost(page, spec.element):
                element_px += box.border_height()
                found += paragraphs(box)
            field_px += sum(box.border_height() for box in _outermost(page, "." + spec.field))
            if text_pt is None:
                for box in _outermost(page, spec.text):
                    text_pt = box.style["font_size"] * PX_TO_PT
                    break
    lines, fill, first_px, broken, unbroken_at = 0, 0.0, 0.0, 0, 1.0
    first_found: list[Paragraph] = []
    if spec is not None and spec.first is not None:
        lines, fill, first_px = _line_usage(pages, spec.first.element)
        broken, unbroken_at = _broken_words(pages, spec.first.element)
        for page in pages:
            for box in _outermost(page, spec.first.element):
                first_found += paragraphs(box)
    return Measure(
        scale,
        len(pages),
        budget,
        needed,
        room,
        element_px,
        field_px,
        text_pt,
        first_scale,
        lines,
        fill,
        first_px,
        tuple(found),
        tuple(first_found),
        broken,
        unbroken_at,
    )


def _line_usage(pages: list, selector: str) -> tuple[int, float, float]:
    """How many lines the element takes, how many full lines its text would fill, and its height."""
    lines, fill, height = 0, 0.0, 0.0
    for page in pages:
        for box in _outermost(page, selector):
            height += box.border_height()
            for line, width in _line_boxes(box):
                ends = [c.position_x + c.margin_width() for c in _children(line)]
                if ends and width:
                    lines += 1
                    fill += (max(ends) - line.position_x) / width
    return lines, fill, height


# Only these spaces are where a line may break; a no-break space is part of what it joins.
_COLLAPSING = re.compile(r"[ \t\n\r\f]+")


def _broken_words(pages: list, selector: str) -> tuple[int, float]:
    """Words the element's lines break inside, where Pango sees no break opportunity (no space,
    no CJK or Thai boundary, no hyphen): WeasyPrint's overflow-wrap breaks a word wider than
    its line anywhere. Also the share of the current size at which the widest such word (with
    whatever a no-break space joins to it) would fit its line."""
    from weasyprint.text.line_break import get_log_attrs

    broken, unbroken_at = 0, 1.0
    for page in pages:
        for box in _outermost(page, selector):
            element = getattr(box, "element", None)
            if element is None or not box.width:
                continue
            source = _COLLAPSING.sub(" ", "".join(element.itertext())).strip(" ")
            lines = [list(_text_boxes(line)) for line, _ in _line_boxes(box)]
            lines = [line for line in lines if line]
            attrs = None
            at = 0
            for line, after in itertools.pairwise(lines):
                text = "".join(t.text for t in line)
                if not source.startswith(text, at):
                    break  # transformed or hyphenated text: nothing to judge by
                at += len(text)
                if at >= len(source) or source[at] == " ":
                    at += 1
                    continue
                if source[at - 1].isspace():
                    continue  # after a no-break space: no word is cut
                attrs = attrs if attrs is not None else get_log_attrs(source, box.style["lang"])
                if attrs[at].is_line_break:
                    continue
                broken += 1
                head, tail = text[text.rfind(" ") + 1 :], "".join(t.text for t in after)
                tail = tail.split(" ")[0]
                width = _share(line, len(text), len(head)) + _share(after, None, len(tail))
                unbroken_at = min(unbroken_at, box.width / width if width else 1.0)
    return broken, unbroken_at


def _text_boxes(box: Any) -> Iterator[Any]:
    for child in _children(box):
        if type(child).__name__ == "TextBox":
            yield child
        else:
            yield from _text_boxes(child)


def _share(line: list, length: int | None, chars: int) -> float:
    """The width of `chars` characters of a line's text, by their share of its characters."""
    length = length if length is not None else sum(len(t.text) for t in line)
    width = sum(t.width for t in line)
    return width * chars / length if length else 0.0


def _line_boxes(box: Any) -> Iterator[tuple[Any, float]]:
    """The line boxes inside a box, each with the width its block offers: WeasyPrint's line
    box is only as wide as its text."""
    for child in _children(box):
        if type(child).__name__ == "LineBox":
            yield child, box.width
        else:
            yield from _line_boxes(child)


def fit(
    lay: Callable[..., LaidOut],
    spec: FitSpec | None,
    budget: int,
    unglued: Callable[[], Callable[..., LaidOut]] | None = None,
) -> FitResult:
    """Fit the element of `fit_lines` (a headline) to its lines, then the `fit` element to the
    room it leaves; when that cannot fit at the floor, shrink the first element as far as it
    may go before saying the text is too long.

    `lay(scale, first_scale)` lays the output out once (`first_scale` defaults to 1).
    `unglued()`, if given, is `lay` for the text without the no-break space before its last
    word (lines.py): taken when the first element breaks a word even at its smallest size.
    """
    if spec is None or spec.first is None:
        return _fit_element(lambda scale: lay(scale), spec, budget)
    lines = spec.first
    laid, m, first_scale, passes = _fit_lines(lay, spec, budget)
    released = False
    if m.broken_words and unglued is not None:
        lay, released = unglued(), True
        laid, m, first_scale, more = _fit_lines(lay, spec, budget)
        passes += more
    result = _fit_element(
        lambda scale, at=first_scale: lay(scale, at), spec, budget, (laid, m), first_scale
    )
    result.passes += passes - 1
    if not result.fits and first_scale > lines.min_scale + 0.002:
        # The rest cannot fit above its floor: give it the room a smaller first element leaves,
        # starting from where the room it frees is estimated to take the rest.
        over = measure(result.laid_out, spec, budget, result.scale, first_scale)
        freed = over.first_px * (1 - lines.min_scale / first_scale)
        smaller = _fit_element(
            lambda scale: lay(scale, lines.min_scale),
            spec,
            budget,
            None,
            lines.min_scale,
            guess=_first_guess(_freed(over, freed), spec),
        )
        smaller.passes += result.passes
        result = smaller
    result.unglued = released
    return result


def _fit_lines(
    lay: Callable[..., LaidOut], spec: FitSpec, budget: int
) -> tuple[LaidOut, Measure, float, int]:
    """The first element shrunk to its lines, and never breaking a word while it may shrink;
    the pass that did it also tries the rest at the scale it is estimated to take."""
    lines = spec.first
    assert lines is not None
    first_scale, passes = 1.0, 1
    laid = lay(1.0, first_scale)
    m = measure(laid, spec, budget, 1.0, first_scale)
    # Lines are few and their text width goes with the scale: one estimate usually lands; a
    # word that no longer fits a line can add one, hence a second try. A word broken across
    # lines reads as two: the element shrinks until its widest word fits a line.
    while (
        (m.lines > lines.max_lines or m.broken_words)
        and first_scale > lines.min_scale + 0.002
        and passes < (4 if m.broken_words else 3)
    ):
        wanted = first_scale
        if m.lines > lines.max_lines and m.first_paragraphs:
            ratio = ratio_for_lines(
                list(m.first_paragraphs), lines.max_lines, lines.min_scale / first_scale
            )
            wanted = first_scale * ratio
        elif m.lines > lines.max_lines:
            wanted = first_scale * lines.max_lines * LINE_FILL / max(m.line_fill, 0.01)
        if m.broken_words:
            wanted = min(wanted, first_scale * m.unbroken_at * 0.98)
        smaller = max(lines.min_scale, min(wanted, first_scale * 0.97))
        kept_lines = min(m.lines, lines.max_lines)
        kept = m.first_px / max(m.lines, 1) * kept_lines * smaller / first_scale
        if smaller > lines.min_scale and not _fits_at_floor(_freed(m, m.first_px - kept), spec):
            # The rest is predicted not to fit above its floor beside it: the first element
            # gives way at once, as it would after a search (fit).
            kept *= lines.min_scale / smaller
            smaller = lines.min_scale
        scale = _first_guess(_freed(m, m.first_px - kept), spec)
        first_scale = smaller
        laid = lay(scale, first_scale)
        m = measure(laid, spec, budget, scale, first_scale)
        passes += 1
    return laid, m, first_scale, passes


def _freed(m: Measure, px: float) -> Measure:
    """The pass as it would measure with `px` more room for the rest."""
    return dataclasses.replace(m, needed_px=m.needed_px - px)


def _first_guess(m: Measure, spec: FitSpec) -> float:
    """The scale a search from this (real or predicted) pass would try first."""
    lowest, highest = _limits(m, spec)
    if m.fits and (m.slack <= GROW_WHEN_SLACK or m.scale >= highest - 0.002):
        return m.scale
    guess = _estimate([m], m.room_px * TARGET_FILL, lowest, highest)
    return m.scale if guess is None else guess


def _fits_at_floor(m: Measure, spec: FitSpec) -> bool:
    """Whether the pass's lines are predicted to fit at the floor, give or take a line."""
    if not m.paragraphs:
        return True
    lowest, _ = _limits(m, spec)
    needed = m.needed_px + predicted_height(list(m.paragraphs), lowest / m.scale)
    return needed <= m.room_px * (1 + GOOD_ENOUGH_SLACK)


def _limits(m: Measure, spec: FitSpec) -> tuple[float, float]:
    """The smallest scale the floor allows, and the largest."""
    lowest = spec.min_scale
    if m.text_pt:
        lowest = max(lowest, spec.floor_pt / (m.text_pt / m.scale))
    return min(lowest, 1.0), spec.max_scale


def _fit_element(
    lay: Callable[[float], LaidOut],
    spec: FitSpec | None,
    budget: int,
    start: tuple[LaidOut, Measure] | None = None,
    first_scale: float = 1.0,
    guess: float = 1.0,
) -> FitResult:
    """Lay out at scale 1 (or a guess), then estimate (not bisect) the scale that fills the
    page budget.

    `lay(scale)` lays the output out once. Each estimate predicts, from the lines of the pass
    nearest the target, the largest scale whose text fits (fitmodel.py), else solves the
    measured heights by the secant through the two nearest passes, always inside the bracket
    of known fitting and overflowing scales. Only the laid-out document of the chosen scale is
    kept.
    """
    if start is not None:
        first, m = start
    else:
        first = lay(guess)
        m = measure(first, spec, budget, guess, first_scale)
    if spec is None:
        # Nothing scales: the output fits when it keeps to its pages (a sheet sized to its
        # page's last millimetre may measure a hair over it, summed over many pages).
        fits = m.pages <= budget
        return FitResult(first, m.scale, 1, fits, budget, history=[m.scale], measure=m)

    lowest, highest = _limits(m, spec)
    if m.fits and (m.slack <= GROW_WHEN_SLACK or m.scale >= highest - 0.002):
        return FitResult(
            first,
            m.scale,
            1,
            True,
            budget,
            m.text_pt,
            spec=spec,
            history=[m.scale],
            first_scale=first_scale,
            measure=m,
        )

    measures = [m]
    best: tuple[Measure, LaidOut] | None = (m, first) if m.fits else None
    over: tuple[Measure, LaidOut] | None = None if m.fits else (m, first)
    target = m.room_px * TARGET_FILL
    while len(measures) < MAX_PASSES:
        lo = best[0].scale if best else lowest
        hi = over[0].scale if over else highest
        scale = _estimate(measures, target, lo, hi)
        if scale is None or any(abs(scale - x.scale) < 0.002 for x in measures):
            break
        # The lines predict that a step larger would not fit: when this one does, stop.
        last_step = _predicted_over(measures, target, min(scale + 0.005, hi))
        laid = lay(scale)
        m = measure(laid, spec, budget, scale, first_scale)
        measures.append(m)
        if m.fits:
            if best is None or m.scale > best[0].scale:
                best = (m, laid)
        elif over is None or m.scale < over[0].scale:
            over = (m, laid)
        if m.fits and last_step and m is best[0]:
            break
        if best and (
            best[0].slack < GOOD_ENOUGH_SLACK
            or best[0].scale >= highest - 0.002
            or (over and over[0].scale - best[0].scale < 0.01)
        ):
            break
        if over and over[0].scale <= lowest + 0.002:
            break  # at the floor and still too long

    if best is None and over is not None and over[0].scale > lowest + 0.002:
        # The search stopped short of the floor: the floor decides, and gives an honest figure.
        laid = lay(lowest)
        m = measure(laid, spec, budget, lowest, first_scale)
        measures.append(m)
        if m.fits:
            best = (m, laid)
        else:
            over = (m, laid)
    history = [x.scale for x in measures]
    if best is not None:
        chosen, laid = best
        return FitResult(
            laid,
            chosen.scale,
            len(measures),
            True,
            budget,
            chosen.text_pt,
            None,
            spec,
            history,
            first_scale,
            chosen,
        )
    assert over is not None
    last, laid = over
    excess = last.needed_px - last.room_px
    share_of = last.field_px or last.element_px
    pct = 100 * excess / share_of if share_of else 100.0
    return FitResult(
        laid,
        last.scale,
        len(measures),
        False,
        budget,
        last.text_pt,
        pct,
        spec,
        history,
        first_scale,
    )


def _estimate(measures: list[Measure], target: float, lo: float, hi: float) -> float | None:
    """The next scale to try: the largest the lines of the pass nearest the target predict
    to fit; else the secant through the two passes nearest the target, else the model."""
    if hi - lo < 0.002:
        return None
    near = sorted(measures, key=lambda x: abs(x.needed_px - target))
    predicted = _predict(near[0], target, lo, hi)
    if predicted is not None and not any(abs(predicted - x.scale) < 0.002 for x in measures):
        return predicted
    guess = None
    if len(near) >= 2 and abs(near[0].needed_px - near[1].needed_px) > 1:
        a, b = near[:2]
        guess = a.scale + (target - a.needed_px) * (b.scale - a.scale) / (b.needed_px - a.needed_px)
    if guess is None or not math.isfinite(guess):
        m = measures[-1]
        fixed = m.needed_px - m.element_px
        if m.element_px <= 0:
            return None
        unit = m.element_px / m.scale**HEIGHT_EXPONENT
        room_for_element = max(target - fixed, 0.0)
        guess = (room_for_element / unit) ** (1 / HEIGHT_EXPONENT)
    return min(max(guess, lo), hi)


def _predicted_over(measures: list[Measure], target: float, scale: float) -> bool:
    """Whether the lines of the pass nearest the target predict that `scale` overflows it."""
    m = min(measures, key=lambda x: abs(x.needed_px - target))
    if not m.paragraphs or m.pages > m.budget:
        return False
    return m.needed_px + predicted_height(list(m.paragraphs), scale / m.scale, SAFE_WIDTH) > target


def _predict(m: Measure, target: float, lo: float, hi: float) -> float | None:
    """The largest scale in [lo, hi] at which the pass's lines, rewrapped, fit the target
    (the prediction grows with the scale, so a bisection finds it); None without lines."""
    # A pass that ran onto another page measures what broke there, not its lines: no model.
    if not m.paragraphs or m.pages > m.budget:
        return None

    def needed(scale: float) -> float:
        return m.needed_px + predicted_height(list(m.paragraphs), scale / m.scale, SAFE_WIDTH)

    if needed(lo) > target:
        return lo
    if needed(hi) <= target:
        return hi
    for _ in range(14):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if needed(mid) <= target else (lo, mid)
    return lo


def _children(box: Any) -> list:
    return list(getattr(box, "children", None) or [])


def _in_flow(box: Any) -> bool:
    return box.style["position"] not in ("absolute", "fixed") and box.style["float"] == "none"


def _flow_bottom(page: Any) -> float:
    """Bottom of the in-flow content on a page: absolutely placed strips do not count."""
    top = page.content_box_y()
    return max([top, *(_content_bottom(child, top) for child in _children(page))])


def _content_bottom(box: Any, top: float) -> float:
    """Where a box's content ends. A box that continues on the next page is stretched to the
    page's foot by WeasyPrint, so its content ends where its last child's content does."""
    if not hasattr(box, "border_height"):
        return top
    continues = "bottom" in getattr(box, "remove_decoration_sides", ())
    children = [c for c in _children(box) if _in_flow(c)]
    if continues and children and not type(box).__name__.startswith(("Flex", "Line")):
        return max(_content_bottom(child, top) for child in children)
    return box.border_box_y() + box.border_height() + max(box.margin_bottom or 0, 0)


def _removed_at_top(page: Any) -> float:
    """Spacing WeasyPrint dropped from boxes continued from the previous page: in one flow,
    without the break, it would take room."""
    removed = 0.0
    box = page
    while True:
        children = [c for c in _children(box) if _in_flow(c)]
        if not children:
            return removed
        box = children[0]
        continued = "top" in getattr(box, "remove_decoration_sides", ())
        for name in ("margin_top", "padding_top", "border_top_width"):
            value = box.style[name]
            value = getattr(value, "value", value) if getattr(value, "unit", "px") == "px" else 0
            if continued:
                removed += float(value or 0)
            elif name == "margin_top":
                # A block pushed whole onto this page lost its top margin at the break.
                removed += max(float(value or 0) - float(box.margin_top or 0), 0.0)


def _matches(box: Any, selector: str) -> bool:
    element = getattr(box, "element", None)
    if element is None or "::" in (getattr(box, "element_tag", "") or ""):
        return False
    if selector.startswith("."):
        return selector[1:] in (element.get("class") or "").split()
    if selector.startswith("#"):
        return element.get("id") == selector[1:]
    return getattr(box, "element_tag", None) == selector


def _outermost(box: Any, selector: str) -> Iterator[Any]:
    """Boxes matching the selector, not descending into a match (its anonymous boxes share it)."""
    for child in _children(box):
        if _matches(child, selector) and _in_flow(child):
            yield child
        else:
            yield from _outermost(child, selector)

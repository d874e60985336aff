"""Fit again cheaply: replay a fit recorded for the same text, and keep hyphen runs within a layout's limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .fit import TARGET_FILL, FitResult, Measure, fit, measure
from .hyphenlimit import overlong_hyphen_runs, plain_text, protect_words
from .layoutconfig import FitSpec

if TYPE_CHECKING:
    from .layouts import Layout
    from .render import LaidOut


def replay(
    found: tuple[frozenset[str], Measure] | None,
    html: str,
    lay_out_at: Callable[[str], Callable[..., LaidOut]],
    layout: Layout,
    spec: FitSpec | None,
) -> FitResult | None:
    """The end of an earlier fit of the same text (its scale and the words kept whole), laid
    out in one pass; None unless it measures exactly as it did and breaks no word more, so
    that a search from the start would end at the same place (and the same PDF)."""
    if found is None:
        return None
    protected, known = found
    if spec is None and not protected:
        return None  # nothing to search for: a full fit is this one pass at scale 1
    laid = lay_out_at(protect_words(html, protected) if protected else html)(
        known.scale, known.first_scale
    )
    m = measure(laid, spec, known.budget, known.scale, known.first_scale)
    if m != known:
        return None
    runs = overlong_hyphen_runs(laid.document, plain_text(html), layout.hyphen_limit)
    if runs - protected:
        return None
    return FitResult(
        laid,
        m.scale,
        1,
        True,
        m.budget,
        m.text_pt,
        spec=spec,
        history=[m.scale],
        first_scale=m.first_scale,
        measure=m,
        protected=protected,
    )


def limit_hyphenation(
    html: str,
    fitted: FitResult,
    lay_out_at: Callable[[str], Callable[..., LaidOut]],
    layout: Layout,
    spec: FitSpec | None,
    budget: int,
) -> FitResult:
    """WeasyPrint ignores hyphenate-limit-lines: keep whole the words that end a line after
    `layout.hyphen_limit` hyphenated lines in a row, at the fitted scale; fit again only if
    that no longer fits (rare: a word kept whole moves a line break, seldom a whole line)."""
    if not fitted.fits:
        return fitted  # refused as too long: keeping words whole only makes it longer
    source = plain_text(html)
    protected: set[str] = set()
    for _ in range(3):
        found = overlong_hyphen_runs(fitted.laid_out.document, source, layout.hyphen_limit)
        if not found - protected:
            break
        protected |= found
        lay = lay_out_at(protect_words(html, protected))
        scale, passes, first = fitted.scale, fitted.passes, fitted.first_scale
        laid = lay(scale, first)
        passes += 1
        m = measure(laid, spec, budget, scale, first)
        if not m.fits and spec is not None and m.needed_px > 0:
            # Text height goes with the square of its scale (fit.py's model): one estimate
            # from this pass almost always lands, so the whole fit is seldom run again.
            floor = spec.floor_pt * scale / m.text_pt if m.text_pt else spec.min_scale
            scale = max(
                spec.min_scale, floor, scale * (m.room_px * TARGET_FILL / m.needed_px) ** 0.5
            )
            laid = lay(scale, first)
            passes += 1
            m = measure(laid, spec, budget, scale, first)
        if m.fits:
            fitted.laid_out, fitted.scale, fitted.passes = laid, scale, passes
            fitted.measure = m
        else:
            fitted = fit(lay, spec, budget)
            fitted.passes += passes
        fitted.protected = frozenset(protected)
    return fitted

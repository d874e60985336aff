"""Fit again cheaply: replay a fit recorded for the same text, and keep hyphen runs within a layout's limit."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .fit import TARGET_FILL, FitResult, Measure, fit, measure
from .hyphenlimit import overlong_hyphen_runs, plain_text, protect_words
from .layoutconfig import FitSpec
from .write import write_atomic

if TYPE_CHECKING:
    from .layouts import Layout
    from .render import LaidOut


# Fits kept on disk: enough for every output of a few campaigns and a long editing session;
# beyond it the least recently used are removed.
MAX_KEPT_FITS = 2000


@dataclass(frozen=True)
class FoundFit:
    """Where a fit ended: its scales, the words it kept whole, and a digest of how the chosen
    pass measured, which a replay must match exactly."""

    scale: float
    first_scale: float
    budget: int
    digest: str
    protected: frozenset[str] = frozenset()

    @classmethod
    def of(cls, fitted: FitResult) -> FoundFit | None:
        m = fitted.measure
        # A fit without the headline's last words glued is not replayed (rare; searched again),
        # nor one with nothing to search for (replay's own rule): neither is worth keeping.
        if not fitted.fits or m is None or fitted.unglued:
            return None
        if fitted.spec is None and not fitted.protected:
            return None
        return cls(m.scale, m.first_scale, m.budget, measure_digest(m), fitted.protected)


def measure_digest(m: Measure) -> str:
    # Floats to a millionth of a pixel: the same layout gives the same digest in any process,
    # whether a layout's height holder stood as itself or as a block of its height (heldheight.py:
    # the same lines, their heights summed from another origin, differ in the last bits).
    return hashlib.sha256(repr(_rounded(dataclasses.astuple(m))).encode()).hexdigest()


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, tuple | list):
        return tuple(_rounded(v) for v in value)
    return value


def fit_key(*parts: str) -> str:
    """The name a fit is kept under: the text as composed, the layout, its fit settings."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def recall(folder: Path, key: str) -> FoundFit | None:
    """The fit kept under `key` by an earlier process, or None (none, or not readable)."""
    path = folder / f"{key}.json"
    try:
        data = json.loads(path.read_text("utf-8"))
        found = FoundFit(
            float(data["scale"]),
            float(data["first_scale"]),
            int(data["budget"]),
            str(data["digest"]),
            frozenset(str(w) for w in data["protected"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    os.utime(path)  # recently used: kept when older ones are removed
    return found


def remember(folder: Path, key: str, found: FoundFit, inside: Path) -> None:
    """Keep `found` under `key`, so that another process lays the same text out once. A cache:
    a fit that cannot be written is only searched for again next time."""
    data = {
        "scale": found.scale,
        "first_scale": found.first_scale,
        "budget": found.budget,
        "digest": found.digest,
        "protected": sorted(found.protected),
    }
    try:
        write_atomic(folder / f"{key}.json", json.dumps(data).encode(), inside)
        kept = list(folder.glob("*.json"))
        if len(kept) > MAX_KEPT_FITS:
            kept.sort(key=lambda p: p.stat().st_mtime)
            for path in kept[: len(kept) - MAX_KEPT_FITS]:
                path.unlink(missing_ok=True)
    except OSError:
        pass


def replay(
    found: FoundFit | None,
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
    protected = found.protected
    if spec is None and not protected:
        return None  # nothing to search for: a full fit is this one pass at scale 1
    laid = lay_out_at(protect_words(html, protected) if protected else html)(
        found.scale, found.first_scale
    )
    m = measure(laid, spec, found.budget, found.scale, found.first_scale)
    if measure_digest(m) != found.digest:
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

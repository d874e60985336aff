"""How a build uses Python's garbage collector: seldom while an output renders, fully after it."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# Laying out a page allocates millions of small objects that live as long as the document. With
# Python's default thresholds (700, 10, 10) the collector runs thousands of times per output and
# walks the document again and again: 7-8 % of a --jobs 1 build of the benchmark campaign, and
# more in lost cache. Collecting every 20,000 allocations, and everything only after each output
# (`after_output`), built 30 benchmark outputs in 22.2 s instead of 24.6 s (medians of four
# alternated runs) with a lower peak memory (146 MB instead of 152 MB).
RENDERING_THRESHOLDS = (20_000, 50, 1_000)


@contextlib.contextmanager
def rendering_batch() -> Iterator[None]:
    """Collect seldom inside the block, and never walk what exists when it starts.

    What exists at the start (imported modules, the plan, the builder's layouts) is frozen
    out of every collection: it lives for the whole build, and workers forked from this process
    then share its pages instead of copying them when the collector touches them. The
    collector's settings are restored when the block ends, so a program that calls the engine
    keeps its own.
    """
    keep_warm()
    try:
        with while_waited_for():
            yield
    finally:
        gc.unfreeze()


def after_output() -> None:
    """Free an output's documents and whatever cycles they left, so memory stays that of one
    output at a time however many a build makes; then freeze what is left, which lives on
    (WeasyPrint, imported at the first output; fonts; the builder's caches), so that the next
    collections walk only what the next output makes."""
    keep_warm()


def keep_warm() -> None:
    """Freeze what exists (collected first) out of every collection: for serve, its first
    build's state (WeasyPrint, fonts, dictionaries, layouts), which it keeps for the edits that
    follow. Before it, a rebuild in serve now and then paused 0.1-0.2 s in a full collection
    that walked all of it. `thaw` undoes it."""
    gc.collect()
    gc.freeze()


def thaw() -> None:
    gc.unfreeze()


@contextlib.contextmanager
def while_waited_for() -> Iterator[None]:
    """Collect seldom inside the block (a rebuild a person waits for); call `when_idle` after."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*RENDERING_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def when_idle() -> None:
    """Free what the last rebuild left in cycles (its documents) while nobody waits: 10-20 ms
    once the warm state is frozen, and the next rebuild's collections find little to walk."""
    gc.collect()

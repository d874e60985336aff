"""What an output reads, recorded as it is read: the files incremental builds and `serve` watch."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

# The open recordings, innermost last; a file read is counted by all of them.
_recordings: ContextVar[tuple[set[Path], ...]] = ContextVar("leafpress_reads", default=())


def record(*paths: Path) -> None:
    """Count files as read by whatever is being made now; a file that is absent counts too,
    since creating it (a layout's own labels.toml, say) changes what is made."""
    recordings = _recordings.get()
    if recordings:
        resolved = [Path(p).resolve() for p in paths]
        for found in recordings:
            found.update(resolved)


@contextlib.contextmanager
def recording() -> Iterator[set[Path]]:
    """Inside the block, every file recorded is also added to the set it yields; recordings
    nest, so an output's record holds what its parts read."""
    found: set[Path] = set()
    token = _recordings.set((*_recordings.get(), found))
    try:
        yield found
    finally:
        _recordings.reset(token)


@contextlib.contextmanager
def apart() -> Iterator[set[Path]]:
    """A recording of its own that the outer ones do not see: for work done once for many
    outputs (a campaign's checks read every language), which each output takes into account
    in its own way."""
    found: set[Path] = set()
    token = _recordings.set((found,))
    try:
        yield found
    finally:
        _recordings.reset(token)

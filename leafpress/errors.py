"""Errors a person can act on: each names the file, the key or line, and what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as the input allows."""

    message: str
    file: Path | None = None
    key: str | None = None
    line: int | None = None
    column: int | None = None

    def location(self) -> str:
        parts = []
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        if self.key:
            parts.append(self.key)
        return ": ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class LeafpressError(Exception):
    """Base of every error the engine raises; holds one or more problems."""

    def __init__(
        self,
        message: str = "",
        *,
        file: Path | str | None = None,
        key: str | None = None,
        line: int | None = None,
        column: int | None = None,
        problems: Iterable[Problem] = (),
    ) -> None:
        found = list(problems)
        if message:
            path = Path(file) if file is not None else None
            found.insert(0, Problem(message, path, key, line, column))
        if not found:
            raise ValueError("a LeafpressError needs a message or problems")
        self.problems: list[Problem] = found
        super().__init__(str(self))

    def __reduce__(self):
        # Exceptions pickle as cls(*args); ours must cross from worker processes whole.
        return (_rebuild, (type(self), self.problems))

    @property
    def first(self) -> Problem:
        return self.problems[0]

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class ContentError(LeafpressError):
    """A campaign or language file is malformed or incomplete."""


class LayoutError(LeafpressError):
    """A layout folder, its layout.toml or its template is wrong."""


class FontError(LeafpressError):
    """The font manifest names a family or file that cannot be used."""


class PhotoError(LeafpressError):
    """A photo is missing, unreadable or unsuitable."""


class QRError(LeafpressError):
    """The QR code cannot be made from what the campaign asks for."""


class RenderError(LeafpressError):
    """WeasyPrint could not produce the page as the layout describes it."""


class ResourceError(RenderError):
    """A layout referenced a resource that is missing or outside the workspace."""


def _rebuild(cls: type[LeafpressError], problems: list[Problem]) -> LeafpressError:
    return cls(problems=problems)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean …?)' suffix for the closest known name, or ''."""
    # Short codes ('kz' for 'kk') share fewer letters, so they need a looser match.
    cutoff = 0.5 if len(word) <= 3 else 0.6
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


def unexpected(exc: BaseException, what: str, file: Path | str | None = None) -> LeafpressError:
    """An exception that is not leafpress's own (a bug, or input no check foresaw) as the error
    of the one thing it happened in, so that it fails that thing and not the whole command."""
    if isinstance(exc, LeafpressError):
        return exc
    if isinstance(exc, RecursionError):
        detail = "it nests too deep (a template macro or include that calls itself?)"
    elif isinstance(exc, MemoryError):
        detail = "it needs more memory than there is"
    elif isinstance(exc, OSError):
        detail = f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
    else:
        detail = f"{type(exc).__name__}: {exc}"
    return LeafpressError(f"{what} failed unexpectedly: {detail}", file=file)

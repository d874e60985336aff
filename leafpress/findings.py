"""What a check found, kept apart from the checks so that reading a recorded build needs no renderer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import LeafpressError, Problem

STATUSES = ("ok", "warning", "error")


@dataclass(frozen=True)
class Finding:
    """One thing a check found about one campaign, language and layout."""

    campaign: str
    language: str | None
    layout: str | None
    check: str
    status: str  # ok, warning or error
    message: str
    file: str | None = None
    key: str | None = None
    line: int | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")

    @property
    def is_error(self) -> bool:
        return self.status == "error"

    def concerns(self, lang: str, layout: str) -> bool:
        """Whether this finding is about an output in `lang` through `layout`."""
        return self.language in (None, lang) and self.layout in (None, layout)

    def problem(self) -> Problem:
        return Problem(
            f"{self.check}: {self.message}",
            Path(self.file) if self.file else None,
            self.key,
            self.line,
        )

    def location(self) -> str:
        """Where the finding points, as `file:line: key` (what is known of it)."""
        return Problem("", Path(self.file) if self.file else None, self.key, self.line).location()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class CheckError(LeafpressError):
    """An output has findings that would print wrong; `build --force` writes it anyway."""

    kind = "check"


def as_problems(findings: Iterable[Finding]) -> list[Problem]:
    return [f.problem() for f in findings if f.is_error]

"""Checks before printing: each finds what would go wrong on paper and says so in plain words.

This is the registry. A check is a function registered with `@campaign_check` (it sees one
campaign, once) or `@output_check` (it sees one output, laid out in memory), in the module of its
family beside this one. It returns Findings; adding a check is adding a function there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..content import Campaign, LanguageText
from ..errors import LeafpressError, ResourceError
from ..findings import Finding
from ..fonts import FontManifest
from ..layouts import Layout

if TYPE_CHECKING:
    from ..records import LaidOutJob, OutputJob


@dataclass
class CampaignContext:
    """What a campaign check sees: the campaign and the layouts its outputs go through."""

    campaign: Campaign
    layouts: list[Layout]
    cache_dir: Path | None = None  # where checks may keep what is slow to find again

    def texts(self) -> list[LanguageText]:
        found = []
        for lang in self.campaign.languages:
            try:
                found.append(self.campaign.text(lang))
            except LeafpressError:
                continue  # the build reports a malformed language file itself
        return found

    def finding(self, lang: str | None, check: str, status: str, message: str, **where) -> Finding:
        where = _with_line(where, [self.campaign.source, *(t.source for t in self.texts())])
        return Finding(self.campaign.key, lang, None, check, status, message, **where)


@dataclass
class OutputContext:
    """What an output check sees: one output, laid out and written in memory when that worked."""

    job: OutputJob
    layout: Layout
    text: LanguageText
    fonts: FontManifest
    laid: LaidOutJob | None = None
    pdf: bytes | None = None
    error: LeafpressError | None = None
    # How much the target scales the page on paper (office sheets shrink an A3 poster to A4).
    print_scale: float = 1.0

    @property
    def campaign(self) -> Campaign:
        return self.job.campaign

    def finding(self, check: str, status: str, message: str, **where) -> Finding:
        where = _with_line(where, [self.campaign.source, self.text.source])
        return Finding(
            self.campaign.key, self.job.lang, self.job.layout, check, status, message, **where
        )


def _with_line(where: dict, sources: list) -> dict:
    """A finding's location with the line of its key, when it names a key of one of `sources`
    (TOML files) and no line yet: `check --json` gives it to editors and other tools."""
    if where.get("line") is not None or not where.get("key") or not where.get("file"):
        return where
    for source in sources:
        if str(source.shown_as) == where["file"]:
            return {**where, "line": source.line_of(where["key"])}
    return where


CampaignCheck = Callable[[CampaignContext], Iterable[Finding]]
OutputCheck = Callable[[OutputContext], Iterable[Finding]]
CAMPAIGN_CHECKS: list[CampaignCheck] = []
OUTPUT_CHECKS: list[OutputCheck] = []


def campaign_check(function: CampaignCheck) -> CampaignCheck:
    """Register a check that runs once per campaign."""
    CAMPAIGN_CHECKS.append(function)
    return function


def output_check(function: OutputCheck) -> OutputCheck:
    """Register a check that runs once per output."""
    OUTPUT_CHECKS.append(function)
    return function


def run_campaign_checks(context: CampaignContext) -> list[Finding]:
    return [finding for check in CAMPAIGN_CHECKS for finding in check(context)]


def run_output_checks(context: OutputContext) -> list[Finding]:
    findings = []
    if context.error is not None and not isinstance(context.error, ResourceError):
        findings += [
            context.finding("render", "error", p.message, file=_str(p.file), key=p.key, line=p.line)
            for p in context.error.problems
        ]
    for check in OUTPUT_CHECKS:
        findings += check(context)
    return findings


def _str(path: Path | None) -> str | None:
    return str(path) if path is not None else None


# The families register their checks as they are imported: this order is the order the checks run
# and report in. They import the registry above, hence last; what they define that callers use
# (and tests replace) is named here, where it was before the families had modules of their own.
# isort: off
from .translations import COPY_MIN_CHARS, PROSE_FIELDS, check_translations  # noqa: E402
from .glyphs import check_glyphs, printed_strings  # noqa: E402
from .fit import check_fit, check_floors  # noqa: E402
from .boxes import PT_PER_PX, PX_PER_IN, PX_TO_MM  # noqa: E402
from .photos import (  # noqa: E402
    PHOTO_PPI_ERROR,
    PHOTO_PPI_PRINT,
    PHOTO_PPI_SCREEN_WARNING,
    PHOTO_PPI_WARNING,
    check_photos,
)
from .qr import (  # noqa: E402
    LINK_SHORTENERS,
    QR_DECODE_DPI,
    QR_DECODE_MARGIN_PT,
    TRACKING_PARAMETERS,
    check_qr,
    decode_qr,
    link_warnings,
    render_region,
)
from .resources import check_resources  # noqa: E402
from .contacts import check_contacts, check_faces, check_placeholders, contact_problem  # noqa: E402
from .toner import check_toner  # noqa: E402
from .plates import check_plates  # noqa: E402

# isort: on

__all__ = [
    "CAMPAIGN_CHECKS",
    "COPY_MIN_CHARS",
    "LINK_SHORTENERS",
    "OUTPUT_CHECKS",
    "PHOTO_PPI_ERROR",
    "PHOTO_PPI_PRINT",
    "PHOTO_PPI_SCREEN_WARNING",
    "PHOTO_PPI_WARNING",
    "PROSE_FIELDS",
    "PT_PER_PX",
    "PX_PER_IN",
    "PX_TO_MM",
    "QR_DECODE_DPI",
    "QR_DECODE_MARGIN_PT",
    "TRACKING_PARAMETERS",
    "CampaignCheck",
    "CampaignContext",
    "Finding",
    "OutputCheck",
    "OutputContext",
    "campaign_check",
    "check_contacts",
    "check_faces",
    "check_fit",
    "check_floors",
    "check_glyphs",
    "check_photos",
    "check_placeholders",
    "check_plates",
    "check_qr",
    "check_resources",
    "check_toner",
    "check_translations",
    "contact_problem",
    "decode_qr",
    "link_warnings",
    "output_check",
    "printed_strings",
    "render_region",
    "run_campaign_checks",
    "run_output_checks",
]

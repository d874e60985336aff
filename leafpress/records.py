"""The records every stage passes on: what to make (jobs, plans), how it went (results, reports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .constants import DEFAULT_TARGET, PAGE_SIZES, target_filename
from .errors import LeafpressError, RenderError
from .findings import Finding

if TYPE_CHECKING:
    from .content import Campaign, LanguageText, OutputSpec
    from .fit import FitResult
    from .layouts import Layout, LayoutLibrary
    from .photos import PreparedPhoto
    from .render import LaidOut

# The CMYK profile the set-up installs (Debian's libgs-common): a SWOP press profile that any print
# shop can convert from. A shop that sends its own profile passes it with --icc.
DEFAULT_ICC_CANDIDATES = (
    Path("/usr/share/color/icc/ghostscript/default_cmyk.icc"),
    Path("/usr/share/color/icc/ghostscript/ps_cmyk.icc"),
)


@dataclass(frozen=True)
class TargetOptions:
    """Settings the command line gives every target of a build."""

    bleed_mm: float = 3.0
    icc: Path | None = None
    n_up: str = "auto"
    sheet: str = "A4"
    overlap_mm: float = 10.0
    # print-shop: the most ink (percent, all four together) a photo may put on paper.
    max_ink: float = 300.0

    @property
    def sheet_mm(self) -> tuple[float, float]:
        return PAGE_SIZES[self.sheet]

    def icc_profile(self) -> Path:
        """The CMYK profile for print-shop output: the user's, or the one the set-up installs."""
        if self.icc is not None:
            if not self.icc.is_file():
                raise RenderError(f"ICC profile {self.icc} not found", key="--icc")
            return self.icc
        for candidate in DEFAULT_ICC_CANDIDATES:
            if candidate.is_file():
                return candidate
        raise RenderError(
            "no CMYK ICC profile found for print-shop output: install the Debian package "
            "libgs-common (./setup.sh does) or pass the print shop's profile with --icc FILE",
            key="--icc",
        )


@dataclass(frozen=True)
class OutputJob:
    """One PDF to make: a campaign in one language through one layout."""

    campaign: Campaign
    lang: str
    layout: str
    options: dict
    spec: OutputSpec | None
    path: Path
    target: str = DEFAULT_TARGET
    # A bilingual layout's languages, front first; `lang` then reads "kk+ru".
    sides: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        suffix = "" if self.target == DEFAULT_TARGET else f" [{self.target}]"
        return f"{self.campaign.key}/{self.lang}/{self.layout}{suffix}"


@dataclass
class OutputResult:
    """What became of one planned output (or of a campaign that could not be planned)."""

    campaign: str
    lang: str | None
    layout: str | None
    path: Path | None
    error: LeafpressError | None = None
    pages: int = 0
    page_size_pt: tuple[float, float] | None = None
    size_bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    scale: float | None = None  # the copy-fitting scale, 1 when the text fit as written
    passes: int = 0  # layout passes copy-fitting took
    # The output whose rendering this one took, its document being the same (see
    # Builder.sharing_documents); it then took no layout pass of its own.
    shared_with: str | None = None
    findings: list[Finding] = field(default_factory=list)
    # Things a person should know about a written output, e.g. that its text was generated.
    notes: list[str] = field(default_factory=list)
    target: str = DEFAULT_TARGET
    # Left as it was: its fingerprint matched the last build's (see incremental.py).
    skipped: bool = False
    # Every workspace file the output read while it was made (reads.py), found or not.
    reads: list[Path] = field(default_factory=list)
    # Each photo whose faces were masked: (photo key, faces covered, areas masked by hand).
    faces: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def label(self) -> str:
        label = "/".join(p for p in (self.campaign, self.lang, self.layout) if p)
        return label if self.target == DEFAULT_TARGET else f"{label} [{self.target}]"


@dataclass
class BuildPlan:
    root: Path
    out: Path
    jobs: list[OutputJob]
    failures: list[OutputResult]
    target_options: TargetOptions = field(default_factory=TargetOptions)
    # The layouts as planning loaded them, for the builders (and forked workers) to reuse.
    library: LayoutLibrary | None = None


@dataclass
class BuildReport:
    results: list[OutputResult]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def written(self) -> list[OutputResult]:
        return [r for r in self.results if r.ok and not r.skipped]

    @property
    def skipped(self) -> list[OutputResult]:
        """Outputs left as they were because nothing that goes into them changed."""
        return [r for r in self.results if r.skipped]

    @property
    def failed(self) -> list[OutputResult]:
        return [r for r in self.results if not r.ok]


@dataclass
class LaidOutJob:
    """One output laid out in memory at its fitted scale, ready to check and to write."""

    job: OutputJob
    layout: Layout
    text: LanguageText
    photos: list[PreparedPhoto]
    fit: FitResult
    render_options: dict = field(default_factory=dict)  # what the target asks WeasyPrint for
    # Everything the PDF is made from (HTML with the target's styles and photos, WeasyPrint's
    # options): outputs with equal documents are one rendering (Builder.sharing_documents).
    document: tuple = ()
    shared_from: str | None = None  # the label of the output that laid it out, if another
    reads: frozenset[Path] = frozenset()  # what laying it out read (reads.py)

    @property
    def laid_out(self) -> LaidOut:
        return self.fit.laid_out


def output_path(
    out: Path, campaign: str, lang: str, layout: str, target: str = DEFAULT_TARGET
) -> Path:
    return out / campaign / lang / target_filename(layout, target)

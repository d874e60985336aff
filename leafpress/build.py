"""Plan a build's outputs, render each one, write it atomically, and report what happened."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .compose import compose
from .content import (
    Campaign,
    OutputSpec,
    find_campaigns,
    load_campaign,
    relative_to_root,
    requirement_met,
)
from .errors import ContentError, LayoutError, LeafpressError, RenderError, did_you_mean
from .fonts import FontManifest, load_manifest
from .layouts import Layout, LayoutLibrary
from .photos import PhotoSettings, PreparedPhoto, prepare_photo, settings_for
from .render import make_fetcher, render_pdf

# How far a rendered page may be from the layout's size before we call it wrong (points).
PAGE_SIZE_TOLERANCE_PT = 0.5


@dataclass(frozen=True)
class OutputJob:
    """One PDF to make: a campaign in one language through one layout."""

    campaign: Campaign
    lang: str
    layout: str
    options: dict
    spec: OutputSpec | None
    path: Path

    @property
    def label(self) -> str:
        return f"{self.campaign.key}/{self.lang}/{self.layout}"


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

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def label(self) -> str:
        return "/".join(p for p in (self.campaign, self.lang, self.layout) if p)


@dataclass
class BuildPlan:
    root: Path
    out: Path
    jobs: list[OutputJob]
    failures: list[OutputResult]


@dataclass
class BuildReport:
    results: list[OutputResult]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def written(self) -> list[OutputResult]:
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[OutputResult]:
        return [r for r in self.results if not r.ok]


def output_path(out: Path, campaign: str, lang: str, layout: str) -> Path:
    return out / campaign / lang / f"{layout}.pdf"


def plan_build(
    root: Path,
    out: Path,
    campaign_dirs: list[Path] | None = None,
    languages: list[str] | None = None,
    layouts: list[str] | None = None,
) -> BuildPlan:
    """Every output the arguments ask for; what cannot be planned becomes a failed result."""
    root = root.resolve()
    out = out.resolve()
    library = LayoutLibrary(root)
    folders = [d.resolve() for d in campaign_dirs] if campaign_dirs else find_campaigns(root)
    jobs: list[OutputJob] = []
    failures: list[OutputResult] = []
    if not folders:
        failures.append(
            OutputResult(
                "",
                None,
                None,
                None,
                ContentError(
                    f"no campaign found: expected {root / 'leaflets'}/<campaign>/campaign.toml"
                ),
            )
        )
    for name in layouts or []:
        try:
            library.get(name, key="--layout")
        except LeafpressError as exc:
            failures.append(OutputResult("", None, name, None, exc))
            layouts = [n for n in layouts if n != name]
    if layouts == []:
        return BuildPlan(root, out, jobs, failures)
    for folder in folders:
        shown = relative_to_root(folder, root)
        try:
            campaign = load_campaign(folder, root)
        except LeafpressError as exc:
            failures.append(OutputResult(str(shown.name), None, None, None, exc))
            continue
        chosen = campaign.languages
        if languages:
            unknown = [lang for lang in languages if lang not in campaign.languages]
            for lang in unknown:
                failures.append(
                    OutputResult(
                        campaign.key,
                        lang,
                        None,
                        None,
                        ContentError(
                            f"language '{lang}' is not one of the campaign's languages "
                            f"({', '.join(campaign.languages)}){did_you_mean(lang, campaign.languages)}",
                            file=campaign.shown_as,
                            key="languages",
                        ),
                    )
                )
            chosen = [lang for lang in campaign.languages if lang in languages]
        campaign_jobs, campaign_failures = _plan_campaign(campaign, library, chosen, layouts, out)
        jobs += campaign_jobs
        failures += campaign_failures
    return BuildPlan(root, out, jobs, failures)


def _plan_campaign(
    campaign: Campaign,
    library: LayoutLibrary,
    languages: list[str],
    layouts: list[str] | None,
    out: Path,
) -> tuple[list[OutputJob], list[OutputResult]]:
    failures: list[OutputResult] = []
    loaded = []
    for lang in languages:
        try:
            loaded.append(campaign.text(lang))
        except LeafpressError as exc:
            failures.append(OutputResult(campaign.key, lang, None, None, exc))

    specs = campaign.outputs
    if specs is None:
        # No [[outputs]]: every layout whose requirements some language meets. A language that
        # lacks a field its siblings have is then reported, not silently left out.
        specs = []
        for name in library.names():
            try:
                layout = library.get(name)
            except LeafpressError as exc:
                failures.append(OutputResult(campaign.key, None, name, None, exc))
                continue
            if any(
                all(requirement_met(campaign, text, req) for req in layout.requires)
                for text in loaded
            ):
                specs.append(OutputSpec(name, None, {}, None))

    jobs: list[OutputJob] = []
    loaded_langs = [t.lang for t in loaded]
    for spec in specs:
        if layouts and spec.layout not in layouts:
            continue
        key = f"outputs[{spec.index}].layout" if spec.index is not None else None
        try:
            layout = library.get(spec.layout, wanted_by=campaign.shown_as, key=key)
            options = layout.option_values(
                spec.options, campaign.shown_as, f"outputs[{spec.index}].options"
            )
        except LeafpressError as exc:
            failures.append(OutputResult(campaign.key, None, spec.layout, None, exc))
            continue
        for lang in spec.languages or campaign.languages:
            if lang in loaded_langs:
                path = output_path(out, campaign.key, lang, layout.name)
                jobs.append(OutputJob(campaign, lang, layout.name, options, spec, path))
    return jobs, failures


class Builder:
    """Runs jobs; keeps what outputs share (layouts, fonts, prepared photos) for the whole build."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.out = out
        self.library = LayoutLibrary(root)
        self._fonts: FontManifest | None = None
        self._photos: dict[tuple, PreparedPhoto | LeafpressError] = {}

    @property
    def cache_dir(self) -> Path:
        return self.out / ".cache"

    @property
    def fonts(self) -> FontManifest:
        if self._fonts is None:
            self._fonts = load_manifest(self.root)
        return self._fonts

    def photo_settings(self, job: OutputJob, layout: Layout) -> PhotoSettings:
        """Placed size from the layout, resolution and colour mode for the output's target."""
        return settings_for(self.root, job.options, layout.page_size_mm, job.campaign)

    def photos_for(
        self, campaign: Campaign, settings: PhotoSettings | None = None
    ) -> list[PreparedPhoto]:
        prepared = []
        for photo in campaign.photos:
            key = (campaign.key, photo.index, settings)
            if key not in self._photos:
                try:
                    self._photos[key] = prepare_photo(
                        campaign, photo, self.cache_dir / "photos", settings
                    )
                except LeafpressError as exc:
                    self._photos[key] = exc
            found = self._photos[key]
            if isinstance(found, LeafpressError):
                raise found
            prepared.append(found)
        return prepared

    def render(self, job: OutputJob) -> tuple[bytes, OutputResult]:
        """Render one job to PDF bytes without writing anything."""
        layout: Layout = self.library.get(job.layout)
        text = job.campaign.text(job.lang)
        photos = (
            self.photos_for(job.campaign, self.photo_settings(job, layout))
            if "photos" in layout.requires
            else []
        )
        composed = compose(job.campaign, text, layout, self.fonts, photos, job.options)
        fetcher = make_fetcher(
            allowed_dirs=[self.root, self.cache_dir],
            allowed_files=self.fonts.all_files(),
            optional=layout.optional_resources,
            photo_dir=self.cache_dir / "photos",
        )
        rendered = render_pdf(composed.html, composed.base_url, fetcher, job.label)
        expected_pages = layout.expected_pages(len(photos))
        if rendered.pages != expected_pages:
            raise RenderError(
                f"{job.label} takes {rendered.pages} pages; layout '{layout.name}' has room for "
                f"{expected_pages}. Shorten the text in {text.shown_as} (body and lead first)",
                file=text.shown_as,
            )
        want_w, want_h = layout.page_size_pt
        for width, height in rendered.page_sizes_pt:
            if (
                abs(width - want_w) > PAGE_SIZE_TOLERANCE_PT
                or abs(height - want_h) > PAGE_SIZE_TOLERANCE_PT
            ):
                raise LayoutError(
                    f"pages come out {width:.1f} × {height:.1f} pt, not the {layout.page_size_label} "
                    f"in layout.toml; remove any `size` from the layout's @page rules",
                    file=layout.shown_as,
                    key="page_size",
                )
        result = OutputResult(
            job.campaign.key,
            job.lang,
            job.layout,
            job.path,
            pages=rendered.pages,
            page_size_pt=rendered.page_sizes_pt[0],
            size_bytes=len(rendered.data),
            warnings=rendered.warnings,
        )
        return rendered.data, result

    def run_job(self, job: OutputJob) -> OutputResult:
        """Render and write one output; any failure is returned, never raised."""
        try:
            data, result = self.render(job)
            write_atomic(job.path, data, self.out)
            return result
        except LeafpressError as exc:
            return OutputResult(job.campaign.key, job.lang, job.layout, job.path, exc)
        except OSError as exc:
            error = RenderError(f"cannot write {job.path}: {exc.strerror}")
            return OutputResult(job.campaign.key, job.lang, job.layout, job.path, error)


def write_atomic(path: Path, data: bytes, out: Path) -> None:
    """Write through a temporary file and a rename, so a PDF is whole or absent, never half."""
    path = path.resolve()
    if out.resolve() not in path.parents:
        raise RenderError(f"refusing to write {path}: it is outside the output folder {out}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_build(
    plan: BuildPlan, on_result: Callable[[OutputResult], None] | None = None
) -> BuildReport:
    """Run every job of a plan; failures of planning come first, then outputs in plan order."""
    results = list(plan.failures)
    for result in _run(plan):
        results.append(result)
        if on_result:
            on_result(result)
    return BuildReport(results)


def _run(plan: BuildPlan) -> Iterator[OutputResult]:
    builder = Builder(plan.root, plan.out)
    for job in plan.jobs:
        yield builder.run_job(job)


def build(
    root: Path,
    out: Path,
    campaign_dirs: list[Path] | None = None,
    languages: list[str] | None = None,
    layouts: list[str] | None = None,
) -> BuildReport:
    """Plan and run a build in one call, for scripts and tests."""
    return run_build(plan_build(root, out, campaign_dirs, languages, layouts))

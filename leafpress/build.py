"""Plan a build's outputs, render each one, write it atomically, and report what happened."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .content import (
    Campaign,
    LanguageText,
    OutputSpec,
    find_campaigns,
    load_campaign,
    relative_to_root,
    requirement_met,
)
from .errors import ContentError, LayoutError, LeafpressError, RenderError, did_you_mean
from .findings import CheckError, Finding, as_problems
from .fonts import FontManifest, load_manifest
from .layouts import Layout, LayoutLibrary
from .targets import (
    DEFAULT_TARGET,
    Preparation,
    TargetOptions,
    convert_photo,
    prepare,
    style_html,
    target_filename,
)

# The rendering stack (WeasyPrint's helpers, Pillow, pyphen, qrcode, the checks) is imported in
# the methods that render: planning and a no-op rebuild never need it, and importing it all
# would take longer than such a rebuild itself.
if TYPE_CHECKING:
    from .compose import Composed
    from .fit import FitResult, FitSpec, Measure
    from .photos import PhotoSettings, PreparedPhoto
    from .render import LaidOut, RenderedPdf

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
    # Workspace files the layout reached while rendering, beyond what inputs.py knows of.
    resources: list[Path] = field(default_factory=list)

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


def output_path(
    out: Path, campaign: str, lang: str, layout: str, target: str = DEFAULT_TARGET
) -> Path:
    return out / campaign / lang / target_filename(layout, target)


def plan_build(
    root: Path,
    out: Path,
    campaign_dirs: list[Path] | None = None,
    languages: list[str] | None = None,
    layouts: list[str] | None = None,
    targets: list[str] | None = None,
    target_options: TargetOptions | None = None,
) -> BuildPlan:
    """Every output the arguments ask for; what cannot be planned becomes a failed result."""
    target_options = target_options or TargetOptions()
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
    targets, target_failures = _known_targets(targets)
    failures += target_failures
    if layouts == [] or targets == []:
        return BuildPlan(root, out, jobs, failures, target_options, library)
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
        jobs += with_targets(campaign_jobs, targets or campaign.targets or [DEFAULT_TARGET], out)
        failures += campaign_failures
    return BuildPlan(root, out, jobs, failures, target_options, library)


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
        if layout.bilingual:
            job, failure = bilingual_job(campaign, layout, spec, options, loaded_langs, out)
            jobs += [job] if job else []
            failures += [failure] if failure else []
            continue
        for lang in spec.languages or campaign.languages:
            if lang in loaded_langs:
                path = output_path(out, campaign.key, lang, layout.name)
                jobs.append(OutputJob(campaign, lang, layout.name, options, spec, path))
    planned = {spec.layout for spec in specs}
    for name in layouts or []:
        if name not in planned:
            why = (
                "campaign.toml's [[outputs]] does not list it"
                if campaign.outputs is not None
                else "the campaign lacks what it requires: " + ", ".join(library.get(name).requires)
            )
            error = ContentError(
                f"layout '{name}' is not built for this campaign: {why}", file=campaign.shown_as
            )
            failures.append(OutputResult(campaign.key, None, name, None, error))
    return jobs, failures


@dataclass
class LaidOutJob:
    """One output laid out in memory at its fitted scale, ready to check and to write."""

    job: OutputJob
    layout: Layout
    text: LanguageText
    photos: list[PreparedPhoto]
    fit: FitResult
    render_options: dict = field(default_factory=dict)  # what the target asks WeasyPrint for
    resources: set[Path] = field(default_factory=set)  # files the document fetched
    # Everything the PDF is made from (HTML with the target's styles and photos, WeasyPrint's
    # options): outputs with equal documents are one rendering (Builder.sharing_documents).
    document: tuple = ()
    shared_from: str | None = None  # the label of the output that laid it out, if another

    @property
    def laid_out(self) -> LaidOut:
        return self.fit.laid_out


class Builder:
    """Runs jobs; keeps what outputs share (layouts, fonts, prepared photos) for the whole build.

    `force` writes outputs that checks found errors in; `jobs` (the whole plan) tells campaign
    checks which layouts a campaign goes through; `target_options` are the print settings.
    """

    def __init__(
        self,
        root: Path,
        out: Path,
        *,
        force: bool = False,
        jobs: list[OutputJob] | None = None,
        target_options: TargetOptions | None = None,
        library: LayoutLibrary | None = None,
    ) -> None:
        self.root = root
        self.out = out
        self.force = force
        self.jobs = jobs or []
        self.target_options = target_options or TargetOptions()
        self.library = library or LayoutLibrary(root)
        self._fonts: FontManifest | None = None
        self._photos: dict[tuple, PreparedPhoto | LeafpressError] = {}
        self._campaign_findings: dict[str, list[Finding]] = {}
        self._preparations: dict[str, Preparation] = {}
        self._fitted: dict[tuple[str, ...], tuple[frozenset[str], Measure]] = {}
        self._composed: dict[tuple, Composed] = {}
        self._converted: dict[tuple, Path] = {}
        # WeasyPrint's images, read once for every document of the build (render.ImageCache).
        self._images: dict = {}
        # Laid-out and written documents by LaidOutJob.document, while sharing_documents().
        self._documents: dict[tuple, tuple[LaidOutJob, RenderedPdf | None]] | None = None

    @classmethod
    def for_plan(cls, plan: BuildPlan, force: bool = False) -> Builder:
        """A builder for a plan's jobs, reusing the layouts planning loaded."""
        return cls(
            plan.root,
            plan.out,
            force=force,
            jobs=plan.jobs,
            target_options=plan.target_options,
            library=plan.library,
        )

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
        from .photos import settings_for

        return settings_for(
            self.root, job.options, layout.page_size_mm, job.campaign, target=job.target
        )

    def photos_for(
        self, campaign: Campaign, settings: PhotoSettings | None = None
    ) -> list[PreparedPhoto]:
        from .photos import prepare_photo

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

    def prepare_photos(self, jobs: Iterable[OutputJob], workers: int = 1) -> None:
        """Prepare every photo the jobs print at every size and in every colour they need, one
        photo at a time (each original is decoded once for all its sizes), in up to `workers`
        processes; the workers that render then find them all on disk.

        What fails is kept, and reported by each output that needs the photo (photos_for)."""
        from .photos import masks_faces, prepare_photo_sizes
        from .workers import call_keeping_errors, map_in_workers

        jobs = list(jobs)
        sizes: dict[str, tuple[Campaign, list[PhotoSettings]]] = {}
        for job in jobs:
            # A layout or frame that fails is reported by its own outputs.
            with contextlib.suppress(LeafpressError):
                layout = self.library.get(job.layout)
                if "photos" in layout.requires:
                    settings = self.photo_settings(job, layout)
                    campaign, wanted = sizes.setdefault(job.campaign.key, (job.campaign, []))
                    if settings not in wanted:
                        wanted.append(settings)
        tasks, here = [], []
        for campaign, wanted in sizes.values():
            for photo in campaign.photos:
                todo = [s for s in wanted if (campaign.key, photo.index, s) not in self._photos]
                if todo:
                    # Face detection (OpenCV and its threads) stays in this process.
                    masked = any(masks_faces(photo, s) for s in todo)
                    (here if masked else tasks).append(
                        (campaign, photo, self.cache_dir / "photos", todo)
                    )
        done_here: list = []

        def meanwhile() -> None:
            # What this process does anyway, while the workers prepare the other photos: the
            # photos it masks, and the targets' preparations (the first imports WeasyPrint).
            done_here.extend(call_keeping_errors(prepare_photo_sizes, task) for task in here)
            for target in dict.fromkeys(job.target for job in jobs):
                with contextlib.suppress(LeafpressError):  # its outputs report it
                    self.preparation(target)

        results = map_in_workers(prepare_photo_sizes, tasks, workers, meanwhile) + done_here
        for (campaign, photo, _, todo), prepared in zip([*tasks, *here], results, strict=True):
            if isinstance(prepared, Exception):
                prepared = [prepared] * len(todo)
            for settings, result in zip(todo, prepared, strict=True):
                if not isinstance(result, OSError):  # an output that needs it says so
                    self._photos[campaign.key, photo.index, settings] = result

        # Then in the targets' colours (CMYK, grey), so no two workers convert the same photo.
        conversions: dict[tuple, tuple] = {}
        for job in jobs:
            with contextlib.suppress(LeafpressError, OSError):
                layout = self.library.get(job.layout)
                if "photos" in layout.requires:
                    prep = self.preparation(job.target)
                    if prep.photo_mode:
                        for photo in self.photos_for(
                            job.campaign, self.photo_settings(job, layout)
                        ):
                            key = (photo.path, prep.photo_mode, prep.icc)
                            if key not in self._converted:
                                folder = self.cache_dir / "photos"
                                conversions[key] = (photo.path, prep.photo_mode, folder, prep.icc)
        converted = map_in_workers(convert_photo, list(conversions.values()), workers)
        for key, path in zip(conversions, converted, strict=True):
            if not isinstance(path, Exception):
                self._converted[key] = path

    def lay_out(self, job: OutputJob) -> LaidOutJob:
        """Compose and lay out one job in memory, copy-fitting it to its page budget."""
        from .compose import compose
        from .fit import fit, fit_spec, scale_css
        from .render import lay_out as lay_out_html
        from .render import make_fetcher, parse_html

        layout: Layout = self.library.get(job.layout)
        text = job.campaign.text(job.lang)
        photos = (
            self.photos_for(job.campaign, self.photo_settings(job, layout))
            if "photos" in layout.requires
            else []
        )
        prep = self.preparation(job.target)
        photos = self.target_photos(photos, prep)
        # Targets differ in their stylesheet (added by restyle) and their photos' files: the
        # same text with the same photos is composed once.
        same_text = (job.campaign.key, job.lang, job.layout, repr(sorted(job.options.items())))
        if (same_text, tuple(photos)) not in self._composed:
            self._composed[same_text, tuple(photos)] = compose(
                job.campaign, text, layout, self.fonts, photos, job.options
            )
        composed = restyle(self._composed[same_text, tuple(photos)], prep)
        document = (
            same_text,
            composed.html,  # with the target's stylesheets and its photos' files
            composed.base_url,
            repr(sorted(prep.render_options.items())),
            prep.icc,
            tuple(sorted(prep.color_profiles)),
        )
        if self._documents is not None and document in self._documents:
            first = self._documents[document][0]
            return dataclasses.replace(first, job=job, shared_from=first.job.label)
        fetcher = make_fetcher(
            allowed_dirs=[self.root, self.cache_dir],
            allowed_files=[*self.fonts.all_files(), *prep.stylesheets],
            optional=layout.optional_resources,
            photo_dir=self.cache_dir / "photos",
        )
        spec = fit_spec(layout)
        budget = layout.expected_pages(len(photos))

        def lay_out_at(html: str) -> Callable[[float], LaidOut]:
            parsed = parse_html(html, composed.base_url, fetcher)
            return lambda scale, first=1.0: lay_out_html(
                parsed,
                fetcher,
                job.label,
                scale_css(scale, first) if spec else "",
                color_profiles=prep.color_profiles,
                options=prep.render_options,
                images=self._images,
            )

        # The same text through the same layout in another target (other colours, the same
        # boxes) ends where the first one's search did: try that first.
        fitted = self._replay(self._fitted.get(same_text), composed.html, lay_out_at, layout, spec)
        if fitted is None:
            fitted = fit(lay_out_at(composed.html), spec, budget)
            fitted = self._limit_hyphenation(
                composed.html, fitted, lay_out_at, layout, spec, budget
            )
        if fitted.fits and fitted.measure is not None:
            self._fitted[same_text] = (fitted.protected, fitted.measure)
        _check_page_size(layout, fitted.laid_out)
        laid = LaidOutJob(
            job, layout, text, photos, fitted, prep.render_options, fetcher.used, document
        )
        if self._documents is not None:
            self._documents[document] = (laid, None)
        return laid

    @contextlib.contextmanager
    def sharing_documents(self) -> Iterator[None]:
        """Inside the block, an output whose document equals one already laid out here (the
        same text, layout, photos, styles and WeasyPrint options) takes that one's pages and
        PDF instead of rendering them again: screen, office and tiles print the same document
        and differ only in finishing. Each output is still checked and finished for its own
        target. The documents are let go when the block ends, so hold it around outputs that
        run one after another (`document_groups`), not around a whole build."""
        outer = self._documents
        self._documents = {} if outer is None else outer
        try:
            yield
        finally:
            self._documents = outer

    def _written(self, laid: LaidOutJob) -> RenderedPdf:
        """The laid-out document as PDF, written once per document while sharing."""
        from .render import write_pdf

        shared = self._documents.get(laid.document) if self._documents is not None else None
        if shared is not None and shared[1] is not None:
            return shared[1]
        rendered = write_pdf(laid.laid_out, laid.job.label, laid.render_options)
        if self._documents is not None and laid.document:
            self._documents[laid.document] = (laid, rendered)
        return rendered

    def document_groups(self, jobs: list[OutputJob], indices: list[int]) -> list[list[int]]:
        """The indices of `jobs` grouped so that outputs that may share a document (the same
        text and layout in targets that render alike) are together, groups in order of their
        first index; run each group in one process inside sharing_documents()."""
        groups: dict[tuple, list[int]] = {}
        alike: dict[str, str] = {}  # target -> the first target preparing as it does
        for i in indices:
            job = jobs[i]
            if job.target not in alike:
                alike[job.target] = job.target
                with contextlib.suppress(LeafpressError):  # its outputs report it
                    prep = self.preparation(job.target)
                    for other in list(alike):
                        if other != job.target and self._preparations.get(other) == prep:
                            alike[job.target] = alike[other]
                            break
            photos = None  # the photos' size and resolution, which targets may differ in
            with contextlib.suppress(LeafpressError):  # its outputs report it
                layout = self.library.get(job.layout)
                if "photos" in layout.requires:
                    photos = self.photo_settings(job, layout)
            key = (
                job.campaign.key,
                job.lang,
                job.sides,
                job.layout,
                repr(sorted(job.options.items())),
                alike[job.target],
                photos,
            )
            groups.setdefault(key, []).append(i)
        return list(groups.values())

    def run_group(self, jobs: list[OutputJob]) -> list[OutputResult]:
        """Run jobs one after another sharing their documents (see document_groups), then free
        what they made (collector.after_output)."""
        from .collector import after_output

        with self.sharing_documents():
            results = [self.run_job(job) for job in jobs]
        after_output()
        return results

    @staticmethod
    def _replay(
        found: tuple[frozenset[str], Measure] | None,
        html: str,
        lay_out_at: Callable[[str], Callable[[float], LaidOut]],
        layout: Layout,
        spec: FitSpec | None,
    ) -> FitResult | None:
        """The end of an earlier fit of the same text (its scale and the words kept whole), laid
        out in one pass; None unless it measures exactly as it did and breaks no word more, so
        that a search from the start would end at the same place (and the same PDF)."""
        from .fit import FitResult, measure
        from .hyphenlimit import overlong_hyphen_runs, plain_text, protect_words

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

    @staticmethod
    def _limit_hyphenation(
        html: str,
        fitted: FitResult,
        lay_out_at: Callable[[str], Callable[[float], LaidOut]],
        layout: Layout,
        spec: FitSpec | None,
        budget: int,
    ) -> FitResult:
        """WeasyPrint ignores hyphenate-limit-lines: keep whole the words that end a line after
        `layout.hyphen_limit` hyphenated lines in a row, at the fitted scale; fit again only if
        that no longer fits (rare: a word kept whole moves a line break, seldom a whole line)."""
        from .fit import TARGET_FILL, fit, measure
        from .hyphenlimit import overlong_hyphen_runs, plain_text, protect_words

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

    def campaign_findings(self, campaign: Campaign) -> list[Finding]:
        """The campaign checks' findings, found once per campaign."""
        from .check import CampaignContext, run_campaign_checks

        if campaign.key not in self._campaign_findings:
            names = dict.fromkeys(j.layout for j in self.jobs if j.campaign.key == campaign.key)
            layouts = []
            for name in names:
                try:
                    layouts.append(self.library.get(name))
                except LeafpressError:
                    continue  # planning reported it
            context = CampaignContext(campaign, layouts, self.cache_dir / "photos")
            self._campaign_findings[campaign.key] = run_campaign_checks(context)
        return self._campaign_findings[campaign.key]

    def remember_campaign_findings(self, campaign: Campaign, findings: list[Finding]) -> None:
        """Findings the campaign checks gave for these same inputs (incremental.py's record)."""
        self._campaign_findings[campaign.key] = findings

    def output_findings(
        self, job: OutputJob, laid: LaidOutJob | None = None, pdf: bytes | None = None
    ) -> list[Finding]:
        """The output checks' findings; lays the job out (in memory) unless given."""
        from .check import OutputContext, run_output_checks
        from .render import write_pdf

        context = OutputContext(
            job, self.library.get(job.layout), job.campaign.text(job.lang), self.fonts
        )
        if laid is None:
            try:
                laid = self.lay_out(job)
                pdf = write_pdf(laid.laid_out, job.label, laid.render_options).data
            except LeafpressError as exc:
                context.error = exc
        context.laid, context.pdf = laid, pdf
        return run_output_checks(context)

    def render(self, job: OutputJob) -> tuple[bytes, OutputResult]:
        """Render and check one job to PDF bytes without writing anything.

        An output that a check finds an error in raises CheckError, unless the builder forces.
        """
        laid = self.lay_out(job)
        rendered = self._written(laid)
        findings = [
            f for f in self.campaign_findings(job.campaign) if f.concerns(job.lang, job.layout)
        ]
        findings += self.output_findings(job, laid, rendered.data)
        errors = [f for f in findings if f.is_error]
        if errors and not self.force:
            raise CheckError(problems=as_problems(errors))
        result = OutputResult(
            job.campaign.key,
            job.lang,
            job.layout,
            job.path,
            pages=rendered.pages,
            page_size_pt=rendered.page_sizes_pt[0],
            size_bytes=len(rendered.data),
            warnings=list(rendered.warnings),  # a shared document's list is not this output's
            scale=laid.fit.scale,
            passes=0 if laid.shared_from else laid.fit.passes,
            shared_with=laid.shared_from,
            findings=findings,
            resources=sorted(laid.resources),
        )
        if laid.text.transliterated_from:
            result.notes.append(
                f"transliterated from {laid.text.transliterated_from} by machine: have a person review it"
            )
        return rendered.data, result

    def run_job(self, job: OutputJob) -> OutputResult:
        """Render and write one output; any failure is returned, never raised."""
        try:
            data, result = self.render_output(job)
            write_atomic(job.path, data, self.out)
            return result
        except LeafpressError as exc:
            return OutputResult(
                job.campaign.key, job.lang, job.layout, job.path, exc, target=job.target
            )
        except OSError as exc:
            error = RenderError(f"cannot write {job.path}: {exc.strerror}")
            return OutputResult(
                job.campaign.key, job.lang, job.layout, job.path, error, target=job.target
            )

    # Print targets (see targets.py and finish/): kept apart from render() above.

    def preparation(self, target: str) -> Preparation:
        if target not in self._preparations:
            self._preparations[target] = prepare(
                target, self.target_options, self.root / "layouts" / "_shared"
            )
        return self._preparations[target]

    def target_photos(self, photos: list[PreparedPhoto], prep: Preparation) -> list[PreparedPhoto]:
        """Photos as the target prints them: CMYK through the ICC profile, or lifted grey."""
        if not prep.photo_mode:
            return photos
        # Beside the prepared photos, whose folder is the only one photo URLs reach (render.py).
        folder = self.cache_dir / "photos"
        converted = []
        for photo in photos:
            # Each layout's photo serves three languages: read and hash it once per build.
            key = (photo.path, prep.photo_mode, prep.icc)
            if key not in self._converted:
                self._converted[key] = convert_photo(photo.path, prep.photo_mode, folder, prep.icc)
            converted.append(dataclasses.replace(photo, path=self._converted[key]))
        return converted

    def render_output(self, job: OutputJob) -> tuple[bytes, OutputResult]:
        """Render a job (both sides of a bilingual one) and finish it for its target."""
        from .finish import finish

        if job.sides:
            data, result = self._render_sides(job)
        else:
            data, result = self.render(job)
        layout = self.library.get(job.layout)
        # Two sides, one leaflet: a bilingual layout, or any two-page leaflet.
        duplex = layout.bilingual or (
            layout.kind == "leaflet" and not layout.per_photo and layout.expected_pages(0) == 2
        )
        data = finish(job.target, data, self.target_options, duplex=duplex)
        return data, finished_result(result, data, job)

    def _render_sides(self, job: OutputJob) -> tuple[bytes, OutputResult]:
        parts = []
        result = None
        for lang in job.sides:
            side = dataclasses.replace(job, lang=lang, sides=())
            data, side_result = self.render(side)
            parts.append(data)
            if result is None:
                result = side_result
            else:
                result.warnings += side_result.warnings
                result.resources = sorted({*result.resources, *side_result.resources})
        assert result is not None
        return join_pdfs(parts), result


def _check_page_size(layout: Layout, laid_out: LaidOut) -> None:
    want_w, want_h = layout.page_size_pt
    for width, height in laid_out.page_sizes_pt:
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
    plan: BuildPlan,
    on_result: Callable[[OutputResult], None] | None = None,
    *,
    force: bool = False,
    jobs: int = 1,
    incremental: bool = False,
) -> BuildReport:
    """Run every job of a plan, in `jobs` worker processes; failures of planning come first, then
    outputs in plan order. `incremental` skips outputs whose inputs did not change since they
    were written (see incremental.py)."""
    results = list(plan.failures)
    run = _run_incremental(plan, force, jobs) if incremental else _run(plan, force, jobs)
    for result in run:
        results.append(result)
        if on_result:
            on_result(result)
    return BuildReport(results)


def _run(
    plan: BuildPlan,
    force: bool = False,
    jobs: int = 1,
    indices: list[int] | None = None,
    builder: Builder | None = None,
) -> Iterator[OutputResult]:
    """The results of the plan's jobs (those at `indices`, by default all), in plan order."""
    from .collector import rendering_batch

    builder = builder or Builder.for_plan(plan, force)
    indices = list(range(len(plan.jobs))) if indices is None else indices
    # Photos are prepared first, once per size and target (and decoded once for all sizes), so
    # that workers find them on disk instead of each preparing the same photo.
    builder.prepare_photos((plan.jobs[i] for i in indices), workers=jobs)
    groups = builder.document_groups(plan.jobs, indices)
    with rendering_batch():  # forked workers inherit the collector's settings
        if jobs > 1 and len(groups) > 1:
            from .workers import run_in_workers

            done = run_in_workers(builder, plan, jobs, groups)
        else:
            done = (builder.run_group([plan.jobs[i] for i in group]) for group in groups)
        yield from in_plan_order(indices, groups, done)


def in_plan_order(
    indices: list[int], groups: list[list[int]], results: Iterable[list[OutputResult]]
) -> Iterator[OutputResult]:
    """The results of groups (in the groups' order) as the results of `indices` in order, each
    as soon as those before it are in."""
    waiting: dict[int, OutputResult] = {}
    position = 0
    for group, group_results in zip(groups, results, strict=True):
        waiting.update(zip(group, group_results, strict=True))
        while position < len(indices) and indices[position] in waiting:
            yield waiting.pop(indices[position])
            position += 1


def _run_incremental(plan: BuildPlan, force: bool, jobs: int) -> Iterator[OutputResult]:
    """Fingerprint every job here, before any worker starts, so unchanged outputs never reach
    one; then run the others and record what each written PDF was made from."""
    from .incremental import Fingerprints

    builder = Builder.for_plan(plan, force)
    prints = Fingerprints(plan, builder, force)
    fingerprints = [prints.of(job) for job in plan.jobs]
    kept = [prints.unchanged(job, fp) for job, fp in zip(plan.jobs, fingerprints, strict=True)]
    todo = [i for i, result in enumerate(kept) if result is None]
    fresh = _run(plan, force, jobs, todo, builder)
    for i, job in enumerate(plan.jobs):
        result = kept[i]
        if result is None:
            result = next(fresh)
            prints.save(job, fingerprints[i], result)
        yield result


def build(
    root: Path,
    out: Path,
    campaign_dirs: list[Path] | None = None,
    languages: list[str] | None = None,
    layouts: list[str] | None = None,
    targets: list[str] | None = None,
    target_options: TargetOptions | None = None,
    *,
    force: bool = False,
    jobs: int = 1,
    incremental: bool = False,
) -> BuildReport:
    """Plan and run a build in one call, for scripts and tests."""
    plan = plan_build(root, out, campaign_dirs, languages, layouts, targets, target_options)
    return run_build(plan, force=force, jobs=jobs, incremental=incremental)


def _known_targets(targets: list[str] | None) -> tuple[list[str] | None, list[OutputResult]]:
    from .targets import check_target

    if targets is None:
        return None, []
    failures, known = [], []
    for name in targets:
        try:
            known.append(check_target(name, key="--target"))
        except LeafpressError as exc:
            failures.append(OutputResult("", None, None, None, exc))
    return known, failures


def with_targets(jobs: list[OutputJob], targets: list[str], out: Path) -> list[OutputJob]:
    """Each planned output once per target, named `<layout>.<target>.pdf` (screen: `<layout>.pdf`)."""
    return [
        dataclasses.replace(
            job,
            target=target,
            path=output_path(out, job.campaign.key, job.lang, job.layout, target),
        )
        for job in jobs
        for target in dict.fromkeys(targets)
    ]


def bilingual_job(
    campaign: Campaign,
    layout: Layout,
    spec: OutputSpec,
    options: dict,
    chosen: list[str],
    out: Path,
) -> tuple[OutputJob | None, OutputResult | None]:
    """One output with a language per side: the spec's two languages, or the campaign's first two.

    It is built when both its languages are among those asked for.
    """
    sides = tuple(spec.languages or campaign.languages[:2])
    if len(sides) != 2:
        where = f"outputs[{spec.index}].languages" if spec.index is not None else "languages"
        error = ContentError(
            f"layout '{layout.name}' prints one language per side: expected two languages "
            f"(front, back), found {len(sides)}",
            file=campaign.shown_as,
            key=where,
        )
        return None, OutputResult(campaign.key, None, layout.name, None, error)
    if not all(lang in chosen for lang in sides):
        return None, None
    lang = "+".join(sides)
    path = output_path(out, campaign.key, lang, layout.name)
    return OutputJob(campaign, lang, layout.name, options, spec, path, sides=sides), None


def restyle(composed: Composed, prep: Preparation) -> Composed:
    return dataclasses.replace(composed, html=style_html(composed.html, prep))


def join_pdfs(parts: list[bytes]) -> bytes:
    """Several rendered PDFs as one, pages in order (a bilingual leaflet's front and back)."""
    from pypdf import PdfReader, PdfWriter

    from .finish.pages import to_bytes

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(part)) for part in parts]
    for reader in readers:
        writer.append(reader)
    # The front's title and language stand for the leaflet; each side keeps its own text.
    return to_bytes(writer, readers[0])


def finished_result(result: OutputResult, data: bytes, job: OutputJob) -> OutputResult:
    """The result as the finished file is: its pages, its trimmed page size, its bytes."""
    # pypdf is imported where it is used: a no-op rebuild never needs it (~0.2 s).
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].trimbox
    return dataclasses.replace(
        result,
        lang=job.lang,
        path=job.path,
        pages=len(reader.pages),
        page_size_pt=(float(box.width), float(box.height)),
        size_bytes=len(data),
        target=job.target,
    )

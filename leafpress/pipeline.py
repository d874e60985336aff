"""The one way an output is made: compose, fit, render both sides, check, finish; nothing else renders."""

from __future__ import annotations

import contextlib
import dataclasses
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import reads
from .constants import PAGE_SIZE_TOLERANCE_PT, TARGETS
from .content import Campaign
from .errors import LayoutError, LeafpressError, RenderError, unexpected
from .findings import CheckError, Finding, as_problems
from .fonts import FontManifest, load_manifest
from .layouts import Layout, LayoutLibrary
from .photoprep import PhotoPreparation
from .records import BuildPlan, LaidOutJob, OutputJob, OutputResult, TargetOptions
from .targets import Preparation, style_html
from .write import scratch_dir, write_atomic

# The rendering stack (WeasyPrint's helpers, Pillow, pyphen, qrcode, the checks) is imported in
# the methods that render: planning and a no-op rebuild never need it, and importing it all
# would take longer than such a rebuild itself.
if TYPE_CHECKING:
    from .compose import Composed
    from .heldheight import HeldSize
    from .photos import PreparedPhoto
    from .refit import FoundFit
    from .render import LaidOut, RenderedPdf


class Builder(PhotoPreparation):
    """Runs jobs; keeps what outputs share (layouts, fonts, prepared photos) for the whole build.

    `force` writes outputs that checks found errors in; `collect` returns what checks find
    instead of refusing the output; `jobs` (the whole plan) tells campaign
    checks which layouts a campaign goes through; `target_options` are the print settings.
    """

    def __init__(
        self,
        root: Path,
        out: Path,
        *,
        force: bool = False,
        collect: bool = False,
        jobs: list[OutputJob] | None = None,
        target_options: TargetOptions | None = None,
        library: LayoutLibrary | None = None,
    ) -> None:
        self.root = root
        self.out = out
        self.force = force
        # Collect what checks find instead of refusing the output (`leafpress check`).
        self.collect = collect
        self.jobs = jobs or []
        self.target_options = target_options or TargetOptions()
        self.library = library or LayoutLibrary(root)
        self._fonts: FontManifest | None = None
        self._photos: dict[tuple, PreparedPhoto | LeafpressError] = {}
        self._campaign_findings: dict[str, list[Finding]] = {}
        # What each campaign's checks read (they read every language; incremental.py keeps it).
        self.campaign_reads: dict[str, set[Path]] = {}
        self._preparations: dict[str, Preparation] = {}
        self._fitted: dict[tuple[str, ...], FoundFit] = {}
        # The last fit of each output, kept when its text changes (forget_content): where a
        # sketch of the edited text is laid out (lay_out's `sketch`).
        self._last_fits: dict[tuple[str, ...], FoundFit] = {}
        # Sizes of layouts' height holders (heldheight.py), by what they were measured in;
        # None where a block of that height would not lay out as the holder does.
        self._held_heights: dict[str, HeldSize | None] = {}
        self._composed: dict[tuple, tuple[Composed, frozenset[Path]]] = {}
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

    def forget_content(self, jobs: list[OutputJob]) -> None:
        """Let go of what was made from campaign files (composed text, the fits found for it,
        campaign findings, the campaigns' photo lists) and take the jobs of a new plan; keep
        the fonts, the layouts, the targets' preparations and WeasyPrint's images. `serve`
        calls it when only campaign text files changed, so an edit does not start cold."""
        self.jobs = jobs
        # A fit replayed for other text could end elsewhere than a search: not what build writes.
        self._fitted.clear()
        self._composed.clear()
        self._campaign_findings.clear()
        self.campaign_reads.clear()
        self._photos.clear()

    @property
    def cache_dir(self) -> Path:
        return self.out / ".cache"

    @property
    def fonts(self) -> FontManifest:
        if self._fonts is None:
            # Faces cut from font collections are kept with this build's outputs.
            fonts = load_manifest(self.root)
            self._fonts = dataclasses.replace(fonts, face_cache=self.cache_dir / "fonts")
        return self._fonts

    def lay_out(self, job: OutputJob, sketch: Callable[[bytes], None] | None = None) -> LaidOutJob:
        """Compose and lay out one job in memory, copy-fitting it to its page budget.

        `sketch`, for serve, is given the first page (as PDF) of the text laid out once where
        the output's last fit ended, before the search for its own fit, when that pass keeps
        to the page budget (one that runs over would show a page without what was pushed off
        it, the contact strip of a leaflet): an edit can be shown at once, if not yet fitted.
        The search is the same as without it (it takes that pass if it comes to the same
        scales), so the output is the same."""
        from .compose import compose
        from .fit import fit, measure, scale_css
        from .heldheight import HeldPasses
        from .hyphenlimit import protect_words
        from .layoutconfig import fit_spec
        from .lines import release_last_words_in
        from .measure import measures, wants_measures
        from .refit import FoundFit, fit_key, limit_hyphenation, recall, remember, replay
        from .render import first_page_pdf, make_fetcher, parse_html
        from .render import lay_out as lay_out_html

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
            from .qr import keep_codes_in

            keep_codes_in(self.cache_dir / "qr")  # a later process reads its QR code back
            with reads.recording() as composing:
                made = compose(job.campaign, text, layout, self.fonts, photos, job.options)
            self._composed[same_text, tuple(photos)] = (made, frozenset(composing))
        made, composing = self._composed[same_text, tuple(photos)]
        reads.record(*composing)
        composed = restyle(made, prep)
        measuring = wants_measures(composed.html)
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
            reads.record(*first.reads)
            return dataclasses.replace(first, job=job, shared_from=first.job.label)
        fetcher = make_fetcher(
            allowed_dirs=[self.root, self.cache_dir],
            allowed_files=[*self.fonts.all_files(), *self.fonts.face_files(), *prep.stylesheets],
            optional=layout.optional_resources,
            photo_dir=self.cache_dir / "photos",
        )
        spec = fit_spec(layout)
        budget = layout.expected_pages(len(photos))
        measured_now = False
        if measuring:
            # The template sizes things from boxes it measures: lay out once, compose again
            # with their sizes (measure.py). Targets differ in colours, not sizes: once a text.
            if (same_text, tuple(photos), "measured") not in self._composed:
                parsed = parse_html(composed.html, composed.base_url, fetcher)
                first = lay_out_html(
                    parsed,
                    fetcher,
                    job.label,
                    "",
                    color_profiles=prep.color_profiles,
                    options=prep.render_options,
                    images=self._images,
                    scratch=scratch_dir(self.out),
                )
                with reads.recording() as composing:
                    made = compose(
                        job.campaign,
                        text,
                        layout,
                        self.fonts,
                        photos,
                        job.options,
                        measures(first.document),
                    )
                self._composed[same_text, tuple(photos), "measured"] = (made, frozenset(composing))
                measured_now = True
            made, composing = self._composed[same_text, tuple(photos), "measured"]
            reads.record(*composing)
            composed = restyle(made, prep)

        parsed_html: dict[str, Any] = {}

        def render(document: str, css: str) -> LaidOut:
            if document not in parsed_html:
                parsed_html[document] = parse_html(document, composed.base_url, fetcher)
            return lay_out_html(
                parsed_html[document],
                fetcher,
                job.label,
                css,
                color_profiles=prep.color_profiles,
                options=prep.render_options,
                images=self._images,
                scratch=scratch_dir(self.out),
            )

        passes = HeldPasses(
            layout.hold_height,
            self._held_heights,
            budget,
            repr(sorted(prep.render_options.items())),
            render,
        )
        # A sketch's pass, taken by the search if it lays out the same HTML at the same scales.
        ready: dict[tuple[str, str], LaidOut] = {}
        spare_passes = 0  # a sketch's pass the search did not take

        def lay_out_at(html: str) -> Callable[..., LaidOut]:
            def at(scale: float, first: float = 1.0, *, sketching: bool = False) -> LaidOut:
                nonlocal spare_passes
                css = scale_css(scale, first) if spec else ""
                if (html, css) in ready:
                    spare_passes -= 1
                    return ready.pop((html, css))
                return passes.lay_out(html, css, sketching)

            return at

        # The same text through the same layout in another target (other colours, the same
        # boxes) ends where the first one's search did: try that first. So does the same text
        # in a later process (a --rebuild, serve after an undo), from the fits kept on disk.
        memo = self.cache_dir / "fits"
        key = fit_key(made.html, *same_text, repr(spec), str(budget))
        found = self._fitted.get(same_text) or recall(memo, key)
        last = self._last_fits.get(same_text)
        if sketch is not None and found is None and last is not None and spec is not None:
            spare_passes = 1
            html = protect_words(composed.html, last.protected) if last.protected else composed.html
            laid_out = lay_out_at(html)(last.scale, last.first_scale, sketching=True)
            if measure(laid_out, spec, budget, last.scale, last.first_scale).fits:
                ready[html, scale_css(last.scale, last.first_scale)] = laid_out
                # Only a preview: the output itself reports what writing it runs into.
                with contextlib.suppress(LeafpressError):
                    sketch(first_page_pdf(laid_out, job.label, prep.render_options))
        fitted = replay(found, composed.html, lay_out_at, layout, spec)
        if fitted is None:
            # A headline whose last two words, kept together, break a word even at its smallest
            # size is laid out again with them apart (lines.py).
            first = spec.first.element if spec and spec.first else ""
            loose = release_last_words_in(composed.html, first) if first else composed.html
            unglued = (lambda: lay_out_at(loose)) if loose != composed.html else None
            fitted = fit(lay_out_at(composed.html), spec, budget, unglued)
            html = loose if fitted.unglued else composed.html
            fitted = limit_hyphenation(html, fitted, lay_out_at, layout, spec, budget)
        fitted.passes += measured_now  # the pass that measured the template's boxes
        fitted.passes += spare_passes
        if (kept := FoundFit.of(fitted)) is not None:
            self._fitted[same_text] = self._last_fits[same_text] = kept
            if kept != found:
                remember(memo, key, kept, self.out)
        reads.record(*fetcher.used)
        _check_page_size(layout, fitted.laid_out)
        laid = LaidOutJob(
            job,
            layout,
            text,
            photos,
            fitted,
            prep.render_options,
            document,
            reads=frozenset(fetcher.used),
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

    def campaign_findings(self, campaign: Campaign) -> list[Finding]:
        """The campaign checks' findings, found once per campaign. They read every language
        of the campaign; an output takes them into account by their findings (see
        incremental.py), not by those reads."""
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
            with reads.apart() as read:
                reads.record(campaign.source.path)
                try:
                    found = run_campaign_checks(context)
                except Exception as exc:  # a check's bug fails this campaign, not the build
                    error = unexpected(exc, "checking the campaign")
                    found = [Finding(campaign.key, None, None, "campaign", "error", str(error))]
                self._campaign_findings[campaign.key] = found
            self.campaign_reads[campaign.key] = read
        return self._campaign_findings[campaign.key]

    def remember_campaign_findings(self, campaign: Campaign, findings: list[Finding]) -> None:
        """Findings the campaign checks gave for these same inputs (incremental.py's record)."""
        self._campaign_findings[campaign.key] = findings

    def _output_findings(
        self,
        job: OutputJob,
        laid: LaidOutJob | None,
        pdf: bytes | None,
        error: LeafpressError | None = None,
    ) -> list[Finding]:
        from .check import OutputContext, run_output_checks

        context = OutputContext(
            job, self.library.get(job.layout), job.campaign.text(job.lang), self.fonts
        )
        context.laid, context.pdf, context.error = laid, pdf, error
        if laid is not None:
            from .finish import print_scale

            context.print_scale = print_scale(
                job.target, laid.laid_out.page_sizes_pt[0], self.target_options
            )
        return run_output_checks(context)

    def _make_side(
        self,
        job: OutputJob,
        on_rendered: Callable[[bytes], None] | None = None,
        on_sketch: Callable[[bytes], None] | None = None,
    ) -> tuple[RenderedPdf | None, LaidOutJob | None, list[Finding]]:
        """One language of an output laid out, written in memory and checked. An error while
        making it is raised, or, when the builder collects findings (`leafpress check`), is
        returned as findings with the checks that do not need the document."""
        try:
            laid = self.lay_out(job, on_sketch)
            rendered = self._written(laid)
            if on_rendered is not None:
                on_rendered(rendered.data)
        except LeafpressError as exc:
            if not self.collect:
                raise
            return (
                None,
                None,
                self._side_findings(job) + self._output_findings(job, None, None, exc),
            )
        return (
            rendered,
            laid,
            self._side_findings(job) + self._output_findings(job, laid, rendered.data),
        )

    def _side_findings(self, job: OutputJob) -> list[Finding]:
        # The campaign's findings come after the side is laid out: a sketch does not wait.
        return [f for f in self.campaign_findings(job.campaign) if f.concerns(job.lang, job.layout)]

    def make_output(
        self,
        job: OutputJob,
        on_rendered: Callable[[bytes], None] | None = None,
        on_sketch: Callable[[bytes], None] | None = None,
    ) -> tuple[bytes | None, OutputResult]:
        """Make one output: compose, fit and render each of its sides (two for a two-language
        layout), check them, join them and finish the PDF for the output's target. Returns
        the finished PDF's bytes, unwritten, and the result; every file it read is in
        `result.reads`. This is the only way leafpress makes an output: build, check, serve
        and preview all call it.

        An output that a check finds an error in raises CheckError unless the builder forces;
        a builder that collects findings returns them in the result instead, and no bytes when
        the output could not be rendered. `on_rendered(pdf)`, for serve, is given the PDF as
        soon as it is rendered, before it is checked, where the rendered PDF is the output;
        `on_sketch(pdf)` the first page of a sketch before that, where the output copy-fits
        and was fitted before (lay_out's `sketch`)."""
        from .finish import finish

        sides = [dataclasses.replace(job, lang=lang, sides=()) for lang in job.sides] or [job]
        # Only where the rendered PDF is the output (one side, a target with no finishing) is
        # it given early; the checks and a refusal still come after.
        as_rendered = len(sides) == 1 and TARGETS[job.target].finisher is None
        early, sketch = (on_rendered, on_sketch) if as_rendered else (None, None)
        with reads.recording() as read:
            reads.record(job.campaign.source.path)
            made = [self._make_side(side, early, sketch) for side in sides]
        findings = [f for _, _, side_findings in made for f in side_findings]
        errors = [f for f in findings if f.is_error]
        if errors and not (self.force or self.collect):
            raise CheckError(problems=as_problems(errors))
        result = OutputResult(
            job.campaign.key, job.lang, job.layout, job.path, findings=findings, target=job.target
        )
        result.reads = sorted(read)
        if any(rendered is None for rendered, _, _ in made):
            result.error = CheckError(problems=as_problems(errors))
            return None, result
        first_rendered, first_laid, _ = made[0]
        assert first_rendered is not None and first_laid is not None
        result.scale = first_laid.fit.scale
        result.passes = 0 if first_laid.shared_from else first_laid.fit.passes
        result.shared_with = first_laid.shared_from
        for rendered, laid, _ in made:
            assert rendered is not None and laid is not None
            result.warnings += rendered.warnings  # a shared document's list is not this output's
            for photo in laid.photos:
                masked = (photo.key, len(photo.faces), len(photo.masks))
                if photo.faces_masked and masked not in result.faces:
                    result.faces.append(masked)
            if laid.text.transliterated_from:
                note = f"transliterated from {laid.text.transliterated_from} by machine: have a person review it"
                if note not in result.notes:
                    result.notes.append(note)
        parts = [rendered.data for rendered, _, _ in made if rendered is not None]
        data = join_pdfs(parts) if len(parts) > 1 else parts[0]
        layout = self.library.get(job.layout)
        # Two sides, one leaflet: a bilingual layout, or any two-page leaflet.
        duplex = layout.bilingual or (
            layout.kind == "leaflet" and not layout.per_photo and layout.expected_pages(0) == 2
        )
        tiles = TARGETS[job.target].finisher == "tile"
        words = None
        if tiles:
            from .finish.words import sheet_words

            words = sheet_words(self.root, layout, job, self.fonts)
        finished = finish(job.target, data, self.target_options, duplex=duplex, words=words)
        if finished is data and len(made) == 1:
            # Finished as rendered (screen): its pages are the rendered ones, no need to read
            # the PDF back (with pypdf, which a screen output then never imports).
            return data, _as_rendered(result, first_rendered, data, job)
        return finished, finished_result(result, finished, job)

    def run_job(self, job: OutputJob) -> OutputResult:
        """Make and write one output; any failure is returned as the output's own, never raised."""
        from .workers import time_limit

        try:
            with time_limit(f"making {job.label}"):
                data, result = self.make_output(job)
        except Exception as exc:  # one output's bug or bad input must not stop the others
            error = unexpected(exc, "making this output")
        else:
            if data is None:
                return result
            try:
                write_atomic(job.path, data, self.out)
                return result
            except OSError as exc:
                # write_atomic leaves nothing behind: say why and what to do.
                error = RenderError(
                    f"cannot write the PDF: {exc.strerror or exc}; make sure the output folder "
                    "is writable and its disk has room (or choose another with --out)",
                    file=job.path,
                )
        return OutputResult(
            job.campaign.key, job.lang, job.layout, job.path, error, target=job.target
        )

    # Print targets (see targets.py and finish/): kept apart from render() above.


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


def _as_rendered(
    result: OutputResult, rendered: RenderedPdf, data: bytes, job: OutputJob
) -> OutputResult:
    """The result of an output written as it was rendered: what finished_result reads back."""
    return dataclasses.replace(
        result,
        lang=job.lang,
        path=job.path,
        pages=len(rendered.page_sizes_pt),
        # As the PDF states it (pydyf writes six decimals), as finished_result reads it.
        page_size_pt=tuple(round(side, 6) for side in rendered.page_sizes_pt[0]),
        size_bytes=len(data),
        target=job.target,
    )


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

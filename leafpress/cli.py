"""The leafpress command line: parse options, show progress and results, and call the engine."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .constants import MM_PER_PT, N_UP_CHOICES, SHEET_CHOICES, TARGETS
from .errors import LeafpressError, unexpected
from .layouts import LayoutLibrary
from .plan import plan_build
from .records import BuildReport, OutputResult, TargetOptions
from .run import run_build
from .workers import default_jobs

if TYPE_CHECKING:
    from .run import CheckReport

ROOT_HELP = "Workspace root: the folder that holds leaflets/, layouts/, fonts/ and assets/."


class EngineError(click.ClickException):
    """An engine error as the command line shows it: every line of it, then exit 1."""

    def __init__(self, error: LeafpressError) -> None:
        super().__init__(str(error))
        self.error = error

    def show(self, file: Any = None) -> None:
        for line in self.format_message().splitlines():
            click.secho(f"Error: {line}", fg="red", err=True)


def report_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn any error that escapes a command into exit 1 with its message, never a traceback
    (a command's --verbose adds it, for a bug report)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.Abort, click.exceptions.Exit):
            raise
        except LeafpressError as exc:
            raise EngineError(exc) from None
        except Exception as exc:
            if kwargs.get("verbose"):
                import traceback

                click.echo(traceback.format_exc(), err=True)
            what = (command.__name__ or "the command").replace("_", " ")
            raise EngineError(unexpected(exc, what)) from None

    return wrapper


def _root_given(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    # --root before the command sets the workspace for it; after the command it overrides that.
    if value is not None:
        ctx.ensure_object(dict)["root"] = value
    return value


def workspace_root(ctx: click.Context | None = None) -> Path:
    """The workspace root given with --root (before or after the command), else the current folder."""
    ctx = ctx or click.get_current_context()
    while ctx is not None:
        if isinstance(ctx.obj, dict) and ctx.obj.get("root") is not None:
            return ctx.obj["root"]
        ctx = ctx.parent
    return Path(".")


def in_root(root: Path, path: Path | None) -> Path | None:
    """A path argument as the workspace sees it: relative paths are relative to the root."""
    if path is None:
        return None
    return path if path.is_absolute() else root / path


def root_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--root, shared by every command that reads a workspace; the command gets `root`."""

    @click.option(
        "--root",
        "root_given",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_root_given,
        help=ROOT_HELP + "  [default: the current folder]",
    )
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return command(*args, root=workspace_root(), **kwargs)

    return wrapper


def selection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--lang and --layout, shared by every command that picks outputs."""
    command = click.option(
        "--layout", "layouts", multiple=True, help="Only this layout (repeatable)."
    )(command)
    return click.option(
        "--lang",
        "languages",
        multiple=True,
        help="Only this language (repeatable), e.g. --lang kk.",
    )(command)


def out_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--out, shared by the commands that write; relative to the workspace root."""
    return click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Output folder, relative to the workspace root.  [default: out/ in the workspace root]",
    )(command)


def campaigns_argument(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument("campaigns", nargs=-1, type=click.Path(file_okay=False, path_type=Path))(
        command
    )


def _selection(
    root: Path, campaigns: tuple[Path, ...], languages: tuple[str, ...], layouts: tuple[str, ...]
) -> tuple[list[Path] | None, list[str] | None, list[str] | None]:
    folders = [in_root(root, c) for c in campaigns]
    return (
        [f for f in folders if f is not None] or None,
        list(languages) or None,
        list(layouts) or None,
    )


def target_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--target and the settings of the print targets, gathered into one TargetOptions."""
    targets_help = "; ".join(f"{name}: {target.help}" for name, target in TARGETS.items())

    @click.option(
        "--target",
        "targets",
        multiple=True,
        help=f"Print target (repeatable); default: campaign.toml's `targets`, else screen. "
        f"{targets_help}.",
    )
    @click.option(
        "--icc",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        help="print-shop: the shop's CMYK ICC profile.  [default: the profile ./setup.sh installs]",
    )
    @click.option(
        "--bleed",
        "bleed_mm",
        type=click.FloatRange(0, 10),
        default=3.0,
        show_default=True,
        help="print-shop: bleed in mm on every side.",
    )
    @click.option(
        "--n-up",
        "n_up",
        type=click.Choice(N_UP_CHOICES),
        default="auto",
        show_default=True,
        help="office, photocopy: leaflets per sheet; auto fits as many as fit at full size.",
    )
    @click.option(
        "--sheet",
        type=click.Choice(SHEET_CHOICES),
        default="A4",
        show_default=True,
        help="office, photocopy, tiles: the paper the printer takes.",
    )
    @click.option(
        "--overlap",
        "overlap_mm",
        type=click.FloatRange(0, 50),
        default=10.0,
        show_default=True,
        help="tiles: overlap in mm between neighbouring sheets, for glue.",
    )
    @click.option(
        "--max-ink",
        "max_ink",
        type=click.FloatRange(200, 400),
        default=300.0,
        show_default=True,
        help="print-shop: most total ink in percent a photo puts on paper; 260 for uncoated stock.",
    )
    @functools.wraps(command)
    def wrapper(*args: Any, icc, bleed_mm, n_up, sheet, overlap_mm, max_ink, **kwargs: Any) -> Any:
        options = TargetOptions(bleed_mm, icc, n_up, sheet, overlap_mm, max_ink)
        return command(*args, options=options, **kwargs)

    return wrapper


@click.group()
@click.version_option(__version__, prog_name="leafpress")
@click.option(
    "--root",
    "root_given",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    expose_value=False,
    callback=_root_given,
    help=ROOT_HELP,
)
def main() -> None:
    """leafpress: campaign text, written once per language, into print-ready PDF leaflets and posters."""


@main.command()
@campaigns_argument
@selection_options
@out_option
@root_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Render in this many worker processes.  [default: the number of CPU cores]",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also show copy-fitting's layout passes, checks' warnings and WeasyPrint's warnings.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Render every output again, and write even those a check finds an error in "
    "(see `leafpress check`).",
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Render every output again, even those whose inputs did not change since the last "
    "build; unlike --force, still refuse those with errors.",
)
@target_options
@report_errors
def build(
    campaigns: tuple[Path, ...],
    languages: tuple[str, ...],
    layouts: tuple[str, ...],
    out: Path | None,
    root: Path,
    jobs: int | None,
    verbose: bool,
    force: bool,
    rebuild: bool,
    targets: tuple[str, ...],
    options: TargetOptions,
) -> None:
    """Build PDFs: every campaign under leaflets/ (or the CAMPAIGNS given), every language, every output.

    Each output is written to OUT/<campaign>/<lang>/<layout>.pdf, or <layout>.<target>.pdf for a
    target other than screen. Text that runs long is copy-fitted to the page. The checks of
    `leafpress check` run on every output, and one with an error is not written unless --force.
    A failing output is reported and the others are still built; the exit code is 1 if any
    output failed. An output whose inputs (text, layout, fonts, photos, options, leafpress) did
    not change since it was written is left as it is; --rebuild (or --force) renders everything
    again.

    \b
    Example:
        leafpress build leaflets/shanyrak --lang kk --layout leaflet-a5
        leafpress build --target print-shop --target office --icc shop.icc
    """
    out = in_root(root, out) or root / "out"
    plan = plan_build(
        root, out, *_selection(root, campaigns, languages, layouts), list(targets) or None, options
    )
    with click.progressbar(
        length=len(plan.jobs),
        label="Rendering",
        file=sys.stderr,
        item_show_func=lambda r: r.label if r else "",
    ) as bar:
        report = run_build(
            plan,
            on_result=lambda r: bar.update(1, r),
            force=force,
            jobs=jobs or default_jobs(),
            # Forcing is for when something is wrong: nothing recorded is trusted then either.
            # --rebuild makes every output again, but trusts the campaign checks' record (it is
            # kept with the digests of every file they read), and records what it makes.
            incremental=not force,
            rebuild=rebuild,
        )
    _print_report(report, plan.root, verbose)
    if not report.ok:
        sys.exit(1)


def _print_report(report: BuildReport, root: Path, verbose: bool) -> None:
    rows = [_row(r, root) for r in report.written]
    if rows:
        headers = ("file", "target", "page size", "pages", "scale", "size")
        widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
        line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
        click.echo(click.style(line, bold=True))
        for row in rows:
            click.echo(
                "  ".join(
                    cell.rjust(w) if i >= 3 else cell.ljust(w)
                    for i, (cell, w) in enumerate(zip(row, widths, strict=True))
                )
            )
        for result in report.written:
            for note in result.notes:
                click.secho(f"note: {result.label}: {note}", fg="yellow")
        _print_faces(report)
        if verbose:
            for result in report.written:
                passes = f"{result.passes} layout pass{'es' if result.passes != 1 else ''}"
                if result.shared_with:
                    passes = f"rendered once with {result.shared_with}"
                click.echo(f"{result.label}: {passes}, scale {_scale(result)}", err=True)
                for finding in result.findings:
                    if finding.status != "ok":
                        click.secho(
                            f"{finding.status}: {result.label}: {finding.check}: {finding.message}",
                            fg="yellow" if finding.status == "warning" else "red",
                            err=True,
                        )
                for warning in result.warnings:
                    click.secho(f"warning: {result.label}: {warning}", fg="yellow", err=True)
    for result in report.failed:
        click.secho(f"Error: {result.label or 'build'} failed:", fg="red", bold=True, err=True)
        for problem in result.error.problems if result.error else ():
            click.secho(f"  {problem}", fg="red", err=True)
    written, failed = len(report.written), len(report.failed)
    summary = f"{written} written, {failed} failed"
    if report.skipped:
        summary = f"{written} written, {len(report.skipped)} unchanged, skipped, {failed} failed"
    click.secho(summary, fg="green" if not failed else "red", err=bool(failed))


def _print_faces(report: BuildReport) -> None:
    """Once per masked photo, however many outputs print it: the people covered, and a reminder
    to look, since a missed face is the one mistake a reader cannot see."""
    from .faces import faces_covered

    seen: dict[tuple[str, str], tuple[int, int]] = {}
    for result in report.written:
        for key, faces, by_hand in result.faces:
            seen.setdefault((result.campaign, key), (faces, by_hand))
    for (campaign, key), (faces, by_hand) in seen.items():
        colour = "yellow" if not faces and not by_hand else None
        click.secho(f"faces: {campaign}/{key}: {faces_covered(faces, 0, by_hand)}", fg=colour)
    for campaign in dict.fromkeys(campaign for campaign, _ in seen):
        click.secho(
            f"Look at every masked photo before printing: leafpress faces leaflets/{campaign} "
            f"writes out/{campaign}/faces.png, each block outlined and numbered",
            fg="yellow",
        )


def _scale(result: OutputResult) -> str:
    return f"{result.scale * 100:.0f} %" if result.scale is not None else ""


def _row(result: OutputResult, root: Path) -> tuple[str, ...]:
    path = result.path
    try:
        shown = str(path.relative_to(root.resolve())) if path else ""
    except ValueError:
        shown = str(path)
    width, height = result.page_size_pt or (0, 0)
    size = f"{width * MM_PER_PT:.0f}×{height * MM_PER_PT:.0f} mm"
    return (
        shown,
        result.target,
        size,
        str(result.pages),
        _scale(result),
        f"{result.size_bytes / 1024:.0f} KB",
    )


@main.command()
@campaigns_argument
@selection_options
@click.option(
    "--json", "as_json", is_flag=True, help="Print the findings as JSON, for other tools."
)
@click.option(
    "--recheck",
    is_flag=True,
    help="Check every output again, also those whose findings a build or check recorded.",
)
@root_option
@report_errors
def check(
    campaigns: tuple[Path, ...],
    languages: tuple[str, ...],
    layouts: tuple[str, ...],
    as_json: bool,
    recheck: bool,
    root: Path,
) -> None:
    """Check every output before printing, without writing any PDF.

    Translations complete, every character in the layout's fonts, the text fits its pages (and
    at what scale), photos sharp enough to print, the QR code scans to what it should, nothing
    the layout uses is missing or outside the workspace, and contacts that work. Prints a table
    (or JSON with --json); the exit code is 1 if any finding is an error. An output whose
    inputs have not changed since a build or a check recorded its findings is not made again:
    its findings are reused, and the summary says which (--recheck to check everything).

    \b
    Example:
        leafpress check leaflets/shanyrak --lang kk
    """
    plan = plan_build(root, root / "out", *_selection(root, campaigns, languages, layouts))
    from .run import run_checks

    report = run_checks(plan, reuse=not recheck, jobs=default_jobs())
    if as_json:
        click.echo(json.dumps([f.as_dict() for f in report.findings], ensure_ascii=False, indent=2))
    else:
        _print_findings(report)
    if not report.ok:
        sys.exit(1)


STATUS_COLOURS = {"ok": "green", "warning": "yellow", "error": "red"}


def _print_findings(report: CheckReport) -> None:
    headers = ("campaign", "language", "layout", "check", "status", "message")
    # The message says where, as build's errors do: file:line: key: message.
    rows = [
        (
            f.campaign,
            f.language or "all",
            f.layout or "all",
            f.check,
            f.status,
            f"{where}: {f.message}" if (where := f.location()) else f.message,
        )
        for f in report.findings
    ]
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers[:-1])]
    click.echo(
        click.style("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)), bold=True)
        + "  message"
    )
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
        cells[4] = click.style(cells[4], fg=STATUS_COLOURS[row[4]])
        click.echo("  ".join([*cells, row[5]]))
    counts = report.counts()
    summary = ", ".join(
        f"{counts.get(s, 0)} {word}"
        for s, word in (("error", "errors"), ("warning", "warnings"), ("ok", "ok"))
    )
    if report.reused:
        summary += "; " + _reused_note(report)
    click.secho(summary, fg="red" if counts.get("error") else "green")


def _reused_note(report: CheckReport) -> str:
    return (
        f"the findings of {len(report.reused)} outputs are reused, their inputs unchanged since "
        f"they were checked (--recheck to check them again): {', '.join(report.reused)}"
    )


@main.command("layouts")
@root_option
@report_errors
def list_layouts(root: Path) -> None:
    """List the layouts in layouts/ with their page size and the content fields they need.

    \b
    Example:
        leafpress layouts
    """
    library = LayoutLibrary(root)
    names = library.names()
    if not names:
        raise click.ClickException(f"no layouts found in {root / 'layouts'}")
    failed = False
    for name in names:
        try:
            layout = library.get(name)
            layout.template  # noqa: B018 - compile it, to report a syntax error here
        except LeafpressError as exc:
            failed = True
            click.secho(f"{name}: {exc}", fg="red", err=True)
            continue
        click.echo(click.style(name, bold=True) + f"  {layout.page_size_label}, {layout.kind}")
        if layout.description:
            click.echo(f"    {layout.description}")
        click.echo(f"    requires: {', '.join(layout.requires) or 'nothing'}")
        if layout.bilingual:
            click.echo("    two languages, one per side: [[outputs]] languages = [front, back]")
    if failed:
        sys.exit(1)


@main.command()
@campaigns_argument
@click.option(
    "--dpi",
    type=click.IntRange(18, 600),
    default=72,
    show_default=True,
    help="Page image resolution.",
)
@out_option
@selection_options
@root_option
@report_errors
def preview(
    campaigns: tuple[Path, ...],
    dpi: int,
    out: Path | None,
    languages: tuple[str, ...],
    layouts: tuple[str, ...],
    root: Path,
) -> None:
    """Build, then write a PNG of every page and one contact sheet per campaign.

    Page images go beside each PDF as OUT/<campaign>/<lang>/<layout>-<page>.png; the contact
    sheet OUT/<campaign>/contact-sheet.png shows every output side by side, labelled with
    language and layout, for reviewing a campaign at a glance or sending it for approval.

    \b
    Example:
        leafpress preview leaflets/shanyrak --dpi 100
        leafpress preview --lang kk --layout leaflet-a5
    """
    from .preview import run_preview

    out = in_root(root, out) or root / "out"
    plan = plan_build(root, out, *_selection(root, campaigns, languages, layouts))
    with click.progressbar(
        length=len(plan.jobs),
        label="Rendering",
        file=sys.stderr,
        item_show_func=lambda r: r.label if r else "",
    ) as bar:
        report = run_preview(plan, dpi, on_result=lambda r: bar.update(1, r))
    pages = sum(len(p) for p in report.pages.values())
    click.echo(f"{pages} page images written")
    for path in report.sheets.values():
        click.echo(f"contact sheet: {_shown(path, plan.root)}")
    for result in report.failed:
        click.secho(f"Error: {result.label or 'build'} failed:", fg="red", bold=True, err=True)
        for problem in result.error.problems if result.error else ():
            click.secho(f"  {problem}", fg="red", err=True)
    if not report.ok:
        sys.exit(1)


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


@main.command()
@click.argument("campaign", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default keeps the page on this computer.",
)
@click.option("--dpi", type=click.IntRange(18, 600), default=72, show_default=True)
@selection_options
@out_option
@root_option
@report_errors
def serve(
    campaign: Path | None,
    port: int,
    host: str,
    dpi: int,
    languages: tuple[str, ...],
    layouts: tuple[str, ...],
    out: Path | None,
    root: Path,
) -> None:
    """Show every output as page images in the browser, rebuilt as you edit.

    Watches leaflets/, layouts/, fonts/ and assets/; a change rebuilds only the outputs it
    affects and the open page updates itself. A build error shows in place of its output until
    the file is fixed. Stop with Ctrl-C.

    \b
    Example:
        leafpress serve leaflets/shanyrak --port 8000
    """
    from .serve import PreviewServer, PreviewSession

    out = in_root(root, out) or root / "out"
    session = PreviewSession(
        root,
        out,
        [in_root(root, campaign)] if campaign else None,
        list(languages) or None,
        list(layouts) or None,
        dpi,
    )
    click.echo("Building…", err=True)
    session.rebuild()
    try:
        server = PreviewServer(session, host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None

    def rebuilt(labels: list[str]) -> None:
        if labels:
            click.echo(f"rebuilt {', '.join(labels)}", err=True)

    server.on_rebuild = rebuilt
    # Everything after start() is inside try: a Ctrl-C at any moment must stop the threads.
    try:
        server.start()
        click.echo(f"Serving on {server.url} (Ctrl-C to stop)")
        server.stop_event.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@main.group()
def new() -> None:
    """Start a campaign or a layout from a skeleton.

    \b
    Example:
        leafpress new campaign water --lang kk --lang ru
    """


@new.command("campaign")
@click.argument("name")
@click.option(
    "--lang",
    "languages",
    multiple=True,
    help="A language of the campaign (repeatable).  [default: kk, ru, en]",
)
@root_option
@report_errors
def new_campaign(name: str, languages: tuple[str, ...], root: Path) -> None:
    """Create leaflets/NAME/ with campaign.toml and a file per language, and assets/NAME/.

    Every key the layouts need is there with a placeholder and a comment on what it is and how
    long it can be; the campaign builds at once.

    \b
    Example:
        leafpress new campaign water --lang kk --lang ru --lang en
    """
    from .scaffold import new_campaign as make

    folder = make(root, name, list(languages) or None)
    click.echo(f"created {_shown(folder, root)}/ and assets/{name}/")
    click.echo(f"fill in the TODO placeholders, then: leafpress build {_shown(folder, root)}")


@new.command("layout")
@click.argument("name")
@click.option("--from", "source", required=True, help="The layout to start from.")
@click.option(
    "--extends",
    "extend",
    is_flag=True,
    help="Make a small layout that extends the other instead of copying it.",
)
@root_option
@report_errors
def new_layout(name: str, source: str, extend: bool, root: Path) -> None:
    """Create layouts/NAME/ as a copy of another layout, or as a variant that extends it.

    A variant (--extends) holds only what differs: blocks of the parent's template it overrides,
    and CSS layered on the parent's; it picks up later fixes to the parent.

    \b
    Example:
        leafpress new layout leaflet-a5-green --from leaflet-a5 --extends
    """
    from .scaffold import new_layout as make

    folder = make(root, name, source, extend=extend)
    click.echo(f"created {_shown(folder, root)}/")


@main.command()
@campaigns_argument
@out_option
@root_option
@report_errors
def faces(campaigns: tuple[Path, ...], out: Path | None, root: Path) -> None:
    """Write a review sheet of the faces covered on every photo that masks faces.

    OUT/<campaign>/faces.png shows each masked photo with every block outlined and numbered:
    red covered, grey unmasked, blue masked by hand, with a ruler in the photo's pixels. Look
    for any face without a box; then, in campaign.toml, add `masks = [[x, y, w, h]]` for it, or
    `unmask = [2]` (a block's number) for a block on something that is not a face. The sheet
    shows the faces it outlines: keep it to yourself.

    \b
    Example:
        leafpress faces leaflets/shanyrak
    """
    from .faces import faces_covered
    from .facesheet import write_review_sheets

    out = in_root(root, out) or root / "out"
    folders = [in_root(root, c) for c in campaigns]
    for sheet in write_review_sheets(root, out, [f for f in folders if f is not None] or None):
        for review in sheet.photos:
            counts = faces_covered(len(review.covered), len(review.unmasked), len(review.masks))
            click.echo(f"{sheet.campaign}/{review.photo.key}: {counts}")
        click.echo(f"wrote {_shown(sheet.path, root)}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def verify(files: tuple[Path, ...]) -> None:
    """Inspect finished PDFs (ours or anyone's) for anything that could identify their makers.

    Reads every object of every revision: metadata (the info dictionary, XMP anywhere,
    /PieceInfo), images that still carry EXIF, XMP or GPS whatever their compression, every
    action (on opening, /AA, /Next chains, JavaScript, Launch), links (local file: links are
    identifying) and embedded files. Exits 1 when anything identifying is found; else 2 when
    a file cannot be read or checked through (not a PDF, encrypted with a password, or
    taking more than a minute to read through); else 0.
    Everything shown from a PDF is escaped, so its strings cannot drive the terminal.

    \b
    Example:
        leafpress verify out/shanyrak/kk/leaflet-a5.pdf flyer-from-a-friend.pdf
    """
    from .verify import terminal_safe, verify_within

    identifying = unverified = False
    for path in files:
        shown = terminal_safe(str(path))
        try:
            verdict = verify_within(path)
        except LeafpressError as exc:
            click.secho(f"Error: {terminal_safe(str(exc))}", fg="red", err=True)
            unverified = True
            continue
        identifying |= verdict.status == "IDENTIFYING"
        unverified |= verdict.status == "UNVERIFIABLE"
        colour = {"clean": "green", "IDENTIFYING": "red"}.get(verdict.status, "yellow")
        click.secho(f"{shown}: {verdict.status}", fg=colour, bold=True)
        for finding in verdict.findings:
            mark = "!" if finding.identifying else "-"
            click.echo(f"  {mark} {finding.what}: {terminal_safe(finding.detail)}")
        for part in verdict.unread:
            click.echo(f"  ? cannot be read: {terminal_safe(part)}")
    if identifying or unverified:
        sys.exit(1 if identifying else 2)

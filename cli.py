"""The leafpress command line: parse options, show progress and results, and call the engine."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from leafpress import __version__
from leafpress.build import BuildReport, OutputResult, plan_build, run_build
from leafpress.errors import LeafpressError
from leafpress.layouts import MM_PER_PT, LayoutLibrary


def root_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--root, shared by every command that reads a workspace."""
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default="the current folder",
        help="Workspace root: the folder that holds leaflets/, layouts/, fonts/ and assets/.",
    )(command)


def report_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn an engine error that escapes a command into exit 1 with its message, no traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except LeafpressError as exc:
            for line in str(exc).splitlines():
                click.secho(f"Error: {line}", fg="red", err=True)
            sys.exit(1)

    return wrapper


@click.group()
@click.version_option(__version__, prog_name="leafpress")
def main() -> None:
    """leafpress: campaign text, written once per language, into print-ready PDF leaflets and posters."""


@main.command()
@click.argument("campaigns", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--lang", "languages", multiple=True, help="Only this language (repeatable), e.g. --lang kk."
)
@click.option("--layout", "layouts", multiple=True, help="Only this layout (repeatable).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder.  [default: out/ in the workspace root]",
)
@root_option
@click.option("-v", "--verbose", is_flag=True, help="Also show WeasyPrint's warnings per output.")
@report_errors
def build(
    campaigns: tuple[Path, ...],
    languages: tuple[str, ...],
    layouts: tuple[str, ...],
    out: Path | None,
    root: Path,
    verbose: bool,
) -> None:
    """Build PDFs: every campaign under leaflets/ (or the CAMPAIGNS given), every language, every output.

    Each output is written to OUT/<campaign>/<lang>/<layout>.pdf. A failing output is reported
    and the others are still built; the exit code is 1 if any output failed.

    \b
    Example:
        leafpress build leaflets/shanyrak --lang kk --layout leaflet-a5
    """
    out = out if out is not None else root / "out"
    plan = plan_build(
        root, out, list(campaigns) or None, list(languages) or None, list(layouts) or None
    )
    with click.progressbar(
        length=len(plan.jobs),
        label="Rendering",
        file=sys.stderr,
        item_show_func=lambda r: r.label if r else "",
    ) as bar:
        report = run_build(plan, on_result=lambda r: bar.update(1, r))
    _print_report(report, plan.root, verbose)
    if not report.ok:
        sys.exit(1)


def _print_report(report: BuildReport, root: Path, verbose: bool) -> None:
    rows = [_row(r, root) for r in report.written]
    if rows:
        headers = ("file", "page size", "pages", "size")
        widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
        line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
        click.echo(click.style(line, bold=True))
        for row in rows:
            click.echo(
                "  ".join(
                    cell.rjust(w) if i >= 2 else cell.ljust(w)
                    for i, (cell, w) in enumerate(zip(row, widths, strict=True))
                )
            )
        if verbose:
            for result in report.written:
                for warning in result.warnings:
                    click.secho(f"warning: {result.label}: {warning}", fg="yellow", err=True)
    for result in report.failed:
        click.secho(f"Error: {result.label or 'build'} failed:", fg="red", bold=True, err=True)
        for problem in result.error.problems if result.error else ():
            click.secho(f"  {problem}", fg="red", err=True)
    written, failed = len(report.written), len(report.failed)
    summary = f"{written} written, {failed} failed"
    click.secho(summary, fg="green" if not failed else "red", err=bool(failed))


def _row(result: OutputResult, root: Path) -> tuple[str, str, str, str]:
    path = result.path
    try:
        shown = str(path.relative_to(root.resolve())) if path else ""
    except ValueError:
        shown = str(path)
    width, height = result.page_size_pt or (0, 0)
    size = f"{width * MM_PER_PT:.0f}×{height * MM_PER_PT:.0f} mm"
    return (shown, size, str(result.pages), f"{result.size_bytes / 1024:.0f} KB")


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
        except LeafpressError as exc:
            failed = True
            click.secho(f"{name}: {exc}", fg="red", err=True)
            continue
        click.echo(click.style(name, bold=True) + f"  {layout.page_size_label}, {layout.kind}")
        if layout.description:
            click.echo(f"    {layout.description}")
        click.echo(f"    requires: {', '.join(layout.requires) or 'nothing'}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def verify(files: tuple[Path, ...]) -> None:
    """Inspect finished PDFs (ours or anyone's) for anything that could identify their makers.

    Reports metadata fields present, embedded images that still carry EXIF, XMP or GPS,
    external links and embedded files. Exits 1 when anything identifying is found, or a file
    cannot be read.

    \b
    Example:
        leafpress verify out/shanyrak/kk/leaflet-a5.pdf flyer-from-a-friend.pdf
    """
    from leafpress.verify import verify_pdf

    failed = False
    for path in files:
        try:
            verdict = verify_pdf(path)
        except LeafpressError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            failed = True
            continue
        failed |= not verdict.clean
        status = "clean" if verdict.clean else "IDENTIFYING"
        click.secho(f"{path}: {status}", fg="green" if verdict.clean else "red", bold=True)
        for finding in verdict.findings:
            mark = "!" if finding.identifying else "-"
            click.echo(f"  {mark} {finding.what}: {finding.detail}")
    if failed:
        sys.exit(1)

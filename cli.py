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
from leafpress.targets import N_UP_CHOICES, SHEET_CHOICES, TARGET_HELP, TargetOptions


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


def target_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--target and the settings of the print targets, gathered into one TargetOptions."""
    targets_help = "; ".join(f"{name}: {text}" for name, text in TARGET_HELP.items())

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
    @functools.wraps(command)
    def wrapper(*args: Any, icc, bleed_mm, n_up, sheet, overlap_mm, **kwargs: Any) -> Any:
        options = TargetOptions(bleed_mm, icc, n_up, sheet, overlap_mm)
        return command(*args, options=options, **kwargs)

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
@target_options
@report_errors
def build(
    campaigns: tuple[Path, ...],
    languages: tuple[str, ...],
    layouts: tuple[str, ...],
    out: Path | None,
    root: Path,
    verbose: bool,
    targets: tuple[str, ...],
    options: TargetOptions,
) -> None:
    """Build PDFs: every campaign under leaflets/ (or the CAMPAIGNS given), every language, every output.

    Each output is written to OUT/<campaign>/<lang>/<layout>.pdf, or <layout>.<target>.pdf for a
    target other than screen. A failing output is reported and the others are still built; the
    exit code is 1 if any output failed.

    \b
    Example:
        leafpress build leaflets/shanyrak --lang kk --layout leaflet-a5
        leafpress build --target print-shop --target office --icc shop.icc
    """
    out = out if out is not None else root / "out"
    plan = plan_build(
        root,
        out,
        list(campaigns) or None,
        list(languages) or None,
        list(layouts) or None,
        list(targets) or None,
        options,
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
        headers = ("file", "target", "page size", "pages", "size")
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


def _row(result: OutputResult, root: Path) -> tuple[str, str, str, str, str]:
    path = result.path
    try:
        shown = str(path.relative_to(root.resolve())) if path else ""
    except ValueError:
        shown = str(path)
    width, height = result.page_size_pt or (0, 0)
    size = f"{width * MM_PER_PT:.0f}×{height * MM_PER_PT:.0f} mm"
    return (shown, result.target, size, str(result.pages), f"{result.size_bytes / 1024:.0f} KB")


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
        if layout.bilingual:
            click.echo("    two languages, one per side: [[outputs]] languages = [front, back]")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Preview: every page of every output as a PNG, and one labelled contact sheet per campaign."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from .errors import LeafpressError, RenderError, unexpected
from .fonts import load_manifest
from .records import BuildPlan, OutputResult
from .run import run_build
from .write import write_atomic

DEFAULT_DPI = 72
# Every output gets a cell of this size on the contact sheet, so a sheet's size follows from how
# many languages and layouts it shows, and portrait, landscape, A5 and A3 sit side by side.
CELL_PX = 420
GAP_PX = 24
LABEL_PX = 34
SHEET_BACKGROUND = "#d9d6cf"
LABEL_FONT_FAMILY = "PT Sans"
FAILED_FILL = "#f6e3e3"


@dataclass
class PreviewReport:
    """What a preview wrote: page images per output, a contact sheet per campaign, failures."""

    results: list[OutputResult]
    pages: dict[str, list[Path]] = field(default_factory=dict)  # output label -> page PNGs
    sheets: dict[str, Path] = field(default_factory=dict)  # campaign -> contact sheet

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def failed(self) -> list[OutputResult]:
        return [r for r in self.results if not r.ok]


def page_images(pdf: Path, dpi: int = DEFAULT_DPI) -> list[Image.Image]:
    """The pages of a PDF as RGB images at `dpi`."""
    try:
        document = pdfium.PdfDocument(str(pdf))
    except pdfium.PdfiumError as exc:
        raise RenderError(f"cannot read the PDF to preview it: {exc}", file=pdf) from None
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def first_page_for_sheet(pdf: Path) -> Image.Image:
    """The first page rendered to fill a contact-sheet cell, whatever dpi the page PNGs have."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        scale = CELL_PX / max(page.get_width(), page.get_height())
        return page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()


def page_png_path(pdf: Path, number: int) -> Path:
    """Where page `number` (from 1) of an output's preview goes: beside its PDF."""
    return pdf.with_name(f"{pdf.stem}-{number}.png")


def write_page_pngs(
    pdf: Path,
    out: Path,
    dpi: int = DEFAULT_DPI,
    *,
    fast: bool = False,
    data: bytes | None = None,
    max_px: int | None = None,
    digests: dict[Path, str] | None = None,
    on_page: Callable[[int, Path], None] | None = None,
    first_only: bool = False,
) -> list[Path]:
    """Write one PNG per page of `pdf`; stale PNGs of pages that no longer exist are removed.
    `fast` compresses little (serve's page images live on one machine, and are waited for).

    For serve: `data` is the PDF's bytes (not read again), `max_px` the longest side a page
    image needs (pages larger at `dpi` are rendered smaller), `digests` the digest of each
    page image's pixels as last written, kept by the caller: a page that looks as it did is
    not encoded and written again. `on_page(number, path)` is called as each page is ready.
    `first_only`: the first page's image only, the others left as they are."""
    import hashlib

    try:
        document = pdfium.PdfDocument(data if data is not None else str(pdf))
    except pdfium.PdfiumError as exc:
        raise RenderError(f"cannot read the PDF to preview it: {exc}", file=pdf) from None
    written = []
    try:
        for number, page in enumerate(document, start=1):
            scale = dpi / 72
            if max_px:
                scale = min(scale, max_px / max(page.get_width(), page.get_height()))
            image = page.render(scale=scale).to_pil().convert("RGB")
            path = page_png_path(pdf, number)
            digest = None
            if digests is not None:
                digest = hashlib.blake2b(image.tobytes(), digest_size=16).hexdigest()
                digest += f":{image.width}x{image.height}"
            if digest is None or digests.get(path) != digest or not path.exists():
                write_atomic(path, _png_bytes(image, fast=fast), out)
                if digests is not None:
                    digests[path] = digest
            written.append(path)
            if on_page:
                on_page(number, path)
            if first_only:
                return written
    finally:
        document.close()
    number = len(written) + 1
    while page_png_path(pdf, number).exists():
        page_png_path(pdf, number).unlink()
        if digests is not None:
            digests.pop(page_png_path(pdf, number), None)
        number += 1
    return written


def _png_bytes(image: Image.Image, colours: int | None = None, *, fast: bool = False) -> bytes:
    from io import BytesIO

    buffer = BytesIO()
    if colours:
        image = image.quantize(colors=colours, dither=Image.Dither.FLOYDSTEINBERG)
    if fast:
        # optimize=True tries every zlib setting: about ten times the time of level 1.
        image.save(buffer, format="PNG", compress_level=1)
    else:
        image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def output_caption(result: OutputResult) -> str:
    """How the contact sheet names an output: language, layout and, when there is one, target."""
    parts = [result.lang or "?", result.layout or "?"]
    target = getattr(result, "target", None)
    if target:
        parts.append(str(target))
    return " · ".join(parts)


def sheet_size(languages: int, layouts: int) -> tuple[int, int]:
    """Pixel size of a contact sheet with one row per language and one column per layout."""
    return (
        GAP_PX + layouts * (CELL_PX + GAP_PX),
        GAP_PX + languages * (CELL_PX + LABEL_PX + GAP_PX),
    )


def contact_sheet(
    results: list[OutputResult],
    first_pages: dict[str, Image.Image],
    font_file: Path | None,
    language_order: list[str] | None = None,
) -> Image.Image:
    """Every output of one campaign on one image: a row per language, a column per layout.

    An output that failed keeps its cell, with the first line of its error, so a reviewer sees
    what is missing rather than a shorter sheet.
    """
    found = [r.lang for r in results if r.lang]
    languages = [lang for lang in language_order or [] if lang in found]
    languages += [lang for lang in dict.fromkeys(found) if lang not in languages]
    layouts = list(dict.fromkeys(_column(r) for r in results if r.layout)) or ["-"]
    sheet = Image.new("RGB", sheet_size(len(languages), len(layouts)), SHEET_BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = _label_font(font_file, 20)
    small = _label_font(font_file, 15)
    for result in results:
        if result.lang and not result.layout and result.error:
            # The whole language failed (its file does not load): its row says why.
            y = GAP_PX + languages.index(result.lang) * (CELL_PX + LABEL_PX + GAP_PX)
            right = sheet.width - GAP_PX - 1
            draw.text((GAP_PX, y + 4), f"{result.lang} · failed", fill="#16181d", font=font)
            top = y + LABEL_PX
            draw.rectangle((GAP_PX, top, right, top + CELL_PX - 1), fill=FAILED_FILL)
            message = f"failed: {result.error.first}"
            _wrapped(draw, (GAP_PX + 10, top + 10), message, small, right - GAP_PX - 20)
            continue
        if not (result.lang and result.layout):
            continue
        x = GAP_PX + layouts.index(_column(result)) * (CELL_PX + GAP_PX)
        y = GAP_PX + languages.index(result.lang) * (CELL_PX + LABEL_PX + GAP_PX)
        caption = output_caption(result)
        if result.ok and result.pages > 1:
            caption += f" · {result.pages} pages"
        draw.text((x, y + 4), caption, fill="#16181d", font=font)
        top = y + LABEL_PX
        image = first_pages.get(result.label)
        if image is not None:
            page = image.copy()
            page.thumbnail((CELL_PX, CELL_PX), Image.Resampling.LANCZOS)
            left = x + (CELL_PX - page.width) // 2
            sheet.paste(page, (left, top))
            # A hairline frame: white pages otherwise melt into a light background.
            draw.rectangle(
                (left - 1, top - 1, left + page.width, top + page.height), outline="#8a8578"
            )
        else:
            draw.rectangle((x, top, x + CELL_PX - 1, top + CELL_PX - 1), fill=FAILED_FILL)
            message = str(result.error.first) if result.error else "not built"
            _wrapped(draw, (x + 10, top + 10), f"failed: {message}", small, CELL_PX - 20)
    return sheet


def _column(result: OutputResult) -> str:
    target = getattr(result, "target", None)
    return f"{result.layout}/{target}" if target else str(result.layout)


def _wrapped(draw: ImageDraw.ImageDraw, at: tuple[int, int], text: str, font, width: int) -> None:
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) > width and line:
            lines.append(line)
            line = word
        else:
            line = trial
    lines.append(line)
    draw.multiline_text(at, "\n".join(lines[:16]), fill="#8f0b20", font=font, spacing=4)


def _label_font(font_file: Path | None, size: int):
    if font_file is not None:
        try:
            return ImageFont.truetype(str(font_file), size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def label_font_file(root: Path) -> Path | None:
    """The regular face of PT Sans from fonts/fonts.toml: it writes Kazakh, unlike Pillow's own."""
    try:
        family = load_manifest(root).families.get(LABEL_FONT_FAMILY)
    except LeafpressError:
        return None
    return family.files.get("regular") if family else None


def sheet_path(out: Path, campaign: str) -> Path:
    return out / campaign / "contact-sheet.png"


def run_preview(
    plan: BuildPlan,
    dpi: int = DEFAULT_DPI,
    on_result: Callable[[OutputResult], None] | None = None,
) -> PreviewReport:
    """Build a plan, write page PNGs of every output and a contact sheet for each campaign."""
    report = run_build(plan, on_result)
    preview = PreviewReport(report.results)
    first_pages: dict[str, Image.Image] = {}
    for result in report.written:
        assert result.path is not None
        try:
            preview.pages[result.label] = write_page_pngs(result.path, plan.out, dpi)
            first_pages[result.label] = first_page_for_sheet(result.path)
        except Exception as exc:  # one output's pages failing is that output's error
            result.error = unexpected(exc, "drawing the page images")
    font_file = label_font_file(plan.root)
    campaigns = dict.fromkeys(r.campaign for r in report.results if r.campaign and r.lang)
    for campaign in campaigns:
        mine = [r for r in report.results if r.campaign == campaign]
        order = next((j.campaign.languages for j in plan.jobs if j.campaign.key == campaign), [])
        sheet = contact_sheet(mine, first_pages, font_file, order)
        path = sheet_path(plan.out, campaign)
        # A palette PNG: small enough to send to a group chat, sharp enough to read headlines.
        try:
            write_atomic(path, _png_bytes(sheet, colours=256), plan.out)
        except OSError as exc:
            error = RenderError(f"cannot write the contact sheet: {exc.strerror or exc}", file=path)
            preview.results.append(OutputResult(campaign, None, None, path, error))
            continue
        preview.sheets[campaign] = path
    return preview

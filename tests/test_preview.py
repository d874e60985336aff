"""`leafpress preview`: a PNG per page of every output and a labelled contact sheet per campaign."""

from __future__ import annotations

import pypdfium2 as pdfium
from click.testing import CliRunner
from PIL import Image, ImageColor

from conftest import Workspace
from leafpress.cli import main
from leafpress.preview import CELL_PX, FAILED_FILL, GAP_PX, LABEL_PX, sheet_size


def _two_layouts(workspace: Workspace) -> None:
    """The campaign builds leaflet-a5 and poster-a3-demands only, so the sheet is 2 × 2."""
    workspace.append(
        "campaign.toml",
        '\n[[outputs]]\nlayout = "leaflet-a5"\n\n[[outputs]]\nlayout = "poster-a3-demands"\n',
    )


def test_preview_writes_one_png_per_page_and_a_sheet_sized_by_outputs(
    workspace: Workspace, runner: CliRunner
):
    _two_layouts(workspace)
    result = runner.invoke(main, ["preview", "--root", str(workspace.root), "--dpi", "50"])
    assert result.exit_code == 0, result.output
    pdfs = workspace.pdfs()
    # kk and en, each through leaflet-a5 and poster-a3-demands (no photos: no photo display).
    assert len(pdfs) == 4
    for pdf in pdfs:
        pages = len(pdfium.PdfDocument(str(pdf)))
        pngs = sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))
        assert [p.name for p in pngs] == [f"{pdf.stem}-{n}.png" for n in range(1, pages + 1)]
        width_pt = pdfium.PdfDocument(str(pdf))[0].get_width()
        with Image.open(pngs[0]) as image:
            assert abs(image.width - width_pt * 50 / 72) <= 1
    sheet = workspace.out / "demo" / "contact-sheet.png"
    assert "contact sheet: out/demo/contact-sheet.png" in result.output
    with Image.open(sheet) as image:
        # A row per language (kk, en), a column per layout (leaflet-a5, poster-a3-demands).
        assert image.size == sheet_size(2, 2)
        sheet_rgb = image.convert("RGB")
    # Each cell holds a page where the background would otherwise show.
    background = sheet_rgb.getpixel((2, 2))
    for col in range(2):
        for row in range(2):
            x, y = sheet_size(row, col)
            centre = (x + CELL_PX // 2, y + LABEL_PX + CELL_PX // 2)
            assert sheet_rgb.getpixel(centre) != background, (row, col)


def test_contact_sheet_keeps_a_failed_outputs_cell(workspace: Workspace, runner: CliRunner):
    _two_layouts(workspace)
    workspace.edit("en.toml", 'headline = "', 'headline = """')
    result = runner.invoke(main, ["preview", "--root", str(workspace.root), "--dpi", "30"])
    assert result.exit_code == 1
    assert "leaflets/demo/en.toml" in result.output
    with Image.open(workspace.out / "demo" / "contact-sheet.png") as image:
        # en's row stays, tinted, with the error in place of its pages.
        assert image.size == sheet_size(2, 2)
        sheet = image.convert("RGB")
    _, en_row = sheet_size(1, 0)
    assert sheet.getpixel((GAP_PX + 5, en_row + LABEL_PX + 5)) == ImageColor.getrgb(FAILED_FILL)
    _, kk_row = sheet_size(0, 0)
    assert sheet.getpixel((GAP_PX + 5, kk_row + LABEL_PX + 5)) != ImageColor.getrgb(FAILED_FILL)


def test_preview_takes_only_the_languages_and_layouts_asked_for(
    workspace: Workspace, runner: CliRunner
):
    args = ["preview", "--root", str(workspace.root), "--dpi", "30"]
    result = runner.invoke(main, [*args, "--lang", "en", "--layout", "leaflet-a5"])
    assert result.exit_code == 0, result.output
    assert [p.relative_to(workspace.out).as_posix() for p in workspace.pdfs()] == [
        "demo/en/leaflet-a5.pdf"
    ]
    with Image.open(workspace.out / "demo" / "contact-sheet.png") as image:
        assert image.size == sheet_size(1, 1)

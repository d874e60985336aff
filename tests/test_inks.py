"""Print-shop inks: total ink measured on Ghostscript's separations, and small type on one plate."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from conftest import REPO
from leafpress.inks import limit_ink, total_ink
from leafpress.records import TargetOptions
from leafpress.run import build

PLATES = ("Cyan", "Magenta", "Yellow", "Black")


def separated_total_ink(pdf: Path, folder: Path, dpi: int = 50) -> list[np.ndarray]:
    """Each page's total ink in percent inside its BleedBox (the crop marks in the slug print on
    all four plates by design), from Ghostscript's tiffsep device: a plate per ink, as a
    platesetter would make them."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            *("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{dpi}"),
            f"-sOutputFile={folder / 'p%d.tif'}",
            str(pdf),
        ],
        check=True,
        capture_output=True,
    )
    totals = []
    for number, page in enumerate(PdfReader(pdf).pages, 1):
        plates = [
            255 - np.asarray(Image.open(folder / f"p{number}({ink}).tif").convert("L"), np.float32)
            for ink in PLATES
        ]
        total = sum(plates) / 255 * 100
        media, bleed, scale = page.mediabox, page.bleedbox, dpi / 72
        # One pixel inside each edge: the bleed box's edge pixel is shared with the slug.
        x0 = int((bleed.left - media.left) * scale) + 1
        x1 = int((bleed.right - media.left) * scale) - 1
        y0 = int((media.top - bleed.top) * scale) + 1
        y1 = int((media.top - bleed.bottom) * scale) - 1
        totals.append(total[y0:y1, x0:x1])
    return totals


def test_limit_ink_keeps_every_pixel_under_the_limit_and_the_colour_roughly():
    rng = np.random.default_rng(18)
    inks = rng.integers(0, 256, size=(64, 64, 4), dtype=np.uint8)
    image = Image.fromarray(inks, mode="CMYK")
    assert total_ink(image).max() > 350
    for limit in (240.0, 260.0, 300.0):
        limited = limit_ink(image, limit)
        assert total_ink(limited).max() <= limit + 0.01  # float sums of bytes
    # Pixels already under the limit are left exactly as they were.
    light = Image.fromarray((inks // 4).astype(np.uint8), mode="CMYK")
    assert np.array_equal(np.asarray(limit_ink(light, 260.0)), np.asarray(light))
    # Grey component replacement first: a rich dark grey becomes mostly black, not paler.
    grey = Image.new("CMYK", (1, 1), (230, 220, 220, 200))
    c, m, y, k = limit_ink(grey, 260.0).getpixel((0, 0))
    assert k > 200 and (c + m + y + k) / 255 * 100 <= 260


@pytest.fixture(scope="module")
def uncoated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The photo layouts for print-shop at --max-ink 260, with a photo never seen before: a
    night scene of deep saturated colour that would print at near 400 % ink unlimited."""
    root = tmp_path_factory.mktemp("inks")
    for folder in ("layouts", "fonts"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copytree(REPO / "leaflets" / "shanyrak", root / "leaflets" / "shanyrak")
    shutil.copytree(REPO / "assets", root / "assets")
    rng = random.Random(260)
    night = Image.new("RGB", (1800, 1200), (10, 6, 30))
    draw = ImageDraw.Draw(night)
    for _ in range(300):
        x, y = rng.randrange(1800), rng.randrange(1200)
        colour = rng.choice([(120, 0, 40), (0, 20, 60), (40, 0, 0), (255, 200, 80)])
        draw.ellipse([x, y, x + rng.randrange(20, 160), y + rng.randrange(20, 120)], fill=colour)
    night.save(root / "assets" / "shanyrak" / "houses-at-dusk.jpg", quality=92)
    out = root / "out"
    report = build(
        root,
        out,
        [root / "leaflets" / "shanyrak"],
        ["kk"],
        ["photo-display-a3", "leaflet-a5"],
        ["print-shop"],
        TargetOptions(max_ink=260.0),
    )
    assert report.ok, "\n".join(f"{r.label}: {r.error}" for r in report.failed)
    return out


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript (./setup.sh installs it)")
def test_print_shop_separations_stay_under_the_ink_limit(uncoated: Path, tmp_path: Path):
    pdfs = sorted(uncoated.rglob("*.print-shop.pdf"))
    assert len(pdfs) == 2
    for pdf in pdfs:
        for number, total in enumerate(separated_total_ink(pdf, tmp_path / pdf.stem), 1):
            assert total.size > 1000
            assert total.max() <= 260.5, f"{pdf.name} page {number}: {total.max():.1f} %"
    # The limit did something: the night photo's page reaches close to it.
    display = uncoated / "shanyrak" / "kk" / "photo-display-a3.print-shop.pdf"
    assert separated_total_ink(display, tmp_path / "again")[0].max() > 230


def test_no_colour_type_under_12_pt_on_more_than_one_plate_in_any_layout(tmp_path: Path):
    report = build(
        REPO,
        tmp_path / "out",
        [REPO / "leaflets" / "shanyrak"],
        ["kk", "ru", "en"],
        targets=["print-shop"],
        jobs=2,
    )
    assert report.ok, "\n".join(f"{r.label}: {r.error}" for r in report.failed)
    layouts = {r.layout for r in report.results}
    assert len(layouts) == 6
    plates = [f.message for r in report.results for f in r.findings if f.check == "plates"]
    assert plates == []


def test_small_type_in_three_inks_is_a_warning_that_names_the_plates(workspace):
    # The palette before issue 18: the contact heading's blue in cyan, magenta and black.
    workspace.edit(
        "../../layouts/_shared/palette-cmyk.css",
        "--sky: device-cmyk(1 0 0 0);",
        "--sky: device-cmyk(1 0.6 0 0.35);",
    )
    code, output = workspace.build("--lang", "en", "--target", "print-shop", "-v")
    assert code == 0, output
    flat = " ".join(output.split())
    assert "plates: 8.6 pt type on 3 plates (cyan, magenta, black)" in flat, output

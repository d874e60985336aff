"""A photocopier simulated on rendered pages: blur and threshold per generation, and dark areas."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image, ImageFilter

MM_PER_INCH = 25.4
# What a copier does to a page, as the QR and photocopy checks model it: the optics spread each
# point (a Gaussian of this standard deviation), then the drum either takes toner or not, at a
# threshold that varies from machine to machine: 128 is mid-grey, 105 a copier set lighter (only
# the darkest greys stay), 150 one set darker. Two generations: a leaflet copied from a copy.
COPIER_DPI = 150
COPIER_BLUR_MM = 0.15
COPIER_THRESHOLDS = (105, 128, 150)
COPIER_GENERATIONS = 2
# Dark areas: a copier lays large areas darker than this grey unevenly (streaks, banding) and
# at a cost in toner; text strokes and rules are thin enough not to count (see dark_areas).
DARK_GREY = 0.75  # of full black
DARK_AREA_LIMIT_CM2 = 4.0


def copy_once(image: Image.Image, threshold: int, blur_mm: float = COPIER_BLUR_MM) -> Image.Image:
    """One copier generation of a greyscale image at COPIER_DPI: blurred, then black or white."""
    sigma = blur_mm / MM_PER_INCH * COPIER_DPI
    blurred = image.convert("L").filter(ImageFilter.GaussianBlur(sigma))
    return blurred.point(lambda v: 255 if v >= threshold else 0)


def copies(
    image: Image.Image, threshold: int, generations: int = COPIER_GENERATIONS
) -> Image.Image:
    """The image after `generations` copies, each made from the one before."""
    for _ in range(generations):
        image = copy_once(image, threshold)
    return image


@dataclass(frozen=True)
class CopyTrial:
    """Whether a QR code still reads after copying at one threshold."""

    threshold: int
    decoded: bool


def qr_after_copies(image: Image.Image, payload: str) -> list[CopyTrial]:
    """For each copier threshold: does the code in `image` (at COPIER_DPI) decode to exactly
    `payload` after COPIER_GENERATIONS copies?"""
    import zxingcpp

    trials = []
    for threshold in COPIER_THRESHOLDS:
        copied = copies(image, threshold)
        texts = [
            r.text
            for r in zxingcpp.read_barcodes(copied)
            if r.format == zxingcpp.BarcodeFormat.QRCode
        ]
        trials.append(CopyTrial(threshold, payload in texts))
    return trials


@dataclass(frozen=True)
class DarkArea:
    """A region darker than DARK_GREY, too large to be a stroke of text."""

    area_cm2: float
    box_mm: tuple[float, float, float, float]  # left, top, width, height on the page


def dark_areas(
    image: Image.Image, dpi: float, *, darker_than: float = DARK_GREY, stroke_mm: float = 1.5
) -> list[DarkArea]:
    """The solid dark regions of a rendered page, largest first.

    Text is black by design on a photocopy, so a dark pixel alone says nothing; what a copier
    does badly is a large solid area. Strokes up to `stroke_mm` thick (body type, headlines,
    rules, a QR module) are opened away first: what survives an erosion by a square of that
    size is an area, and it is measured at its full extent.
    """
    import cv2
    import numpy as np

    grey = np.asarray(image.convert("L"))
    dark = (grey < round(255 * (1 - darker_than))).astype(np.uint8)
    size = max(1, round(stroke_mm / MM_PER_INCH * dpi))
    kernel = np.ones((size, size), np.uint8)
    solid = cv2.morphologyEx(dark, cv2.MORPH_OPEN, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
    mm_per_px = MM_PER_INCH / dpi
    found = []
    for label in range(1, count):
        x, y, w, h, pixels = (int(v) for v in stats[label])
        found.append(
            DarkArea(
                pixels * mm_per_px * mm_per_px / 100,
                (x * mm_per_px, y * mm_per_px, w * mm_per_px, h * mm_per_px),
            )
        )
    return sorted(found, key=lambda a: -a.area_cm2)


def too_dark(areas: Iterable[DarkArea], limit_cm2: float = DARK_AREA_LIMIT_CM2) -> list[DarkArea]:
    return [a for a in areas if a.area_cm2 > limit_cm2]


# Pages are measured for dark areas at this resolution: a 1.5 mm stroke is still 3 pixels wide.
DARK_AREA_DPI = 50


def page_dark_areas(pdf: bytes, scale: float = 1.0) -> list[tuple[int, DarkArea]]:
    """Every page's dark areas over DARK_AREA_LIMIT_CM2 (page numbers from 1), measured at the
    size the page is printed (`scale`: an A3 page on an A4 office sheet is 0.71)."""
    import pypdfium2 as pdfium

    found = []
    document = pdfium.PdfDocument(pdf)
    try:
        for number, page in enumerate(document, 1):
            # DARK_AREA_DPI on paper: a pixel of the page rendered at this scale is one of the sheet.
            image = page.render(scale=DARK_AREA_DPI * scale / 72, grayscale=True).to_pil()
            found += [(number, area) for area in too_dark(dark_areas(image, DARK_AREA_DPI))]
    finally:
        document.close()
    return found

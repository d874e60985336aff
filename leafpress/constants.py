"""Names and sizes every stage agrees on: print targets, paper sizes, units."""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "0.1.0"

TARGET_NAMES = ("screen", "print-shop", "office", "photocopy", "tiles")
DEFAULT_TARGET = "screen"
N_UP_CHOICES = ("auto", "1", "2", "4", "8")
SHEET_CHOICES = ("A4", "A3")

# Named sizes in millimetres, portrait.
PAGE_SIZES: dict[str, tuple[float, float]] = {
    "A0": (841, 1189),
    "A1": (594, 841),
    "A2": (420, 594),
    "A3": (297, 420),
    "A4": (210, 297),
    "A5": (148, 210),
    "A6": (105, 148),
    "letter": (215.9, 279.4),
    "legal": (215.9, 355.6),
}
MM_PER_PT = 25.4 / 72
# How far a rendered page may be from the layout's size before we call it wrong (points).
PAGE_SIZE_TOLERANCE_PT = 0.5


def target_filename(layout: str, target: str) -> str:
    """`leaflet-a5.pdf` on screen, `leaflet-a5.print-shop.pdf` for every other target."""
    return f"{layout}.pdf" if target == DEFAULT_TARGET else f"{layout}.{target}.pdf"


@dataclass(frozen=True)
class Target:
    """What one print target is, as data: every stage asks its record instead of its name."""

    name: str
    help: str
    photo_ppi: int  # the resolution its photos are prepared at
    document: str  # targets with the same one render the same PDF (see below)
    photo_mode: str | None = None  # None (RGB as prepared), "cmyk" or "grey"
    stylesheets: tuple[str, ...] = ()  # from layouts/_shared, after the layout's own
    pdf_variant: str | None = None  # WeasyPrint's pdf_variant
    finisher: str | None = None  # the finishing step (finish/__init__.py); None: none
    # The smallest QR module (one square of the code, in mm) it may print. A copier blurs and
    # thresholds: leafpress's simulation of two copies (copier.py) reads a vCard's code at all
    # three thresholds from 0.55 mm modules up, so 0.6 keeps a margin for what is copied and
    # for tiles (office printers too). A print shop's plate is sharp; a screen is read as it is.
    qr_module_min_mm: float = 0.33
    # Its outputs get photocopied: their QR code must decode after two simulated copies.
    copied: bool = False


# Targets with the same `document` render the same PDF (photos at their own resolution aside)
# and differ only in finishing, so a build renders it once for all of them.
PRINT_PPI = 300  # what print shops want
SCREEN_PPI = 150  # a screen or an office printer shows no difference above it

TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target(
            "screen",
            "the layout at its own size, RGB, no marks: for screens and messaging apps",
            photo_ppi=SCREEN_PPI,
            document="rgb",
        ),
        Target(
            "print-shop",
            "bleed, crop marks in a slug, PDF/X-4 with a CMYK output intent",
            photo_ppi=PRINT_PPI,
            photo_mode="cmyk",
            stylesheets=("palette-cmyk.css",),
            pdf_variant="pdf/x-4",
            finisher="crop-marks",
            document="cmyk",
            qr_module_min_mm=0.4,
        ),
        Target(
            "office",
            "A4 sheets, 5 mm unprintable margin, small formats n-up with cut lines, duplex-ready",
            photo_ppi=SCREEN_PPI,
            finisher="impose",
            document="rgb",
            qr_module_min_mm=0.6,
            copied=True,
        ),
        Target(
            "photocopy",
            "like office, in greys that survive a copier; photos grey with lifted contrast",
            photo_ppi=SCREEN_PPI,
            photo_mode="grey",
            stylesheets=("palette-grey.css",),
            finisher="impose",
            document="grey",
            qr_module_min_mm=0.6,
            copied=True,
        ),
        Target(
            "tiles",
            "posters split over A4 (or A3) sheets with overlap, marks, labels and a map page",
            photo_ppi=PRINT_PPI,
            finisher="tile",
            document="rgb",
            qr_module_min_mm=0.6,
        ),
    )
}
assert tuple(TARGETS) == TARGET_NAMES

# Limits on what a campaign or layout may ask for, each declared once here. They are far above
# any real leaflet (the longest sample field has 639 characters, the most demands 5) and
# low enough that a hostile or mistaken file fails in a second instead of rendering for minutes.
MAX_FIELD_CHARS = 20_000
MAX_LIST_ITEMS = 100  # demands, photos, contacts: each list in a campaign or language file
MAX_MARKDOWN_NESTING = 8  # lists and quotes inside each other, in a Markdown field
PAGE_SIZE_RANGE_MM = (20.0, 2000.0)  # a business card's side to a large poster's, each side
OUTPUT_TIME_LIMIT_S = 300  # making one output (every layout pass); a real one takes seconds
# `verify`, reading through one PDF: leafpress's own take well under a second, a long report
# from a stranger a few seconds; one built to be read slowly (thousands of revisions) stops here.
VERIFY_TIME_LIMIT_S = 60

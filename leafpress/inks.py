"""Press inks: the total ink limit applied to CMYK photos, and total ink measured on them."""

from __future__ import annotations

from PIL import Image

# Total area coverage a press takes, in percent of one ink: 300 suits coated paper (ISO coated,
# FOGRA39); uncoated stock wants about 260 (FOGRA29/ISO uncoated), newsprint 240.
DEFAULT_MAX_INK = 300.0
# A photo is limited this much under the press limit: JPEG compression moves each ink a little,
# and the separations measured from the PDF must stay under the limit, not the photo before it.
JPEG_HEADROOM = 6.0


def limit_ink(image: Image.Image, max_ink: float) -> Image.Image:
    """A CMYK image whose inks add up to at most `max_ink` percent at every pixel.

    Grey component replacement first: where cyan, magenta and yellow all print, an equal share of
    the three is replaced by black (one unit of black for three of colour, so the colour stays
    and two units of ink go). What is still over the limit after that loses cyan, magenta and
    yellow in proportion, keeping the black that carries the shadows' detail."""
    import numpy as np

    inks = np.asarray(image.convert("CMYK"), dtype=np.float32) / 255.0
    c, m, y, k = (inks[..., i] for i in range(4))
    limit = max_ink / 100.0
    over = c + m + y + k - limit
    grey = np.minimum(np.minimum(c, m), y)
    moved = np.clip(np.minimum(np.minimum(grey, over / 2), 1.0 - k), 0.0, None)
    c, m, y, k = c - moved, m - moved, y - moved, k + moved
    colour = c + m + y
    room = np.clip(limit - k, 0.0, None)
    scale = np.where(colour > room, room / np.maximum(colour, 1e-6), 1.0)
    limited = np.stack([c * scale, m * scale, y * scale, k], axis=-1)
    # Floor, not round: a pixel never goes over by the rounding of its four inks.
    out = np.floor(np.clip(limited, 0.0, 1.0) * 255.0).astype(np.uint8)
    return Image.fromarray(out, mode="CMYK")


def total_ink(image: Image.Image):
    """Each pixel's total ink in percent (a numpy array) of a CMYK image."""
    import numpy as np

    return np.asarray(image.convert("CMYK"), dtype=np.float32).sum(axis=-1) / 255.0 * 100.0


# Type under this size in more than one ink blurs when the plates are a hair out of register.
SMALL_TYPE_PT = 12.0
PX_TO_PT = 0.75
PLATE_NAMES = ("cyan", "magenta", "yellow", "black")


def plates_of(color) -> tuple[str, ...]:
    """The plates a CSS colour prints on: its non-zero inks if device-cmyk; all four for any
    other colour except white, which a RIP separates through the profile (black RGB too)."""
    space = getattr(color, "space", None)
    coordinates = tuple(getattr(color, "coordinates", ()) or ())
    if getattr(color, "alpha", 1) == 0:
        return ()
    if space == "device-cmyk":
        return tuple(name for name, v in zip(PLATE_NAMES, coordinates, strict=False) if v > 0.005)
    if coordinates and all(v >= 0.999 for v in coordinates[:3]):
        return ()  # white: no ink
    return PLATE_NAMES


def small_multi_plate_text(document) -> dict[tuple[tuple[str, ...], float], list[str]]:
    """Text under SMALL_TYPE_PT that prints on more than one plate, in a laid-out WeasyPrint
    document: (plates, size in pt) -> the words, first ones first."""
    found: dict[tuple[tuple[str, ...], float], list[str]] = {}

    def walk(box):
        yield box
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    for page in document.pages:
        for box in walk(page._page_box):
            if type(box).__name__ != "TextBox" or not box.text.strip():
                continue
            if box.style["visibility"] != "visible":
                continue
            size_pt = box.style["font_size"] * PX_TO_PT
            plates = plates_of(box.style["color"])
            if size_pt < SMALL_TYPE_PT - 0.05 and len(plates) > 1:
                found.setdefault((plates, round(size_pt, 1)), []).append(box.text.strip())
    return found

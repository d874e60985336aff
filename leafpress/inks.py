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

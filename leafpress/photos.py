"""Prepare photos before any layout sees them: upright, stripped of metadata, resampled, re-encoded."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .content import Campaign, Photo
from .errors import PhotoError

# Longest side after preparation: an A3 page at 300 ppi is 4961 px tall, and nothing we print
# is larger, so this never limits print quality but keeps phone photos from bloating PDFs.
MAX_SIDE_PX = 4961
JPEG_QUALITY = 88
# Bumped whenever preparation changes, so cached files from an older leafpress are not reused.
PREPARE_VERSION = "1"


@dataclass(frozen=True)
class PreparedPhoto:
    key: str
    path: Path
    width: int
    height: int

    @property
    def orientation(self) -> str:
        return "landscape" if self.width >= self.height else "portrait"


def prepare_photo(campaign: Campaign, photo: Photo, cache_dir: Path) -> PreparedPhoto:
    """A clean JPEG of the photo in `cache_dir`, made once per content and settings."""
    key = f"photos[{photo.index}].file"
    where = {"file": campaign.shown_as, "key": key, "line": campaign.source.line_of(key)}
    if not photo.file.is_file():
        raise PhotoError(f"photo '{photo.shown_as}' not found", **where)
    try:
        data = photo.file.read_bytes()
    except OSError as exc:
        raise PhotoError(
            f"photo '{photo.shown_as}' cannot be read: {exc.strerror}", **where
        ) from None
    digest = hashlib.sha256(
        data + f"|{PREPARE_VERSION}|{MAX_SIDE_PX}|{JPEG_QUALITY}".encode()
    ).hexdigest()[:32]
    target = cache_dir / f"{digest}.jpg"
    if target.is_file():
        with Image.open(target) as done:
            return PreparedPhoto(photo.key, target, *done.size)

    image = _open(data, photo.shown_as, where)
    # Orientation lives in EXIF, which is about to be dropped: apply it to the pixels first.
    image = ImageOps.exif_transpose(image)
    image = _to_rgb(image)
    image.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", image.size)
    clean.paste(image)  # a fresh image carries no info dict: no EXIF, XMP, ICC or comments
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    _write_atomic(target, buffer.getvalue())
    return PreparedPhoto(photo.key, target, *clean.size)


def _open(data: bytes, shown: str, where: dict) -> Image.Image:
    # WeasyPrint switches Pillow to accept truncated files for the whole process; a photo cut
    # off half-way must be an error here, not half a picture on the wall.
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            # Pillow warns before it refuses; a bomb is an error here either way.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if getattr(image, "n_frames", 1) > 1 and image.format in ("GIF", "PNG", "WEBP"):
                raise PhotoError(
                    f"photo '{shown}' is animated ({image.n_frames} frames); export one frame as JPEG or PNG",
                    **where,
                )
            image.load()
    except PhotoError:
        raise
    except UnidentifiedImageError:
        raise PhotoError(f"photo '{shown}' is not an image leafpress can read", **where) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(
            f"photo '{shown}' is too large to open safely (over {Image.MAX_IMAGE_PIXELS:,} pixels)",
            **where,
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(f"photo '{shown}' is damaged or truncated: {exc}", **where) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    if image.width == 0 or image.height == 0:
        raise PhotoError(f"photo '{shown}' has no pixels", **where)
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        # Transparent areas print as paper, not as black.
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda v: v / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

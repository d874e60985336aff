"""Prepare photos before any layout sees them: upright, masked, stripped, resampled, re-encoded."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFile, ImageOps, UnidentifiedImageError

from .constants import PRINT_PPI
from .content import Campaign, Photo
from .errors import PhotoError
from .faces import Face, cached_faces, faces_of, kept_faces
from .write import write_atomic

try:  # Phones shoot HEIC; pillow-heif is the plugin that teaches Pillow to read it.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC_SUPPORTED = True
except (
    ImportError
):  # pragma: no cover - pillow-heif is a dependency; a broken wheel must not stop PDFs
    HEIC_SUPPORTED = False

# Longest side when nothing says how large the photo is placed: an A3 page at 300 ppi is
# 4961 px tall, and nothing we print is larger.
MAX_SIDE_PX = 4961
JPEG_QUALITY = 88
MM_PER_INCH = 25.4
# Masks are snapped outward to the JPEG's 16-pixel blocks, so each masked block holds one flat
# colour and nothing of what was under it.
JPEG_BLOCK = 16
# Bumped whenever preparation changes, so cached files from an older leafpress are not reused.
PREPARE_VERSION = "5"

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class PhotoSettings:
    """How one output needs its photos: placed size, resolution, mask colour. Photos are
    prepared in RGB; a target that prints them otherwise converts them (targets.convert_photo)."""

    frame_mm: tuple[float, float] | None = None
    ppi: int = PRINT_PPI
    quality: int = JPEG_QUALITY
    mask_colour: tuple[int, int, int] = (0x16, 0x18, 0x1D)
    mask_faces: bool = False  # the campaign-wide default; a photo's own `mask_faces` wins

    @property
    def frame_px(self) -> tuple[int, int] | None:
        if self.frame_mm is None:
            return None
        width, height = self.frame_mm
        return (
            round(width / MM_PER_INCH * self.ppi),
            round(height / MM_PER_INCH * self.ppi),
        )

    def token(self) -> str:
        return (
            # "RGB" stands where a colour mode once did: the same photos keep the same files.
            f"{self.frame_mm}|{self.ppi}|RGB|{self.quality}|{self.mask_colour}|{self.mask_faces}"
        )


@dataclass(frozen=True)
class PreparedPhoto:
    key: str
    path: Path
    width: int
    height: int
    # Masked areas in the upright photo's pixels: detected faces, then the campaign's own masks.
    faces: tuple[Box, ...] = ()
    masks: tuple[Box, ...] = ()
    cropped: bool = False
    # Width of the original's pixels that are shown (after any crop, before resampling): what
    # the print resolution check judges, since resampling can only lose detail, not add it.
    source_width: int = 0
    # Whether faces were looked for: a masked photo with no face found is worth a look.
    faces_masked: bool = False

    @property
    def orientation(self) -> str:
        return "landscape" if self.width >= self.height else "portrait"


@dataclass
class _Work:
    image: Image.Image
    faces: list[Box] = field(default_factory=list)
    masks: list[Box] = field(default_factory=list)


def settings_for(
    root: Path,
    options: dict,
    page_size_mm: tuple[float, float],
    campaign: Campaign | None = None,
    ppi: int = PRINT_PPI,
) -> PhotoSettings:
    """Photo settings for one output: the frame from the layout's options, else the page less margins."""
    where = {"file": campaign.shown_as if campaign else None}
    if "photo_width_mm" in options and "photo_height_mm" in options:
        frame = (float(options["photo_width_mm"]), float(options["photo_height_mm"]))
        if min(frame) <= 0:
            raise PhotoError(
                f"the photo frame {frame[0]:g} × {frame[1]:g} mm is empty; expected "
                "photo_width_mm and photo_height_mm above 0",
                key="options.photo_width_mm",
                **where,
            )
    else:
        # No declared frame: nothing is placed larger than the page inside 10 mm margins.
        frame = (page_size_mm[0] - 20, page_size_mm[1] - 20)
    given = options.get("mask_colour")
    try:
        mask_colour = parse_colour(given) if given else palette_colour(root, "ink")
    except ValueError as exc:
        raise PhotoError(str(exc), key="options.mask_colour", **where) from None
    return PhotoSettings(
        frame_mm=frame,
        ppi=ppi,
        mask_colour=mask_colour,
        mask_faces=bool(campaign and campaign.mask_faces),
    )


def palette_colour(root: Path, name: str) -> tuple[int, int, int]:
    """A colour variable of layouts/_shared/palette.css, so masks match the layouts' ink."""
    palette = root / "layouts" / "_shared" / "palette.css"
    try:
        found = re.search(rf"--{name}\s*:\s*(#[0-9a-fA-F]{{3,6}})", palette.read_text("utf-8"))
    except OSError:
        found = None
    return parse_colour(found.group(1)) if found else (0, 0, 0)


def parse_colour(value: str) -> tuple[int, int, int]:
    digits = str(value).lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    if not re.fullmatch(r"[0-9a-fA-F]{6}", digits):
        raise ValueError(f"'{value}' is not a colour; expected #rrggbb")
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def prepare_photo(
    campaign: Campaign, photo: Photo, cache_dir: Path, settings: PhotoSettings | None = None
) -> PreparedPhoto:
    """A clean JPEG of the photo in `cache_dir`, made once per content and settings."""
    return prepare_photo_sizes(campaign, photo, cache_dir, [settings or PhotoSettings()])[0]


def prepare_photo_sizes(
    campaign: Campaign, photo: Photo, cache_dir: Path, settings: Sequence[PhotoSettings]
) -> list[PreparedPhoto]:
    """The photo prepared for each of `settings`, in that order.

    The original is decoded, turned upright and converted to sRGB at most once for all of them
    (a campaign places each photo at several sizes, one per layout and resolution); sizes already
    in `cache_dir` are not made again. A photo that cannot be read raises its PhotoError.
    """
    where = _where(campaign, photo)
    data = _read(photo, where)
    found: list[PreparedPhoto | None] = []
    digests = []
    for wanted in settings:
        digest = hashlib.sha256(data + _recipe(photo, wanted).encode()).hexdigest()[:32]
        digests.append(digest)
        found.append(_prepared_before(photo, cache_dir, digest, wanted))
    if all(prepared is not None for prepared in found):
        return found  # type: ignore[return-value]

    image = _open(data, photo.shown_as, where)
    # Orientation lives in EXIF, which is about to be dropped: apply it to the pixels first.
    ImageOps.exif_transpose(image, in_place=True)
    upright = _to_rgb(_to_srgb(image))
    _check_masks_inside(photo, upright.size, campaign)
    faces: list[Box] | None = None
    for i, wanted in enumerate(settings):
        if found[i] is not None:
            continue
        masked = []
        if masks_faces(photo, wanted):
            if faces is None:
                found_faces = faces_of(data, upright, cache_dir)
                faces = [f.box for f in kept_faces(found_faces, photo.unmask)]
            masked = faces
        made = _prepare(photo, upright, masked, wanted, cache_dir, digests[i])
        found[i] = dataclasses.replace(made, faces_masked=masks_faces(photo, wanted))
    return found  # type: ignore[return-value]


def masks_faces(photo: Photo, settings: PhotoSettings) -> bool:
    """Whether detected faces are covered: the photo's own say, else the campaign's."""
    return photo.mask_faces if photo.mask_faces is not None else settings.mask_faces


def _recipe(photo: Photo, settings: PhotoSettings) -> str:
    return (
        f"|{PREPARE_VERSION}|{MAX_SIDE_PX}|{settings.token()}|{masks_faces(photo, settings)}|"
        f"{photo.masks}|{photo.unmask}|{photo.crop}"
    )


def _prepared_before(
    photo: Photo, cache_dir: Path, digest: str, settings: PhotoSettings
) -> PreparedPhoto | None:
    target = cache_dir / f"{digest}.jpg"
    sidecar = cache_dir / f"{digest}.json"
    if not (target.is_file() and sidecar.is_file()):
        return None
    try:
        known = json.loads(sidecar.read_text("utf-8"))
        return PreparedPhoto(
            photo.key,
            target,
            known["width"],
            known["height"],
            tuple(tuple(b) for b in known["faces"]),
            tuple(tuple(b) for b in known["masks"]),
            known["cropped"],
            known["source_width"],
            masks_faces(photo, settings),
        )
    except (ValueError, KeyError, TypeError):
        return None  # a damaged sidecar: make the photo again


def _prepare(
    photo: Photo,
    upright: Image.Image,
    faces: list[Box],
    settings: PhotoSettings,
    cache_dir: Path,
    digest: str,
) -> PreparedPhoto:
    """One size of the upright photo: masked, cropped, resampled, re-encoded, written."""
    work = _Work(upright, faces=faces)
    work.masks = [tuple(int(v) for v in m) for m in photo.masks]
    boxes = [*work.faces, *work.masks]
    if boxes:
        # Masks are painted on a copy: the upright photo serves the other sizes too.
        work.image = upright.copy()
        _fill(work.image, boxes, settings.mask_colour)  # before resampling: no face pixel mixes in

    frame = settings.frame_px
    cropped = photo.crop is not None and frame is not None
    box_in_output = boxes
    if cropped:
        region = crop_region(work.image.size, frame, photo.crop)
        work.image = work.image.crop(region)
        box_in_output = [_shift(b, region[0], region[1]) for b in boxes]
        size = _fit(work.image.size, frame)
    elif frame is not None:
        size = _fit(work.image.size, frame)
    else:
        size = _fit(work.image.size, (MAX_SIDE_PX, MAX_SIDE_PX))
    scale = size[0] / work.image.width
    source_width = work.image.width
    if size != work.image.size:
        work.image = work.image.resize(size, Image.Resampling.LANCZOS)
    # Resampling smears a little of the neighbourhood into the block's edge: cover again, on
    # the JPEG's own grid, so every masked block is flat. (Without boxes nothing is painted, so
    # an image shared with the other sizes is never changed.)
    _fill(
        work.image,
        [_snap(_scale(b, scale), work.image.size) for b in box_in_output],
        settings.mask_colour,
    )

    clean = _fresh(work.image)
    buffer = io.BytesIO()
    # No exif=, icc_profile= or comment=: the new file carries pixels and nothing else.
    # A masked photo keeps full-resolution colour (4:4:4): with halved colour the decoder blends
    # the colour of a mask's edge with what lies beside it, and the block is not flat to its edge.
    subsampling = 0 if boxes else -1
    clean.save(buffer, "JPEG", quality=settings.quality, optimize=True, subsampling=subsampling)
    target = cache_dir / f"{digest}.jpg"
    write_atomic(target, buffer.getvalue())
    prepared = PreparedPhoto(
        photo.key,
        target,
        *clean.size,
        tuple(work.faces),
        tuple(work.masks),
        cropped,
        source_width,
    )
    write_atomic(
        cache_dir / f"{digest}.json",
        json.dumps(
            {
                "width": prepared.width,
                "height": prepared.height,
                "faces": prepared.faces,
                "masks": prepared.masks,
                "source_width": prepared.source_width,
                "cropped": cropped,
            }
        ).encode(),
    )
    return prepared


def _check_masks_inside(photo: Photo, size: tuple[int, int], campaign: Campaign) -> None:
    # A mask measured on a sideways or resized copy lands beside the face it was meant to cover;
    # printing the photo then would expose the person, so it is an error, not a quiet no-op.
    for i, (x, y, w, h) in enumerate(photo.masks):
        if x + w > size[0] or y + h > size[1]:
            key = f"photos[{photo.index}].masks"
            raise PhotoError(
                f"masks[{i}] = [{x}, {y}, {w}, {h}] reaches beyond the photo, which is "
                f"{size[0]} × {size[1]} pixels upright; measure masks on the upright photo at "
                "full size",
                file=campaign.shown_as,
                key=key,
                line=campaign.source.line_of(key),
            )


def faces_per_photo(
    campaign: Campaign, photos: list[Photo] | None = None, cache_dir: Path | None = None
) -> dict[str, list[Box]]:
    """The blocks masking puts on each of the campaign's photos (or the `photos` given) for the
    faces found, after the photo's `unmask`: one per person, for `leafpress check`.

    Keys are photo keys; a photo that cannot be opened raises its PhotoError. With `cache_dir`
    (the prepared photos' folder), faces are those masking found, kept by the photo's content:
    a photo is looked at once per content, whichever of build and check asks first.
    """
    found = photo_faces(campaign, photos, cache_dir)
    return {key: [f.box for f in faces] for key, faces in found.items()}


def photo_faces(
    campaign: Campaign, photos: list[Photo] | None = None, cache_dir: Path | None = None
) -> dict[str, list[Face]]:
    """The numbered faces on each photo that stay covered (after its `unmask`)."""
    found: dict[str, list[Face]] = {}
    for photo in campaign.photos if photos is None else photos:
        found[photo.key] = kept_faces(all_faces(campaign, photo, cache_dir), photo.unmask)
    return found


def all_faces(campaign: Campaign, photo: Photo, cache_dir: Path | None) -> list[Face]:
    """Every face the detector finds on a photo, `unmask` or not, numbered as the review sheet
    shows them."""
    data = _read(photo, _where(campaign, photo))
    known = cached_faces(data, cache_dir)
    if known is not None:
        return known
    return faces_of(data, upright_photo(campaign, photo, data), cache_dir)


def upright_photo(campaign: Campaign, photo: Photo, data: bytes | None = None) -> Image.Image:
    """The photo's pixels as masking sees them: turned upright, in sRGB, in RGB."""
    where = _where(campaign, photo)
    image = _open(data if data is not None else _read(photo, where), photo.shown_as, where)
    ImageOps.exif_transpose(image, in_place=True)
    return _to_rgb(_to_srgb(image))


# Geometry ----------------------------------------------------------------------------------------


def crop_region(
    size: tuple[int, int], frame: tuple[int, int], crop: str | tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest part of the photo with the frame's proportions, placed around the focal point.

    `crop` is "center" or a focal point (x, y) as fractions of the width and height.
    """
    width, height = size
    aspect = frame[0] / frame[1]
    if width / height > aspect:
        cw, ch = round(height * aspect), height
    else:
        cw, ch = width, round(width / aspect)
    fx, fy = (0.5, 0.5) if crop == "center" else crop
    left = min(max(0, round(fx * width - cw / 2)), width - cw)
    top = min(max(0, round(fy * height - ch / 2)), height - ch)
    return (left, top, left + cw, top + ch)


def _fit(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The size that fits inside `box` keeping proportions — never larger than `size`."""
    scale = min(1.0, box[0] / size[0], box[1] / size[1])
    return (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))


def _shift(box: Box, dx: int, dy: int) -> Box:
    return (box[0] - dx, box[1] - dy, box[2], box[3])


def _scale(box: Box, scale: float) -> tuple[float, float, float, float]:
    return tuple(v * scale for v in box)  # type: ignore[return-value]


def _snap(box: tuple[float, ...], size: tuple[int, int]) -> Box:
    x, y, w, h = box
    left = int(x // JPEG_BLOCK * JPEG_BLOCK)
    top = int(y // JPEG_BLOCK * JPEG_BLOCK)
    right = -int(-(x + w) // JPEG_BLOCK) * JPEG_BLOCK
    bottom = -int(-(y + h) // JPEG_BLOCK) * JPEG_BLOCK
    left, top = max(0, left), max(0, top)
    right, bottom = min(size[0], right), min(size[1], bottom)
    return (left, top, max(0, right - left), max(0, bottom - top))


def _fill(image: Image.Image, boxes: list, colour: tuple[int, int, int]) -> None:
    # A solid block, never a blur: a blur can be reversed, a block cannot.
    draw = ImageDraw.Draw(image)
    for x, y, w, h in boxes:
        if w > 0 and h > 0:
            draw.rectangle((x, y, x + w - 1, y + h - 1), fill=colour)


# Reading and converting ----------------------------------------------------------------------------


def _where(campaign: Campaign, photo: Photo) -> dict:
    key = f"photos[{photo.index}].file"
    return {"file": campaign.shown_as, "key": key, "line": campaign.source.line_of(key)}


def _read(photo: Photo, where: dict) -> bytes:
    if not photo.file.is_file():
        raise PhotoError(f"photo '{photo.shown_as}' not found", **where)
    try:
        return photo.file.read_bytes()
    except OSError as exc:
        raise PhotoError(
            f"photo '{photo.shown_as}' cannot be read: {exc.strerror}", **where
        ) from None


def _open(data: bytes, shown: str, where: dict) -> Image.Image:
    if not data:
        raise PhotoError(f"photo '{shown}' is an empty file", **where)
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
        raise PhotoError(
            f"photo '{shown}' is not an image leafpress can read "
            f"(expected {', '.join(supported_formats())})",
            **where,
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(
            f"photo '{shown}' is too large to open safely (over {Image.MAX_IMAGE_PIXELS:,} pixels)",
            **where,
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PhotoError(f"photo '{shown}' is damaged or truncated: {exc}", **where) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    if image.width == 0 or image.height == 0:
        raise PhotoError(f"photo '{shown}' has no pixels", **where)
    return image


def supported_formats() -> list[str]:
    formats = ["JPEG", "PNG", "WebP", "TIFF"]
    return [*formats, "HEIC"] if HEIC_SUPPORTED else formats


def _to_rgb(image: Image.Image) -> Image.Image:
    """The image in RGB on white; an RGB image itself, not a copy."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    ):
        rgba = image.convert("RGBA")
        # Transparent areas print as paper, not as black.
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode.startswith("I;16") or image.mode == "I":
        return image.point(lambda v: v / 256).convert("L").convert("RGB")
    if image.mode == "F":
        return image.point(lambda v: v * 255).convert("L").convert("RGB")
    return image.convert("RGB")


def _to_srgb(image: Image.Image) -> Image.Image:
    """Pixels in sRGB before the ICC profile is dropped: phones shoot Display P3, cameras Adobe RGB."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A broken profile: the pixels as they are are the best guess; the profile goes anyway.
        return image


def _fresh(image: Image.Image) -> Image.Image:
    """The pixels in a new image: a fresh image carries no info dict, EXIF, XMP, ICC or comments."""
    converted = image if image.mode == "RGB" else image.convert("RGB")
    clean = Image.new("RGB", converted.size)
    clean.paste(converted)
    return clean

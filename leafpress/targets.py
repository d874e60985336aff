"""Print targets: what screen, print-shop, office, photocopy and tiles do to the same layout."""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .constants import TARGET_NAMES, TARGETS, Target
from .errors import LayoutError, RenderError, did_you_mean
from .records import TargetOptions
from .write import write_atomic

# Photocopy photos: the darkest and lightest grey levels (0 black, 255 white) they are mapped to.
# 72 is 72 % grey, under the 75 % above which a copier lays an area solid (copier.DARK_GREY).
GREY_PHOTO_RANGE = (72, 235)


def qr_module_min_mm(target: str, scan_distance_m: float | None = None) -> float:
    """The least QR module size for `target` (its record's); a poster read from further away
    needs more (a millimetre for each metre it is scanned from)."""
    return max(TARGETS[target].qr_module_min_mm, scan_distance_m or 0.0)


def check_target(name: str, file: Path | None = None, key: str | None = None) -> str:
    if name not in TARGET_NAMES:
        raise LayoutError(
            f"unknown target '{name}'{did_you_mean(name, TARGET_NAMES)}; "
            f"known targets: {', '.join(TARGET_NAMES)}",
            file=file,
            key=key,
        )
    return name


@dataclass
class Preparation:
    """What a target changes before rendering: extra CSS, photos, WeasyPrint options."""

    css: list[str] = field(default_factory=list)
    stylesheets: list[Path] = field(default_factory=list)
    render_options: dict[str, Any] = field(default_factory=dict)
    color_profiles: dict[str, Any] = field(default_factory=dict)
    photo_mode: str | None = None  # None, "cmyk" or "grey"
    icc: Path | None = None
    max_ink: float | None = None  # percent; CMYK photos are limited to it


def prepare(target: Target | str, options: TargetOptions, shared: Path) -> Preparation:
    """The rendering side of a target; `shared` is layouts/_shared, where palette overrides live."""
    target = TARGETS[target] if isinstance(target, str) else target
    prep = Preparation(photo_mode=target.photo_mode)
    prep.stylesheets = [shared / name for name in target.stylesheets]
    if target.pdf_variant:
        prep.render_options = {"pdf_variant": target.pdf_variant}
    if target.photo_mode == "cmyk":
        icc = options.icc_profile()
        prep.icc = icc
        prep.max_ink = options.max_ink
        prep.css.append(
            f"@page {{ bleed: {options.bleed_mm:g}mm; }} :root {{ --bleed: {options.bleed_mm:g}mm; }}"
        )
        prep.color_profiles = {"device-cmyk": _color_profile(icc)}
    return prep


def _color_profile(icc: Path):
    try:
        data = icc.read_bytes()
        profile = _file_color_profile()(data, icc.as_uri())
    except OSError as exc:
        raise RenderError(f"ICC profile {icc} cannot be read: {exc}", key="--icc") from None
    except Exception:
        raise RenderError(f"{icc} is not an ICC profile", key="--icc") from None
    if profile._profile.profile.xcolor_space.strip() != "CMYK":
        raise RenderError(
            f"{icc} is a {profile._profile.profile.xcolor_space.strip()} profile; "
            "print-shop output needs a CMYK one",
            key="--icc",
        )
    return profile


@functools.cache
def _file_color_profile() -> type:
    """WeasyPrint's ColorProfile, embedding the ICC file's own bytes.

    WeasyPrint embeds what littleCMS writes the profile out as, and that changes once a tag has
    been read (the profile's name, for the output intent): the same output came out with one of
    two ICC streams depending on what had rendered before it in the process. The print shop's
    file as it is, is both what it asked for and the same every time."""
    from weasyprint.css import ColorProfile

    class FileColorProfile(ColorProfile):
        def __init__(self, data: bytes, src: str) -> None:
            super().__init__(
                io.BytesIO(data), src, "relative-colorimetric", (["c"], ["m"], ["y"], ["k"])
            )
            self._data = data

        @property
        def content(self) -> bytes:
            return self._data

    return FileColorProfile


def style_html(html: str, prep: Preparation) -> str:
    """The composed HTML with the target's stylesheets after the layout's own."""
    if not prep.css and not prep.stylesheets:
        return html
    extra = "".join(f'<link rel="stylesheet" href="{p.as_uri()}">' for p in prep.stylesheets)
    extra += "".join(f"<style>{css}</style>" for css in prep.css)
    if prep.photo_mode == "cmyk":
        # The QR code is drawn in RGB; on press its black is one plate, its white no ink at all.
        html = html.replace('fill="#000"', 'fill="device-cmyk(0 0 0 1)"')
        html = html.replace('fill="#fff"', 'fill="device-cmyk(0 0 0 0)"')
    return html.replace("</head>", extra + "</head>", 1)


def convert_photo(
    source: Path, mode: str, cache_dir: Path, icc: Path | None = None, max_ink: float | None = None
) -> Path:
    """A prepared RGB photo as CMYK (through the ICC profile, its total ink limited to `max_ink`
    percent) or lifted grey, cached by content."""
    from PIL import Image, ImageCms, ImageOps

    data = source.read_bytes()
    profile = None
    if mode == "cmyk":
        assert icc is not None
        stat = icc.stat()
        profile = _cmyk_profile(icc, stat.st_mtime_ns, stat.st_size)
    # The profile's content, not its path: a shop's new profile saved over the old one makes
    # new photos.
    tag = f"{mode}|{profile.digest if profile else ''}|{GREY_PHOTO_RANGE}|{max_ink}|4".encode()
    digest = hashlib.sha256(data + tag).hexdigest()[:32]
    target = cache_dir / f"{digest}.{mode}.jpg"
    if target.is_file():
        return target
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
    if profile is not None:
        converted = ImageCms.applyTransform(rgb, profile.transform)
        if max_ink is not None:
            from .inks import JPEG_HEADROOM, limit_ink

            converted = limit_ink(converted, max_ink - JPEG_HEADROOM)
    elif mode == "grey":
        grey = ImageOps.autocontrast(rgb.convert("L"), cutoff=1)
        # A copier fills large dark areas solid, streaky and heavy with toner, and drops light
        # ones: squeeze the tones into 8–72 % grey (GREY_PHOTO_RANGE), so that no part of a photo
        # is darker than the 75 % a copier still holds, and shadows keep their detail.
        low, high = GREY_PHOTO_RANGE
        converted = grey.point(lambda v: round(low + v * (high - low) / 255))
    else:
        raise ValueError(mode)
    buffer = io.BytesIO()
    converted.save(buffer, "JPEG", quality=90)
    write_atomic(target, buffer.getvalue())
    return target


@dataclass(frozen=True)
class _CmykProfile:
    digest: str
    transform: Any  # PIL.ImageCms.ImageCmsTransform, from sRGB


@functools.lru_cache(maxsize=4)
def _cmyk_profile(icc: Path, mtime_ns: int, size: int) -> _CmykProfile:
    # Reading and linking the profiles takes a while, and a build converts every photo through
    # the same one; the file's time and size in the key let `serve` see a profile replaced.
    from PIL import ImageCms

    transform = ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"),
        ImageCms.getOpenProfile(str(icc)),
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
    )
    return _CmykProfile(hashlib.sha256(icc.read_bytes()).hexdigest(), transform)

"""Test photos that carry every kind of identifying metadata a phone or camera writes."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageCms, PngImagePlugin

# Values that must never reach a PDF: each is searched for, byte for byte, in every image stream.
SECRETS = {
    "make": "LeakCamMaker",
    "model": "LeakCam Z-9000",
    "serial": "SN-4242-ZX-0001",
    "artist": "Aigerim Secret-Photographer",
    "xmp_gps": "43,15.5012N",
    "png_text": "Shanyrak safe-house, 12 Hidden Street",
    "webp_artist": "WebP Artist Nurlan",
}
GPS = {1: "N", 2: (43.0, 15.0, 30.0), 3: "E", 4: (76.0, 57.0, 10.0)}
GPS_BYTES = [b"\x00\x00\x00\x2b\x00\x00\x00\x01", b"\x00\x00\x00\x4c\x00\x00\x00\x01"]  # 43/1, 76/1


def _scene(size: tuple[int, int] = (480, 320)) -> Image.Image:
    """A photo-like test image: a gradient with a few blocks, so JPEG has something to encode."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    for i, colour in enumerate([(200, 40, 40), (40, 160, 60), (30, 60, 200)]):
        image.paste(colour, (20 + i * 100, 40, 90 + i * 100, 120))
    return image


def camera_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = SECRETS["make"]
    exif[0x0110] = SECRETS["model"]
    exif[0x013B] = SECRETS["artist"]
    exif[0xA431] = SECRETS["serial"]  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps.update(GPS)
    return exif


def xmp_packet(gps: str) -> bytes:
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/">'
        f"<exif:GPSLatitude>{gps}</exif:GPSLatitude></rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def write_test_photos(folder: Path) -> dict[str, Path]:
    """Every test photo, written into `folder`; keys are the photo keys (file stems)."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    files["camera"] = folder / "camera.jpg"
    _scene().save(files["camera"], "JPEG", exif=camera_exif(), quality=90, comment=b"JPEG comment")

    files["xmp-gps"] = folder / "xmp-gps.jpg"
    _scene().save(files["xmp-gps"], "JPEG", xmp=xmp_packet(SECRETS["xmp_gps"]), quality=90)

    files["profiled"] = folder / "profiled.jpg"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    _scene().save(files["profiled"], "JPEG", icc_profile=srgb, quality=90)

    files["text-chunks"] = folder / "text-chunks.png"
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRETS["png_text"])
    info.add_itxt("Author", SECRETS["artist"])
    _scene().save(files["text-chunks"], "PNG", pnginfo=info)

    files["phone"] = folder / "phone.webp"
    exif = camera_exif()
    exif[0x013B] = SECRETS["webp_artist"]
    _scene().save(files["phone"], "WEBP", exif=exif, xmp=xmp_packet(SECRETS["xmp_gps"]))

    # Stored sideways, red on the left: EXIF orientation 6 says "turn 90° clockwise to view",
    # after which red is on top.
    files["rotated"] = folder / "rotated.jpg"
    upright = Image.new("RGB", (300, 400), (30, 60, 200))
    upright.paste((220, 20, 20), (0, 0, 300, 200))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # red ends up on the left
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(files["rotated"], "JPEG", exif=exif, quality=95)
    return files


def heic_bytes() -> bytes | None:
    """A HEIC photo with camera EXIF, or None when pillow-heif cannot encode here."""
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
        buffer = io.BytesIO()
        _scene().save(buffer, "HEIF", exif=camera_exif().tobytes(), quality=80)
        return buffer.getvalue()
    except Exception:
        return None

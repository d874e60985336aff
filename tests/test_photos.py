"""The photo pipeline: resampling to the placed size, colour modes, formats, bad photos, masks, crop."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pypdf
import pytest
from PIL import Image

from conftest import Workspace
from leafpress.content import load_campaign
from leafpress.errors import ContentError, PhotoError
from leafpress.faces import detect
from leafpress.photos import (
    PhotoSettings,
    crop_region,
    faces_per_photo,
    palette_colour,
    prepare_photo,
    prepare_photo_sizes,
)
from photo_fixtures import heic_bytes

INK = (0x16, 0x18, 0x1D)  # --ink in layouts/_shared/palette.css


def _campaign_with(ws: Workspace, photos: dict[str, bytes | Image.Image], extra: str = ""):
    """The workspace campaign with these photos (file name → bytes or image), loaded."""
    folder = ws.root / "assets" / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in photos.items():
        path = folder / name
        if isinstance(content, Image.Image):
            content.save(path)
        else:
            path.write_bytes(content)
        ws.append("campaign.toml", f'\n[[photos]]\nfile = "assets/demo/{name}"\n{extra}\n')
    return load_campaign(ws.campaign_dir, ws.root)


def test_photo_is_resampled_to_its_placed_size_at_the_target_resolution(workspace: Workspace):
    campaign = _campaign_with(workspace, {"big.png": Image.new("RGB", (3000, 2000), "grey")})
    photo = campaign.photos[0]
    cache = workspace.root / "out" / ".cache" / "photos"
    # A 127 × 84.67 mm frame is 5 × 3.33 in: 1500 × 1000 px at 300 ppi, 750 × 500 at 150.
    at_300 = prepare_photo(campaign, photo, cache, PhotoSettings(frame_mm=(127, 84.667), ppi=300))
    at_150 = prepare_photo(campaign, photo, cache, PhotoSettings(frame_mm=(127, 84.667), ppi=150))
    assert (at_300.width, at_300.height) == (1500, 1000)
    assert (at_150.width, at_150.height) == (750, 500)
    assert at_300.path != at_150.path  # cached by content and settings
    with Image.open(at_300.path) as image:
        assert image.size == (1500, 1000)


def test_photo_is_never_upsampled(workspace: Workspace):
    campaign = _campaign_with(workspace, {"small.png": Image.new("RGB", (400, 300), "grey")})
    prepared = prepare_photo(
        campaign, campaign.photos[0], workspace.out, PhotoSettings(frame_mm=(269, 235), ppi=300)
    )
    assert (prepared.width, prepared.height) == (400, 300)


def test_a3_display_places_its_photos_at_300_ppi_for_print_and_150_on_screen(
    workspace: Workspace,
):
    campaign = _campaign_with(workspace, {"wide.png": Image.new("RGB", (6000, 4000), "grey")})
    workspace.append("kk.toml", '\n[captions]\nwide = "Қол."\n')
    workspace.append("en.toml", '\n[captions]\nwide = "Caption."\n')
    assert campaign.photos
    args = ("--layout", "photo-display-a3", "--lang", "en")
    code, output = workspace.build(*args, "--target", "screen", "--target", "print-shop")
    assert code == 0, output
    widths = {}
    for name in ("photo-display-a3.pdf", "photo-display-a3.print-shop.pdf"):
        reader = pypdf.PdfReader(workspace.out / "demo" / "en" / name)
        images = [o.get_object() for o in reader.pages[0]["/Resources"]["/XObject"].values()]
        widths[name] = max(int(i["/Width"]) for i in images if i.get("/Subtype") == "/Image")
    # The measure is 269 mm wide: 3177 px at 300 ppi for print, 1589 px at 150 ppi on screen.
    assert widths["photo-display-a3.print-shop.pdf"] == round(269 / 25.4 * 300)
    assert widths["photo-display-a3.pdf"] == round(269 / 25.4 * 150)


@pytest.mark.parametrize(
    ("mode", "make"),
    [
        ("I;16", lambda: Image.fromarray(np.full((40, 60), 40000, dtype=np.uint16))),
        ("P", lambda: Image.new("P", (60, 40), 3)),
        ("P+transparency", lambda: _transparent_palette()),
        ("RGBA", lambda: Image.new("RGBA", (60, 40), (255, 0, 0, 0))),
        ("LA", lambda: Image.new("LA", (60, 40), (10, 255))),
        ("CMYK", lambda: Image.new("CMYK", (60, 40), (0, 255, 255, 0))),
        ("L", lambda: Image.new("L", (60, 40), 128)),
        ("1", lambda: Image.new("1", (60, 40), 1)),
    ],
)
def test_every_input_mode_becomes_an_rgb_jpeg(workspace: Workspace, mode: str, make):
    image = make()
    fmt = "TIFF" if mode in ("CMYK", "I;16") else "PNG"
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    campaign = _campaign_with(workspace, {f"photo.{fmt.lower()}": buffer.getvalue()})
    prepared = prepare_photo(campaign, campaign.photos[0], workspace.out)
    with Image.open(prepared.path) as done:
        assert (done.format, done.mode, done.size) == ("JPEG", "RGB", (60, 40))
        pixel = done.getpixel((30, 20))
    if mode == "RGBA":
        assert min(pixel) > 240  # transparent prints as paper, not black
    if mode == "CMYK":
        assert pixel[0] > 200 and pixel[1] < 60  # red stays red


def _transparent_palette() -> Image.Image:
    image = Image.new("P", (60, 40), 0)
    image.info["transparency"] = 0
    return image


def test_a_photo_converted_for_the_print_shop_is_cmyk_and_prints_red(workspace: Workspace):
    """The print-shop target's path: a prepared RGB photo through targets.convert_photo."""
    import pypdfium2

    from conftest import render_html
    from leafpress.records import TargetOptions
    from leafpress.targets import convert_photo

    campaign = _campaign_with(workspace, {"red.png": Image.new("RGB", (80, 60), (220, 20, 20))})
    prepared = prepare_photo(campaign, campaign.photos[0], workspace.out, PhotoSettings())
    icc = TargetOptions().icc_profile()
    converted = convert_photo(prepared.path, "cmyk", prepared.path.parent, icc)
    with Image.open(converted) as done:
        assert done.mode == "CMYK"
        cyan, magenta, yellow, _ = done.getpixel((40, 30))
        assert magenta > 150 and yellow > 150 and cyan < 60
        assert "exif" not in done.info and "icc_profile" not in done.info
    # WeasyPrint embeds it as DeviceCMYK and it prints red, in a PDF/X-4 as a print shop wants.
    html = f'<img src="{converted.as_uri()}" style="width: 50mm">'
    pdf = render_html(html, converted.parent, {"pdf_variant": "pdf/x-4"})
    page = pypdfium2.PdfDocument(pdf.data)[0].render(scale=1).to_pil().convert("RGB")
    red, green, blue = page.getpixel((100, 100))  # inside the image, past the 56 pt margin
    assert red > 180 and green < 90 and blue < 90


@pytest.mark.parametrize("fmt", ["WEBP", "TIFF", "HEIC"])
def test_webp_tiff_and_heic_photos_are_read(workspace: Workspace, fmt: str):
    if fmt == "HEIC":
        data = heic_bytes()
        if data is None:
            pytest.skip("pillow-heif cannot encode a HEIC test photo on this machine")
    else:
        buffer = io.BytesIO()
        Image.new("RGB", (90, 60), (20, 120, 200)).save(buffer, fmt)
        data = buffer.getvalue()
    campaign = _campaign_with(workspace, {f"photo.{fmt.lower()}": data})
    prepared = prepare_photo(campaign, campaign.photos[0], workspace.out)
    with Image.open(prepared.path) as done:
        assert done.format == "JPEG"
        assert done.size == (480, 320) if fmt == "HEIC" else (90, 60)


def _animated_gif() -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (20, 20), c) for c in ("red", "green", "blue")]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def _truncated_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()[:3000]


def _bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("gone.jpg", None, "not found"),
        ("cut.jpg", _truncated_jpeg(), "is damaged or truncated"),
        ("notes.jpg", b"these are not pixels", "is not an image leafpress can read"),
        ("empty.jpg", b"", "is an empty file"),
        ("moving.gif", _animated_gif(), "is animated (3 frames)"),
        ("bomb.png", _bomb(), "is too large to open safely"),
    ],
)
def test_bad_photos_are_errors_naming_the_file(workspace: Workspace, name, content, says):
    photos = {} if content is None else {name: content}
    campaign = _campaign_with(workspace, photos)
    if content is None:
        workspace.append("campaign.toml", f'\n[[photos]]\nfile = "assets/demo/{name}"\n')
        campaign = load_campaign(workspace.campaign_dir, workspace.root)
    with warnings.catch_warnings(), pytest.raises(PhotoError) as caught:
        prepare_photo(campaign, campaign.photos[0], workspace.out)
    problem = caught.value.first
    assert f"photo 'assets/demo/{name}' {says}" in problem.message
    assert problem.key == "photos[0].file" and problem.file.name == "campaign.toml"


def test_zero_size_photo_is_an_error(workspace: Workspace):
    # Pillow refuses to write a 0-pixel image, so a PNG header that claims 0 × 0 is made by hand.
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 0, 0, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    campaign = _campaign_with(workspace, {"zero.png": png})
    with pytest.raises(PhotoError) as caught:
        prepare_photo(campaign, campaign.photos[0], workspace.out)
    # Pillow itself refuses a 0 × 0 header, so the error is that it is no readable image.
    assert caught.value.first.message.startswith("photo 'assets/demo/zero.png' is not an image")


# Face masking --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def astronaut() -> Image.Image:
    from skimage import data

    return Image.fromarray(data.astronaut())


def test_faces_on_a_real_photograph_are_covered_with_solid_ink(workspace: Workspace, astronaut):
    campaign = _campaign_with(workspace, {"astronaut.png": astronaut}, "mask_faces = true")
    assert palette_colour(workspace.root, "ink") == INK
    settings = PhotoSettings(frame_mm=(100, 100), ppi=300, mask_colour=INK)
    prepared = prepare_photo(campaign, campaign.photos[0], workspace.out, settings)
    assert len(prepared.faces) >= 1
    assert (prepared.width, prepared.height) == astronaut.size  # 512 px: never upsampled
    with Image.open(prepared.path) as done:
        pixels = np.asarray(done.convert("RGB")).astype(int)
    for x, y, w, h in prepared.faces:
        block = pixels[y : y + h, x : x + w]
        # JPEG stores a flat block as one value per 8 × 8 cell; a rounding step of ±3 is all
        # that can differ from the ink, and nothing of the face is left.
        assert np.abs(block - np.array(INK)).max() <= 4, (x, y, w, h)
        assert block.std(axis=(0, 1)).max() < 1.0
    # The mask is really where the face was: the astronaut's face is around (177–270, 67–160).
    assert any(
        x <= 190 and y <= 80 and x + w >= 260 and y + h >= 150 for x, y, w, h in prepared.faces
    )


def test_faces_are_reported_per_photo_for_check(workspace: Workspace, astronaut):
    campaign = _campaign_with(
        workspace, {"astronaut.png": astronaut, "wall.png": Image.new("RGB", (300, 200), "grey")}
    )
    found = faces_per_photo(campaign)
    assert len(found["astronaut"]) >= 1 and found["wall"] == []


def test_campaign_wide_mask_faces_and_a_photo_that_opts_out(workspace: Workspace, astronaut):
    workspace.edit(
        "campaign.toml", 'languages = ["kk", "en"]', 'languages = ["kk", "en"]\nmask_faces = true'
    )
    _campaign_with(workspace, {"astronaut.png": astronaut})
    campaign = _campaign_with(workspace, {"copy.png": astronaut}, "mask_faces = false")
    assert campaign.mask_faces is True
    settings = PhotoSettings(mask_faces=campaign.mask_faces)
    masked, kept = (prepare_photo(campaign, p, workspace.out, settings) for p in campaign.photos)
    assert masked.faces and not kept.faces
    with Image.open(kept.path) as done:
        assert np.abs(np.asarray(done).astype(int) - np.asarray(astronaut)).mean() < 3


def test_manual_masks_cover_what_the_detector_misses(workspace: Workspace):
    campaign = _campaign_with(
        workspace,
        {"crowd.png": Image.new("RGB", (400, 300), (240, 200, 160))},
        "masks = [[100, 50, 60, 80]]",
    )
    prepared = prepare_photo(
        campaign, campaign.photos[0], workspace.out, PhotoSettings(mask_colour=INK)
    )
    assert prepared.masks == ((100, 50, 60, 80),) and prepared.faces == ()
    with Image.open(prepared.path) as done:
        pixels = np.asarray(done.convert("RGB")).astype(int)
    assert np.abs(pixels[50:130, 100:160] - np.array(INK)).max() <= 4
    assert np.abs(pixels[200:, 300:] - np.array((240, 200, 160))).max() <= 4  # the rest untouched


RED = (255, 0, 0)
SIZES = [
    PhotoSettings(frame_mm=None, mask_colour=RED),  # full size: nothing cropped or resampled
    PhotoSettings(frame_mm=(60, 40), ppi=150, mask_colour=INK),
    PhotoSettings(frame_mm=(60, 40), ppi=300, mask_colour=INK),
    PhotoSettings(frame_mm=(40, 60), ppi=150, mask_colour=INK),
]


def _rotated_photo_with_a_mask(ws: Workspace):
    """A sideways-shot JPEG (EXIF orientation 6) with a manual mask and a crop."""
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((480, 320)).convert("RGB").save(
        buffer, "JPEG", exif=exif, quality=90
    )
    return _campaign_with(
        ws, {"sideways.jpg": buffer.getvalue()}, 'masks = [[40, 60, 90, 70]]\ncrop = "center"'
    )


def test_all_sizes_of_a_photo_come_from_one_decode_and_match_one_at_a_time(
    workspace: Workspace, monkeypatch
):
    import leafpress.photos as photos

    campaign = _rotated_photo_with_a_mask(workspace)
    photo = campaign.photos[0]
    alone = [prepare_photo(campaign, photo, workspace.out / "alone", s) for s in SIZES]

    opened = []
    real_open = photos._open
    monkeypatch.setattr(photos, "_open", lambda *a: opened.append(a) or real_open(*a))
    together = prepare_photo_sizes(campaign, photo, workspace.out / "together", SIZES)
    assert len(opened) == 1
    for one, other in zip(alone, together, strict=True):
        assert one.path.name == other.path.name  # the same recipe, the same cache name
        assert one.path.read_bytes() == other.path.read_bytes()
        assert (one.width, one.height, one.masks, one.cropped) == (
            other.width,
            other.height,
            other.masks,
            other.cropped,
        )
    # The full-size one is painted red over the mask (and its 16-pixel blocks); none of that
    # red reaches the other sizes through the upright image they share.
    with Image.open(together[0].path) as full:
        assert full.size == (320, 480)  # upright
        assert np.abs(np.asarray(full)[60:130, 40:130].astype(int) - np.array(RED)).max() <= 4
    for other in together[1:]:
        with Image.open(other.path) as image:
            pixels = np.asarray(image.convert("RGB")).astype(int)
        assert not (np.abs(pixels - np.array(RED)).sum(axis=2) < 90).any(), other

    # Sizes already on disk are neither decoded nor made again.
    opened.clear()
    again = prepare_photo_sizes(campaign, photo, workspace.out / "together", SIZES)
    assert opened == [] and [p.path for p in again] == [p.path for p in together]


def test_a_photo_that_cannot_be_read_fails_every_size_with_its_error(workspace: Workspace):
    campaign = _campaign_with(workspace, {"broken.jpg": b"not a photo"})
    with pytest.raises(PhotoError, match=r"broken\.jpg"):
        prepare_photo_sizes(campaign, campaign.photos[0], workspace.out, SIZES)


def test_detector_finds_no_face_on_a_photo_without_people():
    from skimage import data

    assert detect(Image.fromarray(data.coffee())) == []


@pytest.mark.parametrize(
    ("masks", "crop", "says"),
    [
        ("[[1, 2, 3]]", None, "photos[0].masks: expected a list of [x, y, width, height]"),
        ("[[1, 2, -3, 4]]", None, "photos[0].masks: expected a list of [x, y, width, height]"),
        (None, '"middle"', 'photos[0].crop: expected "center" or a focal point [x, y]'),
        (None, "[0.5, 1.5]", 'photos[0].crop: expected "center" or a focal point [x, y]'),
    ],
)
def test_bad_masks_and_crop_are_reported_with_their_key(workspace: Workspace, masks, crop, says):
    extra = (f"masks = {masks}\n" if masks else "") + (f"crop = {crop}\n" if crop else "")
    with pytest.raises(ContentError) as caught:
        _campaign_with(workspace, {"p.png": Image.new("RGB", (10, 10))}, extra)
    assert says in str(caught.value)


# Crop ---------------------------------------------------------------------------------------------


def test_crop_region_keeps_the_frame_proportions_around_the_focal_point():
    # A portrait 1000 × 2000 photo in a 2 : 1 landscape frame keeps its full width, 500 px tall.
    assert crop_region((1000, 2000), (200, 100), "center") == (0, 750, 1000, 1250)
    assert crop_region((1000, 2000), (200, 100), (0.5, 0.1)) == (0, 0, 1000, 500)
    assert crop_region((1000, 2000), (200, 100), (0.5, 0.5)) == (0, 750, 1000, 1250)
    assert crop_region((1000, 2000), (200, 100), (0.5, 1.0)) == (0, 1500, 1000, 2000)


def test_portrait_photo_with_crop_fills_the_a4_landscape_frame(workspace: Workspace, rasterise):
    portrait = Image.new("RGB", (1200, 1800), (30, 60, 200))
    portrait.paste((220, 20, 20), (0, 0, 1200, 600))  # red top third: the focal point is there
    _campaign_with(workspace, {"tall.png": portrait}, "crop = [0.5, 0.15]")
    workspace.append("kk.toml", '\n[captions]\ntall = "Биік сурет."\n')
    workspace.append("en.toml", '\n[captions]\ntall = "A tall photo."\n')
    code, output = workspace.build("--layout", "photo-display-a4-landscape")
    assert code == 0, output
    pdf = workspace.pdf("kk", "photo-display-a4-landscape")
    reader = pypdf.PdfReader(pdf)
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [842, 595]
    image = next(o.get_object() for o in reader.pages[0]["/Resources"]["/XObject"].values())
    # Cut to the 277 × 174 mm frame's proportions (the photo's full width, never upsampled).
    assert int(image["/Width"]) == 1200
    assert abs(int(image["/Width"]) / int(image["/Height"]) - 277 / 174) < 0.01
    page = rasterise(pdf, dpi=50)[0]
    # The photo stands left of its caption's column, from the margin to about 200 mm in.
    y = round((10 + 13 + 30) / 25.4 * 50)
    for x_mm in (12, 150):
        assert page.getpixel((round(x_mm / 25.4 * 50), y))[:3] != (255, 255, 255)


def test_multi_language_poster_stacks_every_caption(workspace: Workspace):
    _campaign_with(workspace, {"street.png": Image.new("RGB", (600, 400), "grey")})
    workspace.append("kk.toml", '\n[captions]\nstreet = "Көшедегі көрме."\n')
    workspace.append("en.toml", '\n[captions]\nstreet = "The street display."\n')
    workspace.append(
        "campaign.toml",
        '\n[[outputs]]\nlayout = "photo-display-a4-landscape"\noptions = { all_languages = true }\n'
        '\n[[outputs]]\nlayout = "photo-display-a3"\noptions = { all_languages = true }\n',
    )
    code, output = workspace.build()
    assert code == 0, output
    for layout in ("photo-display-a4-landscape", "photo-display-a3"):
        text = pypdf.PdfReader(workspace.pdf("en", layout)).pages[0].extract_text()
        assert "Көшедегі көрме." in text and "The street display." in text
        assert text.index("The street display.") < text.index("Көшедегі көрме.")


def test_photo_cache_is_outside_the_sources(workspace: Workspace):
    _campaign_with(workspace, {"street.png": Image.new("RGB", (600, 400), "grey")})
    workspace.append("kk.toml", '\n[captions]\nstreet = "Көше."\n')
    workspace.append("en.toml", '\n[captions]\nstreet = "Street."\n')
    before = sorted(p.name for p in (workspace.root / "assets" / "demo").iterdir())
    code, output = workspace.build("--layout", "photo-display-a4-landscape")
    assert code == 0, output
    assert sorted(p.name for p in (workspace.root / "assets" / "demo").iterdir()) == before
    cached = list((workspace.out / ".cache" / "photos").glob("*.jpg"))
    assert cached and all(Path(p).stat().st_size > 0 for p in cached)


def test_masked_faces_reach_the_pdf_as_solid_blocks_in_the_layouts_colour(
    workspace: Workspace, astronaut
):
    campaign = _campaign_with(workspace, {"astronaut.png": astronaut}, "mask_faces = true")
    workspace.append("kk.toml", '\n[captions]\nastronaut = "Ғарышкер."\n')
    workspace.append("en.toml", '\n[captions]\nastronaut = "An astronaut."\n')
    workspace.append(
        "campaign.toml",
        '\n[[outputs]]\nlayout = "photo-display-a4-landscape"\nlanguages = ["en"]\n'
        'options = { mask_colour = "#000000" }\n',
    )
    code, output = workspace.build()
    assert code == 0, output
    reader = pypdf.PdfReader(workspace.pdf("en", "photo-display-a4-landscape"))
    image = next(o.get_object() for o in reader.pages[0]["/Resources"]["/XObject"].values())
    with Image.open(io.BytesIO(image._data)) as placed:
        assert placed.size == astronaut.size
        pixels = np.asarray(placed.convert("RGB")).astype(int)
    faces = faces_per_photo(campaign)["astronaut"]
    assert faces
    for x, y, w, h in faces:
        assert pixels[y : y + h, x : x + w].max() <= 3, (x, y, w, h)


def test_a_mask_beyond_the_photo_is_an_error_not_an_exposed_face(workspace: Workspace):
    campaign = _campaign_with(
        workspace,
        {"p.png": Image.new("RGB", (400, 300))},
        "masks = [[10, 10, 20, 20], [350, 250, 80, 80]]",
    )
    with pytest.raises(PhotoError) as caught:
        prepare_photo(campaign, campaign.photos[0], workspace.out)
    problem = caught.value.first
    assert problem.key == "photos[0].masks"
    assert (
        "masks[1] = [350, 250, 80, 80] reaches beyond the photo, which is 400 × 300"
        in problem.message
    )


def test_targets_choose_the_resolution_and_layouts_the_frame(workspace: Workspace):
    from leafpress.photos import settings_for

    options = {"photo_width_mm": 277, "photo_height_mm": 112, "mask_colour": ""}
    print_shop = settings_for(workspace.root, options, (297, 210), ppi=300)
    office = settings_for(workspace.root, options, (297, 210), ppi=150)
    assert print_shop.frame_px == (3272, 1323)
    assert office.frame_px == (1636, 661) and office.mask_colour == INK
    # No declared frame: the page inside 10 mm margins.
    assert settings_for(workspace.root, {}, (148, 210), ppi=150).frame_mm == (128, 190)
    black = settings_for(workspace.root, {"mask_colour": "#000"}, (148, 210))
    assert black.mask_colour == (0, 0, 0)
    with pytest.raises(PhotoError) as caught:
        settings_for(workspace.root, {"mask_colour": "ink-ish"}, (148, 210))
    assert str(caught.value) == "options.mask_colour: 'ink-ish' is not a colour; expected #rrggbb"
    with pytest.raises(PhotoError, match="is empty"):
        settings_for(workspace.root, {"photo_width_mm": 0, "photo_height_mm": 100}, (148, 210))


@pytest.mark.parametrize("lang", ["kk", "en"])
def test_a4_landscape_display_prints_caption_credit_and_a_working_qr_on_every_sheet(
    sample_build: Path, rasterise, decode_qr, lang: str
):
    import tomllib

    from conftest import REPO

    pdf = sample_build / "shanyrak" / lang / "photo-display-a4-landscape.pdf"
    captions = tomllib.loads((REPO / "leaflets" / "shanyrak" / f"{lang}.toml").read_text("utf-8"))
    reader = pypdf.PdfReader(pdf)
    for page, caption in zip(reader.pages, captions["captions"].values(), strict=True):
        text = " ".join(page.extract_text().split())
        assert " ".join(caption.split()[:3]) in text  # the first words: typography changes quotes
    pages = rasterise(pdf, dpi=150)
    assert all(decode_qr(page) for page in pages)

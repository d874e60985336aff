"""The faces review sheet: every masked photo of a campaign with its blocks outlined and numbered."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .content import Campaign, Photo
from .faces import Face, kept_faces

TILE_PX = 900  # the longest side of a photo on the sheet
COLUMNS = 2
MARGIN = 24
COVERED = (220, 20, 60)
UNMASKED = (120, 120, 120)
BY_HAND = (30, 90, 220)
PAPER = (255, 255, 255)
INK = (20, 20, 20)


@dataclass
class PhotoReview:
    """What the sheet shows of one photo, in its upright pixels."""

    photo: Photo
    size: tuple[int, int]
    faces: list[Face]  # every detected block, numbered
    covered: list[Face]  # those left covered after `unmask`
    masks: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def unmasked(self) -> list[Face]:
        kept = {face.number for face in self.covered}
        return [face for face in self.faces if face.number not in kept]


def masked_photos(campaign: Campaign) -> list[Photo]:
    return [
        photo
        for photo in campaign.photos
        if (photo.mask_faces if photo.mask_faces is not None else campaign.mask_faces)
    ]


def review(campaign: Campaign, cache_dir: Path | None) -> list[tuple[PhotoReview, Image.Image]]:
    """Each masked photo with the faces found on it (detected once per content: a build before
    leaves them in `cache_dir`). An unreadable photo raises its PhotoError."""
    from .photos import all_faces, upright_photo

    found = []
    for photo in masked_photos(campaign):
        image = upright_photo(campaign, photo)
        faces = all_faces(campaign, photo, cache_dir)
        covered = kept_faces(faces, photo.unmask)
        found.append((PhotoReview(photo, image.size, faces, covered, list(photo.masks)), image))
    return found


def review_sheet(
    campaign: Campaign,
    reviews: list[tuple[PhotoReview, Image.Image]],
    font_file: Path | None = None,
) -> Image.Image:
    """One picture: a tile per masked photo, its blocks outlined and numbered, a ruler in the
    photo's own pixels along two edges (what `masks` and `unmask` are written in), and a line
    per block with its coordinates, ready to copy into campaign.toml."""
    font = _font(font_file, 20)
    small = _font(font_file, 15)
    tiles = [_tile(r, image, font, small) for r, image in reviews]
    title_h = 60
    if not tiles:
        sheet = Image.new("RGB", (2 * MARGIN + TILE_PX, title_h + MARGIN), PAPER)
        ImageDraw.Draw(sheet).text(
            (MARGIN, MARGIN), f"{campaign.key}: no photo masks faces", fill=INK, font=font
        )
        return sheet
    columns = min(COLUMNS, len(tiles))
    column_w = max(t.width for t in tiles)
    rows = [tiles[i : i + columns] for i in range(0, len(tiles), columns)]
    heights = [max(t.height for t in row) for row in rows]
    sheet = Image.new(
        "RGB",
        (MARGIN + columns * (column_w + MARGIN), title_h + sum(heights) + MARGIN * len(rows)),
        PAPER,
    )
    draw = ImageDraw.Draw(sheet)
    covered = sum(len(r.covered) for r, _ in reviews)
    draw.text(
        (MARGIN, MARGIN // 2),
        f"{campaign.key}: {len(reviews)} masked photo{'s' if len(reviews) != 1 else ''}, "
        f"{covered} face{'s' if covered != 1 else ''} covered. Red: covered; grey: unmasked; "
        "blue: masks by hand. Any face without a red or blue box prints as it is.",
        fill=INK,
        font=small,
    )
    top = title_h
    for row, height in zip(rows, heights, strict=True):
        for i, tile in enumerate(row):
            sheet.paste(tile, (MARGIN + i * (column_w + MARGIN), top))
        top += height + MARGIN
    return sheet


def _tile(review: PhotoReview, image: Image.Image, font, small) -> Image.Image:
    scale = min(1.0, TILE_PX / max(image.size))
    shown = image.resize(
        (max(1, round(image.width * scale)), max(1, round(image.height * scale))),
        Image.Resampling.LANCZOS,
    )
    ruler = 34
    header = 34
    lines = [
        *(f"{f.number}  covered   [{', '.join(map(str, f.box))}]" for f in review.covered),
        *(f"{f.number}  unmasked  [{', '.join(map(str, f.box))}]" for f in review.unmasked),
        *(
            f"m{i}  by hand   [{', '.join(map(str, m))}]"
            for i, m in enumerate(review.masks, start=1)
        ),
    ]
    legend = 22 * max(1, len(lines)) + 10
    tile = Image.new(
        "RGB", (ruler + shown.width + 40, header + ruler + shown.height + legend), PAPER
    )
    tile.paste(shown, (ruler, header + ruler))
    draw = ImageDraw.Draw(tile)
    photo = review.photo
    draw.text(
        (0, 4),
        f"{photo.key}  ({photo.shown_as}, {image.width} × {image.height} px upright): "
        f"{len(review.covered)} covered",
        fill=INK,
        font=font,
    )
    _rulers(draw, image.size, scale, (ruler, header + ruler), small)
    origin = (ruler, header + ruler)
    for face in review.unmasked:
        _outline(draw, face.box, scale, origin, UNMASKED, str(face.number), small, width=2)
    for face in review.covered:
        _outline(draw, face.box, scale, origin, COVERED, str(face.number), font, width=3)
    for i, mask in enumerate(review.masks, start=1):
        _outline(draw, mask, scale, origin, BY_HAND, f"m{i}", font, width=3)
    y = header + ruler + shown.height + 6
    for line in lines or ["no face found: add `masks` for any face on this photo"]:
        colour = COVERED if " covered " in line else BY_HAND if " by hand " in line else UNMASKED
        draw.text((ruler, y), line, fill=colour if lines else INK, font=small)
        y += 22
    return tile


def _outline(draw, box, scale, origin, colour, label, font, width) -> None:
    x, y, w, h = (v * scale for v in box)
    left, top = origin[0] + x, origin[1] + y
    draw.rectangle((left, top, left + max(1, w), top + max(1, h)), outline=colour, width=width)
    # The number sits in a filled tab just above the block's top-left corner, so that it hides
    # nothing of a small face; below the corner when the block touches the photo's top.
    bounds = draw.textbbox((0, 0), label, font=font)
    tab = (bounds[2] - bounds[0] + 8, bounds[3] - bounds[1] + 8)
    tab_top = top - tab[1] if top - tab[1] >= origin[1] else top
    draw.rectangle((left, tab_top, left + tab[0], tab_top + tab[1]), fill=colour)
    draw.text((left + 4 - bounds[0], tab_top + 4 - bounds[1]), label, fill=PAPER, font=font)


def _rulers(draw, size, scale, origin, font) -> None:
    step = _nice_step(max(size) / 8)
    for axis in (0, 1):
        for value in range(0, size[axis] + 1, step):
            at = origin[axis] + value * scale
            if axis == 0:
                draw.line((at, origin[1] - 8, at, origin[1] - 1), fill=INK, width=1)
                draw.text((at + 2, origin[1] - 26), str(value), fill=INK, font=font)
            else:
                draw.line((origin[0] - 8, at, origin[0] - 1, at), fill=INK, width=1)
                draw.text((0, at + 2), str(value), fill=INK, font=font)


def _nice_step(rough: float) -> int:
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000):
        if step >= rough:
            return step
    return 10000


def _font(font_file: Path | None, size: int):
    if font_file is not None:
        try:
            return ImageFont.truetype(str(font_file), size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def sheet_path(out: Path, campaign: str) -> Path:
    return out / campaign / "faces.png"


def png_bytes(sheet: Image.Image) -> bytes:
    buffer = io.BytesIO()
    sheet.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@dataclass
class SheetResult:
    campaign: str
    path: Path
    photos: list[PhotoReview]


def write_review_sheets(
    root: Path, out: Path, campaign_dirs: list[Path] | None = None
) -> list[SheetResult]:
    """Write OUT/<campaign>/faces.png for each campaign (all under leaflets/ by default).

    Faces come from the build's cache (OUT/.cache/photos) when a build has looked at the photo
    already, so the sheet shows exactly the blocks the PDFs carry.
    """
    from .content import find_campaigns, load_campaign
    from .preview import label_font_file
    from .write import write_atomic

    folders = [d.resolve() for d in campaign_dirs] if campaign_dirs else find_campaigns(root)
    font_file = label_font_file(root)
    written = []
    for folder in folders:
        campaign = load_campaign(folder, root)
        reviews = review(campaign, out / ".cache" / "photos")
        path = sheet_path(out, campaign.key)
        write_atomic(path, png_bytes(review_sheet(campaign, reviews, font_file)), out)
        written.append(SheetResult(campaign.key, path, [r for r, _ in reviews]))
    return written

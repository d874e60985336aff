"""A face test set made on the spot from scikit-image's photographs: scenes with known faces, and
photographs without people, each with the ground truth a detector is measured against."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

Point = tuple[float, float]


@dataclass
class TrueFace:
    """A face as a polygon, the oval from brows to chin and cheek to cheek, in the scene's pixels."""

    polygon: list[Point]
    kind: str  # "main" or "background"


@dataclass
class Scene:
    name: str
    image: Image.Image
    faces: list[TrueFace] = field(default_factory=list)
    group: bool = False  # a group photo: the share it may lose to blocks is bounded


# Real faces: (photograph, region cut out around the head, the face inside that region).
# The face boxes were measured by eye on the photographs, not by any detector.
_HEADS = {
    "astronaut": ((120, 0, 340, 260), (55, 75, 97, 95)),
    "camera": ((130, 40, 300, 250), (50, 75, 75, 83)),
}
# Backgrounds without people.
EMPTY = ["coffee", "chelsea", "rocket", "horse", "motorcycle", "hubble_deep_field", "retina"]
EMPTY_GREY = ["brick", "grass", "gravel", "coins", "page"]


def photograph(name: str) -> Image.Image:
    from skimage import data

    if name == "motorcycle":
        return Image.fromarray(data.stereo_motorcycle()[0])
    image = Image.fromarray(getattr(data, name)())
    return _on_white(image) if image.mode == "RGBA" else image.convert("RGB")


def _on_white(image: Image.Image) -> Image.Image:
    white = Image.new("RGB", image.size, "white")
    white.paste(image, mask=image.getchannel("A"))
    return white


def _lfw_faces() -> np.ndarray:
    from skimage import data

    return data.lfw_subset()


class _Patches:
    """Cut-out real faces with a soft edge, and where the face lies inside each."""

    def __init__(self) -> None:
        self.lfw_crops = _lfw_faces()

    def head(self, name: str, face_width: float) -> tuple[Image.Image, tuple[float, ...]]:
        region, (fx, fy, fw, fh) = _HEADS[name]
        image = photograph(name).crop(region)
        scale = face_width / fw
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
        alpha = Image.new("L", size, 0)
        ImageDraw.Draw(alpha).ellipse((0, 0, size[0] - 1, size[1] - 1), fill=255)
        image.putalpha(alpha.filter(ImageFilter.GaussianBlur(max(1, size[0] / 30))))
        return image, (fx * scale, fy * scale, fw * scale, fh * scale)

    def lfw(self, index: int, face_width: float) -> tuple[Image.Image, tuple[float, ...]]:
        # The subset's crops are tight: the face fills about 76 % of the width.
        side = max(8, round(face_width / 0.76))
        grey = Image.fromarray((self.lfw_crops[index] * 255).astype(np.uint8))
        image = grey.resize((side, side), Image.Resampling.BICUBIC).convert("RGB")
        # Whole: a soft edge would eat the cheeks and chin, which the crop holds edge to edge.
        image.putalpha(255)
        return image, (0.12 * side, 0.12 * side, 0.76 * side, 0.83 * side)


def group_scene(seed: int, size: tuple[int, int] = (2000, 1500), **variant) -> Scene:
    """A group photo: 3-6 main faces (3.5-11 % of the long side wide), 2-4 small background
    faces (1.6-3 %), on one of the photographs without people, then turned, tilted or darkened."""
    rng = random.Random(seed)
    patches = _Patches()
    background = photograph(rng.choice(EMPTY))
    image = _cover(background, size, rng)
    long_side = max(size)
    scene = Scene(f"group-{seed}", image, group=True)
    taken: list[tuple[float, float, float, float]] = []
    tilt = variant.get("tilt", 0.0)
    # The LFW crops are 25 px: enlarged past ~3 times they blur beyond any real photo, so they
    # play people further back, and the sharp photographs play those in front.
    wanted = [(rng.choice(list(_HEADS)), "main", rng.uniform(0.06, 0.11)) for _ in range(3)]
    wanted += [("lfw", "main", rng.uniform(0.035, 0.05)) for _ in range(rng.randint(0, 3))]
    wanted += [
        (rng.choice(["lfw", "lfw", *_HEADS]), "background", rng.uniform(0.016, 0.03))
        for _ in range(rng.randint(2, 4))
    ]
    rng.shuffle(wanted)
    for i, (source, kind, share) in enumerate(wanted):
        face_width = share * long_side
        if source == "lfw":
            patch, face = patches.lfw(rng.randrange(100), face_width)
        else:
            patch, face = patches.head(source, face_width)
        angle = tilt * rng.choice([-1, 1]) if tilt else rng.uniform(-8, 8)
        edge = variant.get("edge") and i == 0 and kind == "main"
        placed = _place(scene, patch, face, angle, kind, taken, rng, edge=bool(edge))
        if placed:
            taken.append(placed)
    if variant.get("dark"):
        scene.image = _darken(scene.image, rng)
    turns = variant.get("turns", 0)
    if turns:
        scene = turned(scene, turns)
    suffix = "".join(f"-{k}{v if v is not True else ''}" for k, v in sorted(variant.items()))
    scene.name = f"group-{seed}{suffix}"
    return scene


def _cover(image: Image.Image, size: tuple[int, int], rng: random.Random) -> Image.Image:
    """The photograph enlarged to cover `size`, cut at a random place."""
    scale = max(size[0] / image.width, size[1] / image.height) * rng.uniform(1.0, 1.3)
    big = image.resize(
        (math.ceil(image.width * scale), math.ceil(image.height * scale)),
        Image.Resampling.BICUBIC,
    )
    left = rng.randint(0, big.width - size[0])
    top = rng.randint(0, big.height - size[1])
    return big.crop((left, top, left + size[0], top + size[1]))


def _place(
    scene: Scene,
    patch: Image.Image,
    face: tuple[float, ...],
    angle: float,
    kind: str,
    taken: list,
    rng: random.Random,
    edge: bool = False,
):
    rotated = patch.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    # Where the face's corners go when the patch turns about its centre (PIL turns counter-clockwise).
    cx, cy = patch.width / 2, patch.height / 2
    ncx, ncy = rotated.width / 2, rotated.height / 2
    corners = _oval(face)
    a = math.radians(angle)
    polygon = [
        (
            ncx + (x - cx) * math.cos(a) + (y - cy) * math.sin(a),
            ncy - (x - cx) * math.sin(a) + (y - cy) * math.cos(a),
        )
        for x, y in corners
    ]
    width, height = scene.image.size
    for _ in range(200):
        if edge:
            # The face is cut by the left or right edge: a third of it is outside the photo.
            face_left = min(p[0] for p in polygon)
            face_w = max(p[0] for p in polygon) - face_left
            left = round(-face_left - face_w / 3)
            if rng.random() < 0.5:
                left = round(width - face_left - face_w * 2 / 3)
        else:
            left = rng.randint(0, max(0, width - rotated.width))
        top = rng.randint(0, max(0, height - rotated.height))
        box = (left, top, left + rotated.width, top + rotated.height)
        if not any(_intersects(box, other) for other in taken):
            break
    else:
        return None
    scene.image.paste(rotated, (left, top), rotated)
    moved = [(x + left, y + top) for x, y in polygon]
    scene.faces.append(TrueFace(_clip(moved, scene.image.size), kind))
    return box


def _oval(box: tuple[float, ...], points: int = 24) -> list[Point]:
    """The oval a face fills inside its box (brows to chin, cheek to cheek)."""
    x, y, w, h = box
    return [
        (x + w / 2 + w / 2 * math.cos(t), y + h / 2 + h / 2 * math.sin(t))
        for t in (2 * math.pi * i / points for i in range(points))
    ]


def _clip(polygon: list[Point], size: tuple[int, int]) -> list[Point]:
    return [(min(max(x, 0), size[0]), min(max(y, 0), size[1])) for x, y in polygon]


def _intersects(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _darken(image: Image.Image, rng: random.Random) -> Image.Image:
    """A dark bar: a fifth of the light, a warm cast, sensor noise."""
    pixels = np.asarray(image).astype(np.float32) * np.array([0.24, 0.2, 0.16])
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 3.0, pixels.shape)
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))


def turned(scene: Scene, turns: int) -> Scene:
    """The scene turned by `turns` quarter turns counter-clockwise, as a camera held sideways or
    upside down stores it without an orientation tag."""
    image = scene.image
    faces = scene.faces
    for _ in range(turns % 4):
        width = image.width
        image = image.transpose(Image.Transpose.ROTATE_90)
        faces = [TrueFace([(y, width - x) for x, y in face.polygon], face.kind) for face in faces]
    return Scene(scene.name, image, faces, scene.group)


def real_photographs() -> list[Scene]:
    """scikit-image's two photographs of people, as they are (512 px)."""
    scenes = []
    for name, (region, (fx, fy, fw, fh)) in _HEADS.items():
        face = TrueFace(_oval((region[0] + fx, region[1] + fy, fw, fh)), "main")
        scenes.append(Scene(name, photograph(name), [face]))
    return scenes


def empty_photographs(size: int | None = None) -> list[Scene]:
    """Every photograph without people scikit-image ships, optionally with its long side `size`."""
    scenes = []
    for name in EMPTY + EMPTY_GREY:
        image = photograph(name).convert("RGB")
        if size:
            scale = size / max(image.size)
            image = image.resize(
                (round(image.width * scale), round(image.height * scale)),
                Image.Resampling.BICUBIC,
            )
        scenes.append(Scene(name, image))
    return scenes


# Measuring --------------------------------------------------------------------------------------


@dataclass
class Score:
    """What a detector's blocks did on scenes: per kind of face, fully / partly / not covered."""

    full: dict[str, int] = field(default_factory=lambda: {"main": 0, "background": 0})
    partly: dict[str, int] = field(default_factory=lambda: {"main": 0, "background": 0})
    missed: dict[str, int] = field(default_factory=lambda: {"main": 0, "background": 0})
    false_blocks: int = 0
    blocks_on_empty: int = 0
    group_covered: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def total(self, kind: str) -> int:
        return self.full[kind] + self.partly[kind] + self.missed[kind]

    def add(self, scene: Scene, blocks: list[tuple[int, int, int, int]]) -> None:
        width, height = scene.image.size
        covered = np.zeros((height, width), dtype=bool)
        for x, y, w, h in blocks:
            covered[y : y + h, x : x + w] = True
        for i, face in enumerate(scene.faces):
            inside = _polygon_mask(face.polygon, (width, height))
            if not inside[0].any():
                continue
            (x0, y0), area = inside[1], inside[0]
            hit = covered[y0 : y0 + area.shape[0], x0 : x0 + area.shape[1]][area]
            if hit.all():
                self.full[face.kind] += 1
            elif hit.any():
                self.partly[face.kind] += 1
                self.misses.append(f"{scene.name} face {i} ({face.kind}) partly")
            else:
                self.missed[face.kind] += 1
                self.misses.append(f"{scene.name} face {i} ({face.kind}) missed")
        for x, y, w, h in blocks:
            centre = (x + w / 2, y + h / 2)
            if not any(_holds(face.polygon, (x, y, w, h), centre) for face in scene.faces):
                self.false_blocks += 1
                if not scene.faces:
                    self.blocks_on_empty += 1
                self.misses.append(f"{scene.name} block {(x, y, w, h)} on no face")
        if scene.group:
            self.group_covered.append(covered.mean())


def _polygon_mask(polygon: list[Point], size: tuple[int, int]):
    xs = [p[0] for p in polygon]
    ys = [p[1] for p in polygon]
    x0, y0 = max(0, math.floor(min(xs))), max(0, math.floor(min(ys)))
    x1, y1 = min(size[0], math.ceil(max(xs))), min(size[1], math.ceil(max(ys)))
    mask = Image.new("1", (max(1, x1 - x0), max(1, y1 - y0)), 0)
    ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in polygon], fill=1)
    return np.asarray(mask, dtype=bool), (x0, y0)


def _holds(polygon: list[Point], block: tuple[int, ...], centre: Point) -> bool:
    # A block belongs to a face when it overlaps the face's box: padded blocks of a face reach
    # well beyond it, and a block beside every face is a false one.
    xs = [p[0] for p in polygon]
    ys = [p[1] for p in polygon]
    x, y, w, h = block
    return x < max(xs) and min(xs) < x + w and y < max(ys) and min(ys) < y + h

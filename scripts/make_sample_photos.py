"""Draw the four sample illustrations of the Shanyrak campaign into assets/shanyrak/."""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from PIL import Image, ImageChops, ImageDraw, ImageFilter

Color = tuple[int, int, int]
Point = tuple[float, float]
Stops = Sequence[tuple[float, Color]]
# What ImageDraw fills with: an RGB colour on the canvas, a 0-255 level on a mask.
Ink = Color | int

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "assets" / "shanyrak"
# ImageDraw has no anti-aliasing, so every scene is drawn this many times larger and
# scaled down at the end; that turns stair-stepped edges into smooth ones.
SS = 2
JPEG_QUALITY = 85
# The layouts print photos on A5; anything larger than this only bloats the PDF.
MAX_BYTES = 300_000


# --- colour and gradients -------------------------------------------------------------


def mix(a: Color, b: Color, t: float) -> Color:
    """The colour a fraction t of the way from a to b."""
    t = min(max(t, 0.0), 1.0)
    r, g, b_ = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return (r, g, b_)


def sample(stops: Stops, t: float) -> Color:
    """The colour at position t (0..1) of a gradient given as (position, colour) stops."""
    if t <= stops[0][0]:
        return stops[0][1]
    for (t0, c0), (t1, c1) in pairwise(stops):
        if t <= t1:
            u = (t - t0) / (t1 - t0) if t1 > t0 else 1.0
            # Smoothstep hides the kinks a plain linear blend shows at each stop.
            return mix(c0, c1, u * u * (3 - 2 * u))
    return stops[-1][1]


def gradient(size: tuple[int, int], stops: Stops) -> Image.Image:
    """An RGB image filled with a linear gradient from top to bottom."""
    w, h = size
    line = Image.new("RGB", (1, h))
    line.putdata([sample(stops, i / max(h - 1, 1)) for i in range(h)])
    return line.resize((w, h), Image.Resampling.NEAREST)


def soften(mask: Image.Image, radius: float) -> Image.Image:
    """Gaussian-blur a mask; wide blurs run on a quarter-size copy because they are slow."""
    if radius <= 0:
        return mask
    if radius < 12:
        return mask.filter(ImageFilter.GaussianBlur(radius))
    w, h = mask.size
    small = mask.resize((max(w // 4, 1), max(h // 4, 1)), Image.Resampling.BOX)
    small = small.filter(ImageFilter.GaussianBlur(radius / 4))
    return small.resize((w, h), Image.Resampling.BILINEAR)


def fractal(rng: random.Random, n: int, roughness: float) -> list[float]:
    """A 1-D midpoint-displacement profile of n + 1 values in roughly -1..1 (n a power of 2)."""
    values = [0.0] * (n + 1)
    step, scale = n, 1.0
    while step > 1:
        half = step // 2
        for i in range(half, n, step):
            values[i] = (values[i - half] + values[i + half]) / 2 + rng.uniform(-scale, scale)
        step, scale = half, scale * roughness
    return values


# --- drawing in final-image pixels on a supersampled canvas ----------------------------


class Pen:
    """ImageDraw that takes coordinates in final-image pixels and scales them by SS."""

    def __init__(self, image: Image.Image) -> None:
        self.d = ImageDraw.Draw(image)

    @staticmethod
    def _pts(points: Sequence[Point]) -> list[tuple[float, float]]:
        return [(x * SS, y * SS) for x, y in points]

    @staticmethod
    def _box(box: Sequence[float]) -> list[float]:
        x0, y0, x1, y1 = box
        return [x0 * SS, y0 * SS, x1 * SS, y1 * SS]

    def polygon(self, points: Sequence[Point], fill: Ink) -> None:
        self.d.polygon(self._pts(points), fill=fill)

    def rect(self, box: Sequence[float], fill: Ink) -> None:
        self.d.rectangle(self._box(box), fill=fill)

    def rounded(self, box: Sequence[float], radius: float, fill: Ink) -> None:
        self.d.rounded_rectangle(self._box(box), radius=radius * SS, fill=fill)

    def ellipse(self, box: Sequence[float], fill: Ink) -> None:
        self.d.ellipse(self._box(box), fill=fill)

    def circle(self, centre: Point, radius: float, fill: Ink) -> None:
        x, y = centre
        self.ellipse((x - radius, y - radius, x + radius, y + radius), fill)

    def line(self, points: Sequence[Point], fill: Ink, width: float) -> None:
        self.d.line(self._pts(points), fill=fill, width=max(1, round(width * SS)), joint="curve")


class Scene:
    """A supersampled canvas plus the seeded random source its details are drawn from."""

    def __init__(self, width: int, height: int, seed: int) -> None:
        self.width, self.height = width, height
        self.img = Image.new("RGB", (width * SS, height * SS))
        self.rng = random.Random(seed)

    def pen(self) -> Pen:
        return Pen(self.img)

    def mask(self) -> tuple[Image.Image, Pen]:
        m = Image.new("L", self.img.size, 0)
        return m, Pen(m)

    def paint(
        self,
        mask: Image.Image,
        paint: Color | Image.Image,
        blur: float = 0.0,
        opacity: float = 1.0,
    ) -> None:
        """Lay a colour or an image over the canvas through a mask, optionally soft and faint."""
        mask = soften(mask, blur * SS)
        if opacity < 1.0:
            mask = mask.point(lambda v: round(v * opacity))
        if isinstance(paint, Image.Image):
            self.img.paste(paint, (0, 0), mask)
        else:
            self.img.paste(paint, (0, 0, *self.img.size), mask)

    def fill(self, stops: Stops) -> None:
        """Cover the whole canvas with a top-to-bottom gradient, usually the sky."""
        self.img.paste(gradient(self.img.size, stops))

    def gradient(self, stops: Stops, box: Sequence[float] | None = None) -> Image.Image:
        """A canvas-sized vertical gradient whose stops span box (final pixels) only."""
        top, bottom = (0.0, float(self.height)) if box is None else (box[1], box[3])
        n = self.img.size[1]
        line = Image.new("RGB", (1, n))
        span = max(bottom - top, 1.0)
        line.putdata([sample(stops, (i / SS - top) / span) for i in range(n)])
        return line.resize(self.img.size, Image.Resampling.NEAREST)

    def glow(self, centre: Point, radii: Point, color: Color, strength: float) -> None:
        """A soft elliptical pool of light that fades out to nothing at its radii."""
        cx, cy = centre
        rx, ry = radii
        # Pillow's radial gradient reads 181 (128 * sqrt 2) at the middle of each edge, not
        # 255, so normalise by that or the square's edges show as a faint box in the sky.
        falloff = Image.radial_gradient("L").point(
            lambda v: round(255 * strength * max(0.0, 1 - v / 181) ** 2)
        )
        size = (max(round(2 * rx * SS), 1), max(round(2 * ry * SS), 1))
        mask = Image.new("L", self.img.size, 0)
        mask.paste(
            falloff.resize(size, Image.Resampling.BILINEAR),
            (round((cx - rx) * SS), round((cy - ry) * SS)),
        )
        self.paint(mask, color)

    def vignette(self, strength: float) -> None:
        """Darken the corners a little, as a real lens does, to hold the eye in the frame."""
        ring = Image.radial_gradient("L").resize(self.img.size, Image.Resampling.BILINEAR)
        ring = ring.point(lambda v: round(255 * strength * max(0.0, (v - 120) / 135) ** 1.6))
        self.paint(ring, (10, 8, 16))

    def save(self, stem: str) -> tuple[Path, Image.Image]:
        """Scale down to final size and write a plain JPEG (no EXIF) under OUT_DIR."""
        final = self.img.resize((self.width, self.height), Image.Resampling.LANCZOS)
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        path = OUT_DIR / f"{stem}.jpg"
        # Another Pillow or libjpeg may encode a few kB larger; step the quality down a
        # little rather than fail, and only give up if even that cannot meet the budget.
        for quality in (JPEG_QUALITY, JPEG_QUALITY - 3, JPEG_QUALITY - 5):
            final.save(path, "JPEG", quality=quality, optimize=True, progressive=True)
            if path.stat().st_size <= MAX_BYTES:
                return path, final
        raise SystemExit(f"{path}: {path.stat().st_size} bytes, over the {MAX_BYTES} byte budget")


def shifted(mask: Image.Image, dx: float, dy: float) -> Image.Image:
    """The mask moved by (dx, dy) final pixels, without wrapping round the edges."""
    out = Image.new("L", mask.size, 0)
    out.paste(mask, (round(dx * SS), round(dy * SS)))
    return out


# --- landscape pieces -------------------------------------------------------------------


def mountain_ridge(
    rng: random.Random,
    width: float,
    base: float,
    peaks: Sequence[tuple[float, float, float]],
    wall: float,
    jag: float,
) -> list[Point]:
    """A skyline: a long wall of rock of height wall, with pointed summits standing out of it.

    Each peak is (x, height, spread). Without the wall the valleys drop to the plain and
    the range looks like a row of teeth; the Alatau is one massif with summits along it.
    """
    n = 512
    noise = fractal(rng, n, 0.74)
    swell = fractal(rng, n, 0.5)
    points = []
    for i in range(n + 1):
        x = width * i / n
        h = max(ph * math.exp(-abs(x - px) / pw) for px, ph, pw in peaks)
        h = max(h, wall * (1 + 0.35 * swell[i]))
        points.append((x, base - h - noise[i] * jag * (0.4 + h / 500)))
    return points


def smoothed(values: Sequence[float], span: int) -> list[float]:
    """A moving average of values over span samples either side."""
    out = []
    for i in range(len(values)):
        window = values[max(0, i - span) : i + span + 1]
        out.append(sum(window) / len(window))
    return out


def draw_range(
    scene: Scene,
    ridge: list[Point],
    base: float,
    body: Stops,
    shadow: Color,
    snow: tuple[float, Color, Color] | None = None,
) -> None:
    """Fill a mountain range, shade the slopes that face away from the light, add snow.

    snow is (snowline y, sunlit colour, shaded colour); ground above the line is capped.
    """
    bottom = scene.height + 10
    mask, pen = scene.mask()
    pen.polygon([*ridge, (ridge[-1][0], bottom), (ridge[0][0], bottom)], 255)
    top = min(y for _, y in ridge)
    scene.paint(mask, scene.gradient(body, (0, top, 0, base)))

    ys = [y for _, y in ridge]
    broad = smoothed(ys, 8)
    # Slopes are judged on a much broader average, or every notch in the crest would cast
    # its own thin stripe down the mountainside.
    trend = smoothed(smoothed(ys, 24), 24)
    # The light comes from the right (in the dusk scene the sun has just set there), so
    # slopes that climb to the right face away from it. Each column under the crest is
    # shaded by how steeply it climbs, fading with depth, which splits every summit into
    # a lit and a shaded face.
    shade, spen = scene.mask()
    bands = 12
    depth = (base - top) * 0.8
    for i in range(len(ridge) - 1):
        (x0, _), (x1, _) = ridge[i], ridge[i + 1]
        climb = (trend[i] - trend[i + 1]) / (x1 - x0)
        strength = min(1.0, max(0.0, climb * 2.2))
        if strength <= 0.02:
            continue
        crest = min(ys[i], ys[i + 1]) - 4
        for b in range(bands):
            alpha = round(255 * strength * (1 - b / bands) ** 1.5)
            spen.rect(
                (x0, crest + depth * b / bands, x1 + 0.5, crest + depth * (b + 1) / bands), alpha
            )
    shade = ImageChops.multiply(soften(shade, 9 * SS), mask)
    scene.paint(shade, shadow, opacity=0.6)

    if snow is None:
        return
    line, lit, dim = snow
    jag = fractal(scene.rng, len(ridge) - 1, 0.85)
    lower = []
    for (x, y), m, j in zip(ridge, broad, jag, strict=True):
        cover = max(0.0, line - m)
        # The cap hangs further down below high ground, with a ragged edge of couloirs.
        edge = m + cover * 0.6 + j * min(cover, 60) * 0.9 if cover > 0 else y
        lower.append((x, max(y, edge)))
    snow_mask, npen = scene.mask()
    npen.polygon([*ridge, *reversed(lower)], 255)
    snow_mask = ImageChops.multiply(soften(snow_mask, 0.6 * SS), mask)
    scene.paint(snow_mask, lit)
    scene.paint(ImageChops.multiply(snow_mask, shade), dim, opacity=0.95)


def poplar(pen: Pen, x: float, base: float, height: float, color: Ink) -> None:
    """A Lombardy poplar, the tall narrow tree that lines every road around Almaty."""
    w = height * 0.075
    right, left = [], []
    for k in range(41):
        t = k / 40
        # A spindle, widest a third of the way up, with a ragged edge of leaf clumps.
        r = w * math.sin(math.pi * (1 - t) ** 0.75) * (0.85 + 0.15 * math.sin(t * 31 + x))
        y = base - height * (0.1 + 0.9 * t)
        right.append((x + r * (0.9 + 0.2 * math.sin(t * 47 + x)), y))
        left.append((x - r * (0.9 + 0.2 * math.cos(t * 43 + x)), y))
    pen.polygon([*right, *reversed(left)], color)
    pen.rect((x - height * 0.008, base - height * 0.12, x + height * 0.008, base), color)


def catenary(a: Point, b: Point, sag: float, steps: int = 24) -> list[Point]:
    """Points along a hanging wire from a to b that dips by sag in the middle."""
    return [
        (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t + sag * 4 * t * (1 - t))
        for t in (k / steps for k in range(steps + 1))
    ]


# --- houses -----------------------------------------------------------------------------


class HouseStyle(NamedTuple):
    """The colours of one self-built house."""

    wall: Color
    side: Color
    roof: Color
    verge: Color
    trim: Color

    def toward(self, air: Color, t: float) -> HouseStyle:
        """The same house further off: distance fades every colour toward that of the air."""
        return HouseStyle(*(mix(c, air, t) for c in self))


def house(
    scene: Scene,
    x: float,
    base: float,
    w: float,
    h: float,
    depth: float,
    style: HouseStyle,
    windows: Sequence[Color | None],
    glow: Pen | None = None,
    chimney: bool = False,
    door: bool = True,
) -> None:
    """A one-storey house with a gable roof, seen from a little to its right.

    windows lists, left to right, each window's light: a colour if lit, None if dark.
    Lit windows are also marked on glow, so their halo can be painted in one pass later.
    """
    pen = scene.pen()
    dx, dy = depth * 0.55, -depth * 0.32
    ridge_h = h * 0.55
    ov = w * 0.05
    eave = base - h

    shadow, spen = scene.mask()
    spen.ellipse((x - w * 0.1, base - h * 0.08, x + w + dx + w * 0.2, base + h * 0.12), 255)
    scene.paint(shadow, (15, 12, 20), blur=h * 0.08, opacity=0.45)

    pen.polygon(
        [(x + w, base), (x + w + dx, base + dy), (x + w + dx, eave + dy), (x + w, eave)], style.side
    )
    pen.rect((x, eave, x + w, base), style.wall)
    # A plinth strip: these houses stand on a poured base a little darker than the wall.
    pen.rect((x, base - h * 0.1, x + w, base), mix(style.wall, (0, 0, 0), 0.25))
    pen.polygon(
        [
            (x + w, base - h * 0.1),
            (x + w + dx, base + dy - h * 0.1),
            (x + w + dx, base + dy),
            (x + w, base),
        ],
        mix(style.side, (0, 0, 0), 0.25),
    )

    apex = (x + w + dx / 2, eave + dy / 2 - ridge_h)
    back = (x + dx / 2 - ov, apex[1])
    pen.polygon([(x + w, eave), (x + w + dx, eave + dy), apex], style.side)
    roof = [
        (x - ov, eave + ov * 0.2),
        (x + w + ov * 0.3, eave + ov * 0.2),
        (apex[0] + ov * 0.3, apex[1]),
        back,
    ]
    pen.polygon(roof, style.roof)
    # Corrugated sheeting: faint ribs running up the slope.
    ribs = max(6, round(w / 14))
    for k in range(1, ribs):
        t = k / ribs
        x0 = x - ov + (w + ov * 1.3) * t
        pen.line(
            [(x0, eave + ov * 0.2), (x0 + dx / 2 + ov * 0.3 * (1 - t), apex[1])],
            mix(style.roof, (0, 0, 0), 0.18),
            max(1.0, w / 220),
        )
    pen.line(
        [(x + w + ov * 0.3, eave + ov * 0.2), (apex[0] + ov * 0.3, apex[1])],
        style.verge,
        max(2.0, w / 70),
    )
    pen.line(
        [back, (apex[0] + ov * 0.3, apex[1])],
        mix(style.roof, (255, 255, 255), 0.25),
        max(1.5, w / 110),
    )

    if chimney:
        cx = x + w * 0.7
        ch_top = apex[1] - h * 0.15
        slope_y = eave + (apex[1] - eave) * 0.55
        pen.rect((cx, ch_top, cx + w * 0.06, slope_y), mix(style.wall, (0, 0, 0), 0.35))
        pen.rect(
            (cx - w * 0.01, ch_top - h * 0.03, cx + w * 0.07, ch_top),
            mix(style.wall, (0, 0, 0), 0.5),
        )

    slots = len(windows) + (1 if door else 0)
    gap = w / (slots + 1)
    door_at = slots // 2 if door else -1
    k = 0
    for slot in range(slots):
        cx = x + gap * (slot + 1)
        if slot == door_at:
            dw, dh = w * 0.11, h * 0.62
            door_color = mix(style.wall, (60, 40, 30), 0.6)
            pen.rect(
                (cx - dw / 2 - 3, base - h * 0.1 - dh - 3, cx + dw / 2 + 3, base - h * 0.1),
                style.trim,
            )
            pen.rect((cx - dw / 2, base - h * 0.1 - dh, cx + dw / 2, base - h * 0.1), door_color)
            continue
        light = windows[k]
        k += 1
        ww, wh = w * 0.13, h * 0.36
        top = eave + h * 0.22
        pen.rect((cx - ww / 2 - 4, top - 4, cx + ww / 2 + 4, top + wh + 4), style.trim)
        pane = light if light is not None else mix(style.wall, (20, 24, 40), 0.7)
        pen.rect((cx - ww / 2, top, cx + ww / 2, top + wh), pane)
        pen.line([(cx, top), (cx, top + wh)], style.trim, max(2.0, w / 120))
        pen.line(
            [(cx - ww / 2, top + wh * 0.35), (cx + ww / 2, top + wh * 0.35)],
            style.trim,
            max(2.0, w / 120),
        )
        if light is not None and glow is not None:
            glow.ellipse((cx - ww * 1.2, top - wh * 0.25, cx + ww * 1.2, top + wh * 1.6), 255)


def fence(
    pen: Pen, x0: float, x1: float, base: float, h: float, color: Color, rng: random.Random
) -> None:
    """A patchwork fence of corrugated sheets and planks of slightly different heights."""
    x = x0
    while x < x1:
        panel = rng.uniform(h * 0.6, h * 1.4)
        top = base - h * rng.uniform(0.85, 1.1)
        shade = mix(color, (0, 0, 0), rng.uniform(0.0, 0.3))
        pen.rect((x, top, min(x + panel, x1), base), shade)
        for rib in range(int(panel // 9)):
            rx = x + 4 + rib * 9
            if rx < x1:
                pen.line([(rx, top + 2), (rx, base)], mix(shade, (0, 0, 0), 0.2), 1.2)
        x += panel + rng.uniform(0, 3)


# --- people ----------------------------------------------------------------------------


class Figure:
    """The colours of one person; silhouettes use one colour for everything."""

    def __init__(
        self,
        coat: Ink,
        legs: Ink | None = None,
        head: Ink | None = None,
        hat: Ink | None = None,
        skin: Ink | None = None,
    ) -> None:
        self.coat = coat
        self.legs = coat if legs is None else legs
        self.head = coat if head is None else head
        self.hat = self.head if hat is None else hat
        self.skin = self.head if skin is None else skin


def person(
    pen: Pen,
    x: float,
    base: float,
    height: float,
    look: Figure,
    build: str = "man",
    hands: Sequence[Point] | None = None,
) -> None:
    """A standing person, front or back on, with no face: the campaign's people stay anonymous.

    build is "man", "capped" (a man in a flat cap), "woman" (headscarf, long skirt),
    "elder" (a kalpak, the Kazakh felt hat, and a stick) or "child". hands, if given, are
    where the left and right hands go (to hold a banner or raise a fist); otherwise the
    arms hang down.
    """
    h = height
    child = build == "child"
    head_r = h * (0.085 if child else 0.064)
    head_cy = base - h + head_r
    neck_y = head_cy + head_r * 0.95
    sh_y = neck_y + h * 0.035
    sw = h * (0.115 if child else 0.122 if build != "woman" else 0.112)
    hip_y = base - h * 0.47
    skirt = build == "woman"
    hem_y = base - h * (0.08 if skirt else 0.42 if child else 0.36)
    hem_w = h * (0.15 if skirt else 0.118)

    for side in (-1, 1):
        foot_x = x + side * h * 0.05
        pen.polygon(
            [
                (x + side * h * 0.006, hip_y),
                (x + side * h * 0.092, hip_y),
                (foot_x + side * h * 0.028, base - h * 0.025),
                (foot_x - side * h * 0.02, base - h * 0.025),
            ],
            look.legs,
        )
        pen.ellipse((foot_x - h * 0.038, base - h * 0.034, foot_x + h * 0.038, base), look.legs)

    # Sloping shoulders: a straight bar across reads as a coat hanger, not a person.
    r = h * 0.04
    body = [(x - h * 0.04, neck_y), (x + h * 0.04, neck_y)]
    for side in (1, -1):
        cx, cy = x + side * (sw - r), sh_y + r * 0.6
        arc = [
            (cx + side * r * math.sin(a), cy - r * math.cos(a))
            for a in (k * math.pi / 12 for k in range(7))
        ]
        if side < 0:
            arc.reverse()
        if side > 0:
            body += [(x + h * 0.06, sh_y - h * 0.012), *arc, (x + hem_w, hem_y)]
        else:
            body += [(x - hem_w, hem_y), *arc, (x - h * 0.06, sh_y - h * 0.012)]
    pen.polygon(body, look.coat)
    pen.rect((x - head_r * 0.42, head_cy, x + head_r * 0.42, neck_y + h * 0.01), look.head)

    arm_w = h * 0.048
    for k, side in enumerate((-1, 1)):
        shoulder = (x + side * (sw - r * 0.9), sh_y + r * 0.7)
        if hands is not None:
            hand = hands[k]
            elbow = (
                (shoulder[0] + hand[0]) / 2 + side * h * 0.05,
                (shoulder[1] + hand[1]) / 2 + h * 0.02,
            )
        else:
            hand = (x + side * (sw + h * 0.004), hip_y + h * 0.05)
            elbow = (x + side * (sw + h * 0.018), (sh_y + hip_y) / 2)
        pen.line([shoulder, elbow, hand], look.coat, arm_w)
        pen.circle(hand, arm_w * 0.4, look.skin)

    pen.ellipse(
        (x - head_r * 0.86, head_cy - head_r, x + head_r * 0.86, head_cy + head_r), look.head
    )
    top = head_cy - head_r
    if build == "capped":
        # A knitted cap hugging the head: anything with a brim or a flat top reads, in
        # silhouette, as a police cap, which is the last thing these pictures should show.
        pen.ellipse(
            (x - head_r * 0.94, top - head_r * 0.16, x + head_r * 0.94, top + head_r * 0.75),
            look.hat,
        )
    elif build == "woman":
        pen.polygon(
            [
                (x - head_r * 0.95, head_cy - head_r * 0.2),
                (x + head_r * 0.95, head_cy - head_r * 0.2),
                (x + head_r * 1.3, sh_y + h * 0.015),
                (x - head_r * 1.3, sh_y + h * 0.015),
            ],
            look.hat,
        )
        pen.ellipse(
            (x - head_r * 1.0, top - head_r * 0.1, x + head_r * 1.0, head_cy + head_r * 0.6),
            look.hat,
        )
    elif build == "elder":
        # A kalpak: a tall felt crown rounded to a point, over a brim turned up at the sides.
        crown = []
        for k in range(13):
            u = k / 12
            half = head_r * 0.9 * (1 - u**1.8)
            crown.append((x + half, top + head_r * 0.4 - u * head_r * 2.0))
        crown += [(2 * x - cx, cy) for cx, cy in reversed(crown)]
        pen.polygon(crown, look.hat)
        pen.polygon(
            [
                (x - head_r * 1.02, top + head_r * 0.6),
                (x - head_r * 1.08, top + head_r * 0.12),
                (x - head_r * 0.7, top + head_r * 0.24),
                (x + head_r * 0.7, top + head_r * 0.24),
                (x + head_r * 1.08, top + head_r * 0.12),
                (x + head_r * 1.02, top + head_r * 0.6),
            ],
            look.hat,
        )
        stick_x = x + sw + h * 0.02
        pen.line([(stick_x, hip_y + h * 0.04), (stick_x + h * 0.04, base)], look.legs, h * 0.014)


def silhouette_with_rim(
    scene: Scene, mask: Image.Image, dark: Color, rim: Color, offset: Point
) -> None:
    """Paint shapes dark, with a bright edge on the side facing a light behind them."""
    edge = ImageChops.subtract(mask, shifted(mask, *offset))
    scene.paint(mask, dark)
    scene.paint(edge, rim, blur=0.6)


# --- scene 1: houses at dusk -------------------------------------------------------------


def houses_at_dusk() -> Scene:
    """Self-built houses on the edge of the city at dusk, the Zailiysky Alatau behind."""
    s = Scene(2400, 1600, seed=2006)
    horizon = 1010
    s.fill(
        [
            (0.0, (22, 26, 62)),
            (0.22, (50, 46, 102)),
            (0.42, (118, 74, 128)),
            (0.55, (206, 108, 112)),
            (0.63, (244, 152, 102)),
            (0.68, (252, 196, 132)),
            (1.0, (252, 196, 132)),
        ]
    )
    # A few early stars high up where the sky is already dark.
    pen = s.pen()
    for _ in range(70):
        x, y = s.rng.uniform(0, s.width), s.rng.uniform(0, 380)
        r = s.rng.choice((1.0, 1.3, 1.8))
        pen.circle((x, y), r, mix((22, 26, 62), (255, 246, 220), 1 - y / 500))
    s.glow((1750, 930), (1100, 520), (255, 214, 150), 0.75)

    far_peaks = [
        (300, 520, 330),
        (820, 600, 290),
        (1180, 540, 250),
        (1620, 690, 330),
        (2150, 570, 300),
    ]
    far = mountain_ridge(s.rng, s.width, 960, far_peaks, 390, 70)
    draw_range(
        s,
        far,
        960,
        [(0.0, (150, 116, 170)), (0.6, (170, 124, 160)), (1.0, (214, 150, 140))],
        (70, 56, 112),
        snow=(600, (255, 228, 222), (170, 150, 198)),
    )
    s.glow((1600, 960), (1400, 160), (252, 190, 140), 0.55)

    near_peaks = [(200, 210, 380), (820, 160, 300), (1500, 230, 360), (2150, 190, 340)]
    near = mountain_ridge(s.rng, s.width, horizon, near_peaks, 90, 14)
    draw_range(s, near, horizon, [(0.0, (92, 70, 118)), (1.0, (128, 90, 124))], (60, 46, 92))

    plain_top = horizon - 10
    mask, mpen = s.mask()
    mpen.rect((0, plain_top, s.width, s.height), 255)
    s.paint(
        mask,
        s.gradient(
            [(0.0, (96, 70, 100)), (0.25, (58, 44, 70)), (1.0, (30, 24, 40))],
            (0, plain_top, 0, s.height),
        ),
    )

    glow, gpen = s.mask()
    styles = [
        HouseStyle((120, 96, 110), (92, 72, 94), (96, 120, 138), (60, 70, 90), (190, 190, 200)),
        HouseStyle((136, 106, 100), (104, 78, 84), (132, 78, 70), (80, 50, 50), (160, 190, 210)),
        HouseStyle((110, 100, 120), (84, 74, 98), (88, 112, 96), (50, 66, 60), (200, 190, 170)),
        HouseStyle((140, 118, 108), (106, 86, 90), (110, 104, 118), (70, 64, 80), (120, 160, 200)),
    ]
    warm = [(255, 206, 120), (255, 184, 96), (255, 224, 160)]

    # Three rows of houses, each further row smaller and hazier, give the plain its depth.
    p = s.pen()
    for x in (80, 560, 1240, 1650, 2120):
        poplar(p, x, 1080, s.rng.uniform(200, 280), (48, 38, 62))
    x = -40.0
    while x < s.width:
        w = s.rng.uniform(120, 170)
        st = s.rng.choice(styles)
        dim = st.toward((70, 56, 86), 0.55)
        lit = [s.rng.choice(warm) if s.rng.random() < 0.4 else None for _ in range(2)]
        house(s, x, 1085, w, w * 0.42, w * 0.5, dim, lit, gpen, door=False)
        x += w + s.rng.uniform(40, 120)

    p = s.pen()
    for x in (330, 1010, 1900):
        poplar(p, x, 1190, s.rng.uniform(330, 420), (38, 30, 50))
    x = -80.0
    while x < s.width:
        w = s.rng.uniform(230, 300)
        st = s.rng.choice(styles)
        mid = st.toward((60, 48, 76), 0.3)
        lit = [s.rng.choice(warm) if s.rng.random() < 0.6 else None for _ in range(2)]
        house(s, x, 1195, w, w * 0.4, w * 0.5, mid, lit, gpen, chimney=s.rng.random() < 0.5)
        x += w + s.rng.uniform(90, 200)
    fence(s.pen(), 0, s.width, 1215, 38, (52, 42, 60), s.rng)

    # Two big houses in front, so the eye lands on lit windows: people live here.
    house(s, 140, 1390, 560, 230, 300, styles[1], [warm[0], None, warm[2]], gpen, chimney=True)
    house(s, 1380, 1400, 620, 240, 320, styles[0], [warm[1], warm[0]], gpen, chimney=True)
    fence(s.pen(), 860, 1380, 1410, 120, (60, 48, 66), s.rng)
    fence(s.pen(), 2130, s.width, 1410, 110, (60, 48, 66), s.rng)
    s.paint(glow, (255, 190, 110), blur=26, opacity=0.55)

    # Smoke from the stoves, drifting right on the evening air.
    smoke, spen = s.mask()
    for cx, cy in ((140 + 560 * 0.72, 1080), (1380 + 620 * 0.72, 1080)):
        for k in range(7):
            spen.circle((cx + k * 26 + k * k * 3, cy - k * 34), 16 + k * 6, 255)
    s.paint(smoke, (200, 170, 190), blur=16, opacity=0.4)

    # Power line on leaning wooden poles: every self-built quarter wires itself up this way.
    p = s.pen()
    poles = [(60, 1460, 560), (980, 1420, 470), (1840, 1440, 520), (2460, 1470, 560)]
    tops = []
    for px, pb, ph in poles:
        lean = 10
        p.line([(px, pb), (px + lean, pb - ph)], (34, 26, 36), 12)
        p.line([(px + lean - 50, pb - ph + 30), (px + lean + 50, pb - ph + 26)], (34, 26, 36), 8)
        tops.append((px + lean, pb - ph + 28))
    for a, b in pairwise(tops):
        for off in (-44, 0, 44):
            p.line(catenary((a[0] + off, a[1]), (b[0] + off, b[1]), 60), (30, 24, 34), 2.5)

    # The dirt road in front, with a puddle that catches the last of the sky.
    road, rpen = s.mask()
    rpen.polygon([(0, 1470), (s.width, 1440), (s.width, s.height), (0, s.height)], 255)
    s.paint(road, s.gradient([(0.0, (74, 58, 74)), (1.0, (40, 32, 44))], (0, 1440, 0, s.height)))
    ruts, rp = s.mask()
    for y0 in (1520, 1575):
        rp.line([(0, y0), (s.width, y0 - 30)], 255, 10)
    s.paint(ruts, (28, 22, 32), blur=3, opacity=0.6)
    puddle, pp = s.mask()
    pp.ellipse((1000, 1522, 1330, 1566), 255)
    pp.ellipse((1250, 1530, 1500, 1572), 255)
    pp.ellipse((900, 1536, 1060, 1560), 255)
    sky_reflection = s.gradient([(0.0, (250, 186, 130)), (1.0, (150, 90, 130))], (0, 1520, 0, 1568))
    s.paint(puddle, sky_reflection, blur=1.5, opacity=0.85)
    # Tufts of dry grass along the verge.
    p = s.pen()
    for _ in range(160):
        gx = s.rng.uniform(0, s.width)
        gy = s.rng.uniform(1448, 1480) - gx * 0.012
        for _ in range(5):
            lean = s.rng.uniform(-14, 14)
            p.line([(gx, gy), (gx + lean, gy - s.rng.uniform(14, 34))], (52, 40, 50), 2.2)

    s.vignette(0.55)
    return s


# --- scene 2: the bulldozer ---------------------------------------------------------------


def bulldozer(scene: Scene, x: float, ground: float, length: float) -> None:
    """A crawler bulldozer in side view, facing right, its rear track end at x."""

    def at(u: float, v: float) -> Point:
        # Parts are laid out in fractions of the machine's length: u forward, v up.
        return (x + u * length, ground - v * length)

    def box(u0: float, v0: float, u1: float, v1: float) -> tuple[float, float, float, float]:
        (a, b), (c, d) = at(u0, v1), at(u1, v0)
        return (a, b, c, d)

    yellow, ochre, steel = (238, 176, 36), (176, 112, 20), (58, 56, 58)
    pen = scene.pen()

    shadow, spen = scene.mask()
    spen.ellipse((*at(-0.15, 0.03), *at(0.95, -0.05)), 255)
    scene.paint(shadow, (60, 48, 36), blur=18, opacity=0.55)

    # Ripper at the back: a frame and a single tooth.
    pen.polygon([at(0.03, 0.22), at(-0.1, 0.18), at(-0.1, 0.13), at(0.03, 0.12)], steel)
    pen.polygon(
        [at(-0.12, 0.2), at(-0.085, 0.2), at(-0.09, 0.02), at(-0.13, -0.005), at(-0.12, 0.05)],
        steel,
    )

    # Tracks: an outer belt of plates, the frame inside it, the sprocket and rollers.
    pen.rounded(box(0.0, 0.0, 0.72, 0.17), 0.085 * length, (40, 39, 42))
    pen.rounded(box(0.02, 0.02, 0.70, 0.15), 0.065 * length, (74, 71, 68))
    for u in (0.085, 0.635):
        pen.circle(at(u, 0.085), 0.062 * length, (52, 50, 50))
        pen.circle(at(u, 0.085), 0.04 * length, (96, 92, 86))
        pen.circle(at(u, 0.085), 0.014 * length, (40, 39, 42))
    for k in range(5):
        c = at(0.19 + k * 0.085, 0.045)
        pen.circle(c, 0.026 * length, (100, 96, 90))
        pen.circle(c, 0.01 * length, (50, 48, 48))
    for k in range(31):
        u = 0.06 + k * 0.02
        pen.line([at(u, 0.172), at(u, 0.15)], (24, 23, 26), 3)
        pen.line([at(u, 0.0), at(u, 0.022)], (24, 23, 26), 3)

    body, bpen = scene.mask()
    bpen.rect(box(0.005, 0.165, 0.735, 0.195), 255)
    bpen.polygon(
        [at(0.29, 0.36), at(0.665, 0.35), at(0.705, 0.325), at(0.705, 0.19), at(0.29, 0.19)], 255
    )
    bpen.rect(box(0.02, 0.19, 0.31, 0.32), 255)
    # The blade: curved like a bracket opening forwards, so earth rolls over in front of it.
    back, front = [], []
    for k in range(21):
        t_ = k / 20
        v = 0.36 - t_ * 0.345
        back.append(at(0.79 - 0.025 * math.sin(math.pi * t_), v))
        front.append(at(0.865 - 0.055 * math.sin(math.pi * t_), v))
    bpen.polygon([*back, *reversed(front)], 255)
    scene.paint(body, yellow)
    # Sunlight from above: the lower half of every yellow panel sinks into ochre.
    top_v, low_v = ground - 0.36 * length, ground
    scene.paint(
        body,
        scene.gradient([(0.0, yellow), (0.45, yellow), (1.0, ochre)], (0, top_v, 0, low_v)),
        opacity=0.9,
    )
    pen.line([at(0.29, 0.36), at(0.665, 0.35), at(0.705, 0.325)], (255, 222, 130), 4)
    pen.line([at(0.02, 0.318), at(0.31, 0.318)], (255, 222, 130), 4)
    pen.polygon([at(0.845, 0.04), at(0.866, 0.04), at(0.872, 0.0), at(0.838, 0.0)], steel)
    # The push arm runs outside the track from its middle to the foot of the blade.
    pen.polygon([at(0.3, 0.112), at(0.795, 0.085), at(0.795, 0.055), at(0.3, 0.082)], ochre)
    pen.circle(at(0.3, 0.097), 0.022 * length, (120, 76, 14))
    pen.line([at(0.6, 0.33), at(0.79, 0.245)], (62, 60, 62), 0.028 * length)
    pen.line([at(0.71, 0.283), at(0.79, 0.245)], (200, 204, 206), 0.013 * length)
    for k in range(6):
        v = 0.215 + k * 0.018
        pen.line([at(0.64, v), at(0.695, v)], (96, 62, 14), 3)
    pen.line([at(0.3, 0.19), at(0.7, 0.19)], ochre, 3)

    # Cab with a sky-coloured windscreen and a roof that overhangs.
    pen.polygon([at(0.05, 0.32), at(0.07, 0.6), at(0.33, 0.6), at(0.355, 0.32)], (52, 50, 52))
    glass, gpen = scene.mask()
    gpen.polygon([at(0.08, 0.335), at(0.092, 0.575), at(0.31, 0.575), at(0.335, 0.335)], 255)
    scene.paint(
        glass,
        scene.gradient(
            [(0.0, (176, 200, 214)), (1.0, (84, 100, 118))],
            (0, ground - 0.575 * length, 0, ground - 0.335 * length),
        ),
    )
    glint, lpen = scene.mask()
    lpen.polygon([at(0.14, 0.575), at(0.19, 0.575), at(0.12, 0.335), at(0.07, 0.335)], 255)
    scene.paint(ImageChops.multiply(glint, glass), (235, 242, 246), opacity=0.35)
    pen.rect(box(0.195, 0.335, 0.208, 0.575), (52, 50, 52))
    pen.rounded(box(0.035, 0.59, 0.375, 0.63), 0.01 * length, yellow)
    pen.line([at(0.035, 0.592), at(0.375, 0.592)], ochre, 4)

    pen.rect(box(0.628, 0.355, 0.648, 0.5), (46, 44, 46))
    pen.rect(box(0.622, 0.49, 0.654, 0.505), (46, 44, 46))
    smoke, mpen = scene.mask()
    for k in range(8):
        c = at(0.64 - k * 0.022, 0.53 + k * 0.03)
        mpen.circle(c, 0.012 * length + k * 0.007 * length, 255)
    scene.paint(smoke, (70, 66, 64), blur=10, opacity=0.5)


def rubble(scene: Scene, x: float, base: float, w: float) -> None:
    """What is left of a house after the bulldozer: a heap, a wall stump, a roof sheet."""
    pen = scene.pen()
    rng = scene.rng
    pen.polygon(
        [
            (x + w * 0.1, base - w * 0.62),
            (x + w * 0.1, base),
            (x + w * 0.34, base),
            (x + w * 0.3, base - w * 0.35),
            (x + w * 0.24, base - w * 0.4),
            (x + w * 0.2, base - w * 0.55),
        ],
        (206, 196, 176),
    )
    pen.rect((x + w * 0.14, base - w * 0.42, x + w * 0.22, base - w * 0.28), (84, 96, 112))
    pen.line([(x + w * 0.14, base - w * 0.42), (x + w * 0.22, base - w * 0.42)], (70, 120, 180), 4)
    heap = [(x, base)]
    for k in range(1, 24):
        u = k / 24
        heap.append(
            (x + w * u, base - w * 0.3 * math.sin(math.pi * u) ** 0.8 - rng.uniform(0, w * 0.04))
        )
    heap.append((x + w, base))
    pen.polygon(heap, (150, 132, 112))
    for _ in range(80):
        u = rng.random()
        cx = x + w * u
        cy = base - rng.uniform(0, w * 0.26 * math.sin(math.pi * u) ** 0.8)
        size = rng.uniform(w * 0.01, w * 0.035)
        color = rng.choice(
            [(176, 98, 72), (196, 188, 170), (120, 110, 100), (150, 84, 62), (214, 206, 190)]
        )
        angle = rng.uniform(0, math.pi)
        pen.polygon(
            [
                (cx + size * math.cos(angle + a), cy + size * 0.7 * math.sin(angle + a))
                for a in (0, 1.9, 3.3, 4.8)
            ],
            color,
        )
    pen.polygon(
        [
            (x + w * 0.45, base - w * 0.34),
            (x + w * 0.95, base - w * 0.2),
            (x + w * 0.93, base - w * 0.16),
            (x + w * 0.44, base - w * 0.3),
        ],
        (120, 140, 150),
    )
    for k in range(4):
        pen.line(
            [
                (x + w * (0.6 + k * 0.07), base - w * 0.27),
                (x + w * (0.64 + k * 0.07), base - w * 0.45),
            ],
            (70, 60, 56),
            3,
        )


def bulldozer_street() -> Scene:
    """A street of small houses, one already a heap of rubble, and a bulldozer coming on."""
    s = Scene(2400, 1600, seed=714)
    s.fill(
        [
            (0.0, (128, 158, 190)),
            (0.45, (180, 192, 200)),
            (0.62, (222, 212, 192)),
            (1.0, (222, 212, 192)),
        ]
    )
    s.glow((600, 300), (1200, 700), (255, 248, 228), 0.5)

    peaks = [(250, 330, 260), (900, 390, 280), (1500, 360, 240), (2100, 420, 300)]
    ridge = mountain_ridge(s.rng, s.width, 900, peaks, 250, 40)
    draw_range(
        s,
        ridge,
        900,
        [(0.0, (150, 164, 186)), (1.0, (196, 196, 196))],
        (120, 132, 160),
        snow=(640, (236, 240, 244), (186, 196, 214)),
    )
    mask, mpen = s.mask()
    mpen.rect((0, 880, s.width, s.height), 255)
    s.paint(mask, s.gradient([(0.0, (190, 182, 160)), (1.0, (168, 150, 118))], (0, 880, 0, 1100)))

    p = s.pen()
    for x in (140, 420, 760, 1180, 1520, 1860, 2260):
        poplar(p, x, 1010, s.rng.uniform(330, 430), (104, 118, 92))

    styles = [
        HouseStyle(
            (228, 220, 202), (186, 176, 160), (118, 138, 152), (84, 96, 108), (68, 118, 178)
        ),
        HouseStyle((214, 196, 168), (174, 156, 130), (150, 84, 62), (110, 60, 46), (240, 240, 236)),
        HouseStyle((226, 216, 196), (184, 172, 154), (108, 138, 106), (76, 96, 74), (70, 120, 176)),
        HouseStyle(
            (196, 178, 160), (160, 142, 126), (136, 136, 140), (96, 96, 100), (88, 138, 120)
        ),
    ]
    houses = [(-60, 330, 0), (380, 300, 1), (800, 340, 2), (1260, 310, 3)]
    for hx, w, k in houses:
        house(s, hx, 1060, w, w * 0.42, w * 0.5, styles[k], [None, None], chimney=k % 2 == 0)
        fence(s.pen(), hx + w + w * 0.27, hx + w + 130, 1070, 60, (150, 140, 126), s.rng)
    rubble(s, 1690, 1075, 420)
    house(s, 2200, 1060, 320, 320 * 0.42, 160, styles[1], [None, None])
    fence(s.pen(), 0, s.width, 1080, 34, (132, 120, 104), s.rng)

    # The dirt street, its ruts, stones and the dust the machine throws up.
    road, rpen = s.mask()
    rpen.rect((0, 1080, s.width, s.height), 255)
    s.paint(
        road, s.gradient([(0.0, (196, 176, 142)), (1.0, (150, 126, 96))], (0, 1080, 0, s.height))
    )
    ruts, upen = s.mask()
    for y0, y1 in ((1180, 1170), (1300, 1280), (1500, 1470)):
        upen.line([(0, y0), (s.width, y1)], 255, 16)
    s.paint(ruts, (122, 100, 74), blur=5, opacity=0.5)
    p = s.pen()
    for _ in range(260):
        sx, sy = s.rng.uniform(0, s.width), s.rng.uniform(1100, s.height)
        r = s.rng.uniform(2, 6) * (0.5 + (sy - 1100) / 500)
        p.ellipse(
            (sx - r, sy - r * 0.6, sx + r, sy + r * 0.6),
            s.rng.choice([(170, 150, 120), (126, 108, 86), (210, 196, 170)]),
        )

    dust, dpen = s.mask()
    for _ in range(40):
        cx = s.rng.uniform(-100, 1400)
        cy = s.rng.uniform(1200, 1460)
        r = s.rng.uniform(60, 170)
        dpen.ellipse((cx - r * 1.6, cy - r, cx + r * 1.6, cy + r), 255)
    s.paint(dust, (222, 206, 178), blur=40, opacity=0.55)

    bulldozer(s, 260, 1420, 1000)

    near_dust, npen = s.mask()
    for _ in range(14):
        cx = s.rng.uniform(850, 1250)
        cy = s.rng.uniform(1380, 1440)
        r = s.rng.uniform(30, 80)
        npen.ellipse((cx - r * 1.5, cy - r, cx + r * 1.5, cy + r), 255)
    s.paint(near_dust, (226, 212, 186), blur=24, opacity=0.6)

    # A woman and her son watch from their gate: whose house is next?
    p = s.pen()
    skin = (168, 120, 90)
    feet, fpen = s.mask()
    fpen.ellipse((1850, 1225, 2010, 1255), 255)
    fpen.ellipse((1985, 1238, 2095, 1262), 255)
    s.paint(feet, (90, 70, 50), blur=8, opacity=0.5)
    person(
        p,
        1930,
        1240,
        300,
        Figure((110, 60, 70), (60, 56, 64), (40, 32, 30), (188, 60, 58), skin),
        "woman",
    )
    person(
        p, 2040, 1250, 190, Figure((70, 100, 150), (50, 50, 60), (36, 30, 28), skin=skin), "child"
    )

    haze, hpen = s.mask()
    hpen.rect((0, 0, s.width, s.height), 255)
    s.paint(haze, s.gradient([(0.0, (230, 220, 200)), (1.0, (230, 220, 200))]), opacity=0.06)
    s.vignette(0.4)
    return s


# --- scene 3: the residents ---------------------------------------------------------------


def crowd_row(
    scene: Scene,
    count: int,
    x_range: Point,
    head_line: float,
    height: float,
    placards: float,
) -> tuple[Image.Image, Image.Image]:
    """Masks of one row of people whose heads sit near head_line, and of their placards.

    A fraction placards of them hold up a blank placard on a stick. Raised bare arms were
    tried, but at this size and in silhouette they read as truncheons.
    """
    mask, pen = scene.mask()
    boards, bpen = scene.mask()
    x0, x1 = x_range
    step = (x1 - x0) / count
    builds = ["man", "woman", "capped", "woman", "elder", "man", "woman", "capped", "child"]
    for k in range(count):
        h = height * scene.rng.uniform(0.9, 1.06)
        build = scene.rng.choice(builds)
        if build == "woman":
            h *= 0.94
        if build == "child":
            h *= 0.62
        x = x0 + step * (k + 0.5) + scene.rng.uniform(-step * 0.3, step * 0.3)
        base = head_line + h + scene.rng.uniform(-height * 0.03, height * 0.03)
        hands = None
        if scene.rng.random() < placards and build not in ("elder", "child"):
            side = scene.rng.choice((-1, 1))
            grip = (x + side * h * 0.15, base - h * 0.86)
            down = (x - side * h * 0.13, base - h * 0.42)
            hands = [grip, down] if side < 0 else [down, grip]
            stick_top = base - h * 1.22
            pen.line([(grip[0], grip[1] + h * 0.06), (grip[0], stick_top)], 255, h * 0.016)
            bw, bh = h * scene.rng.uniform(0.2, 0.28), h * scene.rng.uniform(0.15, 0.2)
            tilt = scene.rng.uniform(-0.08, 0.08) * bw
            bpen.polygon(
                [
                    (grip[0] - bw / 2, stick_top - bh + tilt),
                    (grip[0] + bw / 2, stick_top - bh - tilt),
                    (grip[0] + bw / 2, stick_top - tilt),
                    (grip[0] - bw / 2, stick_top + tilt),
                ],
                255,
            )
        person(pen, x, base, h, Figure(255), build, hands)
    return mask, boards


def residents() -> Scene:
    """Residents of Shanyrak, backlit by the evening sun, standing behind a blank banner."""
    s = Scene(1600, 2200, seed=1407)
    horizon = 1120
    s.fill(
        [
            (0.0, (64, 78, 128)),
            (0.2, (120, 110, 150)),
            (0.36, (214, 142, 132)),
            (0.46, (250, 186, 124)),
            (0.51, (255, 222, 160)),
            (0.52, (150, 100, 110)),
            (1.0, (40, 30, 40)),
        ]
    )
    s.glow((800, 1060), (1100, 900), (255, 226, 168), 0.8)

    # Long thin clouds catching the light from below.
    clouds, cpen = s.mask()
    for _ in range(9):
        cx = s.rng.uniform(-100, 1700)
        cy = s.rng.uniform(380, 900)
        w = s.rng.uniform(260, 620)
        cpen.ellipse((cx - w, cy - 14, cx + w, cy + 14), 255)
        cpen.ellipse((cx - w * 0.5, cy - 30, cx + w * 0.6, cy + 8), 255)
    s.paint(clouds, (255, 196, 160), blur=10, opacity=0.55)

    pen = s.pen()
    for bx, by, size in (
        (330, 520, 22),
        (380, 560, 16),
        (1180, 430, 18),
        (1230, 470, 14),
        (1270, 440, 12),
    ):
        pen.line(
            [(bx - size, by - size * 0.4), (bx, by), (bx + size, by - size * 0.45)], (70, 56, 80), 3
        )

    peaks = [(200, 180, 220), (700, 230, 200), (1250, 200, 240)]
    ridge = mountain_ridge(s.rng, s.width, horizon - 20, peaks, 120, 18)
    draw_range(
        s, ridge, horizon - 20, [(0.0, (196, 140, 150)), (1.0, (236, 178, 150))], (170, 120, 140)
    )
    s.glow((800, horizon), (700, 140), (255, 232, 180), 0.9)

    # The settlement on the skyline behind the crowd.
    roofs, rpen = s.mask()
    x = -30.0
    while x < s.width:
        w = s.rng.uniform(90, 160)
        hgt = s.rng.uniform(40, 60)
        rpen.rect((x, horizon - hgt, x + w, horizon + 20), 255)
        rpen.polygon(
            [(x - 8, horizon - hgt), (x + w / 2, horizon - hgt - 34), (x + w + 8, horizon - hgt)],
            255,
        )
        x += w + s.rng.uniform(10, 70)
    for px in (120, 520, 980, 1460):
        poplar(rpen, px, horizon, s.rng.uniform(200, 260), 255)
    s.paint(roofs, (168, 110, 118))
    ground, gpen = s.mask()
    gpen.rect((0, horizon + 10, s.width, s.height), 255)
    s.paint(
        ground,
        s.gradient(
            [(0.0, (120, 80, 92)), (0.25, (70, 50, 62)), (1.0, (34, 26, 34))],
            (0, horizon, 0, s.height),
        ),
    )

    # Placards glow like the banner: thin card with the low sun shining through it.
    back, back_boards = crowd_row(s, 24, (-60, 1660), horizon - 40, 300, 0.18)
    silhouette_with_rim(s, back, (118, 80, 98), (255, 210, 160), (0, 3))
    s.paint(back_boards, (236, 206, 178))
    middle, middle_boards = crowd_row(s, 14, (-80, 1680), horizon - 30, 440, 0.2)
    silhouette_with_rim(s, middle, (74, 52, 70), (255, 200, 140), (0, 4))
    s.paint(middle_boards, (244, 222, 196))

    # The front row holds the banner: poles at the two ends, hands along its top edge.
    front_h = 700
    top_edge = 1250
    holders, hpen = s.mask()
    xs = [190, 420, 640, 900, 1140, 1410]
    bases = []
    for k, x in enumerate(xs):
        h = front_h * (0.94 if k % 3 == 1 else 1.0)
        base = horizon - 30 + h
        bases.append(base)
        build = ["man", "woman", "capped", "elder", "woman", "man"][k]
        if k in (0, len(xs) - 1):
            # The pole sits at the holder's inner side, so it does not cross the head.
            pole = x + (h * 0.15 if k == 0 else -h * 0.15)
            hands = [(pole, top_edge - 30), (pole, top_edge + 110)]
        else:
            hands = [(x - h * 0.11, top_edge + 6), (x + h * 0.11, top_edge + 6)]
        person(hpen, x, base, h, Figure(255), build, hands)

    shadows, spen = s.mask()
    for x, base in zip(xs, bases, strict=True):
        spen.polygon(
            [
                (x - 46, base - 8),
                (x + 46, base - 8),
                (x + 260, s.height + 40),
                (x - 60, s.height + 40),
            ],
            255,
        )
    s.paint(shadows, (22, 16, 24), blur=14, opacity=0.6)
    silhouette_with_rim(s, holders, (38, 28, 40), (255, 206, 140), (0, 5))

    # The banner: left blank for the campaign's own words, glowing with the sun behind it.
    left, right = xs[0] + front_h * 0.15, xs[-1] - front_h * 0.15
    bottom_edge = 1590
    pts_top = catenary((left, top_edge), (right, top_edge), 22)
    pts_bottom = catenary((right, bottom_edge), (left, bottom_edge), 34)
    banner, bpen = s.mask()
    bpen.polygon([*pts_top, *pts_bottom], 255)
    cloth = s.gradient(
        [(0.0, (252, 242, 222)), (1.0, (232, 214, 188))], (0, top_edge, 0, bottom_edge)
    )
    s.paint(banner, cloth, opacity=0.96)
    folds, fpen = s.mask()
    for k in range(1, 9):
        fx = left + (right - left) * k / 9 + s.rng.uniform(-30, 30)
        fpen.polygon(
            [
                (fx - 10, top_edge + 10),
                (fx + 14, top_edge + 10),
                (fx + 40, bottom_edge + 20),
                (fx + 8, bottom_edge + 20),
            ],
            255,
        )
    s.paint(ImageChops.multiply(soften(folds, 10 * SS), banner), (176, 150, 130), opacity=0.5)
    s.paint(ImageChops.multiply(soften(holders, 6 * SS), banner), (120, 96, 96), opacity=0.18)
    pen = s.pen()
    for x in (left, right):
        pen.line([(x, top_edge - 110), (x, bottom_edge + 180)], (86, 58, 42), 14)
        pen.line([(x - 4, top_edge - 110), (x - 4, bottom_edge + 180)], (255, 196, 130), 3)
    for k, x in enumerate(xs[1:-1], start=1):
        h = front_h * (0.94 if k % 3 == 1 else 1.0)
        for side in (-1, 1):
            pen.circle((x + side * h * 0.11, top_edge + 6), h * 0.022, (46, 34, 44))

    s.vignette(0.5)
    return s


# --- scene 4: the photo display on the main street ---------------------------------------


def building(
    pen: Pen, x: float, base: float, w: float, h: float, wall: Color, rng: random.Random
) -> None:
    """A Soviet-era four- or five-storey block with a shop front on the ground floor."""
    pen.rect((x, base - h, x + w, base), wall)
    pen.rect((x - 6, base - h - 14, x + w + 6, base - h), mix(wall, (0, 0, 0), 0.25))
    floors = max(3, round(h / 140))
    storey = (h - 150) / floors
    cols = max(3, round(w / 120))
    pitch = w / cols
    glass_top, glass_low = (160, 186, 206), (96, 116, 140)
    for f in range(floors):
        y = base - h + 30 + f * storey
        for c in range(cols):
            wx = x + c * pitch + pitch * 0.24
            ww, wh = pitch * 0.52, storey * 0.56
            pen.rect((wx - 5, y - 5, wx + ww + 5, y + wh + 5), mix(wall, (255, 255, 255), 0.5))
            pen.rect((wx, y, wx + ww, y + wh), mix(glass_top, glass_low, rng.random() * 0.8))
            pen.line([(wx + ww / 2, y), (wx + ww / 2, y + wh)], mix(wall, (255, 255, 255), 0.5), 4)
            if f > 0 and rng.random() < 0.22:
                pen.rect(
                    (wx - 14, y + wh - 6, wx + ww + 14, y + wh + 34), mix(wall, (0, 0, 0), 0.18)
                )
    awning = rng.choice([(178, 58, 52), (46, 110, 120), (60, 96, 150), (196, 140, 40)])
    shop_top = base - 140
    pen.rect((x + 20, shop_top + 20, x + w - 20, base), (70, 84, 96))
    pen.polygon(
        [
            (x + 10, shop_top),
            (x + w - 10, shop_top),
            (x + w + 10, shop_top + 46),
            (x - 10, shop_top + 46),
        ],
        awning,
    )
    for k in range(int(w // 60)):
        sx = x + 10 + k * 60
        pen.polygon(
            [
                (sx, shop_top),
                (sx + 30, shop_top),
                (sx + 30, shop_top + 46),
                (sx + 14, shop_top + 46),
            ],
            mix(awning, (255, 255, 255), 0.25),
        )


def tree(pen: Pen, x: float, base: float, size: float, rng: random.Random) -> None:
    """A broad street tree: a trunk and a canopy of overlapping leaf clumps, lit from the left."""
    trunk = (84, 70, 58)
    pen.polygon(
        [
            (x - size * 0.04, base),
            (x + size * 0.04, base),
            (x + size * 0.025, base - size * 1.2),
            (x - size * 0.025, base - size * 1.2),
        ],
        trunk,
    )
    for side in (-1, 1):
        pen.line(
            [(x, base - size * 0.95), (x + side * size * 0.3, base - size * 1.3)],
            trunk,
            size * 0.03,
        )
    clumps = []
    for _ in range(46):
        a = rng.uniform(0, 2 * math.pi)
        d = rng.random() ** 0.6
        clumps.append(
            (
                x + math.cos(a) * d * size * 0.62,
                base - size * 1.45 + math.sin(a) * d * size * 0.36,
                size * rng.uniform(0.1, 0.17),
            )
        )
    # Three passes, each smaller and shifted up-left: shade, body, then sunlit tops.
    for color, shift, k in (
        ((52, 92, 54), 0.0, 1.0),
        ((86, 132, 70), -0.25, 0.78),
        ((136, 174, 92), -0.5, 0.45),
    ):
        for cx, cy, r in clumps:
            pen.circle((cx + shift * r, cy + shift * r), r * k, color)


def easel(scene: Scene, x: float, base: float, photo: Image.Image, board_w: float) -> None:
    """A wooden easel holding one framed photograph of the display, centred on x."""
    pen = scene.pen()
    ratio = photo.height / photo.width
    board_h = board_w * ratio
    ledge = base - 330
    top = ledge - board_h

    shadow, spen = scene.mask()
    spen.polygon(
        [(x - 120, base), (x + 120, base), (x + 420, base + 60), (x + 180, base + 70)], 255
    )
    scene.paint(shadow, (70, 64, 60), blur=14, opacity=0.45)

    wood, dark_wood = (168, 122, 76), (120, 84, 50)
    pen.line([(x + 10, top + 30), (x + 70, base - 14)], dark_wood, 11)
    pen.line([(x - 8, top - 30), (x - 150, base)], wood, 13)
    pen.line([(x + 8, top - 30), (x + 150, base)], wood, 13)
    pen.line([(x, top - 50), (x, top + 10)], wood, 12)

    frame = 16
    mat = board_w * 0.07
    drop, dpen = scene.mask()
    dpen.rect(
        (
            x - board_w / 2 - frame + 14,
            top - frame + 16,
            x + board_w / 2 + frame + 14,
            ledge + frame + 16,
        ),
        255,
    )
    scene.paint(drop, (40, 34, 30), blur=10, opacity=0.45)
    pen.rect(
        (x - board_w / 2 - frame, top - frame, x + board_w / 2 + frame, ledge + frame), (52, 40, 32)
    )
    pen.rect((x - board_w / 2, top, x + board_w / 2, ledge), (244, 242, 236))
    inner_w = round((board_w - 2 * mat) * SS)
    inner_h = round((board_h - 2 * mat) * SS)
    print_ = photo.resize((inner_w, inner_h), Image.Resampling.LANCZOS)
    scene.img.paste(print_, (round((x - board_w / 2 + mat) * SS), round((top + mat) * SS)))
    pen.rect(
        (
            x - board_w / 2 - frame - 12,
            ledge + frame,
            x + board_w / 2 + frame + 12,
            ledge + frame + 16,
        ),
        wood,
    )


def street_display(made: dict[str, Image.Image]) -> Scene:
    """The campaign's photo display on easels on Almaty's main street, with passers-by."""
    s = Scene(2400, 1600, seed=1991)
    s.fill([(0.0, (120, 168, 214)), (0.6, (196, 218, 232)), (1.0, (220, 230, 236))])
    s.glow((300, 80), (900, 600), (255, 250, 232), 0.6)

    pen = s.pen()
    x = -80.0
    for wall in (
        (232, 220, 196),
        (214, 180, 132),
        (226, 196, 186),
        (200, 208, 196),
        (236, 214, 170),
    ):
        w = s.rng.uniform(480, 620)
        building(pen, x, 1000, w, s.rng.uniform(680, 820), wall, s.rng)
        x += w + 10
    road, rpen = s.mask()
    rpen.rect((0, 990, s.width, 1010), 255)
    s.paint(road, (150, 146, 140))
    for tx in (150, 1180, 2230):
        tree(pen, tx + s.rng.uniform(-40, 40), 1010, s.rng.uniform(440, 520), s.rng)
    # A shallow depth of field: the street behind goes soft, as in a photo of the display.
    s.img = s.img.filter(ImageFilter.GaussianBlur(4.5 * SS))

    # Paving in perspective, converging on a vanishing point at eye level.
    vp = (1200.0, 880.0)
    paving, ppen = s.mask()
    ppen.rect((0, 1010, s.width, s.height), 255)
    s.paint(
        paving, s.gradient([(0.0, (206, 198, 184)), (1.0, (182, 172, 158))], (0, 1010, 0, s.height))
    )
    grout, gpen = s.mask()
    for k in range(-10, 24):
        bx = -1600 + k * 240
        gpen.line([vp, (bx, s.height + 600)], 255, 2)
    y = 1014.0
    gap = 12.0
    while y < s.height:
        gpen.line([(0, y), (s.width, y)], 255, 2 + (y - 1000) / 300)
        y += gap
        gap *= 1.2
    grout = ImageChops.multiply(grout, paving)
    # Soft, low-contrast joints: crisp ones would cost a third of the JPEG's byte budget.
    s.paint(grout, (150, 140, 126), blur=1.0, opacity=0.5)
    # Dappled shade from the trees overhead.
    dapple, dpen = s.mask()
    for _ in range(60):
        cx, cy = s.rng.uniform(-100, 2500), s.rng.uniform(1020, 1600)
        r = s.rng.uniform(30, 110) * (0.6 + (cy - 1000) / 600)
        dpen.ellipse((cx - r * 1.8, cy - r * 0.5, cx + r * 1.8, cy + r * 0.5), 255)
    s.paint(ImageChops.multiply(dapple, paving), (120, 112, 104), blur=10, opacity=0.35)

    def picture(stem: str) -> Image.Image:
        return made[stem] if stem in made else Image.open(OUT_DIR / f"{stem}.jpg").convert("RGB")

    dusk = picture("houses-at-dusk")
    dozer = picture("bulldozer")
    crowd = picture("residents")
    ruins = dozer.crop((dozer.width // 2, dozer.height // 4, dozer.width, dozer.height * 3 // 4))
    easel(s, 330, 1360, dusk, 440)
    easel(s, 900, 1330, crowd, 300)
    easel(s, 1470, 1330, dozer, 430)
    easel(s, 2040, 1360, ruins, 430)

    # Passers-by who have stopped to look and talk, seen from behind.
    people = [
        (610, 1500, 560, "man", (58, 70, 96), (44, 44, 52), (36, 30, 28)),
        (700, 1490, 520, "woman", (150, 72, 70), (70, 60, 66), (40, 32, 30)),
        (1180, 1470, 560, "elder", (92, 84, 70), (60, 56, 52), (200, 196, 186)),
        (1740, 1520, 360, "child", (230, 170, 50), (60, 70, 110), (40, 32, 28)),
        (1830, 1510, 540, "woman", (76, 110, 96), (60, 56, 64), (120, 60, 96)),
    ]
    shadows, spen = s.mask()
    for px, base, h, *_ in people:
        spen.polygon(
            [
                (px - h * 0.1, base),
                (px + h * 0.1, base),
                (px + h * 0.75, base + h * 0.12),
                (px + h * 0.45, base + h * 0.16),
            ],
            255,
        )
    s.paint(shadows, (80, 72, 66), blur=12, opacity=0.5)
    pen = s.pen()
    skin = (170, 124, 94)
    for px, base, h, build, coat, legs, hat in people:
        head = (40, 32, 30)
        person(pen, px, base, h, Figure(coat, legs, head, hat, skin), build)

    s.vignette(0.35)
    return s


SCENES = {
    "houses-at-dusk": houses_at_dusk,
    "bulldozer": bulldozer_street,
    "residents": residents,
}


def main() -> None:
    # Naming scenes on the command line redraws just those, which is handy while tuning one.
    wanted = sys.argv[1:] or [*SCENES, "street-display"]
    made: dict[str, Image.Image] = {}
    for stem in wanted:
        scene = street_display(made) if stem == "street-display" else SCENES[stem]()
        path, made[stem] = scene.save(stem)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1000} kB")


if __name__ == "__main__":
    main()

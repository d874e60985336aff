"""Find faces on an upright photo with CenterFace, one block per head, cached by the photo's content."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from .errors import PhotoError

Box = tuple[int, int, int, int]

# Detection runs on a copy whose long side is this many pixels, whatever the photo's size: a
# 500-px photo is enlarged (CenterFace misses faces under ~10 px) and a 12-megapixel one reduced
# (the network's time grows with its area). Measured on the photos: every main face and
# 5 of 6 background faces at both the original and a 2000-px size.
WORKING_SIDE_PX = 1280
# The network's output is a heat map at 1/4 of its input, whose sides must divide by 32.
STRIDE = 32
# Below this score, the photos gave blocks on hands and jackets; above it, lost faces.
THRESHOLD = 0.4
# CenterFace's box is tight around brows, eyes, nose and mouth: ears, hairline and chin, which
# identify as well, lie outside it. Measured on the photos to cover a whole head.
PAD_SIDE, PAD_ABOVE, PAD_BELOW = 0.30, 0.45, 0.30
# A profile's back of the head: scikit-image's cameraman (nose at the box's edge) needs 0.55.
PAD_TURNED = 0.8
# A second look at up to SECOND_LOOKS places that scored between DOUBT and THRESHOLD for a face
# under LOOK_MAX_PX wide at the working size: a LOOK_PX square in which the face is enlarged
# towards LOOK_FACE_PX wide (at most ZOOM times), upright, then turned by the head's tilt.
DOUBT, LOOK_MAX_PX, ZOOM, LOOK_PX, LOOK_FACE_PX, SECOND_LOOKS = 0.05, 96, 2.0, 192, 64, 8
# A look turns the place level by the tilt its eyes show, when it is at least this.
MIN_TILT_DEG = 12.0
# Looks per photo at most, upright and turned: each costs about a twentieth of the first.
MAX_LOOKS = 12
# What a second look must score: galaxies of scikit-image's Hubble deep field reach 0.44 there,
# 0.48 at 2000 px; faces 0.45 to 0.8, so a few small faces are lost to keep them bare.
SECOND_THRESHOLD = 0.5
# Two detections of one person overlap most of the smaller one; two neighbours, much less.
SAME_PERSON = 0.5
# A photo stored on its side or upside down without an orientation tag: the faces found on it
# have their eyes one above the other (or the mouth above them). Faces tilted that far are
# rare on an upright photo, and a wrong guess costs only time: the faces found stay covered.
TURNED_DEG = 35.0
DOUBT_DEG = 20.0
# On the probe, the best face of an upright group photo scored 0.56-0.9 (48 scenes of seeds
# 2000-2023), of one stored turned mostly under 0.5.
SURE_UPRIGHT = 0.6
PROBE_DOUBT = 0.2
# The orientation is decided on the photo reduced into a square this wide: the main faces are
# 13 px and up there, and it costs a tenth of the whole look.
PROBE_PX = 384
# In the cache key: a change of the detector or its settings detects every photo again.
DETECTOR_VERSION = (
    f"centerface-4|{DOUBT},{LOOK_MAX_PX},{ZOOM},{LOOK_PX},{LOOK_FACE_PX},{SECOND_LOOKS},"
    f"{MIN_TILT_DEG},{MAX_LOOKS},{SECOND_THRESHOLD}|{WORKING_SIDE_PX}|{THRESHOLD}|{TURNED_DEG},{DOUBT_DEG},{SURE_UPRIGHT},{PROBE_DOUBT},{PROBE_PX}|"
    f"{PAD_SIDE},{PAD_ABOVE},{PAD_BELOW},{PAD_TURNED}"
)


@dataclass(frozen=True)
class Face:
    """One person's block, in the upright photo's pixels, numbered in reading order from 1."""

    number: int
    box: Box
    score: float


def detect(image: Image.Image) -> list[Face]:
    """Every face on the (upright, RGB) image, one padded block per person, in reading order.

    Deterministic for a given image: the network runs on one thread, and boxes are rounded to
    whole pixels only at the end.
    """
    # An RGB photo is used as it is: a 12-megapixel copy costs more than the post-processing.
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    work = _working(rgb)
    quarter = _orientation(rgb, work)
    if quarter:
        # The photo lies on its side (or upside down) though its tag says it stands: the one
        # whole look is at it turned as its faces say.
        turned = rgb.transpose(_TRANSPOSE[quarter])
        found = [
            _turned_back(raw, quarter, rgb.size)
            for raw in _find(turned, work.transpose(_TRANSPOSE[quarter]))
        ]
    else:
        found = _find(rgb, work)
    merged = _merge(found)
    blocks = [(_pad(box, image.size, turn, q), score) for box, score, turn, q in merged]
    # Reading order, top row first: a review sheet's numbers then run as the eye does.
    blocks.sort(key=lambda b: (b[0][1] + b[0][3] / 2, b[0][0]))
    return [Face(i, box, round(score, 3)) for i, (box, score) in enumerate(blocks, start=1)]


def _working(image: Image.Image) -> Image.Image:
    """The image at the working size, its sides divisible by STRIDE (so turned a quarter, it is
    the working copy of the photo turned)."""
    scale = WORKING_SIDE_PX / max(image.size)
    width = max(STRIDE, round(image.width * scale / STRIDE) * STRIDE)
    height = max(STRIDE, round(image.height * scale / STRIDE) * STRIDE)
    # Reduced by whole pixels first (reducing_gap 1: a box filter, then bilinear the rest of the
    # way): a third of the time of bilinear all the way on a 12-megapixel photo, and the network
    # finds the same faces.
    return image.resize((width, height), Image.Resampling.BILINEAR, reducing_gap=1.0)


# A box (x0, y0, x1, y1) in the photo's pixels; its score; how far the nose sits from the box's
# middle, as a share of its width (about 0 for a face seen from the front, towards ±0.5 for a
# profile); and the quarter turns (counter-clockwise) of the frame it was found in, which says
# where the head's top lies.
RawBox = tuple[tuple[float, float, float, float], float, float, int]


@dataclass
class _Cells:
    """The heat-map cells of one run above DOUBT: boxes in the input's pixels, scores, the
    nose's offset and the eye line's angle in degrees (clockwise, 0 for a level face)."""

    boxes: Any
    scores: Any
    turns: Any
    rolls: Any


def _find(image: Image.Image, work: Image.Image) -> list[RawBox]:
    """The faces of the whole image, seen on its working copy `work`, and a second look at
    doubtful places."""
    import numpy as np

    scale = work.width / image.width
    cells = _infer(work)
    cells.boxes *= np.array([image.width / work.width, image.height / work.height] * 2)
    strong = cells.scores > THRESHOLD
    found = _raw(cells, strong, 0)
    widths = (cells.boxes[:, 2] - cells.boxes[:, 0]) * scale
    doubtful = ~strong & (widths <= LOOK_MAX_PX)
    return found + _second_look(image, found, cells, doubtful, scale)


def _raw(cells: _Cells, which, quarter: int) -> list[RawBox]:
    return [
        ((float(b[0]), float(b[1]), float(b[2]), float(b[3])), float(s), float(t), quarter)
        for b, s, t in zip(cells.boxes[which], cells.scores[which], cells.turns[which], strict=True)
    ]


def _second_look(
    image: Image.Image, found: list[RawBox], cells: _Cells, doubtful, scale: float
) -> list[RawBox]:
    """A face that scores low at the working size — small, tilted, cut by the edge — scores high
    when enlarged, turned upright or seen with the photo's edge a little further; gravel, shelves
    and galaxies do not. Each look is a LOOK_PX square, so one network serves them all."""
    import numpy as np

    order = np.flatnonzero(doubtful)
    # Strongest first (ties by position, so the cells' order never matters), each place once,
    # and not where a face is found already.
    order = order[np.lexsort((cells.boxes[order, 1], cells.boxes[order, 0], -cells.scores[order]))]
    places: list[tuple[tuple[float, ...], float]] = []
    for i in order:
        box = tuple(float(v) for v in cells.boxes[i])
        if any(_overlap(box, b) > 0 for b, *_ in found) or any(
            _overlap(box, p) > 0 for p, _ in places
        ):
            continue
        places.append((box, float(cells.rolls[i])))
        if len(places) == SECOND_LOOKS:
            break
    more: list[RawBox] = []
    looks = 0
    for place, roll in places:
        x0, y0, x1, y1 = place
        centre = ((x0 + x1) / 2, (y0 + y1) / 2)
        zoom = scale * min(ZOOM, max(1.0, LOOK_FACE_PX / ((x1 - x0) * scale)))
        # Upright first; then turned level by the tilt its eyes show. (Turned both ways where
        # they show none, gravel scored 0.6 as often as a tilted face.)
        tilts = [roll] if abs(roll) >= MIN_TILT_DEG else []
        for angle in [0.0, *tilts]:
            if looks == MAX_LOOKS:
                return more
            looks += 1
            # Only what lies on the place counts: the look is to confirm it, not to search.
            looked = [
                raw for raw in _look(image, centre, zoom, angle) if _overlap(raw[0], place) > 0
            ]
            if looked:
                more += looked
                break
    return more


def _look(
    image: Image.Image, centre: tuple[float, float], zoom: float, angle: float
) -> list[RawBox]:
    """The faces scoring SECOND_THRESHOLD in a LOOK_PX square around `centre`, the photo scaled
    by `zoom` and turned `angle` degrees counter-clockwise (beyond the photo's edge, grey), as
    boxes in the photo's pixels that hold the face however it is turned."""
    import math

    # The square turned holds its corners within `reach` of the centre.
    reach = LOOK_PX / 2 / zoom * (1.0 if angle == 0 else math.sqrt(2))
    cx, cy = centre
    region = (cx - reach, cy - reach, cx + reach, cy + reach)
    inside = (
        max(0.0, region[0]),
        max(0.0, region[1]),
        min(float(image.width), region[2]),
        min(float(image.height), region[3]),
    )
    side = round(2 * reach * zoom)
    canvas = Image.new("RGB", (side, side), (128, 128, 128))
    if inside[2] - inside[0] >= 1 and inside[3] - inside[1] >= 1:
        part = image.resize(
            (
                max(1, round((inside[2] - inside[0]) * zoom)),
                max(1, round((inside[3] - inside[1]) * zoom)),
            ),
            Image.Resampling.BILINEAR,
            box=inside,
            reducing_gap=1.0,
        )
        canvas.paste(
            part, (round((inside[0] - region[0]) * zoom), round((inside[1] - region[1]) * zoom))
        )
    if angle:
        canvas = canvas.rotate(angle, Image.Resampling.BILINEAR)
    margin = (side - LOOK_PX) // 2
    cells = _infer(canvas.crop((margin, margin, margin + LOOK_PX, margin + LOOK_PX)))
    keep = cells.scores >= SECOND_THRESHOLD
    if not keep.any():
        return []
    # Back from the look to the photo: the box's corners turned back about the square's centre.
    a = math.radians(angle)
    cos, sin = math.cos(a), math.sin(a)
    half = LOOK_PX / 2
    more: list[RawBox] = []
    for box, score, turn in zip(
        cells.boxes[keep], cells.scores[keep], cells.turns[keep], strict=True
    ):
        xs, ys = [], []
        for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
            dx, dy = x - half, y - half
            xs.append(cx + (dx * cos - dy * sin) / zoom)
            ys.append(cy + (dx * sin + dy * cos) / zoom)
        corners = (
            max(0.0, min(xs)),
            max(0.0, min(ys)),
            min(float(image.width), max(xs)),
            min(float(image.height), max(ys)),
        )
        if corners[2] > corners[0] and corners[3] > corners[1]:
            more.append((corners, float(score), float(turn), 0))
    return more


def _orientation(image: Image.Image, work: Image.Image) -> int:
    """0, or the quarter turns (counter-clockwise) that stand the image upright, decided on a
    PROBE_PX square before the one whole look (a tenth of its cost).

    The faces' eyes say so (a level face has its eye line at 0°, one on its side at ±90°), but
    not always which way round: the face found best, looked at turned each way, decides. When
    the probe finds no face, the square is asked again turned each way: a face found upside down
    is often not found at all.
    """
    import numpy as np

    probe, to_image = _probe(image, work)
    cells = _infer(probe)
    strong = cells.scores > THRESHOLD
    asked = strong if strong.any() else cells.scores >= PROBE_DOUBT
    lying = asked & (np.abs(cells.rolls) >= TURNED_DEG)
    level = asked & ~lying
    if lying.any() and (not strong.any() or cells.scores[lying].sum() > cells.scores[level].sum()):
        best = int(np.flatnonzero(lying)[np.argmax(cells.scores[lying])])
        return _vote(image, to_image(cells.boxes[best]))
    if strong.any():
        # A face on its side often shows its eye line at 10-35° only, but scores low: the best
        # face decides, when it is tilted or doubtful.
        best = int(np.argmax(cells.scores))
        if abs(cells.rolls[best]) >= DOUBT_DEG or cells.scores[best] < SURE_UPRIGHT:
            return _vote(image, to_image(cells.boxes[best]))
    if strong.any():
        return 0
    # Nothing found standing: the best face found level on the square turned, if any.
    candidates = []
    for quarter in (1, 2, 3):
        turned = _infer(probe.transpose(_TRANSPOSE[quarter]))
        level = (turned.scores > THRESHOLD) & (np.abs(turned.rolls) < TURNED_DEG)
        if level.any():
            best = int(np.flatnonzero(level)[np.argmax(turned.scores[level])])
            back = _turned_back((tuple(turned.boxes[best]), 0.0, 0.0, 0), quarter, probe.size)
            candidates.append((float(turned.scores[best]), -quarter, back[0]))
    if not candidates:
        return 0
    return _vote(image, to_image(max(candidates)[2]))


def _probe(image: Image.Image, work: Image.Image):
    """The working copy reduced into a grey PROBE_PX square (one network for every photo and
    every turn), and how a box on it maps to the image's pixels."""
    import numpy as np

    scale = PROBE_PX / max(work.size)
    width, height = max(1, round(work.width * scale)), max(1, round(work.height * scale))
    square = Image.new("RGB", (PROBE_PX, PROBE_PX), (128, 128, 128))
    left, top = (PROBE_PX - width) // 2, (PROBE_PX - height) // 2
    square.paste(work.resize((width, height), Image.Resampling.BILINEAR), (left, top))
    sx, sy = image.width / width, image.height / height

    def to_image(box) -> tuple[float, float, float, float]:
        b = np.asarray(box, dtype=np.float64)
        return (
            float((b[0] - left) * sx),
            float((b[1] - top) * sy),
            float((b[2] - left) * sx),
            float((b[3] - top) * sy),
        )

    return square, to_image


def _vote(image: Image.Image, box: tuple[float, float, float, float]) -> int:
    """The quarter turns in which the face at `box` scores best, looked at turned each way."""
    x0, y0, x1, y1 = box
    zoom = LOOK_PX / (2.5 * max(x1 - x0, y1 - y0, 1.0))
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    seen = {}
    for quarter in (0, 1, 2, 3):
        looked = _look(image, centre, zoom, 90.0 * quarter)
        seen[quarter] = max((score for _, score, *_ in looked), default=0.0)
    return max(seen, key=lambda q: (seen[q], -q))


_TRANSPOSE = {
    1: Image.Transpose.ROTATE_90,
    2: Image.Transpose.ROTATE_180,
    3: Image.Transpose.ROTATE_270,
}


def _turned_back(raw: RawBox, quarter: int, size: tuple[int, int]) -> RawBox:
    """A box found on the image turned `quarter` quarters counter-clockwise, on the image."""
    (u0, v0, u1, v1), score, turn, _ = raw
    width, height = size
    if quarter == 1:
        box = (width - v1, u0, width - v0, u1)
    elif quarter == 2:
        box = (width - u1, height - v1, width - u0, height - v0)
    else:
        box = (v0, height - u1, v1, height - u0)
    return (box, score, turn, quarter)


# Networks by input size, kept for the next photo of that size (a camera's photos share one):
# a network's first run at a size costs about a quarter more than the next, and its results
# are the same to the bit. Never fed another size: with OpenCV 4.14 a network that has run once
# gives thousands of garbage boxes for an input of another size.
_NETWORKS: OrderedDict[tuple[int, int], Any] = OrderedDict()
# A network holds its layers' buffers for its size: ~300 MB at the working size, ~40 MB for the
# orientation probe's, ~15 MB for a look's. Three are kept: one each.
NETWORKS_KEPT = 3


def _network(size: tuple[int, int]):
    import cv2
    import numpy as np

    from .facemodel import model_bytes

    net = _NETWORKS.pop(size, None)
    while len(_NETWORKS) >= NETWORKS_KEPT:
        _NETWORKS.popitem(last=False)  # let go before making another: one large at a time
    if net is None:
        net = cv2.dnn.readNetFromONNX(np.frombuffer(model_bytes(), dtype=np.uint8))
    _NETWORKS[size] = net
    return net


def release_networks() -> None:
    """Let go of the networks kept for the next photo (and their memory), once photos are done."""
    _NETWORKS.clear()


def _infer(work: Image.Image) -> _Cells:
    """The network on an RGB image whose sides divide by STRIDE: its cells above DOUBT."""
    import cv2
    import numpy as np

    width, height = work.size
    blob = np.ascontiguousarray(np.asarray(work, dtype=np.float32).transpose(2, 0, 1)[None])
    net = _network((width, height))
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)  # one core per photo, the same sums on every machine
    try:
        net.setInput(blob)
        heatmap, sizes, offsets, landmarks = net.forward(["537", "538", "539", "540"])
    except cv2.error as exc:
        raise PhotoError(f"the face model failed on a {width} × {height} image: {exc}") from None
    finally:
        cv2.setNumThreads(threads)
    heat = heatmap[0, 0]
    rows, cols = np.nonzero(heat > DOUBT)
    box_h = np.exp(sizes[0, 0, rows, cols].astype(np.float64)) * 4
    box_w = np.exp(sizes[0, 1, rows, cols].astype(np.float64)) * 4
    centre_y = (rows + offsets[0, 0, rows, cols].astype(np.float64) + 0.5) * 4
    centre_x = (cols + offsets[0, 1, rows, cols].astype(np.float64) + 0.5) * 4
    boxes = np.stack(
        [
            np.maximum(0.0, centre_x - box_w / 2),
            np.maximum(0.0, centre_y - box_h / 2),
            np.minimum(float(width), centre_x + box_w / 2),
            np.minimum(float(height), centre_y + box_h / 2),
        ],
        axis=1,
    )
    marks = landmarks[0, :, rows, cols].astype(np.float64)  # (y, x) of each landmark, as shares
    # The nose is CenterFace's third landmark; the eyes its first two.
    turns = marks[:, 5] - 0.5
    rolls = np.degrees(
        np.arctan2((marks[:, 2] - marks[:, 0]) * box_h, (marks[:, 3] - marks[:, 1]) * box_w)
    )
    return _Cells(boxes, heat[rows, cols].astype(np.float64), turns, rolls)


def _merge(boxes: list[RawBox]) -> list[RawBox]:
    """One box per person: the strongest box takes every box that overlaps most of the smaller
    of it and them, growing to their union, until none is left.

    Neighbouring heat-map cells each report the same face; unlike suppression, which keeps the
    best box and drops the rest, the union keeps what any of them saw of the head.
    """
    import numpy as np

    if not boxes:
        return []
    # Strongest first; ties by position, so the order of the cells never matters.
    ordered = sorted(boxes, key=lambda b: (-b[1], b[0]))
    coords = np.array([b[0] for b in ordered], dtype=np.float64)
    areas = (coords[:, 2] - coords[:, 0]) * (coords[:, 3] - coords[:, 1])
    left = np.ones(len(ordered), dtype=bool)
    merged: list[RawBox] = []
    for i in range(len(ordered)):
        if not left[i]:
            continue
        left[i] = False
        union = coords[i].copy()
        while True:
            joins = left & (_overlaps(union, coords, areas) >= SAME_PERSON)
            if not joins.any():
                break
            left &= ~joins
            taken = coords[joins]
            union = np.array(
                [
                    min(union[0], taken[:, 0].min()),
                    min(union[1], taken[:, 1].min()),
                    max(union[2], taken[:, 2].max()),
                    max(union[3], taken[:, 3].max()),
                ]
            )
        box = (float(union[0]), float(union[1]), float(union[2]), float(union[3]))
        merged.append((box, *ordered[i][1:]))
    # Two unions that grew into each other are one person too.
    for i in range(len(merged) - 1, 0, -1):
        for j in range(i):
            if _overlap(merged[i][0], merged[j][0]) >= SAME_PERSON:
                a, b = merged[j][0], merged[i][0]
                union = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                merged[j] = (union, *merged[j][1:])
                del merged[i]
                break
    return merged


def _overlaps(box, coords, areas):
    """The intersection of `box` with each of `coords`, as a share of the smaller of the two."""
    import numpy as np

    width = np.minimum(box[2], coords[:, 2]) - np.maximum(box[0], coords[:, 0])
    height = np.minimum(box[3], coords[:, 3]) - np.maximum(box[1], coords[:, 1])
    smaller = np.minimum((box[2] - box[0]) * (box[3] - box[1]), areas)
    inter = np.clip(width, 0, None) * np.clip(height, 0, None)
    return np.divide(inter, smaller, out=np.zeros_like(inter), where=smaller > 0)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """The intersection as a share of the smaller box."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / smaller if smaller > 0 else 0.0


def _pad(
    box: tuple[float, float, float, float],
    size: tuple[int, int],
    turn: float = 0.0,
    quarter: int = 0,
) -> Box:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if quarter % 2:
        w, h = h, w  # the face's own width and height, in the frame it stood upright in
    # A face in profile has its box on the features: the ear and the back of the head lie
    # beyond the side away from the nose, the further the more the face is turned.
    back = PAD_SIDE + PAD_TURNED * max(0.0, abs(turn) - 0.1)
    # Left, top, right, bottom as the face stands, as shares of its width and height...
    pads = [
        (back if turn > 0 else PAD_SIDE) * w,
        PAD_ABOVE * h,
        (back if turn < 0 else PAD_SIDE) * w,
        PAD_BELOW * h,
    ]
    # ...then as the photo stands: a frame turned a quarter counter-clockwise had its top on
    # the photo's right.
    for _ in range(quarter % 4):
        pads = [pads[3], pads[0], pads[1], pads[2]]
    left = max(0, int(x0 - pads[0]))
    top = max(0, int(y0 - pads[1]))
    right = min(size[0], -int(-(x1 + pads[2]) // 1))
    bottom = min(size[1], -int(-(y1 + pads[3]) // 1))
    return (left, top, right - left, bottom - top)


# Once per photo content ----------------------------------------------------------------------------


def content_digest(data: bytes) -> str:
    """The key faces are kept under: the photo's bytes and the detector, nothing of the campaign."""
    return hashlib.sha256(data + f"|faces|{DETECTOR_VERSION}".encode()).hexdigest()[:32]


def faces_of(data: bytes, upright: Image.Image, cache_dir: Path | None) -> list[Face]:
    """The faces of a photo given as its file's bytes and its upright pixels, detected once per
    content: masking and `leafpress check` ask for the same photo, and so does the next build."""
    cached = _cache_file(data, cache_dir)
    if cached is not None:
        known = read_cached(cached)
        if known is not None:
            return known
    found = detect(upright)
    if cached is not None:
        from .write import write_atomic

        record = [{"number": f.number, "box": list(f.box), "score": f.score} for f in found]
        write_atomic(cached, json.dumps(record).encode())
    return found


def cached_faces(data: bytes, cache_dir: Path | None) -> list[Face] | None:
    """The faces kept for this content, or None when they were never detected."""
    cached = _cache_file(data, cache_dir)
    return read_cached(cached) if cached is not None else None


def _cache_file(data: bytes, cache_dir: Path | None) -> Path | None:
    return cache_dir / f"{content_digest(data)}.faces.json" if cache_dir is not None else None


def read_cached(path: Path) -> list[Face] | None:
    if not path.is_file():
        return None
    try:
        return [
            Face(int(r["number"]), tuple(int(v) for v in r["box"]), float(r["score"]))  # type: ignore[arg-type]
            for r in json.loads(path.read_text("utf-8"))
        ]
    except (ValueError, KeyError, TypeError):
        return None  # a damaged record: detect again


# What a person said about them ----------------------------------------------------------------------


def kept_faces(faces: list[Face], unmask: tuple) -> list[Face]:
    """The faces left covered after `unmask`: an entry is a block's number (as the review sheet
    shows it) or [x, y, w, h] in upright pixels, which frees every block whose centre it holds."""
    numbers = {u for u in unmask if isinstance(u, int)}
    areas = [u for u in unmask if not isinstance(u, int)]
    return [
        face
        for face in faces
        if face.number not in numbers and not any(_centre_in(face.box, area) for area in areas)
    ]


def _centre_in(box: Box, area: tuple[int, int, int, int]) -> bool:
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    return area[0] <= cx < area[0] + area[2] and area[1] <= cy < area[1] + area[3]


def faces_covered(faces: int, unmasked: int = 0, by_hand: int = 0) -> str:
    """'3 faces covered, 1 block unmasked, 2 areas masked by hand', for check and build."""
    text = f"{faces} face{'s' if faces != 1 else ''} covered"
    if unmasked:
        text += f", {unmasked} block{'s' if unmasked != 1 else ''} unmasked"
    if by_hand:
        text += f", {by_hand} area{'s' if by_hand != 1 else ''} masked by hand"
    return text

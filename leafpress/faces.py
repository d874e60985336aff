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
# A second look, ZOOM times closer, at up to SECOND_LOOKS places that scored between DOUBT and
# THRESHOLD for a face under SMALL_PX wide at the working size, in a LOOK_PX square.
DOUBT, SMALL_PX, ZOOM, LOOK_PX, SECOND_LOOKS = 0.1, 40, 2.0, 256, 8
# What a second look must score: galaxies of scikit-image's Hubble deep field reach 0.44 there,
# 0.48 at 2000 px; faces 0.45 to 0.8, so a few small faces are lost to keep them bare.
SECOND_THRESHOLD = 0.5
# Two detections of one person overlap most of the smaller one; two neighbours, much less.
SAME_PERSON = 0.5
# In the cache key: a change of the detector or its settings detects every photo again.
DETECTOR_VERSION = f"centerface-2|{DOUBT},{SMALL_PX},{ZOOM},{LOOK_PX},{SECOND_LOOKS},{SECOND_THRESHOLD}|{WORKING_SIDE_PX}|{THRESHOLD}|{PAD_SIDE},{PAD_ABOVE},{PAD_BELOW},{PAD_TURNED}"


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
    merged = _merge(_network_boxes(rgb))
    blocks = [(_pad(box, image.size, turn), score) for box, score, turn in merged]
    # Reading order, top row first: a review sheet's numbers then run as the eye does.
    blocks.sort(key=lambda b: (b[0][1] + b[0][3] / 2, b[0][0]))
    return [Face(i, box, round(score, 3)) for i, (box, score) in enumerate(blocks, start=1)]


# A box (x0, y0, x1, y1), its score, and how far the nose sits from the box's middle, as a share
# of its width: about 0 for a face seen from the front, towards ±0.5 for a profile.
RawBox = tuple[tuple[float, float, float, float], float, float]


def _network_boxes(image: Image.Image) -> list[RawBox]:
    """CenterFace boxes (x0, y0, x1, y1) in the image's pixels with their scores: the whole
    photo at the working size, then a closer look at each doubtful small face."""
    scale = WORKING_SIDE_PX / max(image.size)
    found, doubtful = _run(image, (0, 0, image.width, image.height), scale, small=SMALL_PX)
    return found + _second_look(image, found, doubtful, scale)


def _second_look(
    image: Image.Image, found: list[RawBox], doubtful: list[RawBox], scale: float
) -> list[RawBox]:
    """Faces under ~30 px at the working size score low; the same place at ZOOM times the
    resolution tells a face (which then scores high) from gravel or a pattern (which does not).
    Each look is a small, fixed-size input, so one network serves them all."""
    # Strongest first, each place once, and not where a face is found already.
    places: list[tuple[float, float, float, float]] = []
    for box, *_ in sorted(doubtful, key=lambda b: -b[1]):
        if any(_overlap(box, b) > 0 for b, *_ in found):
            continue
        if not any(_overlap(box, p) > 0 for p in places):
            places.append(box)
        if len(places) == SECOND_LOOKS:
            break
    zoom = scale * ZOOM
    side = LOOK_PX / zoom  # the region looked at, in the photo's pixels
    more: list[RawBox] = []
    for x0, y0, x1, y1 in places:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        left = min(max(0.0, cx - side / 2), max(0.0, image.width - side))
        top = min(max(0.0, cy - side / 2), max(0.0, image.height - side))
        region = (left, top, min(image.width, left + side), min(image.height, top + side))
        boxes, _ = _run(image, region, zoom, size=(LOOK_PX, LOOK_PX))
        more += [box for box in boxes if box[1] >= SECOND_THRESHOLD]
    return more


# Networks by input size, kept for the next photo of that size (a camera's photos share one):
# a network's first run at a size costs a fifth more than the next, and its results are the
# same to the bit. Never fed another size: with OpenCV 4.14 a network that has run once gives
# thousands of garbage boxes for an input of another size.
_NETWORKS: OrderedDict[tuple[int, int], Any] = OrderedDict()
# A network holds its layers' buffers for its size: ~100 MB at the working size.
NETWORKS_KEPT = 2


def _network(size: tuple[int, int]):
    import cv2
    import numpy as np

    from .facemodel import model_bytes

    net = _NETWORKS.pop(size, None)
    if net is None:
        net = cv2.dnn.readNetFromONNX(np.frombuffer(model_bytes(), dtype=np.uint8))
    _NETWORKS[size] = net
    while len(_NETWORKS) > NETWORKS_KEPT:
        _NETWORKS.popitem(last=False)
    return net


def _run(
    image: Image.Image,
    region: tuple[float, float, float, float],
    scale: float,
    size: tuple[int, int] | None = None,
    small: float = 0.0,
) -> tuple[list[RawBox], list[RawBox]]:
    """The network on `region` of the image scaled by `scale` (or stretched to `size`): the boxes
    above THRESHOLD, and those between DOUBT and it no wider than `small` at that scale."""
    import cv2
    import numpy as np

    left, top, right, bottom = region
    if size is None:
        width = max(STRIDE, round((right - left) * scale / STRIDE) * STRIDE)
        height = max(STRIDE, round((bottom - top) * scale / STRIDE) * STRIDE)
    else:
        width, height = size
    # Reduced by whole pixels first (reducing_gap 1: a box filter, then bilinear the rest of the
    # way): a third of the time of bilinear all the way on a 12-megapixel photo, and the network
    # finds the same faces.
    work = image.resize((width, height), Image.Resampling.BILINEAR, box=region, reducing_gap=1.0)
    blob = np.asarray(work, dtype=np.float32).transpose(2, 0, 1)[None]
    net = _network((width, height))
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)  # one core per photo, the same sums on every machine
    try:
        net.setInput(np.ascontiguousarray(blob))
        heatmap, sizes, offsets, landmarks = net.forward(["537", "538", "539", "540"])
    except cv2.error as exc:
        raise PhotoError(f"the face model failed on a {width} × {height} image: {exc}") from None
    finally:
        cv2.setNumThreads(threads)
    heat = heatmap[0, 0]
    rows, cols = np.nonzero(heat > DOUBT)
    scores = heat[rows, cols].astype(np.float64)
    box_h = np.exp(sizes[0, 0, rows, cols].astype(np.float64)) * 4
    box_w = np.exp(sizes[0, 1, rows, cols].astype(np.float64)) * 4
    # Cells that matter: faces, and doubtful places small enough for a second look.
    keep = (scores > THRESHOLD) | (box_w <= small)
    rows, cols, scores, box_h, box_w = (
        rows[keep],
        cols[keep],
        scores[keep],
        box_h[keep],
        box_w[keep],
    )
    centre_y = (rows + offsets[0, 0, rows, cols] + 0.5) * 4
    centre_x = (cols + offsets[0, 1, rows, cols] + 0.5) * 4
    # The nose is CenterFace's third landmark, its x given as a share of the box's width.
    turn = landmarks[0, 5, rows, cols].astype(np.float64) - 0.5
    sx, sy = (right - left) / width, (bottom - top) / height
    x0 = left + np.maximum(0.0, centre_x - box_w / 2) * sx
    y0 = top + np.maximum(0.0, centre_y - box_h / 2) * sy
    x1 = left + np.minimum(float(width), centre_x + box_w / 2) * sx
    y1 = top + np.minimum(float(height), centre_y + box_h / 2) * sy
    found: list[RawBox] = []
    doubtful: list[RawBox] = []
    for i in range(len(scores)):
        box = (float(x0[i]), float(y0[i]), float(x1[i]), float(y1[i]))
        raw = (box, float(scores[i]), float(turn[i]))
        (found if scores[i] > THRESHOLD else doubtful).append(raw)
    return found, doubtful


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
        merged.append((box, ordered[i][1], ordered[i][2]))
    # Two unions that grew into each other are one person too.
    for i in range(len(merged) - 1, 0, -1):
        for j in range(i):
            if _overlap(merged[i][0], merged[j][0]) >= SAME_PERSON:
                a, b = merged[j][0], merged[i][0]
                union = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                merged[j] = (union, merged[j][1], merged[j][2])
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


def _pad(box: tuple[float, float, float, float], size: tuple[int, int], turn: float = 0.0) -> Box:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    # A face in profile has its box on the features: the ear and the back of the head lie
    # beyond the side away from the nose, the further the more the face is turned.
    back = PAD_SIDE + PAD_TURNED * max(0.0, abs(turn) - 0.1)
    left = max(0, int(x0 - (back if turn > 0 else PAD_SIDE) * w))
    top = max(0, int(y0 - PAD_ABOVE * h))
    right = min(size[0], -int(-(x1 + (back if turn < 0 else PAD_SIDE) * w) // 1))
    bottom = min(size[1], -int(-(y1 + PAD_BELOW * h) // 1))
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

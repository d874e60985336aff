"""Find faces on an upright photo with CenterFace, one block per head, cached by the photo's content."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

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
# Two detections of one person overlap most of the smaller one; two neighbours, much less.
SAME_PERSON = 0.5
# In the cache key: a change of the detector or its settings detects every photo again.
DETECTOR_VERSION = f"centerface-1|{WORKING_SIDE_PX}|{THRESHOLD}|{PAD_SIDE},{PAD_ABOVE},{PAD_BELOW}"


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
    merged = _merge(_network_boxes(image))
    blocks = [(_pad(box, image.size), score) for box, score in merged]
    # Reading order, top row first: a review sheet's numbers then run as the eye does.
    blocks.sort(key=lambda b: (b[0][1] + b[0][3] / 2, b[0][0]))
    return [Face(i, box, round(score, 3)) for i, (box, score) in enumerate(blocks, start=1)]


def _network_boxes(image: Image.Image) -> list[tuple[tuple[float, float, float, float], float]]:
    """Raw CenterFace boxes (x0, y0, x1, y1) in the image's pixels, with their scores."""
    import cv2
    import numpy as np

    from .facemodel import model_bytes

    scale = WORKING_SIDE_PX / max(image.size)
    width = max(STRIDE, round(image.width * scale / STRIDE) * STRIDE)
    height = max(STRIDE, round(image.height * scale / STRIDE) * STRIDE)
    # Reduced in steps (reducing_gap) for speed: Lanczos on a 12-megapixel photo costs as much as
    # the network, and the network sees no difference.
    work = image.convert("RGB").resize((width, height), Image.Resampling.BILINEAR, reducing_gap=2.0)
    blob = np.ascontiguousarray(np.asarray(work, dtype=np.float32).transpose(2, 0, 1)[None])
    # A new network for every photo: with OpenCV 4.14 a network that has run once gives
    # thousands of garbage boxes for an input of another size. Reading it costs ~0.05 s.
    net = cv2.dnn.readNetFromONNX(np.frombuffer(model_bytes(), dtype=np.uint8))
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)  # one core per photo, the same sums on every machine
    try:
        net.setInput(blob)
        heatmap, sizes, offsets, _ = net.forward(["537", "538", "539", "540"])
    except cv2.error as exc:
        raise PhotoError(f"the face model failed on a {width} × {height} image: {exc}") from None
    finally:
        cv2.setNumThreads(threads)
    heat = heatmap[0, 0]
    rows, cols = np.nonzero(heat > THRESHOLD)
    if not len(rows):
        return []
    box_h = np.exp(sizes[0, 0, rows, cols]) * 4
    box_w = np.exp(sizes[0, 1, rows, cols]) * 4
    centre_y = (rows + offsets[0, 0, rows, cols] + 0.5) * 4
    centre_x = (cols + offsets[0, 1, rows, cols] + 0.5) * 4
    sx, sy = image.width / width, image.height / height
    found = []
    for i in range(len(rows)):
        x0 = max(0.0, float(centre_x[i] - box_w[i] / 2)) * sx
        y0 = max(0.0, float(centre_y[i] - box_h[i] / 2)) * sy
        x1 = min(float(width), float(centre_x[i] + box_w[i] / 2)) * sx
        y1 = min(float(height), float(centre_y[i] + box_h[i] / 2)) * sy
        found.append(((x0, y0, x1, y1), float(heat[rows[i], cols[i]])))
    return found


def _merge(
    boxes: list[tuple[tuple[float, float, float, float], float]],
) -> list[tuple[tuple[float, float, float, float], float]]:
    """One box per person: boxes overlapping most of the smaller one become their union.

    Neighbouring heat-map cells each report the same face; unlike suppression, which keeps the
    best box and drops the rest, the union keeps what any of them saw of the head.
    """
    merged = sorted(boxes, key=lambda b: -b[1])
    changed = True
    while changed:
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                if _overlap(merged[i][0], merged[j][0]) >= SAME_PERSON:
                    (a, sa), (b, sb) = merged[i], merged[j]
                    union = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    merged[i] = (union, max(sa, sb))
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    return merged


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """The intersection as a share of the smaller box."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / smaller if smaller > 0 else 0.0


def _pad(box: tuple[float, float, float, float], size: tuple[int, int]) -> Box:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    left = max(0, int(x0 - PAD_SIDE * w))
    top = max(0, int(y0 - PAD_ABOVE * h))
    right = min(size[0], -int(-(x1 + PAD_SIDE * w) // 1))
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

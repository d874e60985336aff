"""How well face masking covers faces, on a test set made from scikit-image's photographs.

    python bench/faces.py                 # 12 group scenes in 6 variants, the real and empty photos
    python bench/faces.py --scenes 3      # fewer, for a quick look
    python bench/faces.py --sheet DIR     # also a PNG per scene with truth and blocks drawn

The scenes are those of tests/face_scenes.py with seeds 1000 and up (the tests use others). It
prints the faces fully / partly / not covered (main and small background faces), blocks on no
face, blocks on photos without people, the share of each group photo covered, and the CPU time
of detection per 12-megapixel photo (4000 × 3000, one thread, best and median of `--rounds`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from PIL import ImageDraw  # noqa: E402

from face_scenes import (  # noqa: E402
    Score,
    empty_photographs,
    group_scene,
    real_photographs,
)
from leafpress.faces import detect, release_networks  # noqa: E402

# Upright photos: as taken, heads tilted, a dark bar, a face cut by the edge.
VARIANTS = [{}, {"tilt": 25}, {"dark": True}, {"edge": True}]
# Photos stored sideways or upside down without an orientation tag: measured apart, since
# detection runs on the photo as its tag says it stands and turns it only when its faces lie.
TURNED = [{"turns": 1}, {"turns": 2}, {"turns": 3}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=12)
    parser.add_argument("--size", type=int, default=2000, help="long side of the group scenes")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sheet", type=Path)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}")

    score, turned = Score(), Score()
    times, turned_times = [], []
    scenes = real_photographs() + empty_photographs() + empty_photographs(size=args.size)
    size = (args.size, args.size * 3 // 4)
    for seed in range(1000, 1000 + args.scenes):
        scenes += [group_scene(seed, size, **variant) for variant in VARIANTS]
    for scene in scenes:
        start = time.process_time()
        faces = detect(scene.image)
        times.append(time.process_time() - start)
        score.add(scene, [f.box for f in faces])
        if args.sheet:
            _draw(scene, faces, args.sheet)
    for seed in range(1000, 1000 + args.scenes):
        for variant in TURNED:
            scene = group_scene(seed, size, **variant)
            start = time.process_time()
            found = detect(scene.image)
            turned_times.append(time.process_time() - start)
            turned.add(scene, [f.box for f in found])

    for kind in ("main", "background"):
        total = score.total(kind)
        print(
            f"{kind} faces: {score.full[kind]}/{total} fully covered, "
            f"{score.partly[kind]} partly, {score.missed[kind]} missed"
        )
    for kind in ("main", "background"):
        print(
            f"turned without a tag, {kind} faces: {turned.full[kind]}/{turned.total(kind)} "
            f"fully covered, {turned.partly[kind]} partly, {turned.missed[kind]} missed"
        )
    print(
        f"blocks on no face: {score.false_blocks} ({score.blocks_on_empty} on photos without "
        f"people); on the turned photos: {turned.false_blocks}"
    )
    covered = score.group_covered
    print(
        f"group photos covered: median {statistics.median(covered):.1%}, "
        f"max {max(covered):.1%} ({len(covered)} photos)"
    )
    print(
        f"detection CPU time per scene: median {statistics.median(times):.2f} s "
        f"({len(times)} scenes); turned without a tag: median "
        f"{statistics.median(turned_times):.2f} s"
    )
    for miss in score.misses + turned.misses:
        print(f"  {miss}")
    _time_12_megapixels(args.rounds)


def _time_12_megapixels(rounds: int) -> None:
    """CPU time of detection on 12-megapixel photos: group photos, the first of its size in a
    process (its network made for it) and the next ones (the network kept); the same stored
    turned a quarter without a tag; and a photograph without people (all four turns probed)."""
    from PIL import Image

    scenes = [group_scene(seed, (4000, 3000)).image for seed in (7, 8)]
    turned = [scene.transpose(Image.Transpose.ROTATE_90) for scene in scenes]
    empty = empty_photographs(size=4000)[0].image
    first, kept, sideways, bare = [], [], [], []
    for i in range(rounds):
        scene = scenes[i % 2]
        release_networks()
        start = time.process_time()
        detect(scene)
        first.append(time.process_time() - start)
        start = time.process_time()
        detect(scenes[(i + 1) % 2])
        kept.append(time.process_time() - start)
        detect(turned[(i + 1) % 2])  # its networks made
        start = time.process_time()
        detect(turned[i % 2])
        sideways.append(time.process_time() - start)
        start = time.process_time()
        detect(empty)
        bare.append(time.process_time() - start)
    for name, spent in (
        ("first of its size", first),
        ("next, network kept", kept),
        ("stored turned without a tag", sideways),
        (f"without people ({empty.width} × {empty.height})", bare),
    ):
        print(
            f"12-megapixel photo, {name}: best {min(spent):.2f} CPU-s, median "
            f"{statistics.median(spent):.2f}, worst {max(spent):.2f} ({rounds} rounds)"
        )
    print(f"load average {os.getloadavg()[0]:.2f}")


def _draw(scene, faces, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    image = scene.image.copy()
    draw = ImageDraw.Draw(image)
    for face in scene.faces:
        draw.polygon(face.polygon, outline=(0, 255, 0), width=3)
    for face in faces:
        x, y, w, h = face.box
        draw.rectangle((x, y, x + w, y + h), outline=(255, 0, 0), width=3)
    image.thumbnail((1000, 1000))
    image.save(folder / f"{scene.name}.png")


if __name__ == "__main__":
    main()

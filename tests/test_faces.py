"""Face masking with CenterFace: coverage measured on composed scenes, one block per person, the
model's checks, unmask, the build's report and the review sheet."""

from __future__ import annotations

import io
import re
import time

import numpy as np
import pypdf
import pytest
from click.testing import CliRunner
from PIL import Image

from conftest import Workspace
from face_scenes import Score, TrueFace, empty_photographs, group_scene, real_photographs
from leafpress import faces
from leafpress.cli import main
from leafpress.content import load_campaign
from leafpress.errors import ContentError, PhotoError
from leafpress.faces import Face, detect, kept_faces
from leafpress.photos import PhotoSettings, prepare_photo

# Seeds of the scenes measured here; bench/faces.py measures on 1000 and up, and the detector's
# settings were taken from the issue's own photographs, never tuned on either.
SEEDS = (11, 12, 13)
INK = (0x16, 0x18, 0x1D)


VARIANTS = {"upright": {}, "tilted": {"tilt": 25}, "dark": {"dark": True}, "edge": {"edge": True}}


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    found = {}
    for name, variant in VARIANTS.items():
        found[name] = score = Score()
        for seed in SEEDS:
            scene = group_scene(seed, (2000, 1500), **variant)
            score.add(scene, [f.box for f in detect(scene.image)])
    return found


def test_every_main_face_of_composed_group_photos_is_fully_covered(scores: dict[str, Score]):
    # As taken, in a dark bar (a fifth of the light, noise), with a face cut by the photo's edge.
    for name in ("upright", "dark", "edge"):
        score = scores[name]
        assert score.total("main") >= 10
        assert score.full["main"] == score.total("main"), (name, score.misses)


def test_main_faces_tilted_by_25_degrees_are_covered(scores: dict[str, Score]):
    score = scores["tilted"]
    # Measured: 12 of 13; the one missed is a 75-px face from the blurred LFW crops.
    assert score.full["main"] >= 0.9 * score.total("main"), score.misses


def test_nine_in_ten_small_background_faces_are_covered(scores: dict[str, Score]):
    full = sum(score.full["background"] for score in scores.values())
    partly = sum(score.partly["background"] for score in scores.values())
    total = sum(score.total("background") for score in scores.values())
    assert total >= 30
    assert full >= 0.9 * total, [m for s in scores.values() for m in s.misses]
    assert full + partly >= 0.95 * total


def test_blocks_lie_on_faces_and_leave_most_of_a_group_photo(scores: dict[str, Score]):
    for name, score in scores.items():
        assert score.false_blocks == 0, (name, score.misses)
        assert max(score.group_covered) <= 0.25, name


def test_no_block_on_photographs_without_people():
    blocks = {scene.name: detect(scene.image) for scene in empty_photographs()}
    assert blocks == {name: [] for name in blocks}


def test_a_block_covers_the_whole_head_and_not_much_more():
    for scene in real_photographs():
        found = detect(scene.image)
        score = Score()
        score.add(scene, [f.box for f in found])
        assert len(found) == 1 and score.full["main"] == 1, (scene.name, found)
        (x, y, w, h), face = found[0].box, scene.faces[0].polygon
        face_w = max(p[0] for p in face) - min(p[0] for p in face)
        face_h = max(p[1] for p in face) - min(p[1] for p in face)
        # Ears, hairline and chin: wider and taller than the face, but not a shoulder's width.
        assert 1.3 < w / face_w < 2.2 and 1.3 < h / face_h < 2.6, (scene.name, found[0].box)
    # Hair and ears, measured by eye: the astronaut's (152, 15)-(302, 175); the cameraman's, in
    # profile, (155, 65)-(270, 198): the back of his head lies far beyond his face's box.
    astronaut, cameraman = (detect(scene.image)[0].box for scene in real_photographs())
    x, y, w, h = astronaut
    assert x <= 152 and y <= 15 and x + w >= 302 and y + h >= 175
    x, y, w, h = cameraman
    assert x <= 155 and y <= 65 and x + w >= 270 and y + h >= 198


def test_one_block_per_person_however_many_detections():
    raw = [
        ((100.0, 100.0, 200.0, 220.0), 0.9, 0.0, 0),
        ((104.0, 96.0, 204.0, 214.0), 0.8, 0.1, 0),  # the same face, from a neighbouring cell
        ((110.0, 120.0, 190.0, 215.0), 0.5, 0.0, 0),
        ((230.0, 100.0, 330.0, 220.0), 0.85, 0.0, 0),  # the neighbour, touching shoulders
    ]
    merged = faces._merge(raw)
    assert len(merged) == 2
    assert merged[0] == ((100.0, 96.0, 204.0, 220.0), 0.9, 0.0, 0)
    assert faces._merge(raw[::-1]) == merged  # whatever order the cells come in
    scene = group_scene(SEEDS[0], (2000, 1500))
    assert len(detect(scene.image)) == len(scene.faces)


def test_the_same_photo_gives_the_same_blocks_after_a_photo_of_another_size():
    # OpenCV 4.14 gives garbage boxes when a network that has run meets another input size;
    # networks are kept per size for the next photo, and a kept one sums as a new one does.
    one = group_scene(SEEDS[1], (1600, 1200)).image
    other = group_scene(SEEDS[2], (900, 1400)).image
    faces.release_networks()
    first = detect(one)
    assert detect(other) and detect(one) == first
    faces.release_networks()
    assert detect(one) == first


def test_a_face_on_a_photo_stored_sideways_is_found_upright(workspace: Workspace):
    scene = group_scene(SEEDS[0], (1600, 1200))
    exif = Image.Exif()
    exif[0x0112] = 6  # turn 90° clockwise to show: the camera was held on its side
    buffer = io.BytesIO()
    scene.image.transpose(Image.Transpose.ROTATE_90).save(buffer, "JPEG", quality=92, exif=exif)
    (workspace.root / "assets" / "sideways.jpg").write_bytes(buffer.getvalue())
    workspace.append(
        "campaign.toml", '\n[[photos]]\nfile = "assets/sideways.jpg"\nmask_faces = true\n'
    )
    campaign = load_campaign(workspace.campaign_dir, workspace.root)
    prepared = prepare_photo(
        campaign, campaign.photos[0], workspace.out, PhotoSettings(frame_mm=None, mask_colour=INK)
    )
    assert (prepared.width, prepared.height) == (1600, 1200)
    score = Score()
    score.add(scene, list(prepared.faces))
    assert score.full["main"] == score.total("main") and score.false_blocks == 0, score.misses
    with Image.open(prepared.path) as done:
        pixels = np.asarray(done.convert("RGB")).astype(int)
    for face in scene.faces:
        if face.kind == "main":
            cx = round(sum(p[0] for p in face.polygon) / len(face.polygon))
            cy = round(sum(p[1] for p in face.polygon) / len(face.polygon))
            assert np.abs(pixels[cy, cx] - np.array(INK)).max() <= 4


@pytest.fixture(scope="module")
def turned_scores() -> dict[int, Score]:
    found = {}
    for turns in (1, 2, 3):
        scene = group_scene(SEEDS[turns - 1], (1600, 1200), turns=turns)
        found[turns] = score = Score()
        score.add(scene, [f.box for f in detect(scene.image)])
    return found


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_faces_on_a_photo_stored_turned_without_an_orientation_tag_are_found(
    turned_scores: dict[int, Score], turns: int
):
    # The faces found lie on their side or upside down, so the photo is looked at again turned
    # upright; before, about half the main faces and almost none of the small ones were found.
    score = turned_scores[turns]
    assert score.full["main"] == score.total("main") >= 3, score.misses
    assert score.full["background"] >= score.total("background") - 1, score.misses
    assert score.false_blocks == 0, score.misses


def test_a_photo_stored_turned_is_looked_at_whole_only_once(monkeypatch):
    # Its orientation is decided on a small probe first: a whole look at it as stored, then
    # another turned upright, cost twice the CPU time of an upright photo.
    scene = group_scene(SEEDS[0], (1600, 1200), turns=1)
    sizes = []
    infer = faces._infer

    def counted(work):
        sizes.append(work.size)
        return infer(work)

    monkeypatch.setattr(faces, "_infer", counted)
    score = Score()
    score.add(scene, [f.box for f in detect(scene.image)])
    assert [size for size in sizes if max(size) >= faces.WORKING_SIDE_PX] == [(1280, 960)]
    assert score.full["main"] == score.total("main"), score.misses


def test_a_head_found_on_its_side_is_padded_towards_its_hair_not_the_photos_top():
    # A face found on the photo turned a quarter counter-clockwise stood with its top on the
    # photo's right: the hairline's padding goes there, the chin's to the left.
    box = (100.0, 100.0, 200.0, 180.0)  # on the photo 100 × 80; as the face stands, 80 × 100
    assert faces._pad(box, (1000, 1000), 0.0, 0) == (70, 64, 160, 140)
    left, top, width, height = faces._pad(box, (1000, 1000), 0.0, 1)
    assert left == 100 - 30 and left + width == 200 + 45  # chin 0.30 · 100, hair 0.45 · 100
    assert top == 100 - 24 and top + height == 180 + 24  # sides 0.30 · 80
    left, top, width, height = faces._pad(box, (1000, 1000), 0.0, 3)
    assert left == 100 - 45 and left + width == 200 + 30


def test_unmask_leaves_off_blocks_by_number_or_by_area():
    found = [Face(1, (10, 10, 50, 60), 0.9), Face(2, (200, 10, 50, 60), 0.8)]
    found.append(Face(3, (400, 300, 40, 40), 0.5))
    assert [f.number for f in kept_faces(found, (2,))] == [1, 3]
    assert [f.number for f in kept_faces(found, ((390, 290, 100, 100),))] == [1, 2]
    assert [f.number for f in kept_faces(found, (1, (0, 0, 30, 30)))] == [2, 3]


def test_an_unmasked_block_prints_as_it_was(workspace: Workspace):
    scene = group_scene(SEEDS[0], (1600, 1200))
    scene.image.save(workspace.root / "assets" / "crowd.png")
    workspace.append(
        "campaign.toml",
        '\n[[photos]]\nfile = "assets/crowd.png"\nmask_faces = true\nunmask = [1]\n',
    )
    campaign = load_campaign(workspace.campaign_dir, workspace.root)
    settings = PhotoSettings(frame_mm=None, mask_colour=INK)
    prepared = prepare_photo(campaign, campaign.photos[0], workspace.out, settings)
    every = detect(scene.image)
    assert len(every) >= 2 and [*prepared.faces] == [f.box for f in every[1:]]
    # Block 1 is left as it was, but where another block (snapped to 16 px) overlaps it.
    shown = np.zeros(scene.image.size[::-1], dtype=bool)
    x, y, w, h = every[0].box
    shown[y : y + h, x : x + w] = True
    for x, y, w, h in prepared.faces:
        shown[max(0, y - 16) : y + h + 16, max(0, x - 16) : x + w + 16] = False
    with Image.open(prepared.path) as done:
        left = np.asarray(done.convert("RGB")).astype(int)[shown]
    assert shown.sum() > 1000
    assert np.abs(left - np.asarray(scene.image).astype(int)[shown]).mean() < 4


@pytest.mark.parametrize(
    "unmask", ["[0]", "[[1, 2, 3]]", '["face 1"]', "[[1, 2, 0, 4]]", "2", "[true]"]
)
def test_bad_unmask_is_reported_with_its_key(workspace: Workspace, unmask: str):
    Image.new("RGB", (300, 200), "grey").save(workspace.root / "assets" / "a.png")
    workspace.append("campaign.toml", f'\n[[photos]]\nfile = "assets/a.png"\nunmask = {unmask}\n')
    with pytest.raises(ContentError) as caught:
        load_campaign(workspace.campaign_dir, workspace.root)
    problem = caught.value.problems[0]
    assert problem.key == "photos[0].unmask"
    assert "expected a list of block numbers from `leafpress faces`" in problem.message


def test_a_missing_or_different_face_model_is_an_error_that_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("LEAFPRESS_FACE_MODEL", str(tmp_path / "none.onnx"))
    with pytest.raises(PhotoError, match=r"not installed .* run \./setup\.sh"):
        detect(Image.new("RGB", (64, 64)))
    other = tmp_path / "other.onnx"
    other.write_bytes(b"not the model")
    monkeypatch.setenv("LEAFPRESS_FACE_MODEL", str(other))
    with pytest.raises(PhotoError, match="is not the expected file"):
        detect(Image.new("RGB", (64, 64)))


def test_detection_of_a_12_megapixel_photo_takes_about_a_cpu_second():
    image = group_scene(SEEDS[1], (4000, 3000)).image
    detect(image)  # the model read and checked once per process
    spent = []
    for _ in range(2):
        start = time.process_time()
        detect(image)
        spent.append(time.process_time() - start)
    # 0.63-0.77 s (network kept, as here; the orientation probe included) on the shared 2-core
    # machine at load 4-5 (bench/faces.py); a photo stored turned, 0.77-0.92;
    # the goal is 1 s, the margin for a machine loaded more.
    assert min(spent) < 1.5


# The build's report, the review sheet, once per content ------------------------------------------


def _masked_campaign(workspace: Workspace) -> list[TrueFace]:
    scene = group_scene(SEEDS[2], (1600, 1200))
    scene.image.save(workspace.root / "assets" / "crowd.jpg", quality=92)
    workspace.append(
        "campaign.toml",
        '\n[[photos]]\nfile = "assets/crowd.jpg"\nmask_faces = true\nmasks = [[0, 0, 40, 40]]\n'
        '\n[[outputs]]\nlayout = "photo-display-a4-landscape"\nlanguages = ["en"]\n'
        '\n[[outputs]]\nlayout = "photo-display-a3"\nlanguages = ["en"]\n',
    )
    workspace.append("en.toml", '\n[captions]\ncrowd = "The crowd."\n')
    workspace.append("kk.toml", '\n[captions]\ncrowd = "Жұрт."\n')
    return scene.faces


def test_build_says_once_per_masked_photo_how_many_faces_it_covered(
    workspace: Workspace, monkeypatch
):
    truth = _masked_campaign(workspace)
    with Image.open(workspace.root / "assets" / "crowd.jpg") as photo:
        people = len(detect(photo.convert("RGB")))
    assert 0 < people <= len(truth)  # one block per person, never one per detection
    calls = []
    real = faces.detect
    monkeypatch.setattr(faces, "detect", lambda image: calls.append(image.size) or real(image))
    code, output = workspace.build(
        "--layout", "photo-display-a4-landscape", "--layout", "photo-display-a3"
    )
    assert code == 0, output
    lines = [line for line in output.splitlines() if line.startswith("faces:")]
    assert lines == [f"faces: demo/crowd: {people} faces covered, 1 area masked by hand"]
    assert "Look at every masked photo before printing: leafpress faces leaflets/demo" in output
    assert calls == [(1600, 1200)]  # masking and the faces check: one detection
    # Nothing changed: nothing is detected, and nothing is said about faces either.
    code, output = workspace.build(
        "--layout", "photo-display-a4-landscape", "--layout", "photo-display-a3"
    )
    assert code == 0 and "2 unchanged, skipped" in output and "faces:" not in output
    assert calls == [(1600, 1200)]
    # No pixel of a detected face survives in the PDF.
    reader = pypdf.PdfReader(workspace.pdf("en", "photo-display-a3"))
    placed = [
        Image.open(io.BytesIO(o.get_object()._data)).convert("RGB")
        for page in reader.pages
        for o in page["/Resources"]["/XObject"].values()
        if o.get_object()["/Subtype"] == "/Image"
    ]
    photo = max(placed, key=lambda image: image.width * image.height)
    scale = photo.width / 1600
    flat = np.asarray(photo).astype(int)
    for face in detect(Image.open(workspace.root / "assets" / "crowd.jpg").convert("RGB")):
        x, y, w, h = (round(v * scale) for v in face.box)
        block = flat[y + 1 : y + h - 1, x + 1 : x + w - 1]
        assert block.std(axis=(0, 1)).max() < 1.5, face


def test_build_warns_when_a_masked_photo_has_no_face(workspace: Workspace):
    Image.new("RGB", (800, 600), (90, 120, 60)).save(workspace.root / "assets" / "field.png")
    workspace.append(
        "campaign.toml",
        '\n[[photos]]\nfile = "assets/field.png"\nmask_faces = true\n'
        '\n[[outputs]]\nlayout = "photo-display-a3"\nlanguages = ["en"]\n',
    )
    workspace.append("en.toml", '\n[captions]\nfield = "A field."\n')
    workspace.append("kk.toml", '\n[captions]\nfield = "Дала."\n')
    code, output = workspace.build("--layout", "photo-display-a3")
    assert code == 0, output
    assert "faces: demo/field: 0 faces covered" in output


def test_review_sheet_outlines_and_numbers_every_block(workspace: Workspace, monkeypatch):
    truth = _masked_campaign(workspace)
    code, output = workspace.build("--layout", "photo-display-a3")
    assert code == 0, output

    def no_detection(image):
        raise AssertionError("the sheet detected again although the build had")

    monkeypatch.setattr(faces, "detect", no_detection)
    result = CliRunner().invoke(main, ["faces", "--root", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"demo/crowd: {len(truth)} faces covered, 1 area masked by hand",
        "wrote out/demo/faces.png",
    ]
    campaign = load_campaign(workspace.campaign_dir, workspace.root)
    from leafpress.photos import all_faces

    blocks = all_faces(campaign, campaign.photos[0], workspace.out / ".cache" / "photos")
    with Image.open(workspace.out / "demo" / "faces.png") as sheet:
        pixels = np.asarray(sheet.convert("RGB")).astype(int)
    red = np.all(np.abs(pixels - np.array((220, 20, 60))) <= 2, axis=2)
    blue = np.all(np.abs(pixels - np.array((30, 90, 220))) <= 2, axis=2)
    # Each block's outline is drawn where the block is, at the sheet's scale (900 px across).
    scale, origin = 900 / 1600, (34 + 24, 60 + 34 + 34)
    for face in blocks:
        x, y, w, _ = face.box
        left, top = origin[0] + round(x * scale), origin[1] + round(y * scale)
        right = origin[0] + round((x + w) * scale)
        # (a row either way: the outline's corners are whole pixels of a scaled position)
        assert red[top - 1 : top + 2, left + 2 : right - 2].any(axis=0).mean() > 0.9, face
    assert blue.any()  # the mask by hand


def test_review_sheet_shows_unmasked_blocks_apart(workspace: Workspace):
    _masked_campaign(workspace)
    workspace.edit("campaign.toml", "mask_faces = true\n", "mask_faces = true\nunmask = [2]\n")
    result = CliRunner().invoke(main, ["faces", "--root", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert re.match(r"demo/crowd: \d+ faces covered, 1 block unmasked", result.output)
    with Image.open(workspace.out / "demo" / "faces.png") as sheet:
        pixels = np.asarray(sheet.convert("RGB")).astype(int)
    assert np.all(np.abs(pixels - np.array((120, 120, 120))) <= 2, axis=2).any()

"""Targets that render alike (screen, office, tiles) share one rendering of each document."""

from __future__ import annotations

import os
import re

import pytest

from conftest import Workspace
from leafpress import render
from leafpress.records import OutputResult
from leafpress.run import build, in_plan_order

TARGETS = ["screen", "print-shop", "office", "photocopy", "tiles"]


def _labels(calls_to) -> callable:
    return calls_to(render, "write_pdf", lambda laid_out, what, *_: what)


@pytest.mark.parametrize("jobs", [1, 2])
def test_screen_office_and_tiles_of_a_leaflet_render_one_document(
    workspace: Workspace, calls_to, tmp_path_factory, jobs: int
):
    written = _labels(calls_to)
    report = build(
        workspace.root, workspace.out, layouts=["leaflet-a5"], targets=TARGETS, jobs=jobs
    )
    assert report.ok, [str(r.error) for r in report.failed]
    assert len(report.written) == 10
    # Per language: one document for screen, office and tiles, one each for the other two.
    assert sorted(what for _, what in written()) == sorted(
        f"demo/{lang}/leaflet-a5{suffix}"
        for lang in ("kk", "en")
        for suffix in ("", " [print-shop]", " [photocopy]")
    )
    if jobs > 1:
        assert os.getpid() not in {pid for pid, _ in written()}
    # Each output is what building its target alone makes, finished for its own target.
    for target in TARGETS:
        alone = tmp_path_factory.mktemp(target)
        single = build(workspace.root, alone, layouts=["leaflet-a5"], targets=[target])
        assert single.ok
        for result in single.results:
            shared = workspace.out / result.path.relative_to(alone)
            assert shared.read_bytes() == result.path.read_bytes(), result.label
    screen, office = (
        workspace.out / "demo" / "kk" / n for n in ("leaflet-a5.pdf", "leaflet-a5.office.pdf")
    )
    assert screen.read_bytes() != office.read_bytes()


def test_tiles_of_a_photo_display_need_their_own_print_resolution(workspace: Workspace, calls_to):
    from PIL import Image

    Image.linear_gradient("L").resize((1800, 1200)).convert("RGB").save(
        workspace.root / "assets" / "street.jpg"
    )
    workspace.append("campaign.toml", '\n[[photos]]\nfile = "assets/street.jpg"\n')
    for lang in ("kk", "en"):
        workspace.append(f"{lang}.toml", '\n[captions]\nstreet = "A street."\n')
    written = _labels(calls_to)
    report = build(
        workspace.root,
        workspace.out,
        languages=["en"],
        layouts=["photo-display-a3"],
        targets=["screen", "office", "tiles"],
    )
    assert report.ok, [str(r.error) for r in report.failed]
    # The screen and office photos are 150 ppi, the tiles' 300 ppi (they print at full size).
    assert sorted(what for _, what in written()) == [
        "demo/en/photo-display-a3",
        "demo/en/photo-display-a3 [tiles]",
    ]


def test_each_output_sharing_a_document_keeps_its_own_result(workspace: Workspace):
    report = build(
        workspace.root, workspace.out, layouts=["leaflet-a5"], targets=["screen", "office"]
    )
    screen, office = (r for r in report.results if r.lang == "kk")
    assert (screen.target, office.target) == ("screen", "office")
    assert screen.path != office.path
    assert screen.warnings is not office.warnings
    assert (screen.shared_with, office.shared_with) == (None, screen.label)
    assert office.passes == 0 < screen.passes
    assert screen.page_size_pt != office.page_size_pt  # office is the A4 sheet it is printed on


def test_verbose_build_says_which_output_a_document_was_rendered_with(workspace: Workspace):
    code, output = workspace.build(
        "-v", "--lang", "en", "--layout", "leaflet-a6", "--target", "screen", "--target", "tiles"
    )
    assert code == 0, output
    # The short text grows to fill the A6 (copy-fitting), in however many passes that takes.
    assert re.search(r"demo/en/leaflet-a6: \d+ layout pass(es)?, scale", output), output
    assert "demo/en/leaflet-a6 [tiles]: rendered once with demo/en/leaflet-a6, scale" in output


def _result(index: int) -> OutputResult:
    return OutputResult("demo", "kk", f"layout-{index}", None)


def test_results_of_groups_come_back_in_plan_order_as_soon_as_they_can():
    groups = [[0, 2, 4], [1], [3]]
    arrived: list[int] = []

    def results():
        for group in groups:
            arrived.append(group[0])
            yield [_result(i) for i in group]

    ordered = in_plan_order([0, 1, 2, 3, 4], groups, results())
    assert next(ordered).layout == "layout-0"
    assert arrived == [0]  # the first result did not wait for the other groups
    assert [r.layout for r in ordered] == [f"layout-{i}" for i in (1, 2, 3, 4)]
    assert arrived == [0, 1, 3]

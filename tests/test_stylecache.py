"""Stylesheets parsed once a process give the same PDFs, in every target, and still count as read."""

from __future__ import annotations

from pathlib import Path

import weasyprint.css

from conftest import Workspace
from leafpress import stylecache
from leafpress.constants import TARGETS
from leafpress.pipeline import Builder
from leafpress.plan import plan_build


def _build_all(workspace: Workspace, out: Path) -> dict[str, bytes]:
    plan = plan_build(
        workspace.root, out, None, ["en", "kk"], ["leaflet-a5", "poster-a3-demands"], list(TARGETS)
    )
    builder = Builder.for_plan(plan)
    made = {}
    for job in plan.jobs:
        data, result = builder.make_output(job)
        assert data is not None, job.label
        made[job.label] = (data, sorted(result.reads))
    return made


def test_kept_stylesheets_make_the_same_pdfs_in_every_target_and_count_the_same_reads(
    workspace: Workspace, tmp_path: Path, monkeypatch
):
    stylecache._SHEETS.clear()
    kept = _build_all(workspace, tmp_path / "kept")
    assert len(stylecache._SHEETS) >= 3  # palette, each layout's style, the pages' fonts
    with monkeypatch.context() as patch:
        stylecache.install()
        patch.setattr(weasyprint.css, "find_stylesheets", stylecache._real_find_stylesheets)
        patch.setattr(stylecache, "install", lambda: None)
        plain = _build_all(workspace, tmp_path / "plain")
    assert sorted(kept) == sorted(plain) and len(kept) == 4 * len(TARGETS)
    for label in kept:
        data, reads = kept[label]
        plain_data, plain_reads = plain[label]
        # Reads are recorded under their output folders' caches: compare what is in the workspace.
        assert [r for r in reads if "out" not in r.parts] == [
            r for r in plain_reads if "out" not in r.parts
        ], label
        assert data == plain_data, label


def test_a_stylesheet_edited_between_builds_is_parsed_again(workspace: Workspace, tmp_path: Path):
    # serve keeps the process, and its builder is new after a layout file changes: the new CSS
    # must be what the next pass sees, though its URL is the same.
    layouts = workspace.root / "layouts"
    before = _build_all(workspace, tmp_path / "one")
    css = layouts / "poster-a3-demands" / "style.css"
    css.write_text(css.read_text("utf-8") + "\n.headline { color: #00ff00; }\n", "utf-8")
    after = _build_all(workspace, tmp_path / "two")
    label = "demo/en/poster-a3-demands"
    assert after[label][0] != before[label][0]

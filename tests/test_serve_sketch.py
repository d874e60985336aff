"""An edit in serve is shown at once, laid out where the output's last fit ended, then fitted: the output written is still the one `build` writes."""

from __future__ import annotations

import io
import random
from pathlib import Path

from pypdf import PdfReader

from conftest import Workspace
from leafpress.layouts import LayoutLibrary
from leafpress.pipeline import Builder
from leafpress.plan import plan_build
from leafpress.serve import PreviewSession

WORDS = [
    "families",
    "homes",
    "police",
    "eviction",
    "court",
    "land",
    "protest",
    "street",
    "night",
    "winter",
    "roads",
]


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _paragraphs(seed: int, count: int) -> str:
    rng = random.Random(seed)
    sentences = (" ".join(rng.choices(WORDS, k=12)).capitalize() + "." for _ in range(count * 4))
    return "\\n\\n".join(" ".join(next(sentences) for _ in range(4)) for _ in range(count))


def _made(root: Path, out: Path, builder: Builder | None = None, **sketching):
    plan = plan_build(root, out, languages=["en"], layouts=["leaflet-a5"])
    if builder is None:
        builder = Builder.for_plan(plan)
    else:
        builder.forget_content(plan.jobs)  # as serve does after a text edit
    data, result = builder.make_output(plan.jobs[0], **sketching)
    assert data is not None and result.ok, result.error
    return builder, data, result


def _set_body(workspace: Workspace, body: str) -> None:
    path = workspace.campaign_dir / "en.toml"
    text = path.read_text("utf-8")
    start = text.index('body = "') + len('body = "')
    path.write_text(text[:start] + body + text[text.index('"', start) :], "utf-8")


def test_an_edit_is_sketched_at_the_last_fit_and_the_output_is_what_build_writes(
    workspace: Workspace, tmp_path: Path
):
    sketches: list[bytes] = []
    _set_body(workspace, _paragraphs(0, 5))
    builder, _, long = _made(workspace.root, workspace.out, on_sketch=sketches.append)
    assert sketches == []  # nothing was fitted before: nothing to sketch from
    assert long.scale < 1  # a long body: shrunk to fit

    for seed in (1, 2):
        # A shorter body: at the last fit's (smaller) scale it keeps to the page, and the fit
        # then grows it, so the sketch is not the output's page.
        body = _paragraphs(seed, 2)
        _set_body(workspace, body)
        sketches.clear()
        builder, data, fitted = _made(
            workspace.root, workspace.out, builder, on_sketch=sketches.append
        )
        assert len(sketches) == 1
        assert len(PdfReader(io.BytesIO(sketches[0])).pages) == 1
        first_words = " ".join(body.split("\\n\\n")[0].split()[:3])
        assert first_words in _pdf_text(sketches[0]).replace("\n", " ")
        assert sketches[0] != data
        assert fitted.scale > long.scale
        # Byte for byte what a build in a fresh process (no fit kept, no last fit) writes.
        _, fresh, from_scratch = _made(workspace.root, tmp_path / f"fresh{seed}")
        assert fresh == data
        assert from_scratch.scale == fitted.scale

    # A text that runs over the page at the last fit's scale is not sketched: its first page
    # would show the leaflet without what the overflow pushed off it (the contact strip).
    _set_body(workspace, _paragraphs(3, 5))
    sketches.clear()
    builder, data, _ = _made(workspace.root, workspace.out, builder, on_sketch=sketches.append)
    assert sketches == []
    _, fresh, _ = _made(workspace.root, tmp_path / "fresh-long")
    assert fresh == data

    # A text fitted before (saved again, or an undo): its kept fit replays in one pass, and
    # nothing is sketched.
    _set_body(workspace, body)
    sketches.clear()
    _made(workspace.root, workspace.out, builder, on_sketch=sketches.append)
    assert sketches == []


def test_serve_shows_the_sketch_as_fitting_then_the_fitted_page(workspace: Workspace):
    session = PreviewSession(workspace.root, workspace.out, layouts=["leaflet-a5"])
    session.rebuild()
    label = "demo/en/leaflet-a5"
    seen: list[tuple[bool, float | None, list[str]]] = []
    real = session._publish

    def publish(outputs, changed):
        real(outputs, changed)
        if label in changed:
            state = session.outputs[label]
            seen.append((state.fitting, state.fit_scale, list(state.pages)))

    session._publish = publish
    workspace.edit("en.toml", "A short lead.", "A lead that is a little longer than it was.")
    session.rebuild([workspace.campaign_dir / "en.toml"])
    assert seen[0][0] is True and seen[0][2]  # the sketch, with its page image
    assert all(not fitting for fitting, _, _ in seen[1:])
    assert seen[-1][1] is not None and not session.outputs[label].fitting
    assert session.snapshot()["outputs"][0]["fitting"] is False


def test_a_text_edit_does_not_read_the_layouts_again_and_a_layout_edit_does(
    workspace: Workspace, monkeypatch
):
    loads: list[str] = []
    real = LayoutLibrary._load

    def load(self, name, *args):
        loads.append(name)
        return real(self, name, *args)

    monkeypatch.setattr(LayoutLibrary, "_load", load)
    session = PreviewSession(workspace.root, workspace.out, layouts=["leaflet-a5"])
    session.rebuild()
    assert "leaflet-a5" in loads
    loads.clear()
    workspace.edit("en.toml", "A short lead.", "Another short lead.")
    session.rebuild([workspace.campaign_dir / "en.toml"])
    assert loads == []
    css = workspace.root / "layouts" / "leaflet-a5" / "style.css"
    css.write_text(css.read_text("utf-8") + "\n.lead { color: #123456; }\n", "utf-8")
    session.rebuild([css])
    assert "leaflet-a5" in loads

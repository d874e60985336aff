"""`serve` stays warm between edits: a text edit reuses the fonts and layouts, and each rebuilt output is shown as soon as it is made."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from conftest import Workspace
from leafpress import fonts, pipeline
from leafpress.serve import PreviewSession


def _png(workspace: Workspace, lang: str, page: int = 1) -> Path:
    return workspace.out / "demo" / lang / f"leaflet-a5-{page}.png"


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_a_text_edit_is_rebuilt_warm_with_the_new_text_on_the_pushed_page(
    workspace: Workspace, monkeypatch
):
    loads: list[Path] = []
    real = fonts.load_manifest
    monkeypatch.setattr(pipeline, "load_manifest", lambda root: loads.append(root) or real(root))
    session = PreviewSession(workspace.root, workspace.out, layouts=["leaflet-a5"])
    assert sorted(session.rebuild()) == ["demo/en/leaflet-a5", "demo/kk/leaflet-a5"]
    warm = session._builder
    before = Image.open(_png(workspace, "en")).tobytes()
    kk_png = _png(workspace, "kk").stat().st_mtime_ns

    workspace.edit("en.toml", "Defend Shanyrak's residents", "Stand with Shanyrak now")
    assert session.rebuild([workspace.campaign_dir / "en.toml"]) == ["demo/en/leaflet-a5"]
    assert session._builder is warm and len(loads) == 1  # fonts read once, not per edit
    assert "STAND WITH SHANYRAK" in _pdf_text(workspace.pdf("en")).upper()
    # The image served for the page shows the change; the other language's was not redrawn.
    assert Image.open(_png(workspace, "en")).tobytes() != before
    assert _png(workspace, "kk").stat().st_mtime_ns == kk_png
    state = {o["label"]: o for o in session.snapshot()["outputs"]}
    assert state["demo/en/leaflet-a5"]["version"] > state["demo/kk/leaflet-a5"]["version"]

    # A layout's file is not text: the next rebuild starts from a new builder.
    css = workspace.root / "layouts" / "_shared" / "palette.css"
    assert sorted(session.rebuild([css])) == ["demo/en/leaflet-a5", "demo/kk/leaflet-a5"]
    assert session._builder is not warm


def test_each_rebuilt_output_is_shown_before_the_next_is_made(workspace: Workspace):
    session = PreviewSession(workspace.root, workspace.out, layouts=["leaflet-a5"])
    session.rebuild()
    first = session.snapshot()["version"]
    seen: list[dict] = []
    real = session._build

    def build(builder, job, *show):
        seen.append({o["label"]: o["version"] for o in session.snapshot()["outputs"]})
        return real(builder, job, *show)

    session._build = build
    css = workspace.root / "layouts" / "_shared" / "palette.css"
    rebuilt = session.rebuild([css])
    assert len(rebuilt) == 2
    # While the second output is made, the first is already served in its new version.
    assert seen[0][rebuilt[0]] <= first
    assert seen[1][rebuilt[0]] > first and seen[1][rebuilt[1]] <= first
    assert all(o["version"] > first for o in session.snapshot()["outputs"])


def test_a_rebuild_that_changes_nothing_keeps_the_version(workspace: Workspace):
    session = PreviewSession(workspace.root, workspace.out, layouts=["leaflet-a5"])
    session.rebuild()
    version = session.snapshot()["version"]
    other = workspace.root / "layouts" / "poster-a3-demands" / "style.css"
    assert session.rebuild([other]) == []
    assert session.snapshot()["version"] == version


DUPLEX = '\n[[outputs]]\nlayout = "leaflet-a5-duplex"\nlanguages = ["kk", "en"]\n'


def test_a_two_page_output_is_shown_at_its_first_page_and_a_page_that_looks_the_same_is_kept(
    workspace: Workspace,
):
    workspace.append("campaign.toml", DUPLEX)
    session = PreviewSession(workspace.root, workspace.out, layouts=["leaflet-a5-duplex"])
    session.rebuild()
    label = "demo/kk+en/leaflet-a5-duplex"
    front, back = (workspace.out / "demo" / "kk+en" / f"leaflet-a5-duplex-{n}.png" for n in (1, 2))
    before = front.stat().st_mtime_ns, back.stat().st_mtime_ns
    shown: list[tuple[int, list[str]]] = []
    real = session._publish

    def publish(outputs, changed):
        real(outputs, changed)
        if label in changed:
            shown.append((session.outputs[label].version, list(session.outputs[label].pages)))

    session._publish = publish
    workspace.edit("en.toml", "Together for justice", "Together, for justice")
    assert session.rebuild([workspace.campaign_dir / "en.toml"]) == [label]
    # Shown once its first page is written (the back still the last one), then whole.
    assert len(shown) == 2 and shown[0][0] < shown[1][0]
    assert (
        shown[0][1]
        == shown[1][1]
        == [f"/pages/demo/kk+en/leaflet-a5-duplex-{n}.png" for n in (1, 2)]
    )
    # The Kazakh front looks as it did: its image is not encoded and written again.
    assert front.stat().st_mtime_ns == before[0]
    assert back.stat().st_mtime_ns != before[1]


def test_page_images_are_no_larger_than_the_page_shows_them(workspace: Workspace):
    from leafpress.serve import PAGE_MAX_PX

    session = PreviewSession(workspace.root, workspace.out, None, ["en"], ["poster-a3-demands"])
    session.rebuild()
    assert session.outputs["demo/en/poster-a3-demands"].error is None
    with Image.open(workspace.out / "demo" / "en" / "poster-a3-demands-1.png") as image:
        # An A3 page at serve's 72 dpi would be 1191 pixels tall.
        assert PAGE_MAX_PX - 2 <= image.height <= PAGE_MAX_PX


def test_a_one_page_output_is_shown_before_its_checks_and_again_with_their_findings(
    workspace: Workspace, monkeypatch
):
    session = PreviewSession(workspace.root, workspace.out, layouts=["leaflet-a5"])
    session.rebuild()
    label = "demo/en/leaflet-a5"
    events: list[str] = []
    real_publish, real_findings = session._publish, pipeline.Builder._output_findings

    def publish(outputs, changed):
        real_publish(outputs, changed)
        if label in changed:
            events.append("sketched" if session.outputs[label].fitting else "shown")

    def findings(self, job, *args):
        if job.label == label:
            events.append("checked")
        return real_findings(self, job, *args)

    session._publish = publish
    monkeypatch.setattr(pipeline.Builder, "_output_findings", findings)
    workspace.edit("en.toml", "Defend Shanyrak's residents", "Stand with Shanyrak now")
    assert session.rebuild([workspace.campaign_dir / "en.toml"]) == [label]
    # The edit at the last fit's scale first, then the output fitted, then its findings.
    assert events == ["sketched", "shown", "checked", "shown"]
    assert "STAND WITH SHANYRAK" in _pdf_text(workspace.pdf("en")).upper()


def test_an_output_its_checks_refuse_shows_the_error_after_its_page(workspace: Workspace):
    session = PreviewSession(workspace.root, workspace.out, layouts=["leaflet-a5"])
    session.rebuild()
    label = "demo/en/leaflet-a5"
    shown: list[tuple[list[str], str | None]] = []
    real = session._publish

    def publish(outputs, changed):
        real(outputs, changed)
        if label in changed:
            shown.append((list(session.outputs[label].pages), session.outputs[label].error))

    session._publish = publish
    # A character no font has: the glyph check refuses the output.
    workspace.edit("en.toml", "Defend Shanyrak's residents", "Defend Shanyrak \U000f0000")
    session.rebuild([workspace.campaign_dir / "en.toml"])
    assert shown[0][0] and shown[0][1] is None
    error = shown[-1][1]
    assert error is not None and "U+F0000" in error, error

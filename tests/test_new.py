"""`new campaign`, `new layout --from` and `extends`: skeletons that build, variants that differ only where overridden."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import ImageChops

from conftest import REPO
from leafpress.cli import main
from leafpress.errors import LayoutError
from leafpress.layouts import LayoutLibrary
from leafpress.run import build
from leafpress.scaffold import placeholders


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """A workspace with the repository's layouts and fonts and no campaign yet."""
    shutil.copytree(REPO / "layouts", tmp_path / "layouts")
    shutil.copytree(REPO / "fonts", tmp_path / "fonts")
    return tmp_path


def test_new_campaign_builds_at_once_and_lists_its_placeholders(bare: Path, runner: CliRunner):
    result = runner.invoke(
        main, ["new", "campaign", "water", "--lang", "kk", "--lang", "sw", "--root", str(bare)]
    )
    assert result.exit_code == 0, result.output
    folder = bare / "leaflets" / "water"
    assert sorted(p.name for p in folder.iterdir()) == ["campaign.toml", "kk.toml", "sw.toml"]
    assert (bare / "assets" / "water").is_dir()
    kk = (folder / "kk.toml").read_text("utf-8")
    # Every key a layout needs, each with a comment on what it is and how long it can be.
    for key in ("headline", "subheadline", "lead", "body", "demands", "call_to_action", "qr_label"):
        line = next(i for i, ln in enumerate(kk.splitlines()) if ln.startswith(f"{key} = "))
        comment = kk.splitlines()[line - 1]
        assert comment.startswith("# ") and "at most" in comment, (key, comment)
    # Swahili is not in layouts/labels.toml, so its file carries the fixed words too.
    assert "[labels]" in (folder / "sw.toml").read_text("utf-8")
    assert "[labels]" not in kk

    built = runner.invoke(main, ["build", "--root", str(bare), "--layout", "leaflet-a5"])
    assert built.exit_code == 0, built.output
    assert (bare / "out" / "water" / "sw" / "leaflet-a5.pdf").is_file()

    left = {(p.file.as_posix(), p.key) for p in placeholders(folder, bare)}
    assert ("leaflets/water/campaign.toml", "contact.name") in left
    assert ("leaflets/water/kk.toml", "headline") in left
    assert ("leaflets/water/sw.toml", "labels.demands") in left
    # `check` lists them for a person, as warnings: the skeleton builds, but is not done.
    checked = runner.invoke(main, ["check", "--root", str(bare), "--json", str(folder)])
    import json

    findings = json.loads(checked.output)
    listed = {(f["file"], f["key"]) for f in findings if f["check"] == "placeholders"}
    assert listed == {(p.file.as_posix(), p.key) for p in placeholders(folder, bare)}
    assert all(f["status"] == "warning" for f in findings if f["check"] == "placeholders")
    (folder / "kk.toml").write_text(kk.replace('"TODO (kk): headline"', '"Су үшін"'), "utf-8")
    assert ("leaflets/water/kk.toml", "headline") not in {
        (p.file.as_posix(), p.key) for p in placeholders(folder, bare)
    }


def test_new_campaign_refuses_an_existing_name_and_a_bad_language(bare: Path, runner: CliRunner):
    assert runner.invoke(main, ["new", "campaign", "water", "--root", str(bare)]).exit_code == 0
    again = runner.invoke(main, ["new", "campaign", "water", "--root", str(bare)])
    assert again.exit_code == 1
    assert "Error: leaflets/water: already exists" in again.output
    bad = runner.invoke(main, ["new", "campaign", "air", "--lang", "kz_KZ", "--root", str(bare)])
    assert bad.exit_code == 1
    assert "--lang: 'kz_KZ' is not a language code" in bad.output
    assert not (bare / "leaflets" / "air").exists()


def _first_page(path: Path, rasterise) -> object:
    return rasterise(path, dpi=60)[0].convert("RGB")


def test_copied_layout_builds_the_same_page(workspace, runner: CliRunner, rasterise):
    result = runner.invoke(
        main, ["new", "layout", "my-a5", "--from", "leaflet-a5", "--root", str(workspace.root)]
    )
    assert result.exit_code == 0, result.output
    code, output = workspace.build("--lang", "en", "--layout", "leaflet-a5", "--layout", "my-a5")
    assert code == 0, output
    diff = ImageChops.difference(
        _first_page(workspace.pdf("en"), rasterise),
        _first_page(workspace.pdf("en", "my-a5"), rasterise),
    )
    assert diff.getbbox() is None


def test_extending_layout_differs_only_where_it_overrides(workspace, runner: CliRunner, rasterise):
    result = runner.invoke(
        main,
        [
            "new",
            "layout",
            "green",
            "--from",
            "leaflet-a5",
            "--extends",
            "--root",
            str(workspace.root),
        ],
    )
    assert result.exit_code == 0, result.output
    folder = workspace.root / "layouts" / "green"
    assert sorted(p.name for p in folder.iterdir()) == ["layout.toml", "style.css", "template.html"]
    # One CSS rule (the demands panel's tint) and one block (the QR caption's words).
    (folder / "style.css").write_text(".demands { background: #b9e0c0; }\n")
    (folder / "template.html").write_text(
        '{% extends "leaflet-a5/template.html" %}\n'
        '{% block qr %}<figure class="qr"><figcaption>{{ labels.web }}</figcaption>{{ qr }}</figure>'
        "{% endblock %}\n"
    )
    code, output = workspace.build("--lang", "en", "--layout", "leaflet-a5", "--layout", "green")
    assert code == 0, output
    parent = _first_page(workspace.pdf("en"), rasterise)
    child = _first_page(workspace.pdf("en", "green"), rasterise)
    assert parent.size == child.size

    # The demands panel: where the parent has its wash colour.
    wash = (0xF3, 0xEF, 0xE6)
    mask = parent.point(lambda _: 0).convert("L")
    mask.putdata([255 if px == wash else 0 for px in parent.get_flattened_data()])
    wash_box = mask.getbbox()
    assert wash_box is not None
    # With its border's anti-aliased edge, a few pixels around the wash.
    panel = (wash_box[0] - 3, wash_box[1] - 3, wash_box[2] + 3, wash_box[3] + 3)
    # The QR figure: the bottom-right corner of the contact strip.
    width, height = parent.size
    qr_box = (int(width * 0.55), int(height * 0.8), width, height)

    diff = ImageChops.difference(parent, child).convert("L").point(lambda v: 255 if v > 8 else 0)
    inside_panel = diff.crop(wash_box)
    assert inside_panel.histogram()[255] > 0.5 * inside_panel.width * inside_panel.height
    assert diff.crop(qr_box).getbbox() is not None, "the overridden block changed nothing"
    outside = diff.copy()
    outside.paste(0, panel)
    outside.paste(0, qr_box)
    assert outside.getbbox() is None, f"the page changed outside the overrides: {outside.getbbox()}"


def test_missing_parent_lists_the_layouts_there_are(workspace):
    folder = workspace.root / "layouts" / "orphan"
    folder.mkdir()
    (folder / "layout.toml").write_text('extends = "leaflet-a55"\n')
    with pytest.raises(LayoutError) as caught:
        LayoutLibrary(workspace.root).get("orphan")
    message = str(caught.value)
    assert message.startswith("layouts/orphan/layout.toml: extends: unknown layout 'leaflet-a55'")
    assert "(did you mean 'leaflet-a5'?)" in message
    assert "known layouts: " + ", ".join(LayoutLibrary(workspace.root).names()) in message


def test_new_layout_from_an_unknown_layout_lists_the_layouts(workspace, runner: CliRunner):
    result = runner.invoke(
        main, ["new", "layout", "x", "--from", "flyer", "--root", str(workspace.root)]
    )
    assert result.exit_code == 1
    assert "Error: --from: unknown layout 'flyer'" in result.output
    assert "known layouts: " + ", ".join(LayoutLibrary(workspace.root).names()) in result.output


def test_extends_builds_through_the_library(workspace):
    """A child with no template and no CSS of its own builds exactly as its parent."""
    folder = workspace.root / "layouts" / "plain-child"
    folder.mkdir()
    (folder / "layout.toml").write_text('extends = "poster-a3-demands"\n')
    layout = LayoutLibrary(workspace.root).get("plain-child")
    assert layout.page_size_label == "A3"
    assert [p.name for p in layout.stylesheet_paths][-1] == "style.css"
    assert layout.stylesheet_paths[-1].parent.name == "poster-a3-demands"
    report = build(workspace.root, workspace.out, languages=["en"], layouts=["plain-child"])
    assert report.ok, [str(r.error) for r in report.failed]

"""One output pipeline: build, check, serve and preview make an output the same way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdf
from click.testing import CliRunner
from PIL import Image

from conftest import REPO, Workspace
from leafpress.cli import main
from leafpress.serve import PreviewSession

DUPLEX = '\n[[outputs]]\nlayout = "leaflet-a5-duplex"\nlanguages = ["kk", "en"]\n'


def _text(path: Path) -> str:
    # No-break spaces (a short last word kept with the one before it) read as spaces.
    return " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).replace(
        "\xa0", " "
    )


def test_serve_renders_a_two_sided_output_with_both_languages(workspace: Workspace):
    workspace.append("campaign.toml", DUPLEX)
    session = PreviewSession(workspace.root, workspace.out, layouts=["leaflet-a5-duplex"])
    session.rebuild()
    state = session.outputs["demo/kk+en/leaflet-a5-duplex"]
    assert state.error is None, state.error
    assert len(state.pages) == 2
    text = _text(workspace.out / "demo" / "kk+en" / "leaflet-a5-duplex.pdf")
    assert "Әділдік үшін бірге" in text and "Together for justice" in text


def test_serve_writes_the_finished_output_of_the_campaigns_target(workspace: Workspace):
    workspace.edit(
        "campaign.toml",
        'languages = ["kk", "en"]',
        'languages = ["kk", "en"]\ntargets = ["office"]',
    )
    code, output = workspace.build("--layout", "leaflet-a6", "--lang", "en")
    assert code == 0, output
    pdf = workspace.out / "demo" / "en" / "leaflet-a6.office.pdf"
    built = pypdf.PdfReader(pdf).pages[0].mediabox
    assert (round(float(built.width)), round(float(built.height))) == (595, 842)
    session = PreviewSession(workspace.root, workspace.out, None, ["en"], ["leaflet-a6"])
    session.rebuild()
    assert session.outputs["demo/en/leaflet-a6 [office]"].error is None
    served = pypdf.PdfReader(pdf).pages[0].mediabox
    assert (round(float(served.width)), round(float(served.height))) == (595, 842)


def test_editing_one_languages_caption_rebuilds_every_output_that_prints_it(workspace: Workspace):
    folder = workspace.root / "assets" / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (600, 400), "grey").save(folder / "street.png")
    workspace.append("campaign.toml", '\n[[photos]]\nfile = "assets/demo/street.png"\n')
    workspace.append(
        "campaign.toml",
        '\n[[outputs]]\nlayout = "photo-display-a3"\noptions = { all_languages = true }\n',
    )
    workspace.append("kk.toml", '\n[captions]\nstreet = "Көшедегі көрме."\n')
    workspace.append("en.toml", '\n[captions]\nstreet = "The street display."\n')
    code, output = workspace.build()
    assert code == 0, output
    workspace.edit("kk.toml", "Көшедегі көрме.", "Бас көшедегі жаңа көрме.")
    code, output = workspace.build()
    assert code == 0, output
    assert "Бас көшедегі жаңа көрме." in _text(workspace.pdf("en", "photo-display-a3"))


def test_verify_runs_from_the_top_level_script(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, str(REPO / "cli.py"), "verify", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "identify" in done.stdout


def test_python_dash_m_leafpress_runs_the_command_line(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "leafpress", "--version"], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("leafpress")


def test_root_before_the_command_resolves_campaign_paths_against_it(
    workspace: Workspace, tmp_path: Path, monkeypatch
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    runner = CliRunner()
    for args in (
        ["--root", str(workspace.root), "build", "leaflets/demo", "--layout", "leaflet-a5"],
        ["build", "--root", str(workspace.root), "leaflets/demo", "--layout", "leaflet-a5"],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    assert workspace.pdf("kk").is_file() and workspace.pdf("en").is_file()
    assert not (elsewhere / "out").exists()


def test_a_failed_rename_keeps_the_previous_pdf_whole_and_leaves_no_temporary_file(
    workspace: Workspace, monkeypatch
):
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "en")
    assert code == 0, output
    before = workspace.pdf("en").read_bytes()
    workspace.edit("en.toml", "Send your protest.", "Send your protest now.")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", refuse)
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "en")
    monkeypatch.undo()
    assert code == 1 and "No space left on device" in output
    assert workspace.pdf("en").read_bytes() == before
    assert not list(workspace.out.rglob("*.part"))


def test_a_build_killed_between_write_and_rename_keeps_the_pdf_and_the_next_build_cleans_up(
    workspace: Workspace,
):
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "en")
    assert code == 0, output
    before = workspace.pdf("en").read_bytes()
    workspace.edit("en.toml", "Send your protest.", "Send your protest now.")
    # The process dies at the rename, as a power cut or `kill -9` would leave it.
    code = (
        "import os, signal, sys\n"
        "os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from leafpress.cli import main\n"
        "main(['build', '--root', sys.argv[1], '--layout', 'leaflet-a5', '--lang', 'en', '-j', '1'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(workspace.root)], capture_output=True, cwd=REPO
    )
    assert done.returncode == -9
    assert workspace.pdf("en").read_bytes() == before
    assert list(workspace.out.rglob("*.part"))  # what the dead process left
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "en")
    assert code == 0, output
    assert "Send your protest now." in _text(workspace.pdf("en"))
    assert not list(workspace.out.rglob("*.part"))


def test_layouts_lists_every_layouts_configuration_errors_without_rendering(
    workspace: Workspace, monkeypatch
):
    toml = workspace.root / "layouts" / "leaflet-a6" / "layout.toml"
    toml.write_text(
        toml.read_text()
        .replace("min_scale = 0.8", "min_scale = 1.4")
        .replace(
            'floors.contacts = { selector = ".contacts", pt = 7 }',
            'floors.contacts = { selector = ".contacts", pt = "seven" }',
        )
    )
    import leafpress.render

    def no_rendering(*args, **kwargs):
        raise AssertionError("leafpress layouts rendered something")

    monkeypatch.setattr(leafpress.render, "lay_out", no_rendering)
    result = CliRunner().invoke(main, ["--root", str(workspace.root), "layouts"])
    assert result.exit_code == 1
    # Each problem with the file, line and key, and what was expected.
    assert (
        "layouts/leaflet-a6/layout.toml:18: fit.min_scale: expected min_scale ≤ 1 ≤ max_scale"
        in result.stderr
    )
    assert "floors.contacts.pt: expected a size in points, found 'seven'" in result.stderr
    # The other layouts are listed as usual.
    assert "leaflet-a5" in result.output and "poster-a3-demands" in result.output
    # A build refuses the layout's outputs at planning, naming the same keys.
    code, output = workspace.build("--layout", "leaflet-a6")
    assert code == 1 and "fit.min_scale" in output and "floors.contacts.pt" in output


def test_a_screen_output_is_made_without_importing_the_finishers(workspace: Workspace):
    """A one-output build pays for no finishing stage its target does not have: a screen
    output is written as rendered, and its pages and size are the rendered ones."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from leafpress.run import build\n"
        f"root = Path({str(workspace.root)!r})\n"
        "report = build(root, root / 'out', languages=['en'], layouts=['leaflet-a5'])\n"
        "assert report.ok, [str(r.error) for r in report.results]\n"
        "r = report.results[0]\n"
        "print(r.pages, r.page_size_pt, r.size_bytes == r.path.stat().st_size)\n"
        "print(sorted(m for m in ('pypdf', 'leafpress.finish.impose') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["1 (419.527559, 595.275591) True", "[]"]
    box = pypdf.PdfReader(workspace.out / "demo/en/leaflet-a5.pdf").pages[0].trimbox
    assert (float(box.width), float(box.height)) == (419.527559, 595.275591)

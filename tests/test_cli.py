"""The command line: documented commands, exit codes, the summary table and `layouts`."""

from __future__ import annotations

import click
from click.testing import CliRunner

from conftest import REPO, Workspace
from leafpress.cli import main


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found += _commands(command, prefix + name + " ")
    return found


def test_every_command_is_documented_with_an_example():
    for name, command in _commands(main):
        assert command.help, f"{name} has no help"
        assert "Example" in command.help, f"{name}'s help shows no example"


def test_usage_error_exits_2(runner: CliRunner):
    result = runner.invoke(main, ["build", "--no-such-option"])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_build_prints_a_table_of_written_files(workspace: Workspace):
    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 0, output
    assert "file" in output and "page size" in output and "pages" in output
    assert "out/demo/kk/leaflet-a5.pdf  screen  148×210 mm      1" in output
    assert "2 written, 0 failed" in output


def test_layouts_lists_size_and_required_fields(runner: CliRunner):
    result = runner.invoke(main, ["layouts", "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    assert "leaflet-a5  A5, leaflet" in result.output
    assert "requires: headline, lead, body, demands, call_to_action, qr_label" in result.output
    assert "poster-a3-demands  A3, poster" in result.output


def test_layouts_reports_a_broken_layout_and_exits_1(workspace: Workspace, runner: CliRunner):
    toml = workspace.root / "layouts" / "leaflet-a5" / "layout.toml"
    toml.write_text(toml.read_text().replace('page_size = "A5"', 'page_size = "A7"'))
    result = runner.invoke(main, ["layouts", "--root", str(workspace.root)])
    assert result.exit_code == 1
    assert "layouts/leaflet-a5/layout.toml:5: page_size: expected one of A0, A1" in result.output


def test_out_option_writes_elsewhere(workspace: Workspace, tmp_path_factory):
    out = tmp_path_factory.mktemp("elsewhere")
    code, output = workspace.build("--out", str(out), "--lang", "en")
    assert code == 0, output
    assert (out / "demo" / "en" / "leaflet-a5.pdf").is_file()
    assert not workspace.out.exists()


def test_campaign_argument_limits_the_build(workspace: Workspace):
    code, output = workspace.build(
        str(workspace.campaign_dir), "--lang", "kk", "--layout", "leaflet-a5"
    )
    assert code == 0, output
    assert [p.relative_to(workspace.out).as_posix() for p in workspace.pdfs()] == [
        "demo/kk/leaflet-a5.pdf"
    ]


def test_outputs_choose_layouts_languages_and_options(workspace: Workspace):
    workspace.append(
        "campaign.toml",
        '\n[[outputs]]\nlayout = "leaflet-a5"\nlanguages = ["en"]\n',
    )
    code, output = workspace.build()
    assert code == 0, output
    assert [p.relative_to(workspace.out).as_posix() for p in workspace.pdfs()] == [
        "demo/en/leaflet-a5.pdf"
    ]


def test_an_option_the_layout_does_not_declare_is_an_error(workspace: Workspace):
    workspace.append(
        "campaign.toml",
        '\n[[outputs]]\nlayout = "leaflet-a5"\n[outputs.options]\ncolour = "red"\n',
    )
    code, output = workspace.build()
    assert code == 1
    assert "outputs[0].options.colour: layout 'leaflet-a5' has no option 'colour'" in output


def test_asking_for_a_layout_the_campaign_cannot_fill_says_why(workspace: Workspace):
    code, output = workspace.build("--layout", "photo-display-a3")
    assert code == 1
    # Each file that lacks what the layout prints, by key.
    assert (
        "leaflets/demo/campaign.toml: photos: the layout shows photos; add [[photos]] entries; "
        "layout 'photo-display-a3' prints it" in output
    )
    assert "leaflets/demo/en.toml: captions: missing required key 'captions'" in output

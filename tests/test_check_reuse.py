"""`check` trusts what a build or an earlier check found about the same inputs, and says so."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import Workspace
from leafpress.cli import main
from leafpress.pipeline import Builder
from leafpress.plan import plan_build
from leafpress.run import run_checks


def _counting_outputs(monkeypatch) -> list[str]:
    made: list[str] = []
    real = Builder.make_output

    def counted(self, job):
        made.append(job.label)
        return real(self, job)

    monkeypatch.setattr(Builder, "make_output", counted)
    return made


def _plan(ws: Workspace):
    return plan_build(ws.root, ws.out, layouts=["leaflet-a5"])


def test_check_after_a_build_reuses_its_findings_and_makes_nothing(
    workspace: Workspace, monkeypatch
):
    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 0, output
    made = _counting_outputs(monkeypatch)
    reused = run_checks(_plan(workspace))
    assert made == []
    assert sorted(reused.reused) == ["demo/en/leaflet-a5", "demo/kk/leaflet-a5"]
    # The recorded findings are the ones a full check finds now.
    full = run_checks(_plan(workspace), reuse=False)
    assert sorted(made) == ["demo/en/leaflet-a5", "demo/kk/leaflet-a5"]
    assert full.reused == [] and sorted(full.checked) == sorted(made)
    assert sorted(map(repr, reused.findings)) == sorted(map(repr, full.findings))
    assert any(f.check == "qr" and f.status == "ok" for f in reused.findings)


def test_check_rechecks_only_the_output_whose_language_changed(workspace: Workspace, monkeypatch):
    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 0, output
    workspace.edit("en.toml", "Defend Shanyrak's residents", "Defend the residents")
    made = _counting_outputs(monkeypatch)
    report = run_checks(_plan(workspace))
    assert made == ["demo/en/leaflet-a5"]
    assert report.reused == ["demo/kk/leaflet-a5"] and report.checked == made
    # What that check found is recorded too: the next check makes nothing.
    again = run_checks(_plan(workspace))
    assert made == ["demo/en/leaflet-a5"]
    assert sorted(again.reused) == ["demo/en/leaflet-a5", "demo/kk/leaflet-a5"]


def test_check_finds_a_new_fault_in_an_output_a_build_recorded(workspace: Workspace):
    """A recorded 'ok' must not hide a fault introduced after the build."""
    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 0, output
    workspace.edit("en.toml", "Defend Shanyrak's residents", "Defend Shanyrak \ue000")
    report = run_checks(_plan(workspace))
    assert report.reused == ["demo/kk/leaflet-a5"]
    errors = [f for f in report.findings if f.is_error]
    assert errors and all(f.language == "en" for f in errors)
    assert any(f.check == "glyphs" and "U+E000" in f.message for f in errors)


def test_check_command_names_the_reused_outputs_and_recheck_checks_all(workspace: Workspace):
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "en")
    assert code == 0, output
    args = ["check", "--root", str(workspace.root), "--layout", "leaflet-a5", "--lang", "en"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    summary = result.output.splitlines()[-1]
    assert "findings of 1 outputs are reused" in summary and "demo/en/leaflet-a5" in summary
    result = CliRunner().invoke(main, [*args, "--recheck"])
    assert result.exit_code == 0 and "reused" not in result.output
    # With --json the output stays the findings alone, reused or not.
    result = CliRunner().invoke(main, [*args, "--json"])
    assert any(f["check"] == "qr" for f in json.loads(result.output))


def test_rebuild_renders_every_output_again_but_trusts_the_campaign_checks_record(
    workspace: Workspace, monkeypatch
):
    from leafpress import check

    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 0, output
    before = workspace.pdf("kk").stat().st_mtime_ns
    runs: list[int] = []
    real = check.run_campaign_checks
    monkeypatch.setattr(check, "run_campaign_checks", lambda ctx: runs.append(1) or real(ctx))
    code, output = workspace.build("--layout", "leaflet-a5", "--rebuild", "--jobs", "1")
    assert code == 0 and "2 written, 0 failed" in output, output
    assert workspace.pdf("kk").stat().st_mtime_ns > before
    assert runs == []  # recorded with the digests of every file they read, nothing changed
    # --force trusts nothing recorded: the campaign checks run again.
    code, output = workspace.build("--layout", "leaflet-a5", "--force", "--jobs", "1")
    assert code == 0 and runs == [1], output


def test_a_full_check_in_two_workers_finds_what_one_process_finds(workspace: Workspace):
    """`check --recheck` makes its outputs in workers as a build does; each output is still
    checked, its findings recorded, and a fault in one language stays that language's."""
    workspace.edit("en.toml", "Defend Shanyrak's residents", "Defend Shanyrak \ue000")
    one = run_checks(_plan(workspace), reuse=False, jobs=1)
    two = run_checks(_plan(workspace), reuse=False, jobs=2)
    assert sorted(two.checked) == ["demo/en/leaflet-a5", "demo/kk/leaflet-a5"]
    assert sorted(map(repr, two.findings)) == sorted(map(repr, one.findings))
    assert any(f.check == "glyphs" and f.is_error and f.language == "en" for f in two.findings)
    again = run_checks(_plan(workspace), jobs=2)
    assert sorted(again.reused) == sorted(two.checked)

"""Building in worker processes gives the same PDFs, in the same order, with the same errors."""

from __future__ import annotations

from conftest import Workspace
from leafpress.build import build


def test_two_workers_write_what_one_writes_in_plan_order(workspace: Workspace, tmp_path_factory):
    one = build(workspace.root, tmp_path_factory.mktemp("one"), layouts=["leaflet-a5"], jobs=1)
    two = build(workspace.root, tmp_path_factory.mktemp("two"), layouts=["leaflet-a5"], jobs=2)
    assert [r.label for r in one.results] == [r.label for r in two.results]
    assert one.ok and two.ok
    for a, b in zip(one.results, two.results, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes()


def test_an_error_in_a_worker_keeps_its_file_and_key(workspace: Workspace):
    workspace.edit("en.toml", "headline =", "hedline =")
    report = build(workspace.root, workspace.out, layouts=["leaflet-a5"], jobs=2)
    failed = {r.lang: r for r in report.failed}
    assert set(failed) == {"en"}
    problem = failed["en"].error.problems[0]
    assert (str(problem.file), problem.key) == ("leaflets/demo/en.toml", "hedline")
    assert workspace.pdf("kk").exists()


def test_cli_jobs_option(workspace: Workspace):
    code, output = workspace.build("--jobs", "2", "--layout", "leaflet-a5")
    assert code == 0, output
    assert "2 written, 0 failed" in output
    code, output = workspace.build("--jobs", "0")
    assert code == 2


def test_workers_use_the_campaign_findings_the_parent_found(workspace: Workspace, monkeypatch):
    from leafpress import check

    runs = workspace.root / "campaign-check-runs.txt"
    real = check.run_campaign_checks

    def counted(context):
        with runs.open("a") as log:  # a file, since workers are other processes
            log.write("run\n")
        return real(context)

    monkeypatch.setattr(check, "run_campaign_checks", counted)
    layouts = ["leaflet-a5", "leaflet-a6"]
    report = build(workspace.root, workspace.out, layouts=layouts, jobs=2, incremental=True)
    assert report.ok and len(report.written) == 4
    # Once, in the parent while fingerprinting; the workers inherit what it found.
    assert runs.read_text().splitlines() == ["run"]

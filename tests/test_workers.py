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


def test_each_output_leaves_no_garbage_for_the_next(workspace: Workspace):
    # The collector runs seldom while a page is laid out (collector.py); what an output leaves
    # in reference cycles is collected before the next one starts, so memory stays that of one.
    import gc

    from leafpress.build import _run, plan_build

    plan = plan_build(workspace.root, workspace.out, layouts=["leaflet-a5"])
    outputs = _run(plan, jobs=1)
    try:
        assert next(outputs).ok
        assert gc.collect() == 0
    finally:
        outputs.close()


def test_a_worker_collects_after_each_output(workspace: Workspace):
    import gc

    from leafpress import workers
    from leafpress.build import Builder, plan_build

    plan = plan_build(workspace.root, workspace.out, layouts=["leaflet-a5"])
    # As a forked worker runs it, here in this process.
    workers._PLAN, workers._BUILDER = plan, Builder.for_plan(plan)
    try:
        assert workers._run_one(0).ok
        assert gc.collect() == 0
    finally:
        workers._PLAN = workers._BUILDER = None


def test_a_build_gives_the_callers_collector_settings_back(workspace: Workspace):
    import gc

    before = gc.get_threshold()
    gc.set_threshold(900, 11, 12)
    try:
        for jobs in (1, 2):
            report = build(workspace.root, workspace.out, layouts=["leaflet-a5"], jobs=jobs)
            assert report.ok
            assert gc.get_threshold() == (900, 11, 12)
            assert gc.get_freeze_count() == 0
    finally:
        gc.set_threshold(*before)

"""Building in worker processes gives the same PDFs, in the same order, with the same errors."""

from __future__ import annotations

import os

from conftest import Workspace
from leafpress.run import build


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


def test_workers_use_the_campaign_findings_the_parent_found(workspace: Workspace, calls_to):
    from leafpress import check

    runs = calls_to(check, "run_campaign_checks")
    layouts = ["leaflet-a5", "leaflet-a6"]
    report = build(workspace.root, workspace.out, layouts=layouts, jobs=2, incremental=True)
    assert report.ok and len(report.written) == 4
    # Once, in the parent while fingerprinting; the workers inherit what it found.
    assert runs() == [(os.getpid(), "")]


def test_each_output_leaves_no_garbage_for_the_next(workspace: Workspace):
    # The collector runs seldom while a page is laid out (collector.py); what an output leaves
    # in reference cycles is collected before the next one starts, so memory stays that of one.
    import gc

    from leafpress.plan import plan_build
    from leafpress.run import _run

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
    from leafpress.pipeline import Builder
    from leafpress.plan import plan_build

    plan = plan_build(workspace.root, workspace.out, layouts=["leaflet-a5"])
    # As a forked worker runs it, here in this process.
    workers._PLAN, workers._BUILDER = plan, Builder.for_plan(plan)
    try:
        assert all(result.ok for result in workers._run_group([0, 1]))
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


def _photo_workspace(workspace: Workspace, count: int, extra: str = "") -> None:
    from PIL import Image

    for i in range(count):
        Image.linear_gradient("L").resize((900, 600)).convert("RGB").save(
            workspace.root / "assets" / f"p{i}.jpg"
        )
        workspace.append("campaign.toml", f'\n[[photos]]\nfile = "assets/p{i}.jpg"\n{extra}\n')
    captions = "".join(f'p{i} = "Photo {i}."\n' for i in range(count))
    for lang in ("kk", "en"):
        workspace.append(f"{lang}.toml", f"\n[captions]\n{captions}")


def test_workers_prepare_the_photos_and_make_what_one_process_makes(
    workspace: Workspace, calls_to, tmp_path_factory
):
    from leafpress import photos

    (workspace.root / "assets").mkdir(exist_ok=True)
    _photo_workspace(workspace, 3)
    prepared = calls_to(photos, "prepare_photo_sizes", lambda campaign, photo, *_: photo.key)
    outs = [tmp_path_factory.mktemp("one"), tmp_path_factory.mktemp("two")]
    for out, jobs in zip(outs, (1, 2), strict=True):
        report = build(workspace.root, out, layouts=["photo-display-a3"], jobs=jobs)
        assert report.ok, [str(r.error) for r in report.failed]
    calls = prepared()
    assert len(calls) == 6  # each photo once per build, all its sizes at once
    assert {pid for pid, _ in calls[:3]} == {os.getpid()}
    assert os.getpid() not in {pid for pid, _ in calls[3:]}  # in the workers
    one, two = (sorted((out / ".cache" / "photos").glob("*.jpg")) for out in outs)
    assert [p.name for p in one] == [p.name for p in two]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(one, two, strict=True))


def test_photos_whose_faces_are_masked_are_prepared_in_the_parent(workspace: Workspace, calls_to):
    from leafpress import photos

    (workspace.root / "assets").mkdir(exist_ok=True)
    _photo_workspace(workspace, 2, "mask_faces = true")
    prepared = calls_to(photos, "prepare_photo_sizes")
    report = build(workspace.root, workspace.out, layouts=["photo-display-a3"], jobs=2)
    assert report.ok, [str(r.error) for r in report.failed]
    # OpenCV's threads do not survive a fork: face detection stays in this process.
    assert {pid for pid, _ in prepared()} == {os.getpid()}


def test_a_photo_that_fails_in_a_worker_fails_the_outputs_that_show_it(workspace: Workspace):
    (workspace.root / "assets").mkdir(exist_ok=True)
    _photo_workspace(workspace, 2)
    (workspace.root / "assets" / "p1.jpg").write_bytes(b"not a photo")
    report = build(
        workspace.root, workspace.out, layouts=["photo-display-a3", "leaflet-a5"], jobs=2
    )
    failed = {(r.lang, r.layout): r for r in report.failed}
    assert set(failed) == {("kk", "photo-display-a3"), ("en", "photo-display-a3")}
    problem = failed["kk", "photo-display-a3"].error.problems[0]
    assert "p1.jpg" in problem.message and problem.key == "photos[1].file"
    assert workspace.pdf("kk").exists() and workspace.pdf("en").exists()


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value


def test_the_parent_does_its_own_part_while_photo_workers_work():
    from leafpress.workers import map_in_workers

    here: list[int] = []
    for jobs in (1, 2):
        here.clear()
        results = map_in_workers(
            _pid_and, [(1,), (2,), (3,)], jobs, lambda: here.append(os.getpid())
        )
        assert [value for _, value in results] == [1, 2, 3]
        assert here == [os.getpid()]  # once, in this process
        workers = {pid for pid, _ in results}
        assert workers == {os.getpid()} if jobs == 1 else os.getpid() not in workers


def _spin(seconds: float) -> int:
    """Python steps, for about `seconds` (a template's loop, as far as the limit can tell)."""
    import time

    end, turns = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        turns += 1
    return turns


def test_the_time_limit_stops_work_off_the_main_thread_and_spares_work_that_ends(monkeypatch):
    """serve rebuilds beside its HTTP threads, where no timer signal arrives: a watchdog stops
    the work there, and work that ends in time is never struck afterwards."""
    import threading
    import time

    from leafpress import constants
    from leafpress.workers import OutOfTime, time_limit

    monkeypatch.setattr(constants, "OUTPUT_TIME_LIMIT_S", 0.3)
    outcome: dict[str, object] = {}

    def work() -> None:
        started = time.monotonic()
        try:
            with time_limit("making x"):
                _spin(30)
        except OutOfTime as exc:
            outcome["stopped"] = (str(exc), time.monotonic() - started)
        for _ in range(20):  # many short ones, each ending inside the limit
            with time_limit("making y"):
                _spin(0.01)
        _spin(0.6)  # past where a late watchdog would strike
        outcome["after"] = "ran on"

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    message, seconds = outcome["stopped"]
    assert "making x took longer than 0.3 s" in message
    assert seconds < 5
    assert outcome["after"] == "ran on"

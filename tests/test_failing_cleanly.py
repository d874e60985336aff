"""Builds that fail cleanly: a full disk, an output folder that cannot be written, an output that
runs too long, a bug at the top level, a killed build; and the other outputs are still built."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, Workspace
from leafpress import constants, write
from leafpress.cli import main

ONE = ("--layout", "leaflet-a5", "--lang", "en", "-j", "1")


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith((".part", ".tmp"))]


def test_one_bad_language_fails_alone_and_a_byte_order_mark_is_accepted(workspace: Workspace):
    workspace.edit("en.toml", "Defend Shanyrak", "Defend\\u0007 Shanyrak")
    kk = workspace.campaign_dir / "kk.toml"
    kk.write_bytes(b"\xef\xbb\xbf" + kk.read_bytes())  # as some Windows editors save it
    code, output = workspace.build("--layout", "leaflet-a5", "-j", "1")
    assert code == 1
    assert "leaflets/demo/en.toml:1: headline: contains the control character U+0007" in output
    assert workspace.pdf("kk").exists() and not workspace.pdf("en").exists()
    assert "Traceback" not in output


def test_a_full_disk_fails_the_output_with_a_clear_error_and_leaves_no_part_file(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write.os, "fsync", full)
    code, output = workspace.build(*ONE)
    assert code == 1
    assert "out/demo/en/leaflet-a5.pdf: cannot write the PDF: No space left on device" in output
    assert "disk has room" in output and "Traceback" not in output
    assert not workspace.pdf("en").exists()
    assert _leftovers(workspace.root) == []


def test_an_output_folder_that_is_a_file_is_a_clear_error(workspace: Workspace):
    # As root, permissions do not stop a write; a file where a folder must be does.
    (workspace.root / "blocked").write_text("a file, not a folder")
    code, output = workspace.build(*ONE, "--out", "blocked")
    assert code == 1
    assert "Traceback" not in output
    assert "blocked" in output and "Error" in output
    assert _leftovers(workspace.root) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_a_clear_error(workspace: Workspace):
    workspace.out.mkdir()
    workspace.out.chmod(0o555)
    try:
        code, output = workspace.build(*ONE)
    finally:
        workspace.out.chmod(0o755)
    assert code == 1 and "cannot write" in output and "Traceback" not in output


def test_a_full_disk_while_recording_the_fingerprint_leaves_nothing_half_written(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    from leafpress import incremental

    real = write.write_atomic

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def record_fails(path: Path, data: bytes, inside: Path | None = None) -> None:
        # The disk fills up after the PDF, while its fingerprint is written.
        with monkeypatch.context() as patch:
            patch.setattr(write.os, "fsync", full)
            real(path, data, inside)

    monkeypatch.setattr(incremental, "write_atomic", record_fails)
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "en", "-j", "1")
    # A record is a cache: the PDF is whole, the record absent, the next build makes it again.
    assert code == 0 and "Traceback" not in output, output
    assert workspace.pdf("en").exists()
    assert not list((workspace.out / ".cache" / "fingerprints").rglob("*.json"))
    assert _leftovers(workspace.root) == []


def test_an_output_past_the_time_limit_fails_alone(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(constants, "OUTPUT_TIME_LIMIT_S", 0.05)
    started = time.monotonic()
    code, output = workspace.build(*ONE)
    assert time.monotonic() - started < 10
    assert code == 1
    assert "making demo/en/leaflet-a5 took longer than 0.05 s" in output
    assert not workspace.pdf("en").exists() and _leftovers(workspace.root) == []


def test_an_unexpected_error_at_the_top_is_one_line_and_verbose_adds_the_traceback(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    from leafpress import cli

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "plan_build", broken)
    code, output = _invoke("build", "--root", str(workspace.root))
    assert code == 1
    assert "Error: build failed unexpectedly: ZeroDivisionError: a bug" in output
    assert "Traceback" not in output
    code, output = _invoke("build", "--root", str(workspace.root), "-v")
    assert code == 1 and "Traceback" in output and "ZeroDivisionError" in output


def test_check_reports_a_broken_input_with_file_key_and_line_and_no_traceback(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    workspace.edit("en.toml", "First paragraph.", "First\\u2029paragraph.")
    args = ("check", "--root", str(workspace.root), "--layout", "leaflet-a5")
    code, table = _invoke(*args)
    assert code == 1 and "Traceback" not in table
    assert "leaflets/demo/en.toml:4: body: contains the control character U+2029" in table
    code, output = _invoke(*args, "--json")
    findings = json.loads(output)
    body = [f for f in findings if f["key"] == "body" and f["status"] == "error"]
    assert body and body[0]["file"] == "leaflets/demo/en.toml" and body[0]["line"] == 4

    # A bug while checking one output is that output's finding; check goes on to the others.
    from leafpress.pipeline import Builder

    real = Builder.make_output

    def buggy(self, job):
        if job.lang == "kk":
            raise ZeroDivisionError("a bug")
        return real(self, job)

    monkeypatch.setattr(Builder, "make_output", buggy)
    # --recheck: the first check recorded kk's findings, which check would otherwise reuse.
    code, table = _invoke(*args, "--lang", "kk", "--recheck")
    assert code == 1 and "Traceback" not in table
    assert "checking this output failed unexpectedly: ZeroDivisionError: a bug" in table


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_killing_a_build_ends_its_workers_and_nothing_is_written_after(tmp_path: Path):
    ws = Workspace(tmp_path)
    # Several outputs, so that two workers have work for a while.
    build = subprocess.Popen(
        [sys.executable, "-m", "leafpress", "build", "--root", str(ws.root), "-j", "2", "--force"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            workers = _children(build.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the build never started its workers"
        # Into their rendering: WeasyPrint has loaded fonts, copying them to scratch folders.
        scratch = write.scratch_dir(ws.out)
        while time.monotonic() < deadline and not (scratch.is_dir() and any(scratch.iterdir())):
            time.sleep(0.05)
        time.sleep(0.5)
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "workers outlived their build"
        written = {p: p.stat().st_mtime_ns for p in ws.out.rglob("*") if p.is_file()}
        time.sleep(2)
        after = {p: p.stat().st_mtime_ns for p in ws.out.rglob("*") if p.is_file()}
        assert after == written, "something was written after the build died"
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    # The workers had copied fonts for WeasyPrint into their scratch folders; killed, they
    # could not remove them. The next build removes what the killed processes left.
    assert [p for p in scratch.iterdir() if not _alive(int(p.name.split("-")[0]))]
    code, output = ws.build("-j", "1", "--layout", "leaflet-a5")
    assert code == 0, output
    assert _leftovers(ws.root) == []
    assert [p.name for p in scratch.iterdir() if not p.name.startswith(f"{os.getpid()}-")] == []


def test_a_build_leaves_nothing_in_the_system_temporary_folder(tmp_path: Path):
    """WeasyPrint copies each font it loads into a temporary folder, which its workers never
    removed: every build left hundreds of megabytes of them in /tmp. They are kept in the
    output folder's cache while the build runs, and removed by each process as it ends."""
    ws = Workspace(tmp_path / "workspace")
    system_tmp = tmp_path / "tmp"
    system_tmp.mkdir()
    command = ["build", "--root", str(ws.root), "-j", "2", "--layout", "leaflet-a5"]
    done = subprocess.run(
        [sys.executable, "-m", "leafpress", *command],
        cwd=REPO,
        env={**os.environ, "TMPDIR": str(system_tmp)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(ws.pdfs()) == 2  # kk and en: two documents, one in each worker
    assert list(system_tmp.iterdir()) == []
    assert list(write.scratch_dir(ws.out).iterdir()) == []


def test_preview_reports_an_output_whose_pages_cannot_be_drawn_and_goes_on(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    from leafpress import preview

    real = preview.write_page_pngs

    def broken_for_en(pdf: Path, out: Path, dpi: int = 72) -> list[Path]:
        if pdf.parent.name == "en":
            raise ValueError("a bug")
        return real(pdf, out, dpi)

    monkeypatch.setattr(preview, "write_page_pngs", broken_for_en)
    args = ("preview", "--root", str(workspace.root), "--layout", "leaflet-a5", "--dpi", "36")
    code, output = _invoke(*args)
    assert code == 1 and "Traceback" not in output
    assert "drawing the page images failed unexpectedly: ValueError: a bug" in output
    assert (workspace.out / "demo" / "kk" / "leaflet-a5-1.png").exists()
    assert (workspace.out / "demo" / "contact-sheet.png").exists()


def test_a_headline_too_long_to_fit_is_blamed_not_the_body(workspace: Workspace):
    # Within the field limit, but the page overflows by more than the whole body: shortening
    # the body (what copy-fitting shrinks) cannot help.
    workspace.edit("en.toml", "Defend Shanyrak", "Defend " * 80 + "Shanyrak")
    code, output = workspace.build(*ONE)
    assert code == 1
    assert (
        "leaflets/demo/en.toml:1: headline: fit: the page overflows by more than the whole body"
        in output
    )
    assert "shorten headline (" in output
    assert "body is about" not in output


def test_a_bug_in_a_campaign_check_fails_that_campaign_not_the_build(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    from leafpress import check

    def buggy(_context):
        raise AttributeError("a bug")

    monkeypatch.setattr(check, "CAMPAIGN_CHECKS", [*check.CAMPAIGN_CHECKS, buggy])
    code, output = workspace.build(*ONE)
    assert code == 1 and "Traceback" not in output
    assert "checking the campaign failed unexpectedly: AttributeError: a bug" in output
    assert "build failed unexpectedly" not in output

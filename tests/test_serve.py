"""`leafpress serve`: rebuilds only what a change affects, updates the open page live, serves nothing else."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, Workspace
from leafpress.serve import PreviewServer, PreviewSession, is_affected

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _server(session: PreviewSession, watch: bool) -> Iterator[PreviewServer]:
    server = PreviewServer(session, "127.0.0.1", 0)  # port 0: a free port
    server.start(watch=watch)
    try:
        yield server
    finally:
        server.stop()
        alive = [t.name for t in server._threads if t.is_alive()]
        assert not alive, f"threads still running after stop: {alive}"


def _wait(event: threading.Event, what: str, timeout: float = 30) -> None:
    assert event.wait(timeout), f"timed out waiting for {what}"


def _reads(workspace: Workspace, lang: str, layout: str = "leaflet-a5") -> set[Path]:
    from leafpress.pipeline import Builder
    from leafpress.plan import plan_build

    plan = plan_build(workspace.root, workspace.out, languages=[lang], layouts=[layout])
    data, result = Builder.for_plan(plan).make_output(plan.jobs[0])
    assert data is not None and result.ok
    return set(result.reads)


def test_an_output_records_the_campaign_language_layout_chain_and_fonts_it_reads(
    workspace: Workspace,
):
    reads = _reads(workspace, "en")
    root = workspace.root.resolve()
    for path in [
        "leaflets/demo/campaign.toml",
        "leaflets/demo/en.toml",
        "layouts/labels.toml",
        "layouts/leaflet-a5/labels.toml",  # absent, but creating it would change the output
        "layouts/leaflet-a5/layout.toml",
        "layouts/leaflet-a5/template.html",
        "layouts/leaflet-a5/style.css",
        "layouts/_shared/base.html",
        "layouts/_shared/palette.css",
        "fonts/fonts.toml",
    ]:
        assert root / path in reads, path
    assert Path("/usr/share/fonts/truetype/paratype/PTN77F.ttf") in reads
    assert root / "leaflets/demo/kk.toml" not in reads
    assert not is_affected(reads, [root / "layouts/poster-a3-demands/style.css"])
    assert is_affected(reads, [root / "layouts/leaflet-a5"])


def test_a_generated_language_reads_its_source_file(workspace: Workspace):
    workspace.edit(
        "campaign.toml",
        'languages = ["kk", "en"]',
        'languages = ["kk", "en", "kk-Latn"]\ntransliterate = { "kk-Latn" = "kk" }',
    )
    reads = _reads(workspace, "kk-Latn")
    root = workspace.root.resolve()
    assert is_affected(reads, [root / "leaflets/demo/kk.toml"])
    assert not is_affected(reads, [root / "leaflets/demo/en.toml"])


def test_changing_one_language_file_rebuilds_only_that_languages_outputs(workspace: Workspace):
    session = PreviewSession(workspace.root, workspace.out, layouts=["leaflet-a5"])
    assert sorted(session.rebuild()) == ["demo/en/leaflet-a5", "demo/kk/leaflet-a5"]
    rebuilt: list[list[str]] = []
    done = threading.Event()
    for server in _server(session, watch=True):
        server.on_rebuild = lambda labels: (rebuilt.append(labels), done.set())
        time.sleep(0.5)  # let the watcher start before the edit it must see
        workspace.edit("en.toml", "Send your protest.", "Send your protest today.")
        _wait(done, "the rebuild after en.toml changed")
    assert rebuilt == [["demo/en/leaflet-a5"]]
    state = {o["label"]: o for o in session.snapshot()["outputs"]}
    assert state["demo/en/leaflet-a5"]["version"] > state["demo/kk/leaflet-a5"]["version"]
    # A layout these outputs do not use, and a file of another language, rebuild nothing.
    assert session.rebuild([workspace.root / "layouts" / "poster-a3-demands" / "style.css"]) == []
    assert sorted(session.rebuild([workspace.root / "layouts" / "_shared" / "palette.css"])) == [
        "demo/en/leaflet-a5",
        "demo/kk/leaflet-a5",
    ]


def test_adding_and_deleting_a_layout_file_rebuilds_its_outputs(workspace: Workspace):
    session = PreviewSession(workspace.root, workspace.out, None, ["en"], ["leaflet-a5"])
    session.rebuild()
    labels = workspace.root / "layouts" / "leaflet-a5" / "labels.toml"
    labels.write_text('[en]\ndemands = "What we want"\n')
    assert session.rebuild([labels]) == ["demo/en/leaflet-a5"]
    assert "WHAT WE WANT" in _pdf_text(workspace.pdf("en")).upper()
    labels.unlink()
    assert session.rebuild([labels]) == ["demo/en/leaflet-a5"]
    assert "WHAT WE WANT" not in _pdf_text(workspace.pdf("en")).upper()


# Ten billion turns of a loop: a template that would run for hours, stopped by the time limit.
ENDLESS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def test_a_template_that_never_ends_fails_its_output_and_the_server_keeps_answering(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    from leafpress import constants

    monkeypatch.setattr(constants, "OUTPUT_TIME_LIMIT_S", 2)
    session = PreviewSession(workspace.root, workspace.out, None, ["en"], ["leaflet-a5"])
    session.rebuild()
    template = workspace.root / "layouts" / "leaflet-a5" / "template.html"
    good = template.read_text()
    done = threading.Event()
    waits: list[float] = []
    for server in _server(session, watch=True):
        server.on_rebuild = lambda labels: done.set() if labels else None
        time.sleep(0.5)  # let the watcher start before the edit it must see
        template.write_text(good.replace("{% block body %}", "{% block body %}" + ENDLESS, 1))
        deadline = time.monotonic() + 60
        while not done.is_set() and time.monotonic() < deadline:
            asked = time.monotonic()
            assert _get(server, "/state.json")[0] == 200
            waits.append(time.monotonic() - asked)
            time.sleep(0.1)
        _wait(done, "the rebuild after the template changed")
        state = {o["label"]: o for o in session.snapshot()["outputs"]}
        error = state["demo/en/leaflet-a5"]["error"]
        assert "making demo/en/leaflet-a5 took longer than 2 s" in error, error
        # The server answered all along, while the watcher's thread ran the template.
        assert len(waits) >= 5 and max(waits) < 2, waits
    # A macro that calls itself fails at once, as in `build`; the fixed template comes back.
    recursive = "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"
    template.write_text(good.replace("{% block body %}", "{% block body %}" + recursive, 1))
    assert session.rebuild([template]) == ["demo/en/leaflet-a5"]
    assert "calls itself" in session.snapshot()["outputs"][0]["error"]
    template.write_text(good)
    session.rebuild([template])
    assert session.snapshot()["outputs"][0]["error"] is None


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewServer]:
    workspace = Workspace(tmp_path_factory.mktemp("served"))
    session = PreviewSession(
        workspace.root, workspace.out, languages=["en"], layouts=["leaflet-a5"]
    )
    session.rebuild()
    # A symlink inside the output folder must not lead out of it.
    os.symlink("/etc/passwd", session.out / "escape.png")
    yield from _server(session, watch=False)


def _get(
    server: PreviewServer, path: str, method: str = "GET", host_header: str | None = None
) -> tuple[int, bytes]:
    host, port = server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.putrequest(
            method, path, skip_host=host_header is not None, skip_accept_encoding=True
        )
        if host_header is not None:
            connection.putheader("Host", host_header)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/pages/../../etc/passwd",
        "/pages/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/pages/..%2f..%2f..%2fetc%2fpasswd",
        "/pages/%252e%252e/%252e%252e/etc/passwd",
        "/pages/..%5c..%5cetc%5cpasswd",
        "/pages//etc/passwd",
        "//etc/passwd",
        "/pages/",
        "/pages/demo/",
        "/pages/demo/en/leaflet-a5.pdf",
        "/pages/.cache/x.png",
        "/pages/escape.png",
    ],
)
def test_only_page_images_are_served_no_path_escapes(served: PreviewServer, path: str):
    status, body = _get(served, path)
    assert status == 404, (path, body[:100])
    assert b"root:" not in body


def test_serves_the_page_state_and_images_and_accepts_no_writes(served: PreviewServer):
    status, body = _get(served, "/")
    assert status == 200 and b"EventSource" in body
    status, body = _get(served, "/pages/demo/en/leaflet-a5-1.png")
    assert status == 200 and body.startswith(b"\x89PNG")
    for method in ("POST", "PUT", "DELETE"):
        assert _get(served, "/pages/demo/en/leaflet-a5-1.png", method)[0] == 501


def _browser_or_skip():
    required = os.environ.get("LEAFPRESS_TEST_BROWSER") == "1"
    missing = None
    if not Path(CHROMIUM).is_file() or not shutil.which("chromium"):
        missing = "Debian's chromium is not installed (LEAFPRESS_TEST_BROWSER=1 ./setup.sh as root)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "Playwright for Python is not installed (pip install -e '.[test]')"
    if missing:
        if required:
            pytest.fail(f"LEAFPRESS_TEST_BROWSER=1 but {missing}")
        pytest.skip(missing)


# Counts the pixels of a colour in the output's first page image as the browser shows it.
COUNT_COLOUR = """([label, r, g, b]) => {
  const img = document.querySelector(`[data-label="${label}"] img`);
  if (!img || !img.complete || !img.naturalWidth) return -1;
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12) n++;
  }
  return n;
}"""


def test_page_updates_live_in_chromium_and_shows_build_errors(workspace: Workspace):
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    session = PreviewSession(
        workspace.root, workspace.out, languages=["en"], layouts=["leaflet-a5"]
    )
    session.rebuild()
    label = "demo/en/leaflet-a5"
    green = [label, 0x00, 0xA6, 0x51]
    finished: list[float] = []
    for server in _server(session, watch=True):
        server.on_rebuild = lambda labels: finished.append(time.monotonic()) if labels else None
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(server.url)
                page.wait_for_selector(f'[data-label="{label}"] img')
                page.wait_for_function(f"({COUNT_COLOUR})({green!r}) >= 0")
                assert page.evaluate(COUNT_COLOUR, green) == 0
                page.evaluate("window.notReloaded = true")

                css = workspace.root / "layouts" / "leaflet-a5" / "style.css"
                css.write_text(css.read_text() + "\n.masthead { border-top-color: #00a651; }\n")
                page.wait_for_function(
                    f"({COUNT_COLOUR})({green!r}) > 500", timeout=30_000, polling=100
                )
                # The first page is shown as soon as it is drawn, before the output's checks
                # end the rebuild: the rebuild is awaited after the page, not before it.
                deadline = time.monotonic() + 30
                while not finished and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert finished, "the page changed but no rebuild finished"
                assert page.evaluate("window.notReloaded") is True

                text = workspace.campaign_dir / "en.toml"
                good = text.read_text("utf-8")
                text.write_text(good.replace('headline = "', 'headline = """', 1), "utf-8")
                error = page.wait_for_selector(".error", timeout=30_000)
                assert "leaflets/demo/en.toml" in error.inner_text()
                assert page.query_selector(f'[data-label="{label}"] img') is None

                text.write_text(good, "utf-8")
                page.wait_for_function(
                    f"({COUNT_COLOUR})({green!r}) > 500", timeout=30_000, polling=100
                )
                assert page.query_selector(".error") is None
                assert page.evaluate("window.notReloaded") is True
            finally:
                browser.close()


def test_the_watcher_collects_seldom_while_rebuilding_and_thaws_its_frozen_state_on_stop(
    workspace: Workspace,
):
    import gc

    session = PreviewSession(
        workspace.root, workspace.out, languages=["en"], layouts=["leaflet-a5"]
    )
    session.rebuild()
    thresholds = gc.get_threshold()
    during: list[tuple[int, int, int]] = []
    real = session.rebuild
    session.rebuild = lambda changed=None: during.append(gc.get_threshold()) or real(changed)
    done = threading.Event()
    for server in _server(session, watch=True):
        # The first build's state (WeasyPrint, fonts, layouts) is never walked again.
        assert gc.get_freeze_count() > 0
        server.on_rebuild = lambda labels: done.set() if labels else None
        time.sleep(0.5)  # let the watcher start before the edit it must see
        workspace.edit("en.toml", "Send your protest.", "Send your protest today.")
        _wait(done, "the rebuild after en.toml changed")
        assert gc.get_threshold() == thresholds
    assert during and during[0][0] > thresholds[0]
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == thresholds


def test_answers_only_to_loopback_host_names(served: PreviewServer):
    port = served.httpd.server_address[1]
    assert _get(served, "/state.json", host_header=f"localhost:{port}")[0] == 200
    # A page on another domain rebound to 127.0.0.1 sends its own name: it reads nothing.
    status, body = _get(served, "/state.json", host_header=f"attacker.example:{port}")
    assert status == 403 and b"demo" not in body


def test_serve_command_prints_its_address_serves_and_stops_on_ctrl_c(workspace: Workspace):
    command = [
        sys.executable,
        "-c",
        "from leafpress.cli import main; main()",
        "serve",
        "--port",
        "0",
    ]
    command += ["--root", str(workspace.root), "--lang", "en", "--layout", "leaflet-a5"]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A test run started in the background (`cmd &`) ignores Ctrl-C, and so would the
        # server it starts: give it the default handling a person's terminal gives it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        line = process.stdout.readline()
        match = re.match(r"Serving on (http://127\.0\.0\.1:\d+/)", line)
        assert match, (line, process.stderr.read() if process.poll() is not None else "")
        with urllib.request.urlopen(match[1] + "state.json", timeout=10) as response:
            state = json.load(response)
        assert [o["label"] for o in state["outputs"]] == ["demo/en/leaflet-a5"]
        process.send_signal(signal.SIGINT)
        # About a second; a minute leaves room for a machine busy with other tests, not a hang.
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_page_state_shows_copy_fit_scale_and_check_findings(workspace: Workspace):
    workspace.edit("en.toml", 'qr_label = "Scan me"', 'qr_label = "Scan me 😀"')
    workspace.edit(
        "campaign.toml", "example.org/shanyrak", "example.org/shanyrak?utm_source=leaflet"
    )
    session = PreviewSession(workspace.root, workspace.out, layouts=["leaflet-a5"])
    session.rebuild()
    state = {o["label"]: o for o in session.snapshot()["outputs"]}
    kazakh, english = state["demo/kk/leaflet-a5"], state["demo/en/leaflet-a5"]
    assert kazakh["fit_scale"] > 1  # the short test text grows to fill its page
    assert any(f.startswith("warning: ") and "utm_" in f for f in kazakh["findings"]), kazakh
    # The emoji is in no font of the layout: the check's error stands in place of the output.
    assert "U+1F600" in english["error"]


def test_two_host_headers_are_refused_even_when_the_first_is_local(served: PreviewServer):
    host, port = served.httpd.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.putrequest("GET", "/state.json", skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", f"localhost:{port}")
        connection.putheader("Host", f"attacker.example:{port}")
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 403 and b"demo" not in response.read()
    finally:
        connection.close()


@pytest.fixture
def bare_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PreviewServer]:
    """A server over a session that has built nothing: for the HTTP side alone, with a short
    idle timeout and few connection slots so the limits show within a test."""
    import leafpress.serve as serve_module

    monkeypatch.setattr(serve_module, "IDLE_TIMEOUT_S", 0.5)
    monkeypatch.setattr(serve_module, "MAX_CONNECTIONS", 3)
    session = PreviewSession(tmp_path, tmp_path / "out")
    yield from _server(session, watch=False)


def test_a_client_that_disconnects_mid_answer_prints_no_traceback(
    bare_server: PreviewServer, capfd: pytest.CaptureFixture
):
    import socket

    host, port = bare_server.httpd.server_address[:2]
    for _ in range(20):
        client = socket.create_connection((host, port))
        # RST on close: the server's write then meets a reset connection.
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        client.sendall(f"GET / HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode())
        client.close()
    # Three slots: until the handlers of the reset connections end, a new one may be closed at
    # once (on a busy machine that takes a while).
    deadline = time.monotonic() + 10
    while True:
        try:
            assert _get(bare_server, "/")[0] == 200
            break
        except ConnectionError:  # http.client.RemoteDisconnected among them
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    time.sleep(0.3)
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "Error" not in captured.err, captured.err


def test_an_idle_connection_is_closed_and_connections_are_capped(bare_server: PreviewServer):
    import socket

    host, port = bare_server.httpd.server_address[:2]
    idle = [socket.create_connection((host, port), timeout=5) for _ in range(3)]
    time.sleep(0.2)
    # All three slots are held by clients that send nothing: a fourth is closed at once.
    extra = socket.create_connection((host, port), timeout=5)
    assert extra.recv(1) == b""
    extra.close()
    # Past the idle timeout the server has closed the silent ones, and answers again.
    started = time.monotonic()
    for sock in idle:
        assert sock.recv(1) == b""
        sock.close()
    assert time.monotonic() - started < 5
    assert _get(bare_server, "/")[0] == 200

"""Where a person waits: serve's edit-to-image latency, a one-output build, check after a build, a first build.

    python bench/run.py --only serve          # or one-output, check, first-build; repeatable
    python bench/run.py --only check --quick  # the English outputs only, about a minute

Each measurement works on a fresh copy of the repository's sample workspace (leaflets/shanyrak,
layouts, fonts, assets) in a temporary folder, runs leafpress as a person would (a fresh
`leafpress` process; `serve` as a server polled over HTTP), and, where a baseline exists,
measures it in the same run in alternated rounds, so that the ratio sees the machine as it is.
The figures come out as Markdown table rows, to paste into the README.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CAMPAIGN = "leaflets/shanyrak"
WAITS = ("serve", "one-output", "check", "first-build")
# The headline of en.toml, edited in turns by the serve measurement.
HEADLINE = 'headline = "'


def sample_workspace(folder: Path) -> Path:
    for name in ("leaflets", "layouts", "fonts", "assets"):
        shutil.copytree(REPO / name, folder / name)
    return folder


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def leafpress(root: Path, *args: str) -> tuple[float, str]:
    """Wall seconds of one fresh `leafpress` process, and its output."""
    command = [sys.executable, "-c", "import cli; cli.main()", *args, "--root", str(root)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=_env())
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"leafpress {' '.join(args)} failed:\n{done.stderr}{done.stdout}")
    return wall, done.stdout + done.stderr


def _ratios(tops: list[float], bottoms: list[float]) -> str:
    each = ", ".join(f"{t / b:.2f}" for t, b in zip(tops, bottoms, strict=True))
    return f"{statistics.median(tops) / statistics.median(bottoms):.2f}× ({each})"


def _times(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({', '.join(f'{v:.2f}' for v in values)})"


# --- serve ---------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _state(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/state.json", timeout=10) as answer:
        return json.loads(answer.read())


def _served_version(port: int, label: str) -> int | None:
    try:
        for output in _state(port)["outputs"]:
            if output["label"] == label and output["pages"] and not output["error"]:
                return output["version"]
    except OSError:
        return None
    return None


def _serve_waits(
    labels: list[str], layouts: list[str], rounds: int
) -> tuple[list[list[float]], list[list[float]]]:
    """Seconds from each save of en.toml until each of `labels` has a new page image, and
    until that image is the fitted page (not serve's sketch at the last fit's scale), with
    `serve --lang en` (and `--layout` for each of `layouts`) as a server polled over HTTP."""
    folder = Path(tempfile.mkdtemp(prefix="leafpress-bench-serve-"))
    root = sample_workspace(folder)
    port = _free_port()
    command = [sys.executable, "-c", "import cli; cli.main()", "serve", CAMPAIGN, "--lang", "en"]
    for layout in layouts:
        command += ["--layout", layout]
    command += ["--port", str(port), "--root", str(root)]
    server = subprocess.Popen(
        command, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    waits: list[list[float]] = [[] for _ in labels]
    fitted_waits: list[list[float]] = [[] for _ in labels]
    try:
        deadline = time.monotonic() + 900
        while any(_served_version(port, label) is None for label in labels):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"serve did not start:\n{server.stderr.read().decode()}")
            time.sleep(0.2)
        time.sleep(1)  # the first build's last outputs, and the watcher's start
        language = root / CAMPAIGN / "en.toml"
        original = language.read_text("utf-8")
        # Told of each change by the event stream, as the browser's page is, and reading the
        # state once an event: polling /state.json every few ms would make the server spend on
        # answering what the rebuild needs.
        events = urllib.request.urlopen(f"http://127.0.0.1:{port}/events", timeout=60)
        for turn in range(rounds):
            before = [_served_version(port, label) or 0 for label in labels]
            versions = {o["label"]: o["version"] for o in _state(port)["outputs"]}
            # A headline never saved before: the page changes, and no fit kept on disk for an
            # earlier text (refit.py) can be replayed, as after an undo.
            edited = original.replace(HEADLINE, f"{HEADLINE}Now {turn + 1}: ", 1)
            start = time.perf_counter()
            language.write_text(edited, "utf-8")
            seen: list[float | None] = [None for _ in labels]
            fitted: list[float | None] = [None for _ in labels]
            while None in fitted:
                line = events.readline()
                if not line:
                    raise SystemExit("serve closed its event stream")
                if not line.startswith(b"data:"):
                    continue
                now = time.perf_counter() - start
                state = {o["label"]: o for o in _state(port)["outputs"]}
                for i, label in enumerate(labels):
                    output = state.get(label)
                    shown = output and output["pages"] and not output["error"]
                    if seen[i] is None and shown and output["version"] > before[i]:
                        seen[i] = now
                    if fitted[i] is None and seen[i] is not None and not output["fitting"]:
                        fitted[i] = now
                if now > 120:
                    raise SystemExit("serve did not rebuild after en.toml was saved")
            for i, (wait, fit) in enumerate(zip(seen, fitted, strict=True)):
                waits[i].append(wait)
                fitted_waits[i].append(fit)
            # The next save comes once every output this one goes into is shown again, and
            # shown whole: a multi-page output is shown at its first page, then at every page,
            # which must not pass for the next save's.
            while any(o["version"] <= versions.get(o["label"], 0) for o in _state(port)["outputs"]):
                time.sleep(0.05)
            time.sleep(2)
        events.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    return waits, fitted_waits


def measure_serve(rounds: int, quick: bool) -> list[tuple[str, str]]:
    """Save en.toml, then poll /state.json until the A5 leaflet's (and the A3 photo display's)
    new page image is served: with `serve --lang en`, which rebuilds the five English outputs
    one after the other (the A5 leaflet first, the A3 display third), and with the A3 display
    served alone, as a person working on the display would run it."""
    # Five saves a run, as the issue measured it: three leave the median to chance.
    rounds = 3 if quick else max(5, rounds)
    a5, a3 = "shanyrak/en/leaflet-a5", "shanyrak/en/photo-display-a3"
    (a5_waits, a3_after), (a5_fitted, _) = _serve_waits([a5, a3], [], rounds)
    (a3_alone,), _ = _serve_waits([a3], ["photo-display-a3"], rounds)
    return [
        ("serve: en.toml saved → A5 leaflet's new page image served (median)", _times(a5_waits)),
        (
            "  the A5 page fitted (serve's sketch at the last fit's scale replaced)",
            _times(a5_fitted),
        ),
        ("serve: en.toml saved → A3 photo display's page, served alone", _times(a3_alone)),
        ("  the same, after the A5 and A6 leaflets rebuilt before it", _times(a3_after)),
    ]


# --- one output in a fresh process ------------------------------------------------------------


def plain_weasyprint(documents: Path, label: str, pdf: Path) -> None:
    """In a fresh process: plain WeasyPrint writing the captured final document of `label`,
    with leafpress's fetcher (fonts and photos from the workspace, nothing from the network)."""
    import pickle

    from weasyprint import CSS, HTML

    from leafpress.render import make_fetcher

    final = next(f for f in pickle.loads(documents.read_bytes()) if f["label"] == label)
    args, kwargs = final["fetcher"]
    HTML(
        string=final["html"], base_url=final["base_url"], url_fetcher=make_fetcher(*args, **kwargs)
    ).write_pdf(
        pdf,
        stylesheets=[CSS(string=final["css"])] if final["css"] else None,
        **final["options"],
    )


def measure_one_output(rounds: int, capture) -> list[tuple[str, str]]:
    """`leafpress build leaflets/shanyrak --lang en --layout leaflet-a5 --rebuild` as a fresh
    process, against plain WeasyPrint writing the same final HTML in a fresh process, in turns."""
    folder = Path(tempfile.mkdtemp(prefix="leafpress-bench-one-"))
    root = sample_workspace(folder / "workspace")
    documents = folder / "documents.pickle"
    capture(root, folder / "out-capture", documents, ["--layout=leaflet-a5"])
    import pickle

    labels = [f["label"] for f in pickle.loads(documents.read_bytes())]
    label = next(x for x in labels if x.startswith("shanyrak/en/leaflet-a5"))
    args = ["build", CAMPAIGN, "--lang", "en", "--layout", "leaflet-a5", "--rebuild", "--jobs=1"]
    leafpress(root, *args)  # its photos prepared and the page cache warm, as on a second run
    ours, plain = [], []
    for turn in range(rounds):
        for side in ("ours", "plain") if turn % 2 == 0 else ("plain", "ours"):
            if side == "ours":
                ours.append(leafpress(root, *args)[0])
            else:
                code = (
                    "import sys, waits; from pathlib import Path; "
                    "waits.plain_weasyprint(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))"
                )
                command = [sys.executable, "-c", code, str(documents), label, str(folder / "p.pdf")]
                env = {**_env(), "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'bench'}"}
                start = time.perf_counter()
                subprocess.run(command, check=True, env=env, capture_output=True)
                plain.append(time.perf_counter() - start)
    shutil.rmtree(folder, ignore_errors=True)
    return [
        ("one output, fresh `leafpress build … --rebuild`", _times(ours)),
        ("  plain WeasyPrint, same final HTML, fresh process", _times(plain)),
        ("  leafpress / plain WeasyPrint", _ratios(ours, plain)),
    ]


# --- check after a build, and a first build ----------------------------------------------------


def measure_check(rounds: int, quick: bool) -> list[tuple[str, str]]:
    """A build into an empty out/, then `check` with nothing changed, then `check --recheck`
    (the full check), in that order each round: the build is the baseline of both."""
    folder = Path(tempfile.mkdtemp(prefix="leafpress-bench-check-"))
    root = sample_workspace(folder)
    narrow = ["--lang", "en"] if quick else []
    builds, checks, full = [], [], []
    for _ in range(rounds):
        shutil.rmtree(root / "out", ignore_errors=True)
        builds.append(leafpress(root, "build", CAMPAIGN, *narrow)[0])
        wall, output = leafpress(root, "check", CAMPAIGN, *narrow)
        if "reused" not in output:
            raise SystemExit(f"check after a build reused nothing:\n{output}")
        checks.append(wall)
        full.append(leafpress(root, "check", CAMPAIGN, "--recheck", *narrow)[0])
    shutil.rmtree(folder, ignore_errors=True)
    what = "English outputs" if quick else "21 outputs"
    return [
        (f"build of the sample ({what}), empty out/", _times(builds)),
        ("`check` right after it, nothing changed", _times(checks)),
        ("  check after a build / the build", _ratios(checks, builds)),
        ("`check --recheck` (every output checked)", _times(full)),
        ("  full check / the build", _ratios(full, builds)),
    ]


def measure_first_build(rounds: int) -> list[tuple[str, str]]:
    """What `./setup.sh` does last: `leafpress build` of the sample in a fresh workspace (no
    out/, no cache, no prepared photos), with the default number of workers."""
    walls = []
    for _ in range(rounds):
        folder = Path(tempfile.mkdtemp(prefix="leafpress-bench-first-"))
        root = sample_workspace(folder)
        wall, output = leafpress(root, "build")
        if " 0 failed" not in output:
            raise SystemExit(f"the first build failed:\n{output}")
        walls.append(wall)
        shutil.rmtree(folder, ignore_errors=True)
    return [("first build of the sample (21 outputs), fresh workspace", _times(walls))]


def run_waits(chosen: list[str], rounds: int, quick: bool, capture) -> None:
    load = os.getloadavg()
    rows: list[tuple[str, str]] = []
    for name in chosen:
        if name == "serve":
            rows += measure_serve(rounds, quick)
        elif name == "one-output":
            rows += measure_one_output(rounds, capture)
        elif name == "check":
            rows += measure_check(1 if quick else rounds, quick)
        elif name == "first-build":
            rows += measure_first_build(1 if quick else rounds)
    end = os.getloadavg()
    print(
        f"waits ({', '.join(chosen)}; {rounds} rounds{', quick' if quick else ''}), "
        f"{os.cpu_count()} cores, load average {load[0]:.1f} at start, {end[0]:.1f} at end"
    )
    print("| where a person waits | measured |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")

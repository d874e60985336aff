"""How fast leafpress builds a fixed campaign, against plain WeasyPrint on the same documents.

    python bench/run.py            # 3 languages × every layout × every target
    python bench/run.py --quick    # 3 languages × 2 layouts × 2 targets, for a quick comparison
    python bench/run.py --only serve --only check   # where a person waits (bench/waits.py)

It writes a benchmark campaign into a temporary folder (the sample campaign's kk, ru and en text,
the repository's layouts and fonts, photos drawn from a fixed seed), builds it once to capture
every output's final documents, then measures: the import of WeasyPrint; `baseline`, the sum of
warm write_pdf times of those documents rendered one after another by plain WeasyPrint in one
process (and the same counting each different document once: a leafpress build renders the
document that screen, office and tiles print alike once), and `leafpress build --jobs 1` from a cold start in an empty output folder (then once
more with `--force`, its photos prepared) and `--jobs N`, in turns (`--rounds`, 3 by default)
and reported as medians; `cold`, one fresh `leafpress build` process per output;
a no-op rebuild; a rebuild after one language file changed; the median layout passes of the
copy-fitted outputs. Wall times come with the peak resident memory of the largest process.
Figures are rounded so that runs on one machine compare between commits; a machine under load
(see the load average it prints) is slower.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from waits import WAITS, run_waits  # beside this script: python puts its folder on the path

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ["kk", "ru", "en"]
ALL_TARGETS = ["screen", "print-shop", "office", "photocopy", "tiles"]
QUICK_TARGETS = ["screen", "office"]
QUICK_LAYOUTS = ["leaflet-a5", "photo-display-a3"]
PHOTO_SEED = 8
PHOTO_SIZE = (2400, 1600)


# --- the benchmark campaign --------------------------------------------------------------------


def draw_photo(path: Path, seed: int) -> None:
    """A photo-like JPEG: a gradient under random shapes, the same bytes for the same seed."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    width, height = PHOTO_SIZE
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(40, 600), rng.randrange(40, 400)
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x, y, x + w, y + h), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(2))
    image.save(path, "JPEG", quality=88)


def make_campaign(folder: Path, targets: list[str]) -> Path:
    """The benchmark workspace in `folder`: repository layouts and fonts, campaign `bench`."""
    shutil.copytree(REPO / "layouts", folder / "layouts")
    shutil.copytree(REPO / "fonts", folder / "fonts")
    sample = REPO / "leaflets" / "shanyrak"
    campaign = folder / "leaflets" / "bench"
    campaign.mkdir(parents=True)
    text = (sample / "campaign.toml").read_text("utf-8")
    text = re.sub(r"(?m)^languages = .*$", f"languages = {json.dumps(LANGUAGES)}", text)
    text = re.sub(r"(?m)^transliterate = .*$", "", text)
    text = re.sub(r"(?m)^# targets = .*$", f"targets = {json.dumps(targets)}", text)
    (campaign / "campaign.toml").write_text(text, "utf-8")
    for lang in LANGUAGES:
        shutil.copy(sample / f"{lang}.toml", campaign / f"{lang}.toml")
    # The campaign names its photos as assets/shanyrak/<name>.jpg: draw new ones there.
    for i, name in enumerate(sorted(re.findall(r'(?m)^file = "(assets/[^"]+)"', text))):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        draw_photo(path, PHOTO_SEED + i)
    return folder


# --- measurements ------------------------------------------------------------------------------


def leafpress_command() -> list[str]:
    return [sys.executable, "-c", "import cli; cli.main()"]


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS of the largest process in kB (via /usr/bin/time -v when it is
    there, else this process's children's), and stderr + stdout."""
    gnu_time = Path("/usr/bin/time")
    wrapped = [str(gnu_time), "-v", *command] if gnu_time.exists() else command
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    done = subprocess.run(wrapped, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    output = done.stderr + done.stdout
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{output}")
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", output)
    if found:
        peak = int(found.group(1))
    else:
        import resource

        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, peak, output


def build_args(root: Path, out: Path, layouts: list[str] | None) -> list[str]:
    args = ["build", "--root", str(root), "--out", str(out)]
    for layout in layouts or []:
        args += ["--layout", layout]
    return args


def import_seconds() -> float:
    code = "import time; t = time.perf_counter(); import weasyprint; print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout)


def in_child(*args: str) -> dict:
    """Run this script with `args` in a fresh process; its last line of output is JSON."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, env=env
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(args[:1])} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def capture(root: Path, out: Path, documents: Path, layouts: list[str] | None) -> dict:
    """Build once with leafpress and save each output's final documents to `documents`: the
    HTML, stylesheet and options of the layout pass whose pages became the PDF, and how to make
    its URL fetcher and colour profiles again."""
    import importlib
    import pickle

    from leafpress.layoutconfig import fit_spec
    from leafpress.layouts import LayoutLibrary
    from leafpress.pipeline import Builder
    from leafpress.run import build

    finals: list[dict] = []
    # pipeline.py imports these from render.py and targets.py where it renders: patch them there.
    render_module = importlib.import_module("leafpress.render")
    targets_module = importlib.import_module("leafpress.targets")
    make, parse, lay, write = (
        render_module.make_fetcher,
        render_module.parse_html,
        render_module.lay_out,
        render_module.write_pdf,
    )
    profile = targets_module._color_profile
    icc_of: dict[int, str] = {}

    def color_profile(icc):
        made = profile(icc)
        icc_of[id(made)] = str(icc)
        return made

    def make_fetcher(*args, **kwargs):
        fetcher = make(*args, **kwargs)
        fetcher.bench_source = (args, kwargs)
        return fetcher

    # What each document was made from rides on the document itself.
    def parse_html(html, base_url, fetcher):
        parsed = parse(html, base_url, fetcher)
        parsed.bench_source = (html, base_url, fetcher.bench_source)
        return parsed

    def lay_out_html(parsed, fetcher, what, extra_css="", **kwargs):
        laid = lay(parsed, fetcher, what, extra_css, **kwargs)
        profiles = {name: icc_of[id(p)] for name, p in (kwargs.get("color_profiles") or {}).items()}
        laid.bench_source = (*parsed.bench_source, extra_css, profiles)
        return laid

    def write_pdf(laid_out, what, options=None):
        html, base_url, fetcher, css, profiles = laid_out.bench_source
        finals.append(
            {
                "label": what,
                "html": html,
                "base_url": base_url,
                "fetcher": fetcher,
                "css": css,
                "profiles": profiles,
                "options": options or {},
            }
        )
        return write(laid_out, what, options)

    # Every output's own documents, as the baseline's definition asks: outputs that share a
    # document in a build (screen, office, tiles) each get theirs here.
    Builder.sharing_documents = lambda self: contextlib.nullcontext()
    render_module.make_fetcher, render_module.parse_html = make_fetcher, parse_html
    render_module.lay_out, render_module.write_pdf = lay_out_html, write_pdf
    targets_module._color_profile = color_profile
    report = build(root, out, layouts=layouts, jobs=1)
    if not report.ok:
        raise SystemExit("\n".join(f"{r.label}: {r.error}" for r in report.failed))
    documents.write_bytes(pickle.dumps(finals))

    library = LayoutLibrary(root)
    fitted = [r.passes for r in report.results if fit_spec(library.get(r.layout)) is not None]
    jobs = [
        {"langs": r.lang.split("+"), "layout": r.layout, "target": r.target} for r in report.results
    ]
    return {"documents": len(finals), "passes": fitted, "jobs": jobs}


def baseline(documents: Path) -> dict:
    """Render the captured final documents with plain WeasyPrint, one after another in this
    process, and add up the times. One document of each output (every target of a language
    and layout lays out the same text) is rendered first, untimed, so that WeasyPrint, fonts
    and shaping are warm: the baseline is the warm cost of the documents."""
    import pickle

    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from leafpress.render import make_fetcher
    from leafpress.targets import _color_profile

    finals = pickle.loads(documents.read_bytes())
    profiles: dict[str, object] = {}
    font_config = FontConfiguration()

    def render(final: dict) -> float:
        args, kwargs = final["fetcher"]
        fetcher = make_fetcher(*args, **kwargs)
        colours = {}
        for name, icc in final["profiles"].items():
            if icc not in profiles:
                profiles[icc] = _color_profile(Path(icc))
            colours[name] = profiles[icc]
        start = time.perf_counter()
        HTML(string=final["html"], base_url=final["base_url"], url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(string=final["css"])] if final["css"] else None,
            font_config=font_config,
            color_profiles=colours or None,
            **final["options"],
        )
        return time.perf_counter() - start

    warmed = set()
    for final in finals:
        output = final["label"].split(" [")[0]
        if output not in warmed:
            warmed.add(output)
            render(final)
    gc.collect()
    seconds = [render(final) for final in finals]
    # The same document in several outputs (screen, office and tiles differ only after
    # rendering), counted once: what plain WeasyPrint needs if it, too, renders each once.
    distinct = {}
    for final, took in zip(finals, seconds, strict=True):
        key = repr([final[k] for k in ("html", "base_url", "fetcher", "css", "profiles")])
        distinct.setdefault(key + repr(sorted(final["options"].items())), took)
    return {"seconds": sum(seconds), "distinct": sum(distinct.values()), "documents": len(distinct)}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def summary_counts(output: str) -> tuple[int, int, int]:
    """written, skipped, failed from the build's last line."""
    found = re.search(r"(\d+) written, (?:(\d+) unchanged, skipped, )?(\d+) failed", output)
    if not found:
        raise SystemExit(f"no build summary in:\n{output}")
    return int(found.group(1)), int(found.group(2) or 0), int(found.group(3))


def run(quick: bool, jobs: int, keep: Path | None, rounds: int) -> None:
    targets = QUICK_TARGETS if quick else ALL_TARGETS
    layouts = QUICK_LAYOUTS if quick else None
    folder = Path(tempfile.mkdtemp(prefix="leafpress-bench-")) if keep is None else keep
    root = make_campaign(folder / "workspace", targets)
    load = os.getloadavg()[0]
    leafpress = leafpress_command()
    lays = [f"--layout={name}" for name in layouts or []]

    imported = import_seconds()
    documents = folder / "documents.pickle"
    base = in_child("--capture", str(root), str(folder / "out-capture"), str(documents), *lays)
    outputs = len(base["jobs"])

    # The main ratio compares the baseline with --jobs 1: they are measured in turns, the one
    # first and then the other, so that both see the machine as it is at the time (wall times
    # here drift by 10 % over minutes); each figure is the median of its rounds.
    def one_job(*options: str) -> tuple[float, int]:
        wall, peak, output = timed(
            [*leafpress, *build_args(root, folder / "out-1", layouts), "--jobs=1", *options]
        )
        assert summary_counts(output) == (outputs, 0, 0), output
        return wall, peak

    baselines, distincts, ones, forced, parallel, one_peak, n_peak = [], [], [], [], [], 0, 0
    distinct_documents = 0

    def measure_baseline() -> None:
        nonlocal distinct_documents
        found = in_child("--baseline", str(documents))
        baselines.append(found["seconds"])
        distincts.append(found["distinct"])
        distinct_documents = found["documents"]

    for turn in range(rounds):
        first_baseline = turn % 2 == 0
        if first_baseline:
            measure_baseline()
        shutil.rmtree(folder / "out-1", ignore_errors=True)
        wall, peak = one_job()
        ones.append(wall)
        one_peak = max(one_peak, peak)
        # Everything again in a new process, with the photos prepared by the build before.
        forced.append(one_job("--force")[0])
        shutil.rmtree(folder / "out-n", ignore_errors=True)
        wall, peak, output = timed(
            [*leafpress, *build_args(root, folder / "out-n", layouts), f"--jobs={jobs}"]
        )
        assert summary_counts(output) == (outputs, 0, 0), output
        parallel.append(wall)
        n_peak = max(n_peak, peak)
        if not first_baseline:
            measure_baseline()
    base_seconds, one_wall = statistics.median(baselines), statistics.median(ones)
    distinct_seconds = statistics.median(distincts)
    forced_wall, n_wall = statistics.median(forced), statistics.median(parallel)

    # A no-op takes a fraction of a second, where the machine's other work shows: the median of 3.
    noops = []
    for _ in range(3):
        wall, _, output = timed(
            [*leafpress, *build_args(root, folder / "out-n", layouts), f"--jobs={jobs}"]
        )
        assert summary_counts(output) == (0, outputs, 0), output
        noops.append(wall)
    noop_wall = statistics.median(noops)
    planning = planning_seconds(root, folder / "out-n", layouts, jobs)

    language = root / "leaflets" / "bench" / "en.toml"
    language.write_text(language.read_text("utf-8") + "\n# changed by the benchmark\n", "utf-8")
    lang_wall, _, output = timed(
        [*leafpress, *build_args(root, folder / "out-n", layouts), f"--jobs={jobs}"]
    )
    rebuilt, kept, _ = summary_counts(output)
    en_outputs = sum(1 for job in base["jobs"] if "en" in job["langs"])

    # Last, the four minutes of cold starts.
    cold = 0.0
    for job in base["jobs"]:
        args = build_args(root, folder / "out-cold", [job["layout"]])
        args += [f"--lang={lang}" for lang in job["langs"]]
        args += [f"--target={job['target']}", "--jobs=1", "--rebuild"]
        wall, _, output = timed([*leafpress, *args])
        if summary_counts(output)[0] != 1:
            raise SystemExit(f"cold build of {job} did not write one output:\n{output}")
        cold += wall

    passes = base["passes"]
    median = statistics.median(passes) if passes else 0
    n_layouts = len({job["layout"] for job in base["jobs"]})
    print(
        f"leafpress benchmark ({'quick' if quick else 'full'}): {len(LANGUAGES)} languages × "
        f"{n_layouts} layouts × {len(targets)} targets = {outputs} outputs "
        f"({base['documents']} documents, {distinct_documents} of them different)"
    )
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; load average at start {load:.1f}")

    def each(values: list[float], digits: int = 1) -> str:
        return "" if len(values) < 2 else f" (of {', '.join(f'{v:.{digits}f}' for v in values)})"

    rows = [
        ("import weasyprint", f"{imported:.2f} s"),
        (
            f"baseline: warm write_pdf, summed (median of {rounds})",
            f"{base_seconds:.1f} s{each(baselines)}",
        ),
        (
            f"  each different document once ({distinct_documents})",
            f"{distinct_seconds:.1f} s{each(distincts)}",
        ),
        ("cold: one process per output", f"{cold:.1f} s"),
        (
            f"leafpress --jobs 1 (median of {rounds})",
            f"{one_wall:.1f} s{each(ones)}, peak {one_peak / 1024:.0f} MB",
        ),
        (
            "  --jobs 1 --force, photos already prepared",
            f"{forced_wall:.1f} s{each(forced)}",
        ),
        (
            f"leafpress --jobs {jobs} (median of {rounds})",
            f"{n_wall:.1f} s{each(parallel)}, peak {n_peak / 1024:.0f} MB",
        ),
        ("no-op rebuild (whole command, median of 3)", f"{noop_wall:.2f} s"),
        ("  of which planning + fingerprints", f"{planning:.2f} s"),
        (
            "one language file changed",
            f"{lang_wall:.1f} s, {rebuilt} rebuilt ({en_outputs} expected), {kept} skipped",
        ),
        (f"median layout passes ({len(passes)} fitted)", f"{median:g}"),
        ("--jobs 1 / baseline", f"{one_wall / base_seconds:.2f}×"),
        (
            "--jobs 1 / (baseline + import)",
            f"{one_wall / (base_seconds + imported):.2f}×"
            f"{each([one / (b + imported) for one, b in zip(ones, baselines, strict=True)], 2)}",
        ),
        (
            "--jobs 1 / (each document once + import)",
            f"{one_wall / (distinct_seconds + imported):.2f}×"
            f"{each([one / (d + imported) for one, d in zip(ones, distincts, strict=True)], 2)}",
        ),
        (
            "--jobs 1 --force / (baseline + import)",
            f"{forced_wall / (base_seconds + imported):.2f}×"
            f"{each([f / (b + imported) for f, b in zip(forced, baselines, strict=True)], 2)}",
        ),
        (
            f"--jobs {jobs} speed-up over --jobs 1",
            f"{one_wall / n_wall:.2f}×"
            f"{each([one / n for one, n in zip(ones, parallel, strict=True)], 2)}",
        ),
        ("cold / --jobs 1", f"{cold / one_wall:.2f}×"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")
    if keep is None:
        shutil.rmtree(folder, ignore_errors=True)


def planning_seconds(root: Path, out: Path, layouts: list[str] | None, jobs: int) -> float:
    """Planning and fingerprinting of a no-op rebuild, in a process that has imported leafpress."""
    code = (
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "from leafpress.plan import plan_build\n"
        "from leafpress.run import run_build\n"
        "root, out, layouts, jobs = Path(sys.argv[1]), Path(sys.argv[2]), "
        "json.loads(sys.argv[3]), int(sys.argv[4])\n"
        "start = time.perf_counter()\n"
        "plan = plan_build(root, out, layouts=layouts)\n"
        "report = run_build(plan, jobs=jobs, incremental=True)\n"
        "assert not report.written and report.ok\n"
        "print(time.perf_counter() - start)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", code, str(root), str(out), json.dumps(layouts), str(jobs)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return float(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="2 layouts × 2 targets only")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="workers for the parallel build"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="turns of baseline and --jobs 1 (default 3)"
    )
    parser.add_argument("--keep", type=Path, help="work in this (empty) folder and keep it")
    parser.add_argument("--capture", nargs=3, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--layout", action="append", help=argparse.SUPPRESS)
    parser.add_argument(
        "--only",
        action="append",
        choices=WAITS,
        help="measure only this wait (repeatable; see bench/waits.py), not the batch build",
    )
    args = parser.parse_args()
    if args.capture:
        print(json.dumps(capture(*args.capture, args.layout)))
    elif args.baseline:
        print(json.dumps(baseline(args.baseline)))
    else:
        if not args.only:
            run(args.quick, args.jobs, args.keep, max(1, args.rounds))
        run_waits(args.only or list(WAITS), max(1, args.rounds), args.quick, capture_in_child)


def capture_in_child(root: Path, out: Path, documents: Path, options: list[str]) -> dict:
    return in_child("--capture", str(root), str(out), str(documents), *options)


if __name__ == "__main__":
    main()

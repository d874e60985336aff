"""A rebuild renders only the outputs whose inputs changed, and leaves the others untouched."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from conftest import Workspace
from leafpress.records import BuildReport
from leafpress.run import build


def _build(ws: Workspace, *layouts: str, jobs: int = 1) -> BuildReport:
    report = build(ws.root, ws.out, layouts=list(layouts), jobs=jobs, incremental=True)
    assert report.ok, [str(r.error) for r in report.failed]
    return report


def _labels(results) -> list[str]:
    return [r.label for r in results]


def _mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_noop_rebuild_skips_every_output_and_writes_nothing(workspace: Workspace):
    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 0, output
    assert "2 written, 0 failed" in output
    before = _mtimes(workspace.out)
    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 0, output
    assert "0 written, 2 unchanged, skipped, 0 failed" in output
    assert _mtimes(workspace.out) == before


def test_skipped_output_keeps_its_recorded_result(workspace: Workspace):
    first = _build(workspace, "leaflet-a5")
    again = _build(workspace, "leaflet-a5")
    assert [r.skipped for r in again.results] == [True, True]
    for was, now in zip(first.results, again.results, strict=True):
        assert (now.label, now.path, now.pages, now.size_bytes, now.scale) == (
            was.label,
            was.path,
            was.pages,
            was.size_bytes,
            was.scale,
        )
        assert [f.message for f in now.findings] == [f.message for f in was.findings]


def test_changing_one_language_file_rebuilds_only_that_language(workspace: Workspace):
    _build(workspace, "leaflet-a5", "leaflet-a6")
    workspace.edit("en.toml", "Scan me", "Scan this")
    report = _build(workspace, "leaflet-a5", "leaflet-a6")
    assert _labels(report.written) == ["demo/en/leaflet-a5", "demo/en/leaflet-a6"]
    assert _labels(report.skipped) == ["demo/kk/leaflet-a5", "demo/kk/leaflet-a6"]


def test_changing_a_layouts_css_rebuilds_that_layouts_outputs(workspace: Workspace):
    _build(workspace, "leaflet-a5", "leaflet-a6")
    css = workspace.root / "layouts" / "leaflet-a6" / "a6.css"
    css.write_text(css.read_text("utf-8") + "\n.headline { letter-spacing: 0.01em; }\n", "utf-8")
    report = _build(workspace, "leaflet-a5", "leaflet-a6")
    assert _labels(report.written) == ["demo/kk/leaflet-a6", "demo/en/leaflet-a6"]
    assert _labels(report.skipped) == ["demo/kk/leaflet-a5", "demo/en/leaflet-a5"]


def _add_photo(workspace: Workspace) -> Path:
    folder = workspace.root / "assets" / "demo"
    folder.mkdir(parents=True)
    photo = folder / "square.png"
    Image.new("RGB", (600, 400), (30, 60, 200)).save(photo)
    workspace.append("campaign.toml", '\n[[photos]]\nfile = "assets/demo/square.png"\n')
    workspace.append("kk.toml", '\n[captions]\nsquare = "Көк сурет."\n')
    workspace.append("en.toml", '\n[captions]\nsquare = "A blue photo."\n')
    return photo


def test_changing_a_photo_rebuilds_the_photo_displays(workspace: Workspace):
    photo = _add_photo(workspace)
    layouts = ("leaflet-a5", "photo-display-a4-landscape")
    _build(workspace, *layouts)
    Image.new("RGB", (600, 400), (200, 40, 40)).save(photo)
    report = _build(workspace, *layouts)
    assert _labels(report.written) == [
        "demo/kk/photo-display-a4-landscape",
        "demo/en/photo-display-a4-landscape",
    ]
    assert _labels(report.skipped) == ["demo/kk/leaflet-a5", "demo/en/leaflet-a5"]


def test_rebuild_option_renders_everything_again(workspace: Workspace):
    workspace.build("--layout", "leaflet-a5")
    before = _mtimes(workspace.out)
    code, output = workspace.build("--layout", "leaflet-a5", "--rebuild")
    assert code == 0, output
    assert "2 written, 0 failed" in output
    assert workspace.pdf("kk").stat().st_mtime_ns > before[workspace.pdf("kk")]


def test_a_deleted_pdf_is_written_again(workspace: Workspace):
    _build(workspace, "leaflet-a5")
    workspace.pdf("kk").unlink()
    report = _build(workspace, "leaflet-a5")
    assert _labels(report.written) == ["demo/kk/leaflet-a5"]
    assert workspace.pdf("kk").is_file()


def test_a_failed_output_is_always_tried_again(workspace: Workspace):
    _build(workspace, "leaflet-a5")
    # One demand fewer than Kazakh: a check error, so the output fails at render time.
    workspace.edit("en.toml", ', "Pay compensation."]', "]")
    for _ in range(2):  # nothing changed between these two: the failure is not remembered
        report = build(workspace.root, workspace.out, layouts=["leaflet-a5"], incremental=True)
        assert _labels(report.failed) == ["demo/en/leaflet-a5"]
        assert _labels(report.skipped) == ["demo/kk/leaflet-a5"]
    # Back to the text the PDF on disk was made from: still rendered again, since the last
    # attempt failed.
    workspace.edit(
        "en.toml", '"Legalise the homes."]', '"Legalise the homes.", "Pay compensation."]'
    )
    report = _build(workspace, "leaflet-a5")
    assert _labels(report.written) == ["demo/en/leaflet-a5"]


def test_two_workers_return_rendered_and_skipped_outputs_in_plan_order(workspace: Workspace):
    full = _build(workspace, "leaflet-a5", "leaflet-a6", jobs=2)
    workspace.edit("kk.toml", "Сканерлеңіз", "Сканерлеңіз!")
    again = _build(workspace, "leaflet-a5", "leaflet-a6", jobs=2)
    assert _labels(again.results) == _labels(full.results)
    assert [r.skipped for r in again.results] == [r.lang == "en" for r in again.results]


def test_qr_check_rasterises_only_the_region_it_is_given(workspace: Workspace):
    from leafpress.check import decode_qr

    _build(workspace, "leaflet-a5")
    pdf = workspace.pdf("en").read_bytes()
    width, height = 420, 595  # A5 in points
    assert decode_qr(pdf, region_pt=(0, 0, width, height))
    assert decode_qr(pdf, region_pt=(0, 0, 30, 30)) == []  # a corner without the code
    report = _build(workspace, "leaflet-a5")
    qr = [f for r in report.results for f in r.findings if f.check == "qr"]
    assert qr and all("decodes at 150 dpi to exactly its payload" in f.message for f in qr)


def test_a_file_a_layout_reaches_by_itself_rebuilds_its_outputs_when_it_changes(
    workspace: Workspace,
):
    # A logo in assets/ that only the A6 stylesheet names: no list of inputs knows it before
    # the output renders, so it is recorded from what rendering fetched.
    logo = workspace.root / "assets" / "logo.svg"
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="{}"/></svg>'
    logo.write_text(svg.format("#c00"), "utf-8")
    css = workspace.root / "layouts" / "leaflet-a6" / "a6.css"
    css.write_text(
        css.read_text("utf-8") + '\n.headline::before { content: url("../../assets/logo.svg"); }\n',
        "utf-8",
    )
    first = _build(workspace, "leaflet-a5", "leaflet-a6")
    a6 = [r for r in first.results if r.layout == "leaflet-a6"]
    assert all(logo in r.reads for r in a6)
    assert _labels(_build(workspace, "leaflet-a5", "leaflet-a6").written) == []
    logo.write_text(svg.format("#00c"), "utf-8")
    report = _build(workspace, "leaflet-a5", "leaflet-a6")
    assert _labels(report.written) == ["demo/kk/leaflet-a6", "demo/en/leaflet-a6"]
    assert _labels(report.skipped) == ["demo/kk/leaflet-a5", "demo/en/leaflet-a5"]


def test_campaign_checks_run_again_only_when_the_campaign_changes(
    workspace: Workspace, monkeypatch
):
    from leafpress import check

    _build(workspace, "leaflet-a5")
    runs = []
    real = check.run_campaign_checks
    monkeypatch.setattr(check, "run_campaign_checks", lambda ctx: runs.append(1) or real(ctx))
    assert _labels(_build(workspace, "leaflet-a5").skipped) == [
        "demo/kk/leaflet-a5",
        "demo/en/leaflet-a5",
    ]
    assert runs == []  # the findings recorded with the last build were used
    workspace.pdf("kk").unlink()  # rendered again, and checked against the recorded findings
    assert _labels(_build(workspace, "leaflet-a5").written) == ["demo/kk/leaflet-a5"]
    assert runs == []
    workspace.edit("en.toml", "Scan me", "Scan this")
    report = _build(workspace, "leaflet-a5")
    assert runs == [1]
    assert _labels(report.written) == ["demo/en/leaflet-a5"]
    # The findings are the checks' own, also when they come from the record.
    translations = [f for r in report.results for f in r.findings if f.check == "translations"]
    assert translations and all(f.status == "ok" for f in translations)


def test_noop_rebuild_imports_nothing_that_renders(workspace: Workspace):
    import subprocess
    import sys

    _add_photo(workspace)
    _build(workspace, "leaflet-a5", "photo-display-a4-landscape")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from leafpress.plan import plan_build\n"
        "from leafpress.run import run_build\n"
        f"root = Path({str(workspace.root)!r})\n"
        "layouts = ['leaflet-a5', 'photo-display-a4-landscape']\n"
        "plan = plan_build(root, root / 'out', layouts=layouts)\n"
        "report = run_build(plan, incremental=True, jobs=2)\n"
        "assert report.ok and not report.written, [str(r.error) for r in report.results]\n"
        "heavy = ('weasyprint', 'PIL', 'pyphen', 'qrcode', 'pypdf', 'multiprocessing', 'jinja2',\n"
        "         'importlib.metadata',\n"
        "         'leafpress.render', 'leafpress.check', 'leafpress.compose', 'leafpress.photos')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_force_renders_every_output_again(workspace: Workspace):
    workspace.build("--layout", "leaflet-a5")
    for _ in range(2):  # a second --force is no different: nothing recorded is trusted
        code, output = workspace.build("--layout", "leaflet-a5", "--force")
        assert code == 0, output
        assert "2 written, 0 failed" in output


def test_campaign_checks_run_again_when_a_language_outside_the_build_changes(
    workspace: Workspace, monkeypatch
):
    from leafpress import check

    def build_en():
        return build(
            workspace.root,
            workspace.out,
            languages=["en"],
            layouts=["leaflet-a5"],
            incremental=True,
        )

    assert build_en().ok
    runs = []
    real = check.run_campaign_checks
    monkeypatch.setattr(check, "run_campaign_checks", lambda ctx: runs.append(1) or real(ctx))
    build_en()
    assert runs == []
    # Kazakh is not built, but the checks compare it with English: one demand fewer now.
    workspace.edit("kk.toml", ', "Өтемақы төлеу."]', "]")
    report = build_en()
    assert runs == [1]
    # English now has more demands than the Kazakh it is translated from: an error, not a skip.
    assert _labels(report.failed) == ["demo/en/leaflet-a5"]
    assert "en has 2 demands, kk has 1" in str(report.failed[0].error)

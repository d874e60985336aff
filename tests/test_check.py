"""`leafpress check`: what would print wrong is found before printing, in the table and in JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from conftest import Workspace, copy_sample
from leafpress.check import Finding, contact_problem, link_warnings
from leafpress.cli import main


def run_check(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--root", str(root), *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def findings_of(output: str) -> list[Finding]:
    return [Finding(**item) for item in json.loads(output)]


def table_rows(output: str) -> list[list[str]]:
    """The table's rows as cells: campaign, language, layout, check, status, then the message."""
    return [line.split(None, 5) for line in output.splitlines()[1:-1]]


def test_check_on_the_sample_campaign_reports_no_errors(tmp_path: Path):
    root = copy_sample(tmp_path)
    code, output = run_check(root, "--json")
    findings = findings_of(output)
    errors = [f for f in findings if f.status == "error"]
    assert code == 0 and not errors, errors
    checks = {f.check for f in findings}
    assert {
        "translations",
        "glyphs",
        "fit",
        "photos",
        "qr",
        "resources",
        "contacts",
        "floors",
    } <= checks
    assert not list(root.glob("out/**/*.pdf"))  # check writes no PDF


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A campaign with one of each fault `check` should find in a leaflet."""
    ws = Workspace(tmp_path_factory.mktemp("faulty"))
    ws.edit("en.toml", 'lead = "A short lead."\n', "")  # a missing translation
    ws.edit("kk.toml", '"Өтемақы төлеу."]', '"Өтемақы төлеу.", "Сотты тоқтату."]')  # 3 vs 2 demands
    ws.edit("campaign.toml", 'phone = "+7 727 271 6557"', 'phone = "271-65-57"')
    ws.edit(
        "campaign.toml",
        'kind = "url"',
        'kind = "url"\ntarget = "https://example.org/s?utm_source=leaflet"',
    )
    ws.edit(
        "kk.toml",
        'call_to_action = "Наразылығыңызды жолдаңыз."',
        'call_to_action = "Наразылығыңызды жолдаңыз 😀"',
    )
    return ws


@pytest.fixture(scope="module")
def faulty_outputs(faulty: Workspace) -> dict[str, tuple[int, str]]:
    args = ("--layout", "leaflet-a5")
    return {"table": run_check(faulty.root, *args), "json": run_check(faulty.root, *args, "--json")}


EXPECTED = [
    # (language, check, status, words in the message)
    ("en", "translations", "error", "'lead' is missing in en; layout 'leaflet-a5' prints it"),
    ("en", "translations", "error", "en has 2 demands, kk has 3"),
    ("all", "contacts", "warning", "'271-65-57' is not an international number"),
    ("kk", "qr", "warning", "carries tracking parameters (utm_source)"),
    ("en", "qr", "warning", "carries tracking parameters (utm_source)"),
    (
        "kk",
        "glyphs",
        "error",
        "1 character ('😀' U+1F600 GRINNING FACE) in call_to_action is in none",
    ),
]


@pytest.mark.parametrize(("lang", "check", "status", "words"), EXPECTED)
def test_each_fault_is_a_finding_in_the_table_and_in_json(
    faulty_outputs, lang, check, status, words
):
    code, table = faulty_outputs["table"]
    assert code == 1
    assert any(
        row[1] == lang and row[3] == check and row[4] == status and words in row[5]
        for row in table_rows(table)
    ), table
    code, output = faulty_outputs["json"]
    assert code == 1
    assert any(
        (f.language or "all") == lang
        and f.check == check
        and f.status == status
        and words in f.message
        for f in findings_of(output)
    ), output


def test_kazakh_letters_pass_the_glyph_check(faulty_outputs):
    findings = findings_of(faulty_outputs["json"][1])
    glyphs = [f for f in findings if f.check == "glyphs"]
    assert [f.key for f in glyphs if f.status == "error"] == ["call_to_action"]
    assert any(f.language == "en" and f.status == "ok" for f in glyphs)
    bad = next(f for f in glyphs if f.status == "error")
    assert bad.file == "leaflets/demo/kk.toml"
    assert "PT Sans, PT Sans Narrow, Noto Sans" in bad.message


def test_build_refuses_an_output_with_an_error_unless_forced(workspace: Workspace):
    # Tifinagh: a script no font of fonts/fonts.toml has, not even as a fallback.
    workspace.edit("en.toml", 'headline = "Defend', 'headline = "ⵣ Defend')
    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 1
    assert "U+2D63 TIFINAGH LETTER YAZ" in output and "in headline" in output
    assert not workspace.pdf("en").exists()
    assert workspace.pdf("kk").exists()
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "en", "--force")
    assert code == 0, output
    assert workspace.pdf("en").exists()


def test_a_low_resolution_photo_is_an_error_in_the_table_and_in_json(workspace: Workspace):
    Image.new("RGB", (300, 200), (120, 90, 60)).save(workspace.root / "assets" / "tiny.jpg")
    Image.new("RGB", (2000, 1333), (60, 90, 120)).save(workspace.root / "assets" / "soft.jpg")
    workspace.append(
        "campaign.toml",
        """
        [[photos]]
        file = "assets/tiny.jpg"

        [[photos]]
        file = "assets/soft.jpg"
        """,
    )
    for lang, words in (("kk", "Шаңырақ"), ("en", "Shanyrak")):
        workspace.append(f"{lang}.toml", f'\n[captions]\ntiny = "{words}"\nsoft = "{words}"\n')
    # Print thresholds apply to paper: the office printer here.
    workspace.edit(
        "campaign.toml",
        'languages = ["kk", "en"]',
        'languages = ["kk", "en"]\ntargets = ["office"]',
    )
    args = ("--layout", "photo-display-a3", "--lang", "en")
    code, table = run_check(workspace.root, *args)
    assert code == 1
    rows = [r for r in table_rows(table) if r[3] == "photos"]
    # 300 px across the 269 mm measure is 28 ppi; 2000 px is 189 ppi: soft, not pixelated.
    assert any(
        r[4] == "error" and "'tiny' (300 px wide)" in r[5] and "28 ppi" in r[5] for r in rows
    )
    assert any(r[4] == "warning" and "'soft'" in r[5] and "189 ppi" in r[5] for r in rows)
    code, output = run_check(workspace.root, *args, "--json")
    photos = [f for f in findings_of(output) if f.check == "photos"]
    assert {(f.status, f.key) for f in photos} == {
        ("error", "photos[0].file"),
        ("warning", "photos[1].file"),
    }
    assert not workspace.pdfs(), "check must not write PDFs"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (
            "https://example.org/?utm_campaign=x&fbclid=abc",
            "tracking parameters (utm_campaign, fbclid)",
        ),
        ("https://bit.ly/3abcd", "link shortener bit.ly"),
    ],
)
def test_tracking_and_shortened_links_are_warned_about(url: str, words: str):
    assert any(words in w for w in link_warnings(f"BEGIN:VCARD\r\nURL:{url}\r\nEND:VCARD"))


def test_a_clean_link_has_no_warning():
    assert link_warnings("https://example.org/shanyrak?lang=kk") == []


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [
        ("phone", "+7 727 271 6557", True),
        ("phone", "8 727 271 6557", False),
        ("phone", "+7 12", False),
        ("email", "protest@example.org", True),
        ("email", "protest at example.org", False),
        ("url", "https://example.org/shanyrak", True),
        ("url", "http://example.org", False),
        ("url", "example.org", False),
    ],
)
def test_contact_values(key: str, value: str, ok: bool):
    assert (contact_problem(key, value) is None) == ok


def test_check_help_has_an_example(runner):
    result = runner.invoke(main, ["check", "--help"])
    assert "Example" in result.output and "--json" in result.output


def test_a_new_check_is_one_function(workspace: Workspace, monkeypatch):
    from leafpress import check as checks
    from leafpress.pipeline import Builder
    from leafpress.plan import plan_build

    monkeypatch.setattr(checks, "CAMPAIGN_CHECKS", list(checks.CAMPAIGN_CHECKS))

    @checks.campaign_check
    def check_headline_shouts(context):
        for text in context.texts():
            if text.get("headline", "").isupper():
                yield context.finding(
                    text.lang, "shouting", "warning", "the headline is in capitals"
                )

    workspace.edit("en.toml", "Defend Shanyrak's residents", "DEFEND SHANYRAK")
    plan = plan_build(workspace.root, workspace.out, layouts=["leaflet-a5"])
    builder = Builder(plan.root, plan.out, jobs=plan.jobs)
    found = builder.campaign_findings(plan.jobs[0].campaign)
    assert [(f.language, f.check) for f in found if f.check == "shouting"] == [("en", "shouting")]


def test_a_low_resolution_photo_only_warns_on_screen(workspace: Workspace):
    Image.new("RGB", (150, 100), (120, 90, 60)).save(workspace.root / "assets" / "tiny.jpg")
    workspace.append("campaign.toml", '\n[[photos]]\nfile = "assets/tiny.jpg"\n')
    for lang in ("kk", "en"):
        workspace.append(f"{lang}.toml", '\n[captions]\ntiny = "Shanyrak"\n')
    code, output = run_check(
        workspace.root, "--layout", "photo-display-a3", "--lang", "en", "--json"
    )
    photos = [f for f in findings_of(output) if f.check == "photos"]
    assert code == 0 and [f.status for f in photos] == ["warning"]
    assert "blocky even on screen" in photos[0].message


def test_check_reports_faces_found_on_each_masked_photo(workspace: Workspace):
    from skimage import data

    Image.fromarray(data.astronaut()).resize((1536, 1536)).save(
        workspace.root / "assets" / "crew.jpg"
    )
    Image.new("RGB", (1600, 1200), (60, 90, 120)).save(workspace.root / "assets" / "street.jpg")
    workspace.append(
        "campaign.toml",
        '\n[[photos]]\nfile = "assets/crew.jpg"\nmask_faces = true\n'
        '\n[[photos]]\nfile = "assets/street.jpg"\n',
    )
    for lang in ("kk", "en"):
        workspace.append(f"{lang}.toml", '\n[captions]\ncrew = "Crew"\nstreet = "Street"\n')
    code, output = run_check(
        workspace.root, "--layout", "photo-display-a3", "--lang", "en", "--json"
    )
    assert code == 0, output
    faces = {f.key: f for f in findings_of(output) if f.check == "faces"}
    assert faces["photos[0]"].status == "ok"
    assert re.search(r"photo 'crew': 1 face covered; look at", faces["photos[0]"].message)
    assert "faces not masked (mask_faces is off)" in faces["photos[1]"].message


def test_faces_are_detected_once_per_photo_content(workspace: Workspace, monkeypatch):
    from skimage import data

    from leafpress import faces, photos
    from leafpress.content import load_campaign

    Image.fromarray(data.astronaut()).save(workspace.root / "assets" / "crew.jpg")
    workspace.append("campaign.toml", '\n[[photos]]\nfile = "assets/crew.jpg"\nmask_faces = true\n')
    campaign = load_campaign(workspace.campaign_dir, workspace.root)
    cache = workspace.out / ".cache" / "photos"
    first = photos.faces_per_photo(campaign, cache_dir=cache)
    assert first["crew"]

    def no_detection(image):
        raise AssertionError("detected again although the photo did not change")

    monkeypatch.setattr(faces, "detect", no_detection)
    assert photos.faces_per_photo(campaign, cache_dir=cache) == first
    # A changed photo is detected again.
    Image.fromarray(data.astronaut()[:, ::-1]).save(workspace.root / "assets" / "crew.jpg")
    with pytest.raises(AssertionError, match="detected again"):
        photos.faces_per_photo(campaign, cache_dir=cache)


def test_a_decoder_replaced_on_the_package_is_the_one_the_qr_check_calls(
    workspace: Workspace, monkeypatch
):
    # Tests replace the rasterising helpers where they have always been named, on leafpress.check;
    # the QR check lives in a module of its own and must still call the replacement.
    from leafpress import check as checks

    monkeypatch.setattr(checks, "decode_qr", lambda *args, **kwargs: [])
    code, output = run_check(workspace.root, "--layout", "leaflet-a5", "--lang", "en", "--json")
    assert code == 1
    qr = [f for f in findings_of(output) if f.check == "qr"]
    assert any(f.status == "error" and "does not decode from the page" in f.message for f in qr)

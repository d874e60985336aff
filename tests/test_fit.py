"""Copy-fitting: long translations shrink to their page, down to the floor and no further."""

from __future__ import annotations

import re
import statistics

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader

from conftest import REPO, Workspace
from leafpress.pipeline import Builder
from leafpress.plan import plan_build

KK_SENTENCE = (
    "Шаңырақ тұрғындары жиырма жыл бойы өз үйлерінде тұрып келеді, бірақ әкімдік олардың "
    "құжаттарын мойындамай, үйлерді бұзуға шешім қабылдады."
)
EN_SENTENCE = (
    "For twenty years the residents of Shanyrak have lived in homes they built themselves, "
    "yet the city refuses to recognise their papers and has ordered the houses demolished."
)
SHORT_KK_BODY = 'body = "Бірінші абзац.\\n\\nЕкінші абзац *маңызды* сөзбен."'
SHORT_EN_BODY = 'body = "First paragraph.\\n\\nSecond paragraph with an *important* word."'


def long_body(sentence: str, count: int) -> str:
    """`count` sentences in paragraphs of three, as a TOML string value."""
    paragraphs = [" ".join([sentence] * min(3, count - i)) for i in range(0, count, 3)]
    return 'body = "' + "\\n\\n".join(paragraphs) + '"'


def font_sizes_of(pdf_path, word: str) -> list[float]:
    """Font sizes (pt) of the characters of every occurrence of `word` on the first page.

    WeasyPrint draws in CSS px (a user unit of 0.75 pt), and pdfium reports sizes in user units.
    """
    document = pdfium.PdfDocument(str(pdf_path))
    text_page = document[0].get_textpage()
    count = text_page.count_chars()
    chars = "".join(chr(pdfium_c.FPDFText_GetUnicode(text_page.raw, i)) for i in range(count))
    sizes = []
    start = chars.find(word)
    while start != -1:
        sizes += [
            pdfium_c.FPDFText_GetFontSize(text_page.raw, i) * 0.75
            for i in range(start, start + len(word))
        ]
        start = chars.find(word, start + 1)
    return sizes


def test_long_kazakh_body_fits_leaflet_a5_at_a_scale_below_one(workspace: Workspace):
    workspace.edit("kk.toml", SHORT_KK_BODY, long_body(KK_SENTENCE, 11))
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "kk", "-v")
    assert code == 0, output
    pdf = workspace.pdf("kk")
    assert len(PdfReader(pdf).pages) == 1
    row = next(line for line in output.splitlines() if "kk/leaflet-a5.pdf" in line)
    scale = int(row.split("%")[0].split()[-1])
    assert 88 <= scale < 100, row  # shrunk, but not below the 8 pt floor (8/9 of 9 pt)
    sizes = font_sizes_of(pdf, "жиырма")  # a word only the body has
    assert sizes, "the body text is not on the page"
    assert all(8.0 - 0.01 <= size < 9.0 for size in sizes), sizes
    # The headline keeps its size: only the story and the demands shrink.
    headline = font_sizes_of(pdf, "қорғаймыз")
    assert headline and all(abs(size - 32) < 0.01 for size in headline), headline
    # -v reports the layout passes copy-fitting took: two or three to fit, and at most two more
    # when this repetitive text hyphenates more than two lines in a row (hyphenate_limit_lines).
    passes = re.search(r"demo/kk/leaflet-a5: (\d) layout passes, scale (\d+) %", output)
    assert passes and 2 <= int(passes[1]) <= 5 and int(passes[2]) == scale, output


def test_impossible_body_fails_with_how_much_too_long_and_others_are_written(
    workspace: Workspace,
):
    workspace.edit("kk.toml", SHORT_KK_BODY, long_body(KK_SENTENCE, 24))
    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 1
    message = next(line for line in output.splitlines() if "too long" in line)
    assert "leaflets/demo/kk.toml:4: body:" in message  # the line of the key, too
    assert "body is about " in message
    assert "% too long for leaflet-a5 in kk at the 8 pt minimum" in message
    percent = int(message.split("body is about ")[1].split(" %")[0])
    assert 30 <= percent <= 100, message
    assert "demo/kk/leaflet-a5 failed" in output
    assert not workspace.pdf("kk").exists()
    assert workspace.pdf("en").exists()


def fitted(workspace: Workspace, layout: str, lang: str):
    plan = plan_build(workspace.root, workspace.out, languages=[lang], layouts=[layout])
    return Builder(plan.root, plan.out).lay_out(plan.jobs[0]).fit


@pytest.mark.parametrize(
    ("lang", "sentences"),
    [("kk", 10), ("kk", 11), ("en", 10), ("en", 11), ("en", 12)],
)
def test_fitted_outputs_fit_at_the_largest_scale_found(workspace, lang, sentences, passes_log):
    short, sentence = (SHORT_KK_BODY, KK_SENTENCE) if lang == "kk" else (SHORT_EN_BODY, EN_SENTENCE)
    workspace.edit(f"{lang}.toml", short, long_body(sentence, sentences))
    result = fitted(workspace, "leaflet-a5", lang)
    assert result.fits and result.laid_out.pages == 1
    assert result.scale < 1, "the text was meant to overflow at full size"
    assert result.text_pt >= 8.0 - 1e-6
    passes_log.append(result.passes)


@pytest.fixture(scope="module")
def passes_log() -> list[int]:
    return []


def test_median_layout_passes_of_fitted_outputs_is_at_most_three(passes_log: list[int]):
    # Runs after the fitted outputs above (pytest keeps file order) and reads their pass counts.
    assert len(passes_log) == 5, "the fitted-output cases must run first"
    assert statistics.median(passes_log) <= 3, passes_log


def test_poster_with_few_demands_grows_but_not_past_max_scale(workspace: Workspace):
    result = fitted(workspace, "poster-a3-demands", "en")
    most = _max_scale("poster-a3-demands")
    assert result.fits and result.laid_out.pages == 1
    assert 1 < result.scale <= most
    assert result.text_pt <= 31 * most + 0.01  # the demands, set at 31 pt at scale 1


def test_build_summary_shows_the_scale_of_each_output(workspace: Workspace):
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "en")
    assert code == 0, output
    header = next(line for line in output.splitlines() if line.startswith("file"))
    assert "scale" in header.split()
    row = next(line for line in output.splitlines() if "en/leaflet-a5.pdf" in line)
    # The workspace's short text leaves the page half empty: it grows to the layout's largest.
    assert f"{round(100 * _max_scale('leaflet-a5'))} %" in row


def _max_scale(layout: str) -> float:
    from leafpress.layoutconfig import fit_spec
    from leafpress.layouts import LayoutLibrary

    spec = fit_spec(LayoutLibrary(REPO).get(layout))
    assert spec is not None
    return spec.max_scale


def test_a_fit_table_with_a_wrong_key_names_it(workspace: Workspace):
    toml = workspace.root / "layouts" / "leaflet-a5" / "layout.toml"
    toml.write_text(toml.read_text().replace("min_scale = 0.75", "min_scael = 0.75"))
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "en")
    assert code == 1
    assert "layouts/leaflet-a5/layout.toml" in output and "fit.min_scael" in output


def test_a_layout_without_fit_fails_an_output_longer_than_its_pages(workspace: Workspace):
    from PIL import Image

    Image.new("RGB", (3000, 2000), (120, 90, 60)).save(workspace.root / "assets" / "wall.jpg")
    workspace.append("campaign.toml", '\n[[photos]]\nfile = "assets/wall.jpg"\n')
    workspace.append("kk.toml", '\n[captions]\nwall = "Қабырға."\n')
    workspace.append("en.toml", '\n[captions]\nwall = "' + "A caption far too long. " * 200 + '"\n')
    code, output = workspace.build("--layout", "photo-display-a3")
    assert code == 1
    # Refused either because it runs onto another page or, the caption set smaller to keep to
    # its page, because it falls under its floor: never printed unreadable or on a spare sheet.
    assert (
        "the output takes 2 pages; photo-display-a3 has room for 1" in output
        or "under its 24 pt floor" in output
    ), output
    assert workspace.pdf("kk", "photo-display-a3").exists()
    assert not workspace.pdf("en", "photo-display-a3").exists()


def test_the_same_text_in_another_target_is_fitted_in_one_pass(workspace: Workspace):
    from leafpress.run import build

    workspace.edit("kk.toml", SHORT_KK_BODY, long_body(KK_SENTENCE, 11))
    report = build(
        workspace.root,
        workspace.out,
        languages=["kk"],
        layouts=["leaflet-a5"],
        targets=["screen", "photocopy", "office"],
    )
    assert report.ok, [str(r.error) for r in report.failed]
    screen, *others = report.results
    assert screen.passes > 1 and screen.scale < 1
    # Other colours, the same boxes: one pass at the scale the first target's search found;
    # office prints the very document screen does (build.py's sharing_documents): no pass.
    assert [(r.target, r.passes, r.scale, r.shared_with) for r in others] == [
        ("photocopy", 1, screen.scale, None),
        ("office", 0, screen.scale, screen.label),
    ]
    # And the same PDF as a search from the start gives: photocopy built on its own.
    alone = build(
        workspace.root,
        workspace.root / "out-alone",
        languages=["kk"],
        layouts=["leaflet-a5"],
        targets=["photocopy"],
    )
    assert alone.results[0].passes > 1
    assert alone.results[0].path.read_bytes() == others[0].path.read_bytes()

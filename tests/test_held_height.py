"""A layout's height holder (`hold_height`): an invisible copy of a pinned strip, laid out once per strip and a block of its height in every pass, with the same pages as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from conftest import REPO, Workspace
from leafpress.heldheight import find_holder
from leafpress.pipeline import Builder
from leafpress.plan import plan_build
from scripts_corpus import write_campaign

PAGE = """<!doctype html><html><head><title>A headline</title><style>p {{ margin: 0 }}</style>
</head><body class="x">
<main><div class="space">not this one: not a child of the body</div></main>
<div class="foot space" aria-hidden="true"><div><br><img src="a.png"><p>one</p>
<div><p>two</p></div></div>{tail}</div>
<footer class="foot">kept</footer>
</body></html>"""


def test_the_holder_is_the_first_child_of_the_body_with_the_class_and_all_it_holds():
    html = PAGE.format(tail="<p/>")
    holder = find_holder(html, "space")
    assert holder is not None
    assert holder.inner == '<div><br><img src="a.png"><p>one</p>\n<div><p>two</p></div></div><p/>'
    held = holder.held(12.5)
    assert (
        '<div class="foot space" aria-hidden="true"><div style="height: 12.5px"></div></div>'
        in held
    )
    assert "not this one" in held and "kept" in held
    alone = holder.alone()
    # Alone in the body, with the same head but for the title (the headline, which lays
    # nothing out).
    assert "<title>" not in alone and "p { margin: 0 }" in alone
    assert alone.split('<body class="x">')[1].startswith('<div class="foot space"')
    assert "not this one" not in alone and "kept" not in alone
    assert find_holder(html, "nowhere") is None
    assert find_holder("<p class='space'>no body</p>", "space") is None


def _pages(data: bytes) -> list[bytes]:
    document = pdfium.PdfDocument(data)
    try:
        return [page.render(scale=1).to_pil().convert("RGB").tobytes() for page in document]
    finally:
        document.close()


def _without_holder(root: Path) -> None:
    toml = root / "layouts" / "leaflet-a5" / "layout.toml"
    text = toml.read_text("utf-8")
    line = 'hold_height = { holder = "foot-space", strip = "foot-print" }'
    assert line in text
    toml.write_text(text.replace(line, ""), "utf-8")


def _made(
    root: Path,
    out: Path,
    lang: str,
    layout: str,
    builder: Builder | None = None,
    campaign: str | None = None,
):
    folders = [root / "leaflets" / campaign] if campaign else None
    plan = plan_build(root, out, folders, languages=[lang], layouts=[layout])
    builder = builder or Builder.for_plan(plan)
    data, result = builder.make_output(plan.jobs[0])
    assert data is not None and result.ok, result.error
    return builder, data, result


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("held")
    for name in ("layouts", "fonts", "leaflets", "assets"):
        shutil.copytree(REPO / name, root / name)  # the sample campaign, in kk, ru, en
    write_campaign(root, "world", ["ar", "he", "ta", "ja"])
    return root


@pytest.mark.parametrize(
    ("campaign", "lang", "layout"),
    [
        ("shanyrak", "kk", "leaflet-a5"),
        ("shanyrak", "en", "leaflet-a5"),
        ("shanyrak", "ru", "leaflet-a6"),
        ("world", "ar", "leaflet-a5"),
        ("world", "ta", "leaflet-a5"),
        ("world", "ja", "leaflet-a5"),
        ("world", "he", "leaflet-a6"),
    ],
)
def test_a_layout_with_a_held_height_prints_the_same_pages_as_without(
    world: Path, tmp_path: Path, campaign: str, lang: str, layout: str
):
    _, held, with_holder = _made(world, tmp_path / "held", lang, layout, campaign=campaign)
    plain = tmp_path / "plain"
    shutil.copytree(world, plain, ignore=shutil.ignore_patterns("out"))
    _without_holder(plain)
    _, copied, without = _made(plain, plain / "out", lang, layout, campaign=campaign)
    assert with_holder.scale == without.scale
    assert _pages(held) == _pages(copied)


def test_the_output_is_the_same_whether_the_height_was_measured_before_or_not(
    workspace: Workspace, tmp_path: Path
):
    builder, first, _ = _made(workspace.root, workspace.out, "en", "leaflet-a5")
    # The strip unchanged, the story longer: the builder knows the strip's height at some of
    # the scales this text is tried at.
    workspace.edit("en.toml", "A short lead.", "A lead that says a little more than it did.")
    plan = plan_build(workspace.root, workspace.out, languages=["en"], layouts=["leaflet-a5"])
    builder.forget_content(plan.jobs)
    _, warm, _ = _made(workspace.root, workspace.out, "en", "leaflet-a5", builder)
    _, cold, _ = _made(workspace.root, tmp_path / "cold", "en", "leaflet-a5")
    assert warm == cold and warm != first


def test_a_holder_whose_content_margins_reach_through_it_stays_as_it_is(
    workspace: Workspace, tmp_path: Path
):
    # Without the strip's top border and padding, the strip's own top margin and its first
    # line's would collapse through a block that stood for its content: the holder is kept.
    css = workspace.root / "layouts" / "leaflet-a5" / "style.css"
    extra = "\n.foot-space { border-top: none; padding-top: 0; }\n.foot-space .reach { margin-top: 8mm; }\n"
    css.write_text(css.read_text("utf-8") + extra, "utf-8")
    builder, held, _ = _made(workspace.root, workspace.out, "en", "leaflet-a5")
    assert list(builder._held_heights.values()) and None in builder._held_heights.values()
    plain = tmp_path / "plain"
    shutil.copytree(workspace.root, plain, ignore=shutil.ignore_patterns("out"))
    _without_holder(plain)
    _, copied, _ = _made(plain, plain / "out", "en", "leaflet-a5")
    assert _pages(held) == _pages(copied)


def test_a_strip_that_scales_with_the_text_is_measured_again_at_each_scale(
    world: Path, tmp_path: Path
):
    # The call grows and shrinks with the story here: the strip measured at the first scale is
    # not the strip at the others, and each pass gives it its own room.
    root = tmp_path / "scaling"
    shutil.copytree(world, root, ignore=shutil.ignore_patterns("out"))
    css = root / "layouts" / "leaflet-a5" / "style.css"
    extra = "\n.foot .call { font-size: calc(13.5pt * var(--fit-scale, 1)); }\n"
    css.write_text(css.read_text("utf-8") + extra, "utf-8")
    _, held, fitted = _made(root, root / "out", "en", "leaflet-a5", campaign="shanyrak")
    assert fitted.scale != 1
    plain = tmp_path / "plain"
    shutil.copytree(root, plain, ignore=shutil.ignore_patterns("out"))
    _without_holder(plain)
    _, copied, without = _made(plain, plain / "out", "en", "leaflet-a5", campaign="shanyrak")
    assert fitted.scale == without.scale
    assert _pages(held) == _pages(copied)

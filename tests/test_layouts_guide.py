"""layouts/README.md: the designers' guide, checked by building the example layouts it contains."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import jinja2
import pytest
from pypdf import PdfReader

from conftest import REPO, Workspace
from leafpress.cli import main
from leafpress.content import CONTACT_FIELDS
from leafpress.layouts import LAYOUT_FIELDS, LayoutLibrary
from leafpress.run import build

GUIDE = (REPO / "layouts" / "README.md").read_text("utf-8")
FILES = re.findall(r"```(\w+) ([\w.-]+/[\w.-]+)\n(.*?)```", GUIDE, re.DOTALL)


def table(heading: str) -> dict[str, str]:
    """The first table under a heading: first column (without backticks) -> second column."""
    section = GUIDE.split(heading, 1)[1]
    rows = re.findall(r"^\| `([^`]+)` \| (.*) \|$", section.split("\n## ", 1)[0], re.MULTILINE)
    return dict(rows)


@pytest.fixture(scope="module")
def guide_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A workspace holding the guide's example layouts, built in English and Kazakh."""
    workspace = Workspace(tmp_path_factory.mktemp("guide"))
    assert {path for _, path, _ in FILES} >= {
        "example/layout.toml",
        "example/template.html",
        "example/style.css",
        "example/labels.toml",
        "example-variant/layout.toml",
    }
    for _, path, text in FILES:
        target = workspace.root / "layouts" / path
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, "utf-8")
    report = build(workspace.root, workspace.out, layouts=["example", "example-variant"])
    assert report.ok, [str(r.error) for r in report.failed]
    return workspace


def _text(pdf: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(pdf).pages)


def test_anatomy_the_folders_and_files_the_guide_names_exist(guide_workspace: Workspace):
    layouts = guide_workspace.root / "layouts"
    for path in ("labels.toml", "_shared/base.html", "_shared/palette.css"):
        assert (layouts / path).is_file(), path
    assert "{% block body %}" in (layouts / "_shared" / "base.html").read_text()
    # A folder starting with _ or . is not a layout, even with a layout.toml.
    (layouts / "_drafts").mkdir()
    (layouts / "_drafts" / "layout.toml").write_text('page_size = "A5"\n')
    assert "_drafts" not in LayoutLibrary(guide_workspace.root).names()
    assert "example" in LayoutLibrary(guide_workspace.root).names()


def test_example_layout_builds_with_its_labels_fonts_and_qr(
    guide_workspace: Workspace, rasterise, decode_qr
):
    for lang, slogan in (("en", "Together we are stronger"), ("kk", "Бірге болсақ күштіміз")):
        pdf = guide_workspace.pdf(lang, "example")
        reader = PdfReader(pdf)
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (
            148,
            210,
        )
        assert slogan in _text(pdf)
        fonts = {str(font["/BaseFont"]) for font in _fonts(reader)}
        assert any("PT-Serif" in f for f in fonts), fonts
        assert decode_qr(rasterise(pdf, dpi=200)[0]), "no QR code found"


def _fonts(reader: PdfReader) -> list:
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            found.append(font.get_object())
    return found


def test_layout_toml_table_lists_every_key():
    assert set(table("### layout.toml")) == {f.name for f in LAYOUT_FIELDS}


def test_template_variables_table_is_exactly_what_templates_receive(
    guide_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    seen: list[dict] = []
    original = jinja2.Template.render

    def record(self, *args, **kwargs):
        seen.append(dict(*args, **kwargs))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", record)
    report = build(guide_workspace.root, guide_workspace.out, None, ["en"], ["example"])
    assert report.ok
    context = seen[-1]
    assert set(table("## What the template receives")) == set(context)
    assert set(context["layout"]) == {"name", "kind", "page_size"}
    assert set(context["contact"]) == {f.name for f in CONTACT_FIELDS}
    assert all(set(c) == set(context["contact"]) for c in context["contacts"])
    # The documented photo fields are those compose hands over.
    compose_source = (REPO / "leafpress" / "compose.py").read_text()
    for key in ("key", "src", "width", "height", "orientation", "caption", "credit"):
        assert f'"{key}":' in compose_source


def test_a_missing_label_says_where_to_add_it(guide_workspace: Workspace):
    folder = guide_workspace.root / "layouts" / "example-unlabelled"
    folder.mkdir()
    (folder / "layout.toml").write_text('extends = "example"\n')
    (folder / "template.html").write_text(
        '{% extends "example/template.html" %}{% block story %}{{ labels.nowhere }}{% endblock %}'
    )
    report = build(guide_workspace.root, guide_workspace.out, None, ["en"], ["example-unlabelled"])
    message = str(report.failed[0].error)
    assert "needs the label 'nowhere' in 'en'; add it under [labels]" in message


def test_custom_properties_table_matches_palette_css_and_generated_ones(
    guide_workspace: Workspace,
):
    palette = (REPO / "layouts" / "_shared" / "palette.css").read_text()
    declared = dict(re.findall(r"^\s*(--[\w-]+):\s*([^;]+);", palette, re.MULTILINE))
    documented = table("## Colours, fonts and the type scale")
    assert set(documented) == set(declared)
    for name, what in documented.items():
        if name.startswith("--type-"):
            assert what.startswith(declared[name] + ":"), (name, what, declared[name])
    from leafpress.compose import _head
    from leafpress.fonts import load_manifest

    layout = LayoutLibrary(guide_workspace.root).get("example")
    head = str(_head(layout, load_manifest(guide_workspace.root), "en", "t"))
    for name in ("--qr-size: 22mm", "--page-width: 148mm", "--page-height: 210mm"):
        assert name in head
    assert all(
        f"`{n.split(':')[0]}`" in GUIDE for n in ("--qr-size", "--page-width", "--page-height")
    )


def test_an_unknown_font_family_lists_the_families_there_are(guide_workspace: Workspace):
    toml = guide_workspace.root / "layouts" / "example" / "layout.toml"
    original = toml.read_text()
    try:
        toml.write_text(original.replace('"PT Serif"', '"Comic Serif"'))
        report = build(guide_workspace.root, guide_workspace.out, None, ["en"], ["example"])
        message = str(report.failed[0].error)
        assert "font family 'Comic Serif' is not in fonts/fonts.toml" in message
        assert "known families: PT Sans, PT Sans Narrow" in message
    finally:
        toml.write_text(original)


def test_text_over_the_page_budget_fails_and_names_the_language_file(
    guide_workspace: Workspace,
):
    en = guide_workspace.campaign_dir / "en.toml"
    original = en.read_text()
    try:
        en.write_text(original.replace('body = "', 'body = "' + "Many words here. " * 400, 1))
        report = build(guide_workspace.root, guide_workspace.out, None, ["en"], ["example"])
        message = str(report.failed[0].error)
        assert "leaflets/demo/en.toml: fit: the output takes" in message
        assert "example has room for 1 and does not copy-fit" in message
    finally:
        en.write_text(original)


def test_a_size_in_page_rules_fails(guide_workspace: Workspace):
    css = guide_workspace.root / "layouts" / "example" / "style.css"
    original = css.read_text()
    try:
        css.write_text(
            original.replace("@page { margin: 12mm; }", "@page { size: A4; margin: 12mm; }")
        )
        report = build(guide_workspace.root, guide_workspace.out, None, ["en"], ["example"])
        assert "remove any `size` from the layout's @page rules" in str(report.failed[0].error)
    finally:
        css.write_text(original)


def test_the_variant_overrides_only_its_block_and_rule(guide_workspace: Workspace, rasterise):
    parent = _text(guide_workspace.pdf("en", "example"))
    child = _text(guide_workspace.pdf("en", "example-variant"))
    assert "First paragraph." in parent and "A short lead." not in parent
    assert "A short lead." in child and "First paragraph." not in child
    assert "Together we are stronger" in child  # the parent's labels.toml still applies
    layout = LayoutLibrary(guide_workspace.root).get("example-variant")
    assert [p.parent.name for p in layout.stylesheet_paths] == [
        "_shared",
        "example",
        "example-variant",
    ]

    def green(pdf: Path) -> int:
        image = rasterise(pdf, dpi=40)[0].convert("RGB")
        return sum(
            1
            for r, g, b in image.get_flattened_data()
            if abs(r - 0x1D) < 20 and abs(g - 0x7A) < 20 and abs(b - 0x3A) < 20
        )

    assert green(guide_workspace.pdf("en", "example")) == 0
    assert green(guide_workspace.pdf("en", "example-variant")) > 50


def test_commands_the_guide_shows_exist_with_their_options():
    blocks = "\n".join(re.findall(r"```sh\n(.*?)```", GUIDE, re.DOTALL))
    lines = re.findall(r"^leafpress (.+)$", blocks, re.MULTILINE)
    lines += re.findall(r"`leafpress ([^`]+)`", GUIDE)
    assert len(lines) >= 4
    for line in lines:
        words = shlex.split(line)
        command = main
        while words and words[0] in getattr(command, "commands", {}):
            command = command.commands[words.pop(0)]
        assert command is not main, line
        options = {o for p in command.params for o in p.opts}
        for word in words:
            if word.startswith("--"):
                assert word in options, (line, word)

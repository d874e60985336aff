"""The safety checks fail when they should: each fault is an error in `check` and a refused output in `build`."""

from __future__ import annotations

import json

import pytest
import qrcode
import qrcode.image.svg
from click.testing import CliRunner
from PIL import Image

from conftest import Workspace
from leafpress.cli import main

# A private-use character: no font of any layout (nor any fallback) has a glyph for it.
NO_GLYPH = "\ue000"


def _check(ws: Workspace, *args: str) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(main, ["check", "--root", str(ws.root), "--json", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, json.loads(result.output)


def _errors(findings: list[dict], check: str) -> list[dict]:
    return [f for f in findings if f["check"] == check and f["status"] == "error"]


def _variant(ws: Workspace, name: str, css: str = "", template: str = "") -> None:
    """A designer's variant of leaflet-a5, with its own CSS and template blocks."""
    folder = ws.root / "layouts" / name
    folder.mkdir()
    settings = 'extends = "leaflet-a5"\n'
    if css:
        (folder / "variant.css").write_text(css)
        settings += 'stylesheets = ["variant.css"]\n'
    if template:
        (folder / "template.html").write_text(
            '{% extends "leaflet-a5/template.html" %}\n' + template
        )
        settings += 'template = "template.html"\n'
    (folder / "layout.toml").write_text(settings)


def _refused(ws: Workspace, layout: str, lang: str = "en") -> None:
    code, output = ws.build("--layout", layout, "--lang", lang)
    assert code == 1, output
    assert not ws.pdf(lang, layout).exists()


QR_FAULTS = {
    # A QR printed so faint that no phone reads it.
    "faint": ({"css": ".qr-svg { opacity: 0.08; }"}, "does not decode"),
    # A QR the designer made smaller than a phone reads at arm's length.
    "small": ({"css": ".qr-svg { width: 12mm !important; height: 12mm !important; }"}, "under the"),
    # Another QR in its place: it decodes, to somewhere else.
    "other": (
        {
            "template": '{% block qr %}<figure class="qr"><img class="qr-svg" src="other.svg" '
            'style="width: 30mm; height: 30mm"></figure>{% endblock %}'
        },
        "something else than intended",
    ),
}


@pytest.mark.parametrize("fault", sorted(QR_FAULTS))
def test_a_qr_that_does_not_scan_as_intended_is_an_error_and_refused(
    workspace: Workspace, fault: str
):
    variant, words = QR_FAULTS[fault]
    _variant(workspace, "leaflet-a5-variant", **variant)
    if fault == "other":
        image = qrcode.make(
            "https://elsewhere.example/", image_factory=qrcode.image.svg.SvgPathImage
        )
        image.save(str(workspace.root / "layouts" / "leaflet-a5-variant" / "other.svg"))
    code, findings = _check(workspace, "--layout", "leaflet-a5-variant", "--lang", "en")
    assert code == 1
    errors = _errors(findings, "qr")
    assert errors and any(words in f["message"] for f in errors), findings
    _refused(workspace, "leaflet-a5-variant")


def _with_photo(ws: Workspace) -> None:
    folder = ws.root / "assets" / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (900, 600), (90, 120, 150)).save(folder / "street.jpg")
    ws.append(
        "campaign.toml", '\n[[photos]]\nfile = "assets/demo/street.jpg"\ncredit = "Photo: A. B."\n'
    )
    ws.append("kk.toml", '\n[captions]\nstreet = "Көше."\n')
    ws.append("en.toml", '\n[captions]\nstreet = "The street."\n')


GLYPH_FAULTS = {
    "caption": ("photo-display-a3", "en.toml", '"The street."', f'"The street {NO_GLYPH}."'),
    "credit": ("photo-display-a3", "campaign.toml", '"Photo: A. B."', f'"Photo: A. B. {NO_GLYPH}"'),
    "label": (
        "leaflet-a5",
        "en.toml",
        'qr_label = "Scan me"',
        f'qr_label = "Scan me"\n\n[labels]\ndemands = "Our demands {NO_GLYPH}"',
    ),
    "contact name": (
        "leaflet-a5",
        "campaign.toml",
        'en = "Office of the Mayor of Almaty"',
        f'en = "Office of the Mayor {NO_GLYPH} of Almaty"',
    ),
}


@pytest.mark.parametrize("where", sorted(GLYPH_FAULTS))
def test_a_character_no_font_has_is_an_error_and_refused(workspace: Workspace, where: str):
    layout, file, old, new = GLYPH_FAULTS[where]
    _with_photo(workspace)
    workspace.edit(file, old, new)
    code, findings = _check(workspace, "--layout", layout, "--lang", "en")
    assert code == 1
    errors = _errors(findings, "glyphs")
    assert errors and any("U+E000" in f["message"] for f in errors), findings
    _refused(workspace, layout)


def test_the_sample_outputs_pass_the_same_checks(workspace: Workspace):
    """The faults above are what make the checks fail, not the workspace."""
    _with_photo(workspace)
    code, findings = _check(workspace, "--lang", "en")
    assert code == 0, [f for f in findings if f["status"] == "error"]
    assert any(f["check"] == "qr" and f["status"] == "ok" for f in findings)
    assert any(f["check"] == "glyphs" and f["status"] == "ok" for f in findings)

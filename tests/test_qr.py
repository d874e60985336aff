"""QR codes: each kind decodes from the rendered page to exactly the payload the campaign asks for."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import REPO, Workspace, only
from leafpress.content import Contact, load_campaign
from leafpress.errors import QRError
from leafpress.layouts import LayoutLibrary
from leafpress.qr import Payload, make_qr, tel_uri_number, vcard

DPI = 150
MM_PER_INCH = 25.4


def _decode_leaflet(ws: Workspace, lang: str, rasterise, decode_qr):
    page = only(rasterise(ws.pdf(lang), dpi=DPI), "page")
    return only(decode_qr(page), "QR code")


def test_qr_decodes_from_a5_pdf_as_the_campaign_url(workspace: Workspace, rasterise, decode_qr):
    code, output = workspace.build()
    assert code == 0, output
    assert (
        _decode_leaflet(workspace, "kk", rasterise, decode_qr).text
        == "https://example.org/shanyrak"
    )


def test_qr_url_kind_prefers_an_explicit_target(workspace: Workspace, rasterise, decode_qr):
    workspace.edit(
        "campaign.toml", 'kind = "url"', 'kind = "url"\ntarget = "https://example.org/sign"'
    )
    assert workspace.build("--lang", "en")[0] == 0
    assert _decode_leaflet(workspace, "en", rasterise, decode_qr).text == "https://example.org/sign"


def test_qr_vcard_holds_the_contact_in_the_output_language(
    workspace: Workspace, rasterise, decode_qr
):
    workspace.edit("campaign.toml", 'kind = "url"', 'kind = "vcard"')
    assert workspace.build()[0] == 0
    text = _decode_leaflet(workspace, "kk", rasterise, decode_qr).text
    assert text == (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        "N:Алматы қаласының әкімдігі\r\nFN:Алматы қаласының әкімдігі\r\n"
        "TEL:+77272716557\r\n"
        "EMAIL:protest@example.org\r\nURL:https://example.org/shanyrak\r\n"
        "END:VCARD"
    )
    assert (
        "FN:Office of the Mayor of Almaty"
        in _decode_leaflet(workspace, "en", rasterise, decode_qr).text
    )


def test_qr_mailto_opens_a_protest_mail_in_the_language(workspace: Workspace, rasterise, decode_qr):
    workspace.edit("campaign.toml", 'kind = "url"', 'kind = "mailto"')
    assert workspace.build()[0] == 0
    text = _decode_leaflet(workspace, "kk", rasterise, decode_qr).text
    assert text == (
        "mailto:protest@example.org?subject=%D0%A8%D0%B0%D2%A3%D1%8B%D1%80%D0%B0%D2%9B%20"
        "%D1%82%D1%83%D1%80%D0%B0%D0%BB%D1%8B&body=" + _quoted("Мен наразылық білдіремін.")
    )
    query = parse_qs(urlsplit(text).query)
    assert query == {"subject": ["Шаңырақ туралы"], "body": ["Мен наразылық білдіремін."]}


def _quoted(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def test_qr_tel_is_a_dialable_number(workspace: Workspace, rasterise, decode_qr):
    workspace.edit("campaign.toml", 'kind = "url"', 'kind = "tel"')
    assert workspace.build("--lang", "en")[0] == 0
    assert _decode_leaflet(workspace, "en", rasterise, decode_qr).text == "tel:+77272716557"


def test_qr_text_kind_uses_each_languages_words(workspace: Workspace, rasterise, decode_qr):
    workspace.edit(
        "campaign.toml",
        'kind = "url"',
        'kind = "text"\ntext = { kk = "Шаңырақ!", en = "Shanyrak!" }',
    )
    assert workspace.build()[0] == 0
    assert _decode_leaflet(workspace, "kk", rasterise, decode_qr).text == "Шаңырақ!"
    assert _decode_leaflet(workspace, "en", rasterise, decode_qr).text == "Shanyrak!"


def test_qr_on_the_leaflet_is_at_least_20_mm_wide(workspace: Workspace, rasterise, decode_qr):
    assert workspace.build("--lang", "en")[0] == 0
    result = _decode_leaflet(workspace, "en", rasterise, decode_qr)
    corners = result.position
    # zxing gives the corners of the symbol without its quiet zone.
    width_px = abs(corners.top_right.x - corners.top_left.x)
    width_mm = width_px / DPI * MM_PER_INCH
    modules = make_qr(Payload("https://example.org/shanyrak", Path("x"), "k")).modules
    with_quiet_zone = width_mm * modules / (modules - 8)
    assert with_quiet_zone >= 20 - 0.5


def test_qr_on_the_sample_poster_is_readable_from_its_viewing_distance(
    sample_build: Path, rasterise, decode_qr
):
    poster = sample_build / "shanyrak" / "en" / "poster-a3-demands.pdf"
    result = only(decode_qr(only(rasterise(poster, dpi=DPI), "page")), "QR code")
    corners = result.position
    width_mm = abs(corners.top_right.x - corners.top_left.x) / DPI * MM_PER_INCH
    campaign = load_campaign(REPO / "leaflets" / "shanyrak", REPO)
    assert result.text.startswith("BEGIN:VCARD")
    assert campaign.qr.kind == "vcard"
    layout = LayoutLibrary(REPO).get("poster-a3-demands")
    assert layout.viewing_distance_m == 3 and layout.scan_distance_m
    modules = make_qr(Payload(result.text, Path("x"), "k"), campaign.qr.error_correction).modules
    with_quiet_zone = width_mm * modules / (modules - 8)
    # A tenth of the distance it is scanned from.
    assert with_quiet_zone >= layout.scan_distance_m * 1000 / 10 - 0.5


def test_qr_payload_too_long_is_an_error_naming_the_field(workspace: Workspace):
    workspace.edit("campaign.toml", 'kind = "url"', 'kind = "mailto"\nerror_correction = "H"')
    workspace.edit(
        "kk.toml", 'body = "Мен наразылық білдіремін."', f'body = "{"Наразылық. " * 300}"'
    )
    code, output = workspace.build()
    assert code == 1
    assert "leaflets/demo/kk.toml: mailto.body: too long for a QR code" in output
    assert not workspace.pdf("kk").exists()
    assert workspace.pdf("en").exists(), "the other language is still built"


def test_vcard_escapes_commas_and_semicolons():
    card = vcard(Contact(name="Akimat; Almaty, city", phone="+7 (727) 271-65-57"))
    assert "FN:Akimat\\; Almaty\\, city" in card
    assert "TEL:+77272716557" in card


def test_vcard_keeps_a_fax_only_when_there_is_no_phone():
    both = vcard(Contact(name="Akimat", phone="+7 727 271 6557", fax="+7 727 293 4710"))
    assert "TEL:+77272716557" in both and "FAX" not in both
    fax_only = vcard(Contact(name="Akimat", fax="+7 727 293 4710"))
    assert "TEL;TYPE=FAX:+77272934710" in fax_only


def test_qr_mixes_segments_to_make_the_kazakh_vcard_smaller():
    # Byte mode alone needs version 9 (53 modules + quiet zone); digits and capitals in their
    # own segments bring it to version 8.
    card = vcard(Contact(name="Алматы қаласының әкімдігі", phone="+7 327 271 6557"))
    assert make_qr(Payload(card, Path("x"), "k")).modules == 49 + 8
    import qrcode

    plain = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    plain.add_data(card.encode("utf-8"), optimize=0)
    assert plain.best_fit() == 9


def test_tel_uri_keeps_only_digits_and_plus():
    assert tel_uri_number("+7 327 271 6557") == "+73272716557"
    assert tel_uri_number("8 (727) 271-65-57") == "87272716557"


def test_qr_svg_is_vector_with_a_four_module_quiet_zone():
    code = make_qr(Payload("https://example.org", Path("x"), "k"))
    assert code.svg.startswith("<svg") and "<image" not in code.svg
    assert f'viewBox="0 0 {code.modules} {code.modules}"' in code.svg
    # No dark module starts inside the 4-module quiet zone.
    import re

    starts = [(int(x), int(y)) for x, y in re.findall(r"M(\d+) (\d+)", code.svg)]
    assert min(x for x, _ in starts) == 4 and min(y for _, y in starts) == 4


def _painted(path: str, size: int) -> list[list[bool]]:
    """Which module centres an even-odd fill of `path` paints (ray casting to the right)."""
    import re

    edges = []  # vertical edges: (x, y0, y1)
    for loop in re.findall(r"M[^MZ]*Z", path):
        x, y = (int(v) for v in re.match(r"M(\d+) (\d+)", loop).groups())
        start = (x, y)
        for command, value in re.findall(r"([HV])(\d+)", loop):
            if command == "H":
                x = int(value)
            else:
                edges.append((x, y, int(value)))
                y = int(value)
        if x == start[0] and y != start[1]:  # Z closes the loop with a vertical edge
            edges.append((x, y, start[1]))
    return [
        [
            sum(1 for ex, y0, y1 in edges if ex > cx + 0.5 and min(y0, y1) < cy + 0.5 < max(y0, y1))
            % 2
            == 1
            for cx in range(size)
        ]
        for cy in range(size)
    ]


def test_qr_outline_paints_exactly_the_dark_modules():
    import random

    from leafpress.qr import outline_path

    rng = random.Random(7)
    # A ring with a hole and an island in it, two modules touching only at a corner, and noise.
    ring = [[0] * 9 for _ in range(9)]
    for i in range(1, 8):
        ring[1][i] = ring[7][i] = ring[i][1] = ring[i][7] = 1
    ring[4][4] = 1
    diagonal = [[1, 0], [0, 1]]
    noise = [[rng.random() < 0.5 for _ in range(25)] for _ in range(25)]
    for matrix in (ring, diagonal, noise):
        matrix = [[bool(v) for v in row] for row in matrix]
        assert _painted(outline_path(matrix), len(matrix)) == matrix


def test_make_qr_refuses_overflow():
    with pytest.raises(QRError) as caught:
        make_qr(Payload("x" * 5000, Path("leaflets/a/kk.toml"), "qr_text"), "M")
    assert "qr_text" in str(caught.value) and "too long" in str(caught.value)


def test_mailto_decodes_back_to_the_language_text(workspace: Workspace, rasterise, decode_qr):
    workspace.edit("campaign.toml", 'kind = "url"', 'kind = "mailto"')
    assert workspace.build("--lang", "en")[0] == 0
    text = _decode_leaflet(workspace, "en", rasterise, decode_qr).text
    assert unquote(text.split("subject=")[1].split("&")[0]) == "About Shanyrak"


def test_a_code_drawn_again_from_the_drawing_memo_writes_the_same_pdf():
    """render.py replays each SVG path's drawing instead of parsing it again on every page:
    the PDF must be the one WeasyPrint's own drawing writes."""
    import base64
    import importlib

    from weasyprint import HTML, svg

    from leafpress import render
    from leafpress.qr import matrix_to_svg

    code = matrix_to_svg([[(x * y + x) % 3 == 0 for x in range(21)] for y in range(21)])
    src = "data:image/svg+xml;base64," + base64.b64encode(code.encode()).decode()
    html = f'<img style="width:3cm" src="{src}"><p style="break-before:page"><img src="{src}">'
    render._memoize_svg_paths()
    memo = svg.TAGS["path"]
    try:
        svg.TAGS["path"] = importlib.import_module("weasyprint.svg.path").path
        plain = HTML(string=html).write_pdf()
    finally:
        svg.TAGS["path"] = memo
    assert getattr(memo, "memoized", False)
    assert HTML(string=html).write_pdf() == plain  # drawn, kept, then replayed
    assert HTML(string=html).write_pdf() == plain  # replayed on both pages


def test_a_kept_code_is_read_back_and_a_damaged_one_encoded_again(tmp_path: Path):
    from leafpress import qr

    payload = Payload("https://example.org/kept", tmp_path / "campaign.toml", "contact.url")
    qr._encode.cache_clear()
    qr.keep_codes_in(tmp_path)
    try:
        made = make_qr(payload)
        (kept,) = tmp_path.glob("*.json")
        # Read back in place of encoding: what is in the file is what comes out.
        kept.write_text('["<svg>kept</svg>", 29]')
        qr._encode.cache_clear()
        assert make_qr(payload).svg == "<svg>kept</svg>"
        kept.write_text("not json")
        qr._encode.cache_clear()
        assert make_qr(payload) == made
    finally:
        qr.keep_codes_in(None)
        qr._encode.cache_clear()

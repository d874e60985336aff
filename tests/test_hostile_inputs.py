"""A corpus of bad and hostile inputs: each fails its own output with the file and key named, no
traceback, nothing read or written outside the workspace and out/, nothing from the network."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from conftest import Workspace
from leafpress.cli import main

EN = "leaflets/demo/en.toml"
CAMPAIGN = "leaflets/demo/campaign.toml"
LAYOUT = "layouts/leaflet-a5/layout.toml"
TEMPLATE = "layouts/leaflet-a5/template.html"
FONTS = "fonts/fonts.toml"
# Planning and content checks fail before anything renders; a case that renders (a layout's
# images, fonts, CSS) lays out one A5 page at most.
CASE_SECONDS = 10


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Workspace, int], None]  # the workspace, the network listener's port
    expect: tuple[str, ...]  # what the message must say: the file, the key, the trouble
    args: tuple[str, ...] = ("--lang", "en", "--layout", "leaflet-a5")


def _edit_file(relative: str, old: str, new: str) -> Callable[[Workspace, int], None]:
    def setup(ws: Workspace, _port: int) -> None:
        path = ws.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return setup


def _en(old: str, new: str) -> Callable[[Workspace, int], None]:
    return _edit_file("leaflets/demo/en.toml", old, new)


def _campaign(old: str, new: str) -> Callable[[Workspace, int], None]:
    return _edit_file("leaflets/demo/campaign.toml", old, new)


def _layout(old: str, new: str) -> Callable[[Workspace, int], None]:
    return _edit_file(LAYOUT, old, new)


def _append(relative: str, text: str) -> Callable[[Workspace, int], None]:
    def setup(ws: Workspace, _port: int) -> None:
        path = ws.root / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return setup


def _write(relative: str, data: bytes | str) -> Callable[[Workspace, int], None]:
    def setup(ws: Workspace, _port: int) -> None:
        path = ws.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)

    return setup


def _nested_list(depth: int) -> str:
    return "".join("  " * i + f"- level {i}\n" for i in range(depth)) + "\\n\\nAfter the list."


def _photo(data: Callable[[], bytes]) -> Callable[[Workspace, int], None]:
    """A photo display whose one photo is `data()`."""

    def setup(ws: Workspace, _port: int) -> None:
        folder = ws.root / "assets" / "demo"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "street.jpg").write_bytes(data())
        ws.append("campaign.toml", '\n[[photos]]\nfile = "assets/demo/street.jpg"\ncredit = "A."\n')
        ws.append("en.toml", '\n[captions]\nstreet = "A caption."\n')

    return setup


def _missing_photo(ws: Workspace, _port: int) -> None:
    ws.append("campaign.toml", '\n[[photos]]\nfile = "assets/demo/gone.jpg"\ncredit = "A."\n')
    ws.append("en.toml", '\n[captions]\ngone = "A caption."\n')


def _jpeg(size: tuple[int, int] = (400, 300)) -> bytes:
    import io

    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _bomb() -> bytes:
    """A PNG that claims 60,000 × 60,000 pixels: Pillow refuses to decode it."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


PHOTO_ARGS = ("--lang", "en", "--layout", "photo-display-a3")


def _css(rule: str) -> Callable[[Workspace, int], None]:
    """A rule added to the layout's style.css; `{port}` is the network listener's."""

    def setup(ws: Workspace, port: int) -> None:
        path = ws.root / "layouts" / "leaflet-a5" / "style.css"
        path.write_text(rule.replace("{port}", str(port)) + "\n" + path.read_text(encoding="utf-8"))

    return setup


def _template(old: str, new: str) -> Callable[[Workspace, int], None]:
    def setup(ws: Workspace, port: int) -> None:
        _edit_file(TEMPLATE, old, new.replace("{port}", str(port)))(ws, port)

    return setup


def _font_file(data: bytes) -> Callable[[Workspace, int], None]:
    """fonts.toml's PT Sans regular replaced by `data`."""

    def setup(ws: Workspace, _port: int) -> None:
        manifest = ws.root / "fonts" / "fonts.toml"
        (ws.root / "fonts" / "broken.ttf").write_bytes(data)
        text = manifest.read_text(encoding="utf-8")
        regular = '"/usr/share/fonts/truetype/paratype/PTS55F.ttf"'
        assert regular in text
        manifest.write_text(text.replace(regular, '"broken.ttf"', 1), encoding="utf-8")

    return setup


SECRET = "SECRET-OUTSIDE-THE-WORKSPACE"


def _outside(ws: Workspace) -> Path:
    """A folder beside the workspace, holding what must never be read: the files of the
    person who builds a shared campaign or layout."""
    folder = ws.root.parent / "outside"
    folder.mkdir(exist_ok=True)
    return folder


def _secret_png(ws: Workspace) -> Path:
    path = _outside(ws) / "secret.png"
    Image.new("RGB", (400, 300), (200, 0, 0)).save(path)
    return path


def _moved_out(relative: str) -> Callable[[Workspace, int], None]:
    """The workspace's file or folder moved out of it, and a symlink left in its place."""

    def setup(ws: Workspace, _port: int) -> None:
        inside = ws.root / relative
        away = _outside(ws) / inside.name
        inside.rename(away)
        inside.symlink_to(away)

    return setup


def _photo_at(file: Callable[[Workspace], str]) -> Callable[[Workspace, int], None]:
    def setup(ws: Workspace, _port: int) -> None:
        ws.append("campaign.toml", f'\n[[photos]]\nfile = "{file(ws)}"\ncredit = "A."\n')
        ws.append("en.toml", '\n[captions]\nsecret = "A caption."\n')

    return setup


def _photo_link(ws: Workspace) -> str:
    (ws.root / "assets" / "secret.png").symlink_to(_secret_png(ws))
    return "assets/secret.png"


def _escape(payload: str) -> Callable[[Workspace, int], None]:
    """A template that tries a known way out of Jinja's sandbox."""
    return _template("{% block body %}", "{% block body %}" + payload)


def _linked_include(ws: Workspace, port: int) -> None:
    (_outside(ws) / "diary.html").write_text(f"<p>{SECRET}</p>")
    (ws.root / "layouts" / "leaflet-a5" / "diary.html").symlink_to(_outside(ws) / "diary.html")
    _template("{% block body %}", "{% block body %}{% include 'diary.html' %}")(ws, port)


def _linked_css_image(ws: Workspace, port: int) -> None:
    (ws.root / "layouts" / "leaflet-a5" / "logo.png").symlink_to(_secret_png(ws))
    _css(".masthead { background: url(logo.png) }")(ws, port)


def _outside_import(ws: Workspace, port: int) -> None:
    sheet = _outside(ws) / "evil.css"
    sheet.write_text(f'.masthead::after {{ content: "{SECRET}"; }}\n')
    _css(f'@import url("{sheet.as_uri()}");')(ws, port)


def _outside_font_face(ws: Workspace, port: int) -> None:
    font = _outside(ws) / "x.ttf"
    font.write_bytes(Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf").read_bytes())
    rule = f'@font-face {{ font-family: X; src: url("{font.as_uri()}"); }}'
    _css(rule + " .headline { font-family: X; }")(ws, port)


def _outside_font_manifest(ws: Workspace, _port: int) -> None:
    font = _outside(ws) / "Secret.ttf"
    font.write_bytes(Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf").read_bytes())
    manifest = ws.root / "fonts" / "fonts.toml"
    manifest.write_text(
        manifest.read_text() + f'\n[families."Secret Sans"]\nfiles = {{ regular = "{font}" }}\n'
    )


def _linked_labels(ws: Workspace, _port: int) -> None:
    (_outside(ws) / "labels.toml").write_text(f'[en]\ndemands = "{SECRET}"\n')
    (ws.root / "layouts" / "leaflet-a5" / "labels.toml").symlink_to(_outside(ws) / "labels.toml")


CASES = [
    # Language files: syntax, encoding, shapes.
    Case(
        "toml-syntax",
        _en('qr_label = "Scan me"', 'qr_label = "Scan me'),
        (EN + ":7:", "not valid TOML"),
    ),
    Case(
        "not-utf8",
        _write(EN, b'headline = "x"\n' + b'lead = "\xff\xfe"\n'),
        (EN + ":2", "not UTF-8"),
    ),
    Case(
        "renamed-body",
        _en('body = "First paragraph.', 'xbody = "First paragraph.'),
        (EN, "unknown key 'xbody'", "body"),
    ),
    Case(
        "missing-body",
        _en('body = "First paragraph.\\n\\nSecond paragraph with an *important* word."\n', ""),
        (EN + ": body: missing required key 'body'; layout 'leaflet-a5' prints it",),
    ),
    Case(
        "headline-table",
        _en('headline = "Defend Shanyrak\'s residents"', "headline = { a = 1 }"),
        (EN + ":1", "headline", "expected a string"),
    ),
    Case(
        "body-array",
        _en(
            'body = "First paragraph.\\n\\nSecond paragraph with an *important* word."',
            "body = [1, 2]",
        ),
        (EN, "body", "expected"),
    ),
    Case(
        "demand-number",
        _en('demands = ["Legalise the homes.", "Pay compensation."]', "demands = [1, 2]"),
        (EN, "demands", "expected a list of strings"),
    ),
    Case(
        "demands-table",
        _en('demands = ["Legalise the homes.", "Pay compensation."]', "demands = { a = 1 }"),
        (EN, "demands"),
    ),
    Case(
        "label-number",
        _append(EN, "\n[labels]\ndemands = 5\n"),
        (EN, "labels.demands", "expected a string"),
    ),
    Case(
        "label-table",
        _append(EN, "\n[labels]\ndemands = { x = 1 }\n"),
        (EN, "labels.demands", "expected a string"),
    ),
    Case("labels-not-table", _append(EN, "\nlabels = 3\n"), (EN, "labels")),
    Case(
        "mailto-not-table",
        _en("[mailto]\nsubject", "mailto = 3\n[xmailto]\nsubject"),
        (EN, "mailto"),
    ),
    Case(
        "unknown-key",
        _en("call_to_action =", "call_to_acton ="),
        (EN, "call_to_acton", "did you mean"),
    ),
    Case("deep-toml-array", _append(EN, "\nx = " + "[" * 5000 + "]" * 5000 + "\n"), (EN,)),
    Case(
        "deep-toml-table", _append(EN, "\nx = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"), (EN,)
    ),
    # Control characters and separators, each named by key.
    Case(
        "bell-in-headline",
        _en("Defend Shanyrak", "Defend\\u0007 Shanyrak"),
        (EN + ":1", "headline", "U+0007"),
    ),
    Case("nul-in-body", _en("First paragraph.", "First\\u0000 paragraph."), (EN, "body", "U+0000")),
    Case(
        "escape-in-headline",
        _en("Defend Shanyrak", "Defend \\u001b[2J Shanyrak"),
        (EN, "headline", "U+001B"),
    ),
    Case(
        "paragraph-separator",
        _en("First paragraph.", "First\\u2029paragraph."),
        (EN, "body", "U+2029"),
    ),
    Case(
        "line-separator-lead",
        _en('lead = "A short lead."', 'lead = "A short\\u2028lead."'),
        (EN, "lead", "U+2028"),
    ),
    Case(
        "c1-control-demand",
        _en('"Pay compensation."', '"Pay\\u0085 compensation."'),
        (EN, "demands[1]", "U+0085"),
    ),
    Case(
        "delete-char-cta",
        _en("Send your protest.", "Send\\u007f your protest."),
        (EN, "call_to_action", "U+007F"),
    ),
    Case(
        "noncharacter", _en("First paragraph.", "First\\uFFFF paragraph."), (EN, "body", "U+FFFF")
    ),
    Case(
        "control-in-mailto",
        _en('subject = "About Shanyrak"', 'subject = "About\\u0001"'),
        (EN, "mailto.subject", "U+0001"),
    ),
    Case(
        "control-in-contact-name",
        _campaign('en = "Office of the Mayor of Almaty"', 'en = "Office\\u0008 of the Mayor"'),
        (CAMPAIGN, "contact.name.en", "U+0008"),
    ),
    # Limits: field length, list length, Markdown nesting.
    Case(
        "megabyte-headline",
        _en("Defend Shanyrak", "Defend " + "x" * 1_000_000),
        (EN, "headline", "1,000,019 characters"),
    ),
    Case(
        "long-body", _en("First paragraph.", "word " * 5000), (EN, "body", "characters, more than")
    ),
    Case(
        "ten-thousand-demands",
        _en(
            'demands = ["Legalise the homes.", "Pay compensation."]',
            "demands = [" + '"d",' * 10_000 + "]",
        ),
        (EN, "demands", "10000 items"),
    ),
    Case(
        "hundred-one-demands",
        _en(
            'demands = ["Legalise the homes.", "Pay compensation."]',
            "demands = [" + '"d",' * 101 + "]",
        ),
        (EN, "demands", "101 items"),
    ),
    Case(
        "list-nested-10",
        _en(
            'body = "First paragraph.\\n\\nSecond paragraph with an *important* word."',
            'body = "' + _nested_list(10).replace("\n", "\\n") + '"',
        ),
        (EN, "body", "nest 10 deep"),
    ),
    Case(
        "quote-nested-20", _en("First paragraph.", ">" * 20 + " deep"), (EN, "body", "nest 20 deep")
    ),
    Case(
        "quote-nested-500",
        _en("First paragraph.", ">" * 500 + " deep"),
        (EN, "body", "nest over 100 deep"),
    ),
    # campaign.toml
    Case(
        "campaign-syntax",
        _campaign('kind = "url"', "kind = url"),
        (CAMPAIGN, "not valid TOML"),
        ("--layout", "leaflet-a5"),
    ),
    Case(
        "languages-not-list",
        _campaign('languages = ["kk", "en"]', 'languages = "en"'),
        (CAMPAIGN, "languages"),
        ("--layout", "leaflet-a5"),
    ),
    Case(
        "language-number",
        _campaign('languages = ["kk", "en"]', 'languages = ["kk", 5]'),
        (CAMPAIGN, "languages"),
        ("--layout", "leaflet-a5"),
    ),
    Case(
        "language-code-bad",
        _campaign('languages = ["kk", "en"]', 'languages = ["kk", "en", "../../x"]'),
        (CAMPAIGN, "languages"),
    ),
    Case(
        "contact-not-table",
        _campaign("[contact]\nname", "contact = 5\n[xcontact]\nname"),
        (CAMPAIGN, "contact"),
    ),
    Case(
        "qr-kind-unknown",
        _campaign('kind = "url"', 'kind = "telepathy"'),
        (CAMPAIGN, "qr.kind", "telepathy"),
    ),
    Case(
        "outputs-unknown-layout",
        _append(CAMPAIGN, '\n[[outputs]]\nlayout = "leaflet-a9"\n'),
        (CAMPAIGN, "outputs[0].layout", "leaflet-a9"),
        ("--lang", "en"),
    ),
    Case(
        "outputs-layout-number",
        _append(CAMPAIGN, "\n[[outputs]]\nlayout = 5\n"),
        (CAMPAIGN, "outputs[0].layout"),
        ("--lang", "en"),
    ),
    Case(
        "outputs-options-wrong",
        _append(CAMPAIGN, '\n[[outputs]]\nlayout = "leaflet-a5"\noptions = 3\n'),
        (CAMPAIGN, "outputs[0].options"),
        ("--lang", "en"),
    ),
    Case(
        "targets-unknown",
        _campaign(
            'languages = ["kk", "en"]', 'languages = ["kk", "en"]\ntargets = ["fax-machine"]'
        ),
        (CAMPAIGN, "targets", "fax-machine"),
    ),
    Case(
        "campaign-missing",
        lambda ws, _p: (ws.campaign_dir / "campaign.toml").unlink(),
        (CAMPAIGN, "not found"),
        ("leaflets/demo",),
    ),
    Case(
        "campaign-is-folder",
        lambda ws, _p: (
            (ws.campaign_dir / "campaign.toml").unlink(),
            (ws.campaign_dir / "campaign.toml").mkdir(),
        ),
        (CAMPAIGN, "cannot be read"),
        ("leaflets/demo",),
    ),
    Case(
        "language-file-is-folder",
        lambda ws, _p: (
            (ws.campaign_dir / "en.toml").unlink(),
            (ws.campaign_dir / "en.toml").mkdir(),
        ),
        (CAMPAIGN, "languages", "has no file", EN),
    ),
    # Photos.
    Case(
        "photo-missing",
        _missing_photo,
        (CAMPAIGN, "photos[0].file", "not found"),
        PHOTO_ARGS,
    ),
    Case(
        "photo-not-image",
        _photo(lambda: b"\xff\xd8 not a JPEG"),
        (CAMPAIGN, "photos[0].file", "not an image"),
        PHOTO_ARGS,
    ),
    Case(
        "photo-truncated",
        _photo(lambda: _jpeg()[:400]),
        (CAMPAIGN, "photos[0].file", "assets/demo/street.jpg"),
        PHOTO_ARGS,
    ),
    Case(
        "photo-empty",
        _photo(lambda: b""),
        (CAMPAIGN, "photos[0].file", "assets/demo/street.jpg"),
        PHOTO_ARGS,
    ),
    Case(
        "photo-bomb",
        _photo(_bomb),
        (CAMPAIGN, "photos[0].file", "assets/demo/street.jpg"),
        PHOTO_ARGS,
    ),
    Case(
        "caption-unknown-photo",
        _append(EN, '\n[captions]\nnobody = "x"\n'),
        (EN, "captions.nobody", "no photo has the key"),
    ),
    # Layouts.
    Case(
        "layout-syntax", _layout('kind = "leaflet"', "kind = leaflet"), (LAYOUT, "not valid TOML")
    ),
    Case(
        "page-size-zero",
        _layout('page_size = "A5"', "page_size = [0, 0]"),
        (LAYOUT + ":5", "page_size", "between 20 and 2000 mm"),
    ),
    Case(
        "page-size-negative",
        _layout('page_size = "A5"', "page_size = [-148, 210]"),
        (LAYOUT, "page_size", "between"),
    ),
    Case(
        "page-size-huge",
        _layout('page_size = "A5"', "page_size = [1e9, 1e9]"),
        (LAYOUT, "page_size", "between"),
    ),
    Case(
        "page-size-nan",
        _layout('page_size = "A5"', "page_size = [nan, inf]"),
        (LAYOUT, "page_size", "between"),
    ),
    Case(
        "page-size-name",
        _layout('page_size = "A5"', 'page_size = "B99"'),
        (LAYOUT, "page_size", "expected one of"),
    ),
    Case("pages-zero", _layout("pages = 1", "pages = 0"), (LAYOUT, "pages", "expected a number")),
    Case(
        "requires-unknown",
        _layout('requires = ["headline"', 'requires = ["telepathy", "headline"'),
        (LAYOUT, "requires"),
    ),
    Case("fit-not-table", _layout("fit = { element", "fit = 3\nxfit = { element"), (LAYOUT, "fit")),
    Case(
        "stylesheets-not-list",
        _layout('stylesheets = ["../_shared/palette.css", "style.css"]', "stylesheets = 3"),
        (LAYOUT, "stylesheets"),
    ),
    Case(
        "template-missing",
        _layout('template = "template.html"', 'template = "gone.html"'),
        ("layouts/leaflet-a5", "gone.html"),
    ),
    Case(
        "template-syntax",
        _template("{% block body %}", "{% block body %}{% if %}"),
        (TEMPLATE + ":2", "template"),
    ),
    Case(
        "template-recursive-macro",
        _template(
            "{% block body %}", "{% block body %}{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"
        ),
        (TEMPLATE, "calls itself"),
    ),
    Case(
        "labels-table-shape",
        _write("layouts/labels.toml", "en = 3\n"),
        ("layouts/labels.toml", "en"),
    ),
    Case(
        "labels-value-number",
        _write("layouts/labels.toml", "[en]\ndemands = 5\n"),
        ("layouts/labels.toml", "demands"),
    ),
    # Fonts.
    Case("fonts-syntax", _write(FONTS, "[families\n"), (FONTS, "not valid TOML")),
    Case(
        "fonts-families-list",
        _write(FONTS, 'families = ["a"]\n'),
        (FONTS, "families", "expected a table"),
    ),
    Case(
        "fonts-family-number",
        _write(FONTS, "[families]\nx = 3\n"),
        (FONTS, "families.x", "expected a table"),
    ),
    Case(
        "fonts-files-number",
        _write(FONTS, "[families.x]\nfiles = 3\n"),
        (FONTS, "families.x.files"),
    ),
    Case(
        "font-file-broken",
        _font_file(b"this is not a font at all" * 40),
        (FONTS, "families.PT Sans.files.regular", "broken.ttf"),
    ),
    Case(
        "font-file-truncated",
        _font_file(b"\x00\x01\x00\x00\x00\x10" + b"\x00" * 200),
        (FONTS, "families.PT Sans.files.regular", "broken.ttf"),
    ),
    # What a layout draws: broken images, SVG entities, and the network.
    Case(
        "css-broken-image",
        lambda ws, p: (
            _write("layouts/leaflet-a5/bg.png", b"\x89PNG broken")(ws, p),
            _css(".masthead { background: url(bg.png) }")(ws, p),
        ),
        ("layouts/leaflet-a5/bg.png", "cannot be read"),
    ),
    Case(
        "template-svg-entities",
        lambda ws, p: (
            _write(
                "layouts/leaflet-a5/logo.svg",
                '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><text>&b;</text></svg>',
            )(ws, p),
            _template("{% block body %}", '{% block body %}<img src="logo.svg">')(ws, p),
        ),
        ("logo.svg", "ENTITY"),
    ),
    Case(
        "css-network-image",
        _css(".masthead { background: url(http://127.0.0.1:{port}/track.png) }"),
        ("127.0.0.1", "network"),
    ),
    Case(
        "css-network-import",
        _css("@import url(http://127.0.0.1:{port}/x.css);"),
        ("127.0.0.1", "network"),
    ),
    Case(
        "template-network-image",
        _template(
            "{% block body %}", '{% block body %}<img src="http://127.0.0.1:{port}/pixel.gif">'
        ),
        ("127.0.0.1", "network"),
    ),
    # Files outside the workspace: named, climbed to, or reached through a symlink.
    Case(
        "campaign-toml-symlink-out",
        _moved_out(CAMPAIGN),
        (CAMPAIGN, "symlink to a place outside the workspace"),
    ),
    Case(
        "language-file-symlink-out",
        _moved_out(EN),
        (EN, "symlink to a place outside the workspace"),
    ),
    Case(
        "campaign-folder-symlink-out",
        _moved_out("leaflets/demo"),
        (CAMPAIGN, "symlink to a place outside the workspace"),
    ),
    Case(
        "fonts-toml-symlink-out",
        _moved_out(FONTS),
        (FONTS, "symlink to a place outside the workspace"),
    ),
    Case(
        "layout-folder-symlink-out",
        _moved_out("layouts/leaflet-a5"),
        (LAYOUT, "symlink to a place outside"),
    ),
    Case(
        "labels-symlink-out",
        _linked_labels,
        ("layouts/leaflet-a5/labels.toml", "symlink to a place outside"),
    ),
    Case(
        "photo-absolute-path",
        _photo_at(lambda ws: str(_secret_png(ws))),
        (CAMPAIGN, "photos[0].file", "outside the workspace"),
        PHOTO_ARGS,
    ),
    Case(
        "photo-climbing-out",
        _photo_at(lambda ws: "../" * 40 + str(_secret_png(ws)).lstrip("/")),
        (CAMPAIGN, "photos[0].file", "outside the workspace"),
        PHOTO_ARGS,
    ),
    Case(
        "photo-symlink-out",
        _photo_at(_photo_link),
        (CAMPAIGN, "photos[0].file", "symlink to a place outside"),
        PHOTO_ARGS,
    ),
    Case(
        "include-symlink-out",
        _linked_include,
        ("layouts/leaflet-a5", "template 'diary.html'", "symlink to a place outside"),
    ),
    Case(
        "css-image-symlink-out",
        _linked_css_image,
        ("logo.png refused: outside the workspace",),
    ),
    Case("css-import-outside", _outside_import, ("evil.css refused: outside the workspace",)),
    Case("font-face-outside", _outside_font_face, ("x.ttf refused: outside the workspace",)),
    Case(
        "fonts-toml-font-outside",
        _outside_font_manifest,
        (FONTS, "families.Secret Sans.files.regular", "system font folder"),
    ),
    Case("include-etc-passwd", _escape("{% include '/etc/passwd' %}"), (TEMPLATE, "template")),
    Case(
        "include-climbing-out",
        _escape("{% include '../../../../../../../../etc/passwd' %}"),
        (TEMPLATE, "template"),
    ),
    # Ways out of the template sandbox.
    Case(
        "sandbox-subclasses",
        _escape("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
        (TEMPLATE, "template"),
    ),
    Case(
        "sandbox-cycler-globals",
        _escape("{{ cycler.__init__.__globals__.os }}"),
        (TEMPLATE, "template"),
    ),
    Case(
        "sandbox-lipsum-popen",
        _escape("{{ lipsum.__globals__.os.popen('id').read() }}"),
        (TEMPLATE, "template"),
    ),
    Case(
        "sandbox-self-context",
        _escape("{{ self._TemplateReference__context }}"),
        (TEMPLATE, "template"),
    ),
    # What a PDF may not carry.
    Case(
        "relative-link",
        _escape('<a href="statement.html">statement</a>'),
        ("statement.html refused", "https:, mailto:, tel:"),
    ),
    Case(
        "file-link",
        _escape('<a href="file:///etc/passwd">x</a>'),
        ("link to file:///etc/passwd refused",),
    ),
    Case(
        "attachment-link",
        _escape('<a rel="attachment" href="layout.toml">x</a>'),
        ("layout.toml refused", "embeds no files"),
    ),
    Case(
        "attachment-element",
        _escape('<link rel="attachment" href="layout.toml" title="t">'),
        ("attachment 't' refused", "embeds no files"),
    ),
]


class Listener:
    """A loopback TCP listener that counts the connections made to it: any is a request to
    the network that should never have been made."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


class FileAudit:
    """Every file this process opens, every folder it lists and every connection it makes
    while `watching`, from Python's audit events (sys.addaudithook), resolved as the kernel
    would: a symlink in the workspace that leads out counts where it leads. What C libraries
    read themselves (fontconfig, Pango) raises no event; they read system folders only."""

    def __init__(self) -> None:
        self.opened: list[tuple[str, bool]] = []  # (resolved path, written)
        self.listed: list[str] = []
        self.connections: list[str] = []
        self.watching = False
        self._busy = threading.local()
        # A hook cannot be removed: one for the module, switched on and off per case.
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple) -> None:
        if not self.watching or getattr(self._busy, "on", False):
            return
        self._busy.on = True  # resolving a path must not audit itself
        try:
            if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
                mode, flags = args[1] or "", args[2] or 0
                written = any(c in str(mode) for c in "wax+") or bool(
                    flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND)
                )
                self.opened.append((os.path.realpath(os.fsdecode(args[0])), written))
            elif event in ("os.listdir", "os.scandir") and isinstance(args[0], (str, bytes)):
                self.listed.append(os.path.realpath(os.fsdecode(args[0] or ".")))
            elif event == "socket.connect":
                self.connections.append(repr(args[1]))
        finally:
            self._busy.on = False

    def clear(self) -> None:
        self.opened, self.listed, self.connections = [], [], []


def _inside(path: str, folders: list[str]) -> bool:
    return any(path == folder or path.startswith(folder.rstrip("/") + "/") for folder in folders)


def _readable_folders(root: Path) -> list[str]:
    """Where a build may read besides its workspace: Python and the virtual environment with
    every installed library, leafpress itself, the system font folders fonts.toml may name,
    Debian's shared data (fonts, ICC profiles, ghostscript's), and the kernel's /proc and /dev."""
    import leafpress
    from leafpress.workspace import SYSTEM_FONT_DIRS

    folders = {
        root,
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sys.exec_prefix),
        Path(leafpress.__file__).parent,
        *SYSTEM_FONT_DIRS,
        Path("/usr/share"),
        Path("/proc"),
        Path("/dev"),
    }
    return sorted(os.path.realpath(folder) for folder in folders)


@pytest.fixture(scope="module")
def audit() -> FileAudit:
    # Importing WeasyPrint reads the system's MIME table (pdf/anchors.py) and looks for its
    # C libraries with ctypes, which compiles a probe through a temporary file in /tmp: once
    # per process, whatever it will build, so before any case is watched.
    import weasyprint.pdf.anchors
    import weasyprint.text.fonts  # noqa: F401

    return FileAudit()


def _fresh_fonts() -> None:
    """A process builds into one output folder and keeps WeasyPrint's copies of the fonts in
    its cache (render.font_configuration); this one builds a workspace per case: each case
    starts with none, as a new process would, so that its copies go to its own out/."""
    import gc

    from leafpress import render

    render._FONT_CONFIG = None
    gc.collect()  # the last case's copies are removed now, not while this one is watched


def _snapshot(folder: Path, skip: Path | None = None) -> dict[str, tuple[int, int]]:
    found = {}
    for path in folder.rglob("*"):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        stat = path.lstat()
        found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def test_the_corpus_is_large_and_every_name_is_unique():
    assert len(CASES) >= 60
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_input_fails_cleanly_naming_file_and_key(
    case: Case, tmp_path: Path, listener: Listener, audit: FileAudit
):
    root = tmp_path / "workspace"
    root.mkdir()
    ws = Workspace(root)
    case.setup(ws, listener.port)
    # A file beside the workspace, and the folder holding it: nothing may be written there.
    (tmp_path / "secret.txt").write_text("not for print")
    outside = _snapshot(tmp_path, skip=root)
    sources = _snapshot(root, skip=ws.out)
    connections = listener.connections

    readable = _readable_folders(root)
    # Folders Python imports from may be listed (a module imported for the first time).
    listable = readable + [os.path.realpath(entry or ".") for entry in sys.path]

    _fresh_fonts()
    audit.clear()
    audit.watching = True
    started = time.monotonic()
    try:
        result = CliRunner().invoke(main, ["build", "--root", str(root), "-j", "1", *case.args])
    finally:
        audit.watching = False
    seconds = time.monotonic() - started

    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert result.exit_code == 1, output
    assert "Traceback" not in output
    for words in case.expect:
        assert words in output, f"{words!r} not in:\n{output}"
    assert not ws.pdfs(), ws.pdfs()
    assert listener.connections == connections, "a request reached the network"
    assert audit.connections == [], "a connection was attempted"
    read_outside = sorted({path for path, _ in audit.opened if not _inside(path, readable)})
    assert read_outside == [], f"read outside the workspace: {read_outside}"
    written_outside = sorted(
        {path for path, written in audit.opened if written and not _inside(path, [str(root)])}
    )
    assert [p for p in written_outside if not p.startswith("/dev/")] == [], written_outside
    listed_outside = sorted({path for path in audit.listed if not _inside(path, listable)})
    assert listed_outside == [], f"listed outside the workspace: {listed_outside}"
    assert _snapshot(tmp_path, skip=root) == outside, "a file outside the workspace changed"
    assert _snapshot(root, skip=ws.out) == sources, "a source file changed"
    leftovers = [p for p in root.rglob("*") if p.name.endswith((".part", ".tmp"))]
    assert not leftovers, leftovers
    assert seconds < CASE_SECONDS, f"{case.name} took {seconds:.1f} s"


# Cases that break the English file alone: the Kazakh leaflet beside it must still be built.
ENGLISH_ONLY = (
    "toml-syntax",
    "bell-in-headline",
    "megabyte-headline",
    "list-nested-10",
    "language-file-symlink-out",
)


@pytest.mark.parametrize("name", ENGLISH_ONLY)
def test_the_other_outputs_are_still_built(name: str, tmp_path: Path, listener: Listener):
    case = next(case for case in CASES if case.name == name)
    ws = Workspace(tmp_path / "workspace")
    case.setup(ws, listener.port)
    result = CliRunner().invoke(
        main, ["build", "--root", str(ws.root), "-j", "1", "--layout", "leaflet-a5"]
    )
    assert result.exit_code == 1, result.output
    assert case.expect[0] in result.output
    assert ws.pdfs() == [ws.pdf("kk")], result.output

"""One rule for every path a campaign or layout names: inside the workspace, or a clean error.

Each hostile case is a record (what it does to a workspace, what the error must say), so that the
list can join a larger corpus of bad inputs."""

from __future__ import annotations

import re
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import Workspace

SECRET = "SECRET-OUTSIDE-THE-WORKSPACE"


@dataclass(frozen=True)
class Hostile:
    name: str
    arrange: Callable[[Workspace, Path], None]  # the workspace, and a folder outside it
    says: tuple[str, ...]  # what the error must contain: the file, the key, the reason


def _layout(ws: Workspace) -> Path:
    return ws.root / "layouts" / "leaflet-a5"


def _add_css(ws: Workspace, css: str) -> None:
    sheet = _layout(ws) / "style.css"
    # @import counts only before every other rule.
    first = css.startswith("@import")
    sheet.write_text(css + "\n" + sheet.read_text() if first else sheet.read_text() + "\n" + css)


def _add_html(ws: Workspace, html: str) -> None:
    template = _layout(ws) / "template.html"
    text = template.read_text()
    template.write_text(text.replace("{% block masthead %}", "{% block masthead %}" + html, 1))


def _secret_png(outside: Path) -> Path:
    path = outside / "secret.png"
    Image.new("RGB", (40, 40), (200, 0, 0)).save(path)
    return path


def _photo(ws: Workspace, file: str) -> None:
    ws.append("campaign.toml", f'\n[[photos]]\nfile = "{file}"\ncredit = "Archive"\n')


def _photo_symlink(ws: Workspace, outside: Path) -> None:
    (ws.root / "assets" / "street.png").symlink_to(_secret_png(outside))
    _photo(ws, "assets/street.png")


def _photo_climbing(ws: Workspace, outside: Path) -> None:
    _secret_png(outside)
    _photo(ws, "../" * (len(ws.root.parts) + 2) + str(outside / "secret.png").lstrip("/"))


def _font_outside(ws: Workspace, outside: Path) -> None:
    font = outside / "Secret.ttf"
    font.write_bytes(Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf").read_bytes())
    manifest = ws.root / "fonts" / "fonts.toml"
    manifest.write_text(
        manifest.read_text()
        + f'\n[families."Secret Sans"]\nsource = "x"\nfiles = {{ regular = "{font}" }}\n'
    )


def _outside_css(outside: Path) -> Path:
    sheet = outside / "evil.css"
    sheet.write_text(f'.masthead::after {{ content: "{SECRET}"; }}\n')
    return sheet


def _outside_stylesheet(ws: Workspace, out: Path) -> None:
    climb = "../" * 12 + str(_outside_css(out)).lstrip("/")
    toml = _layout(ws) / "layout.toml"
    text = toml.read_text()
    assert '"style.css"]' in text
    toml.write_text(text.replace('"style.css"]', f'"style.css", "{climb}"]'))


HOSTILE = [
    Hostile(
        "photo with an absolute path",
        lambda ws, out: _photo(ws, str(_secret_png(out))),
        ("leaflets/demo/campaign.toml", "photos[0].file", "outside the workspace"),
    ),
    Hostile(
        "photo climbing out with ../",
        _photo_climbing,
        ("leaflets/demo/campaign.toml", "photos[0].file", "outside the workspace"),
    ),
    Hostile(
        "photo that is a symlink out",
        _photo_symlink,
        ("leaflets/demo/campaign.toml", "photos[0].file", "symlink to a place outside"),
    ),
    Hostile(
        "include that is a symlink out",
        lambda ws, out: (
            (out / "diary.html").write_text(f"<p>{SECRET}</p>"),
            (_layout(ws) / "diary.html").symlink_to(out / "diary.html"),
            _add_html(ws, "{% include 'diary.html' %}"),
        ),
        ("layouts/leaflet-a5", "template 'diary.html'", "symlink to a place outside"),
    ),
    Hostile(
        "CSS url() through a symlink out",
        lambda ws, out: (
            (_layout(ws) / "logo.png").symlink_to(_secret_png(out)),
            _add_css(ws, ".masthead { background: url(logo.png); }"),
        ),
        ("logo.png refused: outside the workspace",),
    ),
    Hostile(
        "CSS @import of a file outside",
        lambda ws, out: _add_css(ws, f'@import url("{_outside_css(out).as_uri()}");'),
        ("evil.css refused: outside the workspace",),
    ),
    Hostile(
        "CSS @import climbing out",
        lambda ws, out: _add_css(
            ws, '@import url("' + "../" * 12 + str(_outside_css(out)).lstrip("/") + '");'
        ),
        ("evil.css refused: outside the workspace",),
    ),
    Hostile(
        "@font-face from a file outside",
        lambda ws, out: (
            (out / "x.ttf").write_bytes(b"\0\1\0\0"),
            _add_css(
                ws,
                f'@font-face {{ font-family: X; src: url("{(out / "x.ttf").as_uri()}"); }}'
                ".headline { font-family: X; }",
            ),
        ),
        ("x.ttf refused: outside the workspace",),
    ),
    Hostile(
        "fonts.toml naming a font outside",
        _font_outside,
        ("fonts/fonts.toml", "families.Secret Sans.files.regular", "system font folder"),
    ),
    Hostile(
        "layout stylesheet outside",
        lambda ws, out: _outside_stylesheet(ws, out),
        ("layouts/leaflet-a5/layout.toml", "stylesheets", "outside the workspace"),
    ),
    Hostile(
        "labels.toml that is a symlink out",
        lambda ws, out: (
            (out / "labels.toml").write_text(f'[en]\ndemands = "{SECRET}"\n'),
            (_layout(ws) / "labels.toml").symlink_to(out / "labels.toml"),
        ),
        ("labels.toml", "symlink to a place outside"),
    ),
    Hostile(
        "layout folder that is a symlink out",
        lambda ws, out: (
            shutil.move(_layout(ws), out / "leaflet-a5"),
            _layout(ws).symlink_to(out / "leaflet-a5"),
        ),
        ("layouts/leaflet-a5/layout.toml", "symlink to a place outside"),
    ),
    Hostile(
        "relative link in a template",
        lambda ws, out: _add_html(ws, '<a href="statement.html">statement</a>'),
        ("link to file://", "statement.html refused", "https:, mailto:, tel:"),
    ),
    Hostile(
        "file: link in a template",
        lambda ws, out: _add_html(ws, '<a href="file:///etc/passwd">x</a>'),
        ("link to file:///etc/passwd refused",),
    ),
    Hostile(
        "http: link in a template",
        lambda ws, out: _add_html(ws, '<a href="http://example.org/">x</a>'),
        ("link to http://example.org/ refused",),
    ),
    Hostile(
        "a rel=attachment link",
        lambda ws, out: _add_html(ws, '<a rel="attachment" href="layout.toml">x</a>'),
        ("attachment link to", "layout.toml refused", "embeds no files"),
    ),
    Hostile(
        "a <link rel=attachment>",
        lambda ws, out: _add_html(ws, '<link rel="attachment" href="layout.toml" title="t">'),
        ("attachment 't' refused", "embeds no files"),
    ),
]


@pytest.mark.parametrize("case", HOSTILE, ids=[case.name for case in HOSTILE])
def test_a_path_out_of_the_workspace_is_a_clean_error(
    workspace: Workspace, tmp_path_factory: pytest.TempPathFactory, case: Hostile
):
    outside = tmp_path_factory.mktemp("outside")
    case.arrange(workspace, outside)
    code, output = workspace.build("--lang", "en", "--layout", "leaflet-a5")
    assert code == 1, output
    assert "Traceback" not in output
    flat = " ".join(output.split())
    for said in case.says:
        assert said in flat, f"{said!r} not in {output}"
    for pdf in workspace.pdfs():
        assert SECRET not in " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert not [p for p in workspace.out.rglob("*") if p.name.endswith(".part")]


def _uris(pdf: Path) -> list[str]:
    found = []
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def test_markdown_links_keep_https_mailto_tel_and_print_the_rest_as_text(workspace: Workspace):
    body = (
        "Read [the statement](statement.html), [our site](https://example.org/s), "
        "[write](mailto:a@example.org), [call](tel:+77271234567), [old](http://example.org/o) "
        "and [home](file:///home/someone/notes.txt)."
    )
    workspace.edit("en.toml", 'body = "First paragraph.', f'body = "{body} First paragraph.')
    code, output = workspace.build("--lang", "en", "--layout", "leaflet-a5")
    assert code == 0, output
    pdf = workspace.pdf("en")
    uris = _uris(pdf)
    assert "https://example.org/s" in uris and "mailto:a@example.org" in uris
    assert "tel:+77271234567" in uris
    assert not [u for u in uris if not re.match(r"(https|mailto|tel):", u)], uris
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "the statement" in text and "old" in text
    assert b"file:" not in pdf.read_bytes()


def test_a_photo_inside_the_workspace_through_a_symlink_is_used(workspace: Workspace):
    real = workspace.root / "assets" / "real"
    real.mkdir()
    Image.new("RGB", (1600, 1200), (90, 120, 150)).save(real / "street.jpg")
    (workspace.root / "assets" / "street.jpg").symlink_to(real / "street.jpg")
    _photo(workspace, "assets/street.jpg")
    for lang in ("kk", "en"):
        workspace.append(f"{lang}.toml", '\n[captions]\nstreet = "A caption."\n')
    _, output = workspace.build("--lang", "en", "--layout", "photo-display-a3", "--force")
    assert "outside the workspace" not in output
    assert workspace.pdf("en", "photo-display-a3").exists(), output


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[int]]]:
    """A listener on 127.0.0.1 that counts every connection made to it, from any process."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    accepted: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(1)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", accepted
    stop.set()
    thread.join()
    server.close()


# Where a layout or a campaign can name a network address; {url} is the loopback listener.
NETWORK = [
    ("css-url", lambda ws, url: _add_css(ws, f".masthead {{ background: url({url}/bg.png); }}"), 1),
    ("css-import", lambda ws, url: _add_css(ws, f'@import url("{url}/x.css");'), 1),
    (
        "font-face",
        lambda ws, url: _add_css(
            ws,
            f'@font-face {{ font-family: Y; src: url("{url}/y.ttf"); }} h1 {{ font-family: Y; }}',
        ),
        1,
    ),
    ("img", lambda ws, url: _add_html(ws, f'<img src="{url}/i.png">'), 1),
    (
        "stylesheet-link",
        lambda ws, url: _add_html(ws, f'<link rel="stylesheet" href="{url}/s.css">'),
        1,
    ),
    ("template-link", lambda ws, url: _add_html(ws, f'<a href="{url}/page">x</a>'), 1),
    (
        "markdown-link",
        lambda ws, url: ws.edit(
            "en.toml", 'body = "First', f'body = "[here]({url}/m) <{url}/a> First'
        ),
        0,
    ),
]


@pytest.mark.parametrize("arrange,exit_code", [c[1:] for c in NETWORK], ids=[c[0] for c in NETWORK])
def test_nothing_is_fetched_from_the_network(workspace: Workspace, loopback, arrange, exit_code):
    url, accepted = loopback
    arrange(workspace, url)
    code, output = workspace.build("--lang", "en", "--layout", "leaflet-a5")
    assert code == exit_code, output
    assert "Traceback" not in output
    assert accepted == []
    for pdf in workspace.pdfs():
        assert url.encode() not in pdf.read_bytes()


def test_the_loopback_listener_counts_a_connection(loopback):
    """The test above must be able to fail: a real request is counted."""
    import time
    import urllib.request

    url, accepted = loopback
    with pytest.raises(OSError):  # the listener hangs up without answering
        urllib.request.urlopen(url + "/x", timeout=2)
    deadline = time.monotonic() + 2
    while not accepted and time.monotonic() < deadline:
        time.sleep(0.05)
    assert accepted == [1]

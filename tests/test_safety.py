"""Content cannot inject markup or make the renderer fetch anything; layouts only read the workspace."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import Workspace
from leafpress.render import make_fetcher


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list:
    """Every attempt to open a connection is recorded and refused."""
    attempts: list = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_markup_and_template_syntax_in_content_print_as_literal_text(
    workspace: Workspace, no_network
):
    workspace.edit(
        "en.toml", 'lead = "A short lead."', 'lead = "<script>alert(1)</script> {{ 7*7 }}"'
    )
    workspace.edit(
        "en.toml",
        'body = "First paragraph.',
        'body = "<img src=\\"http://example.com/x.png\\"> ![pic](http://example.com/y.png) {% raw %} First paragraph.',
    )
    workspace.edit("en.toml", 'headline = "Defend', 'headline = "<b>{{ 7*7 }}</b> Defend')
    code, output = workspace.build("--lang", "en")
    assert code == 0, output
    text = _text(workspace.pdf("en"))
    assert "<script>alert(1)</script>" in text
    assert "{{ 7*7 }}" in text and "49" not in text
    # Typographic quotes, and a long address may break across lines: compared without spaces.
    flat = "".join(text.replace("“", '"').replace("”", '"').split())
    assert '<imgsrc="http://example.com/x.png">' in flat
    assert "{% raw %}" in text
    assert "<b>" in text
    assert no_network == []


def test_a_layout_that_references_the_network_fails_naming_the_resource(
    workspace: Workspace, no_network
):
    css = workspace.root / "layouts" / "leaflet-a5" / "style.css"
    css.write_text(
        css.read_text() + "\n.masthead { background: url(http://example.com/bg.png); }\n"
    )
    code, output = workspace.build("--lang", "en")
    assert code == 1
    assert "resource http://example.com/bg.png refused" in output
    assert not workspace.pdf("en").exists()
    assert no_network == []


def test_a_layout_cannot_escape_the_workspace(workspace: Workspace, tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.png"
    secret.write_bytes(b"")
    css = workspace.root / "layouts" / "leaflet-a5" / "style.css"
    css.write_text(css.read_text() + f"\n.masthead {{ background: url({secret.as_uri()}); }}\n")
    code, output = workspace.build("--lang", "en")
    assert code == 1
    assert "secret.png refused: outside the workspace" in output


def test_an_optional_resource_may_be_missing(workspace: Workspace):
    folder = workspace.root / "layouts" / "leaflet-a5"
    css = folder / "style.css"
    css.write_text(css.read_text() + "\n.masthead { background: url(logo.png) no-repeat; }\n")
    toml = folder / "layout.toml"
    toml.write_text(toml.read_text() + '\noptional_resources = ["logo.png"]\n')
    code, output = workspace.build("--lang", "en")
    assert code == 0, output


def test_fetcher_serves_data_uris_and_workspace_files_only(tmp_path: Path):
    inside = tmp_path / "ws" / "a.css"
    inside.parent.mkdir()
    inside.write_text("p{}")
    outside = tmp_path / "b.css"
    outside.write_text("p{}")
    fetcher = make_fetcher([inside.parent], [], [])
    assert fetcher.fetch(inside.as_uri()).read() == b"p{}"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    for url in (
        outside.as_uri(),
        (inside.parent / ".." / "b.css").as_uri(),
        inside.parent.as_uri() + "/../b.css",
        "http://example.com/a.css",
        "https://example.com/a.css",
        "ftp://example.com/a.css",
    ):
        with pytest.raises(Exception):  # noqa: B017 - WeasyPrint catches whatever a fetcher raises
            fetcher.fetch(url)
    assert len(fetcher.refused()) == 6

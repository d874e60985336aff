"""The build's image cache: each image is read once, yet counted and checked for every output."""

from __future__ import annotations

import importlib

from PIL import Image

from conftest import Workspace
from leafpress.render import ImageCache, make_fetcher
from leafpress.run import build


def _with_logo(workspace: Workspace, url: str) -> None:
    css = workspace.root / "layouts" / "leaflet-a5" / "style.css"
    css.write_text(css.read_text("utf-8") + f"\n.headline::before {{ content: url({url}); }}\n")


def _fetches(monkeypatch) -> list[str]:
    """URLs WeasyPrint asks any fetcher of the build for, in order."""
    fetched: list[str] = []
    render = importlib.import_module("leafpress.render")
    real = render.make_fetcher

    def counting(*args, **kwargs):
        fetcher = real(*args, **kwargs)
        fetch = fetcher.fetch
        fetcher.fetch = lambda url, *a: fetched.append(url) or fetch(url, *a)
        return fetcher

    monkeypatch.setattr(render, "make_fetcher", counting)
    return fetched


def test_an_image_is_read_once_and_counted_for_every_output_that_shows_it(
    workspace: Workspace, monkeypatch
):
    logo = workspace.root / "assets" / "logo.png"
    logo.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 20), (200, 30, 30)).save(logo)
    _with_logo(workspace, "../../assets/logo.png")
    fetched = _fetches(monkeypatch)
    report = build(
        workspace.root, workspace.out, layouts=["leaflet-a5"], targets=["screen", "office"]
    )
    assert report.ok and len(report.results) == 4  # kk and en, two targets
    assert sum(url.endswith("/logo.png") for url in fetched) == 1
    # Each output still knows it is made from the logo (its fingerprint holds it).
    assert all(logo in r.reads for r in report.results)


def test_an_image_refused_once_is_refused_for_every_output(workspace: Workspace):
    _with_logo(workspace, "https://example.org/logo.png")
    report = build(workspace.root, workspace.out, layouts=["leaflet-a5"])
    assert len(report.failed) == 2
    assert all("https://example.org/logo.png refused" in str(r.error) for r in report.failed)


def test_documents_share_an_image_only_when_they_may_fetch_it_and_load_it_alike(tmp_path):
    from weasyprint.images import RasterImage

    inside, outside = tmp_path / "ws", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    url = (inside / "a.png").as_uri()
    images: dict = {}
    image = object.__new__(RasterImage)  # what WeasyPrint would have loaded
    first = ImageCache(images, make_fetcher([inside], [], []))
    first[url] = image
    assert url in ImageCache(images, make_fetcher([inside], [], []))
    assert ImageCache(images, make_fetcher([inside], [], []))[url] is image
    assert url not in ImageCache(images, make_fetcher([outside], [], []))
    assert url not in ImageCache(images, make_fetcher([inside], [], []), {"dpi": 150})
    first["https://example.org/b.png"] = None  # a failure stays with its document
    assert "https://example.org/b.png" not in ImageCache(images, make_fetcher([inside], [], []))

"""Shared fixtures: small workspaces the tests write themselves, and PDF inspection helpers."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from leafpress.cli import main
from leafpress.run import build

REPO = Path(__file__).resolve().parent.parent

CAMPAIGN = """
languages = ["kk", "en"]

[contact]
name = { kk = "Алматы қаласының әкімдігі", en = "Office of the Mayor of Almaty" }
phone = "+7 727 271 6557"
fax = "+7 727 293 4710"
email = "protest@example.org"
url = "https://example.org/shanyrak"

[qr]
kind = "url"
"""

KK = """
headline = "Шаңырақ тұрғындарын қорғаймыз"
subheadline = "Әділдік үшін бірге"
lead = "Қысқа кіріспе мәтін."
body = "Бірінші абзац.\\n\\nЕкінші абзац *маңызды* сөзбен."
demands = ["Үйлерді заңдастыру.", "Өтемақы төлеу."]
call_to_action = "Наразылығыңызды жолдаңыз."
qr_label = "Сканерлеңіз"

[mailto]
subject = "Шаңырақ туралы"
body = "Мен наразылық білдіремін."
"""

EN = """
headline = "Defend Shanyrak's residents"
subheadline = "Together for justice"
lead = "A short lead."
body = "First paragraph.\\n\\nSecond paragraph with an *important* word."
demands = ["Legalise the homes.", "Pay compensation."]
call_to_action = "Send your protest."
qr_label = "Scan me"

[mailto]
subject = "About Shanyrak"
body = "I protest."
"""


class Workspace:
    """A throw-away workspace with the repository's layouts and fonts and a small campaign."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(REPO / "layouts", root / "layouts")
        shutil.copytree(REPO / "fonts", root / "fonts")
        (root / "assets").mkdir()
        self.campaign_dir = root / "leaflets" / "demo"
        self.campaign_dir.mkdir(parents=True)
        self.write("campaign.toml", CAMPAIGN)
        self.write("kk.toml", KK)
        self.write("en.toml", EN)

    @property
    def out(self) -> Path:
        return self.root / "out"

    def write(self, name: str, text: str) -> Path:
        path = self.campaign_dir / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.campaign_dir / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def append(self, name: str, text: str) -> None:
        path = self.campaign_dir / name
        path.write_text(path.read_text(encoding="utf-8") + textwrap.dedent(text), encoding="utf-8")

    def pdf(self, lang: str, layout: str = "leaflet-a5") -> Path:
        return self.out / "demo" / lang / f"{layout}.pdf"

    def build(self, *args: str) -> tuple[int, str]:
        """Run `leafpress build` as a user would; returns exit code and all output."""
        result = CliRunner().invoke(main, ["build", "--root", str(self.root), *args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.output

    def pdfs(self) -> list[Path]:
        return sorted(self.out.rglob("*.pdf")) if self.out.exists() else []


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def copy_sample(root: Path) -> Path:
    """The repository's workspace (sample campaign, layouts, fonts, assets) copied to `root`,
    so a test that checks or builds it writes nothing into the checkout."""
    for name in ("leaflets", "layouts", "fonts", "assets"):
        shutil.copytree(REPO / name, root / name)
    return root


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample campaign built once, into a temporary output folder."""
    out = tmp_path_factory.mktemp("sample-out")
    report = build(REPO, out)
    failures = "\n".join(f"{r.label}: {r.error}" for r in report.failed)
    assert report.ok, failures
    return out


@pytest.fixture(scope="session")
def rasterise() -> Callable[..., list]:
    """PDF pages as PIL images at a given dpi."""
    import pypdfium2 as pdfium

    def render(path: Path, dpi: int = 150) -> list:
        document = pdfium.PdfDocument(str(path))
        return [page.render(scale=dpi / 72).to_pil() for page in document]

    return render


@pytest.fixture(scope="session")
def decode_qr() -> Callable:
    import zxingcpp

    def decode(image) -> list:
        return [
            r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
        ]

    return decode


@pytest.fixture
def calls_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable:
    """`calls_to(module, name, what)` wraps `module.name` so that each call, in this process or a
    worker forked from it, is logged to a file; it returns a function that reads the log back as
    (process id, what(*args)) pairs, in order."""
    import os

    def install(module, name: str, what: Callable[..., str] = lambda *args: "") -> Callable:
        log = tmp_path / f"calls-to-{name}.txt"
        real = getattr(module, name)

        def logged(*args, **kwargs):
            with log.open("a") as handle:  # a file: workers are other processes
                handle.write(f"{os.getpid()} {what(*args)}\n")
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, logged)
        return lambda: (
            [
                (int(pid), said)
                for pid, said in (line.split(" ", 1) for line in log.read_text().splitlines())
            ]
            if log.exists()
            else []
        )

    return install


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def only(items: list, what: str = "item"):
    assert len(items) == 1, f"expected one {what}, found {len(items)}: {items}"
    return items[0]


def render_html(html: str, folder: Path, options: dict | None = None, what: str = "t"):
    """One HTML snippet through the renderer's stages (parse, lay out, write), with a fetcher
    that serves `folder`: for tests of the renderer itself, below the pipeline."""
    from leafpress.render import lay_out, make_fetcher, parse_html, write_pdf

    fetcher = make_fetcher([folder], [], [])
    laid_out = lay_out(
        parse_html(html, folder.as_uri() + "/", fetcher), fetcher, what, options=options
    )
    return write_pdf(laid_out, what, options)

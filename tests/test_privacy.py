"""PDFs and photos that say nothing about who made them: metadata, reproducibility, offline, verify."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from conftest import REPO, Workspace, render_html
from leafpress.run import build
from leafpress.verify import verify_pdf
from photo_fixtures import GPS_BYTES, SECRETS, heic_bytes, write_test_photos

PHOTO_LAYOUTS = ["photo-display-a3", "photo-display-a4-landscape"]


def _photo_campaign(ws: Workspace, with_heic: bool = True) -> list[str]:
    """Every test photo in the workspace's campaign, each with a caption in both languages."""
    files = write_test_photos(ws.root / "assets" / "demo")
    heic = heic_bytes() if with_heic else None
    if heic:
        (ws.root / "assets" / "demo" / "phone-heic.heic").write_bytes(heic)
        files["phone-heic"] = ws.root / "assets" / "demo" / "phone-heic.heic"
    for path in files.values():
        ws.append(
            "campaign.toml",
            f'\n[[photos]]\nfile = "{path.relative_to(ws.root)}"\ncredit = "Archive"\n',
        )
    for lang in ("kk", "en"):
        lines = "".join(f'"{key}" = "Caption {key} {lang}."\n' for key in files)
        ws.append(f"{lang}.toml", "\n[captions]\n" + lines)
    return list(files)


@pytest.fixture(scope="session")
def photo_build(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A campaign with every kind of leaky photo, built once through every photo layout."""
    ws = Workspace(tmp_path_factory.mktemp("photo-build"))
    _photo_campaign(ws)
    code, output = ws.build()
    assert code == 0, output
    return ws


def image_streams(pdf: Path) -> list[tuple[str, dict, bytes]]:
    """(name, dictionary, stored bytes) of every image XObject, each once (pages share them)."""
    found, seen = [], set()
    for page in pypdf.PdfReader(pdf).pages:
        for name, ref in page["/Resources"].get("/XObject", {}).items():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image" and ref.idnum not in seen:
                seen.add(ref.idnum)
                found.append((name, obj, obj._data))
    return found


def test_no_photo_metadata_reaches_any_image_stream_of_any_output(photo_build: Workspace):
    pdfs = [photo_build.pdf(lang, layout) for lang in ("kk", "en") for layout in PHOTO_LAYOUTS]
    secrets = [value.encode() for value in SECRETS.values()]
    for pdf in pdfs:
        streams = image_streams(pdf)
        assert len(streams) >= 6, f"{pdf}: expected every photo as an image"
        for name, obj, data in streams:
            assert "/Metadata" not in obj
            for secret in [*secrets, *GPS_BYTES]:
                assert secret not in data, f"{pdf.name} {name} still holds {secret!r}"
            for segment in (b"Exif\x00\x00", b"http://ns.adobe.com/xap/1.0/", b"\xff\xfe"):
                assert segment not in data[: data.find(b"\xff\xda")], f"{name}: {segment!r}"
            if obj["/Filter"] == "/DCTDecode":
                with Image.open(io.BytesIO(data)) as image:
                    assert not image.getexif()
                    assert "xmp" not in image.info and "icc_profile" not in image.info
        verdict = verify_pdf(pdf)
        assert verdict.clean, verdict.findings


def test_heic_photos_from_phones_are_read():
    if heic_bytes() is None:
        pytest.skip("pillow-heif cannot encode HEIC on this machine, so no test photo")
    from leafpress.photos import HEIC_SUPPORTED

    assert HEIC_SUPPORTED


def test_photo_rotated_by_exif_orientation_prints_upright(photo_build: Workspace):
    pdf = photo_build.pdf("en", "photo-display-a4-landscape")
    portrait = []
    for _, _, data in image_streams(pdf):
        with Image.open(io.BytesIO(data)) as image:
            image = image.convert("RGB")
            top = image.getpixel((image.width // 2, image.height // 8))
            bottom = image.getpixel((image.width // 2, image.height * 7 // 8))
            if top[0] > 150 and bottom[2] > 150:
                portrait.append(image.size)
    # The rotated photo is 300 × 400 upright: red on top, blue below, taller than wide.
    assert len(portrait) == 1, portrait
    width, height = portrait[0]
    assert height > width


def test_pdfs_carry_title_and_language_only(photo_build: Workspace):
    for pdf in photo_build.pdfs():
        reader = pypdf.PdfReader(pdf)
        assert set(reader.metadata or {}) <= {"/Title"}, (pdf, reader.metadata)
        assert reader.root_object["/Lang"] in ("kk", "en")
        assert "/Metadata" not in reader.root_object


def test_source_date_epoch_fixes_the_dates(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    html = '<html lang="en"><head><title>T</title><meta name="author" content="Me"></head><p>x'
    rendered = render_html(html, tmp_path)
    meta = pypdf.PdfReader(io.BytesIO(rendered.data)).metadata
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20231114221320+00'00"
    assert "/Author" not in meta and "/Producer" not in meta and "/Creator" not in meta


@pytest.mark.parametrize("variant", [None, "pdf/x-4", "pdf/x-1a", "pdf/a-2b"])
def test_same_input_gives_identical_bytes_in_every_variant(tmp_path: Path, variant: str | None):
    html = '<html lang="kk"><head><title>Шаңырақ</title></head><body><p>Сәлем</p></body></html>'
    options = {"pdf_variant": variant} if variant else None
    first = render_html(html, tmp_path, options)
    time.sleep(1.1)  # WeasyPrint stamps PDF/X with the current second unless told otherwise
    second = render_html(html, tmp_path, options)
    assert first.data == second.data
    reader = pypdf.PdfReader(io.BytesIO(first.data))
    assert "/Producer" not in (reader.metadata or {})
    if variant:
        xmp = reader.root_object["/Metadata"].get_object().get_data()
        assert b"WeasyPrint" not in xmp and b"Producer" not in xmp


def test_two_builds_in_different_folders_at_different_times_are_identical(tmp_path: Path):
    first = Workspace(tmp_path / "one")
    _photo_campaign(first, with_heic=False)
    second_root = tmp_path / "elsewhere" / "two"
    shutil.copytree(first.root, second_root)
    code, output = first.build("--layout", "leaflet-a5", "--layout", "photo-display-a4-landscape")
    assert code == 0, output
    time.sleep(1.1)
    second = Workspace.__new__(Workspace)
    second.root = second_root
    second.campaign_dir = second_root / "leaflets" / "demo"
    code, output = second.build("--layout", "leaflet-a5", "--layout", "photo-display-a4-landscape")
    assert code == 0, output
    names = [p.relative_to(first.out) for p in first.pdfs()]
    assert names == [p.relative_to(second.out) for p in second.pdfs()] and len(names) == 4
    for name in names:
        assert (first.out / name).read_bytes() == (second.out / name).read_bytes(), name


def test_build_never_opens_a_socket(workspace: Workspace, monkeypatch: pytest.MonkeyPatch):
    _photo_campaign(workspace, with_heic=False)
    workspace.append("campaign.toml", "\n")
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("networking is cut off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    report = build(workspace.root, workspace.out, layouts=["photo-display-a4-landscape"])
    assert report.ok, [str(r.error) for r in report.failed]
    assert attempts == []


def test_build_succeeds_in_a_network_namespace_without_network(tmp_path: Path):
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is not installed")
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"new network namespaces are not permitted here: {probe.stderr.strip()}")
    ws = Workspace(tmp_path)
    _photo_campaign(ws, with_heic=False)
    script = (
        "import socket, sys\n"
        "from pathlib import Path\n"
        "from leafpress.run import build\n"
        # Proof that the namespace has no network: connecting anywhere fails at once.
        "s = socket.socket()\n"
        "try:\n    s.connect(('192.0.2.1', 80)); sys.exit('network reachable')\n"
        "except OSError: pass\n"
        f"r = build(Path({str(ws.root)!r}), Path({str(ws.out)!r}), "
        "layouts=['leaflet-a5', 'photo-display-a4-landscape'])\n"
        "sys.exit(0 if r.ok else '\\n'.join(str(x.error) for x in r.failed))\n"
    )
    done = subprocess.run(
        [unshare, "-n", sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert len(ws.pdfs()) == 2 * 2  # kk and en × leaflet and photo display


def test_verify_flags_a_plain_weasyprint_pdf_of_a_photo_with_exif(tmp_path: Path, runner):
    from weasyprint import HTML

    from leafpress.cli import main

    photos = write_test_photos(tmp_path / "photos")
    leaky = tmp_path / "leaky.pdf"
    # As the issue saw it: EXIF survives with image-orientation: none, GPS in XMP by default.
    HTML(
        string=f'<img src="{photos["camera"].as_uri()}" style="image-orientation: none; width: 5cm">'
        f'<img src="{photos["xmp-gps"].as_uri()}" style="width: 5cm">'
    ).write_pdf(leaky)
    verdict = verify_pdf(leaky)
    details = [f.detail for f in verdict.findings if f.identifying]
    assert not verdict.clean
    assert any("Producer" in d for d in details)
    assert any("GPS position in EXIF" in d for d in details)
    assert any("serial number" in d for d in details)
    assert any("GPS position in XMP" in d for d in details)
    result = runner.invoke(main, ["verify", str(leaky)])
    assert result.exit_code == 1
    assert "IDENTIFYING" in result.output and "GPS position in EXIF" in result.output


def test_verify_passes_our_pdfs_and_lists_links_and_attachments(
    photo_build: Workspace, tmp_path: Path, runner
):
    from leafpress.cli import main

    ours = photo_build.pdf("kk", "photo-display-a3")
    result = runner.invoke(main, ["verify", str(ours)])
    assert result.exit_code == 0, result.output
    assert "clean" in result.output

    writer = pypdf.PdfWriter(clone_from=ours)
    writer.add_attachment("notes.txt", b"meeting at 9")
    writer.add_uri(0, "https://example.org/track", [10, 10, 100, 100])
    writer.add_metadata({"/Author": "Someone"})
    writer._root_object[pypdf.generic.NameObject("/OpenAction")] = pypdf.generic.DictionaryObject(
        {
            pypdf.generic.NameObject("/S"): pypdf.generic.NameObject("/JavaScript"),
            pypdf.generic.NameObject("/JS"): pypdf.generic.TextStringObject("app.launchURL('x');"),
        }
    )
    marked = tmp_path / "marked.pdf"
    writer.write(marked)
    verdict = verify_pdf(marked)
    kinds = {(f.what, f.identifying) for f in verdict.findings}
    assert ("attachment", True) in kinds and ("link", False) in kinds
    assert any(f.detail == "Author: Someone" for f in verdict.findings)
    assert any(
        f.detail == "on opening: JavaScript action" and f.identifying for f in verdict.findings
    )
    result = runner.invoke(main, ["verify", str(marked), str(tmp_path / "missing.pdf")])
    assert result.exit_code == 1
    assert "https://example.org/track" in result.output


def test_no_photo_metadata_in_a_cmyk_pdf_x_display_for_the_print_shop(photo_build: Workspace):
    """The print-shop target's path, as a build takes it: CMYK photos at 300 ppi, PDF/X-4."""
    # The test photos are small for print (check's error); --force writes them all the same.
    code, output = photo_build.build(
        "--layout",
        "photo-display-a4-landscape",
        "--lang",
        "kk",
        "--target",
        "print-shop",
        "--force",
    )
    assert code == 0, output
    pdf = photo_build.out / "demo" / "kk" / "photo-display-a4-landscape.print-shop.pdf"
    streams = _nested_image_streams(pdf)
    # Photos of equal content share one stream: five different images on seven sheets.
    assert len(streams) >= 5 and all(obj["/ColorSpace"] == "/DeviceCMYK" for _, obj, _ in streams)
    for name, _, data in streams:
        for secret in [*(v.encode() for v in SECRETS.values()), *GPS_BYTES]:
            assert secret not in data, f"{name} still holds {secret!r}"
        assert b"Exif\x00\x00" not in data and b"http://ns.adobe.com/xap/1.0/" not in data
    assert verify_pdf(pdf).clean


def _nested_image_streams(pdf: Path) -> list[tuple[str, dict, bytes]]:
    """Every image XObject, also those inside the forms that finishing wraps pages in."""
    found, seen = [], set()

    def walk(resources) -> None:
        for name, ref in (resources or {}).get("/XObject", {}).items():
            if ref.idnum in seen:
                continue
            seen.add(ref.idnum)
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found.append((name, obj, obj._data))
            elif obj.get("/Subtype") == "/Form":
                walk(obj.get("/Resources"))

    for page in pypdf.PdfReader(pdf).pages:
        walk(page.get("/Resources"))
    return found

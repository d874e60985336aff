"""`verify` against a corpus of crafted PDFs: every identifying or active item flagged, no crash.

Each case is a record (how the PDF is made, what verify must say), built here with pypdf or by
hand, so that the list can grow into the larger corpus of hostile inputs."""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from conftest import Workspace
from leafpress.cli import main
from leafpress.verify import PdfUnreadable, PdfUnverifiable, terminal_safe, verify_pdf


def N(name: str) -> NameObject:
    return NameObject(name)


def _dict(**entries) -> DictionaryObject:
    return DictionaryObject({N("/" + k): v for k, v in entries.items()})


def _writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    return writer


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _gps_jpeg(*, gps: bool = True, camera: bool = False, comment: bool = False) -> bytes:
    exif = Image.Exif()
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 55.0, 0.0)})
    if camera:
        exif.update({0x010F: "PhoneMaker", 0x0110: "Model X", 0x013B: "A. Person"})
    out = io.BytesIO()
    extra = {"comment": b"taken at the meeting"} if comment else {}
    Image.new("RGB", (16, 16), (120, 30, 30)).save(out, "JPEG", exif=exif, **extra)
    return out.getvalue()


def _image(writer: PdfWriter, jpeg: bytes, *, flate: bool = False) -> object:
    stream = StreamObject()
    stream.set_data(zlib.compress(jpeg) if flate else jpeg)
    filters = [N("/FlateDecode"), N("/DCTDecode")] if flate else [N("/DCTDecode")]
    stream.update(
        {
            N("/Type"): N("/XObject"),
            N("/Subtype"): N("/Image"),
            N("/Width"): NumberObject(16),
            N("/Height"): NumberObject(16),
            N("/ColorSpace"): N("/DeviceRGB"),
            N("/BitsPerComponent"): NumberObject(8),
            N("/Filter"): ArrayObject(filters),
        }
    )
    return writer._add_object(stream)


def _form(writer: PdfWriter, resources: DictionaryObject, content: bytes = b"") -> object:
    form = DecodedStreamObject()
    form.set_data(content)
    form.update(
        {
            N("/Type"): N("/XObject"),
            N("/Subtype"): N("/Form"),
            N("/BBox"): ArrayObject([NumberObject(0)] * 2 + [NumberObject(16)] * 2),
            N("/Resources"): resources,
        }
    )
    return writer._add_object(form)


def _on_page(writer: PdfWriter, xobject) -> None:
    writer.pages[0][N("/Resources")] = _dict(XObject=_dict(Im0=xobject))


def _xmp(body: str) -> bytes:
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="">{body}</rdf:Description></rdf:RDF></x:xmpmeta>'
        '<?xpacket end="w"?>'
    ).encode()


def _metadata(writer: PdfWriter, body: str, typed: bool = True) -> object:
    stream = DecodedStreamObject()
    stream.set_data(_xmp(body))
    if typed:
        stream.update({N("/Type"): N("/Metadata"), N("/Subtype"): N("/XML")})
    return writer._add_object(stream)


def _js(code: str = "app.launchURL('https://tracker.example/?opened');") -> DictionaryObject:
    return _dict(S=N("/JavaScript"), JS=TextStringObject(code))


def _link(writer: PdfWriter, action: DictionaryObject, **extra) -> DictionaryObject:
    annot = _dict(
        Type=N("/Annot"),
        Subtype=N("/Link"),
        Rect=ArrayObject([NumberObject(v) for v in (10, 10, 100, 30)]),
        A=action,
        **extra,
    )
    writer.pages[0][N("/Annots")] = ArrayObject([writer._add_object(annot)])
    return annot


# Each case: PDF bytes from nothing.
def info_author() -> bytes:
    w = _writer()
    w.add_metadata({"/Author": "Aigerim Example"})
    return _bytes(w)


def info_creator_producer() -> bytes:
    w = _writer()
    w.add_metadata({"/Creator": "Word on DESKTOP-ALMATY7", "/Producer": "Acrobat 11"})
    return _bytes(w)


def info_not_a_dictionary() -> bytes:
    w = _writer()
    text = w._add_object(TextStringObject("by Aigerim Example"))
    # The trailer points /Info at the string; the xref is before the trailer, so it stays right.
    return re.sub(rb"/Info \d+ 0 R", b"/Info %d 0 R" % text.idnum, _bytes(w))


def info_dated() -> bytes:
    w = _writer()
    w.add_metadata({"/CreationDate": "D:20240517213015+05'00'"})
    return _bytes(w)


def xmp_creator() -> bytes:
    w = _writer()
    w._root_object[N("/Metadata")] = _metadata(w, "<dc:creator>Aigerim</dc:creator>")
    return _bytes(w)


def xmp_history() -> bytes:
    w = _writer()
    body = (
        "<xmpMM:History><rdf:Seq><rdf:li><stEvt:action>saved</stEvt:action>"
        "<stEvt:softwareAgent>InDesign 18</stEvt:softwareAgent></rdf:li></rdf:Seq></xmpMM:History>"
    )
    w._root_object[N("/Metadata")] = _metadata(w, body)
    return _bytes(w)


def xmp_document_id() -> bytes:
    w = _writer()
    body = "<xmpMM:DocumentID>xmp.did:F77F117407206811822AE46D0B5AD5B6</xmpMM:DocumentID>"
    w._root_object[N("/Metadata")] = _metadata(w, body)
    return _bytes(w)


def xmp_on_a_page() -> bytes:
    w = _writer()
    w.pages[0][N("/Metadata")] = _metadata(w, "<dc:creator>Page Author</dc:creator>")
    return _bytes(w)


def xmp_unreferenced_untyped() -> bytes:
    w = _writer()
    _metadata(w, "<xmp:CreatorTool>Scribus on laptop-of-aigerim</xmp:CreatorTool>", typed=False)
    return _bytes(w)


def piece_info() -> bytes:
    w = _writer()
    w.pages[0][N("/PieceInfo")] = _dict(Illustrator=_dict(Private=TextStringObject("x")))
    return _bytes(w)


def gps_jpeg() -> bytes:
    w = _writer()
    _on_page(w, _image(w, _gps_jpeg()))
    return _bytes(w)


def gps_jpeg_in_flate() -> bytes:
    w = _writer()
    _on_page(w, _image(w, _gps_jpeg(), flate=True))
    return _bytes(w)


def gps_jpeg_in_a_form() -> bytes:
    w = _writer()
    image = _image(w, _gps_jpeg(), flate=True)
    _on_page(w, _form(w, _dict(XObject=_dict(Im1=image)), b"/Im1 Do"))
    return _bytes(w)


def gps_jpeg_in_an_appearance() -> bytes:
    w = _writer()
    image = _image(w, _gps_jpeg())
    appearance = _form(w, _dict(XObject=_dict(Im1=image)), b"q 16 0 0 16 0 0 cm /Im1 Do Q")
    annot = _dict(
        Type=N("/Annot"),
        Subtype=N("/Stamp"),
        Rect=ArrayObject([NumberObject(v) for v in (0, 0, 16, 16)]),
        AP=_dict(N=appearance),
    )
    w.pages[0][N("/Annots")] = ArrayObject([w._add_object(annot)])
    return _bytes(w)


def camera_serial_jpeg() -> bytes:
    w = _writer()
    _on_page(w, _image(w, _gps_jpeg(gps=False, camera=True)))
    return _bytes(w)


def jpeg_comment() -> bytes:
    w = _writer()
    _on_page(w, _image(w, _gps_jpeg(gps=False, comment=True)))
    return _bytes(w)


def open_action_javascript() -> bytes:
    w = _writer()
    w._root_object[N("/OpenAction")] = _js()
    return _bytes(w)


def open_action_launch() -> bytes:
    w = _writer()
    w._root_object[N("/OpenAction")] = _dict(S=N("/Launch"), F=TextStringObject("calc.exe"))
    return _bytes(w)


def uri_then_launch() -> bytes:
    w = _writer()
    action = _dict(S=N("/URI"), URI=TextStringObject("https://example.org/"))
    action[N("/Next")] = _dict(S=N("/Launch"), F=TextStringObject("/bin/sh"))
    _link(w, action)
    return _bytes(w)


def goto_then_javascript() -> bytes:
    w = _writer()
    action = _dict(S=N("/GoTo"), D=ArrayObject([NumberObject(0), N("/Fit")]))
    action[N("/Next")] = ArrayObject([_dict(S=N("/GoTo")), w._add_object(_js())])
    _link(w, action)
    return _bytes(w)


def page_additional_actions() -> bytes:
    w = _writer()
    w.pages[0][N("/AA")] = _dict(O=_js())
    return _bytes(w)


def annotation_additional_actions() -> bytes:
    w = _writer()
    _link(w, _dict(S=N("/GoTo"), D=ArrayObject([NumberObject(0)])), AA=_dict(E=_js()))
    return _bytes(w)


def catalog_additional_actions() -> bytes:
    w = _writer()
    w._root_object[N("/AA")] = _dict(WC=_js())
    return _bytes(w)


def field_additional_actions() -> bytes:
    w = _writer()
    field = _dict(FT=N("/Tx"), T=TextStringObject("name"), AA=_dict(K=w._add_object(_js())))
    w._root_object[N("/AcroForm")] = _dict(Fields=ArrayObject([w._add_object(field)]))
    return _bytes(w)


def javascript_name_tree() -> bytes:
    w = _writer()
    scripts = _dict(Names=ArrayObject([TextStringObject("init"), w._add_object(_js())]))
    w._root_object[N("/Names")] = _dict(JavaScript=scripts)
    return _bytes(w)


def file_link() -> bytes:
    w = _writer()
    _link(w, _dict(S=N("/URI"), URI=TextStringObject("file:///home/aigerim/campaign/notes.odt")))
    return _bytes(w)


def relative_link() -> bytes:
    w = _writer()
    _link(w, _dict(S=N("/URI"), URI=TextStringObject("layouts/leaflet-a5/statement.html")))
    return _bytes(w)


def remote_file_action() -> bytes:
    w = _writer()
    _link(w, _dict(S=N("/GoToR"), F=TextStringObject("//fileserver/share/list.pdf")))
    return _bytes(w)


def embedded_file() -> bytes:
    w = _writer()
    w.add_attachment("members.csv", b"name,phone\n")
    return _bytes(w)


def file_attachment_annotation() -> bytes:
    w = _writer()
    embedded = DecodedStreamObject()
    embedded.set_data(b"secret minutes")
    embedded[N("/Type")] = N("/EmbeddedFile")
    spec = _dict(Type=N("/Filespec"), F=TextStringObject("minutes.txt"))
    spec[N("/EF")] = _dict(F=w._add_object(embedded))
    annot = _dict(
        Type=N("/Annot"),
        Subtype=N("/FileAttachment"),
        Rect=ArrayObject([NumberObject(v) for v in (0, 0, 10, 10)]),
        FS=spec,
    )
    w.pages[0][N("/Annots")] = ArrayObject([w._add_object(annot)])
    return _bytes(w)


def markup_annotation_author() -> bytes:
    w = _writer()
    note = _dict(
        Type=N("/Annot"),
        Subtype=N("/Text"),
        Rect=ArrayObject([NumberObject(v) for v in (0, 0, 10, 10)]),
        T=TextStringObject("Aigerim Example"),
        Contents=TextStringObject("check this"),
    )
    w.pages[0][N("/Annots")] = ArrayObject([w._add_object(note)])
    return _bytes(w)


def earlier_revision_author() -> bytes:
    first = info_author()
    w = PdfWriter(io.BytesIO(first), incremental=True)
    w.add_metadata({"/Author": ""})
    updated = _bytes(w)
    assert updated.startswith(first) and updated.count(b"%%EOF") == 2
    return updated


def orphan_object() -> bytes:
    """An old information dictionary left after the end, in no cross-reference table."""
    return info_dated() + b"\n99 0 obj\n<< /Author (Hidden Person) >>\nendobj\n"


def aes256_empty_password() -> bytes:
    w = _writer()
    w.add_metadata({"/Author": "Aigerim Example"})
    w.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    return _bytes(w)


def rc4_empty_password_javascript() -> bytes:
    w = _writer()
    w._root_object[N("/OpenAction")] = _js()
    w.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    return _bytes(w)


def broken_xref() -> bytes:
    data = info_author()
    start = data.rindex(b"startxref")
    return data[:start] + b"startxref\n999999\n%%EOF\n"


def xref_offsets_wrong() -> bytes:
    data = info_author()
    return re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m[1]) + 7), data)


def nested_arrays() -> bytes:
    w = _writer()
    deep: object = TextStringObject("bottom")
    for _ in range(300):
        deep = ArrayObject([deep])
    w.pages[0][N("/Deep")] = deep
    w.pages[0][N("/AA")] = _dict(O=_js())
    return _bytes(w)


def terminal_escapes_in_title() -> bytes:
    w = _writer()
    w.add_metadata({"/Title": "x\x1b[2K\r\x1b[32mclean\x1b[0m", "/Author": "\x1b]0;owned\x07A"})
    return _bytes(w)


@dataclass(frozen=True)
class Crafted:
    make: Callable[[], bytes]
    says: str  # a word of the finding verify must report (its detail or what cannot be read)


CORPUS = [
    Crafted(info_author, "Author: Aigerim Example"),
    Crafted(info_creator_producer, "Creator: Word on DESKTOP-ALMATY7"),
    Crafted(info_not_a_dictionary, "is not a dictionary"),
    Crafted(info_dated, "CreationDate: D:20240517213015"),
    Crafted(xmp_creator, "XMP author"),
    Crafted(xmp_history, "XMP editing history"),
    Crafted(xmp_document_id, "document ID xmp.did:F77F"),
    Crafted(xmp_on_a_page, "XMP author"),
    Crafted(xmp_unreferenced_untyped, "XMP creator tool"),
    Crafted(piece_info, "/PieceInfo"),
    Crafted(gps_jpeg, "GPS position in EXIF"),
    Crafted(gps_jpeg_in_flate, "GPS position in EXIF"),
    Crafted(gps_jpeg_in_a_form, "GPS position in EXIF"),
    Crafted(gps_jpeg_in_an_appearance, "GPS position in EXIF"),
    Crafted(camera_serial_jpeg, "serial number"),
    Crafted(jpeg_comment, "JPEG comment"),
    Crafted(open_action_javascript, "on opening: JavaScript action"),
    Crafted(open_action_launch, "on opening: Launch action"),
    Crafted(uri_then_launch, "Launch action"),
    Crafted(goto_then_javascript, "JavaScript action"),
    Crafted(page_additional_actions, "automatic actions"),
    Crafted(annotation_additional_actions, "automatic actions"),
    Crafted(catalog_additional_actions, "automatic actions"),
    Crafted(field_additional_actions, "JavaScript action"),
    Crafted(javascript_name_tree, "JavaScript action"),
    Crafted(file_link, "local link file:///home/aigerim"),
    Crafted(relative_link, "local link layouts/leaflet-a5/statement.html"),
    Crafted(remote_file_action, "GoToR action"),
    Crafted(embedded_file, "embedded file members.csv"),
    Crafted(file_attachment_annotation, "embedded file minutes.txt"),
    Crafted(markup_annotation_author, "annotation by Aigerim Example"),
    Crafted(earlier_revision_author, "revision 1 of 2: Author: Aigerim Example"),
    Crafted(orphan_object, "Author: Hidden Person"),
    Crafted(aes256_empty_password, "Author: Aigerim Example"),
    Crafted(rc4_empty_password_javascript, "on opening: JavaScript action"),
    Crafted(broken_xref, "Author: Aigerim Example"),
    Crafted(xref_offsets_wrong, "Author: Aigerim Example"),
    Crafted(nested_arrays, "automatic actions"),
    Crafted(terminal_escapes_in_title, "Author: \\u001b]0;owned\\u0007A"),
]


@pytest.mark.parametrize("case", CORPUS, ids=[c.make.__name__ for c in CORPUS])
def test_verify_flags_every_crafted_pdf(tmp_path: Path, case: Crafted):
    pdf = tmp_path / f"{case.make.__name__}.pdf"
    pdf.write_bytes(case.make())
    verdict = verify_pdf(pdf)
    assert not verdict.clean
    assert verdict.status == "IDENTIFYING", (verdict.findings, verdict.unread)
    said = [f.detail for f in verdict.findings if f.identifying]
    assert any(case.says in detail for detail in said), said
    for detail in [f.detail for f in verdict.findings] + verdict.unread:
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", detail), detail


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 25


def test_an_encrypted_pdf_that_needs_a_password_is_unverifiable(tmp_path: Path, runner):
    w = _writer()
    w.add_metadata({"/Author": "Aigerim Example"})
    w.encrypt(user_password="letmein", owner_password="owner", algorithm="AES-256")
    pdf = tmp_path / "locked.pdf"
    pdf.write_bytes(_bytes(w))
    with pytest.raises(PdfUnverifiable):
        verify_pdf(pdf)
    result = runner.invoke(main, ["verify", str(pdf)])
    assert result.exit_code == 2, result.output
    assert "encrypted with a password" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a pdf at all",
        b"%PDF-1.7\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>",
        info_author()[:300],
        b"%PDF-1.4\n" + b"[" * 5000 + b"\n%%EOF",
    ],
    ids=["empty", "text", "header-only", "no-xref", "truncated", "deep-brackets"],
)
def test_a_malformed_file_never_crashes_verify(tmp_path: Path, runner, data: bytes):
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(data)
    try:
        verdict = verify_pdf(pdf)
    except (PdfUnreadable, PdfUnverifiable):
        verdict = None
    assert verdict is None or not verdict.clean or verdict.findings == []
    result = runner.invoke(main, ["verify", str(pdf)])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_a_decompression_bomb_is_reported_unread_not_decoded(tmp_path: Path, runner):
    w = _writer()
    bomb = StreamObject()
    bomb.set_data(zlib.compress(b"\0" * 100_000_000, 9))
    bomb[N("/Filter")] = N("/FlateDecode")
    w.pages[0][N("/Bomb")] = w._add_object(bomb)
    pdf = tmp_path / "bomb.pdf"
    pdf.write_bytes(_bytes(w))
    assert pdf.stat().st_size < 1_000_000
    verdict = verify_pdf(pdf)
    assert any("cannot be decoded" in part for part in verdict.unread), verdict.unread
    assert not verdict.clean


def test_a_huge_value_is_shown_cut(tmp_path: Path):
    w = _writer()
    w.add_metadata({"/Author": "A" * 1_000_000})
    pdf = tmp_path / "huge.pdf"
    pdf.write_bytes(_bytes(w))
    author = [f.detail for f in verify_pdf(pdf).findings if f.detail.startswith("Author")]
    assert author and len(author[0]) < 300 and "1,000,008 characters" in author[0]


def test_strings_from_a_pdf_cannot_drive_the_terminal(tmp_path: Path, runner):
    pdf = tmp_path / "title\x1b[32m.pdf"
    pdf.write_bytes(terminal_escapes_in_title())
    result = runner.invoke(main, ["verify", str(pdf)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output and "\r" not in result.output
    assert "IDENTIFYING" in result.output
    assert terminal_safe("a\x1b[2Kb\u202e") == "a\\u001b[2Kb\\u202e"


def test_pdfs_made_by_leafpress_are_still_clean(workspace: Workspace, runner):
    targets = ("screen", "print-shop", "office", "photocopy", "tiles")
    args = [arg for target in targets for arg in ("--target", target)]
    code, output = workspace.build("--lang", "en", "--layout", "leaflet-a5", *args)
    assert code == 0, output
    pdfs = workspace.pdfs()
    assert len(pdfs) == len(targets)
    for pdf in pdfs:
        verdict = verify_pdf(pdf)
        assert verdict.clean, (pdf.name, verdict.findings, verdict.unread)
    result = runner.invoke(main, ["verify", *map(str, pdfs)])
    assert result.exit_code == 0, result.output


def _revised(updates: int) -> bytes:
    """A one-page PDF updated incrementally `updates` times, one object per update, written by
    hand: clean, and with `updates` in the thousands, built to be read slowly. verify reads
    every revision through, each holding every object before it: hours for 3,000 updates."""
    out = bytearray(b"%PDF-1.4\n")
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def table(numbers: list[int], previous: int | None) -> int:
        start = len(out)
        out.extend(b"xref\n")
        for number in numbers:
            out.extend(b"%d 1\n%010d 00000 n \n" % (number, offsets[number]))
        out.extend(b"trailer\n<< /Size %d /Root 1 0 R" % (max(offsets) + 1))
        if previous is not None:
            out.extend(b" /Prev %d" % previous)
        out.extend(b" >>\nstartxref\n%d\n%%%%EOF\n" % start)
        return start

    add(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    previous = table([1, 2, 3], None)
    for number in range(4, 4 + updates):
        add(number, b"<< /K %d /Next %d 0 R >>" % (number, number - 1))
        previous = table([number], previous)
    return bytes(out)


def test_a_pdf_built_to_be_read_for_hours_is_unverifiable_and_the_others_still_verified(
    tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
):
    import multiprocessing
    import time

    from leafpress import constants

    monkeypatch.setattr(constants, "VERIFY_TIME_LIMIT_S", 2)
    slow, clean, leaky = tmp_path / "slow.pdf", tmp_path / "clean.pdf", tmp_path / "leaky.pdf"
    slow.write_bytes(_revised(3000))
    assert slow.stat().st_size < 600_000
    clean.write_bytes(_revised(2))
    leaky.write_bytes(info_author())

    started = time.monotonic()
    result = runner.invoke(main, ["verify", str(slow), str(clean)])
    assert time.monotonic() - started < 30
    assert result.exit_code == 2, result.output
    assert "slow.pdf: reading it through took longer than 2 s" in result.output
    assert f"{clean}: clean" in result.output
    assert "Traceback" not in result.output

    result = runner.invoke(main, ["verify", str(leaky), str(slow), str(clean)])
    assert result.exit_code == 1, result.output  # identifying outweighs unverifiable
    assert f"{leaky}: IDENTIFYING" in result.output and f"{clean}: clean" in result.output
    assert "took longer than 2 s" in result.output
    assert multiprocessing.active_children() == []  # the slow reader was stopped, not left

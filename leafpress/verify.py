"""Inspect finished PDFs — ours or anyone's — for what could identify the people who made them."""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from .errors import LeafpressError

# Info keys that say nothing about who made a file: its title and what PDF/X requires.
HARMLESS_INFO = {"/Title", "/Trapped", "/GTS_PDFXVersion", "/GTS_PDFXConformance"}
DATE_KEYS = {"/CreationDate", "/ModDate"}
GPS_IFD = 0x8825
# Markers inside a JPEG's bytes that carry metadata rather than pixels.
JPEG_SIGNATURES = {
    b"Exif\x00\x00": "EXIF",
    b"http://ns.adobe.com/xap/1.0/": "XMP",
    b"Photoshop 3.0\x00": "IPTC (Photoshop)",
}
XMP_TELLS = {
    rb"pdf:Producer": "XMP producer",
    rb"xmp:CreatorTool": "XMP creator tool",
    rb"dc:creator": "XMP author",
    rb"photoshop:": "XMP Photoshop fields",
    rb"exif:GPS": "XMP GPS position",
}
_XMP_DATES = re.compile(rb"<xmp:(?:CreateDate|ModifyDate|MetadataDate)>([^<]*)<")


class PdfUnreadable(LeafpressError):
    """A file given to `verify` is not a PDF pypdf can read."""

    kind = "verify"


@dataclass(frozen=True)
class Finding:
    what: str  # "metadata", "image", "link", "attachment"
    detail: str
    identifying: bool


@dataclass
class Verdict:
    path: Path
    findings: list[Finding] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not any(f.identifying for f in self.findings)

    def add(self, what: str, detail: str, identifying: bool = True) -> None:
        self.findings.append(Finding(what, detail, identifying))


def verify_pdf(path: Path) -> Verdict:
    """Everything in one PDF that could identify its makers, and what is merely present."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    verdict = Verdict(path)
    try:
        reader = PdfReader(path)
        _check_info(reader, verdict)
        _check_xmp(reader, verdict)
        seen: set[int] = set()
        for number, page in enumerate(reader.pages, start=1):
            _check_images(page.get("/Resources"), number, verdict, seen)
            _check_annotations(page, number, verdict)
        _check_attachments(reader, verdict)
        _check_document_actions(reader, verdict)
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        raise PdfUnreadable(f"cannot be read as a PDF: {exc}", file=path) from None
    return verdict


def _allowed_dates() -> set[str]:
    """Dates that tell nothing: the epoch, and SOURCE_DATE_EPOCH when this shell sets it."""
    allowed = {"19700101000000"}
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        allowed.add(datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y%m%d%H%M%S"))
    return allowed


def _check_info(reader, verdict: Verdict) -> None:
    info = reader.trailer.get("/Info")
    info = info.get_object() if info is not None else {}
    allowed = _allowed_dates()
    for key, value in info.items():
        value = str(value)
        if key in HARMLESS_INFO:
            verdict.add("metadata", f"{key[1:]}: {value}", identifying=False)
        elif key in DATE_KEYS:
            stamp = re.sub(r"\D", "", value)[:14]
            verdict.add("metadata", f"{key[1:]}: {value}", identifying=stamp not in allowed)
        else:
            verdict.add("metadata", f"{key[1:]}: {value}")


def _check_xmp(reader, verdict: Verdict) -> None:
    metadata = reader.root_object.get("/Metadata")
    if metadata is None:
        return
    data = metadata.get_object().get_data()
    _xmp_tells(data, "document XMP", verdict)


def _xmp_tells(data: bytes, where: str, verdict: Verdict) -> None:
    for pattern, what in XMP_TELLS.items():
        if re.search(pattern, data):
            verdict.add("metadata", f"{where}: {what}")
    allowed = _allowed_dates()
    for stamp in _XMP_DATES.findall(data):
        digits = re.sub(rb"\D", b"", stamp)[:14].decode()
        if digits not in allowed:
            verdict.add("metadata", f"{where}: date {stamp.decode(errors='replace')}")


def _check_images(resources, page: int, verdict: Verdict, seen: set[int]) -> None:
    if resources is None:
        return
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return
    for name, ref in xobjects.get_object().items():
        ident = getattr(ref, "idnum", None)
        if ident is not None:
            if ident in seen:
                continue
            seen.add(ident)
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            _check_images(xobject.get("/Resources"), page, verdict, seen)
            continue
        if xobject.get("/Subtype") != "/Image":
            continue
        where = f"page {page} image {name}"
        if "/Metadata" in xobject:
            verdict.add("image", f"{where}: carries an XMP metadata stream")
            _xmp_tells(xobject["/Metadata"].get_object().get_data(), where, verdict)
        filters = xobject.get("/Filter")
        filters = [filters] if isinstance(filters, str) else list(filters or [])
        # The stream's bytes as stored: for DCTDecode that is the JPEG file itself.
        raw = xobject._data if "/DCTDecode" in filters or "/JPXDecode" in filters else b""
        for what in image_metadata(raw):
            verdict.add("image", f"{where}: {what}")


def image_metadata(data: bytes) -> list[str]:
    """The kinds of metadata a JPEG (or JPEG 2000) file still carries: EXIF, GPS, XMP, IPTC, comments."""
    if not data:
        return []
    found = [what for signature, what in JPEG_SIGNATURES.items() if signature in data]
    if b"\xff\xfe" in data[: _scan_end(data)]:
        found.append("JPEG comment")
    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            if exif.get_ifd(GPS_IFD) or GPS_IFD in exif:
                found.append("GPS position in EXIF")
            if any(tag in exif for tag in (0x010F, 0x0110, 0xA431, 0x013B)):
                found.append("camera make, model, serial number or artist in EXIF")
    except Exception:  # a stream Pillow cannot open still had its signatures checked above
        pass
    if re.search(rb"exif:GPS|GPSLatitude", data):
        found.append("GPS position in XMP")
    return sorted(set(found))


def _scan_end(data: bytes) -> int:
    # Metadata segments come before the first scan (SOS); a 0xFFFE inside entropy-coded data is
    # impossible (0xFF is stuffed), but only the header is where comments live.
    end = data.find(b"\xff\xda")
    return end if end > 0 else len(data)


def _check_annotations(page, number: int, verdict: Verdict) -> None:
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        subtype = annot.get("/Subtype")
        if subtype == "/FileAttachment":
            spec = annot.get("/FS")
            name = spec.get_object().get("/F", "?") if spec is not None else "?"
            verdict.add("attachment", f"page {number}: attached file {name}")
            continue
        action = annot.get("/A")
        if action is None:
            continue
        action = action.get_object()
        kind = action.get("/S")
        if kind == "/URI":
            verdict.add("link", f"page {number}: {action.get('/URI')}", identifying=False)
        elif kind in ("/Launch", "/GoToR", "/SubmitForm", "/JavaScript", "/ImportData"):
            verdict.add("link", f"page {number}: {kind[1:]} action")


def _check_attachments(reader, verdict: Verdict) -> None:
    names = reader.root_object.get("/Names")
    if names is None:
        return
    tree = names.get_object().get("/EmbeddedFiles")
    if tree is None:
        return
    pending = [tree.get_object()]
    while pending:
        node = pending.pop()
        listed = node.get("/Names") or []
        for i in range(0, len(listed), 2):
            verdict.add("attachment", f"embedded file {listed[i]}")
        pending += [kid.get_object() for kid in node.get("/Kids") or []]


def _check_document_actions(reader, verdict: Verdict) -> None:
    """Actions that run when the file opens: a web request or a script can report the reader."""
    root = reader.root_object
    action = root.get("/OpenAction")
    if action is not None and not isinstance(action.get_object(), list):
        kind = action.get_object().get("/S")
        if kind is not None and kind != "/GoTo":
            verdict.add("link", f"on opening: {kind[1:]} action")
    if "/AA" in root:
        verdict.add("link", "document-level automatic actions")
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        verdict.add("link", "document-level JavaScript")

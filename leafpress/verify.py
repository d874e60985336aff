"""Inspect finished PDFs — ours or anyone's — for what could identify the people who made them.

A hostile or careless PDF hides things where a reader of its pages never looks: in objects no
page uses, in earlier revisions of an incrementally updated file, in action chains, in images
compressed twice. So every object of every revision is read, not only the catalogue and pages.
"""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
    rb"pdf:Author": "XMP author",
    rb"xmp:CreatorTool": "XMP creator tool",
    rb"dc:creator": "XMP author",
    rb"dc:contributor": "XMP contributor",
    rb"dc:rights|xmpRights:": "XMP rights holder",
    rb"xmpMM:History|stEvt:": "XMP editing history",
    rb"xmpMM:InstanceID": "XMP instance ID",
    rb"xmpMM:DerivedFrom|xmpMM:OriginalDocumentID|xmpMM:Ingredients|xmpMM:Manifest|stRef:": (
        "XMP documents it was made from"
    ),
    rb"photoshop:": "XMP Photoshop fields",
    rb"exif:GPS|exifEX:|GPSLatitude": "XMP GPS position",
    rb"tiff:Make|tiff:Model|tiff:Artist|aux:": "XMP camera or lens",
    rb"Iptc4xmpCore:|iptc:": "XMP IPTC fields",
}
_XMP_DATES = re.compile(rb"<xmp:(?:CreateDate|ModifyDate|MetadataDate)>([^<]*)<")
# leafpress's own PDF/X DocumentID is a hash of the pages in this shape (render.py): the same
# for the same pages, so it tells nothing the pages do not. Any other ID may tie a file to the
# project file, the machine or the earlier versions it came from.
_OUR_DOCUMENT_ID = re.compile(
    rb"xmp\.did:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)
_DOCUMENT_ID = re.compile(rb"<xmpMM:DocumentID>([^<]*)<|xmpMM:DocumentID=\"([^\"]*)\"")
# Keys of a document information dictionary that name a person or a program: found in any
# other object (an old /Info no trailer points to any more), they still tell.
INFO_TELLS = {"/Author", "/Creator", "/Producer", "/Company", "/SourceModified"}
# Actions that run code, open or send files, or reach another document or the network.
ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/Rendition",
    "/Movie",
    "/Sound",
    "/RichMediaExecute",
    "/ResetForm",
}
# Links that name nothing on the maker's computer.
REMOTE_SCHEMES = ("https:", "http:", "mailto:", "tel:")
# Annotations whose /T is the name of the person who made them (for widgets it is a field name).
MARKUP_ANNOTATIONS = {
    "/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
    "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink", "/FileAttachment",
    "/Sound", "/Redact",
}  # fmt: skip
# Characters of a value shown; the rest is counted.
MAX_DETAIL = 200
# A hostile file can nest arrays far deeper than any real one.
MAX_DEPTH = 64
# Bytes that a terminal would take as a command or that reorder what is shown.
_UNSAFE_FOR_TERMINAL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)


class PdfUnreadable(LeafpressError):
    """A file given to `verify` is not a PDF pypdf can read."""

    kind = "verify"


class PdfUnverifiable(LeafpressError):
    """A PDF that cannot be read through: encrypted with a password, say."""

    kind = "verify"


@dataclass(frozen=True)
class Finding:
    what: str  # "metadata", "image", "link", "attachment", "action", "structure"
    detail: str
    identifying: bool


@dataclass
class Verdict:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    # Parts that could not be read: what they hold is unknown, so the file is not called clean.
    unread: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not any(f.identifying for f in self.findings) and not self.unread

    @property
    def status(self) -> str:
        if any(f.identifying for f in self.findings):
            return "IDENTIFYING"
        return "UNVERIFIABLE" if self.unread else "clean"

    def add(self, what: str, detail: str, identifying: bool = True) -> None:
        detail = terminal_safe(detail)
        if len(detail) > MAX_DETAIL:  # a megabyte of Author must not flood the terminal
            detail = f"{detail[:MAX_DETAIL]}… ({len(detail):,} characters)"
        finding = Finding(what, detail, identifying)
        if finding not in self.findings:
            self.findings.append(finding)


def terminal_safe(text: str) -> str:
    """`text` with control characters, escape sequences and direction overrides shown as
    escapes: a title in a stranger's PDF must not rewrite what the terminal shows."""
    return _UNSAFE_FOR_TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def verify_pdf(path: Path) -> Verdict:
    """Everything in one PDF that could identify its makers, and what is merely present.

    Raises PdfUnreadable for a file that is no PDF at all, PdfUnverifiable for one that cannot
    be read through (encrypted with a password)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise PdfUnreadable(f"cannot be read: {exc.strerror or exc}", file=path) from None
    verdict = Verdict(path)
    with _quiet_pypdf():
        reader = _open(data, path)
        known = _check_revision(reader, verdict, "")
        earlier = _earlier_revisions(data)
        for number, prefix in enumerate(earlier, start=1):
            try:
                old = _open(prefix, path)
            except LeafpressError:
                continue  # a %%EOF inside a stream's bytes, not the end of a revision
            # Said once: what the current revision holds too is not repeated per revision.
            before = Verdict(path)
            known |= _check_revision(old, before, "")
            label = f"revision {number} of {len(earlier) + 1}: "
            for finding in before.findings:
                if finding not in verdict.findings:
                    verdict.add(finding.what, label + finding.detail, finding.identifying)
            verdict.unread += [label + part for part in before.unread]
        if not reader.is_encrypted:  # an orphan's strings would still be encrypted
            _check_orphans(reader, data, known, verdict)
    if earlier:
        verdict.add(
            "structure",
            f"updated incrementally: {len(earlier) + 1} revisions, every one was read",
            identifying=False,
        )
    return verdict


def verify_within(path: Path, seconds: float | None = None) -> Verdict:
    """verify_pdf in a child process that is stopped after `seconds` (VERIFY_TIME_LIMIT_S by
    default): a PDF crafted to take hours (thousands of incremental updates, each read through)
    is then PdfUnverifiable, and the files after it are still verified. A child, not a timer
    signal, because the time may go in one long call into a library that no signal interrupts.
    """
    import multiprocessing

    # Imported here, once, so that each child inherits them instead of importing them again.
    import pypdf.filters
    import pypdf.generic  # noqa: F401

    from .constants import VERIFY_TIME_LIMIT_S

    Image.preinit()  # Pillow's common image plugins, which it loads at its first open

    limit = VERIFY_TIME_LIMIT_S if seconds is None else seconds
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_verify_into, args=(path, sending, os.getpid()), daemon=True)
    child.start()
    sending.close()
    try:
        if not receiving.poll(limit):
            raise PdfUnverifiable(
                f"reading it through took longer than {limit:g} s, the limit for one file; "
                "a PDF built to be read that slowly is not checked: do not trust it",
                file=path,
            )
        try:
            outcome, value = receiving.recv()
        except (EOFError, OSError):  # the child died: out of memory, say
            raise PdfUnverifiable(
                f"reading it through stopped the checker (exit code {child.exitcode}); "
                "its contents cannot be checked",
                file=path,
            ) from None
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome == "error":
        raise value
    return value


def _verify_into(path: Path, sending: Any, parent: int) -> None:
    """In the child: the verdict on `path`, or the error, sent through `sending`."""
    from .workers import die_with_parent

    die_with_parent(parent)  # a verify killed mid-file leaves no reader behind
    try:
        sending.send(("verdict", verify_pdf(path)))
    except LeafpressError as exc:
        sending.send(("error", exc))
    except Exception as exc:  # no file may crash verify; it is reported as unverifiable
        detail = terminal_safe(f"{type(exc).__name__}: {exc}")[:MAX_DETAIL]
        sending.send(("error", PdfUnverifiable(f"cannot be checked: {detail}", file=path)))
    finally:
        sending.close()


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs what it repairs, quoting the file; the CLI reports, and escapes, instead."""
    logger = logging.getLogger("pypdf")
    before = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = before


def _open(data: bytes, path: Path):
    """A PdfReader over `data`, decrypted with the empty password when it is encrypted."""
    from pypdf import PasswordType, PdfReader

    if b"%PDF" not in data[:1024]:
        raise PdfUnreadable("cannot be read as a PDF: no %PDF header", file=path)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise PdfUnverifiable(
                "is encrypted with a password: its contents cannot be checked", file=path
            )
        reader.trailer  # noqa: B018 - read now, so that a broken file fails here
    except LeafpressError:
        raise
    except Exception as exc:  # pypdf raises many kinds on broken files; none may stop verify
        raise PdfUnreadable(
            f"cannot be read as a PDF: {terminal_safe(f'{type(exc).__name__}: {exc}')}", file=path
        ) from None
    return reader


def _earlier_revisions(data: bytes) -> list[bytes]:
    """The file as it was before each incremental update: up to each earlier %%EOF."""
    ends = [m.end() for m in re.finditer(rb"%%EOF", data)]
    return [data[:end] for end in ends[:-1]]


def _check_revision(reader: Any, verdict: Verdict, revision: str) -> set[int]:
    """The trailer's /Info, then every object the revision's cross-reference table lists;
    returns where in the file those objects start."""
    from pypdf.generic import IndirectObject

    try:
        _check_info(reader, verdict, revision)
        _check_opening(reader, verdict, revision)
    except Exception as exc:  # a malformed trailer: said, and the objects are still read
        verdict.unread.append(f"{revision}the trailer: {terminal_safe(type(exc).__name__)}")
    labels = _labels(reader)
    for idnum, generation in _object_ids(reader):
        where = f"{revision}{labels.get(idnum, 'object')} {idnum}"
        try:
            obj = reader.get_object(IndirectObject(idnum, generation, reader))
        except Exception as exc:  # one broken object is reported, not fatal
            verdict.unread.append(f"{where}: {terminal_safe(type(exc).__name__)}")
            continue
        try:
            _walk(obj, where, verdict, 0)
        except Exception as exc:  # whatever a crafted object does, the rest is still read
            verdict.unread.append(f"{where}: {terminal_safe(type(exc).__name__)}")
    return {offset for table in reader.xref.values() for offset in table.values()}


def _check_orphans(reader: Any, data: bytes, known: set[int], verdict: Verdict) -> None:
    """Objects in the file's bytes that no cross-reference table lists: no viewer shows
    them, but anyone with the file can read them."""
    from pypdf.generic import read_object

    for match in re.finditer(rb"(?<!\d)(\d{1,10})[ \t\r\n]+(\d{1,5})[ \t\r\n]+obj\b", data):
        if match.start() in known:
            continue
        start = match.end()
        while data[start : start + 1] in (b" ", b"\t", b"\r", b"\n", b"\x0c", b"\x00"):
            start += 1
        stream = io.BytesIO(data)
        stream.seek(start)
        try:
            obj = read_object(stream, reader)
            _walk(obj, f"object {int(match[1])} that no table lists", verdict, 0)
        except Exception:  # bytes inside a stream that only look like an object header
            continue


def _labels(reader: Any) -> dict[int, str]:
    """Names for the objects a person knows: the catalogue, pages and their annotations."""
    labels: dict[int, str] = {}
    try:
        labels[reader.trailer.raw_get("/Root").idnum] = "document catalogue, object"
        info = reader.trailer.raw_get("/Info")
        if hasattr(info, "idnum"):
            labels[info.idnum] = "document information, object"
        for number, page in enumerate(reader.pages, start=1):
            if page.indirect_reference is not None:
                labels[page.indirect_reference.idnum] = f"page {number}, object"
            for ref in dict.get(page, "/Annots") or []:
                if hasattr(ref, "idnum"):
                    labels[ref.idnum] = f"page {number} annotation, object"
    except Exception:  # a broken page tree: objects keep their numbers only
        pass
    return labels


def _check_opening(reader: Any, verdict: Verdict, revision: str) -> None:
    """What runs when the file opens, said as such: a web request or a script reports the reader."""
    try:
        action = reader.root_object.get("/OpenAction")
        action = action.get_object() if action is not None else None
    except Exception:  # the object walk reports what cannot be read
        return
    if hasattr(action, "get") and action.get("/S") not in (None, "/GoTo"):
        verdict.add("link", f"{revision}on opening: {str(action.get('/S'))[1:]} action")


def _object_ids(reader: Any) -> list[tuple[int, int]]:
    ids = {(idnum, gen) for gen, table in reader.xref.items() for idnum in table}
    ids |= {(idnum, 0) for idnum in reader.xref_objStm}
    return sorted(ids)


def _allowed_dates() -> set[str]:
    """Dates that tell nothing: the epoch, and SOURCE_DATE_EPOCH when this shell sets it."""
    allowed = {"19700101000000"}
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        allowed.add(datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y%m%d%H%M%S"))
    return allowed


def _check_info(reader: Any, verdict: Verdict, revision: str) -> None:
    from pypdf.generic import DictionaryObject

    info = reader.trailer.get("/Info")
    if info is None:
        return
    try:
        info = info.get_object()
    except Exception:
        verdict.unread.append(f"{revision}the document information (/Info) cannot be read")
        return
    if not isinstance(info, DictionaryObject):
        verdict.add(
            "metadata",
            f"{revision}the document information (/Info) is not a dictionary but "
            f"{type(info).__name__} {str(info)[:80]!r}: a malformed file",
        )
        return
    allowed = _allowed_dates()
    for key, value in dict.items(info):
        value = str(value.get_object() if hasattr(value, "get_object") else value)
        if key in HARMLESS_INFO:
            verdict.add("metadata", f"{revision}{key[1:]}: {value}", identifying=False)
        elif key in DATE_KEYS:
            stamp = re.sub(r"\D", "", value)[:14]
            verdict.add("metadata", f"{revision}{key[1:]}: {value}", stamp not in allowed)
        else:  # an emptied field tells nothing
            verdict.add("metadata", f"{revision}{key[1:]}: {value}", bool(value.strip()))


def _walk(obj: Any, where: str, verdict: Verdict, depth: int) -> None:
    """One object and the direct objects inside it; references are objects of their own."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if depth > MAX_DEPTH:
        verdict.unread.append(f"{where}: nested deeper than {MAX_DEPTH} levels")
        return
    if isinstance(obj, DictionaryObject):
        _check_dictionary(obj, where, verdict)
        for value in dict.values(obj):
            if not isinstance(value, IndirectObject):
                _walk(value, where, verdict, depth + 1)
        if isinstance(obj, StreamObject):
            _check_stream(obj, where, verdict)
    elif isinstance(obj, ArrayObject):
        for value in list.__iter__(obj):
            if not isinstance(value, IndirectObject):
                _walk(value, where, verdict, depth + 1)


def _value(d: Any, key: str) -> Any:
    """`d[key]` resolved, or None; a dangling reference reads as None."""
    try:
        value = dict.get(d, key)
        return value.get_object() if hasattr(value, "get_object") else value
    except Exception:
        return None


def _check_dictionary(d: Any, where: str, verdict: Verdict) -> None:
    kind = _value(d, "/S")
    if kind in ACTIVE_ACTIONS:
        verdict.add("action", f"{where}: {kind[1:]} action")
    elif kind == "/URI":
        uri = str(_value(d, "/URI"))
        local = not uri.strip().lower().startswith(REMOTE_SCHEMES)
        detail = f"{where}: {'local link' if local else 'link'} {uri}"
        verdict.add("link", detail + (" (names a file or folder)" if local else ""), local)
    if "/JS" in d and kind != "/JavaScript":
        verdict.add("action", f"{where}: JavaScript")
    if "/AA" in d:
        verdict.add("action", f"{where}: automatic actions (/AA) that run without a click")
    if "document information" not in where:  # the trailer's /Info is reported on its own
        for key in INFO_TELLS & set(dict.keys(d)):
            verdict.add("metadata", f"{where}: {key[1:]}: {_value(d, key)}")
    if "/PieceInfo" in d:
        verdict.add(
            "metadata", f"{where}: private data of the application that made it (/PieceInfo)"
        )
    if "/EF" in d or _value(d, "/Type") == "/EmbeddedFile":
        name = _value(d, "/UF") or _value(d, "/F") or "without a name"
        verdict.add("attachment", f"{where}: embedded file {name}")
    subtype = _value(d, "/Subtype")
    if subtype in MARKUP_ANNOTATIONS and "/T" in d:
        verdict.add("metadata", f"{where}: annotation by {_value(d, '/T')}")
    if _value(d, "/Type") == "/Annot" and subtype == "/FileAttachment":
        verdict.add("attachment", f"{where}: attached file")


def _check_stream(stream: Any, where: str, verdict: Verdict) -> None:
    data, undecoded = _decoded(stream)
    if undecoded and _value(stream, "/Subtype") != "/Image":
        # An image's pixels hold no metadata; any other stream might, and was not read.
        verdict.unread.append(f"{where}: a stream that cannot be decoded ({undecoded})")
    xmp = _value(stream, "/Type") == "/Metadata" or _value(stream, "/Subtype") == "/XML"
    if xmp or b"<x:xmpmeta" in data[:4096] or data.lstrip()[:9] == b"<?xpacket":
        _xmp_tells(data, f"{where} XMP", verdict)
    if _value(stream, "/Subtype") == "/Image" or data[:3] == b"\xff\xd8\xff":
        for what in image_metadata(data):
            verdict.add("image", f"{where} image: {what}")
    elif b"Exif\x00\x00" in data:
        # A JPEG inside another stream (an inline image, an embedded file): from its start.
        start = data.rfind(b"\xff\xd8", 0, data.find(b"Exif\x00\x00"))
        for what in image_metadata(data[max(start, 0) :]):
            verdict.add("image", f"{where} embedded JPEG: {what}")


def _decoded(stream: Any) -> tuple[bytes, str]:
    """The stream's data with every filter undone that can be (image codecs, DCT and JPX,
    stay encoded: that is the JPEG file itself, metadata segments and all), and why not,
    when it cannot be: then its bytes as stored are looked at."""
    try:
        return stream.get_data(), ""
    except Exception as exc:  # an unknown or broken filter, or one past pypdf's size limit
        why = terminal_safe(f"{type(exc).__name__}: {exc}")[:120]
        return bytes(getattr(stream, "_data", b"") or b""), why


def _xmp_tells(data: bytes, where: str, verdict: Verdict) -> None:
    for pattern, what in XMP_TELLS.items():
        if re.search(pattern, data):
            verdict.add("metadata", f"{where}: {what}")
    for match in _DOCUMENT_ID.finditer(data):
        value = (match.group(1) or match.group(2) or b"").strip()
        if not _OUR_DOCUMENT_ID.fullmatch(value):
            shown = value.decode(errors="replace")
            verdict.add("metadata", f"{where}: document ID {shown} from the program that made it")
    allowed = _allowed_dates()
    for stamp in _XMP_DATES.findall(data):
        digits = re.sub(rb"\D", b"", stamp)[:14].decode()
        if digits not in allowed:
            verdict.add("metadata", f"{where}: date {stamp.decode(errors='replace')}")


def image_metadata(data: bytes) -> list[str]:
    """The kinds of metadata a JPEG (or JPEG 2000) file still carries: EXIF, GPS, XMP, IPTC, comments."""
    if not data:
        return []
    found = [what for signature, what in JPEG_SIGNATURES.items() if signature in data]
    if data[:2] == b"\xff\xd8" and b"\xff\xfe" in data[: _scan_end(data)]:
        found.append("JPEG comment")
    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            if exif.get_ifd(GPS_IFD) or GPS_IFD in exif:
                found.append("GPS position in EXIF")
            if any(tag in exif for tag in (0x010F, 0x0110, 0xA431, 0x013B)):
                found.append("camera make, model, serial number or artist in EXIF")
    except Exception:  # a stream Pillow cannot open still had its signatures checked
        pass
    if re.search(rb"exif:GPS|GPSLatitude", data):
        found.append("GPS position in XMP")
    return sorted(set(found))


def _scan_end(data: bytes) -> int:
    # Metadata segments come before the first scan (SOS); a 0xFFFE inside entropy-coded data is
    # impossible (0xFF is stuffed), but only the header is where comments live.
    end = data.find(b"\xff\xda")
    return end if end > 0 else len(data)

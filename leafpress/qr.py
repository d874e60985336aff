"""QR codes: the payload a campaign asks for (url, vCard, mailto, tel, text) drawn as vector SVG."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from .content import Campaign, LanguageText
from .errors import QRError

if TYPE_CHECKING:
    import qrcode

QUIET_ZONE = 4  # modules; the minimum the QR standard asks for
ERROR_CORRECTION = ("L", "M", "Q", "H")

# Where codes encoded before are kept (keep_codes_in), or None: the qrcode library (and the
# Pillow modules it imports) is then not even imported by a build whose code was made before.
_CODE_CACHE: Path | None = None


def keep_codes_in(folder: Path | None) -> None:
    """Keep each code's SVG in `folder` (a build's cache), to be read back instead of encoded
    again by a later process; None to keep them in memory only."""
    global _CODE_CACHE
    _CODE_CACHE = folder


@dataclass(frozen=True)
class Payload:
    """What a QR code holds, and which input it came from, for error messages."""

    data: str
    file: Path
    key: str


@dataclass(frozen=True)
class QRCode:
    payload: Payload
    svg: str
    modules: int  # width in modules, quiet zone included


def payload_for(campaign: Campaign, text: LanguageText) -> Payload:
    """The exact string the campaign's QR code encodes in one language."""
    spec = campaign.qr
    contact = campaign.contact_in(text.lang)
    shared = campaign.shown_as

    def need(value: str, key: str, what: str) -> str:
        if not value:
            raise QRError(f"a QR code of kind '{spec.kind}' needs {what}", file=shared, key=key)
        return value

    if spec.kind == "url":
        url = spec.target or need(contact.url, "contact.url", "contact.url or qr.target")
        return Payload(url, shared, "qr.target" if spec.target else "contact.url")
    if spec.kind == "tel":
        number = need(contact.phone, "contact.phone", "contact.phone")
        return Payload("tel:" + tel_uri_number(number), shared, "contact.phone")
    if spec.kind == "mailto":
        address = need(contact.email, "contact.email", "contact.email")
        mailto = text.get("mailto")
        if not mailto:
            raise QRError(
                "a QR code of kind 'mailto' needs [mailto] subject and body in every language",
                file=text.shown_as,
                key="mailto",
            )
        query = f"subject={quote(mailto['subject'], safe='')}&body={quote(mailto['body'], safe='')}"
        return Payload(f"mailto:{address}?{query}", text.shown_as, "mailto.body")
    if spec.kind == "vcard":
        return Payload(vcard(contact), shared, "contact")
    if spec.kind == "text":
        if text.has("qr_text"):
            return Payload(text.get("qr_text"), text.shown_as, "qr_text")
        words = need(
            campaign.localize(spec.text, text.lang),
            "qr.text",
            "qr.text or qr_text in each language",
        )
        return Payload(words, shared, "qr.text")
    raise QRError(f"unknown QR kind '{spec.kind}'", file=shared, key="qr.kind")


def tel_uri_number(number: str) -> str:
    """A phone number as a tel: URI wants it: digits and a leading +, nothing else."""
    return ("+" if number.strip().startswith("+") else "") + re.sub(r"\D", "", number)


def _vcard_escape(value: str) -> str:
    # RFC 2426 §4: backslash, comma, semicolon and newline are escaped in text values.
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def vcard(contact) -> str:
    """The shortest vCard 3.0 that saves an addressee as a phone contact.

    Only what a phone uses and the leaflet prints: N and FN (both required by vCard 3.0), the
    phone, e-mail, web address and postal address. No ORG (a third copy of the name) and no
    TYPE parameters (a TEL without one is a voice number). A fax goes in only when it is the
    one number there is: a phone cannot send one, and each field makes the code denser, its
    modules smaller and a photocopy of it less likely to scan. In Cyrillic every letter of the
    name takes two bytes, so the name is the bulk of the code."""
    name = _vcard_escape(contact.name)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{name}", f"FN:{name}"]
    if contact.phone:
        lines.append(f"TEL:{tel_uri_number(contact.phone)}")
    elif contact.fax:
        lines.append(f"TEL;TYPE=FAX:{tel_uri_number(contact.fax)}")
    if contact.email:
        lines.append(f"EMAIL:{contact.email}")
    if contact.url:
        lines.append(f"URL:{contact.url}")
    if contact.address:
        lines.append(f"ADR:;;{_vcard_escape(contact.address)};;;;")
    lines.append("END:VCARD")
    return "\r\n".join(lines)


def make_qr(payload: Payload, error_correction: str = "M") -> QRCode:
    """Encode a payload; one too long for any QR version is an error naming its source."""
    encoded = _encode(payload.data, error_correction)
    if encoded is None:
        raise QRError(
            f"too long for a QR code ({len(payload.data.encode('utf-8'))} bytes at error "
            f"correction {error_correction}); shorten it or choose error_correction = 'L'",
            file=payload.file,
            key=payload.key,
        )
    svg, modules = encoded
    return QRCode(payload, svg, modules)


@functools.lru_cache(maxsize=256)
def _encode(data: str, error_correction: str) -> tuple[str, int] | None:
    """The SVG and size in modules of a QR code, None when too long. Cached: choosing the mask
    takes the qrcode library about 50 ms for a vCard, and a build encodes the same payload for
    every target and again in its checks; with keep_codes_in, across processes too."""
    kept = _CODE_CACHE / f"{_code_key(data, error_correction)}.json" if _CODE_CACHE else None
    if kept is not None:
        try:
            svg, modules = json.loads(kept.read_bytes())
            return str(svg), int(modules)
        except (OSError, ValueError, TypeError):
            pass  # not kept yet, or damaged: encoded again
    import qrcode.constants

    level = getattr(qrcode.constants, f"ERROR_CORRECT_{error_correction}")
    code = _smallest_code(data.encode("utf-8"), level)
    if code is None:
        return None
    matrix = code.get_matrix()  # includes the quiet zone
    encoded = matrix_to_svg(matrix), len(matrix)
    if kept is not None:
        from .write import write_atomic

        with contextlib.suppress(OSError):  # a read-only cache: encoded again next time
            write_atomic(kept, json.dumps(encoded).encode())
    return encoded


def _code_key(data: str, error_correction: str) -> str:
    """What a kept code depends on: the payload, the level, and this file and the qrcode
    library's by size and time (an edit or an upgrade encodes again)."""
    h = hashlib.blake2b(f"{error_correction}\0{data}".encode(), digest_size=16)
    spec = importlib.util.find_spec("qrcode")
    for path in (Path(__file__), Path(spec.origin) if spec and spec.origin else None):
        stat = path.stat() if path is not None and path.exists() else None
        h.update(f"\0{path}:{stat.st_size}:{stat.st_mtime_ns}".encode() if stat else b"\0-")
    return h.hexdigest()


# How long a run of digits or of capitals must be before the encoder gives it its own segment:
# 0 keeps everything in one byte segment. Which split is smallest depends on the payload (a
# vCard's "BEGIN:VCARD" and "VERSION:3.0" are capitals, a phone number is digits), so each is
# tried; choosing the version is cheap, only the mask is not.
SEGMENT_MINIMA = (0, 3, 4, 6, 8, 12)


def _smallest_code(data: bytes, error_correction: int) -> qrcode.QRCode | None:
    """The payload in the fewest modules the encoder can manage: byte, alphanumeric and numeric
    segments mixed as is smallest. Fewer modules in the same printed width are larger ones,
    and large modules are what survive a copier."""
    import qrcode
    from qrcode.exceptions import DataOverflowError

    best = None
    for minimum in SEGMENT_MINIMA:
        code = qrcode.QRCode(error_correction=error_correction, border=QUIET_ZONE, box_size=1)
        code.add_data(data, optimize=minimum)
        try:
            version = code.best_fit()
        except (DataOverflowError, ValueError):  # qrcode 8 says ValueError past version 40
            continue
        if best is None or version < best[0]:
            best = (version, code)
    if best is None:
        return None
    best[1].make(fit=False)
    return best[1]


def matrix_to_svg(matrix: list[list[bool]]) -> str:
    """The dark modules as one path of outlines: crisp on any printer, no hairline seams
    between modules, and about a third fewer numbers than one rectangle per run, which is
    what WeasyPrint's time to draw a code goes with (some 50 ms for a vCard's)."""
    size = len(matrix)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges" class="qr-svg" role="img">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" fill-rule="evenodd" d="{outline_path(matrix)}"/></svg>'
    )


def outline_path(matrix: list[list[bool]]) -> str:
    """SVG path data tracing every edge between a dark and a light module (or the edge of the
    code) as closed loops of corners. Filled even-odd, the loops paint exactly the dark modules
    however they are grouped, islands and holes alike."""
    size = len(matrix)

    def dark(x: int, y: int) -> bool:
        return 0 <= x < size and 0 <= y < size and matrix[y][x]

    # Directed edges around each dark module, clockwise, only where its neighbour is light.
    edges: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for y in range(size):
        for x in range(size):
            if not matrix[y][x]:
                continue
            for (nx, ny), start, end in (
                ((x, y - 1), (x, y), (x + 1, y)),
                ((x + 1, y), (x + 1, y), (x + 1, y + 1)),
                ((x, y + 1), (x + 1, y + 1), (x, y + 1)),
                ((x - 1, y), (x, y + 1), (x, y)),
            ):
                if not dark(nx, ny):
                    edges.setdefault(start, []).append(end)
    parts = []
    for start in sorted(edges):
        while edges[start]:
            loop = [start]
            point = edges[start].pop()
            while point != start:
                loop.append(point)
                point = edges[point].pop()
            corners = [
                p
                for p, before, after in zip(
                    loop, [loop[-1], *loop[:-1]], [*loop[1:], loop[0]], strict=True
                )
                if not (before[0] == p[0] == after[0] or before[1] == p[1] == after[1])
            ]
            steps = (f"H{b[0]}" if a[1] == b[1] else f"V{b[1]}" for a, b in pairwise(corners))
            parts.append(f"M{corners[0][0]} {corners[0][1]}{''.join(steps)}Z")
    return "".join(parts)

"""The QR check: size, modules, quiet zone, that it decodes (also copied), links that don't track."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# decode_qr and render_region are called through the package, not by their names here: a test
# that replaces leafpress.check.decode_qr or .render_region replaces what the check calls.
from .. import check as package
from ..errors import LeafpressError
from ..findings import Finding
from . import OutputContext, output_check
from .boxes import PT_PER_PX, PX_TO_MM, descendants

# The resolution the QR code must decode at: a fair stand-in for a phone camera at arm's length.
QR_DECODE_DPI = 150
# Paper around the QR code rasterised with it: its own quiet zone is inside its box.
QR_DECODE_MARGIN_PT = 28.35  # 10 mm
TRACKING_PARAMETERS = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "ref_src",
}
# A printed code outlives a shortener's account, and the shortener sees every scan.
LINK_SHORTENERS = {
    "bit.ly",
    "bitly.com",
    "tinyurl.com",
    "t.co",
    "goo.gl",
    "ow.ly",
    "is.gd",
    "buff.ly",
    "cutt.ly",
    "rebrand.ly",
    "rb.gy",
    "t.ly",
    "tiny.cc",
    "shorturl.at",
    "clck.ru",
    "vk.cc",
    "s.id",
    "lnkd.in",
}


@output_check
def check_qr(context: OutputContext) -> Iterable[Finding]:
    """The QR code's printed size, quiet zone, what it decodes to, and where its links go."""
    from ..qr import QUIET_ZONE, make_qr, payload_for

    try:
        code = make_qr(
            payload_for(context.campaign, context.text), context.campaign.qr.error_correction
        )
    except LeafpressError:
        return []  # the build reports a QR code that cannot be made
    found = [
        context.finding("qr", "warning", message, file=str(code.payload.file), key=code.payload.key)
        for message in link_warnings(code.payload.data)
    ]
    if context.laid is None or context.pdf is None:
        return found
    boxes = [
        (number, box)
        for number, page in enumerate(context.laid.laid_out.document.pages)
        for box in descendants(page._page_box)
        if getattr(box, "element", None) is not None
        and "qr-svg" in (box.element.get("class") or "").split()
        and hasattr(box, "replacement")
        and box.style["visibility"] == "visible"
    ]
    if not boxes:
        found.append(context.finding("qr", "error", "the layout shows no QR code"))
        return found
    page_number, box = boxes[0]
    size_mm = box.width * PX_TO_MM
    module_mm = size_mm / code.modules
    decoded = package.decode_qr(context.pdf, page_number, region_pt=_region_pt(box))
    geometry = (
        f"{size_mm:.1f} mm wide, quiet zone {QUIET_ZONE} modules ({QUIET_ZONE * module_mm:.1f} mm)"
    )
    if size_mm + 0.1 < context.layout.min_qr_mm:
        found.append(
            context.finding(
                "qr",
                "error",
                f"{geometry}: under the {context.layout.min_qr_mm:g} mm a phone needs",
            )
        )
    found += _qr_module_findings(context, code, size_mm * context.print_scale)
    if code.payload.data in decoded:
        found += _qr_copy_findings(context, code, page_number, box)
        found.append(
            context.finding(
                "qr", "ok", f"{geometry}; decodes at {QR_DECODE_DPI} dpi to exactly its payload"
            )
        )
    elif decoded:
        found.append(
            context.finding(
                "qr",
                "error",
                f"{geometry}; decodes at {QR_DECODE_DPI} dpi to something else than intended: "
                f"{decoded[0][:60]!r}",
            )
        )
    else:
        found.append(
            context.finding(
                "qr", "error", f"{geometry}; does not decode from the page at {QR_DECODE_DPI} dpi"
            )
        )
    return found


def _qr_module_findings(context: OutputContext, code: Any, size_mm: float) -> list[Finding]:
    """An error when the code's modules are smaller than the target prints reliably, with the
    size the code would need and the shorter kinds that would fit. `size_mm` is its size
    on paper."""
    from ..targets import qr_module_min_mm

    target = context.job.target
    least = qr_module_min_mm(target, context.layout.scan_distance_m)
    module_mm = size_mm / code.modules
    if module_mm + 0.005 >= least:
        return []
    need_mm = least * code.modules / context.print_scale
    message = (
        f"the code has {code.modules} modules of {module_mm:.2f} mm; {target} output needs "
        f"{least:g} mm modules, which takes a {need_mm:.0f} mm code (qr_size_mm or qr_max_mm) for this payload"
    )
    shorter = _shorter_kinds(context, size_mm, least)
    if shorter:
        message += "; or choose a shorter kind in [qr]: " + ", ".join(shorter)
    return [
        context.finding("qr", "error", message, file=str(context.layout.shown_as), key="qr_size_mm")
    ]


def _shorter_kinds(context: OutputContext, size_mm: float, least: float) -> list[str]:
    """The kinds other than the campaign's own whose code this layout prints large enough."""
    from ..qr import make_qr, payload_for

    fitting = []
    for kind in ("tel", "url"):
        if kind == context.campaign.qr.kind:
            continue
        campaign = dataclasses.replace(
            context.campaign, qr=dataclasses.replace(context.campaign.qr, kind=kind, target=None)
        )
        try:
            code = make_qr(payload_for(campaign, context.text), campaign.qr.error_correction)
        except LeafpressError:
            continue  # the contact has no phone, or no link
        module_mm = size_mm / code.modules
        if module_mm + 0.005 >= least:
            fitting.append(f"kind = '{kind}' ({code.modules} modules of {module_mm:.2f} mm)")
    return fitting


def _qr_copy_findings(
    context: OutputContext, code: Any, page_number: int, box: Any
) -> list[Finding]:
    """For outputs that are photocopied: an error when the code stops decoding after
    copier.COPIER_GENERATIONS simulated copies at any of the copier thresholds."""
    from ..constants import TARGETS
    from ..copier import COPIER_BLUR_MM, COPIER_DPI, COPIER_GENERATIONS, qr_after_copies

    if not TARGETS[context.job.target].copied or context.pdf is None:
        return []
    # Rendered at the size it is printed: a code shrunk onto an office sheet has smaller modules.
    dpi = COPIER_DPI * context.print_scale
    image = package.render_region(context.pdf, page_number, dpi, _region_pt(box)).convert("L")
    failed = [t.threshold for t in qr_after_copies(image, code.payload.data) if not t.decoded]
    if not failed:
        return []
    return [
        context.finding(
            "qr",
            "error",
            f"does not decode after {COPIER_GENERATIONS} photocopies (blur {COPIER_BLUR_MM:g} mm, "
            f"threshold {', '.join(map(str, failed))} of 255): make the code larger "
            "(qr_size_mm) or its payload shorter",
            file=str(context.layout.shown_as),
            key="qr_size_mm",
        )
    ]


def _region_pt(box: Any) -> tuple[float, float, float, float]:
    """A box's border box on its page in points: left, top, width, height."""
    return (
        box.border_box_x() * PT_PER_PX,
        box.border_box_y() * PT_PER_PX,
        box.border_width() * PT_PER_PX,
        box.border_height() * PT_PER_PX,
    )


def decode_qr(
    pdf: bytes,
    page: int = 0,
    dpi: int = QR_DECODE_DPI,
    region_pt: tuple[float, float, float, float] | None = None,
) -> list[str]:
    """The texts of the QR codes found on a page, rasterised as a phone would see it.

    With `region_pt` (left, top, width, height), only that part of the page and a margin of
    QR_DECODE_MARGIN_PT around it is rasterised: the same pixels where the code is, at a small
    part of the cost of a whole A3 page (what a build pays for every output).
    """
    import zxingcpp

    image = package.render_region(pdf, page, dpi, region_pt)
    return [
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]


def render_region(
    pdf: bytes,
    page: int = 0,
    dpi: float = QR_DECODE_DPI,
    region_pt: tuple[float, float, float, float] | None = None,
):
    """A page (or a region of it and QR_DECODE_MARGIN_PT around) rasterised as a PIL image."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        crop = (0.0, 0.0, 0.0, 0.0)
        if region_pt is not None:
            width, height = document[page].get_size()
            x, y, w, h = region_pt
            m = QR_DECODE_MARGIN_PT
            # pdfium crops from each edge: left, bottom, right, top.
            crop = (
                max(0.0, x - m),
                max(0.0, height - (y + h) - m),
                max(0.0, width - (x + w) - m),
                max(0.0, y - m),
            )
        return document[page].render(scale=dpi / 72, crop=crop).to_pil()
    finally:
        document.close()


def link_warnings(payload: str) -> list[str]:
    """Warnings for links that track who scans, or depend on a link shortener."""
    warnings = []
    for url in re.findall(r"https?://[^\s;,<>\"]+", payload):
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        tracking = [
            name
            for name, _ in parse_qsl(parts.query, keep_blank_values=True)
            if name.lower().startswith("utm_") or name.lower() in TRACKING_PARAMETERS
        ]
        if tracking:
            warnings.append(
                f"{url} carries tracking parameters ({', '.join(tracking)}): they tell an "
                "analytics service who scanned the code; remove them"
            )
        if host in LINK_SHORTENERS:
            warnings.append(
                f"{url} goes through the link shortener {host}: the printed code stops working "
                "when that account or service goes, and the shortener sees every scan; "
                "use the full address"
            )
    return warnings

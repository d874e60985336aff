"""Checks before printing: each finds what would go wrong on paper and says so in plain words.

A check is a function registered with `@campaign_check` (it sees one campaign, once) or
`@output_check` (it sees one output, laid out in memory). It returns Findings; adding a check is
adding a function here.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from .compose import PLAIN_FIELDS, load_labels
from .content import (
    Campaign,
    LanguageText,
    localize,
    missing_requirement,
    requirement_met,
)
from .errors import LeafpressError, ResourceError
from .findings import Finding
from .fonts import FontManifest
from .layouts import Layout
from .render import photo_url
from .scripts import fallback_key, glyph_gaps
from .typography import apply_conventions

if TYPE_CHECKING:
    from .records import LaidOutJob, OutputJob

PX_PER_IN = 96
PX_TO_MM = 25.4 / PX_PER_IN
# Photos: print shops work at 300 ppi; below 200 a photo looks soft, below 100 it shows pixels.
PHOTO_PPI_PRINT = 300
PHOTO_PPI_WARNING = 200
PHOTO_PPI_ERROR = 100
# On screen a photo needs far less: below this it looks blocky even on a phone.
PHOTO_PPI_SCREEN_WARNING = 72
# The resolution the QR code must decode at: a fair stand-in for a phone camera at arm's length.
QR_DECODE_DPI = 150
# Paper around the QR code rasterised with it: its own quiet zone is inside its box.
QR_DECODE_MARGIN_PT = 28.35  # 10 mm
PT_PER_PX = 0.75
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
# Fields that are prose in every language: identical text in two languages is a copy.
PROSE_FIELDS = ("headline", "subheadline", "lead", "body", "call_to_action", "qr_label")
COPY_MIN_CHARS = 12


@dataclass
class CampaignContext:
    """What a campaign check sees: the campaign and the layouts its outputs go through."""

    campaign: Campaign
    layouts: list[Layout]
    cache_dir: Path | None = None  # where checks may keep what is slow to find again

    def texts(self) -> list[LanguageText]:
        found = []
        for lang in self.campaign.languages:
            try:
                found.append(self.campaign.text(lang))
            except LeafpressError:
                continue  # the build reports a malformed language file itself
        return found

    def finding(self, lang: str | None, check: str, status: str, message: str, **where) -> Finding:
        where = _with_line(where, [self.campaign.source, *(t.source for t in self.texts())])
        return Finding(self.campaign.key, lang, None, check, status, message, **where)


@dataclass
class OutputContext:
    """What an output check sees: one output, laid out and written in memory when that worked."""

    job: OutputJob
    layout: Layout
    text: LanguageText
    fonts: FontManifest
    laid: LaidOutJob | None = None
    pdf: bytes | None = None
    error: LeafpressError | None = None
    # How much the target scales the page on paper (office sheets shrink an A3 poster to A4).
    print_scale: float = 1.0

    @property
    def campaign(self) -> Campaign:
        return self.job.campaign

    def finding(self, check: str, status: str, message: str, **where) -> Finding:
        where = _with_line(where, [self.campaign.source, self.text.source])
        return Finding(
            self.campaign.key, self.job.lang, self.job.layout, check, status, message, **where
        )


def _with_line(where: dict, sources: list) -> dict:
    """A finding's location with the line of its key, when it names a key of one of `sources`
    (TOML files) and no line yet: `check --json` gives it to editors and other tools."""
    if where.get("line") is not None or not where.get("key") or not where.get("file"):
        return where
    for source in sources:
        if str(source.shown_as) == where["file"]:
            return {**where, "line": source.line_of(where["key"])}
    return where


CampaignCheck = Callable[[CampaignContext], Iterable[Finding]]
OutputCheck = Callable[[OutputContext], Iterable[Finding]]
CAMPAIGN_CHECKS: list[CampaignCheck] = []
OUTPUT_CHECKS: list[OutputCheck] = []


def campaign_check(function: CampaignCheck) -> CampaignCheck:
    """Register a check that runs once per campaign."""
    CAMPAIGN_CHECKS.append(function)
    return function


def output_check(function: OutputCheck) -> OutputCheck:
    """Register a check that runs once per output."""
    OUTPUT_CHECKS.append(function)
    return function


def run_campaign_checks(context: CampaignContext) -> list[Finding]:
    return [finding for check in CAMPAIGN_CHECKS for finding in check(context)]


def run_output_checks(context: OutputContext) -> list[Finding]:
    findings = []
    if context.error is not None and not isinstance(context.error, ResourceError):
        findings += [
            context.finding("render", "error", p.message, file=_str(p.file), key=p.key, line=p.line)
            for p in context.error.problems
        ]
    for check in OUTPUT_CHECKS:
        findings += check(context)
    return findings


def _str(path: Path | None) -> str | None:
    return str(path) if path is not None else None


# --- 1. translations -------------------------------------------------------------------------


@campaign_check
def check_translations(context: CampaignContext) -> Iterable[Finding]:
    """Every language has every field; as many demands everywhere; nothing left untranslated."""
    campaign = context.campaign
    texts = context.texts()
    found: list[Finding] = []
    for text in texts:
        for layout in context.layouts:
            for req in layout.requires:
                if not requirement_met(campaign, text, req):
                    p = missing_requirement(campaign, text, req)
                    found.append(
                        context.finding(
                            text.lang,
                            "translations",
                            "error",
                            f"'{req}' is missing in {text.lang}; layout '{layout.name}' prints it",
                            file=_str(p.file),
                            key=p.key,
                            line=p.line,
                        )
                    )
    counts = {t.lang: len(t.get("demands") or []) for t in texts if t.has("demands")}
    if counts:
        # The campaign's first language is the one the others are translated from.
        first, usual = next(iter(counts.items()))
        for text in texts:
            if text.lang in counts and counts[text.lang] != usual:
                found.append(
                    context.finding(
                        text.lang,
                        "translations",
                        "error",
                        f"{text.lang} has {counts[text.lang]} demands, {first} has {usual}; "
                        "every language needs the same demands, in the same order",
                        file=str(text.shown_as),
                        key="demands",
                    )
                )
    for i, text in enumerate(texts):
        for earlier in texts[:i]:
            for name, value, other in _paired_prose(text, earlier):
                if value == other and len(value) >= COPY_MIN_CHARS:
                    found.append(
                        context.finding(
                            text.lang,
                            "translations",
                            "warning",
                            f"{name} in {text.lang} is word for word the same as in "
                            f"{earlier.lang}: probably not translated yet",
                            file=str(text.shown_as),
                            key=name,
                        )
                    )
    for text in texts:
        if not any(f.language == text.lang for f in found):
            n = counts.get(text.lang)
            demands = f", {n} demands" if n else ""
            found.append(
                context.finding(
                    text.lang, "translations", "ok", f"every field the layouts print{demands}"
                )
            )
    return found


def _paired_prose(a: LanguageText, b: LanguageText) -> Iterable[tuple[str, str, str]]:
    for name in PROSE_FIELDS:
        if isinstance(a.get(name), str) and isinstance(b.get(name), str):
            yield name, a.get(name).strip(), b.get(name).strip()
    for i, (x, y) in enumerate(zip(a.get("demands") or [], b.get("demands") or [], strict=False)):
        if isinstance(x, str) and isinstance(y, str):
            yield f"demands[{i}]", x.strip(), y.strip()


# --- 2. glyph coverage -----------------------------------------------------------------------


def printed_strings(context: OutputContext) -> Iterable[tuple[str, str]]:
    """(field, text) for every piece of text the output prints, after the language's conventions."""
    text, lang = context.text, context.text.lang
    campaign = context.campaign
    for name in (*PLAIN_FIELDS, "body"):
        value = text.get(name)
        if isinstance(value, str):
            yield name, value
    for i, demand in enumerate(text.get("demands") or []):
        if isinstance(demand, str):
            yield f"demands[{i}]", demand
    for key, caption in (text.get("captions") or {}).items():
        if isinstance(caption, str):
            yield f"captions.{key}", caption
    if "photos" in context.layout.requires:
        for photo in campaign.photos:
            credit = localize(photo.credit, lang)
            if credit:
                yield f"photos[{photo.index}].credit", credit
    labels = load_labels(campaign.root, context.layout, lang)
    labels.update(text.get("labels") or {})
    for key, value in labels.items():
        if isinstance(value, str):
            yield f"labels.{key}", value
    for i, contact in enumerate(campaign.contacts_in(lang)):
        where = "contact" if i == 0 else f"contacts[{i - 1}]"
        for key, value in vars(contact).items():
            if value:
                yield f"{where}.{key}", value


@functools.lru_cache(maxsize=4096)
def _printed_characters(value: str, lang: str) -> tuple[str, ...]:
    # Every target of a language prints the same strings: the conventions are applied once.
    try:
        printed = apply_conventions(value, lang)
    except LeafpressError:
        printed = value
    return tuple(
        char
        for char in dict.fromkeys(printed)
        if char not in "\n\r\t" and unicodedata.category(char) not in ("Cc", "Cf")
    )


@output_check
def check_glyphs(context: OutputContext) -> Iterable[Finding]:
    """Every character printed is in one of the layout's fonts or the fallback its script has in
    fonts/fonts.toml (the very test compose uses to add them), so none prints as an empty box.
    One finding per script, so that a page of Arabic is one line, not hundreds."""
    fonts, lang = context.fonts, context.text.lang
    names = [n for n in context.layout.fonts if n in fonts.families]
    try:
        covered = fonts.coverage(names)
    except Exception as exc:  # fontTools raises its own kinds on a damaged file
        return [
            context.finding(
                "glyphs",
                "error",
                f"a font file of {', '.join(names)} cannot be read ({exc}); "
                "replace it with a working .ttf or .otf file",
                file="fonts/fonts.toml",
                key="families",
            )
        ]
    if not covered:
        return [context.finding("glyphs", "warning", "the layout names no font to check")]
    stack = ", ".join(names)
    missing = []
    for where, value in printed_strings(context):
        for char in _printed_characters(value, lang):
            if ord(char) in covered:
                continue
            key = fallback_key(char, lang)
            fallback = fonts.fallbacks.get(key or "")
            if fallback and ord(char) in fonts.coverage([fallback]):
                continue
            missing.append((where, char))
    found = [
        context.finding(
            "glyphs",
            "error",
            gap.message(stack, fonts.fallbacks, fonts.families),
            file=str(_file_of(context, next(iter(gap.fields)))),
            key=next(iter(gap.fields)),
        )
        for gap in glyph_gaps(missing, lang)
    ]
    if not found:
        found.append(context.finding("glyphs", "ok", f"every character is in {stack}"))
    return found


def _file_of(context: OutputContext, where: str) -> str:
    """The file a printed string comes from, for the finding's location."""
    if where.startswith(("contact", "photos[")):
        return str(context.campaign.shown_as)
    if where.startswith("labels.") and where[7:] not in (context.text.get("labels") or {}):
        return "layouts/labels.toml"
    return str(context.text.shown_as)


# --- 3. fit ----------------------------------------------------------------------------------


@output_check
def check_fit(context: OutputContext) -> Iterable[Finding]:
    """What copy-fitting found: the scale it chose, or how much too long the text is."""
    if context.laid is None:
        return []
    fitted = context.laid.fit
    pages = f"{fitted.budget} page{'s' if fitted.budget != 1 else ''}"
    if not fitted.fits:
        key = fitted.spec.field if fitted.spec else None
        message = fitted.too_long_message(context.job.layout, context.job.lang)
        if fitted.spec and not fitted.field_to_blame:
            # Even with no body at all the page would overflow: name the longest other field.
            lengths = {
                name: len(value)
                for name, value in printed_strings(context)
                if name != fitted.spec.field and not name.startswith(("labels.", "contact"))
            }
            if lengths:
                key = max(lengths, key=lengths.__getitem__)
                message = (
                    f"the page overflows by more than the whole {fitted.spec.field}: the text "
                    f"around it is too long for {context.job.layout} in {context.job.lang}; "
                    f"shorten {key} ({lengths[key]:,} characters)"
                )
        return [context.finding("fit", "error", message, file=str(context.text.shown_as), key=key)]
    size = (
        f", {fitted.spec.field} {fitted.text_pt:.1f} pt" if fitted.spec and fitted.text_pt else ""
    )
    if fitted.scale < 1:
        what = f"shrunk to {fitted.scale * 100:.0f} % to fit {pages}"
    elif fitted.scale > 1:
        what = f"grown to {fitted.scale * 100:.0f} % to fill {pages}"
    else:
        what = f"fits {pages} at 100 %"
    # Not how many passes it took: a fit kept on disk is replayed in one, and what `check`
    # says of a text must not depend on whether it was searched for before (`build -v` says).
    return [context.finding("fit", "ok", f"{what}{size}")]


@output_check
def check_floors(context: OutputContext) -> Iterable[Finding]:
    """Text printed under its role's floor (layout.toml's [floors]), measured from the glyphs."""
    from .floors import describe, role_sizes
    from .layoutconfig import floors_of

    floors = floors_of(context.layout)
    if context.laid is None or context.pdf is None or not floors:
        return []
    sizes = role_sizes(context.laid.laid_out.document, context.pdf, floors)
    found = [
        context.finding(
            "floors",
            "error",
            f"{s.floor.role} printed at {s.pt:.1f} pt on page {s.page + 1} (“{s.sample}”), under "
            f"its {s.floor.pt:g} pt floor",
            file=str(context.layout.shown_as),
            key=f"floors.{s.floor.role}",
        )
        for s in sizes
        if s.under
    ]
    return found or [context.finding("floors", "ok", describe(sizes, context.layout))]


# --- 4. photos -------------------------------------------------------------------------------


@output_check
def check_photos(context: OutputContext) -> Iterable[Finding]:
    """Each photo's resolution at the size it is printed (300 ppi is what print shops expect)."""
    if context.laid is None or not context.laid.photos:
        return []
    by_uri = {photo_url(p.path): p for p in context.laid.photos}
    placed: dict[str, tuple[float, float]] = {}
    for page in context.laid.fit.laid_out.document.pages:
        for box in _descendants(page._page_box):
            element = getattr(box, "element", None)
            if element is None or getattr(box, "element_tag", None) != "img":
                continue
            src = element.get("src")
            if src in by_uri and hasattr(box, "replacement"):
                placed.setdefault(src, (box.width, box.height))
    found = []
    for uri, (width_px, height_px) in placed.items():
        photo = by_uri[uri]
        # The original's pixels, not the prepared copy's: preparation resamples to the target.
        source_width = photo.source_width or photo.width
        ppi = source_width / (width_px / PX_PER_IN)
        size = f"{width_px * PX_TO_MM:.0f} × {height_px * PX_TO_MM:.0f} mm"
        message = f"photo '{photo.key}' ({source_width} px wide) is printed {size}: {ppi:.0f} ppi"
        need = round(source_width * PHOTO_PPI_PRINT / ppi)
        if context.job.target == "screen":
            # Print thresholds are for paper; a screen PDF only warns when it looks blocky.
            status = "warning" if ppi < PHOTO_PPI_SCREEN_WARNING else "ok"
            if status == "warning":
                message += f", blocky even on screen; and too small to print (about {need} px wide)"
        elif ppi < PHOTO_PPI_ERROR:
            status = "error"
            message += (
                f", below the {PHOTO_PPI_ERROR} ppi where print shows pixels; use an original "
                f"about {need} px wide"
            )
        elif ppi < PHOTO_PPI_WARNING:
            status = "warning"
            message += (
                f", below the {PHOTO_PPI_WARNING} ppi where print looks sharp; an original about "
                f"{need} px wide prints at {PHOTO_PPI_PRINT} ppi"
            )
        else:
            status = "ok"
        index = next((p.index for p in context.campaign.photos if p.key == photo.key), None)
        found.append(
            context.finding(
                "photos",
                status,
                message,
                file=str(context.campaign.shown_as),
                key=f"photos[{index}].file" if index is not None else None,
            )
        )
    return found


def _descendants(box: Any) -> Iterable[Any]:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _descendants(child)


# --- 5. QR code ------------------------------------------------------------------------------


@output_check
def check_qr(context: OutputContext) -> Iterable[Finding]:
    """The QR code's printed size, quiet zone, what it decodes to, and where its links go."""
    from .qr import QUIET_ZONE, make_qr, payload_for

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
        for box in _descendants(page._page_box)
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
    decoded = decode_qr(context.pdf, page_number, region_pt=_region_pt(box))
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
    from .targets import qr_module_min_mm

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
    from .qr import make_qr, payload_for

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
    from .constants import TARGETS
    from .copier import COPIER_BLUR_MM, COPIER_DPI, COPIER_GENERATIONS, qr_after_copies

    if not TARGETS[context.job.target].copied or context.pdf is None:
        return []
    # Rendered at the size it is printed: a code shrunk onto an office sheet has smaller modules.
    dpi = COPIER_DPI * context.print_scale
    image = render_region(context.pdf, page_number, dpi, _region_pt(box)).convert("L")
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

    image = render_region(pdf, page, dpi, region_pt)
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


# --- 6. resources ----------------------------------------------------------------------------


@output_check
def check_resources(context: OutputContext) -> Iterable[Finding]:
    """Nothing the layout references is missing or outside the workspace."""
    if isinstance(context.error, ResourceError):
        return [
            context.finding(
                "resources", "error", p.message, file=_str(p.file), key=p.key, line=p.line
            )
            for p in context.error.problems
        ]
    if context.laid is None:
        return []
    return [
        context.finding("resources", "ok", "every file the layout uses is inside the workspace")
    ]


# --- 7. contacts -----------------------------------------------------------------------------

_PHONE_CHARS = re.compile(r"^\+[\d\s()\-.]+$")
_EMAIL = re.compile(
    r"^[^@\s<>(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


@campaign_check
def check_contacts(context: CampaignContext) -> Iterable[Finding]:
    """Numbers in international form, addresses that are addresses, links that are https."""
    campaign = context.campaign
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for lang in campaign.languages:
        for i, contact in enumerate(campaign.contacts_in(lang)):
            where = "contact" if i == 0 else f"contacts[{i - 1}]"
            for key, value in vars(contact).items():
                problem = contact_problem(key, value)
                if problem and (f"{where}.{key}", value) not in seen:
                    seen.add((f"{where}.{key}", value))
                    found.append(
                        context.finding(
                            None,
                            "contacts",
                            "warning",
                            problem,
                            file=str(campaign.shown_as),
                            key=f"{where}.{key}",
                        )
                    )
    if not found:
        found.append(
            context.finding(None, "contacts", "ok", "numbers, addresses and links look right")
        )
    return found


def contact_problem(key: str, value: str) -> str | None:
    """What is wrong with one contact value, in a sentence; None when it looks right."""
    if not value:
        return None
    if key in ("phone", "fax"):
        digits = sum(ch.isdigit() for ch in value)
        if not _PHONE_CHARS.match(value.strip()) or not 8 <= digits <= 15:
            return (
                f"'{value}' is not an international number: write it with + and the country "
                "code, e.g. +7 727 271 6557, so it can be dialled from any phone"
            )
    elif key == "email":
        if not _EMAIL.match(value.strip()):
            return f"'{value}' is not an e-mail address like name@example.org"
    elif key == "url":
        parts = urlsplit(value.strip())
        if parts.scheme != "https" or not parts.hostname:
            return f"'{value}' is not a full https:// address; write it as https://…"
    return None


@campaign_check
def check_placeholders(context: CampaignContext) -> Iterable[Finding]:
    """Values a new campaign's skeleton left for a person to write (`leafpress new campaign`)."""
    from .scaffold import placeholders

    try:
        found = placeholders(context.campaign.folder, context.campaign.root)
    except LeafpressError:
        return []  # the build reports a malformed file itself
    return [
        context.finding(
            None,
            "placeholders",
            "warning",
            f"{p.key} still holds the placeholder text; write the real words before printing",
            file=_str(p.file),
            key=p.key,
        )
        for p in found
    ]


@campaign_check
def check_faces(context: CampaignContext) -> Iterable[Finding]:
    """How many people's faces are covered on each masked photo, so a person can confirm on the
    review sheet (`leafpress faces`) that none was missed; photos printed unmasked are named too."""
    campaign = context.campaign
    if not campaign.photos or not any("photos" in layout.requires for layout in context.layouts):
        return []  # before importing the photo stack, which a leaflet's build never needs
    from .faces import faces_covered, kept_faces
    from .photos import all_faces

    found: list[Finding] = []
    for photo in campaign.photos:
        key = f"photos[{photo.index}]"
        masked = photo.mask_faces if photo.mask_faces is not None else campaign.mask_faces
        if not masked:
            message = f"photo '{photo.key}': printed as it is, faces not masked (mask_faces is off)"
            found.append(
                context.finding(None, "faces", "ok", message, file=str(campaign.shown_as), key=key)
            )
            continue
        try:
            detected = all_faces(campaign, photo, context.cache_dir)
        except LeafpressError:
            continue  # the build reports an unreadable photo itself
        covered = len(kept_faces(detected, photo.unmask))
        status, message = (
            "ok",
            f"photo '{photo.key}': "
            + faces_covered(covered, len(detected) - covered, len(photo.masks)),
        )
        if not covered and not photo.masks:
            status = "warning"
            message = f"photo '{photo.key}': mask_faces is on but no face was found"
        numbers = {face.number for face in detected}
        stray = [n for n in photo.unmask if isinstance(n, int) and n not in numbers]
        if stray:
            status = "warning"
            message += (
                f"; unmask names block {', '.join(map(str, stray))}, which the review sheet "
                f"does not have (it numbers {len(detected)})"
            )
        message += "; look at `leafpress faces` and add `masks` for any face not covered"
        found.append(
            context.finding(None, "faces", status, message, file=str(campaign.shown_as), key=key)
        )
    return found


# --- 8. toner --------------------------------------------------------------------------------


@output_check
def check_toner(context: OutputContext) -> Iterable[Finding]:
    """Photocopy output: no large area darker than a copier lays evenly (copier.py)."""
    from .copier import DARK_AREA_LIMIT_CM2, DARK_GREY, page_dark_areas

    if context.job.target != "photocopy" or context.pdf is None:
        return []
    found = []
    for page, area in page_dark_areas(context.pdf, context.print_scale):
        x, y, w, h = area.box_mm
        found.append(
            context.finding(
                "toner",
                "warning",
                f"page {page}: {area.area_cm2:.1f} cm² darker than {DARK_GREY:.0%} grey at "
                f"{x:.0f}, {y:.0f} mm ({w:.0f} × {h:.0f} mm), over the {DARK_AREA_LIMIT_CM2:g} cm² "
                "a copier lays evenly: use a light tint (--accent-fill, --wash) or an outline",
                file=str(context.layout.shown_as),
            )
        )
    if not found:
        found.append(
            context.finding(
                "toner",
                "ok",
                f"no area darker than {DARK_GREY:.0%} grey over {DARK_AREA_LIMIT_CM2:g} cm²",
            )
        )
    return found


# --- 9. plates -------------------------------------------------------------------------------


@output_check
def check_plates(context: OutputContext) -> Iterable[Finding]:
    """Print-shop output: type under 12 pt on one plate (inks.py), or the register blurs it."""
    from .inks import SMALL_TYPE_PT, small_multi_plate_text

    if context.job.target != "print-shop" or context.laid is None:
        return []
    found = []
    for (plates, size), words in small_multi_plate_text(context.laid.laid_out.document).items():
        sample = " ".join(words)[:40]
        found.append(
            context.finding(
                "plates",
                "warning",
                f"{size:g} pt type on {len(plates)} plates ({', '.join(plates)}), e.g. "
                f"{sample!r}: under {SMALL_TYPE_PT:g} pt it blurs when they are out of register; "
                "set it in one ink or in black (layouts/_shared/palette-cmyk.css)",
                file=str(context.layout.shown_as),
            )
        )
    return found

"""Compose one output: merge a campaign's text in one language into a layout's template as HTML."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape

from . import reads
from .content import Campaign, Contact, LanguageText, missing_requirement, requirement_met
from .errors import ContentError, LayoutError, LeafpressError
from .fonts import FontManifest
from .layouts import Layout
from .markup import markdown_to_html, plain_to_html
from .qr import make_qr, payload_for
from .render import photo_url
from .typography import (
    apply_conventions,
    format_date,
    format_number,
    format_numbered,
    format_phone,
)

if TYPE_CHECKING:  # the photo stack (Pillow's plugins) only where photos are printed
    from .photos import PreparedPhoto

PLAIN_FIELDS = ("headline", "subheadline", "lead", "call_to_action", "qr_label")


class Labels(dict):
    """A layout's fixed words in one language; a missing one says where to add it."""

    def __init__(self, values: dict[str, str], lang: str, text_file: Path) -> None:
        super().__init__(values)
        self.lang = lang
        self.text_file = text_file

    def __missing__(self, key: str) -> str:
        raise ContentError(
            f"the layout needs the label '{key}' in '{self.lang}'; add it under [labels] here "
            "or under [" + self.lang + "] in layouts/labels.toml",
            file=self.text_file,
            key=f"labels.{key}",
        )


@dataclass(frozen=True)
class Composed:
    html: str
    base_url: str
    title: str


def load_labels(root: Path, layout: Layout, lang: str) -> dict[str, str]:
    """Fixed words: layouts/labels.toml, then each layout folder's labels.toml, parent first."""
    labels: dict[str, str] = {}
    files = [root / "layouts" / "labels.toml", *(p / "labels.toml" for p in reversed(layout.chain))]
    reads.record(*files)  # an absent one too: creating it changes the output
    for file in files:
        if file.is_file():
            try:
                table = tomllib.loads(file.read_text("utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise LayoutError(
                    f"is not valid TOML: {exc}", file=file.relative_to(root)
                ) from None
            labels.update(table.get(lang, {}))
    return labels


def check_requirements(campaign: Campaign, text: LanguageText, layout: Layout) -> None:
    missing = [
        missing_requirement(campaign, text, req)
        for req in layout.requires
        if not requirement_met(campaign, text, req)
    ]
    if missing:
        problems = [
            type(p)(
                f"{p.message}: layout '{layout.name}' prints it", p.file, p.key, p.line, p.column
            )
            for p in missing
        ]
        raise ContentError(problems=problems)


def compose(
    campaign: Campaign,
    text: LanguageText,
    layout: Layout,
    fonts: FontManifest,
    photos: list[PreparedPhoto],
    options: dict[str, Any],
) -> Composed:
    """The HTML of one output, ready for WeasyPrint."""
    check_requirements(campaign, text, layout)
    lang = text.lang

    def fix(value: str, *, before: str = "", after: str = "") -> str:
        return apply_conventions(value, lang, before=before, after=after)

    qr = make_qr(payload_for(campaign, text), campaign.qr.error_correction)
    captions = text.get("captions", {}) or {}
    by_key = {p.key: p for p in campaign.photos}
    photo_items = [
        {
            "key": prepared.key,
            "src": photo_url(prepared.path),
            "width": prepared.width,
            "height": prepared.height,
            "orientation": prepared.orientation,
            "caption": plain_to_html(captions.get(prepared.key, ""), fix, lang),
            "credit": fix(campaign.localize(by_key[prepared.key].credit, lang)),
            "cropped": prepared.cropped,
        }
        for prepared in photos
    ]
    _add_captions_in_every_language(campaign, lang, photo_items)
    labels = load_labels(campaign.root, layout, lang)
    labels.update(text.get("labels", {}) or {})
    labels = {k: fix(v) for k, v in labels.items()}

    title = text.get("headline") or campaign.key
    head = _head(layout, fonts, lang, title)
    contacts = [_contact_fields(campaign, i, c) for i, c in enumerate(campaign.contacts_in(lang))]
    context: dict[str, Any] = {
        "lang": lang,
        "head": head,
        "campaign": campaign.key,
        "layout": {"name": layout.name, "kind": layout.kind, "page_size": layout.page_size_label},
        "options": options,
        **{name: plain_to_html(text.get(name, ""), fix, lang) for name in PLAIN_FIELDS},
        "body": markdown_to_html(text.get("body", ""), fix, lang),
        "demands": [plain_to_html(d, fix, lang) for d in text.get("demands", [])],
        "labels": Labels(labels, lang, text.shown_as),
        "contact": contacts[0],
        "contacts": contacts,
        "qr": Markup(qr.svg),
        "qr_payload": qr.payload.data,
        "photos": photo_items,
        # Numbers and dates in a layout's own words, written as the output's language writes them.
        "number": lambda n: format_number(n, lang),
        "numbered": lambda n: format_numbered(n, lang),
        "date": lambda d: format_date(d, lang),
    }
    template_file = Path("layouts") / layout.name / layout.template_name
    reads.record(*layout.files_read())  # a template that fails to load was read too
    try:
        html = layout.template.render(context)
    except LeafpressError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise LayoutError(
            f"template error: {exc.message}", file=template_file, line=exc.lineno
        ) from None
    except jinja2.TemplateError as exc:
        raise LayoutError(
            f"template error: {exc}", file=template_file, line=_template_line(exc)
        ) from None
    reads.record(*layout.files_read())
    return Composed(html, layout.folder.as_uri() + "/", title)


def _add_captions_in_every_language(
    campaign: Campaign, lang: str, photo_items: list[dict[str, Any]]
) -> None:
    """`photo.captions`: the caption in each campaign language, this one first, for stacked posters."""
    if not photo_items:
        return
    order = [lang, *(other for other in campaign.languages if other != lang)]
    texts = {}
    for other in order:
        try:
            texts[other] = campaign.text(other)
        except LeafpressError:
            continue  # that language's own output reports its file; this poster does without it
    for item in photo_items:
        stacked = []
        for other in texts:
            caption = (texts[other].get("captions", {}) or {}).get(item["key"], "")
            if caption:

                def fix(
                    value: str, *, before: str = "", after: str = "", _lang: str = other
                ) -> str:
                    return apply_conventions(value, _lang, before=before, after=after)

                stacked.append({"lang": other, "caption": plain_to_html(caption, fix)})
        item["captions"] = stacked


def _contact_fields(campaign: Campaign, index: int, contact: Contact) -> dict[str, str]:
    """A contact as templates get it: phone numbers made unbreakable, errors located."""
    fields = dict(vars(contact))
    where = "contact" if index == 0 else f"contacts[{index - 1}]"
    for key in ("phone", "fax"):
        try:
            fields[key] = format_phone(fields[key])
        except ContentError as exc:
            raise ContentError(
                exc.first.message, file=campaign.shown_as, key=f"{where}.{key}"
            ) from None
    return fields


def _template_line(exc: BaseException) -> int | None:
    """The template line a Jinja runtime error happened on, from Jinja's rewritten traceback."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _head(layout: Layout, fonts: FontManifest, lang: str, title: str) -> Markup:
    """What every layout's <head> needs: title, fonts, page size, QR size, stylesheets."""
    width, height = layout.page_size_mm
    generated = "\n".join(
        [
            fonts.font_face_css(layout.fonts, layout.shown_as),
            f"@page {{ size: {width:g}mm {height:g}mm; }}",
            f":root {{ --qr-size: {layout.qr_size_mm:g}mm; "
            f"--page-width: {width:g}mm; --page-height: {height:g}mm; }}",
        ]
    )
    links = "".join(
        f'<link rel="stylesheet" href="{escape(p.as_uri())}">' for p in layout.stylesheet_paths
    )
    return Markup(
        '<meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f'<meta name="dcterms.language" content="{escape(lang)}">'
        f"<style>{generated}</style>{links}"
    )

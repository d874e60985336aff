"""Compose one output: merge a campaign's text in one language into a layout's template as HTML."""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape

from . import reads
from .content import (
    Campaign,
    Contact,
    LanguageText,
    missing_requirement,
    relative_to_root,
    requirement_met,
)
from .errors import ContentError, LayoutError, LeafpressError
from .fonts import FontManifest
from .layouts import Layout
from .lines import keep_last_word
from .markup import markdown_to_html, plain_to_html
from .qr import make_qr, payload_for
from .render import photo_url
from .scripts import direction, isolate_ltr, lookup_codes
from .typography import (
    apply_conventions,
    format_date,
    format_number,
    format_numbered,
    format_phone,
)
from .workspace import outside_workspace

if TYPE_CHECKING:  # the photo stack (Pillow's plugins) only where photos are printed
    from .photos import PreparedPhoto

PLAIN_FIELDS = ("headline", "subheadline", "lead", "call_to_action", "qr_label")
# Fields set large or as slogans, whose last word is kept with the one before it (lines.py).
SHORT_TEXTS = ("headline", "subheadline", "call_to_action", "qr_label")


class Labels(dict):
    """A layout's fixed words in one language; a missing one says where to add it.

    What it knows besides the words is private and plain (the sandbox refuses `_` attributes):
    the text file as a Path once let a template read and write any file."""

    def __init__(
        self,
        values: dict[str, str],
        lang: str,
        text_file: Path,
        known: tuple[str, ...] = (),
    ) -> None:
        super().__init__(values)
        self._lang = lang
        self._text_file = str(text_file)
        # Every label some language has: a missing one is named with the others this one lacks.
        self._known = known

    def __missing__(self, key: str) -> str:
        # Name every label this language lacks, not just the first one a template asked for.
        missing = [key, *sorted(k for k in self._known if k not in self and k != key)]
        if len(missing) == 1:
            need = f"the layout needs the label '{key}' in '{self._lang}'; add it"
        else:
            names = ", ".join(missing)
            need = f"'{self._lang}' has none of the labels {names} (the layout asked for '{key}'); add them"
        raise ContentError(
            f"{need} under [labels] here or under [{self._lang}] in layouts/labels.toml",
            file=self._text_file,
            key=f"labels.{key}",
        )


@dataclass(frozen=True)
class Composed:
    html: str
    base_url: str
    title: str


def load_labels(root: Path, layout: Layout, lang: str) -> dict[str, str]:
    """Fixed words: layouts/labels.toml, then each layout folder's labels.toml, parent first.

    A table may be filed under a less specific code: zh-TW reads [zh-Hant], sr-Cyrl reads [sr].
    """
    labels: dict[str, str] = {}
    codes = list(reversed(lookup_codes(lang)))
    for file, table in _label_tables(root, layout):
        for code in codes:
            own = table.get(code, {})
            shown = relative_to_root(file, root)
            if not isinstance(own, dict):
                raise LayoutError(
                    f"expected a table of labels, found {own!r}", file=shown, key=code
                )
            for key, value in own.items():
                if not isinstance(value, str):
                    raise LayoutError(
                        f"expected a string, found {value!r}", file=shown, key=f"{code}.{key}"
                    )
            labels.update(own)
    return labels


def known_labels(root: Path, layout: Layout) -> frozenset[str]:
    """Every label any language has for this layout."""
    return frozenset(
        key
        for _, table in _label_tables(root, layout)
        for values in table.values()
        if isinstance(values, dict)
        for key in values
    )


def _label_tables(root: Path, layout: Layout) -> list[tuple[Path, dict[str, Any]]]:
    tables = []
    files = [root / "layouts" / "labels.toml", *(p / "labels.toml" for p in reversed(layout.chain))]
    reads.record(*files)  # an absent one too: creating it changes the output
    for file in files:
        refused = outside_workspace(file, root) if file.exists() else None
        if refused:
            raise LayoutError(refused, file=relative_to_root(file, root))
        if file.is_file():
            tables.append((file, _read_labels(file, root)))
    return tables


# labels.toml holds every language's words: read once per version of the file, not per output.
_LABEL_FILES: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}


def _read_labels(file: Path, root: Path) -> dict[str, Any]:
    stat = file.stat()
    version = (stat.st_mtime_ns, stat.st_size)
    cached = _LABEL_FILES.get(file)
    if cached and cached[0] == version:
        return cached[1]
    try:
        table = tomllib.loads(file.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"is not valid TOML: {exc}", file=file.relative_to(root)) from None
    _LABEL_FILES[file] = (version, table)
    return table


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
    measured: dict[str, dict[str, float]] | None = None,
) -> Composed:
    """The HTML of one output, ready for WeasyPrint. `measured` gives the template the sizes
    of the boxes it marked `data-measure` in a first layout (measure.py); None in that first."""
    context = template_context(campaign, text, layout, fonts, photos, options)
    context["measured"] = measured
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
    except RecursionError:
        raise LayoutError(
            "the template calls itself without end (a macro, include or block that uses "
            "itself); give the recursion a condition that stops it",
            file=template_file,
        ) from None
    except Exception as exc:  # a helper misused in the template: range too big, cycler()
        raise LayoutError(
            f"template error: {type(exc).__name__}: {exc}",
            file=template_file,
            line=_template_line(exc),
        ) from None
    reads.record(*layout.files_read())
    title = text.get("headline") or campaign.key
    needed = fonts.fallbacks_for(html, layout.fonts, text.lang)
    head = _head(layout, fonts, text.lang, title, tuple(needed), context["qr_size_mm"])
    html = html.replace(_HEAD_MARK, head, 1)
    return Composed(html, layout.folder.as_uri() + "/", title)


def template_context(
    campaign: Campaign,
    text: LanguageText,
    layout: Layout,
    fonts: FontManifest,
    photos: list[PreparedPhoto],
    options: dict[str, Any],
) -> dict[str, Any]:
    """Everything a template receives: plain data (strings, numbers, lists, mappings, Markup)
    and three formatting functions, never a path, file or engine object."""
    check_requirements(campaign, text, layout)
    lang = text.lang
    rtl = direction(lang) == "rtl"

    def fix(value: str, *, before: str = "", after: str = "") -> str:
        fixed = apply_conventions(value, lang, before=before, after=after)
        # Right-to-left text keeps its numbers, addresses and Latin words left to right.
        return isolate_ltr(fixed) if rtl else fixed

    def fix_short(value: str) -> str:  # headlines, demands, captions: no stranded last word
        return keep_last_word(fix(value))

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
            "caption": plain_to_html(captions.get(prepared.key, ""), fix_short, lang),
            "credit": fix(campaign.localize(by_key[prepared.key].credit, lang)),
            "cropped": prepared.cropped,
        }
        for prepared in photos
    ]
    _add_captions_in_every_language(campaign, lang, photo_items)
    labels = load_labels(campaign.root, layout, lang)
    labels.update(text.get("labels", {}) or {})
    labels = {k: fix(v) for k, v in labels.items()}

    contacts = [_contact_fields(campaign, i, c) for i, c in enumerate(campaign.contacts_in(lang))]
    if rtl:
        contacts = [{k: isolate_ltr(v) for k, v in c.items()} for c in contacts]
    return {
        "lang": lang,
        "dir": direction(lang),
        # Stands for the <head> until the page's characters tell which fallback fonts it needs.
        "head": Markup(_HEAD_MARK),
        "campaign": campaign.key,
        "layout": {"name": layout.name, "kind": layout.kind, "page_size": layout.page_size_label},
        "options": _plain(options),
        **{
            name: plain_to_html(text.get(name, ""), fix_short if name in SHORT_TEXTS else fix, lang)
            for name in PLAIN_FIELDS
        },
        "body": markdown_to_html(text.get("body", ""), fix, lang),
        "demands": [plain_to_html(d, fix_short, lang) for d in text.get("demands", [])],
        "labels": Labels(
            labels, lang, text.shown_as, tuple(sorted(known_labels(campaign.root, layout)))
        ),
        "contact": contacts[0],
        "contacts": contacts,
        "qr": Markup(qr.svg),
        "qr_payload": qr.payload.data,
        # The code's printed width: the layout's, grown for a long payload's modules.
        "qr_size_mm": layout.qr_size_for(qr.modules),
        "photos": photo_items,
        # Numbers and dates in a layout's own words, written as the output's language writes them.
        "number": lambda n: format_number(n, lang),
        "numbered": lambda n: format_numbered(n, lang),
        "date": lambda d: format_date(d, lang),
    }


def _plain(value: Any) -> Any:
    """TOML values as template data: dates and times (objects with methods) become ISO text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


_HEAD_MARK = "<!-- leafpress: head -->"


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


def _head(
    layout: Layout,
    fonts: FontManifest,
    lang: str,
    title: str,
    fallbacks: tuple[str, ...] = (),
    qr_mm: float | None = None,
) -> Markup:
    """What every layout's <head> needs: title, fonts (and the fallbacks for the scripts its
    fonts lack), page size, QR size (`qr_mm`, default the layout's qr_size_mm), stylesheets."""
    width, height = layout.page_size_mm
    qr_mm = layout.qr_size_mm if qr_mm is None else qr_mm
    faces = fonts.font_face_css(layout.fonts, layout.shown_as)
    if fallbacks:
        faces += "\n" + fonts.fallback_css(fallbacks)
    generated = "\n".join(
        [
            faces,
            f"@page {{ size: {width:g}mm {height:g}mm; }}",
            f":root {{ --qr-size: {qr_mm:g}mm; "
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

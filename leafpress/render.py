"""WeasyPrint with a fetcher that reads only the workspace, and PDFs that say nothing about their maker."""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import hyphenation, stylecache
from .errors import Problem, RenderError, ResourceError
from .workspace import refused_links

PX_TO_PT = 0.75  # CSS px are 1/96 in, PDF points 1/72 in


class _FetchRefused(Exception):
    pass


def _within(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


# Prepared photos are referenced by this location-free URL: WeasyPrint names each image after
# the MD5 of its URL, and a workspace path there would make the same build differ between folders.
PHOTO_URL_PREFIX = "file:///leafpress-photos/"


def photo_url(path: Path) -> str:
    return PHOTO_URL_PREFIX + path.name


def make_fetcher(
    allowed_dirs: list[Path],
    allowed_files: list[Path],
    optional: list[str],
    photo_dir: Path | None = None,
):
    """A URL fetcher for WeasyPrint that serves `data:` URIs and files inside `allowed_dirs`.

    Anything else, http(s) above all, is refused and remembered, so the output can fail with
    the resource named instead of printing with a hole in it.
    """
    from weasyprint.urls import URLFetcher

    class WorkspaceFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, timeout=1)
            self.dirs = [d.resolve() for d in allowed_dirs]
            self.files = {f.resolve() for f in allowed_files}
            self.optional = optional
            self.failures: list[tuple[str, str]] = []
            # Workspace files the document asked for, found or not: what else it is made from.
            self.used: set[Path] = set()

        def fetch(self, url: str, headers=None):
            try:
                return self._fetch(url, headers)
            except _FetchRefused as exc:
                self.failures.append((url, str(exc)))
                raise

        def _fetch(self, url: str, headers):
            if url.split(":", 1)[0].lower() == "data":
                return super().fetch(url, headers)
            path = self._allowed(url)
            if not path.is_file():
                raise _FetchRefused("file not found")
            if path.suffix.lower() in (".svg", ".svgz", ".xml") and _has_entities(path):
                # Entities are how an SVG expands to gigabytes or reads other files; WeasyPrint
                # would print it blank without a word.
                raise _FetchRefused(
                    "an SVG with <!ENTITY> declarations is refused; save it without a DOCTYPE"
                )
            return super().fetch(path.as_uri(), headers)

        def _allowed(self, url: str) -> Path:
            """The workspace file a URL names, counted as used; refused if it is not one."""
            if url.startswith(PHOTO_URL_PREFIX) and photo_dir is not None:
                name = unquote(url[len(PHOTO_URL_PREFIX) :])
                if "/" in name or name.startswith("."):
                    raise _FetchRefused("not a prepared photo")
                url = (photo_dir.resolve() / name).as_uri()
            if url.split(":", 1)[0].lower() != "file":
                raise _FetchRefused(
                    "only files inside the workspace are used; nothing is fetched from the network"
                )
            path = Path(unquote(urlsplit(url).path)).resolve()
            if path not in self.files and not _within(path, self.dirs):
                raise _FetchRefused("outside the workspace")
            if photo_dir is None or not _within(path, [photo_dir.resolve()]):
                self.used.add(path)  # prepared photos stand for their originals, counted already
            return path

        def reuse(self, url: str) -> bool:
            """Whether this document may take the image at `url` from another's fetch: only a
            workspace file it may fetch itself, which then counts as one it used."""
            if url.split(":", 1)[0].lower() == "data":
                return True
            try:
                self._allowed(url)
            except _FetchRefused:
                return False
            return True

        def refused(self) -> list[tuple[str, str]]:
            """Failures that matter: those not matching the layout's optional resources."""
            return [
                (url, why)
                for url, why in self.failures
                if not any(
                    fnmatch.fnmatch(url, "*" + pattern.lstrip("*")) for pattern in self.optional
                )
            ]

    return WorkspaceFetcher()


def _has_entities(path: Path) -> bool:
    import gzip

    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)[:1_000_000]
        except (OSError, EOFError):
            return False  # not an image WeasyPrint can read either: it fails visibly
    return b"<!entity" in data.lower()


# WeasyPrint's words when an image cannot be decoded ('Failed to load image at <url>: <why>').
_BROKEN_IMAGE = re.compile(r"Failed to load image at '([^']*)'(?:: (.*))?", re.S)


def broken_images(messages: list[str], root: Path | None, refused: set[str]) -> list[Problem]:
    """An image the document uses that could not be decoded, as a problem naming the file;
    images the fetcher refused (reported apart, or optional) are not counted."""
    problems = []
    for message in messages:
        found = _BROKEN_IMAGE.match(message)
        if not found or found[1] in refused:
            continue
        url, why = found[1], (found[2] or "").strip()
        file: Path | None = None
        if url.startswith("file:"):
            file = Path(unquote(urlsplit(url).path))
            if root is not None and _within(file, [root]):
                file = file.relative_to(root)
        problems.append(
            Problem(
                "this image cannot be read"
                + (f" ({why})" if why else "")
                + "; replace it with a valid PNG, JPEG or SVG",
                file or Path(url[:120]),
            )
        )
    return problems


@dataclass
class RenderedPdf:
    data: bytes
    page_sizes_pt: list[tuple[float, float]]
    warnings: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return len(self.page_sizes_pt)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_FONT_CONFIG = None


class ImageCache(dict):
    """One document's view of the images a build has read: WeasyPrint's `cache` option.

    Every target and language of a layout shows the same photos; WeasyPrint would read and open
    each again for each document. Raster images are shared through `images` (a dict the builder
    keeps for one build, so a file changed between builds is read again); what a document may
    take from it is decided by its own fetcher, which also counts the file as used, so the
    output's fingerprint knows it. Failures and SVG images (which keep their document's fetcher
    and layout context) stay with the document that loaded them.
    """

    def __init__(self, images: dict, fetcher, options: dict | None = None) -> None:
        super().__init__()
        self.images = images
        self.fetcher = fetcher
        # An image is made for the options it was loaded with (resolution, JPEG quality):
        # documents share only with documents asking for the same.
        options = options or {}
        self.kind = tuple(options.get(name) for name in IMAGE_OPTIONS)

    def __contains__(self, key: object) -> bool:
        if super().__contains__(key):
            return True
        return (self.kind, key) in self.images and self.fetcher.reuse(str(key))

    def __getitem__(self, key):
        if super().__contains__(key):
            return super().__getitem__(key)
        return self.images[self.kind, key]

    def __setitem__(self, key, value) -> None:
        from weasyprint.images import RasterImage

        if isinstance(value, RasterImage | bytes):  # bytes: an image's data, under its own key
            self.images[self.kind, key] = value
        else:
            super().__setitem__(key, value)


# WeasyPrint's options that change how it loads an image.
IMAGE_OPTIONS = ("dpi", "jpeg_quality", "optimize_images")


def font_configuration(scratch: Path | None = None):
    """One FontConfiguration per process (and scratch folder): WeasyPrint reuses it, and with
    it the loaded fonts.

    WeasyPrint copies every @font-face file it loads into a folder of its own, by default a new
    one in the system's temporary folder per process, removed only if the configuration is
    collected before Python exits: every build left a copy of its fonts there (265 MB with the
    CJK faces), outside the workspace. Here the folder is made in `scratch` (the output
    folder's cache), named after this process so that a later build removes it when a killed
    build left it (write.remove_stale_folders), and removed when this process ends. A process
    builds into one output folder; one that builds into several (a test run) keeps them in the
    first one's, so that it does not load every font again for each."""
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        import multiprocessing.util
        import shutil
        import tempfile

        from weasyprint.text.fonts import FontConfiguration

        config = FontConfiguration()
        if scratch is not None:
            scratch.mkdir(parents=True, exist_ok=True)
        folder = tempfile.mkdtemp(prefix=f"{os.getpid()}-fonts-", dir=scratch)
        config._folder = Path(folder)  # where WeasyPrint 70 keeps them (fonts.py)
        # At the end of this process, a worker's too (multiprocessing runs these as it exits),
        # or when the configuration is collected, whichever comes first.
        multiprocessing.util.Finalize(
            config, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, exitpriority=0
        )
        _FONT_CONFIG = config
    return _FONT_CONFIG


# Path data a memo may replay: plain numbers and path letters, no unit or percentage, so that
# drawing it does not depend on the SVG's size or font.
_PLAIN_PATH = re.compile(r"[MmLlHhVvZz0-9 .,\-]*")
# Drawn paths kept per process, by their data (a QR code's is some 10 kB).
_PATH_MEMO_SIZE = 64


class _Recorder:
    """Stands for a content stream while a path is drawn: passes each call on, and keeps it."""

    def __init__(self, stream: Any) -> None:
        self._target = stream
        self.calls: list[tuple[str, tuple, dict]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._target, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args, kwargs))
            return method(*args, **kwargs)

        return call


def _memoize_svg_paths() -> None:
    """Draw each SVG path's data once per process, then replay its drawing calls: WeasyPrint
    parses a path's numbers each time it draws it, and the QR code is drawn on every page of
    every output with the same data (20-70 ms a page, a fifth of an A3 display's drawing).
    The replayed calls are the ones the parse made, so the PDF is the same byte for byte."""
    from weasyprint import svg

    drawn = svg.TAGS.get("path")
    if drawn is None or getattr(drawn, "memoized", False):
        return
    # Calls, vertices added, and the exception the drawing ended with (its type and args).
    memo: dict[tuple, tuple[list, list, tuple | None]] = {}

    def path(svg_: Any, node: Any, font_size: float) -> None:
        data = node.get("d", "")
        if not _PLAIN_PATH.fullmatch(data):
            drawn(svg_, node, font_size)
            return
        key = (data, font_size)
        if key not in memo:
            stream, before = svg_.stream, len(node.vertices)
            svg_.stream = recorder = _Recorder(stream)
            try:
                drawn(svg_, node, font_size)
            except Exception as exc:  # WeasyPrint ends a path's numbers with PointError
                ended = (type(exc), exc.args)
                memo[key] = (recorder.calls, list(node.vertices)[before:], ended)
                raise
            else:
                memo[key] = (recorder.calls, list(node.vertices)[before:], None)
            finally:
                svg_.stream = stream
                if len(memo) > _PATH_MEMO_SIZE:
                    memo.pop(next(iter(memo)))
            return
        calls, vertices, ended = memo[key]
        for name, args, kwargs in calls:
            getattr(svg_.stream, name)(*args, **kwargs)
        node.vertices.extend(vertices)
        if ended is not None:
            raise ended[0](*ended[1])

    path.memoized = True  # type: ignore[attr-defined]
    svg.TAGS["path"] = path


# Info keys a leaflet keeps: its title, and what PDF/X requires (which says nothing of its maker).
KEPT_INFO_KEYS = {"Title", "Trapped", "GTS_PDFXVersion", "GTS_PDFXConformance"}
# PDF/X and PDF/A require dates; without SOURCE_DATE_EPOCH they get this one, which tells nothing.
NEUTRAL_DATE = 0
_XMP_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-fA-F-]{36}")
_XMP_DROPPED = [
    re.compile(rb'\s*pdf:Producer="[^"]*"'),
    re.compile(
        rb"<rdf:Description[^>]*>\s*<xmp:CreatorTool>.*?</xmp:CreatorTool>\s*</rdf:Description>",
        re.S,
    ),
    re.compile(
        rb"<rdf:Description[^>]*>\s*<dc:creator>.*?</dc:creator>\s*</rdf:Description>", re.S
    ),
]


def source_date() -> datetime | None:
    """The time SOURCE_DATE_EPOCH fixes (reproducible-builds.org), or None when it is unset."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise RenderError(
            f"SOURCE_DATE_EPOCH is '{value}'; expected whole seconds since 1970-01-01 UTC"
        ) from None


def neutral_metadata(document, variant: str | None = None) -> None:
    """Before writing: no author, generator or keywords; dates from SOURCE_DATE_EPOCH or none.

    PDF/X and PDF/A need dates; WeasyPrint would stamp the current time, so they get
    SOURCE_DATE_EPOCH or the epoch itself.
    """
    metadata = document.metadata
    metadata.authors = []
    metadata.generator = None
    metadata.keywords = []
    metadata.description = None
    when = source_date()
    if when is None and variant:
        when = datetime.fromtimestamp(NEUTRAL_DATE, tz=UTC)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S+00:00") if when else None
    metadata.created = stamp
    metadata.modified = stamp


def _strip_identifying_metadata(document, pdf) -> None:
    # WeasyPrint stamps its name and version as Producer; a leaflet should not say what made it.
    for key in list(pdf.info):
        if key not in KEPT_INFO_KEYS and not (
            key in ("CreationDate", "ModDate") and document.metadata.created
        ):
            pdf.info.pop(key, None)
    _neutral_xmp(pdf)


def _neutral_xmp(pdf) -> None:
    """XMP says no more than the info dictionary, and its document ID comes from the content."""
    for obj in pdf.objects:
        extra = getattr(obj, "extra", None)
        if not extra or extra.get("Type") != "/Metadata":
            continue
        xmp = b"".join(
            part if isinstance(part, bytes) else str(part).encode() for part in obj.stream
        )
        for pattern in _XMP_DROPPED:
            xmp = pattern.sub(b"", xmp)
        # WeasyPrint writes a random uuid4 here for PDF/X-4; a hash of the pages is as unique
        # for a different document and identical for the same one.
        pages = hashlib.sha256()
        for other in pdf.objects[1:]:  # the first is pydyf's free-list head, without data
            if other is not obj:
                # Uncompressed: the same content, without compressing every stream (photos and
                # fonts included) a second time just to hash it.
                compress = getattr(other, "compress", False)
                if compress:
                    other.compress = False
                try:
                    pages.update(other.data)
                finally:
                    if compress:
                        other.compress = True
        digest = pages.hexdigest()
        uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
        xmp = _XMP_DOCUMENT_ID.sub(f"xmp.did:{uuid}".encode(), xmp)
        obj.stream = [xmp]


@dataclass
class LaidOut:
    """A document WeasyPrint has laid out into pages, not yet written as PDF."""

    document: Any  # weasyprint.document.Document
    warnings: list[str] = field(default_factory=list)

    @property
    def page_sizes_pt(self) -> list[tuple[float, float]]:
        return [(page.width * PX_TO_PT, page.height * PX_TO_PT) for page in self.document.pages]

    @property
    def pages(self) -> int:
        return len(self.document.pages)


def parse_html(html: str, base_url: str, fetcher):
    """The parsed HTML, kept so that copy-fitting lays it out again without parsing it again."""
    from weasyprint import HTML

    # WeasyPrint asks pyphen for a dictionary per `lang`; ours must be known before it asks.
    hyphenation.register()
    stylecache.install()
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher)


@contextmanager
def _weasyprint_errors(what: str) -> Iterator[list[str]]:
    """Collect WeasyPrint's warnings; turn its plain exceptions into a RenderError naming `what`."""
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        yield collector.messages
    except (RenderError, ResourceError):
        raise
    except Exception as exc:  # WeasyPrint raises plain exceptions on malformed layouts
        raise RenderError(f"{what}: WeasyPrint failed: {type(exc).__name__}: {exc}") from exc
    finally:
        logger.removeHandler(collector)


def lay_out(
    parsed,
    fetcher,
    what: str,
    extra_css: str = "",
    *,
    color_profiles: dict | None = None,
    options: dict | None = None,
    images: dict | None = None,
    scratch: Path | None = None,
) -> LaidOut:
    """Lay out parsed HTML into pages; `extra_css` (e.g. a fit scale) is added as a stylesheet.

    `color_profiles` and `options` (e.g. `pdf_variant`) go to WeasyPrint as they are; print
    targets use them for PDF/X and its output intent. `images` is the build's image cache
    (see ImageCache); without it the document reads its own. `scratch` is where WeasyPrint's
    copies of the fonts are kept while this process runs (font_configuration); without it, in
    the system's temporary folder.
    """
    from weasyprint import CSS

    with _weasyprint_errors(what) as messages:
        sheets = [CSS(string=extra_css)] if extra_css else []
        document = parsed.render(
            font_config=font_configuration(scratch),
            stylesheets=sheets,
            color_profiles=color_profiles,
            cache=ImageCache(images, fetcher, options) if images is not None else None,
            **(options or {}),
        )
        refused = fetcher.refused()
        root = fetcher.dirs[0] if fetcher.dirs else None
        broken = broken_images(messages, root, {url for url, _ in fetcher.failures})
        if refused or broken:
            raise ResourceError(
                problems=[
                    *(
                        ResourceError(f"resource {url} refused: {why}").first
                        for url, why in refused
                    ),
                    *broken,
                ]
            )
        links = refused_links(document)
        if links:
            raise ResourceError(problems=[ResourceError(f"{what}: {why}").first for why in links])
    return LaidOut(document, [m for m in messages if "refused" not in m])


def first_page_pdf(laid_out: LaidOut, what: str, options: dict | None = None) -> bytes:
    """The first page alone, written as write_pdf writes it: a preview that cannot wait."""
    first = LaidOut(laid_out.document.copy(laid_out.document.pages[:1]), laid_out.warnings)
    # Read back at once on this machine: compressing it would only cost time.
    return write_pdf(first, what, {**(options or {}), "uncompressed_pdf": True}).data


def write_pdf(laid_out: LaidOut, what: str, options: dict | None = None) -> RenderedPdf:
    """PDF bytes that say nothing about their maker and are the same for the same input.

    Every writer of PDFs (print targets with a pdf_variant too) goes through here.
    """
    options = options or {}
    _memoize_svg_paths()
    with _weasyprint_errors(what) as messages:
        neutral_metadata(laid_out.document, options.get("pdf_variant"))
        data = laid_out.document.write_pdf(finisher=_strip_identifying_metadata, **options)
    warnings = laid_out.warnings + [m for m in messages if "refused" not in m]
    return RenderedPdf(data, laid_out.page_sizes_pt, warnings)

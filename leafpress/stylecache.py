"""Stylesheets parsed once a process: WeasyPrint parses every <link> and <style> for each layout pass, and copy-fitting and serve lay the same sheets out again and again."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Sheets kept: a few layouts' files and each page's @font-face block, in every target.
MAX_SHEETS = 256


@dataclass
class _Parsed:
    sheet: Any  # weasyprint.CSS
    # What parsing it fetched (the file, its @imports, its fonts), each with its signature.
    files: dict[Path, tuple[int, int, int] | None]
    counters: dict
    profiles: dict


_SHEETS: OrderedDict[tuple, _Parsed] = OrderedDict()
_real_find_stylesheets = None


def install() -> None:
    """Parse each stylesheet once for the process (WeasyPrint 70's find_stylesheets, wrapped).
    Safe to call any number of times."""
    global _real_find_stylesheets
    import weasyprint.css

    if _real_find_stylesheets is None:
        _real_find_stylesheets = weasyprint.css.find_stylesheets
        weasyprint.css.find_stylesheets = _find_stylesheets


def _find_stylesheets(*real_args: Any) -> Iterator[Any]:
    """As WeasyPrint's, but a sheet parsed before for another pass or document is given again.

    Only with leafpress's own fetcher, which tells the files each sheet read (they are counted
    as read by this document too, and must still be allowed to it). Each sheet gets its own
    list of @page rules: WeasyPrint shares one list among a document's sheets, which would carry
    one document's @page rules into another's. A document whose sheets use @layer, whose order
    spans sheets, is parsed as WeasyPrint does, and nothing of it is kept.
    """
    # WeasyPrint 70's arguments, in its order; the last two (the shared @page rules and
    # layers) are left to each sheet.
    wrapper_element, device_media_type, url_fetcher, base_url, font_config = real_args[:5]
    counter_style, color_profiles = real_args[5:7]
    reuse = getattr(url_fetcher, "reuse", None)
    if reuse is None or not isinstance(getattr(url_fetcher, "used", None), set):
        yield from _real_find_stylesheets(*real_args)
        return
    sheets, kept = [], []
    for key, make in _sources(wrapper_element, device_media_type, base_url, id(font_config)):
        parsed = _SHEETS.get(key)
        if parsed is not None and _unchanged(parsed) and all(map(reuse, _uris(parsed))):
            _SHEETS.move_to_end(key)
        else:
            parsed, keep = _parse(make, url_fetcher, font_config, counter_style, color_profiles)
            if parsed is None:
                continue  # not fetched: WeasyPrint logs it, and leafpress reports it
            if parsed.sheet.layers:
                yield from _real_find_stylesheets(*real_args)
                return
            if keep:
                kept.append((key, parsed))
        sheets.append(parsed)
    for key, parsed in kept:
        _SHEETS[key] = parsed
        while len(_SHEETS) > MAX_SHEETS:
            _SHEETS.popitem(last=False)
    for parsed in sheets:
        counter_style.update(parsed.counters)
        color_profiles.update(parsed.profiles)
        yield parsed.sheet


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def _unchanged(parsed: _Parsed) -> bool:
    """Whether every file the sheet was parsed from is as it was (a designer edits them while
    serve runs)."""
    return all(_signature(path) == signature for path, signature in parsed.files.items())


def _uris(parsed: _Parsed) -> Iterator[str]:
    return (path.as_uri() for path in parsed.files)


def _sources(wrapper_element, device_media_type, base_url, fonts: int) -> Iterator[tuple]:
    """(key, how to parse it) for each stylesheet of the document, in WeasyPrint's order."""
    from weasyprint.css import get_child_text, media_queries
    from weasyprint.html import element_has_link_type, parse_url

    for wrapper in wrapper_element.query_all("style", "link"):
        element = wrapper.etree_element
        mime_type = element.get("type", "text/css").split(";", 1)[0].strip()
        if mime_type != "text/css":
            continue
        media_attr = element.get("media", "").strip() or "all"
        media = [media_type.strip() for media_type in media_attr.split(",")]
        if not media_queries.evaluate_media_query(media, device_media_type):
            continue
        if element.tag == "style":
            content = get_child_text(element)
            key = ("style", content, base_url, device_media_type, fonts)
            yield key, {"string": content, "base_url": base_url, "media_type": device_media_type}
        elif element.tag == "link" and element.get("href"):
            if not element_has_link_type(element, "stylesheet") or element_has_link_type(
                element, "alternate"
            ):
                continue
            href = parse_url(element.get("href"), base_url)
            if href is not None:
                key = ("link", href, device_media_type, fonts)
                yield key, {"url": href, "_check_mime_type": True, "media_type": device_media_type}


def _parse(
    source: dict, url_fetcher, font_config, counter_style, color_profiles
) -> tuple[_Parsed | None, bool]:
    from weasyprint import CSS
    from weasyprint.logger import LOGGER
    from weasyprint.urls import URLFetchingError

    # What this sheet alone reads: the fetcher's record is swapped for the parse, then merged.
    earlier, failed = url_fetcher.used, len(getattr(url_fetcher, "failures", ()))
    counters, profiles = dict(counter_style), dict(color_profiles)
    url_fetcher.used = set()
    try:
        sheet = CSS(
            **source,
            url_fetcher=url_fetcher,
            font_config=font_config,
            counter_style=counter_style,
            color_profiles=color_profiles,
            page_rules=[],
            layers=[],
        )
    except URLFetchingError as exception:
        LOGGER.error("Failed to load stylesheet at %s: %s", source.get("url"), exception)
        return None, False
    finally:
        files = {path: _signature(path) for path in url_fetcher.used}
        url_fetcher.used = earlier | set(files)
    # Something it asked for was refused or missing: parsed again next time, so that each
    # document reports it.
    keep = len(getattr(url_fetcher, "failures", ())) == failed
    return _Parsed(
        sheet,
        files,
        {k: v for k, v in counter_style.items() if counters.get(k) is not v},
        {k: v for k, v in color_profiles.items() if profiles.get(k) is not v},
    ), keep

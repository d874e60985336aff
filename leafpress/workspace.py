"""The one rule for every path a campaign or layout names: inside the workspace, symlinks followed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Fonts may also come from where Debian and the administrator install them: fonts.toml names
# the packaged families by their absolute paths there.
SYSTEM_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))

# What a link in a PDF may lead to: a web page over TLS, an e-mail, a phone number. A `file:`
# or relative link names a folder of the person who made the PDF; `http:` tells the network.
LINK_SCHEMES = ("https", "mailto", "tel")


def within(path: Path, folders: Iterable[Path]) -> bool:
    """Whether `path`, with every symlink followed, lies in one of `folders` (resolved too)."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop resolves to nothing
        return False
    for folder in folders:
        try:
            folder = folder.resolve()
        except (OSError, RuntimeError):
            continue
        if resolved == folder or folder in resolved.parents:
            return True
    return False


def outside_workspace(path: Path, root: Path) -> str | None:
    """Why `path` may not be used, or None when it lies inside the workspace `root`."""
    if within(path, [root]):
        return None
    if path.is_symlink() or any(parent.is_symlink() for parent in path.parents):
        return "it is a symlink to a place outside the workspace; copy the file into the workspace"
    return "it lies outside the workspace; copy the file into the workspace and name it from there"


def outside_font_folders(path: Path, root: Path) -> str | None:
    """Why a font file may not be used, or None: fonts live in the workspace or a system folder."""
    if within(path, [root, *SYSTEM_FONT_DIRS]):
        return None
    folders = ", ".join(str(folder) for folder in SYSTEM_FONT_DIRS)
    return f"a font file must lie inside the workspace or a system font folder ({folders})"


def link_allowed(url: str) -> bool:
    """Whether a PDF may carry a link to `url`: https:, mailto: and tel: only."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:  # an unparsable URL (a broken IPv6 host, say) is no address to link to
        return False
    return scheme in LINK_SCHEMES


def refused_links(document: Any) -> list[str]:
    """What a laid-out WeasyPrint document would carry that a PDF may not: links other than
    https:, mailto: and tel:, and attachments (which embed a workspace file in the PDF)."""
    refused = []
    for number, page in enumerate(document.pages, start=1):
        for kind, target, _rectangle, _box in page.links:
            if kind == "attachment":
                refused.append(
                    f"page {number}: an attachment link to {target} refused: "
                    'a leaflet embeds no files (remove rel="attachment")'
                )
            elif kind == "external" and not link_allowed(str(target)):
                refused.append(
                    f"page {number}: link to {target} refused: a PDF links only to "
                    f"{', '.join(s + ':' for s in LINK_SCHEMES)} addresses; a relative or file: "
                    "link names a folder of this computer"
                )
    for attachment in getattr(document.metadata, "attachments", None) or []:
        named = attachment.description or attachment.name or "a file"
        refused.append(
            f"attachment '{named}' refused: a leaflet embeds no files "
            '(remove <link rel="attachment">)'
        )
    return refused

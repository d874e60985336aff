"""The one rule for every path a campaign or layout names: inside the workspace, symlinks followed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
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

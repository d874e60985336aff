"""Every file an output is made from, so a watcher (or a fingerprint) knows what a change touches."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .content import Campaign
from .errors import LeafpressError
from .fonts import load_manifest
from .layouts import LayoutLibrary


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p.resolve() for p in folder.rglob("*") if p.is_file())


def output_inputs(
    campaign: Campaign,
    lang: str,
    layout_name: str,
    root: Path,
    library: LayoutLibrary | None = None,
) -> set[Path]:
    """The files one output (a campaign in one language through one layout) is made from.

    campaign.toml, the language file, layouts/labels.toml, every file of the layout's folder and
    of each layout it extends, layouts/_shared, fonts/fonts.toml with the font files the layout
    names, and the campaign's photos when the layout prints them. A file that cannot be read yet
    (a broken layout or font manifest) still counts, so fixing it rebuilds the output. Pass the
    `library` of a build to reuse the layouts it has loaded.
    """
    root = root.resolve()
    found: set[Path] = {
        (campaign.folder / "campaign.toml").resolve(),
        campaign.language_file(lang).resolve(),
        (root / "layouts" / "labels.toml").resolve(),
        (root / "fonts" / "fonts.toml").resolve(),
    }
    found.update(_files_under(root / "layouts" / "_shared"))
    library = library or LayoutLibrary(root)
    try:
        layout = library.get(layout_name)
    except LeafpressError:
        # The layout does not load, so its chain is unknown: every layout folder may matter.
        found.update(_files_under(root / "layouts"))
        return found
    for folder in layout.chain:
        found.update(_files_under(folder))
    found.update(p.resolve() for p in layout.stylesheet_paths)
    try:
        manifest = load_manifest(root)
        for name in layout.fonts:
            family = manifest.families.get(name)
            if family:
                found.update(Path(f).resolve() for f in family.files.values())
    except LeafpressError:
        pass
    if "photos" in layout.requires:
        found.update(p.file.resolve() for p in campaign.photos)
    return found


def is_affected(inputs: set[Path], changed: Iterable[Path]) -> bool:
    """Whether any changed path is one of the inputs, or a folder that holds one."""
    for path in changed:
        path = path.resolve()
        if path in inputs or any(path in p.parents for p in inputs):
            return True
    return False

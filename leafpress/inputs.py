"""Every file an output is made from, so a watcher (or a fingerprint) knows what a change touches."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .content import Campaign
from .errors import LeafpressError
from .fonts import FontManifest, load_manifest
from .layouts import LayoutLibrary


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # Resolving the folder once gives resolved paths below it; only links need their own.
    return sorted(
        p.resolve() if p.is_symlink() else p for p in folder.resolve().rglob("*") if p.is_file()
    )


def layout_inputs(
    layout_name: str,
    root: Path,
    library: LayoutLibrary | None = None,
    manifest: FontManifest | None = None,
) -> set[Path]:
    """The files any output through one layout is made from, whatever its campaign or language.

    layouts/labels.toml, every file of the layout's folder and of each layout it extends,
    layouts/_shared, and fonts/fonts.toml with the font files the layout names. A file that cannot
    be read yet (a broken layout or font manifest) still counts, so fixing it rebuilds the output.
    """
    root = root.resolve()
    found: set[Path] = {
        root / "layouts" / "labels.toml",
        root / "fonts" / "fonts.toml",
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
        manifest = manifest or load_manifest(root)
        for name in layout.fonts:
            family = manifest.families.get(name)
            if family:
                found.update(Path(f).resolve() for f in family.files.values())
    except LeafpressError:
        pass
    return found


def campaign_inputs(campaign: Campaign, lang: str, with_photos: bool) -> set[Path]:
    """campaign.toml, the language file (and, for a generated language such as kk-Latn, the file
    it is made from), and the campaign's photos when the layout prints them."""
    found = {
        (campaign.folder / "campaign.toml").resolve(),
        campaign.language_file(lang).resolve(),
    }
    source = campaign.generated.get(lang)
    if source:
        found.add(campaign.language_file(source).resolve())
    if with_photos:
        found.update(p.file.resolve() for p in campaign.photos)
    return found


def output_inputs(
    campaign: Campaign,
    lang: str,
    layout_name: str,
    root: Path,
    library: LayoutLibrary | None = None,
) -> set[Path]:
    """The files one output (a campaign in one language through one layout) is made from:
    `layout_inputs` and `campaign_inputs` together. Files a layout reaches by itself (a logo
    in assets/ named in its CSS) are known only once it has rendered: see OutputResult.resources.
    Pass the `library` of a build to reuse the layouts it has loaded."""
    library = library or LayoutLibrary(root.resolve())
    return layout_inputs(layout_name, root, library) | campaign_inputs(
        campaign, lang, prints_photos(library, layout_name)
    )


def prints_photos(library: LayoutLibrary, layout_name: str) -> bool:
    """Whether the layout prints the campaign's photos (False when it does not load)."""
    try:
        return "photos" in library.get(layout_name).requires
    except LeafpressError:
        return False


def is_affected(inputs: set[Path], changed: Iterable[Path]) -> bool:
    """Whether any changed path is one of the inputs, or a folder that holds one."""
    for path in changed:
        path = path.resolve()
        if path in inputs or any(path in p.parents for p in inputs):
            return True
    return False

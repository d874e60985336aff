"""The font manifest fonts/fonts.toml: families a layout may name, turned into @font-face rules."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from . import reads
from .errors import FontError, LayoutError, did_you_mean
from .schema import Field, load_toml

STYLES = {
    # style key -> (font-weight, font-style)
    "regular": ("400", "normal"),
    "italic": ("400", "italic"),
    "bold": ("700", "normal"),
    "bold-italic": ("700", "italic"),
}

FAMILY_FIELDS = [
    Field("source", "str", "Where the files come from: a Debian package, a foundry, a URL."),
    Field("license", "str", "The font's licence."),
    Field("files", "table", "Style -> file: regular, italic, bold, bold-italic.", required=True),
]


@dataclass(frozen=True)
class FontFamily:
    name: str
    source: str
    files: dict[str, Path]


# The first four bytes of the font files WeasyPrint can use: TrueType, OpenType (CFF), old
# Apple TrueType, a collection, WOFF and WOFF2.
FONT_MAGIC = {b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2"}


@functools.lru_cache(maxsize=256)
def font_damage(path: str, size: int, mtime_ns: int) -> str | None:
    """What is wrong with a font file, or None: its signature and table directory are read
    (not its glyphs), once per file version."""
    with open(path, "rb") as handle:
        magic = handle.read(4)
    if magic not in FONT_MAGIC:
        return "it is not a TrueType, OpenType or WOFF font"
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            font.getBestCmap()
    except (TTLibError, OSError, ValueError, AssertionError, KeyError, EOFError) as exc:
        return f"it is damaged ({exc})"
    return None


@dataclass(frozen=True)
class FontManifest:
    path: Path
    families: dict[str, FontFamily]

    def family(self, name: str, wanted_by: Path) -> FontFamily:
        try:
            return self.families[name]
        except KeyError:
            raise LayoutError(
                f"font family '{name}' is not in fonts/fonts.toml{did_you_mean(name, self.families)}; "
                f"known families: {', '.join(self.families)}",
                file=wanted_by,
                key="fonts",
            ) from None

    def font_face_css(self, names: list[str], wanted_by: Path) -> str:
        """@font-face rules for the named families; every file must exist."""
        reads.record(self.path)
        rules = []
        for name in names:
            family = self.family(name, wanted_by)
            for style, path in family.files.items():
                # Read here by name; WeasyPrint loads a font file once per process, so a later
                # output's own fetches would not show it.
                reads.record(path)
                if not path.is_file():
                    hint = f" (from {family.source})" if family.source else ""
                    raise FontError(
                        f"font file {path} not found{hint}; run the set-up again or fix the path",
                        file=self.path,
                        key=f"families.{name}.files.{style}",
                    )
                stat = path.stat()
                damage = font_damage(str(path), stat.st_size, stat.st_mtime_ns)
                if damage:
                    # Pango would fall back to another font without a word, slowly.
                    raise FontError(
                        f"font file {path} cannot be used: {damage}; replace it or fix the path",
                        file=self.path,
                        key=f"families.{name}.files.{style}",
                    )
                weight, slant = STYLES[style]
                rules.append(
                    "@font-face { "
                    f"font-family: {_css_string(name)}; src: url({_css_string(path.as_uri())}); "
                    f"font-weight: {weight}; font-style: {slant}; }}"
                )
        return "\n".join(rules)

    def all_files(self) -> list[Path]:
        return [p for family in self.families.values() for p in family.files.values()]


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_manifest(root: Path) -> FontManifest:
    """Read fonts/fonts.toml; paths are absolute or relative to the fonts/ folder."""
    folder = root / "fonts"
    path = folder / "fonts.toml"
    doc = load_toml(path, FontError, Path("fonts/fonts.toml"))
    problems = doc.check(doc.data, [Field("families", "table", "Font families.", required=True)])
    families: dict[str, FontFamily] = {}
    table = doc.data.get("families")
    # A `families` of the wrong kind is among the problems already; its entries cannot be read.
    for name, entry in (table if isinstance(table, dict) else {}).items():
        prefix = f"families.{name}."
        found = doc.check(entry, FAMILY_FIELDS, prefix)
        problems += found
        if found:
            continue
        files: dict[str, Path] = {}
        if not isinstance(entry.get("files"), dict):
            continue  # FAMILY_FIELDS says what is wrong with it
        for style, file in entry["files"].items():
            key = f"{prefix}files.{style}"
            if style not in STYLES:
                problems.append(
                    doc.problem(
                        key,
                        f"unknown style '{style}'{did_you_mean(style, STYLES)}; "
                        f"expected one of {', '.join(STYLES)}",
                    )
                )
            elif not isinstance(file, str):
                problems.append(doc.problem(key, "expected a file path"))
            else:
                files[style] = (folder / file).resolve()
        if "regular" not in entry["files"]:
            problems.append(doc.problem(f"{prefix}files", "expected at least a 'regular' file"))
        families[name] = FontFamily(name, entry.get("source", ""), files)
    if problems:
        raise FontError(problems=problems)
    return FontManifest(path, families)

"""The font manifest fonts/fonts.toml: families a layout may name, turned into @font-face rules."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import reads
from .errors import FontError, LayoutError, did_you_mean
from .schema import Field, load_toml
from .scripts import FALLBACK_SCRIPTS, fallback_key, script_name
from .workspace import outside_font_folders, outside_workspace
from .write import write_atomic

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
    Field("index", "int", "The face's number in a font collection (.ttc); 0 by default."),
]
# A style a fallback family lacks is set in the nearest it has: weight first, since scripts
# without italics (Arabic, Chinese...) still have bold.
_NEAREST = {
    "regular": ("regular",),
    "italic": ("italic", "regular"),
    "bold": ("bold", "regular"),
    "bold-italic": ("bold-italic", "bold", "italic", "regular"),
}


@dataclass(frozen=True)
class FontFamily:
    name: str
    source: str
    files: dict[str, Path]
    index: int = 0

    def file_for(self, style: str) -> tuple[str, Path]:
        """The style this family sets `style` in, and its file."""
        chosen = next(s for s in _NEAREST[style] if s in self.files)
        return chosen, self.files[chosen]


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


#: In the face cache: the font files found sound, each by size and modification time (as a
#: build's records know fonts, incremental.py), so that a build does not read every style's
#: character map again to find it sound (some 4 ms a file).
SOUND_FONTS = "sound.json"


@functools.cache
def _sound_fonts(cache: Path) -> dict[str, list[int]]:
    try:
        sound = json.loads((cache / SOUND_FONTS).read_bytes())
    except (OSError, ValueError):
        return {}
    return sound if isinstance(sound, dict) else {}


@dataclass(frozen=True)
class FontManifest:
    path: Path
    families: dict[str, FontFamily]
    # Where faces cut out of collections are kept (face_file): the output folder's cache, so
    # that leafpress writes nothing in the user's home. load_manifest names the workspace's
    # out/; a build into another folder keeps them in its own (pipeline.Builder.fonts).
    face_cache: Path
    # ISO 15924 script (or Hans/Hant/Jpan/Kore) -> the family that sets text in it.
    fallbacks: dict[str, str] = field(default_factory=dict)

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
                # Pango would fall back to another font without a word, slowly.
                self._refuse_damaged(path, f"families.{name}.files.{style}")
                weight, slant = STYLES[style]
                rules.append(
                    "@font-face { "
                    f"font-family: {_css_string(name)}; src: url({_css_string(path.as_uri())}); "
                    f"font-weight: {weight}; font-style: {slant}; }}"
                )
        return "\n".join(rules)

    def coverage(self, names: list[str]) -> frozenset[int]:
        """The code points the named families' regular faces have glyphs for."""
        faces = []
        for name in names:
            family = self.families.get(name)
            path = family.files.get("regular") if family else None
            if path is not None and path.is_file():
                self._refuse_damaged(path, f"families.{name}.files.regular")
                faces.append((str(path), family.index))
        return _coverage(tuple(faces))

    def _refuse_damaged(self, path: Path, key: str) -> None:
        """A FontError naming the fonts.toml entry when the file is not a usable font."""
        stat = path.stat()
        version = [stat.st_size, stat.st_mtime_ns]
        sound = _sound_fonts(self.face_cache)
        if sound.get(str(path)) == version:
            return
        damage = font_damage(str(path), stat.st_size, stat.st_mtime_ns)
        if damage:
            raise FontError(
                f"font file {path} cannot be used: {damage}; replace it or fix the path",
                file=self.path,
                key=key,
            )
        sound[str(path)] = version
        with contextlib.suppress(OSError):  # a read-only output folder checks again next time
            write_atomic(self.face_cache / SOUND_FONTS, json.dumps(sound).encode())

    def fallbacks_for(self, text: str, names: list[str], lang: str) -> list[str]:
        """The fallback keys that set the characters of `text` the named families lack."""
        wanted = set(_ASCII.sub("", text))
        if not wanted:
            return []
        covered = self.coverage(names)
        keys: dict[str, None] = {}
        for char in sorted(wanted):
            if ord(char) in covered:
                continue
            key = fallback_key(char, lang)
            if key in self.fallbacks and key not in keys:
                family = self.families[self.fallbacks[key]]
                if ord(char) in self.coverage([family.name]):
                    keys[key] = None
        return list(keys)

    def fallback_css(self, keys: Sequence[str]) -> str:
        """@font-face rules for the fallbacks of `keys`, and `--script-fonts` naming them.

        Layouts end their font-family stacks with var(--script-fonts, ...), so text in a script
        their own families lack reaches its fallback, at the weight and style the text asks for.
        Each family keeps its own name: WeasyPrint tells a PDF's fonts apart by family, weight
        and style, so a fallback under a design family's name would be mistaken for it.
        """
        rules, names = [], []
        for key in keys:
            fallback = self.families[self.fallbacks[key]]
            if fallback.name in names:
                continue
            names.append(fallback.name)
            for style in STYLES:
                chosen, path = fallback.file_for(style)
                reads.record(path)
                if not path.is_file():
                    hint = f" (from {fallback.source})" if fallback.source else ""
                    raise FontError(
                        f"font file {path} not found{hint}; run the set-up again or fix the path",
                        file=self.path,
                        key=f"families.{fallback.name}.files.{chosen}",
                    )
                url = face_file(path, fallback.index, self.face_cache).as_uri()
                weight, slant = STYLES[style]
                rules.append(
                    "@font-face { "
                    f"font-family: {_css_string(fallback.name)}; src: url({_css_string(url)}); "
                    f"font-weight: {weight}; font-style: {slant}; }}"
                )
        stack = ", ".join(_css_string(name) for name in names)
        rules.append(f":root {{ --script-fonts: {stack}; }}")
        return "\n".join(rules)

    def face_files(self) -> list[Path]:
        """The single-face files made from collections (see face_file) that a PDF may load."""
        return [
            _face_path(p, family.index, self.face_cache)
            for family in self.families.values()
            for p in family.files.values()
            if p.is_file() and _face_path(p, family.index, self.face_cache) != p
        ]

    def all_files(self) -> list[Path]:
        return [p for family in self.families.values() for p in family.files.values()]


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Markup, the QR code's SVG and Latin text: every font has these, skip them before counting.
_ASCII = re.compile(r"[\x00-\x7f]+")


@functools.lru_cache(maxsize=64)
def _coverage(faces: tuple[tuple[str, int], ...]) -> frozenset[int]:
    # Every output of a layout asks for the same union: made once per process.
    return frozenset().union(*(font_cmap(path, index) for path, index in faces))


@functools.lru_cache(maxsize=64)
def font_cmap(path: str, index: int = 0) -> frozenset[int]:
    """The code points a font file (face `index` of a collection) has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=index) as font:
        return frozenset(font.getBestCmap() or {})


def _face_path(path: Path, index: int, cache: Path) -> Path:
    """Where face_file keeps face `index` of `path` in `cache`; `path` itself when it is a
    single font."""
    if index == 0 and path.suffix.lower() not in (".ttc", ".otc"):
        return path
    stat = path.stat()
    return cache / f"{path.stem}-{index}-{stat.st_size}-{int(stat.st_mtime)}.otf"


def face_file(path: Path, index: int, cache: Path) -> Path:
    """A file holding only face `index` of a font collection (.ttc), made once and kept in
    `cache` (a folder of the output's cache, never the user's home: what a campaign set in
    which script must not be left where the leaflets are not).

    WeasyPrint copies a font file for each document and registers every face in it under the
    family name it is given: one face of a 20 MB collection, alone, keeps that unambiguous.
    """
    target = _face_path(path, index, cache)
    if target == path or target.is_file():
        return target
    cache = target.parent
    from fontTools.ttLib import TTCollection

    with TTCollection(str(path), lazy=True) as collection:
        if index >= len(collection):
            raise FontError(
                f"font collection {path} has no face {index} (it has {len(collection)})"
            )
        buffer = io.BytesIO()
        collection[index].save(buffer)
        try:
            # Several workers may make it at once: each renames a whole file into place.
            write_atomic(target, buffer.getvalue())
        except OSError as exc:
            raise FontError(
                f"cannot keep face {index} of {path} in {cache}: {exc.strerror}; "
                "make sure the output folder is writable (or choose another with --out)"
            ) from None
    return target


def load_manifest(root: Path) -> FontManifest:
    """Read fonts/fonts.toml; paths are absolute or relative to the fonts/ folder."""
    folder = root / "fonts"
    path = folder / "fonts.toml"
    shown = Path("fonts/fonts.toml")
    if (path.is_symlink() or path.exists()) and (refused := outside_workspace(path, root)):
        raise FontError(refused, file=shown)
    doc = load_toml(path, FontError, shown)
    problems = doc.check(
        doc.data,
        [
            Field("families", "table", "Font families.", required=True),
            Field("fallbacks", "table", "Script -> the family that sets text the layout's lack."),
        ],
    )
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
            elif refused := outside_font_folders(folder / file, root):
                problems.append(doc.problem(key, f"'{file}': {refused}"))
            else:
                files[style] = (folder / file).resolve()
        if "regular" not in entry["files"]:
            problems.append(doc.problem(f"{prefix}files", "expected at least a 'regular' file"))
        families[name] = FontFamily(name, entry.get("source", ""), files, entry.get("index", 0))
    fallbacks = doc.data.get("fallbacks") or {}
    if not isinstance(fallbacks, dict):
        problems.append(doc.problem("fallbacks", 'expected a table: script = "Family"'))
        fallbacks = {}
    for key, name in fallbacks.items():
        if key not in FALLBACK_SCRIPTS:
            problems.append(
                doc.problem(
                    f"fallbacks.{key}",
                    f"unknown script '{key}'{did_you_mean(key, FALLBACK_SCRIPTS)}; expected one of "
                    + ", ".join(f"{k} ({script_name(k)})" for k in FALLBACK_SCRIPTS),
                )
            )
        elif name not in families:
            problems.append(
                doc.problem(
                    f"fallbacks.{key}",
                    f"family '{name}' is not declared under [families]"
                    f"{did_you_mean(str(name), families)}",
                )
            )
    if problems:
        raise FontError(problems=problems)
    return FontManifest(path, families, root / "out" / ".cache" / "fonts", dict(fallbacks))

"""Words the finishing steps print (tile labels, instructions) in an embedded, subset TrueType font."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

from ..errors import FontError


@dataclass(frozen=True)
class SheetWords:
    """What the finishing steps print on a sheet, in the output's language, and the font file
    they are set in (one of the layout's own, from fonts/fonts.toml)."""

    font: Path
    words: dict[str, str] = field(default_factory=dict)

    def say(self, key: str, default: str, **values: object) -> str:
        """The label `key` in the output's language (English if the language has none), with
        `{name}` placeholders filled in."""
        template = self.words.get(key) or default
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            raise FontError(
                f"the label '{key}' may only use the placeholders "
                f"{', '.join('{' + k + '}' for k in values)}; found {template!r}",
                key=f"labels.{key}",
            ) from None


class LabelFont:
    """A Type0 font (Identity-H) over a TrueType file, embedded once per PDF and subset to the
    characters drawn with it. Text is shown as glyph ids; a ToUnicode map keeps it searchable
    and extractable. Standard fonts such as Helvetica are never embedded, so a preflight flags
    them, and they have no Cyrillic: this is how a tile label says "астында: B2"."""

    def __init__(self, writer: PdfWriter, path: Path) -> None:
        from fontTools.ttLib import TTFont

        try:
            # recalcTimestamp=False: saving the subset must not write the time into the font, which
            # would make every build of the same tiles differ and date the file.
            self._font = TTFont(str(path), lazy=False, recalcTimestamp=False)
        except Exception as exc:  # fontTools raises many kinds for a bad file
            raise FontError(f"cannot read the label font {path}: {exc}") from None
        self._path = path
        self._name = _postscript_name(self._font)  # before subsetting drops the name table
        self._cmap = self._font.getBestCmap()
        self._scale = 1000 / self._font["head"].unitsPerEm
        self._used: dict[int, str] = {}  # glyph id -> the character it shows
        self._writer = writer
        self._dict = DictionaryObject()
        self.ref: IndirectObject = writer._add_object(self._dict)

    def show(self, words: str) -> str:
        """The string operand of `Tj` for `words`, as hex glyph ids."""
        gids = []
        for char in words:
            glyph = self._cmap.get(ord(char))  # a glyph name; its id is what a CID font shows
            if glyph is None:
                raise FontError(
                    f"the label font {self._path.name} has no {char!r} "
                    f"(U+{ord(char):04X}) for the words {words!r}"
                )
            gid = self._font.getGlyphID(glyph)
            self._used.setdefault(gid, char)
            gids.append(gid)
        return "<" + "".join(f"{g:04X}" for g in gids) + ">"

    def width(self, words: str, size: float) -> float:
        """How wide `words` are at `size` points, in points."""
        hmtx = self._font["hmtx"]
        units = sum(hmtx[self._cmap[ord(c)]][0] for c in words if ord(c) in self._cmap)
        return units * self._scale * size / 1000

    def wrap(self, words: str, size: float, width: float) -> list[str]:
        """`words` broken at spaces into lines no wider than `width` points."""
        lines: list[str] = []
        for word in words.split():
            if lines and self.width(f"{lines[-1]} {word}", size) <= width:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        return lines

    def finish(self) -> None:
        """Write the font dictionaries and the subset font file, now that every word is known."""
        from fontTools import subset

        options = subset.Options()
        options.retain_gids = True  # the ids already in the content streams stay valid
        options.notdef_outline = True
        options.name_IDs = []  # no names beyond what the font needs: nothing to leak
        options.layout_features = []
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in self._used.values()])
        font = self._font
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
        data = buffer.getvalue()

        file_stream = DecodedStreamObject()
        file_stream.set_data(data)
        file_stream[NameObject("/Length1")] = NumberObject(len(data))
        # A subset's name starts with six capitals and a plus (PDF 32000 9.6.4).
        name = NameObject("/LPRESS+" + self._name)
        hmtx = font["hmtx"]
        glyph_order = font.getGlyphOrder()
        widths = ArrayObject()
        for gid in sorted(self._used):
            advance = hmtx[glyph_order[gid]][0] if gid < len(glyph_order) else 0
            widths += [NumberObject(gid), ArrayObject([FloatObject(round(advance * self._scale))])]
        head, os2 = font["head"], font["OS/2"]
        bbox = [round(v * self._scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
        descriptor = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/FontDescriptor"),
                NameObject("/FontName"): name,
                NameObject("/Flags"): NumberObject(32),  # nonsymbolic
                NameObject("/FontBBox"): ArrayObject(NumberObject(v) for v in bbox),
                NameObject("/ItalicAngle"): NumberObject(0),
                NameObject("/Ascent"): NumberObject(round(os2.sTypoAscender * self._scale)),
                NameObject("/Descent"): NumberObject(round(os2.sTypoDescender * self._scale)),
                NameObject("/CapHeight"): NumberObject(
                    round(getattr(os2, "sCapHeight", os2.sTypoAscender) * self._scale)
                ),
                NameObject("/StemV"): NumberObject(80),
                NameObject("/FontFile2"): self._writer._add_object(file_stream),
            }
        )
        descendant = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/CIDFontType2"),
                NameObject("/BaseFont"): name,
                NameObject("/CIDSystemInfo"): DictionaryObject(
                    {
                        NameObject("/Registry"): _pdf_string("Adobe"),
                        NameObject("/Ordering"): _pdf_string("Identity"),
                        NameObject("/Supplement"): NumberObject(0),
                    }
                ),
                NameObject("/FontDescriptor"): self._writer._add_object(descriptor),
                NameObject("/W"): widths,
                NameObject("/CIDToGIDMap"): NameObject("/Identity"),
            }
        )
        to_unicode = DecodedStreamObject()
        to_unicode.set_data(_to_unicode_cmap(self._used))
        self._dict.update(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type0"),
                NameObject("/BaseFont"): name,
                NameObject("/Encoding"): NameObject("/Identity-H"),
                NameObject("/DescendantFonts"): ArrayObject([self._writer._add_object(descendant)]),
                NameObject("/ToUnicode"): self._writer._add_object(to_unicode),
            }
        )


def _postscript_name(font) -> str:
    name = font["name"].getDebugName(6) if "name" in font else None
    return (name or "Label").replace(" ", "")


def _pdf_string(value: str):
    from pypdf.generic import TextStringObject

    return TextStringObject(value)


def _to_unicode_cmap(used: dict[int, str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    items = sorted(used.items())
    for start in range(0, len(items), 100):
        chunk = items[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for gid, char in chunk:
            utf16 = char.encode("utf-16-be").hex().upper()
            lines.append(f"<{gid:04X}> <{utf16}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(lines) + "\n").encode("ascii")

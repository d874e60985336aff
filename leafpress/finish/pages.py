"""Low-level PDF pieces the finishing steps share: pages as form XObjects, new sheets, drawing."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

MM = 72 / 25.4  # points per millimetre


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def to_bytes(writer: PdfWriter, source: PdfReader | None = None) -> bytes:
    """The finished PDF; like render.py, it does not name the program that made it, and it keeps
    the title and language of the `source` it was made from (readers and screen readers use them)."""
    for page in writer.pages:
        page.compress_content_streams()
    if source is not None:
        if "/Lang" in source.root_object:
            writer.root_object[NameObject("/Lang")] = TextStringObject(source.root_object["/Lang"])
        title = (source.metadata or {}).get("/Title")
        if title:
            writer.add_metadata({"/Title": title})
    if writer._info is not None:
        writer._info.get_object().pop("/Producer", None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def page_as_form(
    writer: PdfWriter, page
) -> tuple[IndirectObject, tuple[float, float, float, float]]:
    """A page as a form XObject in `writer`: drawn once, placed as often as needed, still vector.

    The returned box is the page's MediaBox; the form's coordinates are the page's own.
    """
    box = tuple(float(v) for v in page.mediabox)
    form = DecodedStreamObject()
    contents = page.get_contents()  # a stream without keys is falsy: compare with None
    form.set_data(contents.get_data() if contents is not None else b"")
    resources = page.get("/Resources")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in box),
            NameObject("/Resources"): resources.get_object().clone(writer)
            if resources is not None
            else DictionaryObject(),
        }
    )
    if "/Group" in page:
        form[NameObject("/Group")] = page["/Group"].get_object().clone(writer)
    return writer._add_object(form), box


def new_sheet(
    writer: PdfWriter,
    width: float,
    height: float,
    forms: dict[str, IndirectObject],
    content: bytes,
    font: IndirectObject | None = None,
):
    """A blank sheet with the given forms as resources and `content` as its drawing; `font`
    (a LabelFont's) is the /Lbl that `text` draws with. A sheet without words names no font:
    a font named and not embedded is what a preflight flags."""
    sheet = writer.add_blank_page(width, height)
    xobjects = DictionaryObject({NameObject(f"/{k}"): v for k, v in forms.items()})
    resources = DictionaryObject({NameObject("/XObject"): xobjects})
    if font is not None:
        resources[NameObject("/Font")] = DictionaryObject({NameObject("/Lbl"): font})
    sheet[NameObject("/Resources")] = resources
    stream = DecodedStreamObject()
    stream.set_data(content)
    sheet[NameObject("/Contents")] = writer._add_object(stream)
    return sheet


def num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def place(
    name: str, matrix: tuple[float, ...], clip: tuple[float, float, float, float] | None = None
) -> bytes:
    """Draw form `name` with `matrix` (a b c d e f), clipped to a sheet rectangle (x, y, w, h)."""
    ops = ["q"]
    if clip is not None:
        ops.append(" ".join(num(v) for v in clip) + " re W n")
    ops.append(" ".join(num(v) for v in matrix) + " cm")
    ops.append(f"/{name} Do")
    ops.append("Q")
    return ("\n".join(ops) + "\n").encode()


def line(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"{num(x0)} {num(y0)} m {num(x1)} {num(y1)} l S"


def text(x: float, y: float, size: float, words: str, font) -> str:
    """`words` drawn at x, y in `font` (a LabelFont, the sheet's /Lbl)."""
    return f"BT /Lbl {num(size)} Tf {num(x)} {num(y)} Td {font.show(words)} Tj ET"

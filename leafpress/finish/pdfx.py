"""PDF/X housekeeping after finishing: the XMP metadata keeps no trace of the program."""

from __future__ import annotations

import re

from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject

# WeasyPrint writes its name into the PDF/X XMP packet as well as the Info dictionary; render.py
# strips the latter, this the former. A leaflet should not say what made it.
_PRODUCER = re.compile(rb'<rdf:Description rdf:about="" pdf:Producer="[^"]*"\s*/>')
_CREATOR_TOOL = re.compile(rb"<xmp:CreatorTool>[^<]*</xmp:CreatorTool>")


def strip_xmp_maker(writer: PdfWriter) -> None:
    """Remove the producer and creator tool from the document's XMP metadata, if any."""
    root = writer._root_object
    if "/Metadata" not in root:
        return
    stream = root["/Metadata"].get_object()
    if not isinstance(stream, StreamObject):
        return
    data = stream.get_data()
    cleaned = _CREATOR_TOOL.sub(b"", _PRODUCER.sub(b"", data))
    if cleaned != data:
        stream.set_data(cleaned)
        # PDF/X-4 wants the metadata readable without a filter.
        stream.pop(NameObject("/Filter"), None)

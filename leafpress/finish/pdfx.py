"""PDF/X housekeeping after finishing: the header's version, XMP that agrees with Info, no maker."""

from __future__ import annotations

import re

from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject

# WeasyPrint writes its name into the PDF/X XMP packet as well as the Info dictionary; render.py
# strips the latter, this the former. A leaflet should not say what made it.
_PRODUCER = re.compile(rb'<rdf:Description rdf:about="" pdf:Producer="[^"]*"\s*/>')
_CREATOR_TOOL = re.compile(rb"<xmp:CreatorTool>[^<]*</xmp:CreatorTool>")
# WeasyPrint also writes pdfx:GTS_PDFXVersion and pdfx:GTS_PDFXConformance. In XMP the pdfx:
# schema mirrors custom entries of the Info dictionary, which has neither, so a preflight reports
# the two out of sync; and GTS_PDFXConformance belongs to PDF/X-1a and X-3, not X-4. PDF/X-4 is
# identified by pdfxid:GTS_PDFXVersion alone, which stays.
_PDFX_MIRRORS = re.compile(rb"<pdfx:(GTS_PDFXVersion|GTS_PDFXConformance)>[^<]*</pdfx:\1>")
_EMPTY_DESCRIPTION = re.compile(rb'<rdf:Description rdf:about=""\s*/>')
# PDF/X-4 is based on PDF 1.6 (ISO 15930-7); pypdf writes 1.3 unless told.
PDFX4_HEADER = "%PDF-1.6"


def strip_xmp_maker(writer: PdfWriter) -> None:
    """Remove the producer and creator tool from the document's XMP metadata, if any, and the
    pdfx: entries the Info dictionary does not carry; a PDF/X file gets the PDF 1.6 header."""
    root = writer._root_object
    header = writer.pdf_header
    header = header.decode() if isinstance(header, bytes) else header
    if "/OutputIntents" in root and header < PDFX4_HEADER:
        writer.pdf_header = PDFX4_HEADER
    if "/Metadata" not in root:
        return
    stream = root["/Metadata"].get_object()
    if not isinstance(stream, StreamObject):
        return
    data = stream.get_data()
    cleaned = _CREATOR_TOOL.sub(b"", _PRODUCER.sub(b"", data))
    cleaned = _EMPTY_DESCRIPTION.sub(b"", _PDFX_MIRRORS.sub(b"", cleaned))
    if cleaned != data:
        stream.set_data(cleaned)
        # PDF/X-4 wants the metadata readable without a filter.
        stream.pop(NameObject("/Filter"), None)

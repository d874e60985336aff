"""Draw docs/sample.png for the README: the sample leaflet in every language, side by side."""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
PAGE_WIDTH_PX = 420
GAP_PX = 24


def main(out: Path = REPO / "out") -> None:
    pages = []
    for lang in ("kk", "ru", "en"):
        pdf = pdfium.PdfDocument(str(out / "shanyrak" / lang / "leaflet-a5.pdf"))
        page = pdf[0]
        pages.append(page.render(scale=PAGE_WIDTH_PX / page.get_width()).to_pil().convert("RGB"))
    height = max(p.height for p in pages)
    sheet = Image.new(
        "RGB", (GAP_PX + len(pages) * (PAGE_WIDTH_PX + GAP_PX), height + 2 * GAP_PX), "#d9d6cf"
    )
    for i, page in enumerate(pages):
        sheet.paste(page, (GAP_PX + i * (PAGE_WIDTH_PX + GAP_PX), GAP_PX))
    # A palette PNG keeps the picture small enough to commit.
    sheet.quantize(colors=128, dither=Image.Dither.NONE).save(
        REPO / "docs" / "sample.png", optimize=True
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "out")

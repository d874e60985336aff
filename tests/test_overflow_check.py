"""The stress corpus's overflow check sees the text it is meant to: inside inline-blocks too."""

from __future__ import annotations

from overflow import overflows
from weasyprint import HTML


def _found(html: str) -> list[str]:
    document = HTML(string=html).render()
    return overflows(document, document.write_pdf())


def test_text_running_out_of_an_inline_block_is_found():
    # The layouts' feet set their contacts and QR code side by side as inline-blocks.
    found = _found(
        '<div style="font-size: 0"><div style="display: inline-block; width: 20mm;'
        ' font-size: 12pt; white-space: nowrap">Averyveryverylongunbrokenline</div></div>'
    )
    assert len(found) == 1 and "runs out of its column" in found[0], found


def test_text_inside_an_inline_block_that_fits_is_not_reported():
    assert not _found(
        '<div style="font-size: 0"><div style="display: inline-block; width: 60mm;'
        ' font-size: 12pt">Short words that wrap in the column.</div></div>'
    )


def test_a_credit_placed_on_a_photo_inside_an_inline_block_is_not_reported():
    photo = (
        "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>"
        "<rect width='10' height='10'/></svg>"
    )
    assert not _found(
        '<div style="font-size: 0"><figure style="display: inline-block; position: relative;'
        f' margin: 0; font-size: 8pt"><img src="{photo}" style="display: block; width: 60mm;'
        ' height: 40mm"><p style="position: absolute; right: 0; bottom: 0; margin: 0">'
        "Photo: Archive</p></figure></div>"
    )

"""The plates check: print-shop outputs set no small type on more than one plate."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Finding
from . import OutputContext, output_check


@output_check
def check_plates(context: OutputContext) -> Iterable[Finding]:
    """Print-shop output: type under 12 pt on one plate (inks.py), or the register blurs it."""
    from ..inks import SMALL_TYPE_PT, small_multi_plate_text

    if context.job.target != "print-shop" or context.laid is None:
        return []
    found = []
    for (plates, size), words in small_multi_plate_text(context.laid.laid_out.document).items():
        sample = " ".join(words)[:40]
        found.append(
            context.finding(
                "plates",
                "warning",
                f"{size:g} pt type on {len(plates)} plates ({', '.join(plates)}), e.g. "
                f"{sample!r}: under {SMALL_TYPE_PT:g} pt it blurs when they are out of register; "
                "set it in one ink or in black (layouts/_shared/palette-cmyk.css)",
                file=str(context.layout.shown_as),
            )
        )
    return found

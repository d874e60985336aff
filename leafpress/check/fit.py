"""The fit and floors checks: what copy-fitting chose, and no text printed under its role's floor."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Finding
from . import OutputContext, output_check
from .glyphs import printed_strings


@output_check
def check_fit(context: OutputContext) -> Iterable[Finding]:
    """What copy-fitting found: the scale it chose, or how much too long the text is."""
    if context.laid is None:
        return []
    fitted = context.laid.fit
    pages = f"{fitted.budget} page{'s' if fitted.budget != 1 else ''}"
    if not fitted.fits:
        key = fitted.spec.field if fitted.spec else None
        message = fitted.too_long_message(context.job.layout, context.job.lang)
        if fitted.spec and not fitted.field_to_blame:
            # Even with no body at all the page would overflow: name the longest other field.
            lengths = {
                name: len(value)
                for name, value in printed_strings(context)
                if name != fitted.spec.field and not name.startswith(("labels.", "contact"))
            }
            if lengths:
                key = max(lengths, key=lengths.__getitem__)
                message = (
                    f"the page overflows by more than the whole {fitted.spec.field}: the text "
                    f"around it is too long for {context.job.layout} in {context.job.lang}; "
                    f"shorten {key} ({lengths[key]:,} characters)"
                )
        return [context.finding("fit", "error", message, file=str(context.text.shown_as), key=key)]
    size = (
        f", {fitted.spec.field} {fitted.text_pt:.1f} pt" if fitted.spec and fitted.text_pt else ""
    )
    if fitted.scale < 1:
        what = f"shrunk to {fitted.scale * 100:.0f} % to fit {pages}"
    elif fitted.scale > 1:
        what = f"grown to {fitted.scale * 100:.0f} % to fill {pages}"
    else:
        what = f"fits {pages} at 100 %"
    # Not how many passes it took: a fit kept on disk is replayed in one, and what `check`
    # says of a text must not depend on whether it was searched for before (`build -v` says).
    return [context.finding("fit", "ok", f"{what}{size}")]


@output_check
def check_floors(context: OutputContext) -> Iterable[Finding]:
    """Text printed under its role's floor (layout.toml's [floors]), measured from the glyphs."""
    from ..floors import describe, role_sizes
    from ..layoutconfig import floors_of

    floors = floors_of(context.layout)
    if context.laid is None or context.pdf is None or not floors:
        return []
    sizes = role_sizes(context.laid.laid_out.document, context.pdf, floors)
    found = [
        context.finding(
            "floors",
            "error",
            f"{s.floor.role} printed at {s.pt:.1f} pt on page {s.page + 1} (“{s.sample}”), under "
            f"its {s.floor.pt:g} pt floor",
            file=str(context.layout.shown_as),
            key=f"floors.{s.floor.role}",
        )
        for s in sizes
        if s.under
    ]
    return found or [context.finding("floors", "ok", describe(sizes, context.layout))]

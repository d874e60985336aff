"""The resources check: nothing a layout uses is missing or outside the workspace."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import ResourceError
from ..findings import Finding
from . import OutputContext, _str, output_check


@output_check
def check_resources(context: OutputContext) -> Iterable[Finding]:
    """Nothing the layout references is missing or outside the workspace."""
    if isinstance(context.error, ResourceError):
        return [
            context.finding(
                "resources", "error", p.message, file=_str(p.file), key=p.key, line=p.line
            )
            for p in context.error.problems
        ]
    if context.laid is None:
        return []
    return [
        context.finding("resources", "ok", "every file the layout uses is inside the workspace")
    ]

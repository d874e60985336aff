"""Sizes a layout asks for before it places things: the boxes its template marks `data-measure`,
measured in one layout pass and given back to the template as `measured`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

ATTRIBUTE = "data-measure"
MM_PER_PX = 25.4 / 96


def wants_measures(html: str) -> bool:
    """Whether a composed page marks boxes to be measured (its template reads `measured`)."""
    return f"{ATTRIBUTE}=" in html


def measures(document: Any) -> dict[str, dict[str, float]]:
    """Every marked box's width, height, top and bottom (from the top of the page's content
    box) in millimetres, by its mark, and the page's content box as `page`. A box that runs
    over several pages adds up its parts' heights and counts its `pages`: more than one says
    its content did not fit a page."""
    found: dict[str, dict[str, float]] = {}
    for page in document.pages:
        page_box = page._page_box
        found.setdefault(
            "page",
            {"width": page_box.width * MM_PER_PX, "height": page_box.height * MM_PER_PX},
        )
        seen = set()
        top = page_box.content_box_y()
        for name, box in _marked(page_box):
            if name not in found:
                found[name] = {
                    "width": box.border_width() * MM_PER_PX,
                    "height": 0.0,
                    "pages": 0,
                    # From the top of the page's content box, on the first page it is on.
                    "top": (box.border_box_y() - top) * MM_PER_PX,
                    "bottom": (box.border_box_y() + box.border_height() - top) * MM_PER_PX,
                }
            entry = found[name]
            entry["height"] += box.border_height() * MM_PER_PX
            if name not in seen:
                entry["pages"] += 1
                seen.add(name)
    return found


def _marked(box: Any, within: Any = None) -> Iterator[tuple[str, Any]]:
    """Marked boxes, outermost first; a box's anonymous boxes (the same element) only once."""
    element = getattr(box, "element", None)
    name = element.get(ATTRIBUTE) if element is not None else None
    pseudo = "::" in (getattr(box, "element_tag", "") or "")
    if name and element is not within and hasattr(box, "border_height") and not pseudo:
        yield name, box
        within = element
    for child in getattr(box, "children", None) or []:
        yield from _marked(child, within)

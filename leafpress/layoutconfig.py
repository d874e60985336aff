"""What layout.toml declares for copy-fitting and legibility, read into records when a layout loads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import LayoutError

if TYPE_CHECKING:
    from .layouts import Layout

# The legibility floor of leaflet body text, when the layout does not declare its own.
DEFAULT_FLOOR_PT = 8.0
# The selector of the floor role that covers every glyph of a page no other role claims.
WHOLE_PAGE = "*"


def simple_selector(selector: str, *, whole_page: bool = False) -> bool:
    """A tag, .class or #id: what fitting and floors match boxes by (and '*' for a floor)."""
    if whole_page and selector == WHOLE_PAGE:
        return True
    body = selector[1:] if selector[:1] in ".#" else selector
    return bool(body) and all(ch.isalnum() or ch in "-_" for ch in body)


@dataclass(frozen=True)
class LinesSpec:
    """What a layout's `fit_lines` says: an element (a headline) fitted first, to at most
    `max_lines` lines, never larger than its CSS size nor smaller than `min_scale` of it."""

    element: str
    max_lines: int
    min_scale: float


@dataclass(frozen=True)
class FitSpec:
    """What a layout's `[fit]` table says may shrink (or grow), and how far."""

    element: str  # simple selector: the box that scales (its height is measured)
    text: str  # simple selector: the text whose size the floor applies to
    field: str  # the content field named when the text is too long
    min_scale: float
    max_scale: float
    floor_pt: float
    first: LinesSpec | None = None  # fitted before the element, in the room it leaves


def fit_spec(layout: Layout) -> FitSpec | None:
    """The layout's `[fit]` table, checked; None when the layout does not copy-fit."""
    table = layout.settings.get("fit")
    if table is None:
        return None
    problems = []

    def problem(key: str, message: str) -> None:
        problems.append(layout.source.problem(f"fit.{key}", message))

    known = {"element", "text", "field", "min_scale", "max_scale", "floor_pt"}
    for key in table:
        if key not in known:
            problem(key, f"unknown key; expected one of {', '.join(sorted(known))}")
    element = table.get("element")
    if not isinstance(element, str) or not simple_selector(element):
        problem("element", f"expected a tag, .class or #id like '.story', found {element!r}")
    text = table.get("text", element)
    if not isinstance(text, str) or not simple_selector(text):
        problem("text", f"expected a tag, .class or #id like '.body', found {text!r}")
    numbers = {}
    for key, default in (("min_scale", 0.75), ("max_scale", 1.0), ("floor_pt", None)):
        value = table.get(key, default)
        if value is None and layout.kind != "leaflet":
            problem(key, "posters read from a distance must declare their own floor in points")
            value = DEFAULT_FLOOR_PT
        value = DEFAULT_FLOOR_PT if value is None else value
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            problem(key, f"expected a positive number, found {value!r}")
            value = 1.0
        numbers[key] = float(value)
    if numbers["min_scale"] > 1 or numbers["max_scale"] < 1:
        problem("min_scale", "expected min_scale ≤ 1 ≤ max_scale")
    if layout.per_photo:
        problem("element", "copy-fitting needs a page budget; 'per-photo' layouts cannot fit")
    first = _lines_spec(layout, problems)
    if problems:
        raise LayoutError(problems=problems)
    return FitSpec(
        element,
        text,
        str(table.get("field", "body")),
        numbers["min_scale"],
        numbers["max_scale"],
        numbers["floor_pt"],
        first,
    )


def _lines_spec(layout: Layout, problems: list) -> LinesSpec | None:
    table = layout.settings.get("fit_lines")
    if table is None:
        return None

    def problem(key: str, message: str) -> None:
        problems.append(layout.source.problem(f"fit_lines.{key}", message))

    known = {"element", "max_lines", "min_scale"}
    for key in table:
        if key not in known:
            problem(key, f"unknown key; expected one of {', '.join(sorted(known))}")
    element = table.get("element")
    if not isinstance(element, str) or not simple_selector(element):
        problem("element", f"expected a tag, .class or #id like '.headline', found {element!r}")
    max_lines = table.get("max_lines")
    if not isinstance(max_lines, int) or isinstance(max_lines, bool) or max_lines < 1:
        problem("max_lines", f"expected a whole number of lines, 1 or more, found {max_lines!r}")
    min_scale = table.get("min_scale", 0.6)
    if not isinstance(min_scale, int | float) or isinstance(min_scale, bool):
        min_scale = -1
    if not 0 < min_scale <= 1:
        problem("min_scale", f"expected a number above 0 and at most 1, found {min_scale!r}")
    if problems:
        return None
    return LinesSpec(element, max_lines, float(min_scale))


@dataclass(frozen=True)
class Floor:
    """One role's floor: glyphs inside boxes matching `selector` print at `pt` or larger."""

    role: str
    selector: str
    pt: float


def floors_of(layout: Layout) -> list[Floor]:
    """The layout's `[floors]` table, checked: role = { selector = ".contacts", pt = 7 }."""
    table = layout.settings.get("floors")
    if table is None:
        return []
    problems = []
    found = []
    if not isinstance(table, dict):
        raise LayoutError(problems=[layout.source.problem("floors", "expected a table of roles")])
    for role, entry in table.items():
        key = f"floors.{role}"
        if not isinstance(entry, dict):
            problems.append(
                layout.source.problem(
                    key, f"expected {{ selector = ..., pt = ... }}, found {entry!r}"
                )
            )
            continue
        unknown = set(entry) - {"selector", "pt"}
        if unknown:
            problems.append(
                layout.source.problem(
                    f"{key}.{sorted(unknown)[0]}", "unknown key; expected selector and pt"
                )
            )
        selector = entry.get("selector")
        if not isinstance(selector, str) or not simple_selector(selector, whole_page=True):
            problems.append(
                layout.source.problem(
                    f"{key}.selector",
                    f"expected a tag, .class, #id or '*' (the whole page), found {selector!r}",
                )
            )
            continue
        pt = entry.get("pt")
        if not isinstance(pt, int | float) or isinstance(pt, bool) or pt <= 0:
            problems.append(
                layout.source.problem(f"{key}.pt", f"expected a size in points, found {pt!r}")
            )
            continue
        found.append(Floor(role, selector, float(pt)))
    if problems:
        raise LayoutError(problems=problems)
    return found


def check_layout_config(layout: Layout) -> list:
    """Every problem of the layout's `fit`, `fit_lines` and `floors` tables, so that a layout
    is refused when it loads (and `leafpress layouts` lists them) rather than when it renders."""
    problems = []
    for read in (fit_spec, floors_of):
        try:
            read(layout)
        except LayoutError as exc:
            problems += exc.problems
    return problems

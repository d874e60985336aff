"""Layouts: find layout folders, read layout.toml, and give each a sandboxed Jinja environment."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .constants import MM_PER_PT, PAGE_SIZE_RANGE_MM, PAGE_SIZES
from .content import KNOWN_REQUIREMENTS
from .errors import LayoutError, did_you_mean
from .hyphenlimit import DEFAULT_LIMIT
from .layoutconfig import check_layout_config
from .schema import Field, TomlFile, load_toml
from .workspace import outside_workspace

# Jinja is imported where a template is compiled: planning, and a no-op rebuild, never do.
if TYPE_CHECKING:
    import jinja2

KINDS = ("leaflet", "poster", "photo-display")
# The smallest QR a phone reads at arm's length on a hand-out.
MIN_QR_LEAFLET_MM = 20.0
# The module size that survives two photocopies (copier.py; targets.QR_MODULE_MIN_MM for office).
QR_COPY_MODULE_MM = 0.6
OFFICE_MARGIN_MM = 5.0  # what an office printer cannot reach (finish/impose.py)

LAYOUT_FIELDS = [
    Field("description", "str", "One line on what the layout is for."),
    Field("extends", "str", "Another layout this one builds on: its template blocks and CSS."),
    Field("kind", "str", "leaflet, poster or photo-display.", choices=KINDS),
    Field("page_size", "any", "A0–A6, letter, legal (add ' landscape'), or [width, height] in mm."),
    Field("pages", "any", "How many pages an output has: a number, or 'per-photo'."),
    Field(
        "requires", "list[str]", "Content fields the layout prints; a language without one fails."
    ),
    Field("template", "str", "The Jinja2 template file, default template.html."),
    Field("stylesheets", "list[str]", "CSS files, in order, after any parent layout's."),
    Field("fonts", "list[str]", "Font families from fonts/fonts.toml the CSS names."),
    Field("qr_size_mm", "number", "Printed width of the QR code, quiet zone included."),
    Field(
        "qr_max_mm",
        "number",
        "Widest the QR code may grow to give a long payload modules that survive photocopying.",
    ),
    Field("viewing_distance_m", "number", "Posters: distance the poster is read from."),
    Field(
        "qr_scan_distance_m",
        "number",
        "Posters: distance a phone scans the QR code from; default viewing_distance_m.",
    ),
    Field(
        "hyphenate_limit_lines",
        "int",
        "Most lines in a row that may end with a hyphen (WeasyPrint ignores the CSS property).",
    ),
    Field("optional_resources", "list[str]", "Files the layout may reference that may be absent."),
    Field(
        "hold_height",
        "table",
        "{ holder = class, strip = class }: an invisible child of <body> that only holds the"
        " height of a strip pinned elsewhere, laid out once (see layouts/README.md).",
    ),
    Field("options", "table", "Options an output may set, with their defaults."),
    Field(
        "fit",
        "table",
        "Copy-fitting: element, text, field, min_scale, max_scale, floor_pt (see README).",
    ),
    Field(
        "fit_lines",
        "table",
        "Fitted before `fit`: element, max_lines, min_scale, max_scale (see README).",
    ),
    Field(
        "floors",
        "table",
        "Smallest printed size per text role: role = { selector = '.class', pt = 8 }.",
    ),
    Field(
        "bilingual",
        "bool",
        "Two languages in one output, one per side: the output's `languages = [front, back]`.",
    ),
]


@dataclass
class Layout:
    """A layout folder, with its settings merged over those of the layout it extends."""

    name: str
    folder: Path
    source: TomlFile
    settings: dict[str, Any]
    chain: list[Path] = field(default_factory=list)  # this folder, then its parents
    stylesheet_paths: list[Path] = field(default_factory=list)
    shared: Path | None = None
    root: Path | None = None  # the workspace: every file the layout reads must lie inside it
    # Template files Jinja has loaded for this layout (it caches them, so later outputs would
    # not see them read): what every output through the layout reads.
    template_files: set[Path] = field(default_factory=set, compare=False, repr=False)

    def files_read(self) -> list[Path]:
        """The files an output through this layout reads of it: each layout.toml of its chain
        and every template file loaded so far."""
        return [*(folder / "layout.toml" for folder in self.chain), *self.template_files]

    @property
    def shown_as(self) -> Path:
        return self.source.shown_as

    @property
    def description(self) -> str:
        return self.settings.get("description", "")

    @property
    def kind(self) -> str:
        return self.settings.get("kind", "leaflet")

    @property
    def requires(self) -> list[str]:
        return list(self.settings.get("requires", []))

    @property
    def fonts(self) -> list[str]:
        return list(self.settings.get("fonts", []))

    @property
    def template_name(self) -> str:
        return self.settings.get("template", "template.html")

    @property
    def options(self) -> dict[str, Any]:
        return dict(self.settings.get("options", {}))

    @property
    def hyphen_limit(self) -> int:
        return int(self.settings.get("hyphenate_limit_lines", DEFAULT_LIMIT))

    @property
    def optional_resources(self) -> list[str]:
        return list(self.settings.get("optional_resources", []))

    @property
    def hold_height(self) -> tuple[str, str] | None:
        """The classes of the invisible copy that holds a strip's room, and of the strip."""
        table = self.settings.get("hold_height")
        if not table:
            return None
        try:
            return str(table["holder"]), str(table["strip"])
        except (KeyError, TypeError):
            raise LayoutError(
                'hold_height: expected { holder = "<class>", strip = "<class>" }',
                file=self.shown_as,
                key="hold_height",
            ) from None

    @property
    def page_size_mm(self) -> tuple[float, float]:
        return parse_page_size(self.settings.get("page_size", "A4"))

    @property
    def page_size_pt(self) -> tuple[float, float]:
        w, h = self.page_size_mm
        return (w / MM_PER_PT, h / MM_PER_PT)

    @property
    def page_size_label(self) -> str:
        value = self.settings.get("page_size", "A4")
        if isinstance(value, str):
            return value
        w, h = self.page_size_mm
        return f"{w:g}×{h:g} mm"

    @property
    def bilingual(self) -> bool:
        return bool(self.settings.get("bilingual", False))

    @property
    def per_photo(self) -> bool:
        return self.settings.get("pages", 1) == "per-photo"

    def expected_pages(self, photo_count: int) -> int:
        return photo_count if self.per_photo else int(self.settings.get("pages", 1))

    @property
    def qr_size_mm(self) -> float:
        return float(self.settings.get("qr_size_mm", self.min_qr_mm))

    @property
    def qr_max_mm(self) -> float:
        return max(self.qr_size_mm, float(self.settings.get("qr_max_mm", self.qr_size_mm)))

    def qr_size_for(self, modules: int) -> float:
        """The printed width of a code of `modules` (quiet zone included): qr_size_mm, grown up
        to qr_max_mm as far as its modules need to reach QR_COPY_MODULE_MM, the size that
        survives two photocopies. One size for every target, so that the screen and office
        outputs stay one document; a short payload keeps the layout's own size."""
        wanted = modules * QR_COPY_MODULE_MM / self.qr_office_scale
        return round(min(self.qr_max_mm, max(self.qr_size_mm, wanted)), 1)

    @property
    def qr_office_scale(self) -> float:
        """How much an A4 office sheet shrinks this page (A3 to 67 %), as finish.impose does."""
        width, height = sorted(self.page_size_mm)
        fits = width <= 210 + 0.6 and height <= 297 + 0.6
        if fits:
            return 1.0
        return min((210 - 2 * OFFICE_MARGIN_MM) / width, (297 - 2 * OFFICE_MARGIN_MM) / height)

    @property
    def viewing_distance_m(self) -> float | None:
        value = self.settings.get("viewing_distance_m")
        return float(value) if value is not None else None

    @property
    def scan_distance_m(self) -> float | None:
        value = self.settings.get("qr_scan_distance_m", self.viewing_distance_m)
        return float(value) if value is not None else None

    @property
    def min_qr_mm(self) -> float:
        """A QR code scans from about ten times its width away."""
        distance = self.scan_distance_m
        if distance:
            return max(MIN_QR_LEAFLET_MM, distance * 1000 / 10)
        return MIN_QR_LEAFLET_MM

    @cached_property
    def environment(self) -> jinja2.Environment:
        """A sandbox: templates see only the data we pass, and every value is escaped."""
        from .sandbox import sandboxed_environment

        return sandboxed_environment(self._loader())

    @cached_property
    def template(self) -> jinja2.Template:
        """The compiled template; a syntax error in it, or in a file it extends or includes, is
        a LayoutError naming that file and line."""
        import jinja2

        try:
            return self.environment.get_template(self.template_name)
        except jinja2.TemplateNotFound as exc:
            raise LayoutError(
                f"template '{exc.name}' not found", file=self.shown_as, key="template"
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise LayoutError(
                f"template error: {exc.message}",
                file=Path("layouts") / self.name / (exc.name or self.template_name),
                line=exc.lineno,
            ) from None

    @property
    def search_path(self) -> list[Path]:
        """Where templates are looked up: the layout's folder, its parents', then _shared."""
        return [*self.chain, *([self.shared] if self.shared is not None else [])]

    def has_template(self, name: str) -> bool:
        """Whether `name` is found as _loader finds it, without loading Jinja."""
        parts = name.split("/")
        if ".." in parts or not all(parts):
            return False
        if any((folder / name).is_file() for folder in self.search_path):
            return True
        parents = {folder.name: folder for folder in self.chain[1:]}
        return (
            len(parts) > 1
            and parts[0] in parents
            and (parents[parts[0]] / "/".join(parts[1:])).is_file()
        )

    def _loader(self) -> jinja2.BaseLoader:
        """The search path, and each parent by name, so a child's template.html can extend
        "<parent>/template.html" without finding itself first."""
        import jinja2

        from .sandbox import workspace_loader

        root = self.root or self.folder.parent.parent
        search = [str(p) for p in self.search_path]
        parents = {
            folder.name: workspace_loader([str(folder)], root, self.name)
            for folder in self.chain[1:]
        }
        loader: jinja2.BaseLoader = workspace_loader(search, root, self.name)
        if parents:
            loader = jinja2.ChoiceLoader([loader, jinja2.PrefixLoader(parents, delimiter="/")])
        return _recording_loader(loader, self.template_files)

    def option_values(self, given: dict[str, Any], file: Path, key: str) -> dict[str, Any]:
        """The layout's option defaults with an output's values laid over them."""
        defaults = self.options
        for name, value in given.items():
            if name not in defaults:
                known = ", ".join(defaults) or "none"
                raise LayoutError(
                    f"layout '{self.name}' has no option '{name}'{did_you_mean(name, defaults)}; "
                    f"its options: {known}",
                    file=file,
                    key=f"{key}.{name}",
                )
            if type(value) is not type(defaults[name]):
                raise LayoutError(
                    f"expected {type(defaults[name]).__name__} like the default "
                    f"{defaults[name]!r}, found {value!r}",
                    file=file,
                    key=f"{key}.{name}",
                )
        return {**defaults, **given}


def _default_sheets(folder: Path, parent: Layout | None) -> list[str]:
    """Without `stylesheets`: style.css; a child adds its style.css on top only if it has one."""
    if parent is None or (folder / "style.css").is_file():
        return ["style.css"]
    return []


def parse_page_size(value: Any) -> tuple[float, float]:
    """Width and height in mm from 'A5', 'A4 landscape' or [w, h]."""
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) for v in value)
    ):
        return (float(value[0]), float(value[1]))
    if isinstance(value, str):
        parts = value.split()
        if parts and parts[0] in PAGE_SIZES and parts[1:] in ([], ["portrait"], ["landscape"]):
            w, h = PAGE_SIZES[parts[0]]
            return (h, w) if parts[1:] == ["landscape"] else (w, h)
    raise ValueError(value)


class LayoutLibrary:
    """Every layout folder under layouts/ of a workspace."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / "layouts"
        self._cache: dict[str, Layout] = {}

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(
            p.name
            for p in self.folder.iterdir()
            if (p / "layout.toml").is_file() and not p.name.startswith(("_", "."))
        )

    def get(self, name: str, *, wanted_by: Path | None = None, key: str | None = None) -> Layout:
        if name not in self._cache:
            self._cache[name] = self._load(name, [], wanted_by, key)
        return self._cache[name]

    def _load(self, name: str, seen: list[str], wanted_by: Path | None, key: str | None) -> Layout:
        folder = self.folder / name
        if (
            not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name)
            or not (folder / "layout.toml").is_file()
        ):
            known = self.names()
            raise LayoutError(
                f"unknown layout '{name}'{did_you_mean(name, known)}; "
                f"known layouts: {', '.join(known) or 'none'}",
                file=wanted_by,
                key=key,
            )
        shown = Path("layouts") / name / "layout.toml"
        refused = outside_workspace(folder / "layout.toml", self.root)
        if refused:
            raise LayoutError(f"the layout folder or its layout.toml: {refused}", file=shown)
        doc = load_toml(folder / "layout.toml", LayoutError, shown)
        data = doc.data
        problems = doc.check(data, LAYOUT_FIELDS)
        if problems:
            raise LayoutError(problems=problems)

        parent: Layout | None = None
        if "extends" in data:
            if data["extends"] in [*seen, name]:
                raise LayoutError(
                    f"layouts extend each other in a circle: {' → '.join([*seen, name, data['extends']])}",
                    file=shown,
                    key="extends",
                )
            parent = self._cache.get(data["extends"])
            if parent is None:
                parent = self._load(data["extends"], [*seen, name], shown, "extends")
                self._cache[parent.name] = parent

        settings = {**(parent.settings if parent else {}), **data}
        settings.pop("extends", None)
        if parent and "options" in data:
            settings["options"] = {**parent.options, **data["options"]}
        chain = [folder, *(parent.chain if parent else [])]
        sheets = list(parent.stylesheet_paths) if parent else []
        own_sheets = data.get("stylesheets", _default_sheets(folder, parent))
        sheets += [folder / s for s in own_sheets]

        layout = Layout(
            name, folder, doc, settings, chain, sheets, self.folder / "_shared", self.root
        )
        self._validate(layout, doc, own_sheets)
        return layout

    def _validate(self, layout: Layout, doc: TomlFile, own_sheets: list[str]) -> None:
        problems = []
        try:
            layout.page_size_mm  # noqa: B018 - parse for its error
        except ValueError:
            problems.append(
                doc.problem(
                    "page_size",
                    f"expected one of {', '.join(PAGE_SIZES)} (optionally followed by "
                    f"'landscape') or [width, height] in mm, found {layout.settings.get('page_size')!r}",
                )
            )
        else:
            low, high = PAGE_SIZE_RANGE_MM
            if not all(low <= side <= high for side in layout.page_size_mm):
                w, h = layout.page_size_mm
                problems.append(
                    doc.problem(
                        "page_size",
                        f"each side must be between {low:g} and {high:g} mm, found {w:g} × {h:g} mm; "
                        "give the page's width and height in millimetres",
                    )
                )
        pages = layout.settings.get("pages", 1)
        if not (pages == "per-photo" or (isinstance(pages, int) and pages >= 1)):
            problems.append(
                doc.problem("pages", f"expected a number ≥ 1 or 'per-photo', found {pages!r}")
            )
        for req in layout.requires:
            if req not in KNOWN_REQUIREMENTS:
                problems.append(
                    doc.problem(
                        "requires",
                        f"unknown content field '{req}'{did_you_mean(req, KNOWN_REQUIREMENTS)}; "
                        f"known fields: {', '.join(sorted(KNOWN_REQUIREMENTS))}",
                    )
                )
        if layout.qr_size_mm < layout.min_qr_mm:
            why = (
                f"a tenth of the {layout.scan_distance_m:g} m it is scanned from"
                if layout.scan_distance_m
                else "what a phone reads on a hand-out"
            )
            problems.append(
                doc.problem(
                    "qr_size_mm",
                    f"the QR code must be at least {layout.min_qr_mm:g} mm wide ({why}), "
                    f"found {layout.qr_size_mm:g}",
                )
            )
        for sheet in own_sheets:
            refused = outside_workspace(layout.folder / sheet, self.root)
            if refused:
                problems.append(doc.problem("stylesheets", f"stylesheet '{sheet}': {refused}"))
            elif not (layout.folder / sheet).is_file():
                problems.append(
                    doc.problem(
                        "stylesheets", f"stylesheet '{sheet}' not found in {layout.folder.name}/"
                    )
                )
        # Only that the template is there: compiling it is left to its first use (Layout.template),
        # since planning loads every layout and a no-op rebuild should not compile any.
        if not layout.has_template(layout.template_name):
            problems.append(doc.problem("template", f"template '{layout.template_name}' not found"))
        # Copy-fitting and floors are read into their records now, not at the first render.
        problems += check_layout_config(layout)
        if problems:
            raise LayoutError(problems=problems)


def _recording_loader(loader: jinja2.BaseLoader, found: set[Path]) -> jinja2.BaseLoader:
    """`loader`, keeping the file of every template it loads in `found`."""
    import jinja2

    class RecordingLoader(jinja2.BaseLoader):
        def get_source(self, environment: jinja2.Environment, template: str):
            source, filename, uptodate = loader.get_source(environment, template)
            if filename:
                found.add(Path(filename).resolve())
            return source, filename, uptodate

        def list_templates(self) -> list[str]:
            return loader.list_templates()

    return RecordingLoader()

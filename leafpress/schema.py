"""Declarative checks for TOML tables: every error of a file at once, each with key, line, expected and found."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .constants import MAX_FIELD_CHARS, MAX_LIST_ITEMS
from .errors import LeafpressError, Problem, did_you_mean

# The kinds of value a key may hold. "text" is a string, or a table of language code -> string
# for values that differ per language but live in a shared file (a contact's name, a credit).
KINDS = {
    "str": "a string",
    "text": "a string or a table of language -> string",
    "list[str]": "a list of strings",
    "table": "a table",
    "list[table]": "an array of tables ([[…]])",
    "bool": "true or false",
    "number": "a number",
    "int": "a whole number",
    "list[number]": "a list of numbers",
    "any": "a value",
}


@dataclass(frozen=True)
class Field:
    """One key a table may hold, with what it means for the person writing it."""

    name: str
    kind: str
    doc: str
    required: bool = False
    choices: tuple[str, ...] = ()


def describe(value: Any) -> str:
    """How a found value is named in an error message."""
    names = {
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


def _is_kind(value: Any, kind: str) -> bool:
    if kind == "any":
        return True
    if kind == "str":
        return isinstance(value, str)
    if kind == "text":
        return isinstance(value, str) or (
            isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        )
    if kind == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "table":
        return isinstance(value, dict)
    if kind == "list[table]":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "list[number]":
        return isinstance(value, list) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value
        )
    raise ValueError(f"unknown kind {kind!r}")


class TomlFile:
    """A parsed TOML file that remembers its text, so problems can point at a line."""

    def __init__(self, path: Path, data: dict[str, Any], text: str, shown_as: Path) -> None:
        self.path = path
        self.data = data
        self.text = text
        self.shown_as = shown_as

    def line_of(self, key: str) -> int | None:
        """The line of a key, or of the nearest enclosing key (inline tables have no headers)."""
        while key:
            line = find_key_line(self.text, key)
            if line is not None:
                return line
            key = key.rpartition(".")[0]
        return None

    def problem(self, key: str | None, message: str) -> Problem:
        line = self.line_of(key) if key else None
        return Problem(message, self.shown_as, key, line)

    def check(self, table: Any, fields: list[Field], prefix: str = "") -> list[Problem]:
        """Problems with one table: unknown keys, missing required keys, wrong kinds, bad choices."""
        return check_table(self, table, fields, prefix)


def load_toml(path: Path, error: type[LeafpressError], shown_as: Path | None = None) -> TomlFile:
    """Parse a TOML file; a syntax error becomes `error` with its line and column."""
    shown = shown_as or path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error("file not found", file=shown) from None
    except OSError as exc:
        raise error(f"cannot be read: {exc.strerror}", file=shown) from None
    try:
        # A byte-order mark (some Windows editors add it) is not TOML but is harmless.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error("is not UTF-8 text; save it as UTF-8", file=shown, line=line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = column = None
        if found:
            line, column = int(found[1]), int(found[2])
            message = message[: found.start()].strip()
        elif "end of document" in message:
            line = text.count("\n") + 1
        raise error(
            f"is not valid TOML: {message[0].lower() + message[1:]}",
            file=shown,
            line=line,
            column=column,
        ) from None
    return TomlFile(path, data, text, shown)


def check_table(doc: TomlFile, table: Any, fields: list[Field], prefix: str = "") -> list[Problem]:
    """Every problem with one table against its declared fields."""
    where = prefix.rstrip(".") or None
    if not isinstance(table, dict):
        return [doc.problem(where, f"expected a table, found {describe(table)}")]
    known = {f.name: f for f in fields}
    problems: list[Problem] = []
    for key, value in table.items():
        field = known.get(key)
        dotted = prefix + key
        if field is None:
            problems.append(
                doc.problem(
                    dotted,
                    f"unknown key '{key}'{did_you_mean(key, known)}; "
                    f"known keys here: {', '.join(known)}",
                )
            )
            continue
        if not _is_kind(value, field.kind):
            problems.append(
                doc.problem(dotted, f"expected {KINDS[field.kind]}, found {describe(value)}")
            )
            continue
        if field.choices and value not in field.choices:
            choices = ", ".join(repr(c) for c in field.choices)
            problems.append(
                doc.problem(
                    dotted,
                    f"expected one of {choices}, found {value!r}{did_you_mean(str(value), field.choices)}",
                )
            )
    for field in fields:
        if field.required and field.name not in table:
            problems.append(doc.problem(where, f"missing required key '{prefix + field.name}'"))
    return problems


# Characters that print as empty boxes or not at all and reach the PDF's title: C0 and C1
# controls but tab and newline, the Unicode line and paragraph separators (which also break
# WeasyPrint's line breaking), and noncharacters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff]")


def text_problems(doc: TomlFile, value: Any, prefix: str = "") -> list[Problem]:
    """Every string of a file within the limits (constants.py) and free of control characters;
    every list within the number of items a layout can print."""
    problems: list[Problem] = []
    if isinstance(value, dict):
        for key, item in value.items():
            problems += text_problems(doc, item, f"{prefix}{key}.")
    elif isinstance(value, list):
        where = prefix.rstrip(".")
        if len(value) > MAX_LIST_ITEMS:
            problems.append(
                doc.problem(
                    where,
                    f"{len(value)} items, more than the {MAX_LIST_ITEMS} leafpress accepts; "
                    "no page holds that many: shorten the list",
                )
            )
        else:
            for i, item in enumerate(value):
                problems += text_problems(doc, item, f"{where}[{i}].")
    elif isinstance(value, str):
        where = prefix.rstrip(".")
        if len(value) > MAX_FIELD_CHARS:
            problems.append(
                doc.problem(
                    where,
                    f"{len(value):,} characters, more than the {MAX_FIELD_CHARS:,} leafpress "
                    "accepts in one field; no page holds that much text: shorten it",
                )
            )
        elif found := _CONTROL.search(value):
            problems.append(
                doc.problem(
                    where,
                    f"contains the control character U+{ord(found[0]):04X} at character "
                    f"{found.start() + 1}, which prints as an empty box or nothing; remove it "
                    "(use a blank line between paragraphs)",
                )
            )
    return problems


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def find_key_line(text: str, dotted: str) -> int | None:
    """The 1-based line where a dotted key (`contact.name`, `photos[1].file`) is written, if found.

    tomllib gives no positions, so this walks table headers and `key =` lines; it is a best
    effort that is right for the plain files people write and silent (None) otherwise.
    """
    parts = re.findall(r"([^.\[\]]+)(?:\[(\d+)\])?", dotted)
    if not parts:
        return None
    *table_parts, (last_key, _) = parts
    want_table = ".".join(name for name, _ in table_parts)
    want_index = int(table_parts[-1][1]) if table_parts and table_parts[-1][1] else None
    current = ""
    seen: dict[str, int] = {}
    index_here: int | None = None
    table_line: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header and not line.lstrip().startswith(("#",)) and "=" not in line.split("]")[0]:
            current = header[2].strip().strip('"')
            current = ".".join(p.strip().strip('"') for p in current.split("."))
            if header[1] == "[[":
                index_here = seen.get(current, -1) + 1
                seen[current] = index_here
            else:
                index_here = None
            if current == ".".join([want_table, last_key]).strip(".") and want_index is None:
                table_line = number
            continue
        key = re.match(r'^\s*"?([^"=\s]+)"?\s*=', line)
        if not key:
            continue
        in_table = current == want_table and (want_index is None or index_here == want_index)
        if in_table and key[1] == last_key:
            return number
        # `contact.name = …` written as a dotted key at the top level
        if not current and key[1] == dotted:
            return number
    return table_line

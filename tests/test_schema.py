"""Locating keys in TOML text and checking tables against declared fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from leafpress.errors import ContentError
from leafpress.schema import Field, TomlFile, find_key_line, load_toml

TEXT = """\
languages = ["kk"]

[contact]
name = "x"
phone = "1"

[[photos]]
file = "a.jpg"

[[photos]]
file = "b.jpg"
credit = { kk = "c" }
"""


@pytest.mark.parametrize(
    ("key", "line"),
    [
        ("languages", 1),
        ("contact.phone", 5),
        ("photos[0].file", 8),
        ("photos[1].file", 11),
        ("photos[1].credit", 12),
    ],
)
def test_find_key_line_walks_tables_and_arrays(key: str, line: int):
    assert find_key_line(TEXT, key) == line


def test_find_key_line_is_silent_when_not_found():
    assert find_key_line(TEXT, "contact.email") is None


def test_syntax_error_carries_line_and_column(tmp_path: Path):
    path = tmp_path / "x.toml"
    path.write_text('a = "ok"\nb = "unterminated\n')
    with pytest.raises(ContentError) as caught:
        load_toml(path, ContentError, Path("x.toml"))
    problem = caught.value.first
    assert (problem.line, problem.file) == (2, Path("x.toml"))
    assert problem.column is not None


def test_non_utf8_file_is_named(tmp_path: Path):
    path = tmp_path / "x.toml"
    path.write_bytes(b'a = "ok"\nb = "' + "Алматы".encode("cp1251") + b'"\n')
    with pytest.raises(ContentError, match="is not UTF-8"):
        load_toml(path, ContentError)


def test_check_reports_unknown_wrong_kind_missing_and_bad_choice():
    doc = TomlFile(Path("f.toml"), {}, "kind = 3\nextra = 1\n", Path("f.toml"))
    fields = [
        Field("kind", "str", "", choices=("a", "b")),
        Field("name", "str", "", required=True),
        Field("mode", "str", "", choices=("fast", "slow")),
    ]
    problems = [str(p) for p in doc.check({"kind": 3, "extra": 1, "mode": "fsat"}, fields)]
    assert "f.toml:1: kind: expected a string, found a number" in problems
    assert any("unknown key 'extra'" in p for p in problems)
    assert any("missing required key 'name'" in p for p in problems)
    assert any(
        "expected one of 'fast', 'slow', found 'fsat' (did you mean 'fast'?)" in p for p in problems
    )

"""The README documents what a newcomer needs: the two commands and every content key."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from leafpress.content import (
    CAMPAIGN_FIELDS,
    CONTACT_FIELDS,
    LANGUAGE_FIELDS,
    MAILTO_FIELDS,
    OUTPUT_FIELDS,
    PHOTO_FIELDS,
    QR_FIELDS,
    QR_KINDS,
)
from leafpress.layouts import LAYOUT_FIELDS

README = (REPO / "README.md").read_text(encoding="utf-8")
ALL_FIELDS = [
    *CAMPAIGN_FIELDS,
    *CONTACT_FIELDS,
    *QR_FIELDS,
    *PHOTO_FIELDS,
    *OUTPUT_FIELDS,
    *LANGUAGE_FIELDS,
    *MAILTO_FIELDS,
    *LAYOUT_FIELDS,
]


@pytest.mark.parametrize("name", sorted({f.name for f in ALL_FIELDS}))
def test_every_content_and_layout_key_is_documented(name: str):
    assert f"`{name}`" in README or f"`[{name}]`" in README or f"`[[{name}]]`" in README


@pytest.mark.parametrize("kind", QR_KINDS)
def test_every_qr_kind_is_documented(kind: str):
    assert f"| `{kind}` |" in README


def test_readme_gives_the_two_commands_that_ci_runs():
    ci = (REPO / ".ci" / "run").read_text()
    block = re.search(r"```sh\n(.*?)```", README, re.S)[1]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["./setup.sh", ".venv/bin/pytest"]
    for command in commands:
        assert command in ci


def test_readme_picture_exists_and_is_small():
    picture = re.search(r"!\[[^\]]*\]\(([^)]+\.png)\)", README)[1]
    path = REPO / picture
    assert path.is_file()
    assert path.stat().st_size < 600_000


def _registered_checks() -> list[str]:
    from leafpress import check

    return sorted(
        f.__name__.removeprefix("check_") for f in check.CAMPAIGN_CHECKS + check.OUTPUT_CHECKS
    )


@pytest.mark.parametrize("name", _registered_checks())
def test_every_registered_check_has_a_row_in_the_readmes_table(name: str):
    assert re.search(rf"^\| {re.escape(name)} \| ", README, re.M), name

"""Dependencies point one way: the import-linter contracts in pyproject.toml hold."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(command), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120
    )


def test_stages_import_only_the_stages_below_them():
    done = _lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_an_import_upward_breaks_the_contract(tmp_path: Path):
    # The contract is not vacuous: records importing the pipeline is refused.
    shutil.copytree(
        REPO / "leafpress", tmp_path / "leafpress", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    records = tmp_path / "leafpress" / "records.py"
    records.write_text(records.read_text() + "\nfrom . import pipeline  # noqa\n")
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode != 0
    assert "leafpress.records -> leafpress.pipeline" in done.stdout

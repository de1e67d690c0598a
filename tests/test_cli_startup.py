"""Command-line start-up: `--help` and the small commands load none of the heavy libraries
(issue 19: every command paid 1.5-3.6 s to start). Checked by what Python imports, not by a
clock: `python -X importtime` names every module a run loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {
    "alembic", "krippendorff", "numpy", "pandas", "pyarrow", "pysbd", "scipy",
    "statsmodels", "streamlit", "yaml",
}  # fmt: skip


def _heavy_imports(*args: str, also: frozenset[str] = frozenset()) -> set[str]:
    """The heavy top-level packages (and `also`) that `python -m annotator ARGS` imports."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "annotator", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    names = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in run.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "click" in names  # the parse found the imports
    return names & (HEAVY | also)


def test_help_imports_no_heavy_library_nor_the_database_one() -> None:
    assert _heavy_imports("--help", also={"sqlalchemy"}) == set()


@pytest.mark.parametrize("command", [["users", "list"], ["projects", "list"]])
def test_small_commands_import_no_heavy_library(cli_db: str, command: list[str]) -> None:
    assert _heavy_imports(*command, "--db", cli_db) == set()

"""`python -m annotator check` as the last step of a destructive test (crash, backup, restore)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def assert_sound(db_url: str) -> None:
    """Run the real `check` command on the database; fail with its output unless it is sound."""
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "check", "--db", db_url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, f"check found problems:\n{result.stdout}{result.stderr}"
    assert result.stdout.strip().endswith("database is sound")

"""Layout rules read from the source: only the UI imports streamlit; SQL stays out of the UI."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def _python_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in (ROOT / folder).rglob("*.py")]


def test_only_app_and_the_ui_package_import_streamlit() -> None:
    ui = ROOT / "annotator" / "ui"
    offenders = [
        str(p.relative_to(ROOT))
        for p in _python_files("annotator", "db")
        if ui not in p.parents and "streamlit" in _imports(p)
    ]
    assert offenders == []


def test_the_ui_never_imports_sqlalchemy_or_db_models() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in [ROOT / "app.py", *_python_files("annotator/ui")]
        if {"sqlalchemy", "db"} & _imports(p) and p.name != "resources.py"
    ]
    assert offenders == []


def test_pure_modules_do_no_database_work() -> None:
    pure = [
        "segment.py",
        "readers.py",
        "sentence_roles.py",
        "writers.py",
        "scheme.py",
        "agreement.py",
        "columns.py",
        "label_files.py",
    ]
    offenders = [
        name
        for name in pure
        if {"sqlalchemy", "db", "streamlit"} & _imports(ROOT / "annotator" / name)
    ]
    assert offenders == []


def test_there_is_no_root_level_pages_folder() -> None:
    assert not (ROOT / "pages").exists()

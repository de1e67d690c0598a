"""Layout rules read from the source: only the UI imports streamlit; no SQL in the UI; pure
modules stay pure; role lists live in one place."""

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


def _modules(path: Path) -> set[str]:
    """Every module `path` imports, by its full dotted name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
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


def test_the_ui_never_imports_sqlalchemy_or_db() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in [ROOT / "app.py", *_python_files("annotator/ui")]
        if {"sqlalchemy", "db"} & _imports(p)
    ]
    assert offenders == []


def test_no_service_imports_streamlit_or_the_ui() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in _python_files("annotator/services")
        if "streamlit" in _imports(p) or any(m.startswith("annotator.ui") for m in _modules(p))
    ]
    assert offenders == []


def _pure_modules() -> list[Path]:
    """Every module directly in annotator/ but the command line (its edge to the database)."""
    edges = {"__init__.py", "__main__.py", "cli.py"}
    return sorted(p for p in (ROOT / "annotator").glob("*.py") if p.name not in edges)


def test_pure_modules_import_no_streamlit_sqlalchemy_db_or_service() -> None:
    assert {"temporal.py", "segment.py", "readers.py"} <= {p.name for p in _pure_modules()}
    offenders = [
        p.name
        for p in _pure_modules()
        if {"sqlalchemy", "db", "streamlit"} & _imports(p)
        or any(m.startswith(("annotator.services", "annotator.ui")) for m in _modules(p))
    ]
    assert offenders == []


def _string_tuples(path: Path) -> list[set[str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        for node in ast.walk(tree)
        if isinstance(node, ast.Tuple | ast.List | ast.Set)
    ]


def test_account_role_lists_are_written_only_in_permissions_and_the_schema() -> None:
    allowed = {ROOT / "annotator/services/permissions.py", ROOT / "db/models.py"}
    offenders = [
        str(p.relative_to(ROOT))
        for p in [ROOT / "app.py", *_python_files("annotator", "db")]
        if p not in allowed and any({"admin", "lead"} <= found for found in _string_tuples(p))
    ]
    assert offenders == []


def test_there_is_no_root_level_pages_folder() -> None:
    assert not (ROOT / "pages").exists()


# Widget callbacks that only change what the tab shows (the gate, or the annotate panel's
# check, runs right after them), and the Log out button's own callback.
# st.login and st.logout only send the browser to the provider or to Streamlit's logout route.
STATE_ONLY_CALLBACKS = {
    "_go_to",
    "_open_in_adjudication",
    "_on_choose",
    "log_out",
    "login",
    "logout",
}


def _widget_callbacks(tree: ast.AST) -> set[str]:
    """The names of the functions passed as `on_click=` or `on_change=` to a widget."""
    return {
        keyword.value.id if isinstance(keyword.value, ast.Name) else keyword.value.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg in ("on_click", "on_change")
        and isinstance(keyword.value, ast.Name | ast.Attribute)
    }


def _guarded_functions(tree: ast.AST) -> set[str]:
    """The functions defined with the `@state.while_signed_in` decorator."""
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(ast.unparse(d) == "state.while_signed_in" for d in node.decorator_list)
    }


def test_every_widget_callback_that_acts_runs_only_while_the_login_session_is_live() -> None:
    offenders = []
    for path in [ROOT / "app.py", *_python_files("annotator/ui")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        unguarded = _widget_callbacks(tree) - _guarded_functions(tree) - STATE_ONLY_CALLBACKS
        offenders += [f"{path.relative_to(ROOT)}: {name}" for name in sorted(unguarded)]
    assert offenders == []

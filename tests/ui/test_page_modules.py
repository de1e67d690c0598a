"""Every page file is a stub calling `show()` in `annotator/ui/<same name>.py` (read from the
source, as tests/test_architecture.py reads imports)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "annotator" / "ui"
PAGES = sorted(p for p in (UI / "pages").glob("*.py") if p.name != "__init__.py")


def _statements(path: Path) -> list[ast.stmt]:
    """The module's statements after its docstring."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return body


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_a_page_file_only_calls_show_in_the_ui_module_of_its_name(page: Path) -> None:
    imports, call = _statements(page)
    assert isinstance(imports, ast.ImportFrom)
    assert (imports.module, [a.name for a in imports.names]) == (
        f"annotator.ui.{page.stem}",
        ["show"],
    )
    assert ast.unparse(call) == "show()"
    module = ast.parse((UI / page.name).read_text(encoding="utf-8"))
    assert "show" in {n.name for n in module.body if isinstance(n, ast.FunctionDef)}

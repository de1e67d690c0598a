"""`components.literal`: typed text shown through Streamlit's Markdown stays text, and no page
hands typed or imported text to a Markdown element unescaped (the browser tests
tests/browser/test_hostile_text_browser.py and test_pixel_server_browser.py show it on the
real pages)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from annotator.ui.components import literal
from tests.hostile_text import Hostile, build_hostile_project


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("**bold** _it_ `code` ~~gone~~", r"\*\*bold\*\* \_it\_ \`code\` \~\~gone\~\~"),
        ("![x](http://h/p.png)", r"!\[x\](http\:\/\/h\/p.png)"),
        ("[click](javascript:alert(1))", r"\[click\](javascript\:alert(1))"),
        ("<script>x</script> &amp;", r"\<script\>x\</script\> \&amp;"),
        (":smile: :material/home: $x^2$", r"\:smile\: \:material\/home\: \$x^2\$"),
        ("a | b # c \\ d", r"a \| b \# c \\ d"),
        (
            "# title\n- item\n1. one\n 2) two\n> quote\n===",
            "\\# title\n\\- item\n1\\. one\n 2\\) two\n\\> quote\n\\===",
        ),
    ],
)
def test_markdown_html_math_and_icons_are_escaped(typed: str, escaped: str) -> None:
    assert literal(typed) == escaped


@pytest.mark.parametrize(
    "prose",
    [
        "Created project stance-2025 (scheme stance).",
        "Not created: a project named 'default' already exists",
        "too many failed logins: try again in 30 seconds",
        "2 new assignments, 0 moved; 1 article still short of 2.",
    ],
)
def test_plain_prose_is_left_as_it_is(prose: str) -> None:
    assert literal(prose) == prose


# What reads Markdown on a page: these elements' text, every widget's label and help, radio
# and segmented-control options and captions, and the cells of `st.table`. (Selectbox and
# multiselect options, `st.text`, `st.dataframe` and `st.html` built from escaped HTML do not.)
MARKDOWN_BODIES = {"title", "header", "subheader", "markdown", "caption", "divider"}
ALERTS = {"error", "warning", "info", "success", "toast"}
MARKDOWN_OPTIONS = {"radio", "button_group"}
# Markup that loads, links, draws maths or colours, once backslash escapes are removed.
MARKUP = re.compile(r"\]\(|<[A-Za-z/!]|\$|:[a-z]+\[")
LEAD_PAGES = (
    "annotate", "fact_check", "agreement", "adjudicate", "export", "projects",
    "import_articles", "progress", "account",
)  # fmt: skip
VISITS = [("lena", page) for page in LEAD_PAGES] + [
    ("ann", "annotate"), ("ann", "fact_check"), ("ann", "account"), ("admin", "users"),
]  # fmt: skip


def markdown_texts(at: AppTest) -> list[str]:
    """Every string on the page (main area and sidebar) that Streamlit renders as Markdown."""
    found: list[str] = []
    nodes: list[Any] = [at.main, at.sidebar]
    while nodes:
        node = nodes.pop()
        nodes.extend(getattr(node, "children", {}).values())
        found += _texts_of(node)
    return found


def _texts_of(node: Any) -> list[str]:
    kind = getattr(node, "type", None)
    texts = [t for t in (getattr(node, "label", None), getattr(node, "help", None)) if t]
    if kind in MARKDOWN_BODIES or kind in ALERTS:
        texts.append(node.proto.body)
    if kind in MARKDOWN_OPTIONS:
        texts += [str(option) for option in node.options]
        texts += getattr(node.proto, "captions", ())
    if kind == "table":
        table = node.value
        cells = [*table.columns, *table.index, *table.to_numpy().ravel()]
        texts += [cell for cell in cells if isinstance(cell, str)]
    return [t for t in texts if isinstance(t, str)]


def unescaped_markup(text: str) -> list[str]:
    """The Markdown, HTML and maths in `text` that a backslash does not escape."""
    return MARKUP.findall(re.sub(r"\\.", "", text, flags=re.DOTALL))


@pytest.fixture
def hostile_db(app_db: str) -> Hostile:
    """The hostile project of tests/hostile_text.py in the app's database (its pixel URLs
    point at a port nothing listens on: AppTest renders no Markdown)."""
    hostile = Hostile(port=9)
    build_hostile_project(app_db, hostile)
    return hostile


def test_no_page_reads_typed_or_imported_text_as_markup_for_any_role(
    hostile_db: Hostile, new_app: Callable[[], AppTest], log_in: Callable[..., AppTest]
) -> None:
    apps: dict[str, AppTest] = {}
    shown: dict[tuple[str, str], list[str]] = {}
    for name, page in VISITS:
        if name not in apps:
            apps[name] = log_in(new_app(), name)
            apps[name].selectbox(key="project_picker").set_value(hostile_db.project).run()
        at = apps[name].switch_page(f"annotator/ui/pages/{page}.py").run()
        assert not at.exception, (name, page)
        shown[name, page] = markdown_texts(at)
    markup = [
        (name, page, text[:60], unescaped_markup(text))
        for (name, page), texts in shown.items()
        for text in texts
        if unescaped_markup(text)
    ]
    assert markup == []
    claim = literal(hostile_db.text("article-body-1"))  # in the lead's table of verdicts
    assert any(claim in text for text in shown["lena", "fact_check"])

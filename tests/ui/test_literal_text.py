"""`components.literal`: typed text shown through Streamlit's Markdown stays text (the
browser test tests/browser/test_hostile_text_browser.py shows it on the real pages)."""

from __future__ import annotations

import pytest

from annotator.ui.components import literal


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
        "2 new assignment(s), 0 moved; 1 article(s) still short of 2.",
    ],
)
def test_plain_prose_is_left_as_it_is(prose: str) -> None:
    assert literal(prose) == prose

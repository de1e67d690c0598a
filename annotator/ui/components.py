"""Pieces of UI shared by pages. Article text is always escaped: shown as text, never markup."""

from __future__ import annotations

import datetime as dt
import html
import re

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from annotator.scheme import Scheme
from annotator.services.accounts import MIN_PASSWORD_LENGTH
from annotator.services.records import ArticleInfo, LabelInfo, SentenceInfo
from annotator.temporal import Span
from annotator.ui.keys import DATE_BOUND

CONTEXT_SENTENCES = 2  # neighbours always shown on each side, across paragraph breaks
MAX_PARAGRAPH_SIDE = 8  # at most this many more of the current paragraph on each side
MAX_CHARS_BEFORE = 400  # so the current sentence starts near the top of the fixed-height box
EARLIEST, LATEST = dt.date(1800, 1, 1), dt.date(2199, 12, 31)  # what a date field reaches
# The help of every new-password field.
PASSWORD_POLICY = (
    f"At least {MIN_PASSWORD_LENGTH} characters, not the user name, not a common password."
)
STYLE = """
<style>
/* Less empty space above the title, so a 1366x768 laptop shows the whole annotate panel. */
[data-testid="stMainBlockContainer"] {padding-top: 2.5rem;}
.ca-meta {opacity: 0.7; font-size: 0.9rem; margin-bottom: 0.25rem;}
.ca-title {font-size: 1.35rem; font-weight: 650; line-height: 1.3; margin: 0 0 0.25rem 0;}
/* Colours are mixed from the theme's text colour, so light and dark themes both read well.
   The box is as tall as the window allows (up to 16.5rem): the buttons below stay in view. */
.ca-context {font-size: 1.05rem; line-height: 1.65; white-space: pre-wrap;
  border-left: 3px solid rgba(128, 128, 128, 0.35); padding: 0.25rem 0.5rem 0.25rem 0.9rem;
  color: color-mix(in srgb, currentColor 78%, transparent);
  height: clamp(7rem, calc(100vh - 30rem), 16.5rem); overflow-y: auto;}
.ca-context mark {background: #fde68a; color: #111827; padding: 0.1rem 0.15rem;
  border-radius: 3px;}
.ca-context .ca-time {border-bottom: 2px solid #2563eb; background: #dbeafe;
  border-radius: 2px;}
.ca-context .ca-done {text-decoration: underline dotted #10b981 2px;
  text-underline-offset: 4px;}
.ca-context .ca-skipped {text-decoration: underline wavy #9ca3af 1px;
  text-underline-offset: 4px; opacity: 0.75;}
.ca-definitions {font-size: 0.95rem; line-height: 1.45;}
.ca-definitions .ca-def {opacity: 0.8; font-size: 0.875rem; margin-top: 0.2rem;}
.ca-definitions .ca-torn {background: rgba(59, 130, 246, 0.12); padding: 0.5rem 0.75rem;
  border-radius: 6px;}
.ca-keys {font-size: 0.9rem; border-collapse: collapse; margin-bottom: 0.75rem;}
.ca-keys td {padding: 0.1rem 0.6rem 0.1rem 0; border: none; vertical-align: top;}
.ca-keys kbd {font-family: ui-monospace, monospace; background: rgba(128, 128, 128, 0.15);
  border: 1px solid rgba(128, 128, 128, 0.45); border-radius: 4px; padding: 0 0.35rem;}
.ca-guidelines {white-space: pre-wrap; font-size: 0.9rem; max-height: 20rem; overflow-y: auto;}
</style>
"""
# Characters that start Markdown, HTML or math anywhere in a line (prose punctuation such as
# . , ' - ( ) ! is left alone, so messages read the same in tests and logs).
MARKDOWN_INLINE = re.compile(r"[\\`*_\[\]<>&~$|#]")
# A run without spaces holding a colon that is not just a word's last character: where
# Streamlit finds `:smile:` emoji, `:material/home:` icons and `:red[...]` colours (its colons
# and slashes are escaped).
COLON_RUN = re.compile(r"\S*:\S+|\S*:\S*:")
# What starts a list or an underline only at the start of a line: `-`, `+`, `=`, `1.`, `1)`.
MARKDOWN_LINE_START = re.compile(r"^([ \t]*\d*)([-+=.)])", re.MULTILINE)


def literal(text: str) -> str:
    """`text` for a Streamlit element that reads Markdown (a button or widget label, a
    message, a caption, a `st.table` cell), escaped so it shows exactly as typed.

    Project names, scheme labels, notes and error messages quoting them are typed by users;
    unescaped, `![x](http://host/pixel.png)` in a label would load an image from that host.
    """
    escaped = MARKDOWN_INLINE.sub(lambda m: "\\" + m.group(), text)
    escaped = COLON_RUN.sub(lambda m: re.sub(r"[:/]", r"\\\g<0>", m.group()), escaped)
    return MARKDOWN_LINE_START.sub(r"\1\\\2", escaped)


def text_table(table: pd.DataFrame) -> None:
    """`table` as a `st.table`, every text cell and row or column name shown as typed.

    `st.table` reads each cell as Markdown: a note or a claim holding `![x](http://host/p.png)`
    would load that image, `$...$` would draw maths. So every string goes through `literal`.
    """

    def escaped(value: object) -> object:
        return literal(value) if isinstance(value, str) else value

    st.table(table.map(escaped).rename(index=escaped, columns=escaped))


def inject_style() -> None:
    """The page's small stylesheet (no script, no external content)."""
    st.html(STYLE)


def published_text(article: ArticleInfo) -> str:
    """The publication date as a day, else as written (a month, a date in an order the import
    was not told), else `Undated`: a month is never shown as its first day."""
    if article.published is not None:
        return f"Published {article.published.isoformat()}"
    return f"Published {article.published_raw} (as written)" if article.published_raw else "Undated"


def article_header(article: ArticleInfo) -> None:
    """Title, date, byline and source of an article, as escaped text."""
    meta = [
        published_text(article),
        f"by {article.byline}" if article.byline else "",
        article.source or "",
    ]
    st.html(
        f'<div class="ca-title">{html.escape(article.title)}</div>'
        f'<div class="ca-meta">{html.escape(" · ".join(m for m in meta if m))}</div>'
    )


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The blank-line-separated paragraph of `text` around the span [start, end)."""
    left = text.rfind("\n\n", 0, start)
    right = text.find("\n\n", end)
    return (0 if left < 0 else left + 2), (len(text) if right < 0 else right)


def context_window(article: ArticleInfo, current: SentenceInfo) -> tuple[SentenceInfo, ...]:
    """The current sentence's paragraph and two neighbours either side, within bounds.

    The page shows this in a box of fixed height, so the buttons below never move; the text
    before the current sentence is capped so that the sentence itself is always in view.
    """
    sentences = article.sentences
    at = current.index
    low, high = paragraph_bounds(article.text, current.start, current.end)
    first = next(i for i in range(at, -1, -1) if i == 0 or sentences[i - 1].end <= low)
    last = next(
        i
        for i in range(at, len(sentences))
        if i + 1 == len(sentences) or sentences[i + 1].start >= high
    )
    start = max(min(first, at - CONTEXT_SENTENCES), at - MAX_PARAGRAPH_SIDE, 0)
    while start < at and current.start - sentences[start].start > MAX_CHARS_BEFORE:
        start += 1
    stop = min(max(last, at + CONTEXT_SENTENCES), at + MAX_PARAGRAPH_SIDE) + 1
    return sentences[start:stop]


def sentence_in_context(
    article: ArticleInfo,
    current: SentenceInfo,
    labels: dict[int, LabelInfo],
    spans: tuple[Span, ...] = (),
) -> None:
    """The current sentence highlighted in its paragraph, with the sentences around it and
    its temporal expressions (`spans`, offsets into the sentence) marked; the original line
    breaks between sentences are kept, so paragraphs stay visible."""
    st.html(context_html(article, current, labels, spans))


def context_html(
    article: ArticleInfo,
    current: SentenceInfo,
    labels: dict[int, LabelInfo],
    spans: tuple[Span, ...] = (),
) -> str:
    """The context box's markup: every piece of article text escaped."""
    window = context_window(article, current)
    parts = []
    for i, sentence in enumerate(window):
        if i:
            parts.append(html.escape(article.text[window[i - 1].end : sentence.start]))
        if sentence.id == current.id:
            text = marked_spans(sentence.text, spans)
            parts.append(
                f'<mark data-testid="ca-current" data-sentence="{sentence.id}">{text}</mark>'
            )
        elif sentence.id in labels:
            kind = "ca-skipped" if labels[sentence.id].skipped else "ca-done"
            title = "skipped" if labels[sentence.id].skipped else "labelled"
            parts.append(
                f'<span class="{kind}" title="{title}">{html.escape(sentence.text)}</span>'
            )
        else:
            parts.append(html.escape(sentence.text))
    return f'<div class="ca-context" data-testid="ca-context">{"".join(parts)}</div>'


def marked_spans(text: str, spans: tuple[Span, ...]) -> str:
    """`text` escaped, each temporal span wrapped in `<span class="ca-time">` whose title is
    the date it resolves to (or says that it resolves to none)."""
    parts, at = [], 0
    for start, end, day in spans:
        title = day.isoformat() if day is not None else "no calendar date"
        parts.append(html.escape(text[at:start]))
        parts.append(f'<span class="ca-time" title="{title}">{html.escape(text[start:end])}</span>')
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def date_field(
    label: str, value: dt.date | None, key: str, where: DeltaGenerator | None = None
) -> dt.date | None:
    """A date input that reads `YYYY-MM-DD` like every other date of the app, starts at
    `value` (None: empty) and reaches the dates articles are about (Streamlit's own range is
    ten years either side of the start)."""
    date_input = st.date_input if where is None else where.date_input
    return date_input(
        label, value=value, min_value=EARLIEST, max_value=LATEST, format="YYYY-MM-DD", key=key
    )


def shortened(text: str, limit: int) -> str:
    """`text` if it has at most `limit` characters, else its start, cut after a word where
    one ends in the second half, and an ellipsis (at most `limit` characters in all)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ", limit // 2)
    return (cut[:space] if space > 0 else cut).rstrip() + "…"


def body_number(article: ArticleInfo, sentence_id: int) -> int | None:
    """The sentence's number among the article's body sentences (from 1), as annotators see
    it; None for a sentence that is not body text."""
    return next((i for i, s in enumerate(article.body, start=1) if s.id == sentence_id), None)


def definitions(scheme: Scheme, guidelines: str, keys: list[tuple[str, str]]) -> None:
    """Every key of the page, the scheme's label definitions with examples, then the
    project's guidelines.

    A scheme and its guidelines come from files a lead uploads, so they are shown as escaped
    text, never as markdown or HTML.
    """
    rows = "".join(
        f"<tr><td><kbd>{html.escape(key)}</kbd></td><td>{html.escape(action)}</td></tr>"
        for key, action in keys
    )
    parts = [f'<table class="ca-keys" data-testid="ca-keys">{rows}</table>']
    parts += [_term_html(c.label, c.key, c.definition, c.examples) for c in scheme.claim_types]
    if scheme.date_bound_applies_to is not None:
        parts.append(_term_html("Date-bound", DATE_BOUND, scheme.date_bound_definition, ()))
    if scheme.torn_test:
        parts.append(f'<p class="ca-torn">{html.escape(scheme.torn_test)}</p>')
    if guidelines.strip():
        text = html.escape(guidelines)
        parts.append(f'<p><b>Project guidelines</b></p><div class="ca-guidelines">{text}</div>')
    st.html(f'<div class="ca-definitions">{"".join(parts)}</div>')


def _term_html(label: str, key: str, definition: str, examples: tuple[str, ...]) -> str:
    """One defined term: its name and key, the definition, and examples, all escaped."""
    lines = [f"<b>{html.escape(label)}</b> — key <code>{html.escape(key.upper())}</code>"]
    lines.append(f'<div class="ca-def">{html.escape(definition)}</div>')
    lines += [f'<div class="ca-def"><i>e.g.</i> {html.escape(e)}</div>' for e in examples]
    return f"<p>{''.join(lines)}</p>"

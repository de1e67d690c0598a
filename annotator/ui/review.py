"""The review table at the end of an article: every label of the article in one editable
table, each changed row saved through the label service (so it goes to the history)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from annotator.date_bound import suggest
from annotator.scheme import Scheme
from annotator.services.labelling import LabelInput
from annotator.services.records import ArticleInfo, LabelInfo, SentenceInfo
from annotator.ui import state
from annotator.ui.messages import flash

SKIPPED = "(skipped)"
COLUMNS = ("#", "sentence", "label", "date-bound", "as of", "note")
EDITABLE = ("label", "date-bound", "as of", "note")
Save = Callable[[SentenceInfo, LabelInput], bool]
ROW_HEIGHT = 116  # pixels: six lines of a sentence (cells wrap their text at this height)
SENTENCE_WIDTH = 260  # pixels


def review_table(
    article: ArticleInfo, labels: dict[int, LabelInfo], scheme: Scheme
) -> pd.DataFrame:
    """One row per body sentence: its text and the annotator's current answer."""
    rows = [_row(i, s, labels.get(s.id), scheme) for i, s in enumerate(article.body)]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _row(i: int, sentence: SentenceInfo, label: LabelInfo | None, scheme: Scheme) -> list[object]:
    if label is None:
        shown = None
    elif label.skipped or label.claim_type is None:
        shown = SKIPPED
    else:
        shown = scheme.claim_type(label.claim_type).label
    date_bound = bool(label and label.date_bound)
    as_of = label.as_of if label is not None else None
    return [i + 1, sentence.text, shown, date_bound, as_of, label.note if label else ""]


def _cell(value: object) -> object:
    """A cell as a comparable plain value (the editor returns NaN/NaT/None for empty cells)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def row_answer(row: pd.Series, scheme: Scheme, default_as_of: dt.date | None) -> LabelInput | None:
    """The answer a table row states; None when the row has no label chosen."""
    label = _cell(row["label"])
    note = _cell(row["note"]) or ""
    assert isinstance(note, str)
    if label is None:
        return None
    if label == SKIPPED:
        return LabelInput(None, skipped=True, note=note)
    value = next(c.value for c in scheme.claim_types if c.label == label)
    date_bound = bool(_cell(row["date-bound"]))
    as_of = _day(_cell(row["as of"])) or default_as_of
    return LabelInput(value, date_bound=date_bound, as_of=as_of if date_bound else None, note=note)


def _day(value: object) -> dt.date | None:
    """A date cell: a date, or the ISO text the browser sends for an edited one."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    assert value is None or isinstance(value, dt.date)
    return value


def review_editor(
    article: ArticleInfo, labels: dict[int, LabelInfo], scheme: Scheme, save: Save
) -> None:
    """The table of the article's answers; an edit saves each changed row, and the next run
    shows a fresh table read from the stored labels."""
    key = f"review_{article.id}_{state.article_work().review_version}"
    st.data_editor(
        review_table(article, labels, scheme),
        key=key,
        hide_index=True,
        width="stretch",
        height="content",  # every row on the page: the table itself never scrolls
        row_height=ROW_HEIGHT,
        placeholder="",
        disabled=[c for c in COLUMNS if c not in EDITABLE],
        column_config=_column_config(scheme),
        on_change=_on_edit,
        args=(article, scheme, key, save),
    )


def edited_answers(
    before: pd.DataFrame,
    edited_rows: dict[int | str, dict[str, object]],
    scheme: Scheme,
    default_as_of: Sequence[dt.date | None],
) -> list[tuple[int, LabelInput | None]]:
    """The answer each edited row now states, by row position, from the editor's edit state
    (cells as the browser sends them: text, booleans, ISO dates); `default_as_of[i]` is row
    i's as-of date when date-bound is ticked without one."""
    answers = []
    for i, changes in sorted((int(i), changes) for i, changes in edited_rows.items()):
        row = before.iloc[i].copy()
        for column, value in changes.items():
            row[column] = value
        answers.append((i, row_answer(row, scheme, default_as_of[i])))
    return answers


def suggested_as_of_dates(article: ArticleInfo) -> list[dt.date | None]:
    """Each body sentence's suggested as-of date (`annotator.date_bound.suggest`): the
    publication date unless the sentence names the day its claim holds for."""
    return [suggest(s.text, article.published)[1] for s in article.body]


@state.while_signed_in
def _on_edit(article: ArticleInfo, scheme: Scheme, key: str, save: Save) -> None:
    """Save the edited rows in order; stop at the first one that cannot be saved."""
    work = state.article_work()
    before = review_table(article, work.labels, scheme)
    edited = st.session_state[key]["edited_rows"]
    for i, answer in edited_answers(before, edited, scheme, suggested_as_of_dates(article)):
        if answer is None:
            flash(state.FLASH, "error", f"Row {i + 1}: choose a label first.")
            break
        if not save(article.body[i], answer):
            break
    work.review_version += 1


def _column_config(scheme: Scheme) -> dict[str, ColumnConfig | None]:
    options = [*(c.label for c in scheme.claim_types), SKIPPED]
    config: dict[str, ColumnConfig | None] = {
        "#": st.column_config.NumberColumn(width=36),
        "sentence": st.column_config.TextColumn(width=SENTENCE_WIDTH),
        "label": st.column_config.SelectboxColumn(options=options, width=110),
        "date-bound": st.column_config.CheckboxColumn(width=110),
        "as of": st.column_config.DateColumn(format="YYYY-MM-DD", width=90),
        "note": st.column_config.TextColumn(max_chars=5_000, width=100),
    }
    if scheme.date_bound_applies_to is None:
        config["date-bound"] = None
        config["as of"] = None
    return config

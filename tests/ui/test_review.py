"""The review table at the end of an article: rows as the annotator's answers, and the answer
a changed row states."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.scheme import CLAIMS_V1
from annotator.services import labelling
from annotator.services.labelling import LabelInput
from annotator.services.records import ArticleInfo, LabelInfo, SentenceInfo, UserInfo
from annotator.ui.review import (
    SKIPPED,
    edited_answers,
    review_table,
    row_answer,
    suggested_as_of_dates,
)
from db.models import LabelHistory

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PUBLISHED = dt.date(2014, 11, 21)


def _article() -> ArticleInfo:
    text = "One. Two. Three."
    sentences = tuple(
        SentenceInfo(10 + i, i, s, s + len(w), "body", w)
        for i, (s, w) in enumerate([(0, "One."), (5, "Two."), (10, "Three.")])
    )
    return ArticleInfo(1, 1, "T", text, None, PUBLISHED, None, None, None, sentences)


def _labels() -> dict[int, LabelInfo]:
    return {
        10: LabelInfo(10, "factual", True, PUBLISHED, "checked", False, 2.0, NOW),
        11: LabelInfo(11, None, None, None, "why", True, 1.0, NOW),
    }


def test_the_table_shows_each_answer_and_leaves_unlabelled_rows_empty() -> None:
    table = review_table(_article(), _labels(), CLAIMS_V1)
    assert table["label"].tolist()[:2] == ["Factual claim", SKIPPED]
    assert pd.isna(table.at[2, "label"])
    assert table["date-bound"].tolist() == [True, False, False]
    assert table["as of"].tolist() == [PUBLISHED, None, None]
    assert table["note"].tolist() == ["checked", "why", ""]


def test_edits_as_the_browser_sends_them_become_answers_in_row_order() -> None:
    before = review_table(_article(), _labels(), CLAIMS_V1)
    edited: dict[int | str, dict[str, object]] = {
        "2": {"label": "Opinion"},
        "0": {"as of": "2014-11-17", "note": "moved"},
        "1": {"note": "still skipped"},
    }
    assert edited_answers(before, edited, CLAIMS_V1, [PUBLISHED] * 3) == [
        (0, LabelInput("factual", date_bound=True, as_of=dt.date(2014, 11, 17), note="moved")),
        (1, LabelInput(None, skipped=True, note="still skipped")),
        (2, LabelInput("opinion", date_bound=False, note="")),
    ]
    assert edited_answers(before, {"2": {"note": "no label"}}, CLAIMS_V1, [None] * 3) == [(2, None)]


def test_a_review_edit_saved_through_the_label_service_appends_history(
    seeded: Session, admin_user: UserInfo
) -> None:
    article_id = labelling.article_list(seeded, admin_user, "default")[0].id
    article = labelling.load_article(seeded, admin_user, article_id)
    first = article.body[0]
    labelling.save_label(seeded, admin_user, first.id, LabelInput("opinion"), 3.0)
    labels = labelling.article_labels(seeded, admin_user, article.id)
    before = review_table(article, labels, CLAIMS_V1)
    edit: dict[int | str, dict[str, object]] = {0: {"label": "Not a claim"}}
    ((row, answer),) = edited_answers(before, edit, CLAIMS_V1, [None] * len(article.body))
    assert answer is not None
    labelling.save_label(seeded, admin_user, article.body[row].id, answer, 0.0)
    assert labelling.article_labels(seeded, admin_user, article.id)[first.id].seconds_spent == 3.0
    history = seeded.scalars(select(LabelHistory).order_by(LabelHistory.id)).all()
    assert [json.loads(h.new)["claim_type"] for h in history] == ["opinion", "not_claim"]


def test_a_row_states_a_label_a_skip_or_nothing() -> None:
    table = review_table(_article(), _labels(), CLAIMS_V1)
    assert row_answer(table.iloc[0], CLAIMS_V1, PUBLISHED) == LabelInput(
        "factual", date_bound=True, as_of=PUBLISHED, note="checked"
    )
    assert row_answer(table.iloc[1], CLAIMS_V1, PUBLISHED) == LabelInput(
        None, skipped=True, note="why"
    )
    assert row_answer(table.iloc[2], CLAIMS_V1, PUBLISHED) is None


def test_ticking_date_bound_without_a_date_takes_the_default_as_of() -> None:
    row = pd.Series({"label": "Factual claim", "date-bound": True, "as of": pd.NaT, "note": None})
    assert row_answer(row, CLAIMS_V1, PUBLISHED) == LabelInput(
        "factual", date_bound=True, as_of=PUBLISHED, note=""
    )
    row["date-bound"] = False
    assert row_answer(row, CLAIMS_V1, PUBLISHED) == LabelInput("factual", date_bound=False)


def test_a_row_ticked_date_bound_takes_the_as_of_its_sentence_names_never_a_first_of_year() -> None:
    text = "By the end of 2013 the bank had opened 40 branches. Rates rose in 2014."
    sentences = (
        SentenceInfo(10, 0, 0, 51, "body", text[:51]),
        SentenceInfo(11, 1, 52, len(text), "body", text[52:]),
    )
    article = ArticleInfo(1, 1, "T", text, None, PUBLISHED, None, None, None, sentences)
    defaults = suggested_as_of_dates(article)
    assert defaults == [dt.date(2013, 12, 31), PUBLISHED]
    before = review_table(article, {}, CLAIMS_V1)
    ticked: dict[int | str, dict[str, object]] = {
        i: {"label": "Factual claim", "date-bound": True} for i in (0, 1)
    }
    assert [a.as_of for _, a in edited_answers(before, ticked, CLAIMS_V1, defaults) if a] == [
        dt.date(2013, 12, 31),
        PUBLISHED,
    ]

"""Progress counters stay equal to a recount of the labels after any sequence of writes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.services import accounts, counts, labelling
from annotator.services.labelling import LabelInput
from annotator.services.progress import project_progress
from annotator.services.projects import find_project
from db.models import ArticleLabelCount, LabelDayCount, LabelSecondCount
from tests.conftest import PASSWORD


def _counters(session: Session) -> set[tuple[object, ...]]:
    days = session.execute(
        select(
            LabelDayCount.annotator_id,
            LabelDayCount.day,
            LabelDayCount.labels,
            LabelDayCount.skipped,
            LabelDayCount.seconds,
        ).where(LabelDayCount.labels != 0)
    )
    seconds = session.execute(
        select(
            LabelSecondCount.annotator_id, LabelSecondCount.second, LabelSecondCount.labels
        ).where(LabelSecondCount.labels != 0)
    )
    articles = session.execute(
        select(
            ArticleLabelCount.annotator_id, ArticleLabelCount.article_id, ArticleLabelCount.labels
        ).where(ArticleLabelCount.labels != 0)
    )
    found = {tuple(r) for r in days} | {tuple(r) for r in seconds}
    found |= {("article", *r) for r in articles}
    session.commit()
    return found


def test_counters_equal_a_recount_after_labels_change_and_skip(seeded: Session) -> None:
    accounts.create_user(seeded, "admin", "admin", PASSWORD)
    lena = accounts.create_user(seeded, "lena", "annotator", PASSWORD)
    article = labelling.article_list(seeded, lena, "default")[0]
    body = labelling.load_article(seeded, lena, article.id).body
    labelling.save_label(seeded, lena, body[0].id, LabelInput("opinion"), 3.0)
    labelling.save_label(seeded, lena, body[0].id, LabelInput(None, skipped=True), 4.0)
    labelling.save_label(seeded, lena, body[1].id, LabelInput("opinion"), 12.0)
    labelling.save_label(seeded, lena, body[1].id, LabelInput("opinion"), 1.0)
    kept = _counters(seeded)
    with seeded.begin():
        counts.recount(seeded, find_project(seeded, "default").id)
    assert _counters(seeded) == kept
    assert ("article", lena.id, article.id, 2) in kept
    assert labelling.article_list(seeded, lena, "default")[0].n_done == 2
    row = project_progress(seeded, None, "default").annotators[0]
    assert (row.done, row.skipped, row.median_seconds) == (2, 1, 10.0)


def test_done_count_follows_the_counters(seeded: Session) -> None:
    accounts.create_user(seeded, "admin", "admin", PASSWORD)
    lena = accounts.create_user(seeded, "lena", "annotator", PASSWORD)
    article = labelling.article_list(seeded, lena, "default")[0]
    body = labelling.load_article(seeded, lena, article.id).body
    for sentence in body[:3]:
        labelling.save_label(seeded, lena, sentence.id, LabelInput("opinion"), 2.0)
    labelling.save_label(seeded, lena, body[0].id, LabelInput(None, skipped=True), 2.0)
    assert labelling.done_count(seeded, lena, "default") == 3

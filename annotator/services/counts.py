"""Counters, kept up to date in the transaction that writes a label, an assignment or an
outcome.

Why: the progress page used to read every label of a project into Python; at a million labels
that took seconds on every visit. Each label write now moves the label between two small
counter rows (by day, and by whole seconds spent), counts a new label in its article's row and
counts the change in its annotator's change count (the agreement snapshot's stamp); each
assignment write moves an article's body sentences to or from its annotator's row; each
outcome write moves its sentence between status counts. So progress, the annotate page's
article list and the adjudication page read a few rows per annotator, article or status.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, NamedTuple

from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import Session

from db.engine import dialect_insert
from db.models import (
    Article,
    ArticleLabelCount,
    AssignedCount,
    Assignment,
    Label,
    LabelChangeCount,
    LabelDayCount,
    LabelHistory,
    LabelSecondCount,
    Outcome,
    OutcomeCount,
    Sentence,
)

OutcomeKey = tuple[str, str]  # (status, gold method or '')


class LabelState(NamedTuple):
    """What the counters know of one label."""

    skipped: bool
    seconds: float
    day: dt.date


def state(label: Label | None) -> LabelState | None:
    """The counted state of a label row (None for no label)."""
    if label is None or label.updated_at is None:
        return None
    return LabelState(
        bool(label.skipped), float(label.seconds_spent or 0.0), label.updated_at.date()
    )


def record(
    session: Session,
    project_id: int,
    article_id: int,
    annotator_id: int,
    before: LabelState | None,
    after: LabelState | None,
) -> None:
    """Move one label's count from its state `before` a write to its state `after` it."""
    if before == after:
        return
    if (before is None) != (after is None):
        added = 1 if before is None else -1
        values = {"annotator_id": annotator_id, "article_id": article_id, "labels": added}
        _upsert(session, ArticleLabelCount, values)
    if before is not None:
        _bump(session, project_id, annotator_id, before, -1)
    if after is not None:
        _bump(session, project_id, annotator_id, after, 1)


def _bump(
    session: Session, project_id: int, annotator_id: int, label: LabelState, sign: int
) -> None:
    key = {"project_id": project_id, "annotator_id": annotator_id}
    day = {"day": label.day, "labels": sign, "skipped": sign * label.skipped}
    _upsert(session, LabelDayCount, {**key, **day, "seconds": sign * label.seconds})
    second = {"second": round(label.seconds), "labels": sign}
    _upsert(session, LabelSecondCount, {**key, **second})


def assigned(session: Session, project_id: int, annotator_id: int, n_body: int, sign: int) -> None:
    """Count one article of `n_body` body sentences given to (1) or taken from (-1) an
    annotator."""
    values = {"articles": sign, "sentences": sign * n_body}
    _upsert(
        session, AssignedCount, {"project_id": project_id, "annotator_id": annotator_id, **values}
    )


def labels_changed(session: Session, project_id: int, annotator_id: int, changes: int) -> None:
    """Count `changes` new `label_history` rows of an annotator's labels in a project."""
    values = {"project_id": project_id, "annotator_id": annotator_id, "changes": changes}
    _upsert(session, LabelChangeCount, values)


def label_changes(session: Session, project_id: int) -> int:
    """How many label changes the project has had (a few rows: one per annotator)."""
    total = session.scalar(
        select(func.sum(LabelChangeCount.changes)).where(LabelChangeCount.project_id == project_id)
    )
    return int(total or 0)


def outcome_key(outcome: Outcome | None) -> OutcomeKey | None:
    """What the outcome counts file a sentence under (None: no outcome row)."""
    return None if outcome is None else (outcome.status, outcome.method or "")


def outcome_moved(
    session: Session, project_id: int, before: OutcomeKey | None, after: OutcomeKey | None
) -> None:
    """Move one sentence from the outcome count `before` a write to the one `after` it."""
    if before == after:
        return
    for key, sign in ((before, -1), (after, 1)):
        if key is not None:
            values = {"status": key[0], "method": key[1], "sentences": sign}
            _upsert(session, OutcomeCount, {"project_id": project_id, **values})


def _upsert(session: Session, model: Any, values: dict[str, Any]) -> None:
    """Insert the row, or add its counts to the row already there (one statement, no race)."""
    statement = dialect_insert(session, model).values(values)
    keys = [c.name for c in model.__table__.primary_key.columns]
    added = {
        name: getattr(model, name) + getattr(statement.excluded, name)
        for name in values
        if name not in keys
    }
    session.execute(statement.on_conflict_do_update(index_elements=keys, set_=added))


def counted_article_labels() -> Select[int, int, int]:
    """(annotator, article, labels) counted from the labels: what `article_label_counts`
    must hold (`recount` and `check` both use it)."""
    return (
        select(Label.annotator_id, Sentence.article_id, func.count().label("labels"))
        .join(Sentence, Sentence.id == Label.sentence_id)
        .group_by(Label.annotator_id, Sentence.article_id)
    )


def counted_assignments() -> Select[int, int, int, int]:
    """(project, annotator, articles, body sentences) counted from the assignments: what
    `assigned_counts` must hold (`recount` and `check` both use it)."""
    return (
        select(
            Assignment.project_id,
            Assignment.annotator_id,
            func.count(),
            func.sum(Article.n_body),
        )
        .join(Article, Article.id == Assignment.article_id)
        .group_by(Assignment.project_id, Assignment.annotator_id)
    )


def counted_outcomes() -> Select[int, str, str, int]:
    """(project, status, method or '', sentences) counted from the outcomes: what
    `outcome_counts` must hold (`recount` and `check` both use it)."""
    method = func.coalesce(Outcome.method, "")
    return select(Outcome.project_id, Outcome.status, method, func.count()).group_by(
        Outcome.project_id, Outcome.status, method
    )


def counted_label_changes() -> Select[int, int, int]:
    """(project, annotator, changes) counted from the label history: what
    `label_change_counts` must hold (`recount` and `check` both use it)."""
    return (
        select(Article.project_id, Label.annotator_id, func.count())
        .select_from(LabelHistory)
        .join(Label, Label.id == LabelHistory.label_id)
        .join(Sentence, Sentence.id == Label.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .group_by(Article.project_id, Label.annotator_id)
    )


def recount(session: Session, project_id: int) -> None:
    """Rebuild a project's counters from its labels, assignments and outcomes (for data
    written around the services)."""
    for model in (LabelDayCount, LabelSecondCount, AssignedCount, OutcomeCount, LabelChangeCount):
        session.query(model).filter(model.project_id == project_id).delete()
    articles = select(Article.id).where(Article.project_id == project_id)
    session.query(ArticleLabelCount).filter(ArticleLabelCount.article_id.in_(articles)).delete()
    for counter, counted in (
        (ArticleLabelCount, counted_article_labels().where(Sentence.article_id.in_(articles))),
        (AssignedCount, counted_assignments().where(Assignment.project_id == project_id)),
        (OutcomeCount, counted_outcomes().where(Outcome.project_id == project_id)),
        (LabelChangeCount, counted_label_changes().where(Article.project_id == project_id)),
    ):
        _refill(session, counter, counted)
    rows = session.execute(
        select(Label.annotator_id, Label.skipped, Label.seconds_spent, Label.updated_at)
        .join(Sentence, Sentence.id == Label.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .where(Article.project_id == project_id)
    )
    days: dict[tuple[int, dt.date], list[float]] = defaultdict(lambda: [0, 0, 0.0])
    seconds: dict[tuple[int, int], int] = defaultdict(int)
    for annotator_id, skipped, spent, when in rows:
        totals = days[(annotator_id, when.date())]
        totals[0] += 1
        totals[1] += bool(skipped)
        totals[2] += spent
        seconds[(annotator_id, round(spent))] += 1
    _insert_all(session, project_id, days, seconds)


def _refill(session: Session, model: Any, counted: Select[*tuple[Any, ...]]) -> None:
    """Insert the rows a `counted_...` query gives into its counter table (the query's
    columns are the table's, in order; a sum over no rows counts 0)."""
    names = [column.name for column in model.__table__.columns]
    rows = [
        dict(zip(names, (0 if v is None else v for v in row), strict=True))
        for row in session.execute(counted)
    ]
    if rows:
        session.execute(insert(model), rows)


def _insert_all(
    session: Session,
    project_id: int,
    days: dict[tuple[int, dt.date], list[float]],
    seconds: dict[tuple[int, int], int],
) -> None:
    if days:
        session.execute(
            insert(LabelDayCount),
            [
                dict(
                    project_id=project_id,
                    annotator_id=a,
                    day=d,
                    labels=int(n),
                    skipped=int(s),
                    seconds=t,
                )
                for (a, d), (n, s, t) in days.items()
            ],
        )
    if seconds:
        session.execute(
            insert(LabelSecondCount),
            [
                dict(project_id=project_id, annotator_id=a, second=s, labels=n)
                for (a, s), n in seconds.items()
            ],
        )

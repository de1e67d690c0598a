"""Progress counters, kept up to date in the transaction that writes a label or an assignment.

Why: the progress page used to read every label of a project into Python; at a million labels
that took seconds on every visit. Each label write now moves the label between two small
counter rows (by day, and by whole seconds spent) and counts a new label in its article's row;
each assignment write moves an article's body sentences to or from its annotator's row. So
progress and the annotate page's article list read a few rows per annotator or article.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, NamedTuple

from sqlalchemy import Select, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.models import (
    Article,
    ArticleLabelCount,
    AssignedCount,
    Assignment,
    Label,
    LabelDayCount,
    LabelSecondCount,
    Sentence,
)


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


def _upsert(session: Session, model: Any, values: dict[str, Any]) -> None:
    """Insert the row, or add its counts to the row already there (one statement, no race)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).values(values)
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


def recount(session: Session, project_id: int) -> None:
    """Rebuild a project's counters from its labels and assignments (for data written around
    the services)."""
    for model in (LabelDayCount, LabelSecondCount, AssignedCount):
        session.query(model).filter(model.project_id == project_id).delete()
    articles = select(Article.id).where(Article.project_id == project_id)
    session.query(ArticleLabelCount).filter(ArticleLabelCount.article_id.in_(articles)).delete()
    done = session.execute(counted_article_labels().where(Sentence.article_id.in_(articles))).all()
    if done:
        session.execute(
            insert(ArticleLabelCount),
            [dict(annotator_id=a, article_id=r, labels=n) for a, r, n in done],
        )
    held = session.execute(counted_assignments().where(Assignment.project_id == project_id)).all()
    if held:
        session.execute(
            insert(AssignedCount),
            [
                dict(project_id=p, annotator_id=a, articles=n, sentences=int(s or 0))
                for p, a, n, s in held
            ],
        )
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

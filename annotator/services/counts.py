"""Counters, kept up to date in the transaction that writes a label, an assignment or an
outcome, and read here too: no other service touches the counter tables.

Why: the progress page used to read every label of a project into Python; at a million labels
that took seconds on every visit. So progress, the annotate page's article list and the
adjudication page read a few rows per annotator, article or status instead.

Each kind of write has one upkeep function, which its service calls once per write:

- `labels_written`: a label moves between two small counter rows (by day, and by whole
  seconds spent), a new label counts in its article's row, and each `label_history` row counts
  in its annotator's change count (the agreement snapshot's stamp);
- `assignments_changed`: an article's body sentences move to or from its annotator's row, and
  the article's `n_assigned` follows;
- `outcomes_moved`: a sentence moves between outcome counts by status and gold method.

Each adds up a batch of writes in Python first, so a bulk write (import-labels, `assign`,
re-settling a project) costs one statement per counter table (per 500 counter rows), not a
few per row; `n_assigned` takes one UPDATE per article whose number of annotators changed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, func, insert, select, update
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
ROWS_PER_STATEMENT = 500  # counter rows in one INSERT (6 columns: far below both limits)


class LabelState(NamedTuple):
    """What the counters know of one label."""

    skipped: bool
    seconds: float
    day: dt.date


class LabelWrite(NamedTuple):
    """One label written: whose, in which article, its counted state before and after the
    write (None: no label), and whether the write appended a `label_history` row."""

    article_id: int
    annotator_id: int
    before: LabelState | None
    after: LabelState | None
    changed: bool


class AssignmentChange(NamedTuple):
    """One article of `n_body` body sentences given to (`sign` 1) or taken from (-1) an
    annotator; a move is one of each."""

    article_id: int
    annotator_id: int
    n_body: int
    sign: int


class OutcomeMove(NamedTuple):
    """One sentence's outcome written: what it was counted under before and after (None: no
    outcome row)."""

    project_id: int
    before: OutcomeKey | None
    after: OutcomeKey | None


def state(label: Label | None) -> LabelState | None:
    """The counted state of a label row (None for no label)."""
    if label is None or label.updated_at is None:
        return None
    return LabelState(
        bool(label.skipped), float(label.seconds_spent or 0.0), label.updated_at.date()
    )


def outcome_key(outcome: Outcome | None) -> OutcomeKey | None:
    """What the outcome counts file a sentence under (None: no outcome row)."""
    return None if outcome is None else (outcome.status, outcome.method or "")


# --- Upkeep: one function per kind of write -----------------------------------------------


def labels_written(session: Session, project_id: int, writes: Iterable[LabelWrite]) -> None:
    """Keep the label counters true after label writes in a project: the day, seconds and
    article label counts, and the label change counts."""
    articles: Counter[tuple[int, int]] = Counter()
    days: dict[tuple[int, dt.date], list[float]] = defaultdict(lambda: [0, 0, 0.0])
    seconds: Counter[tuple[int, int]] = Counter()
    changes: Counter[int] = Counter()
    for write in writes:
        changes[write.annotator_id] += write.changed
        if write.before == write.after:
            continue
        if (write.before is None) != (write.after is None):
            articles[(write.annotator_id, write.article_id)] += 1 if write.before is None else -1
        for label, sign in ((write.before, -1), (write.after, 1)):
            if label is not None:
                day = days[(write.annotator_id, label.day)]
                day[0] += sign
                day[1] += sign * label.skipped
                day[2] += sign * label.seconds
                seconds[(write.annotator_id, round(label.seconds))] += sign
    _add(session, ArticleLabelCount, [
        {"annotator_id": a, "article_id": article, "labels": n}
        for (a, article), n in sorted(articles.items()) if n
    ])  # fmt: skip
    _add(session, LabelDayCount, [
        {"project_id": project_id, "annotator_id": a, "day": d, "labels": int(n),
         "skipped": int(s), "seconds": t}
        for (a, d), (n, s, t) in sorted(days.items()) if n or s or t
    ])  # fmt: skip
    _add(session, LabelSecondCount, [
        {"project_id": project_id, "annotator_id": a, "second": second, "labels": n}
        for (a, second), n in sorted(seconds.items()) if n
    ])  # fmt: skip
    _add(session, LabelChangeCount, [
        {"project_id": project_id, "annotator_id": a, "changes": n}
        for a, n in sorted(changes.items()) if n
    ])  # fmt: skip


def assignments_changed(
    session: Session, project_id: int, changes: Iterable[AssignmentChange]
) -> None:
    """Keep the assignment counts true after assignments in a project were added, removed or
    moved: each annotator's assigned articles and body sentences, each article's n_assigned."""
    held: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    annotators: Counter[int] = Counter()
    for change in changes:
        held[change.annotator_id][0] += change.sign
        held[change.annotator_id][1] += change.sign * change.n_body
        annotators[change.article_id] += change.sign
    _add(session, AssignedCount, [
        {"project_id": project_id, "annotator_id": a, "articles": n, "sentences": s}
        for a, (n, s) in sorted(held.items()) if n or s
    ])  # fmt: skip
    for article_id, n in sorted(annotators.items()):
        if n:
            _count_annotators(session, article_id, n)


def short_of_annotators(project_id: int, overlap: int) -> ColumnElement[bool]:
    """SQL condition: an article of the project with body sentences and fewer than `overlap`
    annotators, read from the `n_assigned` counter kept here."""
    return and_(Article.project_id == project_id, Article.n_body > 0, Article.n_assigned < overlap)


def _count_annotators(session: Session, article_id: int, n: int) -> None:
    """Add `n` to an article's `n_assigned`: on the loaded row if the session holds it (the
    caller reads it next; the flush writes it), else in the database."""
    article = session.identity_map.get(session.identity_key(Article, article_id))
    if isinstance(article, Article):
        article.n_assigned += n
        return
    session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(n_assigned=Article.n_assigned + n)
        .execution_options(synchronize_session=False)  # no loaded row to bring up to date
    )


def outcomes_moved(session: Session, moves: Iterable[OutcomeMove]) -> None:
    """Keep the outcome counts true after outcome writes: each sentence leaves the count of
    its status and gold method before the write and joins the one after it."""
    sentences: Counter[tuple[int, str, str]] = Counter()
    for move in moves:
        if move.before == move.after:
            continue
        for key, sign in ((move.before, -1), (move.after, 1)):
            if key is not None:
                sentences[(move.project_id, *key)] += sign
    _add(session, OutcomeCount, [
        {"project_id": p, "status": status, "method": method, "sentences": n}
        for (p, status, method), n in sorted(sentences.items()) if n
    ])  # fmt: skip


def _add(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Add each row's counts to the counter row with its key, or insert it where there is none
    (one statement per `ROWS_PER_STATEMENT` rows, whose keys differ; no race)."""
    table = model.__table__  # a Core insert: no ORM bookkeeping on the hottest path
    keys = [c.name for c in table.primary_key.columns]
    counted = [name for name in rows[0] if name not in keys] if rows else []
    for at in range(0, len(rows), ROWS_PER_STATEMENT):
        statement = dialect_insert(session, table).values(rows[at : at + ROWS_PER_STATEMENT])
        added = {name: table.c[name] + statement.excluded[name] for name in counted}
        session.execute(statement.on_conflict_do_update(index_elements=keys, set_=added))


# --- Reads: what the pages show, and what `check` compares ----------------------------------


def label_changes(session: Session, project_id: int) -> int:
    """How many label changes the project has had (a few rows: one per annotator)."""
    total = session.scalar(
        select(func.sum(LabelChangeCount.changes)).where(LabelChangeCount.project_id == project_id)
    )
    return int(total or 0)


def project_labels(session: Session, project_id: int) -> int:
    """How many current labels the project has (a few rows: one per annotator and day)."""
    total = session.scalar(
        select(func.sum(LabelDayCount.labels)).where(LabelDayCount.project_id == project_id)
    )
    return int(total or 0)


def labels_done(session: Session, project_id: int, annotator_id: int) -> int:
    """How many body sentences of the project the annotator has labelled or skipped."""
    total = session.scalar(
        select(func.sum(LabelDayCount.labels)).where(
            LabelDayCount.project_id == project_id, LabelDayCount.annotator_id == annotator_id
        )
    )
    return int(total or 0)


def sentences_assigned(session: Session, project_id: int, annotator_id: int) -> int:
    """How many body sentences the articles assigned to the annotator hold."""
    total = session.scalar(
        select(AssignedCount.sentences).where(
            AssignedCount.project_id == project_id, AssignedCount.annotator_id == annotator_id
        )
    )
    return int(total or 0)


def with_labels_done(
    articles: Select[*tuple[Any, ...]], annotator_id: int
) -> Select[*tuple[Any, ...]]:
    """`articles` (a query of the `articles` table) with one more column: how many body
    sentences of each article the annotator has labelled or skipped."""
    kept = ArticleLabelCount
    return articles.add_columns(func.coalesce(kept.labels, 0)).outerjoin(
        kept, and_(kept.annotator_id == annotator_id, kept.article_id == Article.id)
    )


def holders(session: Session, project_id: int) -> set[int]:
    """The annotators who hold at least one article of the project."""
    return set(
        session.scalars(
            select(AssignedCount.annotator_id).where(
                AssignedCount.project_id == project_id, AssignedCount.articles > 0
            )
        )
    )


def articles_held(session: Session, project_id: int, annotators: Collection[int]) -> dict[int, int]:
    """How many articles of the project each of these annotators holds (0 for none)."""
    rows = session.execute(
        select(AssignedCount.annotator_id, AssignedCount.articles).where(
            AssignedCount.project_id == project_id, AssignedCount.annotator_id.in_(annotators)
        )
    )
    held = {annotator_id: articles for annotator_id, articles in rows}
    return {annotator_id: held.get(annotator_id, 0) for annotator_id in annotators}


def sentences_held(session: Session, project_id: int) -> dict[int, int]:
    """Body sentences each annotator holding articles of the project holds, by annotator."""
    rows = session.execute(
        select(AssignedCount.annotator_id, AssignedCount.sentences).where(
            AssignedCount.project_id == project_id, AssignedCount.articles > 0
        )
    )
    return {annotator_id: sentences for annotator_id, sentences in rows}


def label_totals(session: Session, project_id: int) -> dict[int, tuple[int, int, float]]:
    """(labels, skipped, seconds) of each annotator's current labels, by annotator."""
    rows = session.execute(
        select(
            LabelDayCount.annotator_id,
            func.sum(LabelDayCount.labels),
            func.sum(LabelDayCount.skipped),
            func.sum(LabelDayCount.seconds),
        )
        .where(LabelDayCount.project_id == project_id)
        .group_by(LabelDayCount.annotator_id)
    )
    return {a: (int(n or 0), int(s or 0), float(t or 0.0)) for a, n, s, t in rows}


def seconds_histograms(session: Session, project_id: int) -> dict[int, dict[int, int]]:
    """Each annotator's histogram (whole seconds spent -> how many labels), by annotator."""
    rows = session.execute(
        select(
            LabelSecondCount.annotator_id, LabelSecondCount.second, LabelSecondCount.labels
        ).where(LabelSecondCount.project_id == project_id, LabelSecondCount.labels > 0)
    )
    histograms: dict[int, dict[int, int]] = defaultdict(dict)
    for annotator_id, second, n in rows:
        histograms[annotator_id][second] = n
    return histograms


def labels_per_day(session: Session, project_id: int) -> tuple[tuple[dt.date, int], ...]:
    """(day, labels last changed that day) of the project's current labels, by day."""
    rows = session.execute(
        select(LabelDayCount.day, func.sum(LabelDayCount.labels))
        .where(LabelDayCount.project_id == project_id)
        .group_by(LabelDayCount.day)
        .order_by(LabelDayCount.day)
    )
    return tuple((day, int(n)) for day, n in rows if n)


def outcome_totals(session: Session, project_id: int) -> list[tuple[str, str, int]]:
    """(status, gold method or '', sentences) of the project's outcomes."""
    rows = session.execute(
        select(OutcomeCount.status, OutcomeCount.method, OutcomeCount.sentences).where(
            OutcomeCount.project_id == project_id
        )
    )
    return [(status, method, n) for status, method, n in rows]


def kept_article_labels() -> Select[int, int, int]:
    """(annotator, article, labels) as `article_label_counts` holds them (`check` compares
    them with `counted_article_labels`)."""
    kept = ArticleLabelCount
    return select(kept.annotator_id, kept.article_id, kept.labels)


def kept_assignments() -> Select[int, int, int, int]:
    """(project, annotator, articles, body sentences) as `assigned_counts` holds them."""
    kept = AssignedCount
    return select(kept.project_id, kept.annotator_id, kept.articles, kept.sentences)


def kept_outcomes() -> Select[int, str, str, int]:
    """(project, status, method or '', sentences) as `outcome_counts` holds them."""
    kept = OutcomeCount
    return select(kept.project_id, kept.status, kept.method, kept.sentences)


def kept_label_changes() -> Select[int, int, int]:
    """(project, annotator, changes) as `label_change_counts` holds them."""
    kept = LabelChangeCount
    return select(kept.project_id, kept.annotator_id, kept.changes)


# --- Recounting -----------------------------------------------------------------------------


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

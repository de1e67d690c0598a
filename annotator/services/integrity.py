"""Checking a database: every invariant the application keeps, verified from the stored rows.

The checks run in one read transaction (REPEATABLE READ on PostgreSQL), so a database that
people are labelling in meanwhile is judged on one consistent snapshot, never on half of a save.
Big tables are read as streams or in chunks ordered by key, so memory does not grow with the
number of sentences or labels; counts are compared in SQL, which returns only the rows that
disagree.

On a damaged SQLite file (`PRAGMA integrity_check` fails) or a schema that is not the newest,
the logical checks are not run: their answers would mean nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Select, and_, exists, func, literal, or_, select, text
from sqlalchemy.orm import Session

from annotator.services.counts import (
    counted_article_labels,
    counted_assignments,
    counted_label_changes,
    counted_outcomes,
    kept_article_labels,
    kept_assignments,
    kept_label_changes,
    kept_outcomes,
)
from annotator.services.labelling import LabelInput, answer_fields
from annotator.services.outcomes import Policy, Vote, decide, gold_fields, write_decision
from annotator.wording import counted, plural
from db.base import Base
from db.engine import read_transaction
from db.migrate import alembic_config
from db.models import (
    Article,
    Assignment,
    GoldHistory,
    Label,
    LabelHistory,
    Outcome,
    Project,
    Sentence,
)

AnySelect = Select[*tuple[Any, ...]]
ARTICLES_PER_FETCH = 50  # article texts held at once
ROWS_PER_FETCH = 5_000  # sentence or label rows held at once
OUTCOMES_PER_CHUNK = 1_000  # outcomes (and their sentences' labels) held at once
_OUTCOME_FIELDS = (
    "status", "n_labels", "agreement", "claim_type", "date_bound", "as_of", "method",
    "adjudicator_id",
)  # fmt: skip


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the stored data: the check that found it and what it is."""

    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


def find_problems(session: Session) -> Iterator[Problem]:
    """Every problem in the database, found on one consistent snapshot, streamed."""
    with read_transaction(session):
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        fatal = [*_schema(session), *_integrity(session)]
        yield from fatal
        if fatal:
            return
        yield from _references(session)
        yield from _sentence_spans(session)
        yield from _counts(session)
        yield from _label_history(session)
        yield from _outcomes(session)
        yield from _orphan_decisions(session)


# --- Schema and file ----------------------------------------------------------------------


def _schema(session: Session) -> list[Problem]:
    head = ScriptDirectory.from_config(alembic_config(session.get_bind().engine)).get_current_head()
    current = MigrationContext.configure(session.connection()).get_current_revision()
    if current == head:
        return []
    found = "has no migrations" if current is None else f"is at migration {current}"
    return [
        Problem(
            "schema",
            f"the database {found}; this version needs {head} (run: python -m annotator init)",
        )
    ]


def _integrity(session: Session) -> list[Problem]:
    if session.get_bind().dialect.name != "sqlite":
        return []
    lines = [str(row[0]) for row in session.execute(text("PRAGMA integrity_check"))]
    return [] if lines == ["ok"] else [Problem("integrity", line) for line in lines]


# --- References ---------------------------------------------------------------------------


def _references(session: Session) -> Iterator[Problem]:
    """Rows that point at a missing row. SQLite keeps foreign keys only on connections that
    ask for them; PostgreSQL enforces them, and the same question costs an anti-join per key."""
    if session.get_bind().dialect.name == "sqlite":
        yield from _sqlite_foreign_keys(session)
        return
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_key_constraints:
            parent = key.referred_table
            pairs = [(e.parent, e.column) for e in key.elements]
            missing = ~exists(
                select(1).select_from(parent).where(and_(*(p == c for c, p in pairs)))
            )
            present = and_(*(c.is_not(None) for c, _ in pairs))
            n = session.scalar(select(func.count()).select_from(table).where(present, missing))
            if n:
                columns = ", ".join(c.name for c, _ in pairs)
                yield Problem(
                    "references",
                    f"{counted(n, f'{table.name} row')} {plural(n, 'refers', 'refer')} to a "
                    f"missing {parent.name} row ({columns})",
                )


def _sqlite_foreign_keys(session: Session) -> Iterator[Problem]:
    columns: dict[tuple[str, int], str] = {}
    for table, rowid, parent, key_id in session.execute(text("PRAGMA foreign_key_check")):
        if (table, key_id) not in columns:
            for row in session.execute(text(f'PRAGMA foreign_key_list("{table}")')):
                columns[(table, row[0])] = str(row[3])
        yield Problem(
            "references",
            f"{table} row {rowid} refers to a missing {parent} row ({columns[(table, key_id)]})",
        )


# --- Sentences and counts -----------------------------------------------------------------


def _sentence_spans(session: Session) -> Iterator[Problem]:
    """Merge the articles (ordered by id) with their sentences (ordered by article and index):
    two streams, so only a few article texts and one batch of sentences are in memory."""
    texts = session.execute(
        select(Article.id, Article.text)
        .order_by(Article.id)
        .execution_options(yield_per=ARTICLES_PER_FETCH)
    )
    sentences = session.execute(
        select(Sentence.article_id, Sentence.id, Sentence.index, Sentence.char_start,
               Sentence.char_end)
        .order_by(Sentence.article_id, Sentence.index)
        .execution_options(yield_per=ROWS_PER_FETCH)
    )  # fmt: skip
    with texts, sentences:
        articles = iter(texts)
        article = next(articles, None)
        for article_id, rows in groupby(sentences, key=attrgetter("article_id")):
            while article is not None and article.id < article_id:
                article = next(articles, None)
            if article is not None and article.id == article_id:
                yield from span_problems(article_id, article.text, rows)


def span_problems(article_id: int, text_: str, sentences: Iterable[Any]) -> Iterator[Problem]:
    """What is wrong with one article's sentences (rows with id, index, char_start, char_end,
    in index order): the invariants `annotator.segment.sentence_spans` guarantees."""
    last_index = -1
    last_inside: Any = None  # the last sentence whose span lies inside the text
    for row in sentences:
        where = f"article {article_id} sentence {row.index} (id {row.id})"
        if row.index != last_index + 1:
            yield Problem("sentences", f"{where}: index {row.index}, expected {last_index + 1}")
        last_index = row.index
        if not 0 <= row.char_start < row.char_end <= len(text_):
            span = f"{row.char_start}-{row.char_end}"
            yield Problem("sentences", f"{where}: span {span} is not inside the text "
                          f"({len(text_)} characters)")  # fmt: skip
            continue
        for what in _span_faults(text_, row, last_inside):
            yield Problem("sentences", f"{where}: {what}")
        last_inside = row


def _span_faults(text_: str, row: Any, previous: Any) -> list[str]:
    piece = text_[row.char_start : row.char_end]
    faults = []
    if not piece.strip():
        faults.append("is empty (only whitespace)")
    elif piece != piece.strip():
        faults.append("starts or ends with whitespace (not trimmed)")
    if previous is not None and row.char_start < previous.char_start:
        faults.append(f"starts before sentence {previous.index} (out of order)")
    elif previous is not None and row.char_start < previous.char_end:
        faults.append(f"overlaps sentence {previous.index}")
    return faults


def _counts(session: Session) -> Iterator[Problem]:
    """Stored counts against counted rows; the database returns only the rows that differ."""
    for name, column, recount in (
        ("n_sentences", Article.n_sentences, _count(Sentence, Sentence.article_id == Article.id)),
        ("n_body", Article.n_body, _count(Sentence, _body_of(Article.id))),
        ("n_assigned", Article.n_assigned, _count(Assignment, Assignment.article_id == Article.id)),
    ):
        rows = session.execute(
            select(Article.id, column, recount).where(column != recount).order_by(Article.id)
        )
        for article_id, stored, actual in rows:
            yield Problem("counts", f"article {article_id}: {name} is {stored}, counted {actual}")
    body = _count(Sentence.__table__.join(Article.__table__), _in_project_body())
    for name, stored, actual in session.execute(
        select(Project.name, Project.n_body, body).where(Project.n_body != body)
    ):
        yield Problem("counts", f"project {name!r}: n_body is {stored}, counted {actual}")
    yield from _assigned_counts(session)
    yield from _article_label_counts(session)
    yield from _outcome_counts(session)
    yield from _label_change_counts(session)


def _article_label_counts(session: Session) -> Iterator[Problem]:
    """Each annotator's label count per article against their labels; the database returns
    only the pairs that differ."""
    counted = counted_article_labels().subquery()
    kept = kept_article_labels().subquery()
    same_pair = and_(
        kept.c.annotator_id == counted.c.annotator_id, kept.c.article_id == counted.c.article_id
    )
    rows = session.execute(
        select(counted.c.annotator_id, counted.c.article_id, kept.c.labels, counted.c.labels)
        .outerjoin(kept, same_pair)
        .where(or_(kept.c.labels.is_(None), kept.c.labels != counted.c.labels))
        .union_all(
            select(kept.c.annotator_id, kept.c.article_id, kept.c.labels, literal(0)).where(
                kept.c.labels != 0, ~exists(select(counted.c.labels).where(same_pair))
            )
        )
    )
    for annotator_id, article_id, stored, actual in rows:
        yield Problem(
            "counts",
            f"article {article_id}, annotator {annotator_id}: label count is {stored or 0}, "
            f"counted {actual}",
        )


def _assigned_counts(session: Session) -> Iterator[Problem]:
    """Each annotator's assigned counts against their assignments (a row per annotator)."""
    kept = kept_assignments()
    for (project_id, annotator_id), have, want in _differing(session, counted_assignments(), kept):
        yield Problem(
            "counts",
            f"project {project_id}, annotator {annotator_id}: assigned counts are {have[0]} "
            f"articles and {have[1]} sentences, counted {want[0]} and {want[1]}",
        )


def _outcome_counts(session: Session) -> Iterator[Problem]:
    """The outcome counts by status and method against the outcomes (a row per status)."""
    for (project_id, status, method), have, want in _differing(
        session, counted_outcomes(), kept_outcomes(), keys=3
    ):
        how = f"{status} ({method})" if method else status
        yield Problem(
            "counts",
            f"project {project_id}: outcome count for {how} is {have[0]}, counted {want[0]}",
        )


def _label_change_counts(session: Session) -> Iterator[Problem]:
    """Each annotator's label change count against their labels' history rows."""
    for (project_id, annotator_id), have, want in _differing(
        session, counted_label_changes(), kept_label_changes()
    ):
        yield Problem(
            "counts",
            f"project {project_id}, annotator {annotator_id}: label change count is {have[0]}, "
            f"label_history has {want[0]}",
        )


def _differing(
    session: Session, counted: AnySelect, kept: AnySelect, keys: int = 2
) -> Iterator[tuple[tuple[Any, ...], tuple[int, ...], tuple[int, ...]]]:
    """(key, kept values, counted values) for every key whose counter row differs from the
    count (a missing row counts as zeros)."""
    want = {tuple(r[:keys]): tuple(int(v or 0) for v in r[keys:]) for r in session.execute(counted)}
    have = {tuple(r[:keys]): tuple(int(v or 0) for v in r[keys:]) for r in session.execute(kept)}
    width = len(kept.selected_columns) - keys
    for key in sorted(set(want) | set(have)):
        stored, actual = have.get(key, (0,) * width), want.get(key, (0,) * width)
        if stored != actual:
            yield key, stored, actual


def _count(table: Any, condition: Any) -> Any:
    return select(func.count()).select_from(table).where(condition).scalar_subquery()


def _body_of(article_id: Any) -> Any:
    return and_(Sentence.article_id == article_id, Sentence.role == "body")


def _in_project_body() -> Any:
    return and_(Article.project_id == Project.id, Sentence.role == "body")


# --- Label history ------------------------------------------------------------------------


def _label_history(session: Session) -> Iterator[Problem]:
    """Each label against the newest row of its history (the history is append-only)."""
    # A grouped subquery joined by key, not a correlated one in the join condition: PostgreSQL
    # planned that as a nested loop over both tables (100k labels ran for over ten minutes).
    newest = (
        select(LabelHistory.label_id, func.max(LabelHistory.id).label("id"))
        .group_by(LabelHistory.label_id)
        .subquery()
    )
    rows = session.execute(
        select(Label.id, Label.sentence_id, Label.annotator_id, Label.claim_type, Label.skipped,
               Label.date_bound, Label.as_of, Label.note, LabelHistory.new)
        .outerjoin(newest, newest.c.label_id == Label.id)
        .outerjoin(LabelHistory, LabelHistory.id == newest.c.id)
        .order_by(Label.id)
        .execution_options(yield_per=ROWS_PER_FETCH)
    )  # fmt: skip
    for row in rows:
        where = f"label {row.id} (sentence {row.sentence_id}, annotator {row.annotator_id})"
        if row.new is None:
            yield Problem("history", f"{where} has no label_history row")
            continue
        answer = LabelInput(row.claim_type, row.skipped, row.date_bound, row.as_of, row.note)
        differences = _differences(answer_fields(answer), _json(row.new))
        if differences:
            yield Problem("history", f"{where} differs from its last label_history row: "
                          f"{differences}")  # fmt: skip


def _json(value: str | None) -> Any:
    """A history entry's fields; a string that is not JSON compares unequal to everything."""
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value


def _differences(current: dict[str, object] | None, recorded: Any) -> str:
    """`field is X, history says Y` for each field that differs ('' when none do).

    A history row may carry more than the fields (`import-labels` adds `via`); only the
    fields are compared."""
    if current is None or not isinstance(recorded, dict):
        return "" if current == recorded else f"current {current!r}, history says {recorded!r}"
    return "; ".join(
        f"{key} is {value!r}, history says {recorded.get(key, '(missing)')!r}"
        for key, value in current.items()
        if key not in recorded or recorded[key] != value
    )


# --- Outcomes and gold history ------------------------------------------------------------


def _outcomes(session: Session) -> Iterator[Problem]:
    """Each outcome against its labels (under its project's policy) and its gold history."""
    policies = {
        p.id: Policy(p.gold_policy, p.gold_min_votes, p.overlap)
        for p in session.scalars(select(Project))
    }
    after = -1
    while True:
        chunk = session.scalars(
            select(Outcome)
            .where(Outcome.sentence_id > after)
            .order_by(Outcome.sentence_id)
            .limit(OUTCOMES_PER_CHUNK)
        ).all()
        if not chunk:
            return
        first, after = chunk[0].sentence_id, chunk[-1].sentence_id
        votes = _votes(session, first, after)
        gold = _newest_gold_history(session, first, after)
        for outcome in chunk:
            given = votes.get(outcome.sentence_id, [])
            policy = policies.get(outcome.project_id, Policy())
            yield from _outcome_problems(outcome, given, policy)
            yield from _gold_history_problems(outcome, gold.get(outcome.sentence_id))


def _votes(session: Session, first: int, last: int) -> dict[int, list[Vote]]:
    votes: dict[int, list[Vote]] = {}
    for row in session.execute(
        select(Label.sentence_id, Label.claim_type, Label.date_bound, Label.as_of).where(
            Label.sentence_id.between(first, last), Label.skipped.is_(False)
        )
    ):
        votes.setdefault(row.sentence_id, []).append(
            Vote(row.claim_type, row.date_bound, row.as_of)
        )
    return votes


def _newest_gold_history(session: Session, first: int, last: int) -> dict[int, str | None]:
    newest = (
        select(func.max(GoldHistory.id))
        .where(GoldHistory.sentence_id.between(first, last))
        .group_by(GoldHistory.sentence_id)
    )
    rows = session.execute(
        select(GoldHistory.sentence_id, GoldHistory.new).where(GoldHistory.id.in_(newest))
    )
    return {row.sentence_id: row.new for row in rows}


def _outcome_problems(outcome: Outcome, given: Sequence[Vote], policy: Policy) -> list[Problem]:
    where = f"sentence {outcome.sentence_id}"
    if outcome.method == "adjudicated":
        if outcome.n_labels == len(given):
            return []
        return [
            Problem(
                "outcomes",
                f"{where}: n_labels is {outcome.n_labels}, it has {counted(len(given), 'answer')}",
            )
        ]
    if not given:
        return [Problem("outcomes", f"{where} has an outcome row but no answers")]
    expected = Outcome()
    write_decision(expected, decide(given, policy))
    wrong = [
        f"{field} is {getattr(outcome, field)!r}, its labels give {getattr(expected, field)!r}"
        for field in _OUTCOME_FIELDS
        if not _same(getattr(outcome, field), getattr(expected, field))
    ]
    return [Problem("outcomes", f"{where}: {'; '.join(wrong)}")] if wrong else []


def _same(stored: object, expected: object) -> bool:
    if isinstance(stored, float) and isinstance(expected, float):
        return abs(stored - expected) < 1e-9
    return stored == expected


def _gold_history_problems(outcome: Outcome, newest: str | None) -> list[Problem]:
    where = f"sentence {outcome.sentence_id}"
    current = gold_fields(outcome)
    recorded = _json(newest)
    if current is not None and newest is None:
        return [Problem("history", f"{where} is gold but has no gold_history row")]
    if current is None and recorded is not None:
        return [
            Problem(
                "history",
                f"{where} is {outcome.status}, but its last gold_history row gives a gold answer",
            )
        ]
    differences = _differences(current, recorded)
    if differences:
        return [Problem("history", f"{where} differs from its last gold_history row: "
                        f"{differences}")]  # fmt: skip
    return []


def _orphan_decisions(session: Session) -> Iterator[Problem]:
    """Answers with no outcome row, gold history that claims gold for a sentence without an
    outcome, and outcomes filed under another project than their sentence's article."""
    no_outcome = ~exists(
        select(Outcome.sentence_id).where(Outcome.sentence_id == Label.sentence_id)
    )
    for sentence_id, n in session.execute(
        select(Label.sentence_id, func.count())
        .where(Label.skipped.is_(False), no_outcome)
        .group_by(Label.sentence_id)
        .order_by(Label.sentence_id)
    ):
        yield Problem(
            "outcomes", f"sentence {sentence_id} has {counted(n, 'answer')} but no outcome row"
        )
    for sentence_id in session.scalars(_gold_without_outcome()):
        yield Problem(
            "history",
            f"sentence {sentence_id}: its last gold_history row gives a gold answer, "
            "but it has no outcome row",
        )
    for sentence_id, filed, actual in session.execute(_misfiled_outcomes()):
        yield Problem(
            "outcomes",
            f"sentence {sentence_id}: outcome filed under project {filed}, "
            f"its article is in project {actual}",
        )


def _gold_without_outcome() -> Select[int]:
    newest = select(func.max(GoldHistory.id)).group_by(GoldHistory.sentence_id)
    no_outcome = ~exists(
        select(Outcome.sentence_id).where(Outcome.sentence_id == GoldHistory.sentence_id)
    )
    return (
        select(GoldHistory.sentence_id)
        .where(GoldHistory.id.in_(newest), GoldHistory.new.is_not(None), no_outcome)
        .order_by(GoldHistory.sentence_id)
    )


def _misfiled_outcomes() -> Select[int, int, int]:
    return (
        select(Outcome.sentence_id, Outcome.project_id, Article.project_id)
        .join(Sentence, Sentence.id == Outcome.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .where(Outcome.project_id != Article.project_id)
        .order_by(Outcome.sentence_id)
    )

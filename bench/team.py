"""A generated team project: news-like articles of 10-60 sentences, assigned to several
annotators, each of whom labels every assigned sentence, agreeing with a hidden true answer at
a controllable rate. Written with direct inserts, one executemany per table and batch (the
services are what the benches measure, and a 100k project must build in seconds for the query
plan test), with the outcomes `decide()` gives and the progress counters counted, as the
services would have left them.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from annotator.services import accounts, counts
from annotator.services.labelling import LabelInput, answer_fields
from annotator.services.outcomes import (
    Decision,
    Policy,
    Vote,
    decide,
    gold_fields,
    write_decision,
)
from annotator.services.projects import ensure_project
from bench.corpus import sentence
from bench.databases import settle
from db.base import Base
from db.engine import make_engine, session_factory, write_transaction
from db.migrate import upgrade
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

PASSWORD = "benchmark password"
CLAIM_TYPES = ("factual", "opinion", "not_claim")
BATCH_SENTENCES = 20_000


@dataclass(frozen=True)
class Team:
    """What was generated: the annotators' names, and the counts."""

    annotators: tuple[str, ...]
    articles: int
    sentences: int
    labels: int


def build_team_database(
    url: str,
    n_sentences: int,
    *,
    annotators: int = 4,
    overlap: int = 2,
    agreement: float = 0.8,
    seed: int = 7,
) -> Team:
    """A migrated database whose `default` project holds about `n_sentences` body sentences,
    each assigned to `overlap` of `annotators` annotators (plus users `admin` and `lead`), who
    have labelled every sentence except those of every tenth article."""
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(seed)
    with session_factory(engine)() as session:
        project, _ = ensure_project(session, "default")
        accounts.create_user(session, "admin", "admin", PASSWORD)
        accounts.create_user(session, "lead", "lead", PASSWORD)
        people = [
            accounts.create_user(session, f"annotator{i}", "annotator", PASSWORD).id
            for i in range(annotators)
        ]
        team = _fill(session, project.id, people, n_sentences, overlap, agreement, rng)
    engine.dispose()
    settle(url)
    return team


def _fill(
    session: Session,
    project_id: int,
    people: list[int],
    n_sentences: int,
    overlap: int,
    agreement: float,
    rng: random.Random,
) -> Team:
    made = [0, 0, 0]
    with write_transaction(session):
        ids = _Ids(session)
    batch: list[tuple[int, str, list[tuple[int, int]]]] = []
    for index, text, spans in _articles(rng, n_sentences):
        batch.append((index, text, spans))
        if sum(len(s) for _, _, s in batch) >= BATCH_SENTENCES:
            _write(session, ids, project_id, people, batch, overlap, agreement, rng, made)
            batch = []
    _write(session, ids, project_id, people, batch, overlap, agreement, rng, made)
    with write_transaction(session):
        session.execute(
            update(Project).where(Project.id == project_id).values(overlap=overlap, n_body=made[1])
        )
        counts.recount(session, project_id)
        if session.get_bind().dialect.name == "postgresql":
            for model in (Article, Sentence, Label, GoldHistory):
                table = model.__tablename__
                session.execute(
                    sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "
                         f"FROM {table}")
                )  # fmt: skip
    return Team(tuple(f"annotator{i}" for i in range(len(people))), made[0], made[1], made[2])


def _articles(
    rng: random.Random, n_sentences: int
) -> Iterator[tuple[int, str, list[tuple[int, int]]]]:
    """(index, text, body spans) of articles of 10-60 sentences adding up to `n_sentences`."""
    index = 0
    while n_sentences > 0:
        size = min(n_sentences, rng.randint(10, 60))
        parts = [sentence(rng) for _ in range(size)]
        text = f"Report {index}\n\n"
        spans = []
        for part in parts:
            spans.append((len(text), len(text) + len(part)))
            text += part + " "
        yield index, text.rstrip(), spans
        n_sentences -= size
        index += 1


class _Ids:
    """The next free id of each table the builder writes (it gives ids itself, so that one
    executemany per table and batch does the work; PostgreSQL's sequences are moved on
    after)."""

    def __init__(self, session: Session) -> None:
        self.next: dict[type[Base], int] = {
            model: int(session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0) + 1
            for model in (Article, Sentence, Label, GoldHistory)
        }

    def take(self, model: type[Base], count: int) -> range:
        first = self.next[model]
        self.next[model] = first + count
        return range(first, first + count)


def _write(
    session: Session,
    ids: _Ids,
    project_id: int,
    people: list[int],
    batch: list[tuple[int, str, list[tuple[int, int]]]],
    overlap: int,
    agreement: float,
    rng: random.Random,
    made: list[int],
) -> None:
    """One batch of articles with their sentences, assignments, labels and outcomes, each
    table in one Core executemany."""
    now = dt.datetime.now(dt.UTC)
    rows: dict[type[Base], list[dict[str, object]]] = {
        m: [] for m in (Article, Sentence, Assignment, Label, Outcome, GoldHistory)
    }
    policy = Policy(overlap=overlap)
    for (index, text, spans), article_id in zip(batch, ids.take(Article, len(batch)), strict=True):
        coders = [people[(index + j) % len(people)] for j in range(min(overlap, len(people)))]
        rows[Article].append(
            dict(id=article_id, project_id=project_id, title=f"Report {index}", text=text,
                 content_hash=f"{index:064d}", origin="bench", n_sentences=len(spans) + 1,
                 n_body=len(spans), imported_at=now, n_assigned=len(coders))
        )  # fmt: skip
        rows[Assignment] += [
            dict(project_id=project_id, article_id=article_id, annotator_id=c, assigned_at=now)
            for c in coders
        ]
        sentence_ids = ids.take(Sentence, len(spans) + 1)
        rows[Sentence].append(
            dict(id=sentence_ids[0], article_id=article_id, index=0, char_start=0,
                 char_end=text.index("\n"), role="title")
        )  # fmt: skip
        rows[Sentence] += [
            dict(id=sid, article_id=article_id, index=i + 1, char_start=s, char_end=e, role="body")
            for i, ((s, e), sid) in enumerate(zip(spans, sentence_ids[1:], strict=True))
        ]
        if index % 10 != 9:  # every tenth article is not labelled yet: work in progress
            for sentence_id in sentence_ids[1:]:
                votes = _votes(coders, agreement, rng)
                rows[Label] += [_label(sentence_id, c, v, rng, now) for c, v in votes.items()]
                _outcome(rows, project_id, sentence_id, decide(list(votes.values()), policy), now)
        made[0] += 1
        made[1] += len(spans)
    made[2] += len(rows[Label])
    for numbered in (Label, GoldHistory):
        taken = ids.take(numbered, len(rows[numbered]))
        for number, row in zip(taken, rows[numbered], strict=True):
            row["id"] = number
    rows[LabelHistory] = [_history(label, now) for label in rows[Label]]
    with write_transaction(session):
        for model, values in rows.items():
            _bulk_insert(session, cast(Table, model.__table__), values)


def _bulk_insert(session: Session, table: Table, rows: list[dict[str, object]]) -> None:
    """Rows into a table: COPY on PostgreSQL (its driver's executemany sends them one by one),
    one driver executemany on SQLite, each distinct value converted once by its column's type
    (as SQLAlchemy would convert it, without its per-row work)."""
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    connection = session.connection()
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    if connection.dialect.name != "postgresql":
        dialect = connection.dialect
        types = [table.c[c].type.dialect_impl(dialect) for c in columns]
        convert = [_converter(t.bind_processor(dialect)) for t in types]
        values = [[f(row[c]) for f, c in zip(convert, columns, strict=True)] for row in rows]
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", values)
        return
    with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _converter(process: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """A column type's bind processor that remembers what it gave for each value (a batch's
    rows share their dates, labels and flags)."""
    if process is None:
        return lambda value: value
    seen: dict[object, object] = {}

    def convert(value: object) -> object:
        if value not in seen:
            seen[value] = process(value)
        return seen[value]

    return convert


def _votes(coders: list[int], agreement: float, rng: random.Random) -> dict[int, Vote]:
    """Each coder's answer: the true type with probability `agreement`, else a random one."""
    truth = rng.choice(CLAIM_TYPES)
    votes = {}
    for coder in coders:
        given = truth if rng.random() < agreement else rng.choice(CLAIM_TYPES)
        votes[coder] = Vote(given, False if given == "factual" else None, None)
    return votes


def _label(
    sentence_id: int, coder: int, vote: Vote, rng: random.Random, now: dt.datetime
) -> dict[str, object]:
    return dict(
        sentence_id=sentence_id, annotator_id=coder, claim_type=vote.claim_type,
        date_bound=vote.date_bound, note="", skipped=False,
        seconds_spent=float(rng.randint(2, 40)), created_at=now, updated_at=now,
    )  # fmt: skip


def _history(label: dict[str, object], now: dt.datetime) -> dict[str, object]:
    """The history row the label's first save would have written."""
    return dict(
        label_id=label["id"], changed_by=label["annotator_id"], changed_at=now, old=None,
        new=_answer_json(label["claim_type"], label["date_bound"]),
    )  # fmt: skip


@functools.cache
def _answer_json(claim_type: object, date_bound: object) -> str:
    answer = LabelInput(cast(str, claim_type), date_bound=cast(bool | None, date_bound))
    return json.dumps(answer_fields(answer))


def _outcome(
    rows: dict[type[Base], list[dict[str, object]]],
    project_id: int,
    sentence_id: int,
    decision: Decision,
    now: dt.datetime,
) -> None:
    """The outcome row the services would have written, and its gold history when gold
    (through the services' own `write_decision` and `gold_fields`, on an unsaved row)."""
    written, gold = _decided(decision)
    row = {**written, "sentence_id": sentence_id, "project_id": project_id, "updated_at": now}
    row["decided_at"] = now if decision.answer else None
    rows[Outcome].append(row)
    if gold is not None:
        rows[GoldHistory].append(
            dict(sentence_id=sentence_id, changed_by=None, changed_at=now, old=None, new=gold)
        )


@functools.cache
def _decided(decision: Decision) -> tuple[dict[str, object], str | None]:
    """The columns `write_decision` gives an unsaved outcome row for `decision` (its ids and
    dates left for the caller) and its gold history entry (None: not gold). A project holds a
    few dozen different decisions, so each is worked out once."""
    outcome = Outcome()
    write_decision(outcome, decision)
    gold = gold_fields(outcome)
    columns = {c.key: getattr(outcome, c.key) for c in Outcome.__table__.columns}
    return columns, None if gold is None else json.dumps(gold)

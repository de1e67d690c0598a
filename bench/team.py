"""A generated team project: news-like articles of 10-60 sentences, assigned to several
annotators, each of whom labels every assigned sentence, agreeing with a hidden true answer at
a controllable rate. Written with direct inserts (the services are what the benches measure),
then outcomes settled and progress counters counted as the services would have left them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from annotator.services import accounts, counts
from annotator.services.outcomes import settle
from annotator.services.projects import ensure_project
from bench.corpus import sentence
from db.engine import make_engine, session_factory, write_transaction
from db.migrate import upgrade
from db.models import Article, Assignment, Label, Project, Sentence

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
    batch: list[tuple[int, str, list[tuple[int, int]]]] = []
    for index, text, spans in _articles(rng, n_sentences):
        batch.append((index, text, spans))
        if sum(len(s) for _, _, s in batch) >= BATCH_SENTENCES:
            _write(session, project_id, people, batch, overlap, agreement, rng, made)
            batch = []
    _write(session, project_id, people, batch, overlap, agreement, rng, made)
    with write_transaction(session):
        session.execute(
            update(Project).where(Project.id == project_id).values(overlap=overlap, n_body=made[1])
        )
        counts.recount(session, project_id)
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


def _write(
    session: Session,
    project_id: int,
    people: list[int],
    batch: list[tuple[int, str, list[tuple[int, int]]]],
    overlap: int,
    agreement: float,
    rng: random.Random,
    made: list[int],
) -> None:
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        sentence_ids: list[int] = []
        for index, text, spans in batch:
            article_id = _article(session, project_id, index, text, len(spans), now)
            coders = [people[(index + j) % len(people)] for j in range(min(overlap, len(people)))]
            session.execute(
                insert(Assignment),
                [
                    dict(project_id=project_id, article_id=article_id, annotator_id=c,
                         assigned_at=now)
                    for c in coders
                ],
            )  # fmt: skip
            ids = _sentences(session, article_id, spans)
            if index % 10 != 9:  # every tenth article is not labelled yet: work in progress
                made[2] += _labels(session, ids, coders, agreement, rng, now)
            sentence_ids += ids
            made[0] += 1
            made[1] += len(spans)
        settle(session, sentence_ids, now)


def _article(
    session: Session, project_id: int, index: int, text: str, n_body: int, now: dt.datetime
) -> int:
    values = dict(
        project_id=project_id, title=f"Report {index}", text=text, content_hash=f"{index:064d}",
        origin="bench", n_sentences=n_body + 1, n_body=n_body, imported_at=now, n_assigned=0,
    )  # fmt: skip
    return int(session.execute(insert(Article).returning(Article.id), [values]).scalar_one())


def _sentences(session: Session, article_id: int, spans: list[tuple[int, int]]) -> list[int]:
    rows = [dict(article_id=article_id, index=0, char_start=0, char_end=6, role="title")]
    rows += [
        dict(article_id=article_id, index=i + 1, char_start=s, char_end=e, role="body")
        for i, (s, e) in enumerate(spans)
    ]
    session.execute(insert(Sentence), rows)
    return list(
        session.scalars(
            select(Sentence.id)
            .where(Sentence.article_id == article_id, Sentence.role == "body")
            .order_by(Sentence.index)
        )
    )


def _labels(
    session: Session,
    sentence_ids: list[int],
    coders: list[int],
    agreement: float,
    rng: random.Random,
    now: dt.datetime,
) -> int:
    """Each coder's label of each sentence: the true type with probability `agreement`."""
    rows = []
    for sentence_id in sentence_ids:
        truth = rng.choice(CLAIM_TYPES)
        for coder in coders:
            given = truth if rng.random() < agreement else rng.choice(CLAIM_TYPES)
            rows.append(
                dict(sentence_id=sentence_id, annotator_id=coder, claim_type=given,
                     date_bound=False if given == "factual" else None, note="", skipped=False,
                     seconds_spent=float(rng.randint(2, 40)), created_at=now, updated_at=now)
            )  # fmt: skip
    session.execute(insert(Label), rows)
    return len(rows)

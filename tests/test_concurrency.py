"""Several processes at once on one database: first start, imports, the first admin account.

Each scenario runs in separate processes (as several app servers or CLI runs would) on SQLite
and on the local PostgreSQL server.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.config import SEEDS_DIR
from annotator.errors import AnnotatorError
from annotator.services import accounts, labelling
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.outcomes import Policy, Vote, decide
from annotator.services.setup import initialise
from db.engine import make_engine, session_factory
from db.migrate import downgrade, upgrade
from db.models import Label, Outcome, Project, Sentence, User
from tests.conftest import PASSWORD, prepare_database
from tests.teams import ANNOTATORS, ANSWERS, TEAM_PROJECT, build_team_project

WORKERS = 4
SessionFor = Callable[[str], AbstractContextManager[Session]]
ARTICLE = b"Budget approved\n\nThe assembly approved the budget. Spending rises by 4.5 per cent."


def _import_same(url: str, _: int) -> str:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        report = import_file(session, "default", "same.txt", ARTICLE)
    engine.dispose()
    return report.status


def _first_admin(url: str, worker: int) -> str:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            accounts.create_first_admin(session, f"admin{worker}", PASSWORD)
        return "created"
    except AnnotatorError:
        return "refused"
    finally:
        engine.dispose()


def _in_processes(job: Callable[[str, int], str], url: str) -> list[str]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        return sorted(pool.starmap(job, [(url, i) for i in range(WORKERS)]))


def _start_together(url: str, barrier: Any) -> str:
    """Start the app once every worker is ready (imports done), so the migrations collide."""
    engine = make_engine(url)
    barrier.wait()
    with session_factory(engine)() as session:
        initialise(engine, session, SEEDS_DIR)
    engine.dispose()
    return "ok"


def _all_start_together(url: str) -> list[str]:
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(WORKERS) as pool:
        barrier = manager.Barrier(WORKERS)
        return pool.starmap(_start_together, [(url, barrier)] * WORKERS)


@pytest.fixture
def fresh_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database (no tables yet) on SQLite or PostgreSQL."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'c.db'}"
    engine = request.getfixturevalue("pg_engine")  # dropped again after the test
    downgrade(engine, "base")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def scalar(fresh_url: str, session_for: SessionFor) -> Callable[[Any], int]:
    """`scalar(statement)`: the number `statement` selects, read on an engine of its own."""

    def read(statement: Any) -> int:
        with session_for(fresh_url) as session:
            return int(session.execute(statement).scalar_one())

    return read


def test_app_processes_starting_together_migrate_once_and_seed_once(
    fresh_url: str, scalar: Callable[[Any], int]
) -> None:
    assert _all_start_together(fresh_url) == ["ok"] * WORKERS
    assert scalar(select(func.count()).select_from(Project)) == 1
    body = select(func.count()).select_from(Sentence).where(Sentence.role == "body")
    assert scalar(select(Project.n_body)) == scalar(body) > 0


@pytest.mark.parametrize("revision", ["0001", "0004", "0006"])
def test_app_processes_starting_together_on_an_old_database_migrate_it_once(
    fresh_url: str, revision: str, scalar: Callable[[Any], int], session_for: SessionFor
) -> None:
    with session_for(fresh_url) as session:
        upgrade(session.get_bind(), revision)
    assert _all_start_together(fresh_url) == ["ok"] * WORKERS
    assert scalar(select(func.count()).select_from(Project)) == 1


def test_the_same_article_imported_at_once_is_stored_once_and_counted_once(
    fresh_url: str, scalar: Callable[[Any], int]
) -> None:
    prepare_database(fresh_url, ())  # the first start: migrated, `default` with the seeds
    before = scalar(select(Project.n_body))
    statuses = _in_processes(_import_same, fresh_url)
    assert statuses == ["duplicate"] * (WORKERS - 1) + ["imported"]
    assert scalar(select(Project.n_body)) == before + 2


def test_only_one_first_admin_is_created_when_several_ask_at_once(
    fresh_url: str, scalar: Callable[[Any], int]
) -> None:
    prepare_database(fresh_url, ())  # the first start: migrated, `default` with the seeds
    assert _in_processes(_first_admin, fresh_url) == ["created"] + ["refused"] * (WORKERS - 1)
    assert scalar(select(func.count()).select_from(User)) == 1


def _label_rest(url: str, worker: int, barrier: Any) -> str:
    """One of the three team annotators labels every sentence of both articles not yet
    labelled, in the same order as the others and starting together, so that saves of one
    sentence race each other."""
    name = ANNOTATORS[worker]
    engine = make_engine(url)
    with session_factory(engine)() as session:
        user = accounts.authenticate(session, name, PASSWORD)
        articles = labelling.article_list(session, user, TEAM_PROJECT)
        body = [s for a in articles for s in labelling.load_article(session, user, a.id).body]
        barrier.wait()
        for i, sentence in enumerate(body[len(ANSWERS) :]):
            claim_type = "factual" if (i + worker) % 3 else "opinion"
            labelling.save_label(session, user, sentence.id, LabelInput(claim_type), 1.0)
    engine.dispose()
    return "ok"


def test_outcomes_stay_true_to_the_labels_when_annotators_save_at_once(
    fresh_url: str, session_for: SessionFor
) -> None:
    build_team_project(fresh_url)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(len(ANNOTATORS)) as pool:
        barrier = manager.Barrier(len(ANNOTATORS))
        jobs = [(fresh_url, i, barrier) for i in range(len(ANNOTATORS))]
        assert pool.starmap(_label_rest, jobs) == ["ok"] * len(ANNOTATORS)
    with session_for(fresh_url) as session:
        votes: dict[int, list[Vote]] = {}
        for label in session.scalars(select(Label)):
            votes.setdefault(label.sentence_id, []).append(
                Vote(str(label.claim_type), label.date_bound, label.as_of)
            )
        outcomes = {o.sentence_id: o for o in session.scalars(select(Outcome))}
    assert set(outcomes) == set(votes) and len(votes) > len(ANSWERS)
    for sentence_id, given in votes.items():
        expected = decide(given, Policy(overlap=3))
        outcome = outcomes[sentence_id]
        assert (outcome.status, outcome.n_labels) == (expected.status, expected.n_labels)

"""Shared fixtures: fresh databases built by the real migrations, seeded projects, users; and
the small factories tests share instead of importing each other (`engine_for`, `session_for`,
`row_counts`, `run_cli`, `label_some`)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from annotator.config import SEEDS_DIR
from annotator.services import accounts, labelling
from annotator.services.labelling import LabelInput
from annotator.services.records import UserInfo
from annotator.services.setup import initialise
from db.engine import make_engine, session_factory

# Property tests try the same examples on every run (`gate`), so that a landing never fails on
# an example no earlier run met; `pytest --hypothesis-profile=explore` tries fresh ones, to find
# new failures (commit each as a named example test).
settings.register_profile("gate", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("gate")

PG_SERVER = os.environ.get("ANNOTATOR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery"
IN_CI = os.environ.get("CI") == "true"
AWKWARD_NOTE = 'Said "no", then yes;\nüñïçødé — 🎉, commas, and =SUM(A1)'


@contextmanager
def open_session(url: str) -> Iterator[Session]:
    """A session on a new engine for `url`; the engine is disposed when the block ends. For
    helper modules (teams.py) and this file; tests ask for the `session_for` fixture."""
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


@pytest.fixture(autouse=True, scope="session")
def agreement_always_quick() -> Iterator[None]:
    """Count every agreement computation in the test process as quick, so that a loaded CI
    machine (a second or more for a handful of labels) never turns a snapshot "slow" and
    stale; the tests of slow snapshots set `LIVE_SECONDS` below zero themselves."""
    from annotator.services import reliability

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reliability, "LIVE_SECONDS", float("inf"))
        yield


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes() -> Iterator[None]:
    """Hash passwords at Argon2's lowest cost in the test process.

    At the production cost a hash or a check takes 0.1 to 0.3 s on a loaded two-core CI
    machine, and the suite creates and logs in accounts thousands of times. The algorithm is
    the same, and a check reads the cost from the stored hash, so servers started by tests
    check these hashes cheaply too; `tests/test_accounts.py` checks the production cost.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        yield


@pytest.fixture
def engine_for() -> Iterator[Callable[[str], Engine]]:
    """`engine_for(url)`: a new engine on `url` (as the app makes it), disposed after the test."""
    engines: list[Engine] = []

    def make(url: str) -> Engine:
        engines.append(make_engine(url))
        return engines[-1]

    yield make
    for made in engines:
        made.dispose()


@pytest.fixture(scope="session")
def session_for() -> Callable[[str], AbstractContextManager[Session]]:
    """`with session_for(url) as session:` a session on an engine of its own, disposed when the
    block ends, so nothing of the test stays connected while other processes use the file."""
    return open_session


@pytest.fixture(scope="session")
def row_counts() -> Callable[[str], dict[str, int]]:
    """`row_counts(url)`: `table_counts` of the database at `url`, read on an engine of its own."""

    def count(url: str) -> dict[str, int]:
        with open_session(url) as session:
            return table_counts(session.get_bind())

    return count


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A SQLite file URL in a fresh temporary directory."""
    return f"sqlite:///{tmp_path / 'annotator.db'}"


@pytest.fixture
def engine(db_url: str, engine_for: Callable[[str], Engine]) -> Engine:
    """A migrated, empty SQLite database (no projects, no users)."""
    from db.migrate import upgrade

    engine = engine_for(db_url)
    upgrade(engine)
    return engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the fresh SQLite database."""
    with session_factory(engine)() as session:
        yield session


@pytest.fixture
def seeded(engine: Engine, session: Session) -> Session:
    """The database as after the first start: `default` project with the two seed articles."""
    initialise(engine, session, SEEDS_DIR)
    return session


@pytest.fixture
def admin_user(session: Session) -> UserInfo:
    """The admin account (the first account must be an admin)."""
    return accounts.create_user(session, "admin", "admin", PASSWORD)


@pytest.fixture
def annotator_user(session: Session, admin_user: UserInfo) -> UserInfo:
    """An active annotator account."""
    return accounts.create_user(session, "ann", "annotator", PASSWORD)


def _pg_available() -> bool:
    try:
        probe = create_engine(PG_SERVER)
        with probe.connect():
            pass
        probe.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A brand-new PostgreSQL database for this test run, dropped afterwards."""
    if not _pg_available():
        if IN_CI:
            pytest.fail(f"PostgreSQL is not reachable at {PG_SERVER} and CI=true")
        pytest.skip(f"PostgreSQL is not reachable at {PG_SERVER}")
    name = f"annotator_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_engine(pg_url: str, engine_for: Callable[[str], Engine]) -> Iterator[Engine]:
    """A migrated, empty PostgreSQL database (tables dropped again after the test)."""
    from db.migrate import downgrade, upgrade

    engine = engine_for(pg_url)
    upgrade(engine)
    yield engine
    downgrade(engine, "base")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """Each database the app runs on: "sqlite", then "postgres" (marked: needs the server)."""
    return str(request.param)


@pytest.fixture
def any_engine(backend: str, request: pytest.FixtureRequest) -> Engine:
    """A migrated, empty database on each backend: `engine`, then `pg_engine`."""
    engine: Engine = request.getfixturevalue("engine" if backend == "sqlite" else "pg_engine")
    return engine


@pytest.fixture
def any_url(any_engine: Engine) -> str:
    """The URL of `any_engine`'s database, for other engines, processes and CLI runs."""
    return any_engine.url.render_as_string(hide_password=False)


def table_counts(engine: Engine) -> dict[str, int]:
    """Row counts of every table: to show that a rejected input changed nothing."""
    from db.base import Base

    with engine.connect() as connection:
        return {
            name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            for name in Base.metadata.tables
        }


def prepare_database(
    db_url: str, users: tuple[tuple[str, str], ...], seeds: Path | None = SEEDS_DIR
) -> None:
    """Bring a database to "after the first start" (migrated, `default` with the seeds unless
    `seeds` is None) with accounts `(name, role)`, all with `PASSWORD`."""
    with open_session(db_url) as session:
        initialise(session.get_bind(), session, seeds)
        for name, role in users:
            accounts.create_user(session, name, role, PASSWORD)


def _run_cli(db_url: str, *args: str, input: str | None = None) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from annotator.cli import main

    command, *rest = args
    sub = rest[:1] if command in {"users", "projects", "model"} else []
    tail = rest[1:] if sub else rest
    result = CliRunner().invoke(main, [command, *sub, "--db", db_url, *tail], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("the command crashed (a user would see a traceback)") from (
            result.exception
        )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., tuple[int, str, str]]:
    """`run_cli(db_url, command, [subcommand,] *options, input=None)`: (exit code, stdout,
    stderr) of the command line in this process, `--db db_url` after the (sub)command; a
    traceback (an exception other than SystemExit) fails the test."""
    return _run_cli


@pytest.fixture
def cli_db(db_url: str) -> str:
    """The URL of a database set up by `annotator init` (`default` with the seeds, no users)."""
    code, _, _ = _run_cli(db_url, "init")
    assert code == 0
    return db_url


@pytest.fixture(scope="session")
def label_some() -> Callable[[Session, UserInfo], list[int]]:
    """`label_some(session, user)`: `user` labels the first four body sentences of the last
    `default` article (factual with a date and AWKWARD_NOTE, opinion, skipped with a note,
    factual not date-bound); returns those sentences' ids."""

    def label(session: Session, user: UserInfo) -> list[int]:
        summary = labelling.article_list(session, user, "default")[-1]
        body = labelling.load_article(session, user, summary.id).body
        answers = [
            LabelInput("factual", date_bound=True, as_of=dt.date(2014, 11, 21), note=AWKWARD_NOTE),
            LabelInput("opinion"),
            LabelInput(None, skipped=True, note="unclear"),
            LabelInput("factual", date_bound=False),
        ]
        for sentence, answer in zip(body, answers, strict=False):
            labelling.save_label(session, user, sentence.id, answer, 1.25)
        return [s.id for s in body[: len(answers)]]

    return label

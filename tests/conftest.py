"""Shared fixtures: fresh databases built by the real migrations, seeded projects, users."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from annotator.config import SEEDS_DIR
from annotator.services import accounts
from annotator.services.records import UserInfo
from annotator.services.setup import initialise
from db.engine import make_engine, session_factory

PG_SERVER = os.environ.get("ANNOTATOR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery"
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A SQLite file URL in a fresh temporary directory."""
    return f"sqlite:///{tmp_path / 'annotator.db'}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated, empty SQLite database (no projects, no users)."""
    from db.migrate import upgrade

    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


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
def pg_engine(pg_url: str) -> Iterator[Engine]:
    """A migrated, empty PostgreSQL database (tables dropped again after the test)."""
    from db.migrate import downgrade, upgrade

    engine = make_engine(pg_url)
    upgrade(engine)
    yield engine
    downgrade(engine, "base")
    engine.dispose()


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
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        initialise(engine, session, seeds)
        for name, role in users:
            accounts.create_user(session, name, role, PASSWORD)
    engine.dispose()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run one at a time on one xdist worker (see pyproject's addopts): two
    servers and two Chromiums at once on two cores made their timed waits flaky."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))

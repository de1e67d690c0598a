"""Opening a database: migrate it, create the `default` project and import the seed articles
on the first start; or, for commands that only read, refuse one that is not ours yet."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from annotator.config import DEFAULT_PROJECT, Settings
from annotator.errors import InvalidInput, NoSuchDatabase
from annotator.services.projects import ensure_project
from db.engine import database_file, make_engine, make_probe_engine, session_factory
from db.migrate import MIGRATIONS_DIR, upgrade

if TYPE_CHECKING:
    from annotator.services.importing import FileReport

DatabaseSession = Session
"""What a page holds between opening a session and passing it to a service."""

INIT_COMMAND = "python -m annotator init"
VERSION_TABLE = "alembic_version"  # where Alembic keeps the schema's migration


@dataclass(frozen=True)
class InitResult:
    """What `init` did: whether the default project was new, the seed import reports, and the
    schema's migration before (None: the database had none of our tables) and after."""

    created_default: bool
    seed_reports: tuple[FileReport, ...]
    revision_before: str | None = None
    revision: str | None = None


def initialise(engine: Engine, session: Session, seeds_dir: Path | None) -> InitResult:
    """Migrate to the newest schema; on the very first start, create `default` with the seeds.

    Seeds are imported only when the default project is created, so a lead who later removes
    or relabels seed articles does not see them come back on the next start.
    """
    before = schema_revision(engine)
    require_known_migration(database_name(engine.url), before)
    after = before
    if before != _migrations()[1]:
        upgrade(engine)
        after = schema_revision(engine)
    _, created = ensure_project(session, DEFAULT_PROJECT)
    reports = () if not created or seeds_dir is None else tuple(import_seeds(session, seeds_dir))
    return InitResult(created, reports, before, after)


def import_seeds(session: Session, seeds_dir: Path) -> list[FileReport]:
    """Import every supported file of `seeds_dir` into the default project, in name order."""
    from annotator.readers import SUPPORTED_EXTENSIONS
    from annotator.services.importing import import_file, read_path

    paths = sorted(p for p in seeds_dir.iterdir() if p.suffix.lower() in SUPPORTED_EXTENSIONS)
    return [import_file(session, DEFAULT_PROJECT, p.name, read_path(p)) for p in paths]


def open_database(settings: Settings) -> sessionmaker[Session]:
    """The process's session factory: one engine for `settings.database_url`, migrated, with
    `default` and the seeds created on the very first start."""
    engine = make_engine(settings.database_url)
    factory = session_factory(engine)
    with factory() as session:
        initialise(engine, session, settings.seeds_dir)
    return factory


def schema_revision(engine: Engine) -> str | None:
    """The migration the database's schema is at; None when it has none of our tables.

    Read with one query, as Alembic reads it, without loading Alembic (start-up time)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        revision = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
        return None if revision is None else str(revision)


def database_name(url: str | URL) -> str:
    """How messages name the database at `url`: its file's absolute path for SQLite, else the
    URL with the password hidden."""
    path = database_file(url)
    if path is not None:
        return str(path.absolute())
    return make_url(url).render_as_string(hide_password=True)


def driver_message(error: DatabaseError) -> str:
    """The database driver's message for `error`, on one line."""
    return " ".join(str(error.orig).split())


def require_our_database(url: str) -> str:
    """The migration of the database at `url`, which must exist and have been set up by `init`,
    an import or the app; NoSuchDatabase naming it otherwise. Creates and changes nothing: a
    missing SQLite file stays missing, an empty one empty."""
    name = database_name(url)
    path = database_file(url)
    if path is not None and not path.is_file():
        raise NoSuchDatabase(
            f"no such database file (check --db or DATABASE_URL; `{INIT_COMMAND}` creates one)",
            file=name,
        )
    probe = make_probe_engine(url)
    try:
        revision = schema_revision(probe)
    except DatabaseError as error:
        raise NoSuchDatabase(
            f"cannot open the database: {driver_message(error)}", file=name
        ) from None
    finally:
        probe.dispose()
    if revision is None:
        raise NoSuchDatabase(
            f"not a Claim Annotator database yet (none of its tables); "
            f"run `{INIT_COMMAND}` on it first",
            file=name,
        )
    require_known_migration(name, revision)
    return revision


def require_known_migration(name: str, revision: str | None) -> None:
    """InvalidInput naming the database `name` if its schema is at a migration this version
    does not have: a newer version of the app set it up, and this one must not touch it."""
    known, head = _migrations()
    if revision is None or revision in known:
        return
    raise InvalidInput(
        f"set up by a newer version of Claim Annotator (migration {revision}; this version "
        f"knows up to {head}): upgrade Claim Annotator to use it",
        file=name,
    )


@cache
def _migrations() -> tuple[frozenset[str], str]:
    """Every migration this version has, and the newest, from the names of its files
    (`<rev>_<slug>.py`, numbered in the order they run: db/migrate.py's template). Reading
    them with Alembic cost a command's start-up a third of a second; tests/test_db.py checks
    that both readings agree."""
    revisions = sorted(
        path.name.split("_", 1)[0] for path in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py")
    )
    return frozenset(revisions), revisions[-1]


def open_existing(url: str, *, migrate: bool = True) -> Engine:
    """An engine on the database at `url`, which must already be ours (`require_our_database`):
    migrated to the newest schema unless `migrate` is False; never created, never seeded."""
    revision = require_our_database(url)
    engine = make_engine(url)
    try:
        if migrate and revision != _migrations()[1]:
            upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine

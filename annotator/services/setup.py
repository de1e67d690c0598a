"""First start: migrate the database, create the `default` project, import the seed articles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from annotator.config import DEFAULT_PROJECT, Settings
from annotator.readers import SUPPORTED_EXTENSIONS
from annotator.services.importing import FileReport, import_file, read_path
from annotator.services.projects import ensure_project
from db.engine import make_engine, session_factory
from db.migrate import upgrade

DatabaseSession = Session
"""What a page holds between opening a session and passing it to a service."""


@dataclass(frozen=True)
class InitResult:
    """What `init` did: whether the default project was new, and the seed import reports."""

    created_default: bool
    seed_reports: tuple[FileReport, ...]


def initialise(engine: Engine, session: Session, seeds_dir: Path | None) -> InitResult:
    """Migrate to the newest schema; on the very first start, create `default` with the seeds.

    Seeds are imported only when the default project is created, so a lead who later removes
    or relabels seed articles does not see them come back on the next start.
    """
    upgrade(engine)
    _, created = ensure_project(session, DEFAULT_PROJECT)
    if not created or seeds_dir is None:
        return InitResult(created, ())
    return InitResult(created, tuple(import_seeds(session, seeds_dir)))


def import_seeds(session: Session, seeds_dir: Path) -> list[FileReport]:
    """Import every supported file of `seeds_dir` into the default project, in name order."""
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

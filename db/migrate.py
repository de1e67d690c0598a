"""Run the Alembic migrations in `db/migrations` against an engine (on start and by `init`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config that runs on `engine` (no alembic.ini needed). Alembic is imported
    here, not at the top: a command that finds the schema at head never loads it."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # New files are named `<rev>_<verb phrase>.py` (give `--rev-id` the next number), so that
    # listing the folder shows the migrations in the order they run.
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to `revision` (default: the newest)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to `revision` ("base" removes every table)."""
    from alembic import command

    command.downgrade(alembic_config(engine), revision)

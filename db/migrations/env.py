"""Alembic environment: runs on the engine handed over in `config.attributes["engine"]`.

Several app processes may start at once on a new or old database: the whole upgrade is one
transaction that takes the write lock first (`BEGIN IMMEDIATE` on SQLite, an advisory lock on
PostgreSQL) and reads the current revision inside it, so one process migrates and the others
then find the schema already at head. Alembic treats SQLite as having no transactional DDL and
would commit after each step, letting a second process read a half-way revision and run a step
again; SQLite does roll back DDL, so `transactional_ddl=True` tells Alembic so.

On SQLite, foreign keys are switched off while migrating: a batch migration rebuilds a table
by copying it and dropping the old one, and with foreign keys on, that drop would cascade
and delete the rows that refer to it. `PRAGMA foreign_key_check` runs before the commit.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine, text

import db.models  # noqa: F401  (registers the tables on Base.metadata)
from db.base import Base
from db.engine import WRITE_OPTIONS

MIGRATION_LOCK_KEY = 720_451_001
DESCENDING_INDEXES = {
    "ix_outcomes_project_id_status_queue",
    "ix_article_uncertainties_project_id_order",
}

engine: Engine = context.config.attributes["engine"]


def _compared(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    """Leave indexes with a DESC column out of `alembic check`: Alembic cannot reflect them
    on SQLite and would report them as changed on every run (the migration tests still build
    them both ways)."""
    return not (type_ == "index" and name in DESCENDING_INDEXES)


def _set_sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    # On the driver connection, outside any transaction (the pragma is ignored inside one).
    connection.connection.driver_connection.execute(  # type: ignore[union-attr]
        f"PRAGMA foreign_keys={'ON' if on else 'OFF'}"
    )


with engine.connect().execution_options(**WRITE_OPTIONS) as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _set_sqlite_foreign_keys(connection, on=False)
    try:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            transactional_ddl=True,
            compare_type=True,
            include_object=_compared,
        )
        with context.begin_transaction():
            if not sqlite:
                connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"))
            context.run_migrations()
            if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise RuntimeError("migration left rows whose foreign keys point nowhere")
        connection.commit()
    finally:
        if sqlite:
            _set_sqlite_foreign_keys(connection, on=True)

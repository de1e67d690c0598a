"""Alembic environment: runs on the engine handed over in `config.attributes["engine"]`.

Several app processes may start at once on a new database: the migration takes the write
lock first (`BEGIN IMMEDIATE` on SQLite, an advisory lock on PostgreSQL), so one process
migrates and the others then find the schema already at head.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, text

import db.models  # noqa: F401  (registers the tables on Base.metadata)
from db.base import Base
from db.engine import WRITE_OPTIONS

MIGRATION_LOCK_KEY = 720_451_001

engine: Engine = context.config.attributes["engine"]

with engine.connect().execution_options(**WRITE_OPTIONS) as connection:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    with context.begin_transaction():
        if not sqlite:
            connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"))
        context.run_migrations()
    connection.commit()

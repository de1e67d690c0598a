"""Engine factory and transaction helpers (DESIGN.md section 6).

SQLite gets WAL, a busy timeout, foreign keys, and write transactions that take the write lock
up front (`BEGIN IMMEDIATE`): with the default deferred transactions, two sessions that read
then write race and one of them fails or, worse, both act on a stale read.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, Select, Table, create_engine, event, insert, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 30_000
WAL_RETRY_SECONDS = 0.05
_WRITE = "annotator_write"
WRITE_OPTIONS = {_WRITE: True}


def database_file(url: str | URL) -> Path | None:
    """The file of a SQLite database URL, as given (relative to the working directory if
    relative); None for PostgreSQL, an in-memory database or a `file:` URI."""
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return None
    return None if name.startswith("file:") else Path(name)


def make_engine(url: str) -> Engine:
    """Create the process's engine for `url`, configured for safe concurrent use. A SQLite
    file (and its folder) that does not exist yet is created on the first connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    path = database_file(parsed)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def make_probe_engine(url: str) -> Engine:
    """An engine that only looks: a SQLite file is opened as it is (never created when it is
    missing, SQLite's `mode=rw`, and without the journal settings `make_engine` writes);
    another database must exist for a connection to succeed. For reading what a database is
    before deciding to use it."""
    path = database_file(url)
    if path is None:
        return create_engine(url)
    uri = f"file:{quote(str(path.absolute()))}?mode=rw"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Turn off the driver's own transaction handling so that our BEGIN is the one that counts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    _use_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to WAL (it stays so). While app processes start together on a new file
    the switch can fail at once with "database is locked", without waiting on the busy
    timeout (seen when another process is migrating it): try again until the timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(WAL_RETRY_SECONDS)


def _begin_sqlite_transaction(connection: Any) -> None:
    write = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values readable after commit (services return plain values)."""
    return sessionmaker(engine, expire_on_commit=False, autobegin=True)


@contextmanager
def write_transaction(session: Session) -> Iterator[Session]:
    """A transaction that will write: on SQLite it takes the write lock before the first read."""
    with session.begin():
        session.connection(execution_options=WRITE_OPTIONS)
        yield session


def lock_table(session: Session, table: str) -> None:
    """Serialise writers of `table` until the transaction ends.

    On SQLite a write transaction already holds the database's write lock; PostgreSQL needs
    an explicit lock where a check ("is there any user yet?") must not race an insert.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE'))


@contextmanager
def read_transaction(session: Session) -> Iterator[Session]:
    """A read-only transaction (deferred on SQLite, so readers never wait for writers)."""
    with session.begin():
        yield session


def dialect_insert(session: Session, model: Any) -> Any:
    """An INSERT into `model`'s table in the session's dialect, so that it can take
    `on_conflict_do_update` (PostgreSQL and SQLite spell it the same)."""
    from sqlalchemy.dialects import postgresql, sqlite  # here: loading them costs start-up

    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


COPY_FROM_ROWS = 100  # fewer rows go in by an INSERT: a page's click writes one


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows into `table` in the session's transaction: one executemany on SQLite,
    COPY on PostgreSQL for `COPY_FROM_ROWS` rows or more (its driver sends an executemany as
    one statement a row, several times slower). A failed COPY raises the error SQLAlchemy
    would (`IntegrityError`, ...). COPY takes values as they are, so they must be what the
    driver takes: aware UTC datetimes for timestamps (no `UTCDateTime` processing)."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql" or len(rows) < COPY_FROM_ROWS:
        session.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    connection = session.connection()
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    dbapi = connection.dialect.loaded_dbapi
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
    except dbapi.Error as error:
        raise DBAPIError.instance(statement, None, error, dbapi.Error) from None


def driver_rows(
    session: Session, statement: Select[Any], size: int
) -> Iterator[Sequence[tuple[Any, ...]]]:
    """`statement`'s rows as the driver hands them over, `size` at a time, in the session's
    transaction: plain tuples, without SQLAlchemy's per-value result processing. What a bulk
    reader (the export) converts whole columns at once.

    Values are the driver's own: SQLite gives dates and timestamps as ISO text and booleans
    as 0 or 1; PostgreSQL gives date, aware datetime and bool objects. PostgreSQL streams the
    rows through a server-side cursor, so memory holds one batch whatever the result's size.
    Bound parameters are passed as they are, so they must be plain values (ints, text).
    """
    connection = session.connection()
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params: Any = compiled.params
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    dbapi = connection.connection.dbapi_connection
    assert dbapi is not None  # a session's connection is checked out
    postgres = connection.dialect.name == "postgresql"
    cursor = dbapi.cursor(name="annotator_driver_rows") if postgres else dbapi.cursor()
    try:
        cursor.execute(compiled.string, params)
        while rows := cursor.fetchmany(size):
            yield rows
    finally:
        cursor.close()

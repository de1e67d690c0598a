"""Backups: a consistent copy of a live SQLite database, taken while people keep labelling.

The copy is made with SQLite's online backup API (`sqlite3.Connection.backup`), a few pages
per step. The source connection holds one read transaction across all the steps: in WAL mode
a reader never blocks writers, and a held snapshot keeps the backup from restarting each time
another process commits between two steps (which, under a steady stream of labels, could go
on for ever). The copy is written to a temporary file beside the destination, checked with
`PRAGMA integrity_check`, and only then renamed into place, so a crash or a failed check
never leaves a half-written backup under the destination's name.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import stat
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from annotator.errors import AnnotatorError, InvalidInput
from annotator.services.setup import require_our_database

STEP_PAGES = 1024  # pages copied per step (4 MiB with SQLite's default page size)
STEP_PAUSE = 0.005  # seconds to wait before trying again while the database is locked
BUSY_TIMEOUT = 30.0
_SIDECARS = ("-wal", "-shm", "-journal")  # files SQLite keeps beside a database


@dataclass(frozen=True)
class BackupResult:
    """What a backup wrote: the file, its size, and how many pages in how many steps."""

    path: Path
    bytes: int
    pages: int
    steps: int


Progress = Callable[[int, int], None]  # called after each step with (pages copied, pages in all)


def backup_database(
    url: str,
    dest: Path,
    *,
    force: bool = False,
    pages: int = STEP_PAGES,
    progress: Progress | None = None,
) -> BackupResult:
    """Copy the SQLite database at `url` to `dest` consistently; InvalidInput for PostgreSQL
    (with the pg_dump command to use instead) and for a destination that must not be written,
    NoSuchDatabase for a file that is missing or not a database of ours."""
    source = sqlite_file(_parse(url), dest)
    require_our_database(url)
    require_writable(dest, source, force)
    handle, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(handle)
    temp = Path(name)
    try:
        total, steps = _copy(source, temp, pages, progress)
        _verify(temp)
        os.chmod(temp, stat.S_IMODE(source.stat().st_mode))  # as private as the database
        require_writable(dest, source, force)
        os.replace(temp, dest)
    except BaseException:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return BackupResult(dest, dest.stat().st_size, total, steps)


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as error:
        raise InvalidInput(f"{url!r} is not a database URL: {error}") from None


def sqlite_file(url: URL, dest: Path) -> Path:
    """The database file behind a SQLite URL; InvalidInput naming what to do for any other.
    Whether the file is there, and a database of ours, `require_our_database` says."""
    backend = url.get_backend_name()
    if backend == "postgresql":
        raise InvalidInput(
            "backup copies SQLite databases; back up PostgreSQL with pg_dump: "
            + pg_dump_command(url, dest)
        )
    if backend != "sqlite":
        raise InvalidInput(f"backup copies SQLite databases, not {backend}")
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise InvalidInput("backup needs a SQLite database file, e.g. sqlite:///data/annotator.db")
    return Path(url.database)


def pg_dump_command(url: URL, dest: Path) -> str:
    """The pg_dump command line that backs up the PostgreSQL database of `url` to `dest`."""
    words = ["pg_dump", "--format=custom", f"--file={dest}"]
    if url.host:
        words.append(f"--host={url.host}")
    if url.port:
        words.append(f"--port={url.port}")
    if url.username:
        words.append(f"--username={url.username}")
    words.append(url.database or "postgres")
    return shlex.join(words)


def live_sqlite_file(url: str) -> Path | None:
    """The file of the SQLite database at `url`, if there is one (not for PostgreSQL)."""
    parsed = _parse(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return None if parsed.database == ":memory:" else Path(parsed.database)


def require_writable(dest: Path, source: Path | None, force: bool) -> None:
    """InvalidInput naming `dest` unless a file may be written there: not a folder, in a folder
    that exists, not the live database `source` or a file SQLite keeps beside it, and not an
    existing file unless `force`."""
    if dest.is_dir():
        raise InvalidInput("is a directory; give a file name", file=str(dest))
    if not dest.parent.is_dir():
        raise InvalidInput(f"directory {dest.parent} does not exist", file=str(dest))
    live = set() if source is None else {source.resolve()}
    live |= {path.with_name(path.name + s) for path in live for s in _SIDECARS}
    if dest.resolve() in live:
        raise InvalidInput("is the live database itself; choose another file", file=str(dest))
    if dest.exists() and not force:
        raise InvalidInput("already exists; add --force to replace it", file=str(dest))


def _copy(source: Path, temp: Path, pages: int, progress: Progress | None) -> tuple[int, int]:
    """Copy `source` into `temp` in steps of `pages` pages; (pages copied, steps taken)."""
    uri = f"file:{quote(str(source.resolve()))}?mode=ro"
    steps: list[int] = []

    def step(_status: int, remaining: int, total: int) -> None:
        steps.append(total)
        if progress is not None:
            progress(total - remaining, total)

    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT)) as reader:
            reader.isolation_level = None
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # the snapshot
            with closing(sqlite3.connect(temp)) as copy:
                reader.backup(copy, pages=pages, progress=step, sleep=STEP_PAUSE)
            reader.execute("ROLLBACK")
    except sqlite3.Error as error:
        raise AnnotatorError(f"cannot copy the database: {error}", file=str(source)) from None
    return (steps[-1] if steps else 0), len(steps)


def _verify(temp: Path) -> None:
    """Check the copy's integrity, and make it one self-contained file (rollback journal):
    the app switches a restored database back to WAL when it opens it."""
    with closing(sqlite3.connect(temp)) as copy:
        lines = [str(row[0]) for row in copy.execute("PRAGMA integrity_check")]
        if lines != ["ok"]:
            raise AnnotatorError(f"the copy failed its integrity check: {'; '.join(lines)}")
        copy.execute("PRAGMA journal_mode=DELETE").fetchone()

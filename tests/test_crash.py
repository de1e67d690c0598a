"""Crash safety of imports: `python -m annotator import` killed with SIGKILL while it holds the
write lock leaves whole articles or nothing (each exactly as a clean import stores it), and
running the same import again completes it. `check` runs after every test here."""

from __future__ import annotations

import csv
import io
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.services.importing import import_file
from db.models import Article, Sentence
from tests.conftest import prepare_database
from tests.soundness import ROOT, assert_sound

FILES = 8
ARTICLES_PER_FILE = 150
WORDS = (
    "ministry council budget exports schools roads hospital police report minister opposition "
    "parliament week rose fell approved rejected announced said figures tax water prices"
).split()
SessionFor = Callable[[str], AbstractContextManager[Session]]
Stored = dict[str, tuple[str | None, int, int, tuple[tuple[int, int, int, str], ...]]]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    figure = f"{rng.randint(1, 99)}.{rng.randint(0, 9)}"
    return f"{words[0].capitalize()} {' '.join(words[1:])} by {figure} per cent."


def _article_text(rng: random.Random) -> str:
    paragraphs = (
        " ".join(_sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(3, 7))
    )
    return "\n\n".join(paragraphs)


def _write_files(directory: Path) -> list[Path]:
    """FILES CSV files of ARTICLES_PER_FILE articles each, with ids `f<file>-a<article>`."""
    paths = []
    for f in range(FILES):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "title", "text"])
        for a in range(ARTICLES_PER_FILE):
            rng = random.Random(f * 10_000 + a)
            writer.writerow([f"f{f}-a{a}", f"Report {f}-{a}", _article_text(rng)])
        path = directory / f"batch{f:02d}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def stored(session_for: SessionFor) -> Callable[[str], Stored]:
    """`stored(url)`: every article by external id: title, n_sentences, n_body and its
    sentence rows."""

    def read(db_url: str) -> Stored:
        articles: Stored = {}
        with session_for(db_url) as session, session.begin():
            query = select(Article).where(Article.external_id.is_not(None))
            for article in session.scalars(query):
                rows = session.execute(
                    select(Sentence.index, Sentence.char_start, Sentence.char_end, Sentence.role)
                    .where(Sentence.article_id == article.id)
                    .order_by(Sentence.index)
                )
                spans = tuple((i, s, e, r) for i, s, e, r in rows)
                articles[str(article.external_id)] = (
                    article.title, article.n_sentences, article.n_body, spans
                )  # fmt: skip
        return articles

    return read


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    directory = tmp_path / "files"
    directory.mkdir()
    return _write_files(directory)


@pytest.fixture
def clean_import(
    files: list[Path], tmp_path: Path, session_for: SessionFor, stored: Callable[[str], Stored]
) -> Stored:
    """What an import that nobody interrupts stores."""
    url = f"sqlite:///{tmp_path / 'clean.db'}"
    prepare_database(url, ())
    with session_for(url) as session:
        for path in files:
            assert import_file(session, "default", path.name, path.read_bytes()).imported
    return stored(url)


@pytest.fixture
def crash_db(db_url: str) -> Iterator[str]:
    """A database after the first start that the test may crash into; `check` must pass after."""
    prepare_database(db_url, ())
    yield db_url
    assert_sound(db_url)


def _import(db_url: str, files: list[Path]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "annotator", "import", *map(str, files), "--db", db_url]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _holds_write_lock(path: Path) -> tuple[int, bool]:
    """(articles committed so far, whether another connection holds the write lock now)."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        articles = probe.execute("SELECT count(*) FROM articles").fetchone()[0]
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return articles, False
    except sqlite3.OperationalError:
        return articles, True
    finally:
        probe.close()


def _kill_inside_a_transaction(importer: subprocess.Popen[bytes], path: Path, seeds: int) -> None:
    """SIGKILL the importer while it holds the write lock, after at least one file is in."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert importer.poll() is None, "the import finished before it could be killed"
        articles, locked = _holds_write_lock(path)
        if locked and articles > seeds:
            importer.send_signal(signal.SIGKILL)
            importer.wait(timeout=30)
            return
        time.sleep(0.002)
    raise AssertionError("the importer never held the write lock")


def test_import_killed_mid_transaction_leaves_whole_articles_and_a_rerun_completes_it(
    crash_db: str, files: list[Path], clean_import: Stored, stored: Callable[[str], Stored]
) -> None:
    path = Path(crash_db.removeprefix("sqlite:///"))
    seeds = sqlite3.connect(path).execute("SELECT count(*) FROM articles").fetchone()[0]
    importer = _import(crash_db, files)
    _kill_inside_a_transaction(importer, path, seeds)
    assert importer.returncode == -signal.SIGKILL

    after_crash = stored(crash_db)
    assert 0 < len(after_crash) < len(clean_import), "the kill must land between files"
    for external_id, article in after_crash.items():
        assert article == clean_import[external_id], f"article {external_id} is not whole"
    per_file = {f"f{f}": 0 for f in range(FILES)}
    for external_id in after_crash:
        per_file[external_id.split("-")[0]] += 1
    assert set(per_file.values()) <= {0, ARTICLES_PER_FILE}, "a file was stored in part"
    assert_sound(crash_db)

    rerun = _import(crash_db, files)
    _, errors = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, errors.decode()
    assert stored(crash_db) == clean_import

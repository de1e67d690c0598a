"""`python -m annotator backup`: a consistent copy of a live SQLite database, taken while other
processes keep saving labels; restored, it holds every label acknowledged before it began."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.cli import main
from annotator.errors import AnnotatorError
from annotator.services import accounts, backup, labelling
from annotator.services.backup import backup_database
from annotator.services.integrity import find_problems
from annotator.services.labelling import LabelInput
from bench.annotate_page import add_annotators, build_database
from db.engine import make_engine, session_factory
from db.models import Label
from tests.conftest import PASSWORD, prepare_database
from tests.soundness import assert_sound

WRITERS = 3
TYPES = ("factual", "opinion", "not_claim")
SessionFor = Callable[[str], AbstractContextManager[Session]]
Ack = tuple[int, int, str, float]  # sentence id, annotator id, claim type, when save returned


def _sentences(session: Any, user: Any) -> Iterator[int]:
    for article in labelling.article_list(session, user, "default"):
        yield from (s.id for s in labelling.load_article(session, user, article.id).body)


def _labeller(url: str, name: str, stop: Any, queue: Any) -> None:
    """Save labels one after another until told to stop; report each one acknowledged."""
    engine = make_engine(url)
    acks: list[Ack] = []
    with session_factory(engine)() as session:
        user = accounts.authenticate(session, name, PASSWORD)
        for sentence_id in _sentences(session, user):
            if stop.is_set():
                break
            claim = TYPES[sentence_id % 3]
            labelling.save_label(session, user, sentence_id, LabelInput(claim), 1.0)
            acks.append((sentence_id, user.id, claim, time.time()))
    engine.dispose()
    queue.put(acks)


@pytest.fixture
def stored(session_for: SessionFor) -> Callable[[str], set[tuple[int, int, str]]]:
    """`stored(url)`: every label in the database as (sentence id, annotator id, claim type)."""

    def read(url: str) -> set[tuple[int, int, str]]:
        with session_for(url) as session, session.begin():
            rows = session.execute(select(Label.sentence_id, Label.annotator_id, Label.claim_type))
            return {(s, a, str(c)) for s, a, c in rows}

    return read


@pytest.fixture
def live(tmp_path: Path, session_for: SessionFor) -> tuple[str, list[str]]:
    """(URL, writers' names): 3,000 body sentences in `default`, shared out between the
    writers' accounts."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    build_database(url, 3_000)
    names = [f"writer{i}" for i in range(WRITERS)]
    return url, add_annotators(url, names, assign=True, password=PASSWORD)


def test_restored_backup_of_a_live_database_holds_every_label_acknowledged_before_it(
    tmp_path: Path,
    live: tuple[str, list[str]],
    session_for: SessionFor,
    stored: Callable[[str], set[tuple[int, int, str]]],
) -> None:
    url, names = live
    context = multiprocessing.get_context("spawn")
    stop, queue = context.Event(), context.Queue()
    writers = [context.Process(target=_labeller, args=(url, n, stop, queue)) for n in names]
    for writer in writers:
        writer.start()
    deadline = time.monotonic() + 120
    while len(stored(url)) < 60:
        assert time.monotonic() < deadline, "the writers never got going"
        time.sleep(0.05)
    began = time.time()
    # Two pages a step, and a pause after each, so that many labels arrive between the steps.
    pause = lambda copied, total: time.sleep(0.01)  # noqa: E731
    result = backup_database(url, tmp_path / "backup.db", pages=2, progress=pause)
    ended = time.time()
    with session_for(url) as session:
        live_problems = list(find_problems(session))  # the live database, writers still busy
    stop.set()
    acks: list[Ack] = [ack for _ in writers for ack in queue.get(timeout=120)]
    for writer in writers:
        writer.join(timeout=60)

    restored = tmp_path / "restored" / "annotator.db"
    restored.parent.mkdir()
    shutil.copyfile(result.path, restored)
    in_copy = stored(f"sqlite:///{restored}")
    before = {(s, a, c) for s, a, c, t in acks if t < began}
    during = [t for *_, t in acks if began <= t < ended]
    after = {(s, a, c) for s, a, c, t in acks if t >= ended}
    assert result.steps > 10 and during, "the copy must be taken in steps while labels arrive"
    assert result.steps == -(-result.pages // 2), "the copy restarted: a writer got in between"
    assert before and before <= in_copy
    assert in_copy <= {(s, a, c) for s, a, c, _ in acks}
    assert not after & in_copy, "a label saved after the backup ended is in it"
    assert live_problems == []
    assert_sound(f"sqlite:///{restored}")


def _backup(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["backup", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("backup crashed (a user would see a traceback)") from result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def source(db_url: str) -> str:
    """A database after the first start, with one account."""
    prepare_database(db_url, (("admin", "admin"),))
    return db_url


def test_backup_writes_a_checked_copy_and_refuses_to_overwrite_without_force(
    source: str, tmp_path: Path, stored: Callable[[str], set[tuple[int, int, str]]]
) -> None:
    dest = tmp_path / "copy.db"
    code, out, _ = _backup(str(dest), "--db", source)
    assert code == 0 and "integrity check ok" in out
    assert_sound(f"sqlite:///{dest}")
    dest.write_bytes(b"an older backup")
    code, _, err = _backup(str(dest), "--db", source)
    assert code == 1 and f"{dest}: already exists; add --force to replace it" in err
    assert dest.read_bytes() == b"an older backup"
    assert _backup(str(dest), "--force", "--db", source)[0] == 0
    assert stored(f"sqlite:///{dest}") == stored(source)
    assert_sound(f"sqlite:///{dest}")


def test_backup_never_replaces_the_live_database_even_with_force(source: str) -> None:
    live = Path(source.removeprefix("sqlite:///"))
    before = live.read_bytes()
    code, _, err = _backup(str(live), "--force", "--db", source)
    assert code == 1 and "is the live database itself" in err
    assert live.read_bytes() == before


def test_backup_on_postgresql_gives_the_pg_dump_command(tmp_path: Path) -> None:
    url = "postgresql+psycopg://annotator:secret@db.example.org:5433/claims"
    code, _, err = _backup(str(tmp_path / "claims.dump"), "--db", url)
    assert code == 1
    assert (
        f"pg_dump --format=custom --file={tmp_path / 'claims.dump'} --host=db.example.org "
        "--port=5433 --username=annotator claims"
    ) in err
    assert "secret" not in err


def _fail_the_check(_copy: Path) -> None:
    raise AnnotatorError("the copy failed its integrity check: (made to fail)")


@pytest.mark.parametrize(
    ("failure", "message"),
    [("not a database", "file is not a database"), ("copy fails", "failed its integrity check")],
)
def test_a_failed_backup_leaves_nothing_behind(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str, message: str
) -> None:
    if failure == "not a database":
        not_a_database = tmp_path / "notes.db"
        not_a_database.write_bytes(b"these are notes, not a database" * 200)
        db_url = f"sqlite:///{not_a_database}"
    else:
        prepare_database(db_url, ())
        monkeypatch.setattr(backup, "_verify", _fail_the_check)
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = _backup(str(out / "copy.db"), "--db", db_url)
    assert code == 1 and message in err
    assert list(out.iterdir()) == []


def test_backup_of_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    code, _, err = _backup(str(tmp_path / "copy.db"), "--db", f"sqlite:///{tmp_path / 'no.db'}")
    assert code == 1 and "no such database file" in err
    assert list(tmp_path.iterdir()) == []


def test_the_copy_is_one_self_contained_file(source: str, tmp_path: Path) -> None:
    dest = tmp_path / "copy.db"
    assert _backup(str(dest), "--db", source)[0] == 0
    connection = sqlite3.connect(f"file:{dest}?mode=ro", uri=True)
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    connection.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.db"]

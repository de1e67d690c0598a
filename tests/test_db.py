"""The schema: migrations both ways on both databases, models in step, engine settings."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from annotator.services import labelling
from annotator.services.labelling import LabelInput
from annotator.services.records import UserInfo
from db.engine import read_transaction, session_factory, write_transaction
from db.migrate import alembic_config, downgrade, upgrade
from tests.conftest import table_counts

EngineFor = Callable[[str], Engine]
TABLES = {"users", "projects", "articles", "sentences", "labels", "label_history"}


def _roundtrip(engine: Engine) -> None:
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    downgrade(engine, "base")
    assert not TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    command.check(alembic_config(engine))


def test_migrations_upgrade_downgrade_upgrade_on_sqlite(db_url: str, engine_for: EngineFor) -> None:
    _roundtrip(engine_for(db_url))


@pytest.mark.postgres
def test_migrations_upgrade_downgrade_upgrade_on_postgres(
    pg_url: str, engine_for: EngineFor
) -> None:
    engine = engine_for(pg_url)
    _roundtrip(engine)
    downgrade(engine, "base")


@pytest.mark.parametrize("start", ["base", "0004"])
def test_an_upgrade_commits_once_so_no_process_sees_a_half_migrated_database(
    db_url: str, start: str, engine_for: EngineFor
) -> None:
    engine = engine_for(db_url)
    if start != "base":
        upgrade(engine, start)
    commits: list[None] = []
    event.listen(engine, "commit", lambda _connection: commits.append(None))
    upgrade(engine)
    assert len(commits) == 1


def test_migration_files_sort_in_the_order_they_run(engine: Engine) -> None:
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    run_order = [s.module.__file__ for s in reversed(list(scripts.walk_revisions()))]
    names = [Path(str(f)).name for f in run_order]
    assert names == sorted(names)
    assert all(name.startswith(f"{i:04d}_") for i, name in enumerate(names, start=1))


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


def test_write_transaction_takes_the_write_lock_before_any_write(
    engine: Engine, db_url: str
) -> None:
    path = db_url.removeprefix("sqlite:///")
    with session_factory(engine)() as session, write_transaction(session):
        session.execute(text("SELECT 1"))
        other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_read_transaction_does_not_block_a_writer(engine: Engine, db_url: str) -> None:
    path = db_url.removeprefix("sqlite:///")
    with session_factory(engine)() as session, read_transaction(session):
        session.execute(text("SELECT count(*) FROM users"))
        other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()


def _labelled(seeded: Session, user: UserInfo) -> int:
    article = labelling.article_list(seeded, user, "default")[0]
    sentence = labelling.load_article(seeded, user, article.id).body[0]
    labelling.save_label(seeded, user, sentence.id, LabelInput("factual"), 1.0)
    return sentence.id


@pytest.mark.parametrize(
    "statement", ["UPDATE label_history SET new = '{}'", "DELETE FROM label_history"]
)
def test_label_history_refuses_update_and_delete(
    seeded: Session, annotator_user: UserInfo, engine: Engine, statement: str
) -> None:
    _labelled(seeded, annotator_user)
    refused = (IntegrityError, OperationalError, DBAPIError)
    with pytest.raises(refused, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM label_history")).scalar() == 1


def test_a_second_current_label_for_the_same_sentence_and_annotator_is_refused(
    seeded: Session, annotator_user: UserInfo, engine: Engine
) -> None:
    sentence_id = _labelled(seeded, annotator_user)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO labels (sentence_id, annotator_id, claim_type, note, skipped,"
                " seconds_spent, created_at, updated_at) VALUES (:s, :a, 'opinion', '', 0, 0,"
                " :now, :now)"
            ),
            {"s": sentence_id, "a": annotator_user.id, "now": now},
        )


@pytest.mark.parametrize("revision", ["0003", "0002", "0001"])
def test_downgrading_keeps_the_data_of_the_tables_it_keeps_or_rebuilds(
    seeded: Session, annotator_user: UserInfo, engine: Engine, revision: str
) -> None:
    _labelled(seeded, annotator_user)
    before = table_counts(engine)
    downgrade(engine, revision)
    kept = set(inspect(engine).get_table_names()) & set(before)
    upgrade(engine)
    after = table_counts(engine)
    assert kept and {t: after[t] for t in kept} == {t: before[t] for t in kept}


def test_migration_0009_adds_speakers_and_originals_and_its_downgrade_keeps_the_sentences(
    any_engine: Engine,
) -> None:
    downgrade(any_engine, "0008")
    now = dt.datetime.now(dt.UTC)
    with any_engine.begin() as connection:
        project = connection.execute(
            text("INSERT INTO projects (name, scheme, overlap, guidelines, n_body, created_at,"
                 " scheme_json, gold_policy, gold_min_votes) VALUES ('p', 'claims-v1', 1, '',"
                 " 1, :now, '', 'unanimous', 2) RETURNING id"), {"now": now},
        ).scalar_one()  # fmt: skip
        article = connection.execute(
            text("INSERT INTO articles (project_id, title, text, content_hash, origin,"
                 " n_sentences, n_body, imported_at) VALUES (:p, 'T', 'HOLT: Hi.', 'h', 'o',"
                 " 1, 1, :now) RETURNING id"), {"p": project, "now": now},
        ).scalar_one()  # fmt: skip
        connection.execute(
            text('INSERT INTO sentences (article_id, "index", char_start, char_end, role)'
                 " VALUES (:a, 0, 6, 9, 'body')"), {"a": article},
        )  # fmt: skip
    upgrade(any_engine)
    with any_engine.begin() as connection:
        assert connection.execute(text("SELECT speaker FROM sentences")).all() == [(None,)]
        connection.execute(text("UPDATE sentences SET speaker = 'HOLT'"))
        connection.execute(
            text("INSERT INTO article_originals (article_id, media_type, content)"
                 " VALUES (:a, 'text/html', :c)"), {"a": article, "c": b"<p>HOLT: Hi.</p>"},
        )  # fmt: skip
    downgrade(any_engine, "0008")
    tables = inspect(any_engine)
    assert "article_originals" not in tables.get_table_names()
    assert "speaker" not in {c["name"] for c in tables.get_columns("sentences")}
    with any_engine.begin() as connection:
        kept = connection.execute(text("SELECT article_id, char_start, char_end FROM sentences"))
        assert kept.all() == [(article, 6, 9)]
    upgrade(any_engine)


def test_migration_0013_adds_the_article_order_and_uncertainties_and_its_downgrade_keeps_projects(
    any_engine: Engine,
) -> None:
    downgrade(any_engine, "0012")
    now = dt.datetime.now(dt.UTC)
    with any_engine.begin() as connection:
        project = connection.execute(
            text("INSERT INTO projects (name, scheme, overlap, guidelines, n_body, created_at,"
                 " scheme_json, gold_policy, gold_min_votes) VALUES ('p', 'claims-v1', 1, '',"
                 " 1, :now, '', 'unanimous', 2) RETURNING id"), {"now": now},
        ).scalar_one()  # fmt: skip
        article = connection.execute(
            text("INSERT INTO articles (project_id, title, text, content_hash, origin,"
                 " n_sentences, n_body, imported_at) VALUES (:p, 'T', 'Hi.', 'h', 'o',"
                 " 1, 1, :now) RETURNING id"), {"p": project, "now": now},
        ).scalar_one()  # fmt: skip
        model = connection.execute(
            text("INSERT INTO models (project_id, field, version, trained_at, n_train,"
                 " n_heldout, labels_seen, beats_baseline, figures, content) VALUES (:p,"
                 " 'claim_type', 1, :now, 10, 2, 12, true, '{}', :c) RETURNING id"),
            {"p": project, "now": now, "c": b"model"},
        ).scalar_one()  # fmt: skip
    upgrade(any_engine)
    with any_engine.begin() as connection:
        assert connection.execute(text("SELECT article_order FROM projects")).all() == [("import",)]
        connection.execute(
            text("INSERT INTO article_uncertainties (article_id, project_id, model_id,"
                 " uncertainty) VALUES (:a, :p, :m, 0.25)"),
            {"a": article, "p": project, "m": model},
        )  # fmt: skip
    with pytest.raises((IntegrityError, DBAPIError)), any_engine.begin() as connection:
        connection.execute(text("UPDATE projects SET article_order = 'random'"))
    downgrade(any_engine, "0012")
    tables = inspect(any_engine)
    assert "article_uncertainties" not in tables.get_table_names()
    assert "article_order" not in {c["name"] for c in tables.get_columns("projects")}
    with any_engine.begin() as connection:
        assert connection.execute(text("SELECT id, name FROM projects")).all() == [(project, "p")]
    upgrade(any_engine)


def test_the_migration_list_read_from_file_names_is_alembics(engine: Engine) -> None:
    """`setup` reads the migrations from the files' names and the schema's revision with one
    query (no Alembic at start-up); both must say what Alembic says."""
    from alembic.runtime.migration import MigrationContext

    from annotator.services.setup import _migrations, schema_revision
    from db.migrate import MIGRATIONS_DIR

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    known = frozenset(r.revision for r in script.walk_revisions())
    assert _migrations() == (known, script.get_current_head())
    with engine.connect() as connection:
        assert (
            schema_revision(engine) == MigrationContext.configure(connection).get_current_revision()
        )
    downgrade(engine, "0007")
    assert schema_revision(engine) == "0007"
    downgrade(engine, "base")
    assert schema_revision(engine) is None

"""The service-level core loop on the local PostgreSQL server: init, label, history, export."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable

import pandas as pd
import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from annotator.columns import LABEL_COLUMNS
from annotator.config import SEEDS_DIR
from annotator.services import accounts, labelling
from annotator.services.adjudication import adjudicate
from annotator.services.exporting import ExportRequest, export_bytes
from annotator.services.labelling import LabelInput
from annotator.services.records import UserInfo
from annotator.services.setup import import_seeds, initialise
from db.engine import session_factory, write_transaction
from db.models import Label, LabelHistory
from tests.conftest import PASSWORD, table_counts

LabelSome = Callable[[Session, UserInfo], list[int]]

pytestmark = pytest.mark.postgres


def test_core_loop_on_postgres(pg_engine: Engine) -> None:
    with session_factory(pg_engine)() as session:
        result = initialise(pg_engine, session, SEEDS_DIR)
        assert result.created_default and [r.status for r in result.seed_reports] == [
            "imported",
            "imported",
        ]
        accounts.create_user(session, "pg-admin", "admin", PASSWORD)
        user = accounts.create_user(session, "pg-annotator", "annotator", PASSWORD)
        assert accounts.authenticate(session, "pg-annotator", PASSWORD) == user
        summary = labelling.article_list(session, user, "default")[0]
        body = labelling.load_article(session, user, summary.id).body
        labelling.save_label(
            session, user, body[0].id, LabelInput("factual", note='a "quote"'), 1.0
        )
        labelling.save_label(session, user, body[0].id, LabelInput("opinion"), 1.0)
        labelling.save_label(session, user, body[1].id, LabelInput(None, skipped=True), 1.0)
        assert labelling.done_count(session, user, "default") == 2
        with session.begin():
            history = [
                json.loads(h.new)["claim_type"]
                for h in session.scalars(select(LabelHistory).order_by(LabelHistory.id))
            ]
        assert history == ["factual", "opinion", None]
        data = export_bytes(session, ExportRequest(project="default", kind="labels"), None)
        frame = pd.read_csv(io.BytesIO(data))
        assert tuple(frame.columns) == tuple(LABEL_COLUMNS)
        assert frame["claim_type"].tolist()[0] == "opinion" and frame["skipped"].tolist()[1]
        before = table_counts(pg_engine)
        assert [r.status for r in import_seeds(session, SEEDS_DIR)] == ["duplicate", "duplicate"]
        assert table_counts(pg_engine) == before


def test_sqlite_and_postgres_exports_are_identical_for_the_seeds(
    pg_engine: Engine, engine: Engine
) -> None:
    exports = []
    for database in (pg_engine, engine):
        with session_factory(database)() as session:
            initialise(database, session, SEEDS_DIR)
            exports.append(
                export_bytes(session, ExportRequest(project="default", kind="sentences"), None)
            )
    assert exports[0] == exports[1]


def test_labels_and_gold_exports_are_byte_identical_on_sqlite_and_postgres(
    pg_engine: Engine, engine: Engine, label_some: LabelSome
) -> None:
    """The export reads the drivers' own values (SQLite: text dates, 0/1 booleans; PostgreSQL:
    date, datetime and bool objects): every format must come out the same from both."""
    stamp = dt.datetime(2026, 11, 23, 9, 30, 15, 987654, tzinfo=dt.UTC)
    exports: list[dict[tuple[str, str], bytes]] = []
    for database in (pg_engine, engine):
        with session_factory(database)() as session:
            initialise(database, session, SEEDS_DIR)
            admin = accounts.create_user(session, "pg-admin", "admin", PASSWORD)
            user = accounts.create_user(session, "pg-annotator", "annotator", PASSWORD)
            labelled = label_some(session, user)
            adjudicate(session, admin, labelled[1], LabelInput("not_claim"))
            with write_transaction(session):
                session.execute(update(Label).values(updated_at=stamp))
            requests = [ExportRequest("default", kind, format_) for kind in ("labels", "gold")
                        for format_ in ("csv", "jsonl", "parquet")]  # fmt: skip
            exports.append({(r.kind, r.format): export_bytes(session, r, None) for r in requests})
    assert b"2026-11-23T09:30:15.987Z" in exports[1]["labels", "csv"]
    assert b"2014-11-21" in exports[1]["gold", "jsonl"]
    for key, data in exports[0].items():
        assert data == exports[1][key], key

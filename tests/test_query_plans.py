"""Every query that runs on a click uses an index: none scans `sentences`, `labels`,
`assignments` or `login_sessions` whole, on SQLite and on PostgreSQL, against a generated
100k-sentence project."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, insert, select, text
from sqlalchemy.orm import Session

from annotator.services import (
    adjudication,
    labelling,
    progress,
    projects,
    reliability,
    sessions,
)
from annotator.services.labelling import LabelInput
from annotator.services.records import UserInfo
from bench.databases import scratch_database
from bench.team import build_team_database
from db.engine import make_engine, session_factory
from db.models import LoginSession, User

SENTENCES = 100_000
LOGINS = 50_000
GUARDED = ("sentences", "labels", "assignments", "login_sessions")
Statement = tuple[str, Any]


@pytest.fixture
def big_engine(backend: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated database holding a generated project of 100,000 labelled sentences and
    50,000 past logins, on each backend (PostgreSQL: skipped, or failing under CI, without
    the server). One test per backend uses it, so each database is built once."""
    if backend == "postgres":
        request.getfixturevalue("pg_url")
    with scratch_database(backend) as url:
        build_team_database(url, SENTENCES)
        engine = make_engine(url)
        with engine.begin() as connection:
            _past_logins(connection, LOGINS)
            connection.execute(text("ANALYZE"))
        yield engine
        engine.dispose()


def _past_logins(connection: Connection, n: int) -> None:
    """`n` login sessions of the team's users in as many browsers, every other one ended."""
    users = connection.execute(select(User.id)).scalars().all()
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "user_id": users[i % len(users)],
            "token_hash": f"{i:064x}",
            "browser_key": f"{i // 3:064x}",
            "created_at": now,
            "ended_at": now if i % 2 else None,
        }
        for i in range(n)
    ]
    connection.execute(insert(LoginSession), rows)


def _user(session: Session, name: str) -> UserInfo:
    with session.begin():
        user = session.query(User).filter(User.name == name).one()
        return UserInfo(user.id, user.name, user.role, user.active)


def _annotate_click(session: Session) -> None:
    """What the annotate page runs for an annotator: the login session's check (every run),
    opening the page (the article list, where they left off, the project and its scheme),
    then per article and per label."""
    actor = _user(session, "annotator1")
    for browser in ("another browser", "this browser"):
        login = sessions.start_session(session, actor, browser)
    sessions.session_user(session, login.token)
    sessions.end_browser_sessions(session, login.token)
    articles = labelling.article_list(session, actor, "default")
    labelling.last_labelled_article(session, actor, "default")
    projects.get_project(session, "default")
    projects.project_scheme(session, "default")
    article_id = articles[-1].id
    body = labelling.load_article(session, actor, article_id).body
    labelling.article_labels(session, actor, article_id)
    labelling.save_label(session, actor, body[-1].id, LabelInput("opinion"), 5.0)
    labelling.done_count(session, actor, "default")


def _nothing(session: Session) -> None:
    """No earlier visit is needed before the annotate click."""


def _store_agreement(session: Session) -> None:
    """The agreement page's earlier visit: its figures stored, no label changed since (the
    annotate click, run before on the same database, changed labels)."""
    for field in ("claim_type", "date_bound"):
        reliability.agreement_report(session, None, "default", field, refresh=True)


def _lead_pages(session: Session) -> None:
    """What the progress, adjudication and agreement pages run for a lead (the agreement
    page's figures stored by an earlier visit, no label changed since)."""
    actor = _user(session, "lead")
    progress.project_progress(session, None, "default")
    for field in ("claim_type", "date_bound"):
        report = reliability.agreement_report(session, _user(session, "admin"), "default", field)
        assert report.changed_since == 0
    queue = adjudication.dispute_queue(session, _user(session, "admin"), "default")
    adjudication.outcome_counts(session, _user(session, "admin"), "default")
    adjudication.open_case(session, _user(session, "admin"), queue[0].sentence_id)
    assert actor.role == "lead"


def _captured(engine: Engine, click: Any) -> list[Statement]:
    seen: list[Statement] = []

    def keep(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().split()[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with session_factory(engine)() as session:
            click(session)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return seen


def _full_scans(connection: Connection, statement: str, parameters: Any) -> list[str]:
    """The guarded tables that the database's plan for this statement reads whole."""
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        scans = [re.match(r"SCAN (\w+)", row[-1]) for row in rows]
        return [m.group(1) for m in scans if m and m.group(1).rstrip("_0123456789") in GUARDED]
    plan = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return [n["Relation Name"] for n in _nodes(plan[0]["Plan"]) if _seq_scan(n)]


def _seq_scan(node: dict[str, Any]) -> bool:
    return node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in GUARDED


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


CLICKS = ((_nothing, _annotate_click), (_store_agreement, _lead_pages))  # (visit before, click)


def test_click_queries_never_scan_sentences_labels_or_assignments(big_engine: Engine) -> None:
    for before, click in CLICKS:
        with session_factory(big_engine)() as session:
            before(session)
        statements = _captured(big_engine, click)
        assert statements, click.__name__
        with big_engine.connect() as connection:
            scans = {s: _full_scans(connection, s, p) for s, p in statements}
        assert {s: t for s, t in scans.items() if t} == {}, click.__name__

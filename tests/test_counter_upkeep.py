"""Counter upkeep lives in one place: after writes through every service that writes labels,
assignments or outcomes, `check` finds no drift and the counters equal a recount; and no
service but `annotator/services/counts.py` touches the counter tables."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.config import SEEDS_DIR
from annotator.services import (
    accounts,
    adjudication,
    assignment,
    counts,
    fact_checking,
    labelling,
)
from annotator.services.fact_checking import VerdictInput
from annotator.services.importing import import_file
from annotator.services.integrity import find_problems
from annotator.services.label_import import import_labels
from annotator.services.labelling import LabelInput
from annotator.services.projects import create_project, find_project
from annotator.services.records import SentenceInfo, UserInfo
from db.base import Base
from db.engine import make_engine, session_factory
from tests.conftest import PASSWORD, prepare_database

ROOT = Path(__file__).resolve().parent.parent
FACT = LabelInput("factual", date_bound=False)
OPINION = LabelInput("opinion")
NOT_CLAIM = LabelInput("not_claim")
SKIP = LabelInput(None, skipped=True, note="unclear")
PEOPLE = (("admin", "admin"), ("lena", "lead"), ("ann", "annotator"), ("bob", "annotator"),
          ("cat", "annotator"), ("fred", "annotator"))  # fmt: skip
HEADER = ("article_title", "char_start", "char_end", "sentence", "annotator", "claim_type",
          "skipped", "labelled_at", "seconds_spent")  # fmt: skip
WHEN = "2026-03-01T10:00:00Z"


def _counter_models() -> dict[str, str]:
    """The counter tables' models by name, with their table names (every table whose name
    ends in `_counts`)."""
    return {
        mapper.class_.__name__: mapper.class_.__tablename__
        for mapper in Base.registry.mappers
        if mapper.class_.__tablename__.endswith("_counts")
    }


def _names_and_strings(path: Path) -> tuple[set[str], list[str]]:
    """Every name a module imports, uses or reads as an attribute; and every string in it
    that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, documented) and node.body and isinstance(node.body[0], ast.Expr)
    }
    names: set[str] = set()
    strings: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.alias):
            names |= {node.name, node.asname or node.name}
        elif isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.Constant) and id(node) not in docstrings:
            strings += [node.value] if isinstance(node.value, str) else []
    return names, strings


def _touches(path: Path, counters: dict[str, str]) -> list[str]:
    """The counter models a module names, and the counter tables its strings name (raw SQL)."""
    names, strings = _names_and_strings(path)
    tables = {t for text in strings for t in counters.values() if re.search(rf"\b{t}\b", text)}
    return sorted((set(counters) & names) | tables)


def test_only_the_counts_module_touches_the_counter_tables() -> None:
    counters = _counter_models()
    assert {"LabelDayCount", "AssignedCount", "OutcomeCount"} <= set(counters)
    assert _touches(ROOT / "annotator" / "services" / "counts.py", counters)  # the test sees
    offenders = {
        path.name: touched
        for path in sorted((ROOT / "annotator" / "services").glob("*.py"))
        if path.name != "counts.py" and (touched := _touches(path, counters))
    }
    assert offenders == {}


def _articles_jsonl(n: int, tag: str) -> bytes:
    return "\n".join(
        json.dumps({"id": f"{tag}{i}", "title": f"Story {tag}{i}",
                    "text": f"The council met on day {i}. It approved plan {i}. Critics objected."})
        for i in range(n)
    ).encode()  # fmt: skip


def _labels_csv(rows: list[tuple[str, SentenceInfo, str, str, bool]]) -> bytes:
    """A `labels` export file: (article title, sentence, annotator, claim type, skipped)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for title, s, annotator, claim_type, skipped in rows:
        flag = "true" if skipped else "false"
        writer.writerow([title, s.start, s.end, s.text, annotator, claim_type, flag, WHEN, "6.5"])
    return out.getvalue().encode()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, db_url: str) -> Iterator[Session]:
    """A session on a database after the first start, on SQLite or PostgreSQL."""
    url = db_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    if request.param == "postgres":
        request.getfixturevalue("pg_engine")  # migrated now, emptied after the test
    prepare_database(url, PEOPLE)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        yield session
    engine.dispose()


def _people(session: Session) -> dict[str, UserInfo]:
    return {name: accounts.authenticate(session, name, PASSWORD) for name, _ in PEOPLE}


def _kept_counters(session: Session) -> dict[str, set[tuple[object, ...]]]:
    """Every non-zero row of every counter table."""
    kept = {}
    with session.begin():
        for name, table_name in sorted(_counter_models().items()):
            table = Base.metadata.tables[table_name]
            values = [c.name for c in table.columns if not c.primary_key]
            rows = session.execute(select(table)).mappings()
            kept[name] = {tuple(r.values()) for r in rows if any(r[c] for c in values)}
    return kept


def _work(session: Session, p: dict[str, UserInfo]) -> None:
    """Every kind of counted write, through the services, on project `team` (overlap 2)."""
    ann, bob, lead = p["ann"], p["bob"], p["lena"]
    create_project(session, "team", overlap=2, actor=lead)
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        import_file(session, "team", path.name, path.read_bytes())
    import_file(session, "team", "more.jsonl", _articles_jsonl(6, "a"))
    assignment.assign(session, lead, "team", ["ann"])  # everything to ann, one per article
    first = labelling.load_article(session, ann, labelling.article_list(session, ann, "team")[0].id)
    body = first.body
    labelling.save_label(session, ann, body[0].id, FACT, 2.0)  # new
    labelling.save_label(session, ann, body[0].id, OPINION, 1.5)  # relabel
    labelling.save_label(session, ann, body[0].id, OPINION, 3.0)  # same answer, more time
    labelling.save_label(session, ann, body[1].id, SKIP, 0.5)  # skip
    labelling.save_label(session, ann, body[1].id, FACT, 4.0)  # un-skip
    for sentence, answer in zip(body[2:6], (FACT, OPINION, FACT, NOT_CLAIM), strict=True):
        labelling.save_label(session, ann, sentence.id, answer, 1.0)
    # Top up with bob and cat, then even out: ann's unstarted articles move to them.
    assert assignment.assign(session, lead, "team", ["bob", "cat"]).moved > 0
    partner = next(
        p[name] for name in ("bob", "cat")
        if first.id in {a.id for a in labelling.article_list(session, p[name], "team")}
    )  # fmt: skip
    for sentence, answer in zip(body[:5], (OPINION, OPINION, NOT_CLAIM, FACT, SKIP), strict=True):
        labelling.save_label(session, partner, sentence.id, answer, 2.5)
    # cat leaves: her unstarted articles go back to the pool and to ann and bob.
    accounts.set_active(session, p["admin"], "cat", False)
    assert assignment.assign(session, lead, "team").moved > 0
    import_file(session, "team", "late.jsonl", _articles_jsonl(1, "late"))
    assert assignment.claim_next(session, bob, "team") is not None
    # import-labels: new labels for the partner, and one of ann's replaced.
    rows = [(first.title, s, partner.name, "factual", False) for s in body[5:8]]
    rows.append((first.title, body[2], "ann", "", True))
    import_labels(session, lead, "team", "labels.csv", _labels_csv(rows), replace=True)
    # Gold: a lead's decision, another decision reopened, a policy change.
    disputed = adjudication.dispute_queue(session, lead, "team")
    assert len(disputed) >= 2
    adjudication.adjudicate(session, lead, disputed[0].sentence_id, OPINION)
    adjudication.adjudicate(session, lead, disputed[1].sentence_id, NOT_CLAIM)
    adjudication.reopen(session, lead, disputed[1].sentence_id)
    adjudication.set_policy(session, lead, "team", "majority", 1)
    labelling.save_label(session, ann, body[3].id, OPINION, 1.0)  # after the policy change
    # The fact-check stage counts nothing, but runs on the same rows.
    checks = fact_checking.assign_checks(session, lead, "team", ["fred"])
    assert checks.assigned > 0
    check = fact_checking.check_queue(session, p["fred"], "team")[0]
    verdict = VerdictInput("true", ("https://example.org/a",), dt.date(2026, 1, 1), "It is.")
    fact_checking.record_verdict(session, p["fred"], check.id, verdict)


def test_writes_through_every_service_keep_the_counters_true(database: Session) -> None:
    session = database
    _work(session, _people(session))
    assert list(find_problems(session)) == []
    kept = _kept_counters(session)
    assert all(kept[name] for name in kept), kept  # every counter table was written
    with session.begin():
        for project in ("default", "team"):
            counts.recount(session, find_project(session, project).id)
    assert _kept_counters(session) == kept

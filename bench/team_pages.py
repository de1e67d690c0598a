"""Server time of the pages a team uses, on a generated project (bench/team.py), on SQLite and
PostgreSQL: label-and-advance against an empty rerun (AppTest, the real app.py), the services
behind the progress, agreement and adjudication pages, and agreement against its floor (reading
the same labels into pandas)."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable

import pandas as pd
import streamlit as st
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from annotator.services import adjudication, progress, reliability
from annotator.services.accounts import authenticate
from bench.annotate_page import APP
from bench.team import PASSWORD, build_team_database
from bench.timing import interleaved_medians
from db.engine import make_engine, session_factory

LABELS_SQL = (
    "SELECT l.sentence_id, u.name, l.claim_type, l.date_bound, l.skipped FROM labels l "
    "JOIN sentences s ON s.id = l.sentence_id JOIN articles a ON a.id = s.article_id "
    "JOIN users u ON u.id = l.annotator_id"
)


def measure(url: str, n_sentences: int, repeats: int = 20) -> dict[str, float]:
    """Build the project at `url` and measure every page on it (seconds; medians)."""
    team = build_team_database(url, n_sentences)
    result: dict[str, float] = {"sentences": team.sentences, "labels": team.labels}
    result.update(_services(url, repeats))
    result.update(_annotate(url, repeats))
    return result


def _median(repeats: int, job: Callable[[], object]) -> tuple[float, float]:
    """Median seconds of `job` and the spread (max/min) over `repeats` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times) / min(times)


def _services(url: str, repeats: int) -> dict[str, float]:
    engine = make_engine(url)
    session = session_factory(engine)()
    lead = authenticate(session, "admin", PASSWORD)
    figures: dict[str, float] = {}
    jobs = {
        "progress": lambda: progress.project_progress(session, lead, "default"),
        "adjudication": lambda: (
            adjudication.dispute_queue(session, lead, "default"),
            adjudication.outcome_counts(session, lead, "default"),
        ),
        "agreement": lambda: reliability.project_agreement(session, lead, "default"),
        "read_labels": lambda: _read_labels(engine),
    }
    for name, job in jobs.items():
        figures[name], figures[f"{name}_spread"] = _median(max(3, repeats // 4), job)
    session.close()
    engine.dispose()
    return figures


def _read_labels(engine: object) -> pd.DataFrame:
    """The floor for agreement: the project's labels read into a pandas frame."""
    with engine.connect() as connection:  # type: ignore[attr-defined]
        return pd.DataFrame(connection.execute(text(LABELS_SQL)).all())


def _annotate(url: str, repeats: int) -> dict[str, float]:
    """Median seconds of an empty rerun and of label-and-advance, logged in as an annotator."""
    with tempfile.TemporaryDirectory() as directory:
        os.environ["DATABASE_URL"] = url
        os.environ["ANNOTATOR_SEEDS_DIR"] = directory
        st.cache_resource.clear()
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        at.text_input[0].input("annotator0")
        at.text_input[1].input(PASSWORD)
        at.button[0].click().run()
        assert not at.exception and at.button(key="type_factual")
        empty, label = interleaved_medians(
            repeats, at.run, lambda: at.button(key="type_factual").click().run()
        )
        assert not at.exception
        st.cache_resource.clear()
    return {"empty_rerun": empty, "label_and_advance": label}

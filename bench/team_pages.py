"""Server time of the pages a team uses, on a generated project (bench/team.py), on SQLite and
PostgreSQL, all through AppTest and the real app.py: label-and-advance against an empty rerun,
and a rerun of the progress, agreement and adjudication pages (the agreement page reading its
stored snapshot). Agreement itself, and the agreement page's full computation (a visit after
labels changed), against their floor: reading the same labels into pandas (`read_sql`)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import pandas as pd
from sqlalchemy import Engine, text

from annotator.services import reliability
from annotator.services.accounts import authenticate
from bench.annotate_page import label_factual, logged_in
from bench.team import PASSWORD, build_team_database
from bench.timing import interleaved_medians
from db.engine import make_engine, session_factory
from tests.ui import panel_driver

PAGES = "annotator/ui/pages"
LEAD_PAGES = {
    "progress": f"{PAGES}/progress.py",
    "agreement": f"{PAGES}/agreement.py",
    "adjudication": f"{PAGES}/adjudicate.py",
}
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
    result.update(_lead_pages(url, repeats))
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
        "agreement": lambda: reliability.project_agreement(session, lead, "default"),
        "agreement_recompute": lambda: reliability.agreement_report(
            session, lead, "default", refresh=True
        ),
        "read_labels": lambda: _read_labels(engine),
    }
    for name, job in jobs.items():
        figures[name], figures[f"{name}_spread"] = _median(max(3, repeats // 4), job)
    session.close()
    engine.dispose()
    return figures


def _read_labels(engine: Engine) -> pd.DataFrame:
    """The floor for agreement: the project's labels read into a pandas frame."""
    with engine.connect() as connection:
        return pd.read_sql(text(LABELS_SQL), connection)


def _lead_pages(url: str, repeats: int) -> dict[str, float]:
    """Median seconds of a rerun of each lead's page, logged in as the admin (the first run
    of the agreement page stores its snapshot; the reruns read it)."""
    figures: dict[str, float] = {}
    with logged_in(url, "admin", PASSWORD) as at:
        for name, page in LEAD_PAGES.items():
            at.switch_page(page).run()
            assert not at.exception, at.exception
            figures[f"{name}_page"], figures[f"{name}_page_spread"] = _median(repeats, at.run)
    return figures


def _annotate(url: str, repeats: int) -> dict[str, float]:
    """Median seconds of an empty rerun and of label-and-advance, logged in as an annotator."""
    with logged_in(url, "annotator0", PASSWORD) as at:
        assert not at.exception and panel_driver.current(at)
        empty, label = interleaved_medians(repeats, at.run, lambda: label_factual(at))
        assert not at.exception
    return {"empty_rerun": empty, "label_and_advance": label}

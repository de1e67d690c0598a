"""Load test: many annotator processes label as fast as they can, at the same time.

Each process logs in, walks its assigned articles and saves a fixed number of labels through
the same service the app uses, timing every save. Afterwards the database is checked: every
acknowledged label is there exactly once, with its history row (errors, lost and duplicated
labels must all be 0).
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text

from annotator.services import accounts, labelling
from annotator.services.labelling import LabelInput
from bench.annotate_page import PASSWORD, PER_ARTICLE, add_annotators, build_database
from db.engine import make_engine, session_factory
from db.models import Label, LabelHistory

TYPES = ("factual", "opinion", "not_claim")


@dataclass(frozen=True)
class LoadResult:
    """The figures of one load test."""

    database: str
    processes: int
    labels_each: int
    acknowledged: int
    stored: int
    duplicated: int
    history_rows: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float

    @property
    def lost(self) -> int:
        """Acknowledged labels that are not in the database."""
        return self.acknowledged - self.stored

    @property
    def per_second(self) -> float:
        """Labels saved per second, all processes together."""
        return self.acknowledged / self.seconds


def run(database: str, url: str, processes: int, labels_each: int) -> LoadResult:
    """Prepare the database at `url`, run the processes, check what was stored."""
    articles_each = -(-labels_each // PER_ARTICLE)
    build_database(url, processes * articles_each * PER_ARTICLE)
    names = add_annotators(url, [f"load{i:02d}" for i in range(processes)], assign=True)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    queue: Any = context.Queue()
    workers = [
        context.Process(target=_worker, args=(url, name, labels_each, barrier, queue))
        for name in names
    ]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    return _result(database, url, processes, labels_each, results)


def _worker(url: str, name: str, labels_each: int, barrier: Any, queue: Any) -> None:
    engine = make_engine(url)
    latencies: list[float] = []
    errors = 0
    with session_factory(engine)() as session:
        user = accounts.authenticate(session, name, PASSWORD)
        sentences = [
            s.id
            for a in labelling.article_list(session, user, "default")
            for s in labelling.load_article(session, user, a.id).body
        ][:labels_each]
        barrier.wait()
        start = time.time()
        for i, sentence_id in enumerate(sentences):
            began = time.perf_counter()
            try:
                labelling.save_label(session, user, sentence_id, LabelInput(TYPES[i % 3]), 1.0)
                latencies.append(time.perf_counter() - began)
            except Exception:  # counted and reported: the figure that must be 0
                errors += 1
        end = time.time()
    engine.dispose()
    queue.put((latencies, errors, start, end))


def _result(
    database: str, url: str, processes: int, labels_each: int, results: list[Any]
) -> LoadResult:
    latencies = sorted(x for r in results for x in r[0])
    engine = make_engine(url)
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(Label)).scalar_one()
        distinct = connection.execute(
            text("SELECT count(*) FROM (SELECT DISTINCT sentence_id, annotator_id FROM labels) d")
        ).scalar_one()
        history = connection.execute(select(func.count()).select_from(LabelHistory)).scalar_one()
    engine.dispose()
    return LoadResult(
        database=database,
        processes=processes,
        labels_each=labels_each,
        acknowledged=len(latencies),
        stored=stored,
        duplicated=stored - distinct,
        history_rows=history,
        errors=sum(r[1] for r in results),
        seconds=max(r[3] for r in results) - min(r[2] for r in results),
        p50_ms=statistics.median(latencies) * 1000,
        p95_ms=latencies[int(0.95 * (len(latencies) - 1))] * 1000,
    )

"""Active ordering (issue 21, item 5): what handing out the least sure articles first costs.

A database whose project `default` holds N body sentences (articles of 50, none assigned) and
an annotator of it.

1. **Scoring against training.** In a process of its own with one BLAS thread ("one core"):
   `annotator.model.fit` on 100,000 generated labelled sentences (the floor: the training
   budget of issue 21 is 60 s and 1 GB), then `modelling.store_order`, which predicts the
   articles still short of annotators (at most `SCORED_SENTENCES` body sentences of them)
   and stores their uncertainties (the job). Seconds of each, their sum, and the process's
   peak memory.
2. **One more article** (`assignment.claim_next`): interleaved presses with the project's
   order `import` (floor) and `uncertain` (job), after 200 untimed claims in each order, so
   that both walks pass over articles already handed out. The stored uncertainties are then
   spread at random (the generated sentences are all alike, so the model scored them alike).
3. **A lead's `assign` run**: the read that gives its order (`assignment._open`, every
   article short of annotators), in import order (floor) and least sure first (job); the
   rest of `assign` does the same work in either order.

    python -m bench.active_order [--quick] [--postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from annotator.services import accounts, assignment
from annotator.services.records import UserInfo
from bench.annotate_page import PASSWORD, build_database
from bench.databases import scratch_database, settle
from bench.timing import machine
from db.engine import make_engine, read_transaction, session_factory
from db.models import Project, ProjectMember
from db.models import User as UserRow

SCORE = """
import json, sys, time
from sqlalchemy import select
from annotator.model import fit
from annotator.services import modelling
from bench.active_order import store_model
from bench.suggestions import generated
from bench.timing import peak_rss_mb
from db.engine import make_engine, read_transaction, session_factory
texts, answers = generated({n})
start = time.perf_counter()
model = fit("claim_type", texts, answers)
trained = time.perf_counter() - start
engine = make_engine({url!r})
with session_factory(engine)() as session:
    project_id = store_model(session, model)
    with read_transaction(session):
        info = modelling.latest(session, project_id, "claim_type")
    start = time.perf_counter()
    scored = modelling.store_order(session, project_id, info, model)
    scoring = time.perf_counter() - start
print(json.dumps(dict(training_s=trained, scoring_s=scoring, articles=scored,
                      peak_mb=peak_rss_mb())))
"""


def store_model(session: Session, model: object) -> int:
    """Store `model` as `default`'s claim-type model, beating its baseline; the project id."""
    from annotator.model import to_bytes
    from db.models import Model

    with session.begin():
        project_id = int(session.scalar(select(Project.id).where(Project.name == "default")) or 0)
        figures = {"accuracy": 0.99, "majority_baseline": 0.7, "n": 400, "majority_class": "x"}
        session.add(
            Model(
                project_id=project_id, field="claim_type", version=1,
                trained_at=dt.datetime.now(dt.UTC), n_train=100_000, n_heldout=400,
                labels_seen=0, beats_baseline=True, figures=json.dumps(figures),
                content=to_bytes(model),
            )
        )  # fmt: skip
        session.execute(update(Project).values(article_order="uncertain"))
    return project_id


def training_and_scoring(url: str, n: int) -> dict[str, float]:
    """Seconds of training on `n` sentences and of scoring the project, and peak MB."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    command = [sys.executable, "-c", SCORE.format(n=n, url=url)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    figures: dict[str, float] = json.loads(out)
    return figures


def spread_at_random(url: str) -> None:
    """Give the stored uncertainties distinct random values (and join an annotator)."""
    engine = make_engine(url)
    random = "random()" if engine.dialect.name == "postgresql" else "abs(random()) % 1000000"
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE article_uncertainties SET uncertainty = {random}"))
        connection.execute(
            ProjectMember.__table__.insert().values(
                project_id=select(Project.id).where(Project.name == "default").scalar_subquery(),
                user_id=select(UserRow.id).where(UserRow.name == "bench").scalar_subquery(),
                role="annotator",
                added_at=dt.datetime.now(dt.UTC),
            )
        )
    engine.dispose()
    settle(url)


def _set_order(session: Session, order: str) -> None:
    with session.begin():
        session.execute(update(Project).values(article_order=order))


def by_order(session: Session, repeats: int, job: Callable[[], object]) -> dict[str, float]:
    """Median ms of `job` with the project's order `import` (floor) and `uncertain` (job),
    run alternately; the order is set before the clock starts."""
    times: dict[str, list[float]] = {"import": [], "uncertain": []}
    for _ in range(repeats):
        for order, runs in times.items():
            _set_order(session, order)
            start = time.perf_counter()
            job()
            runs.append(time.perf_counter() - start)
    floor, done = (statistics.median(times[o]) for o in ("import", "uncertain"))
    return {"floor_ms": floor * 1000, "job_ms": done * 1000, "ratio": done / floor}


def one_more_article(url: str, presses: int, warm: int) -> dict[str, float]:
    """`claim_next` in each order, after `warm` untimed claims in each."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        person = accounts.authenticate(session, "bench", PASSWORD)
        for order in ("import", "uncertain"):
            _set_order(session, order)
            for _ in range(warm):
                assignment.claim_next(session, person, "default")
        figures = by_order(session, presses, lambda: _claim(session, person))
    engine.dispose()
    return figures


def _claim(session: Session, person: UserInfo) -> None:
    assert assignment.claim_next(session, person, "default") is not None


def assign_order(url: str, repeats: int) -> dict[str, float]:
    """`assign`'s read of every article short of annotators in its order, in each order."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        figures = by_order(session, repeats, lambda: _open_articles(session))
    engine.dispose()
    return figures


def _open_articles(session: Session) -> None:
    with read_transaction(session):
        project = session.scalar(select(Project).where(Project.name == "default"))
        assert project is not None
        assert assignment._open(session, project)
    session.expunge_all()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.active_order", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, a quick check")
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL, not SQLite")
    args = parser.parse_args()
    n = 20_000 if args.quick else 1_000_000
    train_n = 5_000 if args.quick else 100_000
    kind = "postgres" if args.postgres else "sqlite"
    print(f"{dt.date.today().isoformat()}, {machine()}, {kind}")
    with scratch_database(kind) as url:
        start = time.perf_counter()
        build_database(url, n)
        settle(url)
        print(f"built {n:,} sentences in {time.perf_counter() - start:.0f} s")
        scored = training_and_scoring(url, train_n)
        total = scored["training_s"] + scored["scoring_s"]
        print(
            f"training on {train_n:,} sentences {scored['training_s']:.1f} s, scoring "
            f"{scored['articles']:,.0f} articles of {n:,} sentences {scored['scoring_s']:.1f} s "
            f"(ratio {scored['scoring_s'] / scored['training_s']:.2f}); together {total:.1f} s, "
            f"peak memory {scored['peak_mb']:.0f} MB"
        )
        spread_at_random(url)
        claimed = one_more_article(url, 20 if args.quick else 40, 20 if args.quick else 200)
        print(
            f"claim_next {claimed['floor_ms']:.2f} ms in import order, "
            f"{claimed['job_ms']:.2f} ms least sure first: ratio {claimed['ratio']:.2f}"
        )
        read = assign_order(url, 5)
        print(
            f"assign's order of the articles short of annotators {read['floor_ms']:.1f} ms "
            f"in import order, {read['job_ms']:.1f} ms least sure first: ratio "
            f"{read['ratio']:.2f}"
        )


if __name__ == "__main__":
    main()

"""Model suggestions (issue 21): what they cost the annotate page, and training.

1. **Label-and-advance with a suggestion on screen.** A database of N body sentences (project
   `default`, suggestions off) and a project `suggested` of 1,000 more with a stored model
   and suggestions preselected. Two AppTest sessions of the real `app.py`, one on each
   project, press "Factual claim" in turn (interleaved medians): the floor is the press
   without suggestions, the job the press with one (the page marks the suggested button,
   draws the Accept button and records what it showed).
2. **Opening an article.** Suggestions are predicted for a whole article when it opens:
   `modelling.article_suggestions` for a 50-sentence article, against the floor of loading
   the article (`labelling.load_article`).
3. **Training.** `model train`'s work (`annotator.model.fit`) on 100,000 generated labelled
   sentences in a process of its own with one BLAS thread ("one core"): seconds and peak
   memory of that process.
4. **Pages while it trains.** Label-and-advance p95 on `default` with nothing else running,
   then while that training runs at the lower priority the app gives it.

    python -m bench.suggestions [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from annotator.model import fit, to_bytes
from annotator.services import accounts, labelling, modelling
from annotator.services.importing import import_file
from annotator.services.projects import create_project
from bench.annotate_page import PASSWORD, build_database, label_factual, logged_in
from bench.timing import interleaved_medians, machine
from db.engine import make_engine, session_factory
from db.models import Model, Project
from tests.ui import panel_driver

SUGGESTED = "suggested"
SUBJECTS = ["The council", "The ministry", "Exports", "The port", "Inflation", "The bank"]
VERBS = ["rose by", "fell by", "spent", "lost", "gained", "paid"]
OPINIONS = ["I think", "We believe", "It seems to me that", "Frankly,"]
JUDGEMENTS = ["a disgrace", "the right call", "a terrible idea", "long overdue"]


def generated(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """`n` labelled sentences of our own: figures stated (factual) and views (opinion)."""
    rng = random.Random(seed)
    texts, answers = [], []
    for i in range(n):
        if rng.random() < 0.7:
            texts.append(
                f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.randint(1, 999)} million "
                f"in {rng.randint(1990, 2025)}, officials said on day {i}."
            )
            answers.append("factual")
        else:
            texts.append(
                f"{rng.choice(OPINIONS)} the plan of {rng.choice(SUBJECTS).lower()} is "
                f"{rng.choice(JUDGEMENTS)} (comment {i})."
            )
            answers.append("opinion")
    return texts, answers


def add_suggested_project(url: str, n_sentences: int = 1_000) -> None:
    """Project `suggested` with `n_sentences` generated sentences in articles of 50, a stored
    model that beats its baseline, and suggestions preselected."""
    engine = make_engine(url)
    texts, answers = generated(2_000)
    model = fit("claim_type", texts, answers)
    with session_factory(engine)() as session:
        admin = accounts.authenticate(session, "admin", PASSWORD)
        create_project(session, SUGGESTED, actor=admin)
        sentences, _ = generated(n_sentences, seed=11)
        lines = [
            json.dumps({"title": f"Article {a}", "text": "\n\n".join(sentences[a : a + 50])})
            for a in range(0, n_sentences, 50)
        ]
        import_file(session, SUGGESTED, "suggested.jsonl", "\n".join(lines).encode(), actor=admin)
        project_id = session.scalar(select(Project.id).where(Project.name == SUGGESTED))
        figures = {"accuracy": 0.99, "majority_baseline": 0.7, "n": 400, "majority_class": "x"}
        session.add(
            Model(
                project_id=project_id, field="claim_type", version=1,
                trained_at=dt.datetime.now(dt.UTC), n_train=1_600, n_heldout=400,
                labels_seen=0, beats_baseline=True, figures=json.dumps(figures),
                content=to_bytes(model),
            )
        )  # fmt: skip
        session.commit()
        modelling.set_settings(session, None, SUGGESTED, mode="preselected", retrain_every=0)
        modelling.set_settings(session, None, "default", mode="off", retrain_every=0)
    engine.dispose()


def label_and_advance(url: str, repeats: int) -> dict[str, float]:
    """Median seconds of a press without (floor) and with a suggestion on screen (job);
    `repeats` stays within the first article of 50 sentences."""
    with logged_in(url, "admin", PASSWORD) as plain, logged_in(url, "admin", PASSWORD) as shown:
        shown.selectbox(key="project_picker").set_value(SUGGESTED).run()
        assert panel_driver.current(shown)["model"], "no suggestion"
        floor, job = interleaved_medians(
            repeats, lambda: label_factual(plain), lambda: label_factual(shown)
        )
        assert not plain.exception and not shown.exception
    return {"floor_ms": floor * 1000, "job_ms": job * 1000, "ratio": job / floor}


def article_open(url: str, repeats: int = 20) -> dict[str, float]:
    """Median seconds of loading a 50-sentence article (floor) and of predicting its
    suggestions (job)."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        admin = accounts.authenticate(session, "admin", PASSWORD)
        article_id = labelling.article_list(session, admin, SUGGESTED)[0].id
        body = [(s.id, s.text) for s in labelling.load_article(session, admin, article_id).body]
        modelling.article_suggestions(session, SUGGESTED, body)  # the model read once
        floor, job = interleaved_medians(
            repeats,
            lambda: labelling.load_article(session, admin, article_id),
            lambda: modelling.article_suggestions(session, SUGGESTED, body),
        )
    engine.dispose()
    return {"floor_ms": floor * 1000, "job_ms": job * 1000, "sentences": len(body)}


TRAIN = """
import resource, sys, time
from annotator.model import fit
from bench.suggestions import generated
texts, answers = generated({n})
start = time.perf_counter()
fit("claim_type", texts, answers)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def training_process(n: int, nice: int = 0) -> subprocess.Popen[str]:
    """`fit` on `n` generated sentences in a process of its own, one BLAS thread."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    command = [sys.executable, "-c", TRAIN.format(n=n)]
    if nice:
        command = ["nice", "-n", str(nice), *command]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def training(n: int) -> dict[str, float]:
    """Seconds and peak memory (MB) of training on `n` sentences, nothing else running."""
    out, _ = training_process(n).communicate()
    seconds, peak = (float(x) for x in out.split())
    return {"sentences": n, "seconds": seconds, "peak_mb": peak}


def while_training(url: str, n: int, presses: int) -> dict[str, float]:
    """Label-and-advance p95 (ms) on `default` alone, then while a training runs beside it
    at the priority the app gives training."""

    def p95(at: AppTest) -> float:
        times = []
        for _ in range(presses):
            if panel_driver.position(at) >= len(panel_driver.data(at)["body"]):
                at.button(key="next_article").click().run()  # untimed: a new article
            start = time.perf_counter()
            label_factual(at)
            times.append(time.perf_counter() - start)
        return statistics.quantiles(times, n=20)[-1] * 1000

    with logged_in(url, "admin", PASSWORD) as at:
        quiet = p95(at)
        process = training_process(n, nice=modelling.TRAINING_NICENESS)
        time.sleep(2)  # past its start-up, into the work
        busy = p95(at)
        process.wait()
    return {"quiet_p95_ms": quiet, "training_p95_ms": busy, "ratio": busy / quiet}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.suggestions", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, a quick check")
    args = parser.parse_args()
    sizes = (1_000, 10_000) if args.quick else (1_000, 1_000_000)
    train_n = 5_000 if args.quick else 100_000
    print(f"{dt.date.today().isoformat()}, {machine()}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{Path(directory) / 'bench.db'}"
            build_database(url, n)
            add_suggested_project(url)
            press = label_and_advance(url, 10 if args.quick else 40)  # within one article
            opened = article_open(url)
            added = press["job_ms"] - press["floor_ms"]
            print(
                f"{n:,} sentences: label-and-advance {press['floor_ms']:.1f} ms without a "
                f"suggestion, {press['job_ms']:.1f} ms with one: {added:+.1f} ms, "
                f"ratio {press['ratio']:.2f}; opening a {opened['sentences']:.0f}-sentence "
                f"article {opened['floor_ms']:.1f} ms, its suggestions {opened['job_ms']:.1f} ms"
            )
            if n == sizes[-1]:
                busy = while_training(url, train_n, 20 if args.quick else 60)
                print(
                    f"label-and-advance p95 {busy['quiet_p95_ms']:.1f} ms alone, "
                    f"{busy['training_p95_ms']:.1f} ms while training on {train_n:,} "
                    f"sentences: ratio {busy['ratio']:.2f}"
                )
    trained = training(train_n)
    print(
        f"training on {train_n:,} sentences, one core: {trained['seconds']:.1f} s, "
        f"peak memory {trained['peak_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()

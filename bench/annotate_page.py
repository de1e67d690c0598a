"""Server time of one label-and-advance rerun of the annotate page, against an empty rerun.

The database holds N body sentences (articles of 50, inserted directly, not segmented: the
page is what is measured). AppTest drives the real `app.py`: the floor is a rerun with no
interaction; the job is pressing "Factual claim" (save, history, advance, re-render).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from sqlalchemy import insert, update
from streamlit.testing.v1 import AppTest

from annotator.services import accounts, assignment
from annotator.services.projects import ensure_project
from bench.timing import interleaved_medians
from db.engine import make_engine, session_factory, write_transaction
from db.migrate import upgrade
from db.models import Article, Project, Sentence
from tests.ui import panel_driver

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PASSWORD = "benchmark password"
PER_ARTICLE = 50
SENTENCE = "The ministry said on Monday that exports rose by 4.5 per cent. "


def build_database(url: str, n_sentences: int) -> None:
    """A migrated database whose `default` project holds `n_sentences` body sentences (and
    does not retrain a model by itself)."""
    engine = make_engine(url)
    upgrade(engine)
    text = "Title\n\n" + SENTENCE * PER_ARTICLE
    spans = [(7 + i * len(SENTENCE), 7 + (i + 1) * len(SENTENCE) - 1) for i in range(PER_ARTICLE)]
    now = dt.datetime.now(dt.UTC)
    with session_factory(engine)() as session:
        project, _ = ensure_project(session, "default")
        accounts.create_user(session, "admin", "admin", PASSWORD)
        accounts.create_user(session, "bench", "annotator", PASSWORD)
        with write_transaction(session):
            for a in range(n_sentences // PER_ARTICLE):
                article_id = session.execute(
                    insert(Article).returning(Article.id),
                    [
                        dict(
                            project_id=project.id,
                            title=f"Article {a}",
                            text=text,
                            content_hash=f"{a:064d}",
                            origin="bench",
                            n_sentences=PER_ARTICLE + 1,
                            n_body=PER_ARTICLE,
                            imported_at=now,
                        )
                    ],
                ).scalar_one()
                rows = [
                    dict(article_id=article_id, index=0, char_start=0, char_end=5, role="title")
                ]
                rows += [
                    dict(article_id=article_id, index=i + 1, char_start=s, char_end=e, role="body")
                    for i, (s, e) in enumerate(spans)
                ]
                session.execute(insert(Sentence), rows)
            # No automatic training: the benches time pages, not a model being trained
            # beside them (bench/suggestions.py times that).
            session.execute(update(Project).values(n_body=n_sentences, retrain_every=0))
    engine.dispose()


def measure(n_sentences: int, repeats: int = 40) -> dict[str, float]:
    """Median seconds of an empty rerun and of a label-and-advance rerun, and their ratio."""
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        build_database(url, n_sentences)
        with logged_in(url, "bench", PASSWORD) as at:
            assert not at.exception and panel_driver.current(at)
            empty, label = interleaved_medians(repeats, at.run, lambda: label_factual(at))
            assert not at.exception
    return {
        "sentences": n_sentences,
        "empty_rerun": empty,
        "label_and_advance": label,
        "ratio": label / empty,
    }


def label_factual(at: AppTest) -> AppTest:
    """Answer "Factual claim" for the sentence the annotate panel stands on, as its `1` key
    sends it (the page's server side: save, acknowledge, rerun the panel's fragment)."""
    return panel_driver.answer(at, "factual")


def add_annotators(
    url: str, names: Sequence[str], *, assign: bool, password: str = PASSWORD
) -> list[str]:
    """Annotator accounts called `names` on the database at `url`; with `assign`, `default`'s
    sentences are shared out between them."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        for name in names:
            accounts.create_user(session, name, "annotator", password)
        if assign:
            assignment.assign(session, None, "default", list(names))
    engine.dispose()
    return list(names)


@contextmanager
def logged_in(url: str, name: str, password: str) -> Iterator[AppTest]:
    """The real app.py in AppTest on the database at `url` (no seeds), logged in as `name`;
    the app's cached engine is dropped before and after."""
    with tempfile.TemporaryDirectory() as seeds:
        os.environ["DATABASE_URL"] = url
        os.environ["ANNOTATOR_SEEDS_DIR"] = seeds
        st.cache_resource.clear()
        at = AppTest.from_file(APP, default_timeout=600)
        at.run()
        at.text_input[0].input(name)
        at.text_input[1].input(password)
        at.button[0].click().run()
        try:
            yield at
        finally:
            st.cache_resource.clear()

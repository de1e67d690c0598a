"""Where the server's time goes when an annotator labels: pyinstrument over the annotate page's
runs (AppTest, the real `app.py`) and over the label service, on a database of N sentences.

`python -m bench.page_profile [N]` prints both profiles. AppTest runs the page in its own
thread, where a profiler started in the main thread sees nothing, so the page's entry point
is wrapped for the length of the run.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from pyinstrument import Profiler

import annotator.ui.annotate as page
from annotator.services import accounts, labelling
from annotator.services.labelling import LabelInput
from bench.annotate_page import PASSWORD, build_database, label_factual, logged_in
from db.engine import make_engine, session_factory

LABELS = 40


def profile_page(url: str) -> Profiler:
    """Profile LABELS label-and-advance runs of the page, logged in as `bench`."""
    profiler = Profiler(interval=0.0005)
    with logged_in(url, "bench", PASSWORD) as at:
        real = page.show
        page.show = _profiled(real, profiler)
        try:
            for _ in range(LABELS):
                label_factual(at)
        finally:
            page.show = real
    return profiler


def _profiled(show: Callable[[], None], profiler: Profiler) -> Callable[[], None]:
    def run() -> None:
        profiler.start()
        try:
            show()
        finally:
            profiler.stop()

    return run


def profile_saves(url: str) -> Profiler:
    """Profile LABELS saves through the label service, each in its own session (as the page)."""
    engine = make_engine(url)
    factory = session_factory(engine)
    with factory() as session:
        user = accounts.authenticate(session, "bench", PASSWORD)
        last = labelling.article_list(session, user, "default")[-1]
        article = labelling.load_article(session, user, last.id)
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for sentence in article.body[:LABELS]:
        with factory() as session:
            labelling.save_label(session, user, sentence.id, LabelInput("factual"), 1.0)
    profiler.stop()
    engine.dispose()
    return profiler


def main() -> None:
    """Build the database, profile, print."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    n_sentences = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        build_database(url, n_sentences)
        for profiler in (profile_page(url), profile_saves(url)):
            print(profiler.output_text(unicode=False, color=False))


if __name__ == "__main__":
    main()

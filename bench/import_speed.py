"""Import throughput of the whole import path, as a ratio to raw pySBD on the same text.

Floor: `pysbd.Segmenter(language="en", clean=False).segment(text)` over every article's text.
Job: `import_file` for each article as a `.txt` file into a fresh SQLite database (decode,
parse metadata, segment, assign roles, insert article and sentences, commit).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pysbd
from sqlalchemy.orm import Session

from annotator.services.importing import import_file
from annotator.services.projects import ensure_project
from bench.corpus import articles
from bench.timing import best_of
from db.engine import make_engine, session_factory
from db.migrate import upgrade


def run(n_sentences: int = 10_000, repeats: int = 3) -> dict[str, float]:
    """Time both and return the sentences, characters and throughput ratio."""
    texts = list(articles(n_sentences))
    segmenter = pysbd.Segmenter(language="en", clean=False)
    floor = best_of(repeats, lambda: [segmenter.segment(t) for t in texts])
    with tempfile.TemporaryDirectory() as directory:
        engine = make_engine(f"sqlite:///{Path(directory) / 'bench.db'}")
        upgrade(engine)
        projects = iter(range(repeats))
        with session_factory(engine)() as session:
            job = best_of(repeats, lambda: _import_all(session, f"bench-{next(projects)}", texts))
        engine.dispose()
    return {
        "sentences": n_sentences,
        "characters": sum(len(t) for t in texts),
        "pysbd_seconds": floor,
        "import_seconds": job,
        "ratio": floor / job,
    }


def _import_all(session: Session, project: str, texts: list[str]) -> None:
    """Import every text as its own .txt file into a new project (so none is a duplicate)."""
    ensure_project(session, project)
    for i, text in enumerate(texts):
        report = import_file(session, project, f"{i}.txt", text.encode())
        assert report.status == "imported", report

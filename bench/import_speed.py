"""Import throughput of the whole import path, as a ratio to raw pySBD on the same text.

Floor: `pysbd.Segmenter(language="en", clean=False).segment(text)` over every article's text.
Job: `import_file` for each article as a `.txt` file into a fresh SQLite database (decode,
parse metadata, segment, assign roles, insert article and sentences, commit).

Memory: the peak resident memory of a fresh process that imports N sentences this way (the
articles generated one at a time, as files arrive), at 10k and at 1M: what importing more
costs beyond the process itself.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import pysbd
from sqlalchemy.orm import Session

from annotator.services.importing import import_file
from annotator.services.projects import ensure_project
from bench.corpus import articles
from bench.timing import best_of, peak_rss_mb
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


def peak_memory_mb(n_sentences: int) -> float:
    """Peak resident memory (MB) of a new process importing `n_sentences` into SQLite."""
    command = [sys.executable, "-m", "bench.import_speed", "--memory", str(n_sentences)]
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def _import_stream(n_sentences: int) -> float:
    """Import the generated articles one by one; the process's peak RSS in MB."""
    with tempfile.TemporaryDirectory() as directory:
        engine = make_engine(f"sqlite:///{Path(directory) / 'bench.db'}")
        upgrade(engine)
        with session_factory(engine)() as session:
            ensure_project(session, "bench")
            for i, text in enumerate(articles(n_sentences)):
                report = import_file(session, "bench", f"{i}.txt", text.encode())
                assert report.status == "imported", report
        engine.dispose()
    return peak_rss_mb()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.import_speed")
    parser.add_argument("--memory", type=int, required=True, help="sentences to import")
    print(f"{_import_stream(parser.parse_args().memory):.1f}")

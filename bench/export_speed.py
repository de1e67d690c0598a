"""Export of N labels: time against pandas writing the same frame from memory, and peak memory.

The database holds N labels (N/4 body sentences, 4 annotators each, inserted directly), half
of them with the suggestion their annotator was shown (the four `suggestion` columns). Each
measurement runs in its own process, so its peak resident memory (VmHWM) is its own:

- job: `export_chunks` of the `labels` kind to a file, streamed (the CLI's path);
- floor: the same rows already in a pandas DataFrame in memory, written by pandas
  (`to_csv`, `to_json(orient="records", lines=True)`, `to_parquet`) to a file. Reading the
  rows into the frame is not timed.

Memory is compared across sizes: the export's peak at 1,000,000 labels against its peak at
10,000 (the streaming promise: flat).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from sqlalchemy import insert, select

from bench.annotate_page import build_database
from bench.databases import settle
from bench.timing import peak_rss_mb
from db.engine import make_engine, session_factory, write_transaction
from db.models import SHOWN_MODES, Label, Sentence, User

ANNOTATORS = 4
FORMATS = ("csv", "jsonl", "parquet")
NOTES = ("", "", "", "check the figure", 'said "no", then yes', "=SUM(A1)")


def add_labels(url: str, n_labels: int, seed: int = 3) -> None:
    """Give every body sentence a label from each of ANNOTATORS annotators."""
    build_database(url, n_labels // ANNOTATORS)
    rng = random.Random(seed)
    now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    engine = make_engine(url)
    with session_factory(engine)() as session, write_transaction(session):
        users = [
            session.execute(
                insert(User).returning(User.id),
                [dict(name=f"annotator{i}", password_hash="-", role="annotator", active=True,
                      created_at=now)],
            ).scalar_one()
            for i in range(ANNOTATORS)
        ]  # fmt: skip
        ids = list(session.scalars(select(Sentence.id).where(Sentence.role == "body")))
        for at in range(0, len(ids), 20_000):
            session.execute(
                insert(Label),
                [_label(rng, sentence, user, now) for sentence in ids[at : at + 20_000]
                 for user in users],
            )  # fmt: skip
    engine.dispose()
    settle(url)


def _label(rng: random.Random, sentence: int, user: int, now: dt.datetime) -> dict[str, object]:
    claim = rng.choice(("factual", "factual", "opinion", "not_claim"))
    bound = claim == "factual" and rng.random() < 0.3
    stamp = now + dt.timedelta(seconds=rng.randrange(10**6), microseconds=rng.randrange(10**6))
    shown = rng.random() < 0.5  # half the answers were given with a suggestion shown
    return dict(
        sentence_id=sentence, annotator_id=user, claim_type=claim,
        date_bound=bound if claim == "factual" else None,
        as_of=dt.date(2014, 11, 21) if bound else None, note=rng.choice(NOTES), skipped=False,
        seconds_spent=rng.random() * 20, created_at=stamp, updated_at=stamp,
        suggestion=rng.choice(("factual", "opinion")) if shown else None,
        suggestion_confidence=rng.random() if shown else None,
        suggestion_model="claim_type-v3" if shown else None,
        suggestion_mode=rng.choice(SHOWN_MODES) if shown else None,
    )  # fmt: skip


def child(url: str, format_: str, floor: bool) -> None:
    """In a fresh process: time one export (or pandas's write), print seconds and peak RSS."""
    from annotator.services.exporting import ExportRequest, export_chunks

    engine = make_engine(url)
    request = ExportRequest("default", "labels", format_)
    with tempfile.TemporaryDirectory() as directory, session_factory(engine)() as session:
        path = Path(directory) / f"out.{format_}"
        if floor:
            frame = _frame(session, request)
            start = time.perf_counter()
            _pandas_write(frame, path, format_)
        else:
            start = time.perf_counter()
            with path.open("wb") as out:
                for chunk in export_chunks(session, request, None):
                    out.write(chunk)
        seconds = time.perf_counter() - start
    peak_mb = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def _frame(session: object, request: object) -> pd.DataFrame:
    """The export's rows in memory, typed as the export types them (not timed): the same Arrow
    table the export writes from, as pandas's own frame (timestamps as datetime64)."""
    import pyarrow as pa

    from annotator.services.exporting import export_tables
    from annotator.services.projects import find_project

    project_id = find_project(session, "default").id  # type: ignore[arg-type]
    tables = export_tables(session, "labels", project_id)  # type: ignore[arg-type]
    return pa.concat_tables(tables).to_pandas()


def _pandas_write(frame: pd.DataFrame, path: Path, format_: str) -> None:
    if format_ == "csv":
        frame.to_csv(path, index=False)
    elif format_ == "jsonl":
        frame.to_json(path, orient="records", lines=True, date_format="iso")
    else:
        frame.to_parquet(path, index=False)


def _run_child(url: str, format_: str, floor: bool) -> dict[str, float]:
    command = [
        sys.executable,
        "-m",
        "bench.export_speed",
        url,
        format_,
        "floor" if floor else "job",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def measure(
    url: str, n_labels: int, repeats: int = 3, formats: tuple[str, ...] = FORMATS
) -> dict[str, dict[str, float]]:
    """Per format: best-of-`repeats` seconds of the export and of pandas, and peak memory."""
    results = {}
    for format_ in formats:
        jobs = [_run_child(url, format_, floor=False) for _ in range(repeats)]
        floors = [_run_child(url, format_, floor=True) for _ in range(repeats)]
        job = min(j["seconds"] for j in jobs)
        pandas_seconds = min(f["seconds"] for f in floors)
        results[format_] = {
            "labels": n_labels,
            "export_s": job,
            "pandas_s": pandas_seconds,
            "ratio": job / pandas_seconds,
            "export_peak_mb": max(j["peak_mb"] for j in jobs),
            "pandas_peak_mb": max(f["peak_mb"] for f in floors),
        }
    return results


def run(
    sizes: tuple[int, int] = (10_000, 1_000_000), repeats: int = 3
) -> dict[int, dict[str, dict[str, float]]]:
    """Build a SQLite database for each size and measure every format."""
    results = {}
    for n in sizes:
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{Path(directory) / 'export.db'}"
            add_labels(url, n)
            results[n] = measure(url, n, repeats)
    return results


def render(results: dict[int, dict[str, dict[str, float]]]) -> str:
    """The export section of RESULTS.md: time against pandas, peak memory across sizes."""
    small, large = min(results), max(results)
    lines = [
        "",
        "## Export (`bench/export_speed.py`)",
        "",
        "Labels export on SQLite, each measurement in its own process (peak resident memory: "
        "VmHWM). Floor: pandas writing the same rows, already in a typed DataFrame, to the same "
        "format. Best of 3.",
        "",
        "| format | labels | export s | pandas s | ratio (≤ 1.5) | export peak MB | "
        f"peak vs {small:,} labels (flat) | pandas peak MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for format_ in FORMATS:
        for n in (small, large):
            r = results[n][format_]
            growth = r["export_peak_mb"] - results[small][format_]["export_peak_mb"]
            lines.append(
                f"| {format_} | {n:,} | {r['export_s']:.2f} | {r['pandas_s']:.2f} | "
                f"{r['ratio']:.2f} | {r['export_peak_mb']:.0f} | {growth:+.0f} MB | "
                f"{r['pandas_peak_mb']:.0f} |"
            )
    return "\n".join([*lines, EXPORT_NOTES])


EXPORT_NOTES = """
The export's time includes reading the rows from the database (a join of labels, sentences,
articles and users, sorted by article, sentence and annotator), which the floor does not: the
floor's frame is built before its clock starts. Parquet shows that cost best, since its
writing is cheap. Memory is the streaming promise: the export's peak stays flat while pandas
needs the whole frame.
"""


if __name__ == "__main__":
    if len(sys.argv) == 4:
        child(sys.argv[1], sys.argv[2], sys.argv[3] == "floor")
    else:
        print(json.dumps(run(), indent=2))

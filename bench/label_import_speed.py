"""`import-labels` throughput: rows per second, and the ratio to reading the file alone.

The database holds N body sentences (articles of 50 distinct sentences, inserted directly:
the label import is what is measured) and one annotator. The file gives each sentence one
label, as a `labels` export would (CSV).

- job: `import_labels` of the file into the project, both ways of finding sentences
  (`--match offsets`, the default, and `--match text`), on a new database each time;
- floor: reading and parsing the same file alone (`label_rows`, the first step of the job).

Target (issue 19): at least 2,000 rows a second at 5,000 rows, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import statistics
import time
from collections.abc import Sequence

from sqlalchemy import insert, update

from annotator.label_files import label_rows
from annotator.services import accounts
from annotator.services.label_import import import_labels
from annotator.services.projects import ensure_project
from bench.databases import scratch_database, settle
from bench.timing import best_of
from db.engine import make_engine, session_factory, write_transaction
from db.migrate import upgrade
from db.models import Article, Project, Sentence

PER_ARTICLE = 50
TARGET_ROWS_PER_SECOND = 2_000
CLAIM_TYPES = ("factual", "opinion", "not_claim")


def _sentence(article: int, index: int) -> str:
    return f"Ministry figure {article}-{index} rose by {index % 9}.{article % 7} per cent."


def build(url: str, n_sentences: int) -> list[dict[str, object]]:
    """A migrated database whose `default` project holds `n_sentences` body sentences and an
    annotator `bench`; the rows of a labels file labelling each sentence once."""
    engine = make_engine(url)
    upgrade(engine)
    now = dt.datetime.now(dt.UTC)
    rows: list[dict[str, object]] = []
    with session_factory(engine)() as session:
        project, _ = ensure_project(session, "default")
        accounts.create_user(session, "admin", "admin", "benchmark password")
        accounts.create_user(session, "bench", "annotator", "benchmark password")
        with write_transaction(session):
            for a in range(n_sentences // PER_ARTICLE):
                title = f"Article {a}"
                spans, text = [], title + "\n\n"
                for i in range(PER_ARTICLE):
                    sentence = _sentence(a, i)
                    spans.append((len(text), len(text) + len(sentence), sentence))
                    text += sentence + " "
                article_id = session.execute(
                    insert(Article).returning(Article.id),
                    [dict(project_id=project.id, title=title, text=text,
                          content_hash=f"{a:064d}", origin="bench", n_sentences=PER_ARTICLE + 1,
                          n_body=PER_ARTICLE, imported_at=now)],
                ).scalar_one()  # fmt: skip
                sentences = [
                    dict(article_id=article_id, index=0, char_start=0, char_end=len(title),
                         role="title")
                ]  # fmt: skip
                sentences += [
                    dict(article_id=article_id, index=i + 1, char_start=s, char_end=e, role="body")
                    for i, (s, e, _) in enumerate(spans)
                ]
                session.execute(insert(Sentence), sentences)
                rows += [
                    dict(article_title=title, char_start=s, char_end=e, sentence=sentence,
                         annotator="bench", claim_type=CLAIM_TYPES[(a + i) % 3])
                    for i, (s, e, sentence) in enumerate(spans)
                ]  # fmt: skip
            session.execute(update(Project).values(n_body=n_sentences))
    engine.dispose()
    settle(url)
    return rows


def label_file(rows: Sequence[dict[str, object]], offsets: bool) -> bytes:
    """The rows as a labels CSV (without the offset columns for text matching)."""
    columns = ["article_title", "char_start", "char_end", "sentence", "annotator", "claim_type"]
    if not offsets:
        columns = [c for c in columns if not c.startswith("char_")]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def measure(kind: str, n_rows: int, match: str, repeats: int = 3) -> dict[str, float]:
    """Median seconds of importing `n_rows` labels (a new database each time) and the floor."""
    seconds = []
    data = b""
    for _ in range(repeats):
        with scratch_database(kind) as url:
            data = label_file(build(url, n_rows), offsets=match == "offsets")
            engine = make_engine(url)
            with session_factory(engine)() as session:
                start = time.perf_counter()
                report = import_labels(session, None, "default", "labels.csv", data, match=match)
                seconds.append(time.perf_counter() - start)
            engine.dispose()
            assert report.added == n_rows, report
    floor = best_of(repeats, lambda: label_rows("labels.csv", data))
    job = statistics.median(seconds)
    return {"rows": n_rows, "job": job, "floor": floor, "rows_per_second": n_rows / job}


def run(n_rows: int = 5_000, repeats: int = 3) -> dict[str, dict[str, float]]:
    """Each backend and way of matching: {"sqlite offsets": figures, ...}."""
    return {
        f"{kind} {match}": measure(kind, n_rows, match, repeats)
        for kind in ("sqlite", "postgres")
        for match in ("offsets", "text")
    }


def render(results: dict[str, dict[str, float]]) -> str:
    """The import-labels section of RESULTS.md."""
    lines = [
        "",
        "## import-labels (`bench/label_import_speed.py`)",
        "",
        "A labels CSV giving each of N body sentences one label, imported into a new database "
        "(median of 3). Floor: reading and parsing the file alone (`label_rows`).",
        "",
        "| database, match | rows | floor | job | ratio | rows/s | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['rows']:,.0f} | {r['floor']:.3f} s | {r['job']:.2f} s | "
            f"{r['job'] / r['floor']:.0f}× | {r['rows_per_second']:,.0f} | "
            f"≥ {TARGET_ROWS_PER_SECOND:,} rows/s | "
            f"{'yes' if r['rows_per_second'] >= TARGET_ROWS_PER_SECOND else 'NO'} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """`python -m bench.label_import_speed [--rows N]`: print the section."""
    parser = argparse.ArgumentParser(prog="python -m bench.label_import_speed")
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(render(run(args.rows, args.repeats)))


if __name__ == "__main__":
    main()

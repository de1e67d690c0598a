"""The Agreement page's "Model suggestions" section at a million labels (issue 21, item 4).

A database of N body sentences (`bench.annotate_page.build_database`), every one labelled by
one annotator with a suggestion shown and settled as gold (written in bulk, as an import
would). Timed: `provenance.suggestion_report` counting every label (the first visit, or the
first after a change), then read from its snapshot (every later visit), against the floor of
the agreement figures read from theirs (`reliability.agreement_report`) in the same run.

    python -m bench.suggestion_report [--sentences N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from annotator.services import provenance, reliability
from bench.annotate_page import build_database
from bench.timing import interleaved_medians, machine
from db.engine import make_engine, session_factory


def labelled_database(url: str, n: int) -> None:
    """N body sentences, each with one label shown a suggestion, and gold."""
    build_database(url, n)
    now = dt.datetime.now(dt.UTC).isoformat()
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO labels (sentence_id, annotator_id, claim_type, note, skipped, "
                "seconds_spent, created_at, updated_at, suggestion, suggestion_confidence, "
                "suggestion_model, suggestion_mode) SELECT id, (SELECT id FROM users WHERE "
                "name = 'bench'), CASE WHEN id % 3 = 0 THEN 'opinion' ELSE 'factual' END, '', "
                "false, 1.0, :now, :now, 'factual', 0.8, 'claim_type-v1', 'shown' "
                "FROM sentences WHERE role = 'body'"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO outcomes (sentence_id, project_id, status, n_labels, agreement, "
                "claim_type, method, decided_at, updated_at) SELECT s.id, a.project_id, 'gold', "
                "1, 1.0, 'factual', 'unanimous', :now, :now FROM sentences s JOIN articles a "
                "ON a.id = s.article_id WHERE s.role = 'body'"
            ),
            {"now": now},
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.suggestion_report", description=__doc__)
    parser.add_argument("--sentences", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'report.db'}"
        labelled_database(url, args.sentences)
        engine = make_engine(url)
        with session_factory(engine)() as session:
            reliability.agreement_report(session, None, "default")  # its snapshot, once
            start = time.perf_counter()
            report = provenance.suggestion_report(session, None, "default")
            counting = time.perf_counter() - start
            floor, snapshot = interleaved_medians(
                20,
                lambda: reliability.agreement_report(session, None, "default"),
                lambda: provenance.suggestion_report(session, None, "default"),
            )
        engine.dispose()
    print(machine())
    print(f"{report.overall.answers:,} answers with a suggestion shown (SQLite)")
    print(f"counting every label: {counting * 1000:.0f} ms ({counting / floor:.0f}x the floor)")
    print(f"from the snapshot:    {snapshot * 1000:.1f} ms ({snapshot / floor:.2f}x the floor)")
    print(f"floor (agreement figures from their snapshot): {floor * 1000:.1f} ms")


if __name__ == "__main__":
    main()

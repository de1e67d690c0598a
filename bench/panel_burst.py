"""Fast typing on the annotate panel (issue 22): 200 label keys at 10 per second in Chromium
against a real `streamlit run` server; every label must be stored once, in order.

Floor, measured in the same run on the same server: key → acknowledgement of one key at a
time (another annotator, each key waiting for its acknowledgement). Job: after the burst's
last key, the time until the panel holds no unacknowledged answer (*drain*), and the most
answers it held unacknowledged at once.

`python -m bench.panel_burst` prints the figures and the RESULTS.md section.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.annotate_page import PER_ARTICLE, add_annotators, build_database
from bench.browser_latency import (
    ACKNOWLEDGED,
    CHROMIUM,
    CHROMIUM_ARGS,
    KEYDOWN,
    READY,
    _log_in,
    _server,
    percentile,
    reader,
)
from bench.databases import scratch_database, settle
from bench.timing import machine

PENDING = "document.querySelector('[data-testid=ca-panel]').dataset.pending"


def run(n_sentences: int, keys: int = 200, kind: str = "sqlite") -> dict[str, Any]:
    """The floor's and the burst's figures, and what the database holds after the burst."""
    with scratch_database(kind) as url, tempfile.TemporaryDirectory() as directory:
        build_database(url, n_sentences)
        settle(url)
        add_annotators(url, ["single", "burst"], assign=False)
        with _server(url, directory) as (address, _):
            result = measure(address, url, "single", "burst", keys)
    return {"sentences": n_sentences, "kind": kind, **result}


def measure(
    address: str, url: str, single: str, burst: str, keys: int, per_second: float = 10
) -> dict[str, Any]:
    """`single` labels 20 sentences one key at a time (the floor), then `burst` types `keys`
    label keys at `per_second`; the figures, and what the database holds of `burst`."""
    floor = _in_browser(address, single, lambda page: _singles(page, 20))
    typed = _in_browser(address, burst, lambda page: _burst(page, keys, per_second))
    return {"keys": keys, "per_second": per_second, **floor, **typed, **_stored(url, burst)}


def _in_browser(address: str, name: str, job: Any) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.add_init_script(KEYDOWN)
        _log_in(page, address, name)
        result: dict[str, float] = job(page)
        browser.close()
    return result


def _singles(page: Any, count: int) -> dict[str, float]:
    acked = []
    for i in range(count):
        page.keyboard.press("123"[i % 3])
        handle = page.wait_for_function(ACKNOWLEDGED, polling="raf", timeout=60_000)
        acked.append(float(handle.json_value()))
        page.wait_for_selector(READY, timeout=60_000)
    return {"floor_median_ms": statistics.median(acked), "floor_p95_ms": percentile(acked, 95)}


def _burst(page: Any, keys: int, per_second: float) -> dict[str, float]:
    """Type `keys` label keys at `per_second`, article after article (the `Enter` that opens
    the next one is not paced); the drain after the last key and the most left pending."""
    most = 0
    for i in range(keys):
        started = time.perf_counter()
        page.keyboard.press("123"[i % 3])
        most = max(most, int(page.evaluate(PENDING)))
        if (i + 1) % PER_ARTICLE == 0 and i + 1 < keys:
            page.wait_for_selector(READY, timeout=60_000)
            page.get_by_role("button", name="Next article").wait_for(timeout=60_000)
            page.keyboard.press("Enter")
            page.wait_for_function(
                "() => document.querySelector('[data-testid=ca-progress]')"
                "?.innerText.startsWith('Sentence 1 of')",
                timeout=60_000,
            )
            continue
        time.sleep(max(0.0, 1 / per_second - (time.perf_counter() - started)))
    handle = page.wait_for_function(ACKNOWLEDGED, polling="raf", timeout=120_000)
    return {"drain_ms": float(handle.json_value()), "most_pending": most}


def _stored(url: str, name: str) -> dict[str, Any]:
    """The burst annotator's labels, history rows and panel events: each answer once, and
    the events in the order of the article's sentences."""
    engine = reader(url)
    counted = stored_answers(engine, name)
    with engine.connect() as connection:
        events = connection.execute(
            text(
                "SELECT e.seq, e.sentence_id FROM label_events e "
                "JOIN users u ON u.id = e.annotator_id WHERE u.name = :name ORDER BY e.id"
            ),
            {"name": name},
        ).all()
    engine.dispose()
    seqs, sentences = [e[0] for e in events], [e[1] for e in events]
    in_order = seqs == list(range(1, len(seqs) + 1)) and sentences == sorted(sentences)
    return {**counted, "in_order": in_order}


def stored_answers(engine: Engine, name: str) -> dict[str, int]:
    """`name`'s labels, history rows and panel events, and the events saved twice."""
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT (SELECT count(*) FROM labels WHERE annotator_id = u.id), "
                "(SELECT count(*) FROM label_history h JOIN labels l ON l.id = h.label_id "
                " WHERE l.annotator_id = u.id), "
                "(SELECT count(*) FROM label_events WHERE annotator_id = u.id), "
                "(SELECT count(*) - count(DISTINCT seq) FROM label_events "
                " WHERE annotator_id = u.id) "
                "FROM users u WHERE u.name = :name"
            ),
            {"name": name},
        ).one()
    return dict(zip(("labels", "history", "events", "twice"), row, strict=True))


def render(r: dict) -> str:
    """The RESULTS.md section."""
    once = r["labels"] == r["history"] == r["events"] == r["keys"] and r["in_order"]
    return "\n".join(
        [
            "## Fast typing on the annotate panel (`bench/panel_burst.py`)",
            "",
            f"{machine()}, Chromium headless, {r['kind']}, {r['sentences']:,} sentences. "
            f"{r['keys']} label keys at {r['per_second']:g} per second.",
            "",
            "| figure | value |",
            "|---|---|",
            f"| floor: key → acknowledged, one key at a time (median / p95) | "
            f"{r['floor_median_ms']:.0f} / {r['floor_p95_ms']:.0f} ms |",
            f"| burst: last key → all acknowledged | {r['drain_ms']:.0f} ms "
            f"({r['drain_ms'] / r['floor_median_ms']:.2f}× the floor's median) |",
            f"| most answers unacknowledged at once | {r['most_pending']:.0f} |",
            f"| labels / history rows / panel events stored | {r['labels']} / {r['history']} / "
            f"{r['events']} (in order: {'yes' if r['in_order'] else 'no'}) |",
            "",
            f"Every label stored once, in order, none lost: {'met' if once else 'not met'}.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.panel_burst", description=__doc__)
    parser.add_argument("--sentences", type=int, default=1_000_000)
    parser.add_argument("--keys", type=int, default=200)
    args = parser.parse_args()
    result = run(args.sentences, args.keys)
    print(result)
    print(render(result))


if __name__ == "__main__":
    main()

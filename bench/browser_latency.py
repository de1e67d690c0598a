"""What an annotator waits for: key press to the next sentence on screen, and to the label in
the database, in Chromium against a real `streamlit run` server.

The database holds N body sentences (articles of 50, `bench.annotate_page.build_database`).
A fresh annotator logs in and, sentence by sentence, presses `→` then `←` (the floor: a move
that stores nothing) and then a label key (`1`, `2`, `3` in turn: the job). At the end of an
article `Enter` opens the next one (not timed).

- *shown*: from the `keydown` event to the first animation frame in which the page shows the
  next sentence (the progress line names it and the highlighted sentence is another one, or
  the summary is there), both read in the page's own clock.
- *stored*: from just before the key is sent to the moment a second connection sees the new
  label row (polled every millisecond from another thread).
- *acknowledged*: from the `keydown` event to the frame in which the annotate panel holds no
  unacknowledged answer any more (the server saved the label and said so), page clock.

Since the annotate panel (issue 22) shows the next sentence itself, *shown* and the floor are
both local to the browser: no round trip. *acknowledged* is the round trip.

`python -m bench.browser_latency` prints the figures and the RESULTS.md section.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from bench.annotate_page import PASSWORD, PER_ARTICLE, add_annotators, build_database
from bench.databases import scratch_database, settle
from bench.timing import machine

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("ANNOTATOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run"]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
KEYDOWN = """
window.caBench = {down: 0, sentence: null};
document.addEventListener("keydown", () => {
  const mark = document.querySelector("[data-testid=ca-current]");
  window.caBench = {down: performance.now(), sentence: mark ? mark.dataset.sentence : null};
}, true);
"""
SHOWN = """expected => {
  const progress = document.querySelector("[data-testid=ca-progress]");
  const mark = document.querySelector("[data-testid=ca-current]");
  if (!progress || !progress.innerText.includes(expected)) return false;
  if (mark && mark.dataset.sentence === window.caBench.sentence) return false;
  return performance.now() - window.caBench.down;
}"""
ACKNOWLEDGED = """() => {
  const panel = document.querySelector("[data-testid=ca-panel]");
  if (!panel || panel.dataset.pending !== "0") return false;
  return performance.now() - window.caBench.down;
}"""


@dataclass(frozen=True)
class Samples:
    """Milliseconds per key press: moves (floor), labels shown, stored and acknowledged."""

    moves: list[float]
    shown: list[float]
    stored: list[float]
    acked: list[float]


def run(
    n_sentences: int = 1_000_000, labels: int = 200, repeats: int = 1, kind: str = "sqlite"
) -> dict[str, float]:
    """Median and p95 ms of shown and stored after a label key, and of the move floor, over
    `repeats` annotators (each `labels` labels) on one server and one database of `kind`."""
    with scratch_database(kind) as url, tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        build_database(url, n_sentences)
        settle(url)
        built = time.perf_counter() - started
        names = add_annotators(url, [f"speed{i}" for i in range(repeats)], assign=False)
        with _server(url, directory) as (address, pid):
            runs = [label_run(address, url, name, labels) for name in names]
            memory = _rss_mb(pid)
    return {**summarise(n_sentences, runs, built), "server_rss_mb": memory}


def reader(url: str) -> Engine:
    """An engine for the bench's own reads: autocommit, so that each read sees the newest
    commit and holds no lock the app could wait for."""
    return create_engine(url, isolation_level="AUTOCOMMIT")


def _rss_mb(pid: int) -> float:
    """The app server's resident memory now, in MB (Linux: /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS line")


def summarise(n_sentences: int, runs: list[Samples], built: float) -> dict[str, float]:
    """The figures of all runs pooled, and the spread of the per-run medians."""
    pooled = Samples(
        [ms for r in runs for ms in r.moves],
        [ms for r in runs for ms in r.shown],
        [ms for r in runs for ms in r.stored],
        [ms for r in runs for ms in r.acked],
    )
    medians = [statistics.median(r.shown) for r in runs]
    return {
        "sentences": n_sentences,
        "build_seconds": built,
        "runs": len(runs),
        "labels": len(pooled.shown),
        "moves": len(pooled.moves),
        "move_median_ms": statistics.median(pooled.moves),
        "move_p95_ms": percentile(pooled.moves, 95),
        "shown_median_ms": statistics.median(pooled.shown),
        "shown_p95_ms": percentile(pooled.shown, 95),
        "stored_median_ms": statistics.median(pooled.stored),
        "stored_p95_ms": percentile(pooled.stored, 95),
        "acked_median_ms": statistics.median(pooled.acked),
        "acked_p95_ms": percentile(pooled.acked, 95),
        "shown_median_min_ms": min(medians),
        "shown_median_max_ms": max(medians),
    }


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method, as numpy's default linear interpolation)."""
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


@contextmanager
def _server(url: str, directory: str) -> Iterator[tuple[str, int]]:
    """A `streamlit run app.py` on a free port, on the database at `url`, without seeds."""
    server, address = start_server(url, directory, free_port())
    try:
        yield address, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, directory: str, port: int) -> tuple[subprocess.Popen[bytes], str]:
    """A healthy `streamlit run app.py` on `port`, on the database at `url`, without seeds;
    its output is appended to `directory`/streamlit.log."""
    env = {**os.environ, "DATABASE_URL": url, "ANNOTATOR_SEEDS_DIR": directory}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with open(Path(directory) / "streamlit.log", "ab") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    address = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(address, server)
    except BaseException:
        server.kill()
        server.wait(timeout=30)
        raise
    return server, address


def _wait_for_health(address: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("streamlit exited early")
        try:
            with urllib.request.urlopen(f"{address}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("streamlit did not become healthy")


def label_run(address: str, url: str, name: str, labels: int) -> Samples:
    """`name` logs in on the server at `address` and walks `labels` sentences (see `_walk`)."""
    from playwright.sync_api import sync_playwright

    engine = reader(url)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.add_init_script(KEYDOWN)
        _log_in(page, address, name)
        samples = _walk(page, engine, name, labels)
        browser.close()
    stored = count_labels(engine, name)
    engine.dispose()
    if stored != labels:
        raise AssertionError(f"{name}: the database holds {stored} labels, not {labels}")
    return samples


def _log_in(page: Any, address: str, name: str) -> None:
    page.goto(address)
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_test_id("ca-progress").wait_for(timeout=120_000)
    page.wait_for_selector(READY, timeout=120_000)
    page.evaluate("document.activeElement && document.activeElement.blur()")


def _walk(page: Any, engine: Engine, name: str, labels: int) -> Samples:
    moves: list[float] = []
    shown: list[float] = []
    stored: list[float] = []
    acked: list[float] = []
    for i in range(labels):
        at = i % PER_ARTICLE + 1
        if at < PER_ARTICLE:
            moves.append(_press(page, "ArrowRight", f"Sentence {at + 1} of "))
            moves.append(_press(page, "ArrowLeft", f"Sentence {at} of "))
        expected = f"Sentence {at + 1} of " if at < PER_ARTICLE else f"{at} of {at} labelled"
        with _stored_after(engine, name, i) as elapsed:
            shown.append(_press(page, "123"[i % 3], expected))
            handle = page.wait_for_function(ACKNOWLEDGED, polling="raf", timeout=60_000)
            acked.append(float(handle.json_value()))
        stored.append(elapsed())
        page.wait_for_selector(READY, timeout=60_000)
        if at == PER_ARTICLE:
            _press(page, "Enter", "Sentence 1 of ")
    return Samples(moves, shown, stored, acked)


def _press(page: Any, key: str, expected: str) -> float:
    """Press `key`; the page-clock milliseconds until the expected sentence is on screen."""
    page.keyboard.press(key)
    handle = page.wait_for_function(SHOWN, arg=expected, polling="raf", timeout=60_000)
    return float(handle.json_value())


LAST_LABEL = text("SELECT coalesce(max(id), 0) FROM labels")


@contextmanager
def _stored_after(engine: Engine, name: str, before: int) -> Iterator[Any]:
    """Poll from another thread until `name` has more than `before` labels; yields a function
    giving the milliseconds from the start of the block to that moment. The poll reads the
    largest label id on one open connection: cheap, so it takes little CPU from the server
    and the browser it is timing."""
    found: list[float] = []
    connection = engine.connect()
    last = connection.execute(LAST_LABEL).scalar_one()
    started = time.perf_counter()

    def poll() -> None:
        deadline = started + 60
        while time.perf_counter() < deadline:
            if connection.execute(LAST_LABEL).scalar_one() > last:
                found.append(time.perf_counter())
                return
            time.sleep(0.001)

    thread = threading.Thread(target=poll)
    thread.start()
    yield lambda: (found[0] - started) * 1000
    thread.join()
    connection.close()
    if not found:
        raise AssertionError(f"label {before + 1} of {name} never reached the database")


def count_labels(engine: Engine, name: str) -> int:
    """How many labels `name` has."""
    with engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT count(*) FROM labels JOIN users ON users.id = labels.annotator_id "
                    "WHERE users.name = :name"
                ),
                {"name": name},
            ).scalar_one()
        )


def _met(value: float, target: float) -> str:
    return "met" if value <= target else "not met"


def render(small: dict[str, float], large: dict[str, float]) -> str:
    """The RESULTS.md section for a small and a large database."""
    lines = [
        "## Annotate page in the browser (`bench/browser_latency.py`)",
        "",
        f"{machine()}, Chromium headless, SQLite. Floor: `→` (next sentence, nothing stored).",
        "",
        "| sentences in the db | labels | shown median / p95 ms | acknowledged median / p95 ms "
        "| stored median / p95 ms | floor median / p95 ms | shown / floor "
        "| runs' medians (spread) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in (small, large):
        lines.append(
            f"| {r['sentences']:,.0f} | {r['labels']:.0f} | {r['shown_median_ms']:.0f} / "
            f"{r['shown_p95_ms']:.0f} | {r['acked_median_ms']:.0f} / {r['acked_p95_ms']:.0f} "
            f"| {r['stored_median_ms']:.0f} / {r['stored_p95_ms']:.0f} "
            f"| {r['move_median_ms']:.0f} / {r['move_p95_ms']:.0f} | "
            f"{r['shown_median_ms'] / r['move_median_ms']:.2f} | "
            f"{r['shown_median_min_ms']:.0f}–{r['shown_median_max_ms']:.0f} |"
        )
    growth = large["shown_median_ms"] / small["shown_median_ms"]
    sizes = f"{large['sentences']:,.0f} vs {small['sentences']:,.0f}"
    steps = f"{large['labels'] + large['moves']:,.0f}"
    extra = large["server_rss_mb"] - small["server_rss_mb"]
    lines += [
        "",
        f"Growth, shown median at {sizes} sentences: {growth:.2f}×. Targets at "
        f"{large['sentences']:,.0f} (issue 22): shown median ≤ 20 ms "
        f"({_met(large['shown_median_ms'], 20)}), p95 ≤ 50 ms "
        f"({_met(large['shown_p95_ms'], 50)}); acknowledged median ≤ 100 ms "
        f"({_met(large['acked_median_ms'], 100)}), p95 ≤ 300 ms "
        f"({_met(large['acked_p95_ms'], 300)}).",
        "",
        f"App server memory after {steps} steps (labels and moves): "
        f"{small['server_rss_mb']:.0f} MB at {small['sentences']:,.0f} sentences, "
        f"{large['server_rss_mb']:.0f} MB at {large['sentences']:,.0f}: {extra:+.0f} MB "
        f"(target ≤ +50 MB: {'met' if extra <= 50 else 'not met'}).",
    ]
    return "\n".join(lines)


def main() -> None:
    """Measure at 1,000 and 1,000,000 sentences and print the RESULTS.md section."""
    parser = argparse.ArgumentParser(prog="python -m bench.browser_latency", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs=2, default=(1_000, 1_000_000))
    parser.add_argument("--labels", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    results = [run(n, args.labels, args.repeats) for n in args.sizes]
    for result in results:
        print(result)
    print(render(*results))


if __name__ == "__main__":
    main()

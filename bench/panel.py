"""The annotate panel's figures (issue 22), all in one run on each database: key → next
sentence shown and key → acknowledged, fast typing, a server killed mid-stream, and 50
annotators at a human pace.

On one database of N sentences (articles of 50), each part on its own `streamlit run` server:

- *latency*: `bench.browser_latency`'s walk (the floor is `→`, drawn in the browser too);
- *burst*: `bench.panel_burst` (200 label keys at 10 a second, every label stored once);
- *kill*: an annotator types at 10 keys a second; the server is SIGKILLed straight after a
  key, the annotator types on while it is down, and a new server starts on the same port.
  Every answer the panel showed as saved (a sequence number the tab gave out and no longer
  holds in its queue, read from its sessionStorage at the kill) must be in the database at
  the kill; after the restart every answer is saved, each once;
- *crowd* (PostgreSQL): 50 annotators on one server, one answer every 2 s each, staggered:
  one in Chromium (key → acknowledged timed in the page with a MutationObserver on the
  panel's pending count), 49 over the app's own websocket protocol (`bench.stream_client`:
  what the panel sends, without drawing; 50 Chromium tabs on 2 cores spend 3 cores drawing);
  every label must be stored once.

`python -m bench.panel` prints the figures and the RESULTS.md section.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench import panel_burst
from bench.annotate_page import PASSWORD, add_annotators, build_database
from bench.browser_latency import (
    CHROMIUM,
    CHROMIUM_ARGS,
    READY,
    _log_in,
    _rss_mb,
    _server,
    free_port,
    label_run,
    percentile,
    reader,
    start_server,
    summarise,
)
from bench.databases import scratch_database, settle
from bench.stream_client import StreamClient
from bench.timing import machine

ALL_SAVED = '[data-testid="ca-panel"][data-pending="0"]'
# The tab's answers so far (its next sequence number) and those not acknowledged yet.
TAB = """(s => ({next: s.next, queued: s.queue.map(e => e.seq)}))(
  JSON.parse(sessionStorage.getItem("ca-panel")))"""
ACKS = """
window.caDowns = []; window.caAcks = [];
document.addEventListener("keydown", (event) => {
  if ("123".includes(event.key)) window.caDowns.push(performance.now());
}, true);
new MutationObserver(() => {
  const panel = document.querySelector("[data-testid=ca-panel]");
  if (!panel || panel.dataset.pending !== "0") return;
  const now = performance.now();
  while (window.caAcks.length < window.caDowns.length) {
    window.caAcks.push(now - window.caDowns[window.caAcks.length]);
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-pending"]});
"""
ERRORS = "document.querySelectorAll('[data-testid=stException]').length"


def run(kind: str, n_sentences: int, labels: int, keys: int, crowd: int, crowd_labels: int) -> dict:
    """Every figure of the panel on one new database of `kind` (the crowd on PostgreSQL only:
    the team deployment)."""
    crowd_names = [f"crowd{i}" for i in range(crowd if kind == "postgres" else 0)]
    with scratch_database(kind) as url, tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        build_database(url, n_sentences)
        settle(url)
        built = time.perf_counter() - started
        add_annotators(url, ["speed", "single", "burst", "killed", *crowd_names], assign=False)
        with _server(url, directory) as (address, pid):
            latency = summarise(n_sentences, [label_run(address, url, "speed", labels)], built)
            latency["server_rss_mb"] = _rss_mb(pid)
            burst = panel_burst.measure(address, url, "single", "burst", keys)
        killed = kill_run(url, directory, "killed")
        crowded = crowd_run(url, directory, crowd_names, crowd_labels) if crowd_names else {}
    return {"kind": kind, "latency": latency, "burst": burst, "kill": killed, "crowd": crowded}


def kill_run(url: str, directory: str, name: str, before: int = 20, down: int = 10) -> dict:
    """`name` types `before` keys at 10 a second, the server is SIGKILLed after the last,
    `down` more keys are typed while it is down, and a new server starts on the same port."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    server, address = start_server(url, directory, port)
    engine = reader(url)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            _log_in(page, address, name)
            _type(page, before)
            server.kill()
            server.wait(timeout=30)
            tab = page.evaluate(TAB)
            queued = set(tab["queued"])
            shown_saved = set(range(1, tab["next"])) - queued
            at_kill = set(_saved_events(engine, name))
            _type(page, down)
            server, _ = start_server(url, directory, port)
            restarted = time.perf_counter()
            page.wait_for_selector(ALL_SAVED, state="attached", timeout=120_000)
            replayed = (time.perf_counter() - restarted) * 1000
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = panel_burst.stored_answers(engine, name)
    engine.dispose()
    return {
        "typed": before + down,
        "before": before,
        "pending_at_kill": len(queued),
        "stored_at_kill": len(at_kill),
        "shown_saved_missing": len(shown_saved - at_kill),
        "replay_ms": replayed,
        **stored,
    }


def _type(page: Any, keys: int, per_second: float = 10) -> None:
    """`keys` label keys at `per_second`, returning straight after the last."""
    started = time.perf_counter()
    for i in range(keys):
        time.sleep(max(0.0, started + i / per_second - time.perf_counter()))
        page.keyboard.press("123"[i % 3])


def _saved_events(engine: Engine, name: str) -> list[int]:
    """The sequence numbers of `name`'s answers the server saved (each with its label, in
    the same transaction)."""
    query = (
        "SELECT e.seq FROM label_events e JOIN users u ON u.id = e.annotator_id "
        "WHERE u.name = :name"
    )
    with engine.connect() as connection:
        return list(connection.execute(text(query), {"name": name}).scalars())


def crowd_run(url: str, directory: str, names: list[str], labels: int, every: float = 2.0) -> dict:
    """`names` label at once, each one key every `every` seconds, on one server."""
    log = Path(directory) / "streamlit.log"
    logged = log.stat().st_size if log.exists() else 0
    with _server(url, directory) as (address, pid):
        load_before = os.getloadavg()[0]
        browser, clients, errors, seconds = asyncio.run(_crowd(address, names, labels, every))
        memory = _rss_mb(pid)
    output = log.read_bytes()[logged:].decode(errors="replace")
    engine = reader(url)
    stored = [panel_burst.stored_answers(engine, name) for name in names]
    engine.dispose()
    return {
        "annotators": len(names),
        "labels_each": labels,
        "every_s": every,
        "seconds": seconds,
        "acks": len(clients),
        "ack_median_ms": statistics.median(clients),
        "ack_p95_ms": percentile(clients, 95),
        "ack_max_ms": max(clients),
        "browser_acks": len(browser),
        "browser_median_ms": statistics.median(browser),
        "browser_p95_ms": percentile(browser, 95),
        "page_errors": errors,
        "server_tracebacks": output.count("Traceback"),
        "labels": sum(s["labels"] for s in stored),
        "history": sum(s["history"] for s in stored),
        "twice": sum(s["twice"] for s in stored),
        "short": sum(1 for s in stored if s["labels"] != labels),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "server_rss_mb": memory,
    }


async def _crowd(
    address: str, names: list[str], labels: int, every: float
) -> tuple[list[float], list[float], int, float]:
    """The first of `names` labels in Chromium, the others over the app's websocket protocol
    (`bench.stream_client`); all log in (four at a time), then each answers `labels`
    sentences, one every `every` seconds, starting `every / len(names)` after the one before.
    Key → acknowledged in the browser, and in the protocol clients; the errors (an error
    shown on the page, an answer refused or never acknowledged)."""
    from playwright.async_api import async_playwright

    gate, ready = asyncio.Semaphore(4), asyncio.Barrier(len(names))
    clock: list[float] = []

    async def paced(i: int, answer: Any) -> None:
        await ready.wait()
        clock.append(time.perf_counter())
        await asyncio.sleep(i * every / len(names))
        start = time.perf_counter()
        for k in range(labels):
            await answer(k)
            await asyncio.sleep(max(0.0, start + (k + 1) * every - time.perf_counter()))

    async def protocol(i: int, name: str) -> tuple[list[float], int]:
        client = StreamClient(address)
        async with gate:
            await client.connect()
            await client.log_in(name, PASSWORD)
        acks: list[float] = []
        failed = 0

        async def answer(k: int) -> None:
            nonlocal failed
            try:
                acks.append(await client.label(k))
            except (RuntimeError, TimeoutError):  # refused, or never acknowledged
                failed += 1

        await paced(i, answer)
        await client.close()
        return acks, failed

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        async def in_browser(name: str) -> tuple[list[float], int]:
            page = await browser.new_page(viewport={"width": 1280, "height": 900})
            await page.add_init_script(ACKS)
            async with gate:
                await _log_in_async(page, address, name)
            await paced(0, lambda k: page.keyboard.press("123"[k % 3]))
            await page.wait_for_selector(ALL_SAVED, state="attached", timeout=120_000)
            return await page.evaluate("window.caAcks"), await page.evaluate(ERRORS)

        first, *rest = await asyncio.gather(
            in_browser(names[0]), *(protocol(i, n) for i, n in enumerate(names[1:], 1))
        )
        seconds = time.perf_counter() - min(clock)
        await browser.close()
    failed = first[1] + sum(f for _, f in rest)
    return first[0], [ms for acks, _ in rest for ms in acks], failed, seconds


async def _log_in_async(page: Any, address: str, name: str) -> None:
    await page.goto(address)
    await page.get_by_label("User name").fill(name)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_test_id("ca-progress").wait_for(timeout=120_000)
    await page.wait_for_selector(READY, timeout=120_000)
    await page.evaluate("document.activeElement && document.activeElement.blur()")


def _met(ok: bool) -> str:
    return "met" if ok else "not met"


def render(results: list[dict]) -> str:
    """The RESULTS.md section for every database measured."""
    first = results[0]["latency"]
    lines = [
        "## Annotate panel (issue 22, `python -m bench.panel`)",
        "",
        f"{machine()}, Chromium headless, {first['sentences']:,.0f} sentences, each part on "
        "its own `streamlit run` server; every figure below comes from one run. *shown*: "
        "key → the frame showing the next sentence; *acknowledged*: key → the frame in which "
        "the panel holds no unacknowledged answer; *stored*: key → the row visible to a second "
        "connection; floor: `→` (drawn in the browser, nothing stored).",
        "",
        "| database | labels | shown median / p95 ms | acknowledged median / p95 ms "
        "| stored median / p95 ms | floor median / p95 ms | server memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        a = r["latency"]
        lines.append(
            f"| {r['kind']} | {a['labels']:.0f} | {a['shown_median_ms']:.0f} / "
            f"{a['shown_p95_ms']:.0f} | {a['acked_median_ms']:.0f} / {a['acked_p95_ms']:.0f} | "
            f"{a['stored_median_ms']:.0f} / {a['stored_p95_ms']:.0f} | "
            f"{a['move_median_ms']:.0f} / {a['move_p95_ms']:.0f} | {a['server_rss_mb']:.0f} MB |"
        )
    lines += ["", *_targets(results), "", *_burst_rows(results), "", *_kill_rows(results)]
    crowded = [r for r in results if r["crowd"]]
    if crowded:
        lines += ["", *_crowd_rows(crowded)]
    return "\n".join(lines)


def _targets(results: list[dict]) -> list[str]:
    lines = []
    for r in results:
        a = r["latency"]
        lines.append(
            f"- {r['kind']}: shown median ≤ 20 ms ({_met(a['shown_median_ms'] <= 20)}), p95 ≤ 50 "
            f"ms ({_met(a['shown_p95_ms'] <= 50)}); acknowledged median ≤ 100 ms "
            f"({_met(a['acked_median_ms'] <= 100)}), p95 ≤ 300 ms "
            f"({_met(a['acked_p95_ms'] <= 300)})."
        )
    return lines


def _burst_rows(results: list[dict]) -> list[str]:
    lines = [
        "Fast typing: one annotator labels 20 sentences one key at a time (the floor: key → "
        "acknowledged), another types label keys at 10 a second (the `Enter` that opens the "
        "next article is not paced).",
        "",
        "| database | keys | floor median / p95 ms | last key → all acknowledged | most "
        "unacknowledged at once | labels / history / events | in order | every label once |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        b = r["burst"]
        once = b["labels"] == b["history"] == b["events"] == b["keys"] and b["in_order"]
        lines.append(
            f"| {r['kind']} | {b['keys']} | {b['floor_median_ms']:.0f} / {b['floor_p95_ms']:.0f} "
            f"| {b['drain_ms']:.0f} ms ({b['drain_ms'] / b['floor_median_ms']:.2f}× the floor) "
            f"| {b['most_pending']:.0f} | {b['labels']} / {b['history']} / {b['events']} | "
            f"{'yes' if b['in_order'] else 'no'} | {_met(once)} |"
        )
    return lines


def _kill_rows(results: list[dict]) -> list[str]:
    lines = [
        "Server killed: keys at 10 a second, SIGKILL straight after a key, more keys while the "
        "server is down, a new server on the same port.",
        "",
        "| database | keys before / while down | unacknowledged at the kill | in the db at the "
        "kill | shown saved but not in the db | restart → all saved | labels / history / "
        "events | saved twice | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        k = r["kill"]
        ok = k["shown_saved_missing"] == 0 and k["twice"] == 0
        ok = ok and k["labels"] == k["history"] == k["events"] == k["typed"]
        lines.append(
            f"| {r['kind']} | {k['before']} / {k['typed'] - k['before']} | "
            f"{k['pending_at_kill']} | {k['stored_at_kill']} | {k['shown_saved_missing']} | "
            f"{k['replay_ms'] / 1000:.1f} s | {k['labels']} / {k['history']} / {k['events']} | "
            f"{k['twice']} | {_met(ok)} |"
        )
    return lines


def _crowd_rows(results: list[dict]) -> list[str]:
    lines = [
        "Annotators at a human pace on one server: one answer every 2 s each, staggered; one "
        "annotator in Chromium, the others over the app's websocket protocol "
        "(`bench/stream_client.py`: the panel's messages without the drawing, which costs "
        "Chromium about 120 ms of CPU per answer here). *save*: an answer sent → the panel "
        "data that acknowledges it arrives (the server's round trip, what the target is "
        "judged on); *in Chromium*: key → the panel's frame showing it acknowledged.",
        "",
        "| database | annotators × labels | save median / p95 / max ms | in Chromium median / "
        "p95 ms | errors (page, refused, unacknowledged) | server tracebacks | labels / "
        "history | saved twice | short | load (1 min) before → after | save p95 ≤ 100 ms, "
        "0 errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        c = r["crowd"]
        errors = c["page_errors"] + c["server_tracebacks"] + c["short"] + c["twice"]
        expected = c["annotators"] * c["labels_each"]
        ok = c["ack_p95_ms"] <= 100 and errors == 0 and c["labels"] == c["history"] == expected
        lines.append(
            f"| {r['kind']} | {c['annotators']} × {c['labels_each']} | "
            f"{c['ack_median_ms']:.0f} / {c['ack_p95_ms']:.0f} / {c['ack_max_ms']:.0f} | "
            f"{c['browser_median_ms']:.0f} / {c['browser_p95_ms']:.0f} | "
            f"{c['page_errors']} | {c['server_tracebacks']} | {c['labels']:,} / "
            f"{c['history']:,} | {c['twice']} | {c['short']} | {c['load_before']:.1f} → "
            f"{c['load_after']:.1f} | {_met(ok)} |"
        )
    return lines


def main() -> None:
    """Measure on SQLite and PostgreSQL and print the RESULTS.md section."""
    parser = argparse.ArgumentParser(prog="python -m bench.panel", description=__doc__)
    parser.add_argument("--sentences", type=int, default=1_000_000)
    parser.add_argument("--labels", type=int, default=200, help="labels in the latency walk")
    parser.add_argument("--keys", type=int, default=200, help="keys in the fast-typing burst")
    parser.add_argument("--crowd", type=int, default=50, help="annotators (PostgreSQL)")
    parser.add_argument("--crowd-labels", type=int, default=30, help="labels each")
    parser.add_argument("--kinds", nargs="+", default=["sqlite", "postgres"])
    args = parser.parse_args()
    results = []
    for kind in args.kinds:
        result = run(kind, args.sentences, args.labels, args.keys, args.crowd, args.crowd_labels)
        print(result, flush=True)
        results.append(result)
    print(render(results))


if __name__ == "__main__":
    main()

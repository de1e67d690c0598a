"""A real `streamlit run` server on a free port and a real headless Chromium driving it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.browser.pages import WAIT_MS
from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ANNOTATOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_health(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text()}")


def _start(
    db_url: str,
    log: Path,
    *,
    port: int | None = None,
    options: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """A healthy `streamlit run app.py` process on `db_url` and `port` (default: a free one),
    with more command-line `options` and environment `env`, its output appended to `log`:
    (the process, its base URL)."""
    port = port or free_port()
    env = {**os.environ, **(env or {}), "DATABASE_URL": db_url}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", *options,
    ]  # fmt: skip
    with log.open("ab") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, server, log)
    except BaseException:
        _stop(server)
        raise
    return server, url


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=20)


@contextmanager
def running_app(db_url: str, log: Path, **how: Any) -> Iterator[str]:
    """The base URL of a `streamlit run app.py` process on `db_url` (started as `_start`'s
    keywords say), stopped afterwards."""
    server, url = _start(db_url, log, **how)
    try:
        yield url
    finally:
        _stop(server)


@pytest.fixture
def start_server() -> Iterator[Callable[[str, Path], tuple[subprocess.Popen[bytes], str]]]:
    """`start_server(db_url, log)`: (process, base URL) of a new app server on `db_url`, for a
    test that kills and restarts it; any still running are stopped after the test."""
    servers: list[subprocess.Popen[bytes]] = []

    def start(db_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
        server, url = _start(db_url, log)
        servers.append(server)
        return server, url

    yield start
    for server in servers:
        if server.poll() is None:
            _stop(server)


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(base URL, database URL) of a fresh app process on its own SQLite file."""
    db_url = f"sqlite:///{tmp_path / 'browser.db'}"
    with running_app(db_url, tmp_path / "streamlit.log") as url:
        yield url, db_url


@pytest.fixture(scope="module")
def module_app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, database URL) of one app process on its own SQLite file, shared by the
    tests of a module (each leaves the database as the others need it)."""
    folder = tmp_path_factory.mktemp("server")
    db_url = f"sqlite:///{folder / 'browser.db'}"
    with running_app(db_url, folder / "streamlit.log") as url:
        yield url, db_url


@pytest.fixture
def two_app_servers(tmp_path: Path, pg_url: str) -> Iterator[tuple[str, str, str]]:
    """(URL of server A, URL of server B, database URL): two app processes on different ports
    sharing one new PostgreSQL database (as a team runs them behind a proxy)."""
    from bench.databases import scratch_database

    with (
        scratch_database("postgres") as db_url,
        running_app(db_url, tmp_path / "a.log") as first,
        running_app(db_url, tmp_path / "b.log") as second,
    ):
        yield first, second, db_url


@pytest.fixture
def browser() -> Iterator[object]:
    """Debian's Chromium under Playwright (Playwright's own download is not reachable)."""
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing and CI=true")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield _PatientBrowser(chromium)
        chromium.close()


class _PatientBrowser:
    """The launched browser, whose pages wait up to `WAIT_MS` for what they look for (also in
    Playwright's implicit waits, e.g. `inner_text`, which default to 30 s)."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_page(self, **options: Any) -> Any:
        page = self._browser.new_page(**options)
        page.set_default_timeout(WAIT_MS)
        return page

    def new_context(self, **options: Any) -> Any:
        context = self._browser.new_context(**options)
        context.set_default_timeout(WAIT_MS)
        return context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)

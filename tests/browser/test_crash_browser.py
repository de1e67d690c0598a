"""In Chromium: an annotator labels by keyboard while the app server is killed with SIGKILL;
after a restart on the same database every label the page showed as saved is there, the page
resumes where she left off, and `check` passes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.services import accounts, labelling
from db.engine import make_engine, session_factory
from tests.browser.conftest import ROOT, _free_port, _wait_for_health
from tests.browser.pages import log_in, press_and_wait, progress, settle
from tests.conftest import PASSWORD, prepare_database
from tests.soundness import assert_sound

pytestmark = pytest.mark.browser
CLAIMS = {"1": "factual", "2": "opinion", "3": "not_claim"}
ACKNOWLEDGED = 7  # labels saved and shown before the kill


def _start_server(db_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`streamlit run app.py` on a free port, as tests/browser/conftest.py starts it."""
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log.open("ab") as out:
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": db_url},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    _wait_for_health(url, server, log)
    return server, url


@pytest.fixture
def crash_db(tmp_path: Path) -> Iterator[str]:
    """A database after the first start with an annotator; `check` must pass after the test."""
    db_url = f"sqlite:///{tmp_path / 'crash.db'}"
    prepare_database(db_url, (("admin", "admin"), ("ann", "annotator")))
    yield db_url
    assert_sound(db_url)


def _saved_claims(db_url: str) -> list[str | None]:
    """Ann's claim type for each body sentence of the first article, in order (None: none)."""
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        ann = accounts.authenticate(session, "ann", PASSWORD)
        article = labelling.article_list(session, ann, "default")[0]
        body = labelling.load_article(session, ann, article.id).body
        labels = labelling.article_labels(session, ann, article.id)
    engine.dispose()
    return [labels[s.id].claim_type if s.id in labels else None for s in body]


def _open_annotate(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, url, "ann")
    page.get_by_test_id("stProgress").wait_for(timeout=30_000)
    settle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    return page


def test_every_label_shown_as_saved_survives_a_killed_server(
    crash_db: str, browser: Any, tmp_path: Path
) -> None:
    log = tmp_path / "streamlit.log"
    server, url = _start_server(crash_db, log)
    try:
        page = _open_annotate(browser, url)
        total = int(progress(page).split(" of ")[1].split(" ")[0])
        shown: list[str] = []
        for i in range(ACKNOWLEDGED):
            key = "123"[i % 3]
            press_and_wait(page, key, f"{i + 1} of {total} labelled")
            shown.append(CLAIMS[key])
        page.keyboard.press("1")  # one more in flight: saved or not, never half
    finally:
        server.kill()
        server.wait(timeout=30)
    assert server.returncode == -9

    saved = _saved_claims(crash_db)
    assert saved[:ACKNOWLEDGED] == shown
    assert saved[ACKNOWLEDGED] in ("factual", None)
    done = ACKNOWLEDGED + (saved[ACKNOWLEDGED] is not None)

    server, url = _start_server(crash_db, log)
    try:
        page = _open_annotate(browser, url)
        assert f"{done} of {total} labelled" in progress(page)
        press_and_wait(page, "2", f"{done + 1} of {total} labelled")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert _saved_claims(crash_db)[: done + 1] == [*saved[:done], "opinion"]

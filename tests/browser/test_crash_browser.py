"""In Chromium: an annotator labels by keyboard while the app server is killed with SIGKILL;
after a restart on the same database every label the page showed as saved is there, the page
resumes where she left off, and `check` passes."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from annotator.services import accounts, labelling
from tests.browser.pages import WAIT_MS, log_in, press_and_wait, progress, settle
from tests.conftest import PASSWORD, prepare_database
from tests.soundness import assert_sound

pytestmark = pytest.mark.browser
SessionFor = Callable[[str], AbstractContextManager[Session]]
CLAIMS = {"1": "factual", "2": "opinion", "3": "not_claim"}
ACKNOWLEDGED = 7  # labels saved and shown before the kill


@pytest.fixture
def crash_db(tmp_path: Path) -> Iterator[str]:
    """A database after the first start with an annotator; `check` must pass after the test."""
    db_url = f"sqlite:///{tmp_path / 'crash.db'}"
    prepare_database(db_url, (("admin", "admin"), ("ann", "annotator")))
    yield db_url
    assert_sound(db_url)


@pytest.fixture
def saved_claims(session_for: SessionFor) -> Callable[[str], list[str | None]]:
    """`saved_claims(db_url)`: ann's claim type for each body sentence of the first article,
    in order (None: none)."""

    def read(db_url: str) -> list[str | None]:
        with session_for(db_url) as session:
            ann = accounts.authenticate(session, "ann", PASSWORD)
            article = labelling.article_list(session, ann, "default")[0]
            body = labelling.load_article(session, ann, article.id).body
            labels = labelling.article_labels(session, ann, article.id)
        return [labels[s.id].claim_type if s.id in labels else None for s in body]

    return read


def _open_annotate(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, url, "ann")
    page.get_by_test_id("ca-progress").wait_for(timeout=WAIT_MS)
    settle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    return page


def test_every_label_shown_as_saved_survives_a_killed_server(
    crash_db: str,
    browser: Any,
    tmp_path: Path,
    start_server: Callable[[str, Path], tuple[subprocess.Popen[bytes], str]],
    saved_claims: Callable[[str], list[str | None]],
) -> None:
    log = tmp_path / "streamlit.log"
    server, url = start_server(crash_db, log)
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

    saved = saved_claims(crash_db)
    assert saved[:ACKNOWLEDGED] == shown
    assert saved[ACKNOWLEDGED] in ("factual", None)
    done = ACKNOWLEDGED + (saved[ACKNOWLEDGED] is not None)

    server, url = start_server(crash_db, log)
    try:
        page = _open_annotate(browser, url)
        assert f"{done} of {total} labelled" in progress(page)
        press_and_wait(page, "2", f"{done + 1} of {total} labelled")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert saved_claims(crash_db)[: done + 1] == [*saved[:done], "opinion"]

"""In Chromium: first start, label by keyboard alone (1 2 3 d s arrows), reload, labels
kept, CSV download identical to the command line's export."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.columns import LABEL_COLUMNS
from db.models import Label
from tests.browser.pages import WAIT_MS, press_and_wait, progress, settle
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SessionFor = Callable[[str], AbstractContextManager[Session]]
Stored = tuple[str | None, bool | None, bool]


@pytest.fixture
def stored(session_for: SessionFor) -> Callable[[str], list[Stored]]:
    """`stored(db_url)`: (claim type, date-bound, skipped) of every label, by sentence."""

    def read(db_url: str) -> list[Stored]:
        with session_for(db_url) as session:
            rows = session.scalars(select(Label).order_by(Label.sentence_id))
            return [(label.claim_type, label.date_bound, label.skipped) for label in rows]

    return read


def test_keyboard_labelling_survives_a_reload_and_downloads_as_csv(
    app_server: tuple[str, str], browser: Any, tmp_path: Path, stored: Callable[[str], list[Stored]]
) -> None:
    url, db_url = app_server
    page = browser.new_page(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.get_by_role("button", name="Create admin account").wait_for(timeout=WAIT_MS)
    settle(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create admin account").click()
    page.get_by_test_id("ca-progress").wait_for(timeout=WAIT_MS)
    settle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")

    # "... held in Moscow on Monday": a fixed past time, suggested not date-bound
    page.get_by_role("button", name="Date-bound: no (suggested)").wait_for()
    for shown in ("Date-bound: yes", "Date-bound: no", "Date-bound: yes"):
        page.keyboard.press("d")
        answered = re.compile(rf"{shown}(?! \(suggested)")  # the annotator's, not suggested
        page.get_by_role("button", name=answered).wait_for(timeout=WAIT_MS)
        settle(page)
    assert page.get_by_role("button", name="(suggested)").count() == 0
    press_and_wait(page, "1", "Sentence 2 of")
    press_and_wait(page, "2", "Sentence 3 of")
    press_and_wait(page, "s", "Sentence 4 of")
    press_and_wait(page, "ArrowRight", "Sentence 5 of")
    assert stored(db_url) == [
        ("factual", True, False),
        ("opinion", None, False),
        (None, None, True),
    ]

    page.reload()  # still signed in (the browser's session is resumed): no login form
    page.get_by_test_id("ca-progress").wait_for(timeout=WAIT_MS)
    settle(page)
    assert progress(page).startswith("Sentence 4 of")
    assert "3 of" in progress(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    press_and_wait(page, "ArrowLeft", "Sentence 3 of")
    assert page.get_by_text("Your label: skipped").is_visible()
    press_and_wait(page, "3", "Sentence 4 of")
    assert stored(db_url)[2] == ("not_claim", None, False)

    page.get_by_role("link", name="Export").click()
    page.get_by_role("heading", name="Export").wait_for(timeout=WAIT_MS)
    settle(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download default-labels.csv").click()
    saved = tmp_path / "download.csv"
    info.value.save_as(saved)
    frame = pd.read_csv(saved)
    assert tuple(frame.columns) == tuple(LABEL_COLUMNS)
    assert frame["claim_type"].tolist() == ["factual", "opinion", "not_claim"]
    cli = subprocess.run(
        [sys.executable, "-m", "annotator", "export", "--db", db_url, "--kind", "labels"],
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    assert saved.read_bytes() == cli.stdout


def test_every_seed_body_sentence_can_be_labelled_by_keyboard_alone(
    app_server: tuple[str, str], browser: Any, stored: Callable[[str], list[Stored]]
) -> None:
    url, db_url = app_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.get_by_role("button", name="Create admin account").wait_for(timeout=WAIT_MS)
    settle(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label("Repeat the password").press("Enter")
    page.get_by_test_id("ca-progress").wait_for(timeout=WAIT_MS)
    settle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    labelled = 0
    for article in range(2):
        total = int(progress(page).split(" of ")[1].split(" ")[0])
        for n in range(total):
            expected = f"Sentence {n + 2} of" if n + 1 < total else f"{total} of {total} labelled"
            press_and_wait(page, "123"[labelled % 3], expected)
            labelled += 1
        page.get_by_text("Article finished").wait_for(timeout=WAIT_MS)
        if article == 0:
            press_and_wait(page, "Enter", "Sentence 1 of")
    assert len(stored(db_url)) == labelled == 20

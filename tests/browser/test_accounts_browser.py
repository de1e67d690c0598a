"""In Chromium: an annotator whose account is disabled while they label is logged out on
their next key press, a label or a move to another sentence (a fragment rerun, which AppTest
cannot show)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from sqlalchemy.orm import Session

from annotator.services import accounts
from tests.browser.pages import (
    assert_signed_out,
    log_in_to_label,
    press_and_wait,
)
from tests.conftest import prepare_database

pytestmark = pytest.mark.browser
SessionFor = Callable[[str], AbstractContextManager[Session]]
Counts = Callable[[str], dict[str, int]]


@pytest.mark.parametrize("key", ["2", "ArrowRight"], ids=["label", "next sentence"])
def test_a_disabled_annotator_is_logged_out_on_their_next_key_and_it_stores_nothing(
    app_server: tuple[str, str], browser: Any, session_for: SessionFor, row_counts: Counts, key: str
) -> None:
    url, db_url = app_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    prepare_database(db_url, (("admin", "admin"), ("ann", "annotator")))
    log_in_to_label(page, url, "ann")
    press_and_wait(page, "1", "Sentence 2 of")
    assert row_counts(db_url)["labels"] == 1

    with session_for(db_url) as session:
        accounts.set_active(session, None, "ann", False)
    page.keyboard.press(key)  # a label, or only a move (a fragment run, not the app's gate)
    assert_signed_out(page, "ann")
    assert page.get_by_text("Not saved").count() == 0
    assert row_counts(db_url)["labels"] == 1

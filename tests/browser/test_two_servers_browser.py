"""In Chromium: two app processes share one PostgreSQL database; an annotator labels on one,
and the label, the assignment and the lead's progress figures show on the other."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from sqlalchemy.orm import Session

from annotator.services import assignment
from tests.browser.pages import WAIT_MS, log_in, open_page, press_and_wait, progress, settle
from tests.conftest import prepare_database

pytestmark = pytest.mark.browser
SessionFor = Callable[[str], AbstractContextManager[Session]]


def test_a_label_saved_on_one_server_shows_on_the_other(
    two_app_servers: tuple[str, str, str], browser: Any, session_for: SessionFor
) -> None:
    first, second, db_url = two_app_servers
    prepare_database(db_url, (("admin", "admin"), ("lead", "lead"), ("ann1", "annotator")))
    with session_for(db_url) as session:
        assignment.assign(session, None, "default", ["ann1"])

    on_first = browser.new_context().new_page()
    log_in(on_first, first, "ann1")
    on_first.evaluate("document.activeElement && document.activeElement.blur()")
    press_and_wait(on_first, "2", "Sentence 2 of")

    on_second = browser.new_context().new_page()
    log_in(on_second, second, "ann1")
    assert "Sentence 2 of" in progress(on_second)  # the same assigned article, label kept

    admin = browser.new_context().new_page()
    log_in(admin, second, "admin")
    open_page(admin, "Progress")
    admin.get_by_test_id("stDataFrame").first.wait_for(timeout=WAIT_MS)
    settle(admin)
    assert admin.get_by_text("Progress").count() and not admin.get_by_test_id("stException").count()

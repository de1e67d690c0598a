"""In Chromium: an annotator whose account is disabled while they label is logged out on
their next key press (a fragment rerun, which AppTest cannot show)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from annotator.services import accounts
from db.engine import make_engine, session_factory
from db.models import Label
from tests.browser.pages import log_in, press_and_wait, settle
from tests.conftest import prepare_database

pytestmark = pytest.mark.browser


def _disable(db_url: str, name: str) -> None:
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        accounts.set_active(session, None, name, False)
    engine.dispose()


def _labels(db_url: str) -> int:
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        count = len(list(session.scalars(select(Label))))
    engine.dispose()
    return count


def test_a_disabled_annotator_is_logged_out_on_their_next_key_press(
    app_server: tuple[str, str], browser: Any
) -> None:
    url, db_url = app_server
    prepare_database(db_url, (("admin", "admin"), ("ann", "annotator")))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, url, "ann")
    page.get_by_test_id("stProgress").wait_for(timeout=30_000)
    settle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    press_and_wait(page, "1", "Sentence 2 of")
    assert _labels(db_url) == 1

    _disable(db_url, "ann")
    page.keyboard.press("2")
    page.get_by_role("button", name="Log in").wait_for(timeout=30_000)
    settle(page)
    assert page.get_by_test_id("stProgress").count() == 0
    assert page.get_by_text("Not saved").count() == 0
    assert _labels(db_url) == 1

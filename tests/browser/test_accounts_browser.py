"""In Chromium: an annotator whose account is disabled while they label is logged out on
their next key press (a fragment rerun, which AppTest cannot show)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from annotator.config import SEEDS_DIR
from annotator.services import accounts
from annotator.services.setup import initialise
from db.engine import make_engine, session_factory
from db.models import Label
from tests.browser.test_annotate_browser import _press_and_wait, _settle
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _with_users(db_url: str) -> None:
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        initialise(engine, session, SEEDS_DIR)
        accounts.create_user(session, "admin", "admin", PASSWORD)
        accounts.create_user(session, "ann", "annotator", PASSWORD)
    engine.dispose()


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
    _with_users(db_url)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.get_by_role("button", name="Log in").wait_for(timeout=30_000)
    _settle(page)
    page.get_by_label("User name").fill("ann")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_test_id("stProgress").wait_for(timeout=30_000)
    _settle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    _press_and_wait(page, "1", "Sentence 2 of")
    assert _labels(db_url) == 1

    _disable(db_url, "ann")
    page.keyboard.press("2")
    page.get_by_role("button", name="Log in").wait_for(timeout=30_000)
    _settle(page)
    assert page.get_by_test_id("stProgress").count() == 0
    assert page.get_by_text("Not saved").count() == 0
    assert _labels(db_url) == 1

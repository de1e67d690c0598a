"""In Chromium: after Log out, neither the back button, a reload nor the page's own address
shows anything of the app without logging in again; a disabled lead's or annotator's open
session ends on their next action, and that action stores nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from sqlalchemy.orm import Session

from annotator.services import accounts
from tests.browser.pages import WAIT_MS, choose_project, log_in, open_page, settle
from tests.teams import TEAM_PROJECT, build_team_project

pytestmark = pytest.mark.browser
SessionFor = Callable[[str], AbstractContextManager[Session]]
Counts = Callable[[str], dict[str, int]]


def _assert_signed_out(page: Any) -> None:
    """Only the login form: no navigation, nothing in the sidebar (in the same tab its empty
    frame stays), no page of the app, no user name."""
    page.get_by_role("button", name="Log in").wait_for(timeout=WAIT_MS)
    settle(page)
    sidebar = "document.querySelector('[data-testid=stSidebarUserContent]')?.innerText ?? ''"
    assert page.evaluate(sidebar).strip() == ""
    assert page.get_by_test_id("stSidebarNav").count() == 0
    headings = {h.inner_text() for h in page.get_by_role("heading").all()}
    # Opening a page's address while signed out also brings Streamlit's "Page not found".
    assert headings - {"Page not found"} == {"Claim Annotator"}
    text = page.evaluate("document.body.innerText")
    assert "Signed in as" not in text and "lena" not in text and "Progress" not in text


def test_after_log_out_back_reload_and_the_address_show_only_the_login_form(
    app_server: tuple[str, str], browser: Any
) -> None:
    url, db_url = app_server
    build_team_project(db_url)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    log_in(page, url, "lena")
    choose_project(page, TEAM_PROJECT)
    open_page(page, "Adjudicate")
    open_page(page, "Progress")
    address = page.url
    assert address.endswith("/progress")

    page.get_by_role("button", name="Log out").click()
    _assert_signed_out(page)
    page.go_back()
    _assert_signed_out(page)
    page.reload()
    _assert_signed_out(page)
    page.goto(address)
    _assert_signed_out(page)
    other_tab = context.new_page()
    other_tab.goto(url + "/adjudicate")
    _assert_signed_out(other_tab)


def test_disabled_users_are_logged_out_on_their_next_action_and_it_stores_nothing(
    app_server: tuple[str, str], browser: Any, session_for: SessionFor, row_counts: Counts
) -> None:
    url, db_url = app_server
    build_team_project(db_url)
    lead = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    log_in(lead, url, "lena")
    choose_project(lead, TEAM_PROJECT)
    open_page(lead, "Adjudicate")
    annotator = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    log_in(annotator, url, "bob")
    before = row_counts(db_url)

    with session_for(db_url) as session:
        accounts.set_active(session, None, "lena", False)
        accounts.set_active(session, None, "bob", False)
    lead.get_by_role("button", name=re.compile(r"^Opinion")).click()
    _assert_signed_out(lead)
    assert lead.get_by_text("Gold set").count() == 0
    annotator.get_by_test_id("stSidebarNav").get_by_role("link", name="Account").click()
    _assert_signed_out(annotator)
    assert row_counts(db_url) == before

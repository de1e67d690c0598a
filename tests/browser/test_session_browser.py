"""In Chromium: after Log out, neither the back button, a reload nor the page's own address
shows anything of the app without logging in again, and the user's other tabs in that
browser are logged out on their next action (not their tabs in another browser); a disabled
lead's or annotator's open session, or one whose password was reset on the command line,
ends on their next action, and that action stores nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from sqlalchemy.orm import Session

from annotator.services import accounts
from tests.browser.conftest import ROOT
from tests.browser.pages import (
    WAIT_MS,
    assert_signed_out,
    choose_project,
    log_in,
    log_in_to_label,
    open_page,
    settle,
    signed_in,
)
from tests.conftest import prepare_database
from tests.teams import TEAM_PROJECT, build_team_project

pytestmark = pytest.mark.browser
SessionFor = Callable[[str], AbstractContextManager[Session]]
Counts = Callable[[str], dict[str, int]]
VIEWPORT = {"width": 1280, "height": 1000}
NEW_PASSWORD = "a different long passphrase"


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
    assert_signed_out(page, "lena")
    page.go_back()
    assert_signed_out(page, "lena")
    page.reload()
    assert_signed_out(page, "lena")
    page.goto(address)
    assert_signed_out(page, "lena")
    other_tab = context.new_page()
    other_tab.goto(url + "/adjudicate")
    assert_signed_out(other_tab, "lena")


def test_disabled_users_are_logged_out_on_their_next_action_and_it_stores_nothing(
    app_server: tuple[str, str], browser: Any, session_for: SessionFor, row_counts: Counts
) -> None:
    url, db_url = app_server
    build_team_project(db_url)
    lead = signed_in(browser, url, "lena", TEAM_PROJECT)
    open_page(lead, "Adjudicate")
    annotator = signed_in(browser, url, "bob")
    before = row_counts(db_url)

    with session_for(db_url) as session:
        accounts.set_active(session, None, "lena", False)
        accounts.set_active(session, None, "bob", False)
    lead.get_by_role("button", name=re.compile(r"^Opinion")).click()
    assert_signed_out(lead, "lena")
    assert lead.get_by_text("Gold set").count() == 0
    annotator.get_by_test_id("stSidebarNav").get_by_role("link", name="Account").click()
    assert_signed_out(annotator, "bob")
    assert row_counts(db_url) == before


def test_log_out_in_one_tab_logs_out_the_users_other_tabs_of_that_browser_but_no_other_browser(
    app_server: tuple[str, str], browser: Any
) -> None:
    url, db_url = app_server
    prepare_database(db_url, (("admin", "admin"), ("ann", "annotator")))
    context = browser.new_context(viewport=VIEWPORT)
    first, second = context.new_page(), context.new_page()
    log_in(first, url, "ann")
    second.goto(url)  # a new tab of the same browser is signed in already
    second.get_by_test_id("stSidebarNav").wait_for(timeout=WAIT_MS)
    settle(second)
    elsewhere = signed_in(browser, url, "ann")

    first.get_by_role("button", name="Log out").click()
    assert_signed_out(first, "ann")
    second.get_by_test_id("stSidebarNav").get_by_role("link", name="Account").click()
    assert_signed_out(second, "ann")
    open_page(elsewhere, "Account")
    assert "Signed in as ann" in elsewhere.get_by_test_id("stSidebarUserContent").inner_text()


def test_a_password_reset_on_the_command_line_ends_an_open_tab_on_its_next_key_and_stores_nothing(
    app_server: tuple[str, str], browser: Any, row_counts: Counts
) -> None:
    url, db_url = app_server
    prepare_database(db_url, (("admin", "admin"), ("ann", "annotator")))
    page = browser.new_page(viewport=VIEWPORT)
    log_in_to_label(page, url, "ann")
    before = row_counts(db_url)

    reset = [sys.executable, "-m", "annotator", "users", "reset-password", "ann"]
    subprocess.run(
        [*reset, "--password-stdin", "--db", db_url],
        input=NEW_PASSWORD + "\n",
        text=True,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    page.keyboard.press("1")
    assert_signed_out(page, "ann")
    assert row_counts(db_url) == before

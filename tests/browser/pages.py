"""Driving the app in Chromium: wait for reruns to settle, log in, press keys, check that a
tab is signed out."""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD

WAIT_MS = 60_000
"""The longest a test waits for the page to show something: generous, because CI runs two
test workers and CPU hogs beside the server and Chromium on two cores."""
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def settle(page: Any) -> None:
    """Wait until the script has finished and stayed finished for a moment.

    After `st.rerun()` (moving to the next article) a fragment run ends and the full rerun
    starts a little later; a key pressed in between can reach a button that is being
    replaced, so "not running" must hold across two looks, with nothing stale on the page.
    """
    for _ in range(100):
        page.wait_for_selector(READY, timeout=WAIT_MS)
        page.wait_for_timeout(200)
        stale = page.locator('[data-stale="true"]').count()
        if stale == 0 and page.locator(READY).count() == 1:
            return
    raise AssertionError("the page never settled")


ALL_SAVED = '[data-testid="ca-panel"][data-pending="0"]'


def progress(page: Any) -> str:
    return page.get_by_test_id("ca-progress").inner_text()


def press_and_wait(page: Any, key: str, expected_progress: str) -> None:
    """Press `key`, wait for the annotate panel's progress to read `expected_progress` and
    for every answer it holds to be acknowledged by the server, then for the page to settle."""
    page.keyboard.press(key)
    page.wait_for_function(
        "text => document.querySelector('[data-testid=ca-progress]')?.innerText.includes(text)",
        arg=expected_progress,
        timeout=WAIT_MS,
    )
    page.wait_for_selector(ALL_SAVED, state="attached", timeout=WAIT_MS)
    settle(page)


def log_in(page: Any, url: str, name: str) -> None:
    """Open the app and log in as `name` (password `PASSWORD`)."""
    page.goto(url)
    page.get_by_role("button", name="Log in").wait_for(timeout=WAIT_MS)
    settle(page)
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_test_id("stSidebar").wait_for(timeout=WAIT_MS)
    settle(page)


def log_in_to_label(page: Any, url: str, name: str) -> None:
    """Log in as `name` and wait on the annotate page's first sentence, with the keys going
    to the page (not to an input)."""
    log_in(page, url, name)
    page.get_by_test_id("ca-progress").wait_for(timeout=WAIT_MS)
    settle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")


def signed_in(
    browser: Any, url: str, name: str, project: str | None = None, height: int = 1000
) -> Any:
    """A tab in a new browser (cookies of its own), 1280 px wide, logged in as `name`
    (password `PASSWORD`) and on `project` if one is given."""
    page = browser.new_context(viewport={"width": 1280, "height": height}).new_page()
    log_in(page, url, name)
    if project is not None:
        choose_project(page, project)
    return page


def open_page(page: Any, link: str) -> None:
    """Follow a sidebar link and wait for the page's heading (exactly its name: the lead's
    Fact-check page also has "Fact-checking in this project")."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link).click()
    heading = link if link != "Import" else "Import articles"
    page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=WAIT_MS)
    settle(page)


def choose_project(page: Any, name: str) -> None:
    """Pick the project in the sidebar's project selector."""
    page.get_by_test_id("stSidebar").get_by_role("combobox").first.click()
    page.get_by_role("option", name=name, exact=True).click()
    settle(page)


def assert_signed_out(page: Any, name: str) -> None:
    """Only the login form: no navigation, nothing in the sidebar (in the same tab its empty
    frame stays), no page of the app, not the user `name`."""
    page.get_by_role("button", name="Log in").wait_for(timeout=WAIT_MS)
    settle(page)
    sidebar = "document.querySelector('[data-testid=stSidebarUserContent]')?.innerText ?? ''"
    assert page.evaluate(sidebar).strip() == ""
    assert page.get_by_test_id("stSidebarNav").count() == 0
    headings = {h.inner_text() for h in page.get_by_role("heading").all()}
    # Opening a page's address while signed out also brings Streamlit's "Page not found".
    assert headings - {"Page not found"} == {"Claim Annotator"}
    text = page.evaluate("document.body.innerText")
    assert "Signed in as" not in text and name not in text and "Progress" not in text

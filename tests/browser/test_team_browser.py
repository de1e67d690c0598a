"""In Chromium: a lead creates a project with k=2, imports files, adds three annotators and
assigns; three annotators, logged in at the same time in three browsers, each see only their
own articles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from annotator.config import SEEDS_DIR
from annotator.services import accounts
from annotator.services.setup import initialise
from db.engine import make_engine, session_factory
from db.models import Article, Assignment, User
from tests.browser.test_annotate_browser import _settle
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
TEAM = ["ann1", "ann2", "ann3"]
DATA = Path(__file__).resolve().parents[1] / "data" / "team"


def _accounts(db_url: str) -> None:
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        initialise(engine, session, SEEDS_DIR)
        accounts.create_user(session, "admin", "admin", PASSWORD)
        accounts.create_user(session, "lead", "lead", PASSWORD)
        for name in TEAM:
            accounts.create_user(session, name, "annotator", PASSWORD)
    engine.dispose()


def _log_in(page: Any, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Log in").wait_for(timeout=30_000)
    _settle(page)
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_test_id("stSidebar").wait_for(timeout=30_000)
    _settle(page)


def _open(page: Any, link: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link).click()
    page.get_by_role("heading", name=link if link != "Import" else "Import articles").wait_for(
        timeout=30_000
    )
    _settle(page)


def _choose_project(page: Any, name: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("combobox").first.click()
    page.get_by_role("option", name=name).click()
    _settle(page)


def _assignments(db_url: str) -> dict[str, set[str]]:
    engine = make_engine(db_url)
    with session_factory(engine)() as session:
        rows = session.execute(
            select(User.name, Article.title)
            .join(Assignment, Assignment.annotator_id == User.id)
            .join(Article, Article.id == Assignment.article_id)
        ).all()
    engine.dispose()
    found: dict[str, set[str]] = {}
    for name, title in rows:
        found.setdefault(name, set()).add(title)
    return found


def test_lead_sets_up_a_team_and_each_annotator_sees_only_their_work(
    app_server: tuple[str, str], browser: Any
) -> None:
    url, db_url = app_server
    _accounts(db_url)
    lead = browser.new_page(viewport={"width": 1280, "height": 1000})
    _log_in(lead, url, "lead")
    _open(lead, "Projects")
    lead.get_by_label("Name").fill("team")
    lead.get_by_label("Overlap: annotators per sentence").fill("2")
    lead.get_by_label("Overlap: annotators per sentence").press("Enter")
    _settle(lead)
    lead.get_by_role("button", name="Create project").click()
    _settle(lead)
    _choose_project(lead, "team")
    _open(lead, "Import")
    lead.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(DATA / "budget.txt"), str(DATA / "more.csv")]
    )
    _settle(lead)
    lead.get_by_role("button", name="Import", exact=True).click()
    lead.get_by_text("3 article(s) imported; 0 file(s) rejected.").wait_for(timeout=30_000)
    _open(lead, "Progress")
    for name in TEAM:
        lead.get_by_role("combobox").last.click()
        lead.get_by_role("option", name=name).click()
        _settle(lead)
    lead.keyboard.press("Escape")
    lead.get_by_role("button", name="Assign").click()
    lead.get_by_text("6 new assignment(s)").wait_for(timeout=30_000)

    assigned = _assignments(db_url)
    assert sorted(assigned) == TEAM and sum(len(t) for t in assigned.values()) == 6
    pages = [browser.new_context().new_page() for _ in TEAM]
    for page, name in zip(pages, TEAM, strict=True):
        _log_in(page, url, name)
    for page, name in zip(pages, TEAM, strict=True):
        _choose_project(page, "team")
        page.get_by_test_id("stProgress").wait_for(timeout=30_000)
        _settle(page)
        article_box = page.get_by_test_id("stSidebar").get_by_role("combobox").nth(1)
        article_box.click()
        shown = {o.inner_text().split(". ", 1)[1] for o in page.get_by_role("option").all()}
        page.keyboard.press("Escape")
        assert shown == assigned[name], name

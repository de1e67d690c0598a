"""In Chromium: a lead creates a project with k=2, imports files, adds three annotators and
assigns; three annotators, logged in at the same time in three browsers, each see only their
own articles."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Article, Assignment, User
from tests.browser.pages import WAIT_MS, choose_project, log_in, open_page, settle
from tests.conftest import prepare_database

pytestmark = pytest.mark.browser
SessionFor = Callable[[str], AbstractContextManager[Session]]
TEAM = ["ann1", "ann2", "ann3"]
DATA = Path(__file__).resolve().parents[1] / "data" / "team"


@pytest.fixture
def assignments(session_for: SessionFor) -> Callable[[str], dict[str, set[str]]]:
    """`assignments(db_url)`: the titles of the articles assigned to each annotator."""

    def read(db_url: str) -> dict[str, set[str]]:
        with session_for(db_url) as session:
            rows = session.execute(
                select(User.name, Article.title)
                .join(Assignment, Assignment.annotator_id == User.id)
                .join(Article, Article.id == Assignment.article_id)
            ).all()
        found: dict[str, set[str]] = {}
        for name, title in rows:
            found.setdefault(name, set()).add(title)
        return found

    return read


def test_lead_sets_up_a_team_and_each_annotator_sees_only_their_work(
    app_server: tuple[str, str], browser: Any, assignments: Callable[[str], dict[str, set[str]]]
) -> None:
    url, db_url = app_server
    prepare_database(
        db_url, (("admin", "admin"), ("lead", "lead"), *((n, "annotator") for n in TEAM))
    )
    lead = browser.new_page(viewport={"width": 1280, "height": 1000})
    log_in(lead, url, "lead")
    open_page(lead, "Projects")
    lead.get_by_label("Name").fill("team")
    lead.get_by_label("Overlap: annotators per sentence").fill("2")
    lead.get_by_label("Overlap: annotators per sentence").press("Enter")
    settle(lead)
    lead.get_by_role("button", name="Create project").click()
    settle(lead)
    choose_project(lead, "team")
    open_page(lead, "Import")
    lead.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(DATA / "budget.txt"), str(DATA / "more.csv")]
    )
    settle(lead)
    lead.get_by_role("button", name="Import", exact=True).click()
    lead.get_by_text("3 articles imported; 0 files rejected.").wait_for(timeout=WAIT_MS)
    open_page(lead, "Progress")
    for name in TEAM:
        lead.get_by_role("combobox").last.click()
        lead.get_by_role("option", name=name).click()
        settle(lead)
    lead.keyboard.press("Escape")
    lead.get_by_role("button", name="Assign").click()
    lead.get_by_text("6 new assignments").wait_for(timeout=WAIT_MS)

    assigned = assignments(db_url)
    assert sorted(assigned) == TEAM and sum(len(t) for t in assigned.values()) == 6
    pages = [browser.new_context().new_page() for _ in TEAM]
    for page, name in zip(pages, TEAM, strict=True):
        log_in(page, url, name)
    for page, name in zip(pages, TEAM, strict=True):
        choose_project(page, "team")
        page.get_by_test_id("ca-progress").wait_for(timeout=WAIT_MS)
        settle(page)
        article_box = page.get_by_test_id("stSidebar").get_by_role("combobox").nth(1)
        article_box.click()
        shown = {o.inner_text().split(". ", 1)[1] for o in page.get_by_role("option").all()}
        page.keyboard.press("Escape")
        assert shown == assigned[name], name

"""In Chromium: an admin makes an existing lead a lead of a project the admin created, on the
Projects page; the lead then opens its Progress, Agreement and Adjudicate pages (issue 18,
item 10: before, no page could make her its lead, and those pages refused her)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.pages import WAIT_MS, open_page, settle, signed_in
from tests.teams import TEAM_PROJECT, build_team_project

pytestmark = pytest.mark.browser
NOT_A_LEAD = "'lena' is not a lead of this project"


def _add_lead(admin: Any, project: str, name: str) -> None:
    main = admin.get_by_test_id("stMain")
    main.get_by_label("Project", exact=True).click()
    admin.get_by_role("option", name=project, exact=True).click()
    settle(admin)
    main.get_by_label("Lead account").click()
    admin.get_by_role("option", name=name, exact=True).click()
    settle(admin)
    main.get_by_role("button", name="Add as lead").click()
    main.get_by_text(f"{name} now leads {project}.").wait_for(timeout=WAIT_MS)


def test_a_lead_an_admin_adds_on_the_projects_page_can_lead_the_project(
    app_server: tuple[str, str], browser: Any
) -> None:
    url, db_url = app_server
    build_team_project(db_url, creator="admin")
    admin = signed_in(browser, url, "admin")
    open_page(admin, "Projects")
    _add_lead(admin, TEAM_PROJECT, "lena")

    lena = signed_in(browser, url, "lena", TEAM_PROJECT)
    shown = {
        "Progress": "body sentences, each for 3 annotators",
        "Agreement": "Krippendorff's α",
        "Adjudicate": "Set by a lead",
    }
    for link, content in shown.items():
        open_page(lena, link)
        main = lena.get_by_test_id("stMain")
        main.get_by_text(content).first.wait_for(timeout=WAIT_MS)
        assert NOT_A_LEAD not in main.inner_text(), link

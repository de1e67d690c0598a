"""A checker, in Chromium, records verdicts for every gold factual claim of the seed project;
`export --kind claimreview` then gives valid ClaimReview objects for them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from annotator.services import accounts, fact_checking
from tests.browser.pages import WAIT_MS, choose_project, log_in, open_page, settle
from tests.conftest import PASSWORD
from tests.teams import TEAM_PROJECT, build_team_project

SessionFor = Callable[[str], AbstractContextManager[Session]]
ROOT = Path(__file__).resolve().parents[2]
VERDICTS = ["True", "Mostly false", "Unverifiable"]


def test_checker_records_verdicts_and_claimreview_export_is_valid(
    app_server: tuple[str, str], browser: Any, session_for: SessionFor
) -> None:
    url, db_url = app_server
    build_team_project(db_url)
    with session_for(db_url) as session:
        accounts.create_user(session, "fred", "annotator", PASSWORD)
        assert fact_checking.assign_checks(session, None, TEAM_PROJECT, ["fred"]).assigned == 3

    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    log_in(page, url, "fred")
    choose_project(page, TEAM_PROJECT)
    open_page(page, "Fact-check")
    for n, verdict in enumerate(VERDICTS):
        page.get_by_text(f"{3 - n} open, {n} done").wait_for(timeout=WAIT_MS)
        page.get_by_role("radio", name=verdict, exact=True).check(force=True)
        if verdict != "Unverifiable":
            page.get_by_label("Evidence URLs").fill(f"https://example.org/evidence/{n}")
        page.get_by_label("Rationale").fill(f"Checked against the record, claim {n}.")
        page.get_by_role("button", name="Save verdict").click()
        page.get_by_text("Verdict saved").wait_for(timeout=WAIT_MS)
        settle(page)
    page.get_by_text("0 open, 3 done").wait_for(timeout=WAIT_MS)

    out = subprocess.run(
        [sys.executable, "-m", "annotator", "export", "--db", db_url, "--project", TEAM_PROJECT,
         "--kind", "claimreview"],
        capture_output=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    reviews = [json.loads(line) for line in out.decode().splitlines()]
    assert sorted(r["reviewRating"]["alternateName"] for r in reviews) == sorted(VERDICTS)
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["claimReviewed"] and review["itemReviewed"]["@type"] == "Claim"
        rating = review["reviewRating"]
        assert {"ratingValue", "bestRating", "worstRating", "alternateName"} <= set(rating)
        assert review["author"]["@type"] == "Organization"

"""A lead, in Chromium: agreement of three annotators, the most disputed sentence opened from
it, gold set by key, and the gold export showing who decided."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tests.browser.pages import WAIT_MS, choose_project, log_in, open_page, settle
from tests.teams import MOST_DISPUTED, TEAM_PROJECT, build_team_project


def test_lead_settles_the_most_disputed_sentence_and_the_gold_export_shows_it(
    app_server: tuple[str, str], browser: Any, tmp_path: Path
) -> None:
    url, db_url = app_server
    sentences = build_team_project(db_url)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    log_in(page, url, "lena")
    choose_project(page, TEAM_PROJECT)
    open_page(page, "Agreement")
    alpha = page.get_by_test_id("stMetric").filter(has_text="Krippendorff's α").first
    assert "0.380" in alpha.inner_text() and "fair" in alpha.inner_text()

    page.get_by_role("button", name="Adjudicate").first.click()
    page.get_by_role("heading", name="Adjudicate").wait_for(timeout=WAIT_MS)
    settle(page)
    current = page.get_by_test_id("ca-current").inner_text()
    assert current.startswith("An agreement was concluded for expansion of cooperation")
    answers = page.get_by_test_id("stTable").inner_text()
    assert "Not a claim" in answers and "reads like a view to me" in answers

    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("2")  # Opinion
    page.get_by_text("Gold set for sentence").wait_for(timeout=WAIT_MS)
    settle(page)
    set_by_lead = page.get_by_test_id("stMetric").filter(has_text="Set by a lead")
    assert set_by_lead.inner_text().strip().endswith("1")

    open_page(page, "Export")
    page.get_by_text("gold", exact=True).click()
    settle(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=f"Download {TEAM_PROJECT}-gold.csv").click()
    saved = tmp_path / "gold.csv"
    download.value.save_as(saved)
    gold = pd.read_csv(saved).set_index("sentence_id")
    row = gold.loc[sentences[MOST_DISPUTED]]
    assert (row["claim_type"], row["decided_by"], row["n_labels"]) == ("opinion", "lena", 3)
    assert set(gold.drop(index=sentences[MOST_DISPUTED])["decided_by"]) == {"unanimous"}

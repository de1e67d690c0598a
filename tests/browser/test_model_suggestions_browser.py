"""In Chromium (issue 21, done when): the annotate page shows the model's suggestion, `Enter`
or a click on its button accepts it, and the CSV export of the labels carries what the
annotator was shown."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from tests.browser.pages import WAIT_MS, log_in_to_label, open_page, press_and_wait, signed_in
from tests.modelled import PROJECT, build_suggesting_project

pytestmark = pytest.mark.browser


def test_a_preselected_suggestion_is_accepted_with_enter_or_a_click_and_exported_with_the_label(
    app_server: tuple[str, str], browser: Any
) -> None:
    url, db_url = app_server
    build_suggesting_project(db_url, mode="preselected")
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    log_in_to_label(page, url, "ann")
    accept = page.get_by_role("button", name=re.compile(r"^Accept Factual claim"))
    accept.wait_for(timeout=WAIT_MS)
    assert accept.is_visible()
    factual = page.get_by_role("button", name=re.compile(r"^Factual claim · \d+%"))
    assert factual.is_visible()  # the suggested answer's button carries its confidence
    press_and_wait(page, "Enter", "1 of 18 labelled")
    assert "sentence 1 saved as Factual claim" in page.evaluate("document.body.innerText")
    clicked = page.get_by_role("button", name=re.compile(r"^Accept "))
    answer = clicked.evaluate("b => b.firstChild.textContent").removeprefix("Accept ")
    clicked.click()
    page.get_by_text("2 of 18 labelled").wait_for(timeout=WAIT_MS)
    page.get_by_text(f"sentence 2 saved as {answer}").wait_for(timeout=WAIT_MS)

    lead = signed_in(browser, url, "admin", PROJECT)
    open_page(lead, "Export")
    with lead.expect_download() as started:
        lead.get_by_role("button", name=re.compile(r"^Download")).click()
    rows = list(csv.DictReader(io.StringIO(started.value.path().read_text(encoding="utf-8"))))
    shown = [r for r in rows if r["suggestion"]]
    assert len(shown) == 2, "only the labels answered with a suggestion on screen record one"
    row = shown[0]
    assert (row["annotator"], row["claim_type"], row["suggestion"]) == ("ann", "factual", "factual")
    assert (row["suggestion_model"], row["suggestion_mode"]) == ("claim_type-v1", "preselected")
    assert 0.5 < float(row["suggestion_confidence"]) <= 1.0
    assert shown[1]["claim_type"] == shown[1]["suggestion"]  # the click stored the suggestion
    assert all(r["suggestion_mode"] == "" for r in rows if r not in shown)

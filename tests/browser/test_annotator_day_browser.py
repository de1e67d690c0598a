"""In Chromium, on a 1366×768 laptop: an annotator's day in a team project from login to the
end of her work, by keyboard alone, checking each trap an annotator fell into on the way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.pages import WAIT_MS, log_in_to_label, press_and_wait, settle
from tests.conftest import prepare_database

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
ARTICLE = """\
Desk test article
Published November 21, 2014

Russia is currently the largest supplier of helicopters to Pakistan.

What happens next?

The ministry said the talks on Monday were useful.
"""


def _box(page: Any, locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, "not on the page"
    return dict(box)


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_an_annotators_day_on_a_laptop_has_no_trap_from_login_to_all_done(
    app_server: tuple[str, str],
    browser: Any,
    run_cli: Callable[..., tuple[int, str, str]],
    tmp_path: Path,
) -> None:
    url, db_url = app_server
    prepare_database(db_url, (("admin", "admin"), ("maria", "annotator")))
    article = tmp_path / "desk.txt"
    article.write_text(ARTICLE)
    for command in (
        ("projects", "create", "desk"),
        ("import", str(article), "--project", "desk"),
        ("assign", "--project", "desk", "--annotators", "maria"),
    ):
        assert run_cli(db_url, *command)[0] == 0
    page = browser.new_page(viewport=LAPTOP)
    log_in_to_label(page, url, "maria")

    # 2. She lands in the project she works in, not in `default`.
    sidebar = page.get_by_test_id("stSidebar")
    assert "desk" in sidebar.get_by_role("combobox").first.input_value()
    # 8. The whole panel, down to the Back / Skip / Next row, fits on the laptop's screen.
    back = _box(page, page.get_by_role("button", name="Back"))
    assert back["y"] + back["height"] <= LAPTOP["height"]
    # 9. The keys list opens beside the sentence, not over it; Esc closes it.
    page.keyboard.press("?")
    keys_list = page.get_by_test_id("ca-keys")
    keys_list.wait_for(timeout=WAIT_MS)
    sentence = page.get_by_test_id("ca-current")
    assert not _overlap(_box(page, keys_list), _box(page, sentence))
    page.keyboard.press("Escape")
    keys_list.wait_for(state="hidden", timeout=WAIT_MS)
    # Opened with the mouse, it gives the keys back to the page too.
    page.get_by_text("Keys and definitions").click()
    keys_list.wait_for(timeout=WAIT_MS)
    page.wait_for_function("() => document.activeElement === document.body", timeout=WAIT_MS)
    page.keyboard.press("?")
    keys_list.wait_for(state="hidden", timeout=WAIT_MS)

    # 5. An answer is acknowledged, with the way to change it.
    press_and_wait(page, "3", "Sentence 2 of 3")
    caption = page.get_by_text("Your label:").inner_text()
    assert "✓ sentence 1 saved as Not a claim (← to change it)" in caption
    # 9. A skipped sentence looks skipped in the context, not labelled.
    press_and_wait(page, "s", "Sentence 3 of 3")
    skipped = page.get_by_test_id("ca-context").locator(".ca-skipped")
    assert skipped.inner_text() == "What happens next?"
    # 6. Back on the sentence answered "Not a claim": date-bound is off, the date closed.
    press_and_wait(page, "ArrowLeft", "Sentence 2 of 3")
    press_and_wait(page, "ArrowLeft", "Sentence 1 of 3")
    page.get_by_role("button", name="Date-bound: no").wait_for(timeout=WAIT_MS)
    assert page.get_by_label("As of · A").is_disabled()

    # 3. The last sentence left leads to the article's summary, not to a labelled sentence.
    press_and_wait(page, "u", "Sentence 3 of 3")
    press_and_wait(page, "1", "3 of 3 labelled")
    page.get_by_text("Article finished").wait_for(timeout=WAIT_MS)
    # 4. With no more work, Enter says so instead of doing nothing.
    page.keyboard.press("Enter")
    page.get_by_text("All done").wait_for(timeout=WAIT_MS)
    settle(page)
    assert page.get_by_role("button", name="Next article").count() == 0
    assert "3 of 3 overall" in page.get_by_test_id("ca-progress").inner_text()

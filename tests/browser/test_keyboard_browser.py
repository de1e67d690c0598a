"""In Chromium: a whole seed article labelled with every key of the page and nothing else; the
page holding still while labels are given; a fix made in the review table."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.ui.review import ROW_HEIGHT, SENTENCE_WIDTH
from db.models import Label, LabelHistory, Sentence
from tests.browser.pages import ALL_SAVED, WAIT_MS, log_in, press_and_wait, progress, settle
from tests.conftest import prepare_database

pytestmark = pytest.mark.browser
SessionFor = Callable[[str], AbstractContextManager[Session]]

Row = tuple[str | None, bool | None, dt.date | None, str, bool]
TURNED_ON = re.compile(r"Date-bound: yes(?! \(suggested)")  # by the annotator, not suggested


@pytest.fixture
def labels_in_order(session_for: SessionFor) -> Callable[[str], list[Row | None]]:
    """`labels_in_order(db_url)`: the admin's labels of the first seed article, one entry per
    body sentence in order."""

    def read(db_url: str) -> list[Row | None]:
        with session_for(db_url) as session:
            body = session.scalars(
                select(Sentence.id)
                .where(Sentence.article_id == 1, Sentence.role == "body")
                .order_by(Sentence.index)
            ).all()
            labels = {label.sentence_id: label for label in session.scalars(select(Label))}
        return [
            (lab.claim_type, lab.date_bound, lab.as_of, lab.note, lab.skipped)
            if (lab := labels.get(sentence_id))
            else None
            for sentence_id in body
        ]

    return read


@pytest.fixture
def history(session_for: SessionFor) -> Callable[[str], list[dict[str, object]]]:
    """`history(db_url)`: the new values of every label history row, oldest first."""

    def read(db_url: str) -> list[dict[str, object]]:
        with session_for(db_url) as session:
            rows = session.scalars(select(LabelHistory).order_by(LabelHistory.id)).all()
            return [json.loads(row.new) for row in rows]

    return read


def _start(page: Any, url: str, db_url: str) -> None:
    prepare_database(db_url, (("admin", "admin"),))
    log_in(page, url, "admin")
    page.get_by_test_id("ca-progress").wait_for(timeout=WAIT_MS)
    settle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")


@pytest.fixture
def annotating(app_server: tuple[str, str], browser: Any) -> tuple[Any, str]:
    """A 1280×900 tab with the admin on the annotate page at the first seed article's first
    sentence, nothing focused; and the database's URL."""
    url, db_url = app_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _start(page, url, db_url)
    return page, db_url


def _type_into(page: Any, key: str, label_start: str, text: str, leave: str) -> None:
    """Press `key`, check it focused the input, type, leave with `leave`, wait for the rerun."""
    page.keyboard.press(key)
    page.wait_for_function(
        "start => (document.activeElement.getAttribute('aria-label') || '').startsWith(start)",
        arg=label_start,
        timeout=WAIT_MS,
    )
    page.keyboard.type(text)
    page.keyboard.press(leave)
    page.wait_for_function("() => document.activeElement === document.body", timeout=WAIT_MS)
    settle(page)


def test_a_whole_seed_article_is_labelled_with_every_key_and_stored_as_given(
    annotating: tuple[Any, str],
    labels_in_order: Callable[[str], list[Row | None]],
    history: Callable[[str], list[dict[str, object]]],
) -> None:
    page, db_url = annotating

    page.keyboard.press("?")
    page.get_by_test_id("ca-keys").wait_for(timeout=WAIT_MS)
    assert "Jump to the first unlabelled sentence" in page.get_by_test_id("ca-keys").inner_text()
    # The admin's sidebar is long: the list opens scrolled into view, not below the fold.
    page.wait_for_function(
        "() => document.querySelector('[data-testid=ca-keys]').getBoundingClientRect().y < 800",
        timeout=WAIT_MS,
    )
    page.keyboard.press("Escape")
    page.get_by_test_id("ca-keys").wait_for(state="hidden", timeout=WAIT_MS)

    page.get_by_role("button", name="Date-bound: no (suggested)").wait_for()  # "on Monday"
    page.keyboard.press("d")  # turned on: the as-of date opens for typing
    page.get_by_role("button", name=TURNED_ON).wait_for(timeout=WAIT_MS)
    settle(page)
    _type_into(page, "a", "As of", "2014-11-17", "Enter")
    press_and_wait(page, "1", "Sentence 2 of 12")
    _type_into(page, "n", "Note", "unclear wording", "Escape")
    press_and_wait(page, "s", "Sentence 3 of 12")
    press_and_wait(page, "2", "Sentence 4 of 12")
    press_and_wait(page, "ArrowRight", "Sentence 5 of 12")  # sentence 4 left for later
    page.keyboard.press("d")  # "during the 20th century": suggested no, turned on
    page.get_by_role("button", name=TURNED_ON).wait_for(timeout=WAIT_MS)
    settle(page)
    press_and_wait(page, "1", "Sentence 6 of 12")
    press_and_wait(page, "ArrowLeft", "Sentence 5 of 12")
    press_and_wait(page, "3", "Sentence 6 of 12")
    press_and_wait(page, "1", "Sentence 7 of 12")  # "had increased": suggested no
    _type_into(page, "n", "Note", "check the year", "Control+Enter")
    press_and_wait(page, "1", "Sentence 8 of 12")  # "during 2014": suggested no, no as-of
    for n, key in enumerate("23232", start=8):
        press_and_wait(page, key, f"Sentence {n + 1} of 12" if n < 12 else "11 of 12 labelled")
    page.get_by_text("1 sentence of this article not labelled yet.").wait_for()
    press_and_wait(page, "u", "Sentence 4 of 12")
    press_and_wait(page, "3", "12 of 12 labelled")  # the last one left: on to the summary
    page.get_by_text("Article finished").wait_for(timeout=WAIT_MS)
    press_and_wait(page, "Enter", "Sentence 1 of 8")

    factual = "factual"
    assert labels_in_order(db_url) == [
        (factual, True, dt.date(2014, 11, 17), "", False),
        (None, None, None, "unclear wording", True),
        ("opinion", None, None, "", False),
        ("not_claim", None, None, "", False),
        ("not_claim", None, None, "", False),
        (factual, False, None, "", False),
        (factual, False, None, "check the year", False),
        ("opinion", None, None, "", False),
        ("not_claim", None, None, "", False),
        ("opinion", None, None, "", False),
        ("not_claim", None, None, "", False),
        ("opinion", None, None, "", False),
    ]
    assert all("suggest" not in " ".join(change) for change in history(db_url))


SAMPLER = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const buttons = () => [...document.querySelectorAll(
    '[data-testid=ca-panel] .ca-labels button, [data-testid=ca-panel] input.ca-as-of')];
  // Buttons are drawn afresh per sentence: ignore any caught without a size.
  const box = () => buttons().map(b => b.getBoundingClientRect()).filter(r => r.width > 0)
    .map(r => [r.x, r.y, r.width, r.height].join(',')).join(' ');
  window.caLayout = {first: box(), scroll: main.scrollTop, moved: [], frames: 0};
  (function sample() {
    const now = box();
    if (now && now !== window.caLayout.first) window.caLayout.moved.push(now);
    if (main.scrollTop !== window.caLayout.scroll) window.caLayout.moved.push('scroll');
    window.caLayout.frames += 1;
    requestAnimationFrame(sample);
  })();
}"""


CURRENT_IN_VIEW = """() => {
  const at = document.querySelector('[data-testid=ca-current]').getBoundingClientRect();
  const box = document.querySelector('[data-testid=ca-context]').getBoundingClientRect();
  return at.top >= box.top && at.top < box.bottom;
}"""


def test_the_label_buttons_the_as_of_date_and_the_scroll_position_hold_still_across_ten_labels(
    app_server: tuple[str, str], browser: Any, labels_in_order: Callable[[str], list[Row | None]]
) -> None:
    url, db_url = app_server
    page = browser.new_page(viewport={"width": 1280, "height": 600})
    _start(page, url, db_url)
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop = 100000")
    settle(page)
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop") > 0
    page.evaluate(SAMPLER)
    in_view = []
    for n in range(10):
        press_and_wait(page, "123"[n % 3], f"Sentence {n + 2} of 12")
        in_view.append(page.evaluate(CURRENT_IN_VIEW))
    layout = page.evaluate("window.caLayout")
    assert layout["frames"] > 10 and layout["first"].count(",") == 12  # buttons and as-of
    assert layout["moved"] == []
    # The context box is short on a 600-px window: it scrolls to each new current sentence.
    assert in_view == [True] * 10
    assert len(labels_in_order(db_url)) == 12 and None not in labels_in_order(db_url)[:10]


def test_a_label_fixed_in_the_review_table_is_saved_and_enter_there_stays_in_the_table(
    annotating: tuple[Any, str],
    labels_in_order: Callable[[str], list[Row | None]],
    history: Callable[[str], list[dict[str, object]]],
) -> None:
    page, db_url = annotating
    for n in range(12):
        press_and_wait(page, "2", f"Sentence {n + 2} of" if n < 11 else "12 of 12 labelled")
    page.get_by_text("Article finished").wait_for(timeout=WAIT_MS)
    settle(page)
    grid = page.get_by_test_id("stDataFrame").bounding_box()
    assert grid["height"] >= 12 * ROW_HEIGHT  # every row shown: the table does not scroll
    # The label column starts after "#" (36 px) and the sentence; the header is 35 px high.
    page.mouse.click(grid["x"] + 36 + SENTENCE_WIDTH + 50, grid["y"] + 35 + 2.5 * ROW_HEIGHT)
    # Under load the grid takes the focus a little after the click: Enter before that would
    # reach the page and press "Next article".
    page.wait_for_function(
        "() => document.activeElement?.closest('[data-testid=stDataFrame]') != null",
        timeout=WAIT_MS,
    )
    page.keyboard.press("Enter")  # opens the cell's editor, not the next article
    # The editor opens on a later frame, in the grid's overlay; typing before it is lost.
    page.locator("[id^='gdg-overlay-'] input").first.wait_for(timeout=WAIT_MS)
    page.keyboard.type("Fact")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stDataFrame]')].length === 1",
        timeout=WAIT_MS,
    )
    for _ in range(WAIT_MS // 150):  # the save runs in the change callback's rerun: wait
        if labels_in_order(db_url)[2][0] == "factual":
            break
        page.wait_for_timeout(150)
    settle(page)
    assert progress(page).startswith("Sentence 12 of 12")
    labels = labels_in_order(db_url)
    assert labels[2] == ("factual", False, None, "", False)
    assert [change["claim_type"] for change in history(db_url)][-1] == "factual"
    assert len(history(db_url)) == 13


def test_a_second_quick_press_labels_the_sentence_on_screen_then_never_the_first_again(
    annotating: tuple[Any, str], labels_in_order: Callable[[str], list[Row | None]]
) -> None:
    """The panel moves on at once, so the second press meets sentence 2 on screen: it labels
    sentence 2, and sentence 1 keeps the one answer it was given."""
    page, db_url = annotating
    page.keyboard.press("2")
    page.keyboard.press("2")
    page.get_by_text("Sentence 3 of 12").wait_for(timeout=WAIT_MS)
    page.wait_for_selector(ALL_SAVED, state="attached", timeout=WAIT_MS)
    settle(page)
    assert progress(page).startswith("Sentence 3 of 12")
    opinion = ("opinion", None, None, "", False)
    assert labels_in_order(db_url)[:3] == [opinion, opinion, None]


def test_a_held_key_labels_one_sentence_only(
    annotating: tuple[Any, str], labels_in_order: Callable[[str], list[Row | None]]
) -> None:
    page, db_url = annotating
    page.keyboard.down("3")
    page.get_by_text("Sentence 2 of 12").wait_for(timeout=WAIT_MS)
    settle(page)
    for _ in range(3):  # the key is still held: the browser repeats it on sentence 2
        page.keyboard.down("3")
        settle(page)
    page.keyboard.up("3")
    assert progress(page).startswith("Sentence 2 of 12")
    assert labels_in_order(db_url)[:2] == [("not_claim", None, None, "", False), None]


def test_the_keys_label_at_once_after_choosing_an_article_in_the_sidebar(
    annotating: tuple[Any, str], labels_in_order: Callable[[str], list[Row | None]]
) -> None:
    page, db_url = annotating
    sidebar = page.get_by_test_id("stSidebar")
    articles = sidebar.get_by_role("combobox").nth(1)  # the article selector
    articles.scroll_into_view_if_needed()  # an admin's sidebar is long: it may be cut off
    settle(page)
    articles.click()
    page.get_by_role("option").nth(1).click()
    settle(page)
    sidebar.get_by_role("combobox").nth(1).click()
    page.get_by_role("option").nth(0).click()  # back to the first article
    settle(page)
    press_and_wait(page, "2", "Sentence 2 of 12")
    sidebar.get_by_role("combobox").nth(1).click()
    page.keyboard.press("Escape")  # opened and left without choosing
    settle(page)
    press_and_wait(page, "3", "Sentence 3 of 12")
    assert labels_in_order(db_url)[:3] == [
        ("opinion", None, None, "", False),
        ("not_claim", None, None, "", False),
        None,
    ]

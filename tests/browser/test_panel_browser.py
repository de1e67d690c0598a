"""In Chromium: the annotate panel (issue 22) keeps up with fast typing, replays answers it
never had acknowledged after a reload, and shows a refused save as refused."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from annotator.services import accounts, labelling
from annotator.services.labelling import LabelInput
from db.models import Label, LabelEvent, LabelHistory, Sentence, User
from tests.browser.conftest import _start, _stop, free_port
from tests.browser.pages import (
    ALL_SAVED,
    WAIT_MS,
    log_in_to_label,
    open_page,
    press_and_wait,
    progress,
    settle,
)
from tests.conftest import PASSWORD, prepare_database

pytestmark = pytest.mark.browser
SessionFor = Callable[[str], AbstractContextManager[Session]]
CLAIMS = {"1": "factual", "2": "opinion", "3": "not_claim"}
QUEUE = "JSON.parse(sessionStorage.getItem('ca-panel') || 'null')"


@pytest.fixture
def stored(session_for: SessionFor) -> Callable[[str], dict[str, Any]]:
    """`stored(db_url)`: ann's claim types for the first article's body sentences in order,
    the number of history rows, and the sequence numbers of the saved panel events."""

    def read(db_url: str) -> dict[str, Any]:
        with session_for(db_url) as session, session.begin():
            ann = session.scalar(select(User.id).where(User.name == "ann"))
            body = session.scalars(
                select(Sentence.id)
                .where(Sentence.article_id == 1, Sentence.role == "body")
                .order_by(Sentence.index)
            ).all()
            labels = {
                label.sentence_id: label.claim_type
                for label in session.scalars(select(Label).where(Label.annotator_id == ann))
            }
            history = len(session.scalars(select(LabelHistory)).all())
            events = session.scalars(select(LabelEvent.seq).order_by(LabelEvent.id)).all()
        return {"claims": [labels.get(i) for i in body], "history": history, "events": events}

    return read


@pytest.fixture
def annotating(app_server: tuple[str, str], browser: Any) -> tuple[Any, str]:
    """ann's tab on the first sentence of the first seed article (12 body sentences)."""
    url, db_url = app_server
    prepare_database(db_url, (("admin", "admin"), ("ann", "annotator")))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in_to_label(page, url, "ann")
    return page, db_url


def test_fast_typing_stores_every_label_once_in_order(
    annotating: tuple[Any, str], stored: Callable[[str], dict[str, Any]]
) -> None:
    page, db_url = annotating
    keys = "123" * 4
    page.keyboard.type(keys, delay=40)  # 25 keys a second, far faster than a round trip
    page.get_by_text("Article finished").wait_for(timeout=WAIT_MS)
    page.wait_for_selector(ALL_SAVED, state="attached", timeout=WAIT_MS)
    settle(page)
    assert "12 of 12 labelled" in progress(page)
    result = stored(db_url)
    assert result["claims"] == [CLAIMS[key] for key in keys]
    assert result["history"] == 12  # each answer saved once
    assert result["events"] == list(range(1, 13))  # in the order typed


def _hold_answers(page: Any) -> list[bool]:
    """Route the page's websocket so that, while the returned flag is set, nothing the page
    sends reaches the server (a connection that drops the tab's messages)."""
    holding = [False]

    def route(socket: Any) -> None:
        server = socket.connect_to_server()
        socket.on_message(lambda message: None if holding[0] else server.send(message))
        server.on_message(socket.send)

    page.route_web_socket("**/_stcore/stream", route)
    return holding


def test_answers_pending_at_a_reload_are_saved_once_after_it(
    app_server: tuple[str, str], browser: Any, stored: Callable[[str], dict[str, Any]]
) -> None:
    url, db_url = app_server
    prepare_database(db_url, (("admin", "admin"), ("ann", "annotator")))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    holding = _hold_answers(page)
    log_in_to_label(page, url, "ann")
    page.keyboard.type("12", delay=40)
    page.wait_for_function("() => document.querySelector('[data-testid=ca-progress]')"
                           ".innerText.includes('Sentence 3 of')", timeout=WAIT_MS)  # fmt: skip
    holding[0] = True
    page.keyboard.type("321", delay=40)  # shown at once, never reaching the server
    page.get_by_text("Sentence 6 of 12").wait_for(timeout=WAIT_MS)
    assert "sentence 5 saving as Factual claim" in page.get_by_text("Your label:").inner_text()
    page.wait_for_timeout(500)
    pending = page.evaluate(QUEUE)["queue"]
    assert [event["seq"] for event in pending][-3:] == [3, 4, 5]
    assert page.get_by_test_id("ca-panel").get_attribute("data-pending") != "0"
    assert stored(db_url)["claims"][2:5] == [None, None, None]
    holding[0] = False
    page.reload()
    page.wait_for_selector(ALL_SAVED, state="attached", timeout=WAIT_MS)
    settle(page)
    result = stored(db_url)
    assert result["claims"][:5] == ["factual", "opinion", "not_claim", "opinion", "factual"]
    assert result["history"] == 5 and result["events"] == [1, 2, 3, 4, 5]
    assert page.evaluate(QUEUE)["queue"] == []
    assert progress(page).startswith("Sentence 6 of 12")


def test_a_save_the_server_refuses_is_shown_as_refused_never_as_saved(
    annotating: tuple[Any, str],
    session_for: SessionFor,
    stored: Callable[[str], dict[str, Any]],
) -> None:
    """Another tab of ann's labels sentence 1 after this tab showed it unlabelled: this
    tab's answer would revert it, so the server refuses it, and the panel says so."""
    page, db_url = annotating
    with session_for(db_url) as session:
        ann = accounts.authenticate(session, "ann", PASSWORD)
        article = labelling.article_list(session, ann, "default")[0]
        first = labelling.load_article(session, ann, article.id).body[0]
        labelling.save_label(session, ann, first.id, LabelInput("opinion"), 1.0)
    page.keyboard.press("1")
    page.wait_for_selector(ALL_SAVED, state="attached", timeout=WAIT_MS)
    settle(page)
    assert progress(page).startswith("Sentence 2 of 12")
    assert "refused" in page.get_by_text("Your label:").inner_text()
    page.keyboard.press("ArrowLeft")
    caption = page.get_by_text("Your label:").inner_text()
    assert caption.startswith("Your label: Opinion · refused: ")
    assert "changed in another tab" in caption and "saved" not in caption.split("refused")[0]
    assert stored(db_url)["claims"][0] == "opinion"


def test_a_disabled_account_mid_stream_stores_nothing_more_and_signs_the_tab_out(
    annotating: tuple[Any, str],
    session_for: SessionFor,
    stored: Callable[[str], dict[str, Any]],
) -> None:
    page, db_url = annotating
    page.keyboard.type("12", delay=40)
    page.wait_for_selector(ALL_SAVED, state="attached", timeout=WAIT_MS)
    settle(page)
    with session_for(db_url) as session, session.begin():
        session.execute(update(User).where(User.name == "ann").values(active=False))
    page.keyboard.press("3")
    page.get_by_role("button", name="Log in").wait_for(timeout=WAIT_MS)
    settle(page)
    result = stored(db_url)
    assert result["claims"][:3] == ["factual", "opinion", None]
    # The answer the server never took stays in the tab, unacknowledged: never shown saved.
    queue = page.evaluate(QUEUE)["queue"]
    assert [json.dumps(e["claim_type"]) for e in queue] == ['"not_claim"']


def test_answers_pending_when_the_server_is_killed_are_saved_once_after_its_restart(
    tmp_path: Path, browser: Any, stored: Callable[[str], dict[str, Any]]
) -> None:
    """SIGKILL the app server while two answers are on their way; a new server on the same
    address: the tab reconnects by itself and its answers are saved, each once."""
    db_url = f"sqlite:///{tmp_path / 'panel.db'}"
    prepare_database(db_url, (("admin", "admin"), ("ann", "annotator")))
    port, log = free_port(), tmp_path / "streamlit.log"
    server, url = _start(db_url, log, port=port)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        holding = _hold_answers(page)
        log_in_to_label(page, url, "ann")
        page.keyboard.type("12", delay=40)
        page.wait_for_selector(ALL_SAVED, state="attached", timeout=WAIT_MS)
        holding[0] = True
        page.keyboard.type("31", delay=40)
        page.get_by_text("Sentence 5 of 12").wait_for(timeout=WAIT_MS)
        server.kill()
        server.wait(timeout=30)
        assert stored(db_url)["claims"][:4] == ["factual", "opinion", None, None]
        holding[0] = False
        server, url = _start(db_url, log, port=port)
        page.wait_for_selector(ALL_SAVED, state="attached", timeout=WAIT_MS)
        settle(page)
    finally:
        _stop(server)
    result = stored(db_url)
    assert result["claims"][:5] == ["factual", "opinion", "not_claim", "factual", None]
    assert result["history"] == 4 and result["events"] == [1, 2, 3, 4]


def test_each_panel_button_shows_its_key_and_keeps_its_name(
    annotating: tuple[Any, str],
) -> None:
    page, _ = annotating
    hints = page.locator("[data-testid=ca-panel] .ca-kbd").all_inner_texts()
    assert hints == ["1", "2", "3", "D", "S", "U"]  # ← and → are on Back and Next already
    for name in ("Factual claim", "Opinion", "Not a claim", "Skip", "Unlabelled"):
        assert page.get_by_role("button", name=name, exact=True).is_visible()
    page.get_by_role("button", name="Opinion", exact=True).click()
    page.get_by_text("Sentence 2 of 12").wait_for(timeout=WAIT_MS)


def _name(button: Any) -> str:
    """A panel button's text without the key it shows."""
    return str(button.evaluate("b => b.firstChild.textContent"))


def test_the_switch_shows_the_annotators_own_answer_and_typed_text_waits_for_the_answer(
    annotating: tuple[Any, str], session_for: SessionFor
) -> None:
    """What moved into the panel with issue 22: a saved factual answer wins over the
    suggestion, another type turns the switch off, and a note or date typed before
    answering survives moving away and back and a visit to another page."""
    page, db_url = annotating
    switch = page.locator("[data-testid=ca-panel] .ca-date-bound")
    as_of = page.get_by_label("As of · A")
    note = page.get_by_label(re.compile("also the reason when you skip"))
    assert _name(switch) == "Date-bound: no (suggested)"  # "... on Monday"
    page.keyboard.press("d")
    as_of.fill("2014-11-17")
    note.fill("check the day")
    note.press("Enter")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    assert (as_of.input_value(), note.input_value()) == ("2014-11-17", "check the day")
    assert _name(switch) == "Date-bound: yes"
    open_page(page, "Account")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Annotate").click()
    page.get_by_test_id("ca-progress").wait_for(timeout=WAIT_MS)
    settle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    assert (as_of.input_value(), note.input_value()) == ("2014-11-17", "check the day")
    press_and_wait(page, "1", "Sentence 2 of 12")
    press_and_wait(page, "ArrowLeft", "Sentence 1 of 12")
    assert _name(switch) == "Date-bound: yes"  # the saved answer, not the suggestion
    assert "✓" not in page.get_by_text("Your label:").inner_text()
    press_and_wait(page, "2", "Sentence 2 of 12")
    assert (
        "✓ sentence 1 saved as Opinion (← to change it)"
        in page.get_by_text("Your label:").inner_text()
    )
    press_and_wait(page, "ArrowLeft", "Sentence 1 of 12")
    assert _name(switch) == "Date-bound: no" and as_of.is_disabled()
    with session_for(db_url) as session, session.begin():
        label = session.scalar(select(Label).where(Label.sentence_id == 3))
        assert label is not None and (label.claim_type, label.note) == ("opinion", "check the day")

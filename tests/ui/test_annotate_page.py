"""The annotate page without a browser (AppTest): what it gives the annotate panel (temporal
expressions, the date-bound suggestion, text as data), how it saves and acknowledges the
panel's answers, the keys list and script, the summary and its review table. What the panel
does in the browser with a key is in tests/browser/test_keyboard_browser.py and
tests/browser/test_panel_browser.py."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from annotator.services.importing import import_file
from db.models import Label, LabelHistory
from tests.conftest import prepare_database
from tests.ui import panel_driver as panel

ARTICLE = (
    "Ministry <b>update</b>\n\n"
    "Published November 21, 2014\n\n"
    "The <i>ministry</i> said that as of Monday <script>alert(1)</script> exports had risen. "
    "Officials called the rise welcome.\n\n"
    "Talks are under way."
)


@pytest.fixture
def app_db(app_db: str, app_sessions: sessionmaker[Session]) -> str:
    """The app's database with one article (markup and a temporal expression in its first
    sentence) and the admin account."""
    prepare_database(app_db, (("admin", "admin"),), seeds=None)
    with app_sessions() as session:
        assert import_file(session, "default", "a.txt", ARTICLE.encode()).status == "imported"
    return app_db


@pytest.fixture
def at(app_db: str, open_page: Callable[..., AppTest]) -> AppTest:
    """The admin logged in, on the annotate page at the article's first sentence."""
    at = open_page("admin")
    assert not at.exception
    return at


def _rows(sessions: sessionmaker[Session]) -> tuple[list[Label], list[LabelHistory]]:
    with sessions() as session:
        labels = list(session.scalars(select(Label).order_by(Label.sentence_id)))
        history = list(session.scalars(select(LabelHistory).order_by(LabelHistory.id)))
    return labels, history


def _html(at: AppTest, marker: str) -> str:
    return next(e.proto.body for e in at.get("html") if marker in e.proto.body)


def test_the_temporal_expression_goes_to_the_panel_with_its_date_and_the_text_as_data(
    at: AppTest,
) -> None:
    first = panel.current(at)
    assert ["Monday", "2014-11-17"] in first["pieces"]
    assert "".join(text for text, _ in first["pieces"]) == (
        "The <i>ministry</i> said that as of Monday <script>alert(1)</script> exports had risen."
    )
    # Text reaches the page only as the panel's data, never as markup of an html element.
    assert not any("ministry" in e.proto.body for e in at.get("html"))


def test_the_date_bound_suggestion_goes_to_the_panel_and_moving_stores_nothing(
    app_sessions: sessionmaker[Session], at: AppTest
) -> None:
    assert panel.current(at)["date_bound"] == [True, "2014-11-17"]  # "as of Monday"
    panel.go_to(at, 1)
    panel.go_to(at, 0)
    panel.go_to(at, 3)  # the summary, and back
    panel.go_to(at, 0)
    assert not at.exception
    assert _rows(app_sessions) == ([], [])


def test_answers_are_saved_as_sent_and_history_says_nothing_of_suggestions(
    app_sessions: sessionmaker[Session], at: AppTest
) -> None:
    panel.answer(at, "factual", date_bound=True, as_of="2014-11-17")
    panel.answer(at, "factual", date_bound=False)
    (as_of_monday, called), changes = _rows(app_sessions)
    assert (as_of_monday.claim_type, as_of_monday.date_bound, as_of_monday.as_of.isoformat()) == (
        "factual",
        True,
        "2014-11-17",
    )
    assert (called.claim_type, called.date_bound, called.as_of) == ("factual", False, None)
    for change in changes:
        keys = set(json.loads(change.new))
        assert keys == {"claim_type", "skipped", "date_bound", "as_of", "note"}
    assert [a["state"] for a in panel.acks(at).values()] == ["saved", "saved"]


def test_a_typed_as_of_date_is_saved_and_a_bad_one_is_refused_with_a_message(
    app_sessions: sessionmaker[Session], at: AppTest
) -> None:
    first = panel.current(at)["id"]
    panel.answer(at, "factual", date_bound=True, as_of="2014-11-20")
    assert _rows(app_sessions)[0][0].as_of.isoformat() == "2014-11-20"
    panel.answer(at, "factual", sentence=first, date_bound=True, as_of="20 Nov")
    refused = panel.acks(at)["2"]
    assert refused["state"] == "refused" and "YYYY-MM-DD" in refused["message"]
    assert _rows(app_sessions)[0][0].as_of.isoformat() == "2014-11-20"


def test_a_replayed_answer_is_acknowledged_and_saved_once(
    app_sessions: sessionmaker[Session], at: AppTest
) -> None:
    panel.answer(at, "opinion")
    event = {"seq": 1, "sentence": panel.data(at)["body"][0]["id"], "claim_type": "opinion"}
    panel.send(at, [event, {**event, "seq": 2, "sentence": panel.data(at)["body"][1]["id"]}])
    labels, history = _rows(app_sessions)
    assert len(labels) == 2 and len(history) == 2
    assert set(panel.acks(at)) == {"1", "2"}


def test_the_keys_list_names_every_key_and_the_script_carries_no_article_text(
    at: AppTest,
) -> None:
    keys = _html(at, "ca-keys")
    for key in ("1", "2", "3", "D", "A", "N", "S", "←", "→", "U", "Enter", "?"):
        assert f"<kbd>{key}</kbd>" in keys
    (script,) = [e for e in at.get("html") if "<script>" in e.proto.body]
    assert script.proto.unsafe_allow_javascript
    assert "ministry" not in script.proto.body and "Monday" not in script.proto.body
    assert "ministry" not in panel.panel(at).js_content


def test_the_summary_button_moves_the_panel_to_the_first_unlabelled_sentence(
    at: AppTest,
) -> None:
    panel.go_to(at, 1)
    panel.answer(at, "opinion")
    panel.answer(at, "opinion")
    assert at.warning[0].value == "1 sentence of this article not labelled yet."
    jump = panel.data(at)["jump"]
    at.button(key="first_unlabelled").click().run()
    assert panel.data(at)["position"] == 0 and panel.data(at)["jump"] == jump + 1
    assert not at.warning


def test_the_finished_summary_offers_an_editable_table_of_the_articles_answers(
    at: AppTest,
) -> None:
    panel.answer(at, "factual", date_bound=True, as_of="2014-11-17")
    panel.answer(at, "opinion")
    panel.answer(at, None, skipped=True)
    assert at.success[0].value.startswith("Article finished")
    (editor,) = at.data_editor
    assert editor.editing_mode == "fixed"
    assert editor.value["label"].tolist() == ["Factual claim", "Opinion", "(skipped)"]
    assert editor.value["date-bound"].tolist() == [True, False, False]


def test_a_stale_tab_cannot_revert_a_label_saved_in_another_tab(
    app_sessions: sessionmaker[Session], at: AppTest, open_page: Callable[..., AppTest]
) -> None:
    first = panel.current(at)["id"]
    panel.answer(at, "factual")
    other = open_page("admin")
    panel.answer(other, "opinion", sentence=first)
    stale = panel.data(at)["labels"][str(first)]["updated_at"]
    event = {"seq": 9, "sentence": first, "claim_type": "factual", "note": "only the note"}
    panel.send(at, [{**event, "seen": stale}])
    refused = panel.acks(at)["9"]
    assert refused["state"] == "refused" and "changed in another tab" in refused["message"]
    assert panel.data(at)["labels"][str(first)]["claim_type"] == "opinion"  # shown as stored
    (label,), history = _rows(app_sessions)
    assert (label.claim_type, label.note) == ("opinion", "")
    assert len(history) == 2

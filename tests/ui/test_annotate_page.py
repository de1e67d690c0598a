"""The annotate page without a browser (AppTest): temporal highlights, the date-bound
suggestion, the keys list and script, jumping to unlabelled work, the review table."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import TextInput

from annotator.services.importing import import_file
from db.models import Label, LabelHistory
from tests.conftest import prepare_database
from tests.ui.conftest import SentenceButton

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


def _progress(at: AppTest) -> str:
    return str(at.get("progress")[0].proto.text)


def test_the_temporal_expression_is_highlighted_with_its_date_and_the_text_stays_escaped(
    at: AppTest,
) -> None:
    box = _html(at, "ca-context")
    assert '<span class="ca-time" title="2014-11-17">Monday</span>' in box
    assert "The &lt;i&gt;ministry&lt;/i&gt; said that as of " in box
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in box
    assert "<script" not in box and "<i>" not in box


def test_viewing_toggling_and_moving_past_a_suggested_sentence_stores_nothing(
    app_sessions: sessionmaker[Session], at: AppTest, sentence_button: SentenceButton
) -> None:
    assert sentence_button(at, "date_bound").label == "Date-bound: yes (suggested)"
    assert at.text_input(key=next(k for k in at.session_state if k.startswith("as_of_")))
    sentence_button(at, "date_bound").click().run()
    assert sentence_button(at, "date_bound").label == "Date-bound: no"
    at.button(key="next").click().run()
    at.button(key="back").click().run()
    assert _rows(app_sessions) == ([], [])


def test_pressing_factual_saves_what_the_switch_shows_and_history_says_nothing_of_it(
    app_sessions: sessionmaker[Session], at: AppTest, sentence_button: SentenceButton
) -> None:
    assert sentence_button(at, "date_bound").label == "Date-bound: yes (suggested)"  # as of
    sentence_button(at, "type_factual").click().run()
    assert sentence_button(at, "date_bound").label == "Date-bound: no (suggested)"  # called
    sentence_button(at, "type_factual").click().run()
    (as_of_monday, called), changes = _rows(app_sessions)
    assert (as_of_monday.claim_type, as_of_monday.date_bound, as_of_monday.as_of.isoformat()) == (
        "factual",
        True,
        "2014-11-17",  # the day the sentence names ("as of Monday"), not the publication date
    )
    assert (called.claim_type, called.date_bound, called.as_of) == ("factual", False, None)
    for change in changes:
        keys = set(json.loads(change.new))
        assert keys == {"claim_type", "skipped", "date_bound", "as_of", "note"}


def test_a_typed_as_of_date_is_saved_and_a_bad_one_is_refused_with_a_message(
    app_sessions: sessionmaker[Session], at: AppTest, sentence_button: SentenceButton
) -> None:
    as_of = next(w for w in at.text_input if w.key and w.key.startswith("as_of_"))
    as_of.input("2014-11-20").run()
    sentence_button(at, "type_factual").click().run()
    assert _rows(app_sessions)[0][0].as_of.isoformat() == "2014-11-20"
    at.button(key="back").click().run()
    as_of = next(w for w in at.text_input if w.key and w.key.startswith("as_of_"))
    as_of.input("20 Nov").run()
    assert "YYYY-MM-DD" in at.error[0].value
    assert _rows(app_sessions)[0][0].as_of.isoformat() == "2014-11-20"


def test_the_keys_list_names_every_key_and_the_script_carries_no_article_text(
    at: AppTest,
) -> None:
    keys = _html(at, "ca-keys")
    for key in ("1", "2", "3", "D", "A", "N", "S", "←", "→", "U", "Enter", "?"):
        assert f"<kbd>{key}</kbd>" in keys
    (script,) = [e for e in at.get("html") if "<script>" in e.proto.body]
    assert script.proto.unsafe_allow_javascript
    assert "ministry" not in script.proto.body and "Monday" not in script.proto.body


def test_the_unlabelled_button_jumps_to_the_first_unlabelled_sentence(
    at: AppTest, sentence_button: SentenceButton
) -> None:
    at.button(key="next").click().run()
    sentence_button(at, "type_opinion").click().run()
    assert _progress(at).startswith("Sentence 3 of 3")
    at.button(key="first_unlabelled").click().run()
    assert _progress(at).startswith("Sentence 1 of 3")
    sentence_button(at, "type_not_claim").click().run()
    at.button(key="first_unlabelled").click().run()
    assert _progress(at).startswith("Sentence 3 of 3")


def test_the_finished_summary_offers_an_editable_table_of_the_articles_answers(
    at: AppTest, sentence_button: SentenceButton
) -> None:
    for key in ("type_factual", "type_opinion", "skip"):
        sentence_button(at, key).click().run()
    assert at.success[0].value.startswith("Article finished")
    (editor,) = at.data_editor
    assert editor.editing_mode == "fixed"
    assert editor.value["label"].tolist() == ["Factual claim", "Opinion", "(skipped)"]
    assert editor.value["date-bound"].tolist() == [True, False, False]


def _input(at: AppTest, prefix: str) -> TextInput:
    """The current sentence's note (`note_`) or as-of (`as_of_`) input."""
    return next(w for w in at.text_input if w.key and w.key.startswith(prefix))


def test_a_note_typed_before_labelling_survives_moving_away_and_back_and_is_saved(
    app_sessions: sessionmaker[Session], at: AppTest, sentence_button: SentenceButton
) -> None:
    _input(at, "note_").input("ask the desk").run()
    at.button(key="next").click().run()
    assert _input(at, "note_").value == ""
    at.button(key="back").click().run()
    assert _input(at, "note_").value == "ask the desk"
    sentence_button(at, "type_opinion").click().run()
    (label,), _ = _rows(app_sessions)
    assert (label.claim_type, label.note) == ("opinion", "ask the desk")


def test_a_typed_as_of_date_survives_moving_away_and_back_and_is_saved(
    app_sessions: sessionmaker[Session], at: AppTest, sentence_button: SentenceButton
) -> None:
    _input(at, "as_of_").input("2014-11-20").run()
    at.button(key="next").click().run()
    at.button(key="back").click().run()
    assert _input(at, "as_of_").value == "2014-11-20"
    sentence_button(at, "type_factual").click().run()
    (label,), _ = _rows(app_sessions)
    assert (label.date_bound, label.as_of.isoformat()) == (True, "2014-11-20")


def test_typed_text_survives_a_visit_to_another_page(
    app_sessions: sessionmaker[Session], at: AppTest, sentence_button: SentenceButton
) -> None:
    _input(at, "note_").input("check the figure").run()
    _input(at, "as_of_").input("2014-11-19").run()
    at.switch_page("annotator/ui/pages/account.py").run()
    at.switch_page("annotator/ui/pages/annotate.py").run()
    assert _input(at, "note_").value == "check the figure"
    sentence_button(at, "type_factual").click().run()
    (label,), _ = _rows(app_sessions)
    assert (label.note, label.as_of.isoformat()) == ("check the figure", "2014-11-19")


def test_a_stale_tab_cannot_revert_a_label_saved_in_another_tab(
    app_sessions: sessionmaker[Session],
    at: AppTest,
    open_page: Callable[..., AppTest],
    sentence_button: SentenceButton,
) -> None:
    sentence_button(at, "type_factual").click().run()
    at.button(key="back").click().run()
    other = open_page("admin")
    other.button(key="back").click().run()
    sentence_button(other, "type_opinion").click().run()
    _input(at, "note_").input("only the note").run()
    assert "changed in another tab" in at.error[0].value
    assert "Opinion" in at.caption[0].value
    (label,), history = _rows(app_sessions)
    assert (label.claim_type, label.note) == ("opinion", "")
    assert len(history) == 2


def test_a_sentence_answered_not_a_claim_shows_date_bound_off_when_visited_again(
    at: AppTest, sentence_button: SentenceButton
) -> None:
    assert sentence_button(at, "date_bound").label == "Date-bound: yes (suggested)"
    sentence_button(at, "type_not_claim").click().run()
    at.button(key="back").click().run()
    assert sentence_button(at, "date_bound").label == "Date-bound: no"
    assert _input(at, "as_of_").disabled


def test_a_saved_answer_is_acknowledged_on_the_next_sentence_with_the_way_back(
    at: AppTest, sentence_button: SentenceButton
) -> None:
    sentence_button(at, "type_opinion").click().run()
    assert "✓ sentence 1 saved as Opinion (← to change it)" in at.caption[0].value
    at.button(key="back").click().run()
    assert "saved as" not in at.caption[0].value  # on the saved sentence, its label says it

"""The Agreement and Adjudicate pages (leads and admins) on a project of three annotators."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from annotator.services import accounts, labelling, reliability
from annotator.services.exporting import ExportRequest, export_bytes
from annotator.services.labelling import LabelInput
from db.models import Outcome
from tests.conftest import PASSWORD
from tests.suggested import FIGURES, add_model, build_suggested_project
from tests.suggested import PROJECT as SUGGESTED
from tests.teams import ANSWERS, MOST_DISPUTED, TEAM_PROJECT, build_team_project

AGREEMENT = "annotator/ui/pages/agreement.py"
ADJUDICATE = "annotator/ui/pages/adjudicate.py"


@pytest.fixture
def team_db(app_db: str) -> list[int]:
    """The team project (see tests/teams.py) in the app's database: its sentence ids."""
    return build_team_project(app_db)


@pytest.fixture
def lead_page(team_db: list[int], open_page: Callable[..., AppTest]) -> Callable[[str], AppTest]:
    """`lead_page(page)`: the page file `page` of the team project, as its lead `lena`."""
    return lambda page: open_page("lena", page, TEAM_PROJECT)


def _outcomes(sessions: sessionmaker[Session]) -> dict[int, Outcome]:
    with sessions() as session:
        return {o.sentence_id: o for o in session.scalars(select(Outcome))}


def test_agreement_page_shows_the_coefficients_in_numbers_and_words(
    lead_page: Callable[[str], AppTest],
) -> None:
    at = lead_page(AGREEMENT)
    assert not at.exception
    metrics = {m.label: m.value for m in at.tabs[0].metric}
    assert metrics["Krippendorff's α"] == "0.380"
    assert metrics["Fleiss' κ"] == "0.353"
    assert [t.label for t in at.tabs] == ["Claim type", "Date-bound"]
    pairs = at.dataframe[0].value
    assert pairs[["annotator", "other"]].values.tolist()[0] == ["ann", "bob"]
    info = " ".join(i.value for i in at.info)
    assert "Date-bound applies only to “Factual claim”" in info and "date_bound" not in info
    heat, numbers = json.loads(at.tabs[0].get("vega_lite_chart")[0].proto.spec)["layer"]
    assert heat["encoding"]["y"]["sort"] == ["Factual claim", "Opinion", "Not a claim"]
    ink = numbers["encoding"]["color"]  # white on the darkest quarter of the scale, else black
    assert ink == {"condition": [{"test": "(datum.count >= 7.5)", "value": "white"}],
                   "value": "black"}  # fmt: skip


def test_agreement_page_lists_the_most_disputed_sentence_first(
    lead_page: Callable[[str], AppTest],
) -> None:
    at = lead_page(AGREEMENT)
    lines = [t.value for t in at.text]
    assert lines[0].startswith("33% agree · 3 labels")
    assert len(lines) == sum(len(set(a)) > 1 for a in ANSWERS)


def test_adjudicate_page_sets_gold_with_one_click_and_moves_on(
    team_db: list[int], app_sessions: sessionmaker[Session], lead_page: Callable[[str], AppTest]
) -> None:
    sentences = team_db
    at = lead_page(ADJUDICATE)
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Disputed"] == "4"
    assert at.selectbox(key="adjudicate_sentence").value == sentences[MOST_DISPUTED]
    answers = at.table[0].value
    assert answers.index.tolist() == ["ann", "bob", "cat"]
    assert answers.loc["cat", "note"] == "reads like a view to me"
    at.button(key="gold_opinion").click().run()
    gold = _outcomes(app_sessions)[sentences[MOST_DISPUTED]]
    assert (gold.status, gold.method, gold.claim_type) == ("gold", "adjudicated", "opinion")
    assert at.selectbox(key="adjudicate_sentence").value != sentences[MOST_DISPUTED]
    assert {m.label: m.value for m in at.metric}["Set by a lead"] == "1"


def test_adjudicated_gold_is_in_the_gold_export_with_the_leads_name(
    team_db: list[int], app_sessions: sessionmaker[Session], lead_page: Callable[[str], AppTest]
) -> None:
    sentences = team_db
    at = lead_page(ADJUDICATE)
    at.button(key="gold_not_claim").click().run()
    with app_sessions() as session:
        data = export_bytes(session, ExportRequest(TEAM_PROJECT, "gold"), None).decode()
    gold = pd.read_csv(io.StringIO(data), keep_default_na=False).set_index("sentence_id")
    row = gold.loc[sentences[MOST_DISPUTED]]
    assert (row["claim_type"], row["n_labels"], row["decided_by"]) == ("not_claim", 3, "lena")
    assert row["agreement"] == pytest.approx(0.333) and row["date_bound"] == ""


def test_majority_policy_from_the_page_settles_two_to_one_votes(
    app_sessions: sessionmaker[Session], lead_page: Callable[[str], AppTest]
) -> None:
    at = lead_page(ADJUDICATE)
    at.radio[0].set_value("majority")
    next(b for b in at.button if b.label == "Save policy").click().run()
    assert not at.exception
    gold = [o for o in _outcomes(app_sessions).values() if o.status == "gold"]
    assert sum(o.method == "majority" for o in gold) == 3
    assert {m.label: m.value for m in at.metric}["Disputed"] == "1"


def test_annotators_have_no_agreement_or_adjudication_pages(
    team_db: list[int], new_app: Callable[[], AppTest], log_in: Callable[..., AppTest]
) -> None:
    at = new_app()
    log_in(at, "ann")
    for page in (AGREEMENT, ADJUDICATE):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_agreement_page_says_when_its_figures_miss_changes_and_recomputes_on_request(
    team_db: list[int],
    monkeypatch: pytest.MonkeyPatch,
    app_sessions: sessionmaker[Session],
    lead_page: Callable[[str], AppTest],
) -> None:
    sentences = team_db
    monkeypatch.setattr(reliability, "LIVE_SECONDS", -1.0)  # as if computing took long
    at = lead_page(AGREEMENT)
    assert "Computed " in at.tabs[0].caption[0].value and not at.warning
    alpha = {m.label: m.value for m in at.tabs[0].metric}["Krippendorff's α"]
    with app_sessions() as session:
        cat = accounts.authenticate(session, "cat", PASSWORD)
        labelling.save_label(session, cat, sentences[MOST_DISPUTED], LabelInput("factual"), 1.0)
    at.run()
    assert "1 label change since" in at.tabs[0].warning[0].value
    assert {m.label: m.value for m in at.tabs[0].metric}["Krippendorff's α"] == alpha
    at.button(key="recompute_claim_type").click().run()
    assert not at.exception and not at.tabs[0].warning
    assert {m.label: m.value for m in at.tabs[0].metric}["Krippendorff's α"] != alpha


def test_gold_form_starts_from_the_answers_shows_a_date_only_if_date_bound_and_names_the_sentence(
    team_db: list[int], app_sessions: sessionmaker[Session], lead_page: Callable[[str], AppTest]
) -> None:
    disputed = team_db[MOST_DISPUTED]  # ann: factual, bob: opinion, cat: not a claim
    with app_sessions() as session:
        ann = accounts.authenticate(session, "ann", PASSWORD)
        dated = LabelInput("factual", date_bound=True, as_of=dt.date(2024, 3, 1))
        labelling.save_label(session, ann, disputed, dated, 1.0)
    at = lead_page(ADJUDICATE)
    assert at.checkbox(key=f"gold_date_bound_{disputed}").value is True
    assert at.date_input(key=f"gold_as_of_{disputed}").value == dt.date(2024, 3, 1)
    at.checkbox(key=f"gold_date_bound_{disputed}").uncheck().run()
    assert not at.date_input
    at.checkbox(key=f"gold_date_bound_{disputed}").check().run()
    at.button(key="gold_factual").click().run()
    assert at.success[0].value == (
        "Gold set for sentence 3 of “Pak-Russia alliance against terrorism” (“An agreement was "
        "concluded for expansion of cooperation…”): Factual claim · date-bound (as of "
        "2024-03-01)."
    )
    gold = _outcomes(app_sessions)[disputed]
    assert (gold.claim_type, gold.date_bound, gold.as_of) == ("factual", True, dt.date(2024, 3, 1))

    # The next disputed sentence: factual answers that say "no", an undated article.
    shown = at.selectbox(key="adjudicate_sentence").value
    assert at.checkbox(key=f"gold_date_bound_{shown}").value is False and not at.date_input
    at.checkbox(key=f"gold_date_bound_{shown}").check().run()
    assert at.date_input(key=f"gold_as_of_{shown}").value is None  # not today


def test_the_gold_form_suggests_date_bound_only_where_no_annotator_answered_it(
    team_db: list[int], lead_page: Callable[[str], AppTest]
) -> None:
    sentences = team_db
    at = lead_page(ADJUDICATE)
    answered = at.checkbox(key=f"gold_date_bound_{sentences[MOST_DISPUTED]}")  # ann: factual
    assert "(suggested)" not in answered.label and answered.value is False
    # Nobody called "... had increased significantly" factual: the suggester's "no" shows.
    at.selectbox(key="adjudicate_sentence").set_value(sentences[5]).run()
    suggested = at.checkbox(key=f"gold_date_bound_{sentences[5]}")
    assert suggested.label.endswith("(suggested)") and suggested.value is False


# -- Model suggestions (issue 21): what the annotators did with the model's suggestions --------


@pytest.fixture
def suggested_page(app_db: str, open_page: Callable[..., AppTest]) -> Callable[[], AppTest]:
    """`suggested_page()`: the Agreement page of the `suggested` project (tests/suggested.py),
    as its lead `lena`."""
    build_suggested_project(app_db)
    return lambda: open_page("lena", AGREEMENT, SUGGESTED)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_agreement_page_shows_how_often_suggestions_were_taken_and_their_agreement_with_gold(
    suggested_page: Callable[[], AppTest],
) -> None:
    at = suggested_page()
    assert not at.exception
    assert "Model suggestions" in [h.value for h in at.subheader]
    metrics = _metrics(at)
    assert metrics["Answers with a suggestion shown"] == "6"
    assert metrics["Accepted"] == "67%"
    assert metrics["Agree with gold when accepted"] == "75%"
    assert metrics["Agree with gold when overridden"] == "100%"
    captions = " ".join(c.value for c in at.caption)
    assert "4 of 6 answers took the suggestion" in captions
    assert "3 of 4 accepted and 1 of 1 overridden answers agree" in captions
    modes = at.dataframe[-1].value  # both modes occur: one row each, after all of them
    assert modes["shown as"].tolist() == ["All", "Shown", "Preselected"]
    assert modes["answers"].tolist() == [6, 3, 3]
    assert modes["accepted"].tolist() == ["67% (4)", "33% (1)", "100% (3)"]
    assert modes["agree with gold when accepted"].tolist() == [
        "75% (3 of 4)", "0% (0 of 1)", "100% (3 of 3)",
    ]  # fmt: skip
    assert modes["when overridden"].tolist() == ["100% (1 of 1)", "100% (1 of 1)", "– (0 of 0)"]
    assert any(i.value.startswith("No model yet") for i in at.info)


def test_agreement_page_shows_the_model_as_one_more_annotator_against_gold(
    app_db: str, suggested_page: Callable[[], AppTest]
) -> None:
    add_model(app_db, FIGURES)
    at = suggested_page()
    model = at.dataframe[-1].value
    assert model.to_dict("records") == [
        {"annotator": "model claim_type-v3", "Cohen's κ": 0.5312, "reading": "moderate",
         "accuracy": 0.725, "majority baseline": 0.55, "sentences": 40}
    ]  # fmt: skip
    assert not any(i.value.startswith("No model yet") for i in at.info)


def test_agreement_page_says_when_the_model_has_no_held_out_gold(
    app_db: str, suggested_page: Callable[[], AppTest]
) -> None:
    add_model(app_db, None, n_heldout=0)
    at = suggested_page()
    assert any(i.value.startswith("Model claim_type-v3 has no held-out gold") for i in at.info)


def test_agreement_page_says_plainly_when_no_suggestion_was_shown(
    lead_page: Callable[[str], AppTest],
) -> None:
    at = lead_page(AGREEMENT)  # the team project: labelled with nothing suggested
    assert not at.exception
    assert "No answer has been given with a model suggestion shown." in [i.value for i in at.info]
    assert "Answers with a suggestion shown" not in _metrics(at)

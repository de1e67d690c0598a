"""The Fact-check page: a lead assigns claims and re-opens verdicts; a checker's bad input is
refused with the reason and stores nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from annotator.services import accounts
from annotator.ui.components import literal
from db.models import FactCheck
from tests.conftest import PASSWORD
from tests.teams import TEAM_PROJECT, build_team_project

PAGE = "annotator/ui/pages/fact_check.py"


@pytest.fixture
def team_db(app_db: str, app_sessions: sessionmaker[Session]) -> str:
    build_team_project(app_db)
    with app_sessions() as session:
        accounts.create_user(session, "fred", "annotator", PASSWORD)
    return app_db


@pytest.fixture
def checks(app_sessions: sessionmaker[Session]) -> Callable[[], list[FactCheck]]:
    """The fact checks as stored now."""

    def checks() -> list[FactCheck]:
        with app_sessions() as session:
            return list(session.scalars(select(FactCheck).order_by(FactCheck.id)))

    return checks


@pytest.fixture
def page(team_db: str, open_page: Callable[..., AppTest]) -> Callable[[str], AppTest]:
    """`page(name)`: the Fact-check page of the team project, logged in as `name`."""
    return lambda name: open_page(name, PAGE, TEAM_PROJECT)


@pytest.fixture
def fred_has_claims(page: Callable[[str], AppTest]) -> None:
    """The lead has assigned the gold factual claims to the checker `fred`."""
    lead = page("lena")
    lead.multiselect[0].set_value(["fred"])
    _submit(lead, "Assign gold claims to check")


def _submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_a_lead_assigns_the_gold_factual_claims_from_the_page(
    page: Callable[[str], AppTest], checks: Callable[[], list[FactCheck]]
) -> None:
    at = page("lena")
    assert not at.exception
    at.multiselect[0].set_value(["fred"])
    _submit(at, "Assign gold claims to check")
    assert "3 claims assigned to fred" in at.success[0].value
    assert at.multiselect[0].value == []  # the form starts empty again
    assert len(checks()) == 3
    assert {m.label: m.value for m in at.metric}["Open"] == "3"


def test_a_checkers_missing_verdict_or_invalid_url_is_refused_and_nothing_is_stored(
    page: Callable[[str], AppTest], checks: Callable[[], list[FactCheck]], fred_has_claims: None
) -> None:
    at = page("fred")
    at.text_area[0].input("javascript:alert(1)")
    at.text_area[1].input("Looks right.")
    _submit(at, "Save verdict")
    assert [e.value for e in at.error] == ["Choose a verdict before saving."]
    assert at.text_area[1].value == "Looks right."
    at.radio[0].set_value("true")
    _submit(at, "Save verdict")
    assert at.error[0].value == literal(
        "evidence URL 'javascript:alert(1)' must be an http:// or https:// address"
    )
    assert all(check.verdict is None for check in checks())


def test_a_verdict_saved_moves_to_the_next_open_claim_and_a_lead_can_reopen_it(
    page: Callable[[str], AppTest], checks: Callable[[], list[FactCheck]], fred_has_claims: None
) -> None:
    at = page("fred")
    first = at.selectbox(key="fact_check_chosen").value
    at.radio[0].set_value("false")
    at.text_area[0].input("https://example.org/a\nhttps://example.org/b")
    at.text_area[1].input("The record says otherwise.")
    _submit(at, "Save verdict")
    assert "Verdict saved: False." in at.success[0].value
    assert at.selectbox(key="fact_check_chosen").value != first
    saved = next(c for c in checks() if c.id == first)
    assert (saved.verdict, saved.evidence_urls) == (
        "false", "https://example.org/a https://example.org/b",
    )  # fmt: skip
    lead = page("lena")
    lead.selectbox(key="reopen_choice").set_value(first).run()
    lead.button(key="reopen").click().run()
    assert next(c for c in checks() if c.id == first).verdict is None


def test_an_error_quoting_the_checkers_input_shows_it_as_text_not_markup(
    page: Callable[[str], AppTest], checks: Callable[[], list[FactCheck]], fred_has_claims: None
) -> None:
    hostile = "**x** <img src=x>"
    at = page("fred")
    at.radio[0].set_value("true")
    at.text_area[0].input(hostile)
    _submit(at, "Save verdict")
    shown = at.error[0].value
    assert shown == literal(f"evidence URL {hostile!r} must be an http:// or https:// address")
    assert "\\*\\*x\\*\\*" in shown and "\\<img src=x\\>" in shown
    assert all(check.verdict is None for check in checks())


def test_a_lead_sets_a_waiting_claim_aside_and_it_is_not_assigned_until_put_back(
    page: Callable[[str], AppTest], checks: Callable[[], list[FactCheck]]
) -> None:
    at = page("lena")
    note = literal("In reading order: there is no check-worthiness model yet")
    assert note in at.caption[0].value
    waiting = at.multiselect(key="fact_check_to_set_aside")
    aside = waiting.options[0]
    waiting.set_value([int(aside.split(" · ")[0])])
    at.button(key="fact_check_to_set_aside_button").click().run()
    assert "1 claim set aside: not worth checking." in at.success[0].value
    assert {m.label: m.value for m in at.metric}["Set aside"] == "1"
    at.multiselect[0].set_value(["fred"])
    _submit(at, "Assign gold claims to check")
    assert "2 claims assigned to fred" in at.success[0].value
    assert len(checks()) == 2
    restore = at.multiselect(key="fact_check_to_restore")
    restore.set_value([int(restore.options[0].split(" · ")[0])])
    at.button(key="fact_check_to_restore_button").click().run()
    assert "1 claim put back among the waiting claims." in at.success[0].value
    at.multiselect[0].set_value(["fred"])
    _submit(at, "Assign gold claims to check")
    assert len(checks()) == 3


def test_a_lead_assigns_only_as_many_claims_as_asked(
    page: Callable[[str], AppTest], checks: Callable[[], list[FactCheck]]
) -> None:
    at = page("lena")
    at.multiselect[0].set_value(["fred"])
    at.number_input(key="fact_check_top").set_value(2)
    _submit(at, "Assign gold claims to check")
    assert "2 claims assigned to fred" in at.success[0].value
    assert len(checks()) == 2


def test_a_checker_sees_open_claims_most_check_worthy_first_with_their_score(
    app_db: str, app_sessions: sessionmaker[Session], open_page: Callable[..., AppTest]
) -> None:
    from annotator.services import modelling
    from tests.conftest import prepare_database
    from tests.modelled import PROJECT, build_checking_project, is_costing

    prepare_database(app_db, (("admin", "admin"),), seeds=None)
    with app_sessions() as session:
        admin = accounts.authenticate(session, "admin", PASSWORD)
        build_checking_project(session, admin)
        modelling.train(session, admin, PROJECT, ["check_worthy"])
    at = open_page("chris", PAGE, PROJECT)
    chosen = at.selectbox(key="fact_check_chosen")
    first = chosen.options[0]
    assert first.startswith("[open · ") and is_costing(first)
    assert not is_costing(chosen.options[11]) and chosen.options[12].startswith("[False]")
    lead = open_page("admin", PAGE, PROJECT)
    note = literal("Most check-worthy first, by model check_worthy-v1")
    assert any(note in c.value for c in lead.caption)

"""What the answers did with the suggestions shown (issue 21, item 4), on both databases."""

from __future__ import annotations

import pytest

from annotator.errors import PermissionDenied
from annotator.services import accounts, labelling
from annotator.services.labelling import LabelInput, ShownSuggestion
from annotator.services.provenance import AgainstGold, SuggestionUse, suggestion_report
from tests.conftest import PASSWORD, open_session
from tests.suggested import FIGURES, PROJECT, add_model, build_suggested_project


@pytest.fixture
def suggested(any_url: str) -> str:
    """The `suggested` project (tests/suggested.py) on each database: its URL."""
    build_suggested_project(any_url)
    return any_url


def test_the_report_counts_accepted_and_overridden_answers_against_gold(suggested: str) -> None:
    with open_session(suggested) as session:
        report = suggestion_report(session, None, PROJECT)
    assert report.overall == SuggestionUse(
        "all", answers=6, accepted=4, accepted_gold=AgainstGold(4, 3),
        overridden_gold=AgainstGold(1, 1),
    )  # fmt: skip
    assert report.overall.accepted_share == pytest.approx(4 / 6)
    assert report.overall.accepted_gold.share == 0.75
    assert report.by_mode == (
        SuggestionUse("shown", 3, 1, AgainstGold(1, 0), AgainstGold(1, 1)),
        SuggestionUse("preselected", 3, 3, AgainstGold(3, 3), AgainstGold(0, 0)),
    )
    assert report.by_mode[1].overridden_gold.share is None
    assert report.model is None


def test_one_mode_only_gives_no_breakdown_by_mode(suggested: str) -> None:
    with open_session(suggested) as session:
        ann = accounts.authenticate(session, "ann", PASSWORD)
        article = labelling.article_list(session, ann, PROJECT)[0].id
        body = labelling.load_article(session, ann, article).body
        for person in ("ann", "bob"):  # every preselected answer changed, shown nothing
            user = accounts.authenticate(session, person, PASSWORD)
            for s in (body[0], body[2]):
                labelling.save_label(session, user, s.id, LabelInput("opinion"), 1.0)
        report = suggestion_report(session, None, PROJECT)
    assert report.by_mode == ()
    assert (report.overall.answers, report.overall.accepted) == (3, 1)


def test_the_newest_claim_type_model_comes_with_its_held_out_figures(suggested: str) -> None:
    add_model(suggested, FIGURES)
    with open_session(suggested) as session:
        model = suggestion_report(session, None, PROJECT).model
    assert model is not None and model.name == "claim_type-v3"
    assert (model.figures["kappa"], model.figures["accuracy"]) == (0.5312, 0.725)


def test_a_project_with_no_suggestion_shown_reports_zeros(suggested: str) -> None:
    with open_session(suggested) as session:
        admin = accounts.authenticate(session, "admin", PASSWORD)
        report = suggestion_report(session, admin, "default")
    assert report.overall == SuggestionUse("all", 0, 0, AgainstGold(0, 0), AgainstGold(0, 0))
    assert report.overall.accepted_share is None and report.by_mode == ()


def test_only_a_lead_of_the_project_may_see_the_report(suggested: str) -> None:
    with open_session(suggested) as session:
        ann = accounts.authenticate(session, "ann", PASSWORD)
        with pytest.raises(PermissionDenied, match="not a lead"):
            suggestion_report(session, ann, PROJECT)


def test_the_report_follows_a_changed_answer_and_the_suggestion_shown_with_it(
    suggested: str,
) -> None:
    with open_session(suggested) as session:
        bob = accounts.authenticate(session, "bob", PASSWORD)
        article = labelling.article_list(session, bob, PROJECT)[0].id
        third = labelling.load_article(session, bob, article).body[2]  # bob saw nothing
        shown = ShownSuggestion("opinion", 0.6, "claim_type-v2", "shown")
        labelling.save_label(session, bob, third.id, LabelInput("opinion"), 1.0, shown=shown)
        report = suggestion_report(session, None, PROJECT)
    assert (report.overall.answers, report.overall.accepted) == (7, 5)


def test_the_report_is_read_from_its_snapshot_until_a_label_or_a_gold_answer_changes(
    suggested: str,
) -> None:
    from sqlalchemy import update

    from annotator.services import adjudication
    from db.models import Label

    with open_session(suggested) as session:
        assert suggestion_report(session, None, PROJECT).overall.answers == 6
        with session.begin():  # around the services: no change is counted
            session.execute(update(Label).values(suggestion=None, suggestion_mode=None))
        assert suggestion_report(session, None, PROJECT).overall.answers == 6  # the snapshot
        lena = accounts.authenticate(session, "lena", PASSWORD)
        ann = accounts.authenticate(session, "ann", PASSWORD)
        article = labelling.article_list(session, ann, PROJECT)[0].id
        first = labelling.load_article(session, ann, article).body[0]
        adjudication.adjudicate(session, lena, first.id, LabelInput("not_claim"))
        assert suggestion_report(session, None, PROJECT).overall.answers == 0  # recounted
        shown = ShownSuggestion("opinion", 0.6, "claim_type-v2", "shown")
        labelling.save_label(session, ann, first.id, LabelInput("opinion"), 1.0, shown=shown)
        assert suggestion_report(session, None, PROJECT).overall.answers == 1

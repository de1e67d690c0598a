"""Gold labels: the policy settles agreeing labels, leads settle disputes, history keeps all."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from annotator.config import SEEDS_DIR
from annotator.errors import InvalidInput, PermissionDenied
from annotator.services import accounts, adjudication, assignment, labelling
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.outcomes import Decision, Policy, Vote, decide
from annotator.services.projects import create_project
from annotator.services.records import (
    AnnotatorAnswer,
    GoldDefaults,
    GoldInfo,
    SentenceInfo,
    UserInfo,
)
from db.models import GoldHistory, Outcome
from tests.conftest import PASSWORD, table_counts

FACT = LabelInput("factual", date_bound=False)
OPINION = LabelInput("opinion")
DATED = LabelInput("factual", date_bound=True, as_of=dt.date(2014, 11, 21))


@dataclass
class Team:
    """A project `team` (overlap 3) with the seeds, three annotators, a lead and the admin."""

    admin: UserInfo
    lead: UserInfo
    annotators: tuple[UserInfo, UserInfo, UserInfo]
    sentences: tuple[SentenceInfo, ...]


@pytest.fixture
def team(session: Session, admin_user: UserInfo) -> Team:
    lead = accounts.create_user(session, "lena", "lead", PASSWORD)
    create_project(session, "team", overlap=3, actor=lead)
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        import_file(session, "team", path.name, path.read_bytes())
    names = ("ann", "bob", "cat")
    people = tuple(accounts.create_user(session, n, "annotator", PASSWORD) for n in names)
    assignment.assign(session, lead, "team", names)
    article_id = labelling.article_list(session, people[0], "team")[0].id
    body = labelling.load_article(session, people[0], article_id).body
    return Team(admin_user, lead, (people[0], people[1], people[2]), body)


def _label(session: Session, team: Team, sentence: SentenceInfo, *answers: LabelInput) -> None:
    for person, answer in zip(team.annotators, answers, strict=False):
        labelling.save_label(session, person, sentence.id, answer, 1.0)


def _outcome(session: Session, sentence: SentenceInfo) -> Outcome | None:
    with session.begin():
        return session.get(Outcome, sentence.id)


def _gold_history(session: Session, sentence: SentenceInfo) -> list[tuple[int | None, dict | None]]:
    with session.begin():
        rows = session.scalars(
            select(GoldHistory)
            .where(GoldHistory.sentence_id == sentence.id)
            .order_by(GoldHistory.id)
        )
        return [(r.changed_by, json.loads(r.new) if r.new else None) for r in rows]


def test_unanimous_policy_needs_every_answer_to_agree_and_overlap_annotators() -> None:
    a = Vote("factual", False, None)
    assert decide([a, a], Policy("unanimous", overlap=3)) == Decision("pending", 2, 1.0)
    gold = decide([a, a, a], Policy("unanimous", overlap=3))
    assert (gold.status, gold.method, gold.answer) == ("gold", "unanimous", a)
    split = decide([a, a, Vote("opinion", None, None)], Policy("unanimous", overlap=3))
    assert (split.status, split.agreement) == ("disputed", pytest.approx(2 / 3))


def test_majority_policy_needs_k_votes_and_a_strict_lead() -> None:
    a, b = Vote("factual", False, None), Vote("opinion", None, None)
    assert decide([a, a, b], Policy("majority", min_votes=2)).method == "majority"
    assert decide([a, b], Policy("majority", min_votes=1)).status == "disputed"
    assert decide([a, a, b, b], Policy("majority", min_votes=2)).status == "disputed"
    assert decide([a, a, b], Policy("majority", min_votes=3)).status == "disputed"


def test_date_bound_is_part_of_the_answer_and_the_gold_as_of_is_the_most_common() -> None:
    early, late = dt.date(2014, 11, 20), dt.date(2014, 11, 21)
    bound = [Vote("factual", True, late), Vote("factual", True, early), Vote("factual", True, late)]
    assert decide(bound, Policy(overlap=3)).answer == Vote("factual", True, late)
    tie = decide(bound[:2], Policy(overlap=2))
    assert tie.answer == Vote("factual", True, early)
    mixed = [Vote("factual", True, late), Vote("factual", False, None)]
    assert decide(mixed, Policy(overlap=2)).status == "disputed"


def _answer(claim_type: str, date_bound: bool | None = None, as_of: str = "") -> AnnotatorAnswer:
    day = dt.date.fromisoformat(as_of) if as_of else None
    return AnnotatorAnswer("someone", claim_type, date_bound, day, "", skipped=False)


PUBLISHED = dt.date(2014, 11, 21)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # Two of the three factual answers say date-bound: on, with their most common as-of.
        (
            [_answer("factual", True, "2014-11-20"), _answer("factual", True, "2014-11-20"),
             _answer("factual", False), _answer("opinion")],
            GoldDefaults(True, dt.date(2014, 11, 20)),
        ),
        # The only factual answer says yes, whatever the others chose: on.
        ([_answer("factual", True), _answer("opinion"), _answer("not_claim")],
         GoldDefaults(True, PUBLISHED)),
        # A tie is no majority: off; the as-of dates tie too: the earliest.
        ([_answer("factual", True, "2015-01-02"), _answer("factual", True, "2015-01-01"),
          _answer("factual", False), _answer("factual", False)],
         GoldDefaults(False, dt.date(2015, 1, 1))),
        # Factual answers that said no, and no factual answer at all: off, the article's date.
        ([_answer("factual", False), _answer("opinion")], GoldDefaults(False, PUBLISHED)),
        ([_answer("opinion"), _answer("not_claim")], GoldDefaults(False, PUBLISHED)),
        # An as-of date given with a "no" is no as-of answer.
        ([_answer("factual", False, "2001-01-01")], GoldDefaults(False, PUBLISHED)),
    ],
)  # fmt: skip
def test_gold_form_starts_from_the_factual_answers_date_bound_majority_and_as_of(
    answers: list[AnnotatorAnswer], expected: GoldDefaults
) -> None:
    assert adjudication.gold_defaults(answers, "factual", PUBLISHED) == expected


def test_gold_form_never_starts_at_today_and_keeps_a_gold_answers_own_date_bound() -> None:
    undated = adjudication.gold_defaults([_answer("factual", True)], "factual", None)
    assert undated == GoldDefaults(True, None)
    gold = GoldInfo("gold", 3, 1.0, "factual", False, None, "lena", None)
    kept = adjudication.gold_defaults([_answer("factual", True)], "factual", PUBLISHED, gold)
    assert kept == GoldDefaults(False, PUBLISHED)
    dated = GoldInfo("gold", 3, 1.0, "factual", True, dt.date(2020, 5, 1), "lena", None)
    assert adjudication.gold_defaults([], "factual", PUBLISHED, dated) == GoldDefaults(
        True, dt.date(2020, 5, 1)
    )
    assert adjudication.gold_defaults([_answer("factual", True)], None, PUBLISHED) == (
        GoldDefaults(False, None)
    )


def test_agreeing_labels_become_gold_by_the_policy_with_history(
    session: Session, team: Team
) -> None:
    sentence = team.sentences[0]
    _label(session, team, sentence, DATED, DATED)
    assert _outcome(session, sentence).status == "pending"  # 2 of the 3 annotators
    _label(session, team, sentence, DATED, DATED, DATED)
    gold = _outcome(session, sentence)
    assert (gold.status, gold.method, gold.claim_type, gold.date_bound, gold.as_of) == (
        "gold", "unanimous", "factual", True, dt.date(2014, 11, 21),
    )  # fmt: skip
    assert gold.decided_at is not None and gold.n_labels == 3 and gold.agreement == 1.0
    assert _gold_history(session, sentence) == [
        (None, {"claim_type": "factual", "date_bound": True, "as_of": "2014-11-21",
                "method": "unanimous", "adjudicator_id": None}),
    ]  # fmt: skip


def test_a_changed_label_takes_gold_away_and_history_says_so(session: Session, team: Team) -> None:
    sentence = team.sentences[0]
    _label(session, team, sentence, FACT, FACT, FACT)
    labelling.save_label(session, team.annotators[2], sentence.id, OPINION, 1.0)
    assert _outcome(session, sentence).status == "disputed"
    assert _gold_history(session, sentence)[-1] == (None, None)


def test_skips_are_not_votes(session: Session, team: Team) -> None:
    sentence = team.sentences[0]
    _label(session, team, sentence, FACT, FACT, LabelInput(None, skipped=True, note="unsure"))
    outcome = _outcome(session, sentence)
    assert (outcome.status, outcome.n_labels) == ("pending", 2)


def test_dispute_queue_lists_the_most_disputed_first(session: Session, team: Team) -> None:
    two_to_one, all_differ, agreed = team.sentences[:3]
    _label(session, team, two_to_one, FACT, FACT, OPINION)
    _label(session, team, all_differ, FACT, OPINION, LabelInput("not_claim"))
    _label(session, team, agreed, FACT, FACT, FACT)
    queue = adjudication.dispute_queue(session, team.lead, "team")
    assert [item.sentence_id for item in queue] == [all_differ.id, two_to_one.id]
    assert queue[0].sentence == all_differ.text and queue[0].n_labels == 3


def test_lead_sets_gold_that_stands_against_the_policy(session: Session, team: Team) -> None:
    sentence = team.sentences[0]
    _label(session, team, sentence, FACT, FACT, OPINION)
    adjudication.adjudicate(session, team.lead, sentence.id, OPINION)
    case = adjudication.open_case(session, team.lead, sentence.id)
    assert case.gold is not None
    assert (case.gold.status, case.gold.claim_type, case.gold.decided_by) == (
        "gold", "opinion", "lena",
    )  # fmt: skip
    assert case.gold.agreement == pytest.approx(1 / 3)
    labelling.save_label(session, team.annotators[0], sentence.id, OPINION, 1.0)
    case = adjudication.open_case(session, team.lead, sentence.id)
    assert case.gold.claim_type == "opinion" and case.gold.agreement == pytest.approx(2 / 3)
    assert _gold_history(session, sentence)[-1][0] == team.lead.id


def test_case_shows_every_annotator_by_name_with_notes(session: Session, team: Team) -> None:
    sentence = team.sentences[0]
    _label(session, team, sentence, FACT, LabelInput("opinion", note="sounds like a view"))
    case = adjudication.open_case(session, team.lead, sentence.id)
    assert [(a.annotator, a.claim_type, a.note) for a in case.answers] == [
        ("ann", "factual", ""), ("bob", "opinion", "sounds like a view"),
    ]  # fmt: skip
    assert case.article.text[case.sentence.start : case.sentence.end] == sentence.text


def test_reopening_returns_the_sentence_to_the_policy(session: Session, team: Team) -> None:
    sentence = team.sentences[0]
    _label(session, team, sentence, FACT, FACT, OPINION)
    adjudication.adjudicate(session, team.lead, sentence.id, FACT)
    adjudication.reopen(session, team.lead, sentence.id)
    outcome = _outcome(session, sentence)
    assert (outcome.status, outcome.method, outcome.adjudicator_id) == ("disputed", None, None)


def test_majority_policy_settles_existing_disputes(session: Session, team: Team) -> None:
    sentence = team.sentences[0]
    _label(session, team, sentence, FACT, FACT, OPINION)
    adjudication.set_policy(session, team.lead, "team", "majority", 2)
    outcome = _outcome(session, sentence)
    assert (outcome.status, outcome.method, outcome.claim_type) == ("gold", "majority", "factual")


@pytest.mark.parametrize(
    ("policy", "votes", "message"),
    [
        ("most", 2, "unknown gold policy 'most'"),
        ("majority", 0, "between 1 and 50, not 0"),
        ("majority", 51, "between 1 and 50, not 51"),
    ],
)
def test_wrong_policy_values_are_rejected_and_nothing_changes(
    session: Session, team: Team, engine: Engine, policy: str, votes: int, message: str
) -> None:
    before = table_counts(engine)
    with pytest.raises(InvalidInput, match=message):
        adjudication.set_policy(session, team.lead, "team", policy, votes)
    assert table_counts(engine) == before
    assert adjudication.outcome_counts(session, team.lead, "team")["gold"] == 0


def test_annotators_may_not_adjudicate_or_see_the_queue(session: Session, team: Team) -> None:
    sentence = team.sentences[0]
    _label(session, team, sentence, FACT, FACT, OPINION)
    with pytest.raises(PermissionDenied):
        adjudication.adjudicate(session, team.annotators[0], sentence.id, FACT)
    with pytest.raises(PermissionDenied):
        adjudication.dispute_queue(session, team.annotators[0], "team")
    with pytest.raises(PermissionDenied):
        adjudication.open_case(session, team.annotators[0], sentence.id)
    assert _outcome(session, sentence).status == "disputed"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (LabelInput("maybe"), "claim type 'maybe' is not one of"),
        (LabelInput(None, skipped=True), "cannot be a skip"),
    ],
)
def test_invalid_gold_answers_are_rejected(
    session: Session, team: Team, answer: LabelInput, message: str
) -> None:
    sentence = team.sentences[0]
    _label(session, team, sentence, FACT, OPINION)
    with pytest.raises(InvalidInput, match=message):
        adjudication.adjudicate(session, team.lead, sentence.id, answer)
    assert _outcome(session, sentence).status == "disputed"
    assert _gold_history(session, sentence) == []


def test_outcome_counts_add_up(session: Session, team: Team) -> None:
    a, b, c = team.sentences[:3]
    _label(session, team, a, FACT, FACT, FACT)
    _label(session, team, b, FACT, OPINION)
    _label(session, team, c, FACT)
    adjudication.adjudicate(session, team.admin, b.id, OPINION)
    counts = adjudication.outcome_counts(session, team.lead, "team")
    assert counts == {"pending": 1, "disputed": 0, "gold": 2, "adjudicated": 1}


def test_gold_history_is_append_only_in_the_database(
    session: Session, team: Team, engine: Engine
) -> None:
    _label(session, team, team.sentences[0], FACT, FACT, FACT)
    with engine.begin() as connection, pytest.raises(DatabaseError, match="append-only"):
        connection.execute(text("UPDATE gold_history SET new = NULL"))
    with engine.begin() as connection, pytest.raises(DatabaseError, match="append-only"):
        connection.execute(text("DELETE FROM gold_history"))

"""Answers from the annotate panel (issue 22): each saved once by its tab and sequence number,
whatever the number of replays, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, PermissionDenied, StaleLabel
from annotator.services import accounts, labelling
from annotator.services.labelling import LabelInput, PanelEvent
from annotator.services.records import LabelInfo, UserInfo
from db.models import LabelEvent, LabelHistory, User
from tests.conftest import PASSWORD, open_session, prepare_database, table_counts

TAB = "3f0c2a1e-5b7d-4c9a-8e21-0d6f4b9a7c55"


def _body(session: Session, user: UserInfo) -> list[int]:
    summary = labelling.article_list(session, user, "default")[0]
    return [s.id for s in labelling.load_article(session, user, summary.id).body]


def _send(
    session: Session, user: UserInfo, sentence_id: int, answer: LabelInput, event: PanelEvent
) -> tuple[LabelInfo, bool]:
    return labelling.save_label(session, user, sentence_id, answer, 1.0, event=event)


@pytest.fixture
def ann(any_url: str) -> Iterator[tuple[Session, UserInfo]]:
    """A session on each backend, after the first start, and the annotator `ann`."""
    prepare_database(any_url, (("admin", "admin"), ("ann", "annotator")))
    with open_session(any_url) as session:
        yield session, accounts.authenticate(session, "ann", PASSWORD)


def test_a_replayed_answer_is_saved_once(ann: tuple[Session, UserInfo]) -> None:
    session, user = ann
    sentence = _body(session, user)[0]
    first, created = _send(session, user, sentence, LabelInput("factual"), PanelEvent(TAB, 1))
    before = table_counts(session.get_bind())
    again, created_again = _send(session, user, sentence, LabelInput("factual"), PanelEvent(TAB, 1))
    assert created and not created_again
    assert again == first  # no second helping of seconds, no new version
    assert table_counts(session.get_bind()) == before
    assert labelling.done_count(session, user, "default") == 1


def test_a_replay_after_a_later_answer_does_not_undo_it(ann: tuple[Session, UserInfo]) -> None:
    """Answers 1 and 2 to one sentence replayed in order after a reload: 2 stays."""
    session, user = ann
    sentence = _body(session, user)[0]
    _send(session, user, sentence, LabelInput("factual"), PanelEvent(TAB, 1))
    _send(session, user, sentence, LabelInput("opinion"), PanelEvent(TAB, 2, after=1))
    replayed, _ = _send(session, user, sentence, LabelInput("factual"), PanelEvent(TAB, 1))
    assert replayed.claim_type == "opinion"
    with session.begin():
        assert len(session.scalars(select(LabelHistory)).all()) == 2


def test_a_fast_run_of_answers_is_stored_once_each_in_order(
    ann: tuple[Session, UserInfo],
) -> None:
    session, user = ann
    body = _body(session, user)
    for seq, sentence in enumerate(body, start=1):
        for _ in range(2):  # every answer arrives twice, as when a reload replays the queue
            _send(session, user, sentence, LabelInput("not_claim"), PanelEvent(TAB, seq))
    with session.begin():
        events = session.execute(
            select(LabelEvent.seq, LabelEvent.sentence_id).order_by(LabelEvent.id)
        ).all()
        history = len(session.scalars(select(LabelHistory)).all())
    assert [tuple(e) for e in events] == list(enumerate(body, start=1))
    assert history == len(body)
    assert labelling.done_count(session, user, "default") == len(body)


def test_an_answer_on_top_of_one_that_changed_since_is_refused(
    ann: tuple[Session, UserInfo],
) -> None:
    """Another tab changed the label after this tab's answer 1: answer 2, given on top of 1,
    would revert it silently, so it is refused."""
    session, user = ann
    sentence = _body(session, user)[0]
    _send(session, user, sentence, LabelInput("factual"), PanelEvent(TAB, 1))
    labelling.save_label(session, user, sentence, LabelInput("opinion"), 1.0)
    before = table_counts(session.get_bind())
    with pytest.raises(StaleLabel):
        _send(session, user, sentence, LabelInput("not_claim"), PanelEvent(TAB, 2, after=1))
    assert table_counts(session.get_bind()) == before


def test_an_answer_on_top_of_one_never_saved_is_refused(ann: tuple[Session, UserInfo]) -> None:
    session, user = ann
    sentence = _body(session, user)[0]
    before = table_counts(session.get_bind())
    with pytest.raises(StaleLabel, match="number 4"):
        _send(session, user, sentence, LabelInput("opinion"), PanelEvent(TAB, 5, after=4))
    assert table_counts(session.get_bind()) == before


def test_a_disabled_account_gets_no_new_answer_saved(ann: tuple[Session, UserInfo]) -> None:
    session, user = ann
    first, second = _body(session, user)[:2]
    _send(session, user, first, LabelInput("factual"), PanelEvent(TAB, 1))
    with session.begin():
        session.execute(update(User).where(User.id == user.id).values(active=False))
    before = table_counts(session.get_bind())
    with pytest.raises(PermissionDenied, match="disabled"):
        _send(session, user, second, LabelInput("factual"), PanelEvent(TAB, 2))
    assert table_counts(session.get_bind()) == before
    # What was saved before stays acknowledged as saved when the queue is replayed.
    assert _send(session, user, first, LabelInput("factual"), PanelEvent(TAB, 1))[1] is False


def test_another_annotator_using_the_same_tab_id_is_not_taken_for_a_replay(
    ann: tuple[Session, UserInfo],
) -> None:
    session, user = ann
    other = accounts.create_user(session, "other", "annotator", PASSWORD)
    sentence = _body(session, user)[0]
    _send(session, user, sentence, LabelInput("factual"), PanelEvent(TAB, 1))
    label, created = _send(session, other, sentence, LabelInput("opinion"), PanelEvent(TAB, 1))
    assert created and label.claim_type == "opinion"


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (PanelEvent("short", 1), "tab id"),
        (PanelEvent("<script>alert(1)</script>", 1), "tab id"),
        (PanelEvent("x" * 37, 1), "tab id"),
        (PanelEvent(TAB, 0), "not positive"),
        (PanelEvent(TAB, 3, after=3), "cannot follow"),
        (PanelEvent(TAB, 3, after=0), "cannot follow"),
    ],
)
def test_a_malformed_event_is_refused_and_nothing_is_stored(
    seeded: Session, annotator_user: UserInfo, event: PanelEvent, message: str
) -> None:
    sentence = _body(seeded, annotator_user)[0]
    before = table_counts(seeded.get_bind())
    with pytest.raises(InvalidInput, match=message):
        _send(seeded, annotator_user, sentence, LabelInput("factual"), event)
    assert table_counts(seeded.get_bind()) == before

"""Labelling through the service: writes, history, validation, progress, who may label."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, PermissionDenied, StaleLabel
from annotator.services import accounts, labelling
from annotator.services.labelling import LabelInput
from annotator.services.records import ArticleInfo, LabelInfo, UserInfo
from db.models import LabelHistory, User
from tests.conftest import PASSWORD, open_session, prepare_database, table_counts


def _first_article(session: Session, user: UserInfo) -> ArticleInfo:
    summary = labelling.article_list(session, user, "default")[0]
    return labelling.load_article(session, user, summary.id)


def _history(session: Session) -> list[tuple[dict | None, dict]]:
    with session.begin():
        rows = session.scalars(select(LabelHistory).order_by(LabelHistory.id))
        return [(json.loads(r.old) if r.old else None, json.loads(r.new)) for r in rows]


def test_first_label_is_created_and_history_records_it(
    seeded: Session, annotator_user: UserInfo
) -> None:
    sentence = _first_article(seeded, annotator_user).body[0]
    label, created = labelling.save_label(
        seeded,
        annotator_user,
        sentence.id,
        LabelInput("factual", date_bound=True, as_of=dt.date(2014, 11, 21)),
        2.5,
    )
    assert created and label.claim_type == "factual" and label.as_of == dt.date(2014, 11, 21)
    assert _history(seeded) == [
        (
            None,
            {
                "claim_type": "factual",
                "skipped": False,
                "date_bound": True,
                "as_of": "2014-11-21",
                "note": "",
            },
        )
    ]


def test_changing_a_label_updates_it_and_appends_history(
    seeded: Session, annotator_user: UserInfo
) -> None:
    sentence = _first_article(seeded, annotator_user).body[0]
    labelling.save_label(seeded, annotator_user, sentence.id, LabelInput("factual"), 1.0)
    label, created = labelling.save_label(
        seeded, annotator_user, sentence.id, LabelInput("opinion", note="loaded"), 2.0
    )
    assert not created
    assert (label.claim_type, label.note, label.seconds_spent) == ("opinion", "loaded", 3.0)
    history = _history(seeded)
    assert len(history) == 2
    assert history[1][0]["claim_type"] == "factual" and history[1][1]["claim_type"] == "opinion"
    assert (
        labelling.article_labels(
            seeded, annotator_user, sentence_id_article(seeded, annotator_user)
        )[sentence.id]
        == label
    )


def sentence_id_article(session: Session, user: UserInfo) -> int:
    return _first_article(session, user).id


def test_saving_the_same_answer_twice_adds_no_history(
    seeded: Session, annotator_user: UserInfo
) -> None:
    sentence = _first_article(seeded, annotator_user).body[0]
    labelling.save_label(seeded, annotator_user, sentence.id, LabelInput("opinion"), 1.0)
    labelling.save_label(seeded, annotator_user, sentence.id, LabelInput("opinion"), 1.0)
    assert len(_history(seeded)) == 1


def test_date_bound_and_as_of_are_dropped_for_non_factual_types() -> None:
    from annotator.scheme import CLAIMS_V1

    answer = LabelInput("opinion", date_bound=True, as_of=dt.date(2020, 1, 1)).validated(CLAIMS_V1)
    assert (answer.date_bound, answer.as_of) == (None, None)
    factual = LabelInput("factual", date_bound=False, as_of=dt.date(2020, 1, 1)).validated(
        CLAIMS_V1
    )
    assert (factual.date_bound, factual.as_of) == (False, None)


def test_skip_keeps_the_reason_and_no_type(seeded: Session, annotator_user: UserInfo) -> None:
    sentence = _first_article(seeded, annotator_user).body[1]
    label, _ = labelling.save_label(
        seeded,
        annotator_user,
        sentence.id,
        LabelInput("factual", skipped=True, note="garbled scrape"),
        0.5,
    )
    assert (label.skipped, label.claim_type, label.note) == (True, None, "garbled scrape")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (LabelInput("fact"), "claim type 'fact'"),
        (LabelInput(None), "claim type None"),
        (LabelInput("opinion", note="x" * 5_001), "note is 5,001 characters"),
    ],
)
def test_invalid_answers_are_refused_and_nothing_is_stored(
    seeded: Session, annotator_user: UserInfo, answer: LabelInput, message: str
) -> None:
    sentence = _first_article(seeded, annotator_user).body[0]
    with pytest.raises(InvalidInput, match=message):
        labelling.save_label(seeded, annotator_user, sentence.id, answer, 1.0)
    assert (
        labelling.article_labels(
            seeded, annotator_user, sentence_id_article(seeded, annotator_user)
        )
        == {}
    )
    assert _history(seeded) == []


def test_a_title_sentence_cannot_be_labelled(seeded: Session, annotator_user: UserInfo) -> None:
    article = _first_article(seeded, annotator_user)
    title = next(s for s in article.sentences if s.role == "title")
    with pytest.raises(InvalidInput, match="title sentence"):
        labelling.save_label(seeded, annotator_user, title.id, LabelInput("not_claim"), 1.0)


def test_a_disabled_account_cannot_label(seeded: Session, annotator_user: UserInfo) -> None:
    sentence = _first_article(seeded, annotator_user).body[0]
    with seeded.begin():
        seeded.execute(update(User).where(User.id == annotator_user.id).values(active=False))
    with pytest.raises(PermissionDenied, match="disabled"):
        labelling.save_label(seeded, annotator_user, sentence.id, LabelInput("factual"), 1.0)


def test_annotators_see_only_their_own_labels_and_counts(
    seeded: Session, annotator_user: UserInfo
) -> None:
    other = accounts.create_user(seeded, "other", "annotator", PASSWORD)
    article = _first_article(seeded, annotator_user)
    labelling.save_label(seeded, other, article.body[0].id, LabelInput("opinion"), 1.0)
    assert labelling.article_labels(seeded, annotator_user, article.id) == {}
    assert labelling.done_count(seeded, annotator_user, "default") == 0
    assert labelling.done_count(seeded, other, "default") == 1
    summary = labelling.article_list(seeded, annotator_user, "default")[0]
    assert summary.n_done == 0


def test_article_is_finished_when_every_body_sentence_is_labelled_or_skipped(
    seeded: Session, annotator_user: UserInfo
) -> None:
    article = _first_article(seeded, annotator_user)
    for i, sentence in enumerate(article.body):
        answer = LabelInput(None, skipped=True) if i == 0 else LabelInput("not_claim")
        labelling.save_label(seeded, annotator_user, sentence.id, answer, 1.0)
    summaries = labelling.article_list(seeded, annotator_user, "default")
    assert summaries[0].finished and not summaries[1].finished
    assert labelling.done_count(seeded, annotator_user, "default") == len(article.body)


def test_repeating_an_answer_adds_time_but_keeps_labelled_at(
    seeded: Session, annotator_user: UserInfo
) -> None:
    sentence = _first_article(seeded, annotator_user).body[0]
    first, _ = labelling.save_label(seeded, annotator_user, sentence.id, LabelInput("opinion"), 1.0)
    again, _ = labelling.save_label(seeded, annotator_user, sentence.id, LabelInput("opinion"), 2.0)
    assert again.updated_at == first.updated_at
    assert again.seconds_spent == 3.0
    changed, _ = labelling.save_label(seeded, annotator_user, sentence.id, LabelInput("factual"), 0)
    assert changed.updated_at > first.updated_at


def test_a_save_based_on_a_version_that_is_no_longer_current_is_refused(any_url: str) -> None:
    prepare_database(any_url, (("admin", "admin"), ("ann", "annotator")))
    with open_session(any_url) as session:
        user = accounts.authenticate(session, "ann", PASSWORD)
        sentence_id = _first_article(session, user).body[0].id

        def save(answer: LabelInput, seen: labelling.Seen) -> LabelInfo:
            return labelling.save_label(session, user, sentence_id, answer, 1.0, seen=seen)[0]

        first = save(LabelInput("factual"), None)
        other = save(LabelInput("opinion"), first.updated_at)
        before = table_counts(session.get_bind())
        with pytest.raises(StaleLabel, match="changed in another tab"):
            save(LabelInput("factual", note="x"), first.updated_at)
        with pytest.raises(StaleLabel):  # the page showed no label, but there is one now
            save(LabelInput("not_claim"), None)
        assert table_counts(session.get_bind()) == before
        current = labelling.article_labels(session, user, _first_article(session, user).id)
        assert current[sentence_id] == other

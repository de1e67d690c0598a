"""The check-worthiness order of the fact-check queue (issue 21): a model learns from the claims
checked and set aside which claims are worth checking, and orders the claims waiting for a
checker and each checker's open claims by it, once it beats its baseline."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, delete, insert, select, text
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput
from annotator.services import accounts, fact_checking, modelling
from annotator.services.modelling import ModelInfo
from annotator.services.records import UserInfo
from db.engine import read_transaction, session_factory
from db.models import CheckSetAside, CheckWorth, FactCheck, Outcome
from tests.conftest import PASSWORD, table_counts
from tests.modelled import (
    CHECKED_PLACES,
    PLACES,
    PROJECT,
    build_checking_project,
    build_model_project,
    is_costing,
)

OPEN_PLACE = PLACES[CHECKED_PLACES]


@pytest.fixture
def any_session(any_engine: Engine) -> Iterator[Session]:
    with session_factory(any_engine)() as session:
        yield session


def _admin(session: Session) -> UserInfo:
    return accounts.create_user(session, "admin", "admin", PASSWORD)


def _open_claims(session: Session, checker: UserInfo) -> list[fact_checking.CheckSummary]:
    return [c for c in fact_checking.check_queue(session, checker, PROJECT) if c.verdict is None]


def test_a_checkers_open_claims_come_most_check_worthy_first_once_the_model_beats_its_baseline(
    any_session: Session,
) -> None:
    admin = _admin(any_session)
    checker = build_checking_project(any_session, admin)
    before = _open_claims(any_session, checker)
    assert [is_costing(c.claim) for c in before] == [True, False] * 6  # reading order
    assert all(c.worth is None for c in before)

    [result] = modelling.train(any_session, admin, PROJECT, ["check_worthy"])
    assert result.model is not None and result.model.beats_baseline
    assert result.model.n_heldout == 10  # the newest 20% of 48 decisions

    after = _open_claims(any_session, checker)
    assert [is_costing(c.claim) for c in after] == [True] * 6 + [False] * 6
    worth = [c.worth for c in after]
    assert all(w is not None for w in worth) and worth == sorted(worth, reverse=True)
    assert min(worth[:6]) > 0.5 > max(worth[6:])  # type: ignore[type-var]
    queue = fact_checking.check_queue(any_session, checker, PROJECT)
    assert [c.verdict is None for c in queue] == [True] * 12 + [False] * 48  # open ones first
    note = modelling.check_order_note(any_session, admin, PROJECT)
    assert note.startswith("Most check-worthy first, by model check_worthy-v1: right on")


def test_without_a_model_the_queue_stays_in_reading_order_and_says_why(session: Session) -> None:
    admin = _admin(session)
    checker = build_checking_project(session, admin)
    note = modelling.check_order_note(session, admin, PROJECT)
    assert note.startswith("In reading order: there is no check-worthiness model yet.")
    claims = _open_claims(session, checker)
    assert [is_costing(c.claim) for c in claims] == [True, False] * 6


def test_a_model_no_better_than_its_baseline_stores_no_scores_and_the_note_says_so(
    session: Session,
) -> None:
    admin = _admin(session)
    checker = build_checking_project(session, admin)
    # The desk changed its mind: its newest ten decisions (the held-out ones) are the reverse
    # of its rule, so the model learnt from the older ones is wrong on every held-out claim.
    newest = session.scalars(
        select(FactCheck).where(FactCheck.verdict.is_not(None)).order_by(FactCheck.checked_at)
    ).all()[-10:]
    for check in newest:
        check.verdict = "unverifiable" if check.verdict == "false" else "false"
    session.commit()
    [result] = modelling.train(session, admin, PROJECT, ["check_worthy"])
    assert result.model is not None and not result.model.beats_baseline
    with read_transaction(session):
        assert session.scalar(select(CheckWorth.sentence_id).limit(1)) is None
    note = modelling.check_order_note(session, admin, PROJECT)
    assert note.startswith("In reading order: model check_worthy-v1 is right on")
    assert [c.worth for c in _open_claims(session, checker)] == [None] * 12


def test_decisions_are_the_verdicts_and_the_claims_set_aside_oldest_first(
    session: Session,
) -> None:
    admin = _admin(session)
    checker = build_checking_project(session, admin)
    open_ids = [c.sentence_id for c in _open_claims(session, checker)]
    with read_transaction(session):
        project_id = int(session.scalar(select(Outcome.project_id).limit(1)) or 0)
        decided = fact_checking.check_decisions(session, project_id)
    assert len(decided) == CHECKED_PLACES * 12
    assert sum(d.worth for d in decided) == CHECKED_PLACES * 6  # `unverifiable`: not worth it
    # A claim set aside is a decision too: not worth checking, decided when it was set aside.
    waiting = _gold_without_checker(session, admin)
    fact_checking.set_aside(session, admin, PROJECT, [waiting])
    with read_transaction(session):
        decided = fact_checking.check_decisions(session, project_id)
    assert (decided[-1].sentence_id, decided[-1].worth) == (waiting, False)
    assert not {d.sentence_id for d in decided} & set(open_ids)  # open claims teach nothing


def _gold_without_checker(session: Session, admin: UserInfo) -> int:
    """A new gold factual claim with no checker: a sixth place's first claim, labelled."""
    from annotator.services import assignment, labelling
    from annotator.services.importing import import_file
    from annotator.services.labelling import LabelInput
    from tests.modelled import articles_jsonl

    import_file(session, PROJECT, "more.jsonl", articles_jsonl(PLACES[5:6]), actor=admin)
    assignment.assign(session, admin, PROJECT)
    annotator = accounts.authenticate(session, "ann", PASSWORD)
    article = labelling.article_list(session, annotator, PROJECT)[-1]
    first = labelling.load_article(session, annotator, article.id).body[0]
    labelling.save_label(session, annotator, first.id, LabelInput("factual", date_bound=False), 1)
    return first.id


def test_set_aside_claims_are_not_assigned_and_come_back_when_restored(
    any_session: Session,
) -> None:
    admin = _admin(any_session)
    build_model_project(any_session, admin, PLACES[:1])
    accounts.create_user(any_session, "chris", "annotator", PASSWORD)
    waiting = fact_checking.waiting_claims(any_session, admin, PROJECT)
    assert len(waiting) == 12
    aside = [waiting[1].sentence_id, waiting[3].sentence_id]
    assert fact_checking.set_aside(any_session, admin, PROJECT, aside + aside[:1]) == 2
    assert fact_checking.set_aside(any_session, admin, PROJECT, aside) == 0  # already aside
    assert fact_checking.verdict_counts(any_session, admin, PROJECT)["set aside"] == 2
    result = fact_checking.assign_checks(any_session, admin, PROJECT, ["chris"])
    assert result.assigned == 10
    assert fact_checking.waiting_claims(any_session, admin, PROJECT) == []
    assert {c.sentence_id for c in fact_checking.set_aside_claims(any_session, admin, PROJECT)} == (
        set(aside)
    )
    assert fact_checking.restore(any_session, admin, PROJECT, aside) == 2
    assert [c.sentence_id for c in fact_checking.waiting_claims(any_session, admin, PROJECT)] == (
        sorted(aside)
    )
    assert fact_checking.assign_checks(any_session, admin, PROJECT).assigned == 2


@pytest.mark.parametrize(
    ("ids", "error"),
    [
        ([], "give at least one sentence id"),
        ([999_999], "sentence 999999 is not a gold claim to fact-check in project 'claims'"),
        ("opinion", "is not a gold claim to fact-check"),
        ("checked", "is already with a checker: re-open or keep its verdict instead"),
    ],
)
def test_set_aside_refuses_a_wrong_claim_by_id_and_changes_nothing(
    session: Session, engine: Engine, ids: list[int] | str, error: str
) -> None:
    admin = _admin(session)
    build_model_project(session, admin, PLACES[:2])
    accounts.create_user(session, "chris", "annotator", PASSWORD)
    fact_checking.assign_checks(session, admin, PROJECT, ["chris"], top=1)
    waiting = fact_checking.waiting_claims(session, admin, PROJECT)[0].sentence_id
    with read_transaction(session):
        if ids == "opinion":
            opinion = select(Outcome.sentence_id).where(Outcome.claim_type == "opinion")
            ids = [waiting, session.scalars(opinion).first() or 0]
        elif ids == "checked":
            ids = [waiting, session.scalars(select(FactCheck.sentence_id)).one()]
        elif ids:
            ids = [waiting, *ids]
    before = table_counts(engine)
    with pytest.raises(InvalidInput, match=error):
        fact_checking.set_aside(session, admin, PROJECT, ids)
    assert table_counts(engine) == before


def test_restore_refuses_a_claim_that_is_not_set_aside_and_changes_nothing(
    session: Session, engine: Engine
) -> None:
    admin = _admin(session)
    build_model_project(session, admin, PLACES[:1])
    first, second = [c.sentence_id for c in fact_checking.waiting_claims(session, admin, PROJECT)][
        :2
    ]
    fact_checking.set_aside(session, admin, PROJECT, [first])
    before = table_counts(engine)
    with pytest.raises(InvalidInput, match=f"sentence {second} is not set aside"):
        fact_checking.restore(session, admin, PROJECT, [first, second])
    assert table_counts(engine) == before


def test_only_a_lead_of_the_project_may_set_claims_aside(session: Session) -> None:
    from annotator.errors import PermissionDenied

    admin = _admin(session)
    annotator = build_model_project(session, admin, PLACES[:1])
    waiting = fact_checking.waiting_claims(session, admin, PROJECT)[0].sentence_id
    with pytest.raises(PermissionDenied):
        fact_checking.set_aside(session, annotator, PROJECT, [waiting])
    assert session.scalar(select(CheckSetAside.sentence_id)) is None


def test_assigning_the_top_claims_takes_the_most_check_worthy_waiting_ones(
    session: Session,
) -> None:
    admin = _admin(session)
    checker = build_checking_project(session, admin)
    modelling.train(session, admin, PROJECT, ["check_worthy"])
    # Give the open place's claims back to the pool: as if they had just become gold.
    session.execute(FactCheck.__table__.delete().where(FactCheck.verdict.is_(None)))
    session.commit()
    waiting = fact_checking.waiting_claims(session, admin, PROJECT)
    assert [is_costing(c.claim) for c in waiting] == [True] * 6 + [False] * 6
    result = fact_checking.assign_checks(session, admin, PROJECT, top=4)
    assert result.assigned == 4
    assert all(is_costing(c.claim) for c in _open_claims(session, checker))


def test_a_new_model_replaces_the_scores_and_claims_with_a_verdict_lose_theirs(
    session: Session,
) -> None:
    admin = _admin(session)
    checker = build_checking_project(session, admin)
    first = modelling.train(session, admin, PROJECT, ["check_worthy"])[0].model
    done = _open_claims(session, checker)[0]
    verdict = fact_checking.VerdictInput("false", ("https://example.org/b",), None, "Differs.")
    fact_checking.record_verdict(session, checker, done.id, verdict)
    second = modelling.train(session, admin, PROJECT, ["check_worthy"])[0].model
    assert first is not None and second is not None
    rows = session.execute(select(CheckWorth.sentence_id, CheckWorth.model_id))
    scored = {sentence_id: model_id for sentence_id, model_id in rows}
    assert len(scored) == 11 and done.sentence_id not in scored
    assert set(scored.values()) == {second.id}


def _trained_twice(session: Session) -> tuple[ModelInfo, ModelInfo]:
    """A checking project whose check-worthiness model was trained twice: older, newer."""
    admin = _admin(session)
    build_checking_project(session, admin)
    first = modelling.train(session, admin, PROJECT, ["check_worthy"])[0].model
    second = modelling.train(session, admin, PROJECT, ["check_worthy"])[0].model
    assert first is not None and second is not None
    return first, second


def test_a_training_that_ends_after_a_newer_one_leaves_the_newer_models_scores(
    session: Session,
) -> None:
    """Two trainings at once (the automatic retrain and the Model page's button): the one
    that stores its model first must not overwrite the newer model's scores when it ends."""
    first, second = _trained_twice(session)
    with read_transaction(session):
        project_id = session.scalar(select(CheckWorth.project_id).limit(1))
        older = modelling.loaded(session, first)
    assert project_id is not None
    modelling._score_claims(session, project_id, first, older)
    assert set(session.scalars(select(CheckWorth.model_id))) == {second.id}


@pytest.mark.postgres
def test_scores_written_while_an_older_training_still_writes_its_own_replace_them(
    pg_engine: Engine,
) -> None:
    """PostgreSQL: the older training has deleted the scores and written its own, not yet
    committed, when the newer one writes. The newer one waits for it (a table lock) and then
    replaces its rows, instead of failing on their keys once they are committed."""
    factory = session_factory(pg_engine)
    with factory() as session:
        first, second = _trained_twice(session)
        with read_transaction(session):
            rows = session.execute(select(CheckWorth.sentence_id, CheckWorth.project_id)).all()
            newer = modelling.loaded(session, second)
    project_id = rows[0].project_id
    older = factory()
    older.begin()
    older.execute(delete(CheckWorth))  # the older training's write, as it was before the lock
    older.execute(insert(CheckWorth), [
        {"sentence_id": s, "project_id": project_id, "model_id": first.id, "score": 0.5}
        for s, _ in rows
    ])  # fmt: skip
    failed: list[BaseException] = []

    def newer_training() -> None:
        with factory() as session:
            try:
                modelling._score_claims(session, project_id, second, newer)
            except BaseException as error:  # reported by the assertion below
                failed.append(error)

    thread = threading.Thread(target=newer_training)
    thread.start()
    _wait_until_a_session_waits_for_a_lock(pg_engine)
    older.commit()
    older.close()
    thread.join()
    assert failed == []
    with factory() as session:
        assert set(session.scalars(select(CheckWorth.model_id))) == {second.id}


def _wait_until_a_session_waits_for_a_lock(engine: Engine) -> None:
    with engine.connect() as connection:
        for _ in range(600):
            waiting = connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
            ).scalar_one()
            if waiting:
                return
            connection.commit()
            time.sleep(0.05)
    raise AssertionError("the newer training never waited for the older one")


RunCli = Callable[..., tuple[int, str, str]]


def test_the_command_line_lists_waiting_claims_sets_them_aside_and_assigns_the_top(
    db_url: str, session: Session, run_cli: RunCli
) -> None:
    admin = _admin(session)
    build_model_project(session, admin, PLACES[:1])
    accounts.create_user(session, "chris", "annotator", PASSWORD)
    code, out, err = run_cli(
        db_url, "waiting-claims", "--project", PROJECT, "--json", "--limit", "3"
    )
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [sorted(r) for r in rows] == [["article_title", "claim", "sentence_id", "worth"]] * 3
    assert "In reading order: there is no check-worthiness model yet" in err
    first = str(rows[0]["sentence_id"])
    assert run_cli(db_url, "set-aside", "--project", PROJECT, first)[:2] == (
        0,
        "1 claim set aside\n",
    )
    code, out, err = run_cli(
        db_url, "assign-checks", "--project", PROJECT, "--checkers", "chris", "--top", "2"
    )
    assert code == 0 and out.startswith("2 claims assigned"), err
    assert "set aside 1" in out
    restored = run_cli(db_url, "set-aside", "--project", PROJECT, "--restore", first)
    assert restored[:2] == (0, "1 claim restored\n")


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (["set-aside", "--project", PROJECT, "424242"], 1, "sentence 424242 is not a gold claim"),
        (["set-aside", "--project", PROJECT, "x"], 2, "'x' is not a valid integer"),
        (["set-aside", "--project", PROJECT], 2, "Missing argument 'SENTENCE_ID...'"),
        (["set-aside", "--project", "nope", "1"], 1, "no project named 'nope'"),
        (["assign-checks", "--project", PROJECT, "--top", "0"], 2, "0 is not in the range x>=1"),
        (["waiting-claims", "--project", PROJECT, "--limit", "0"], 2, "not in the range x>=1"),
    ],
)
def test_wrong_arguments_to_the_check_worthiness_commands_are_named_and_change_nothing(
    db_url: str,
    session: Session,
    engine: Engine,
    run_cli: RunCli,
    args: list[str],
    code: int,
    error: str,
) -> None:
    admin = _admin(session)
    build_model_project(session, admin, PLACES[:1])
    before = table_counts(engine)
    got, out, err = run_cli(db_url, *args)
    assert got == code, err
    assert error in err and "Traceback" not in out + err
    assert table_counts(engine) == before

"""Models of a project's labels in the database (issue 21, items 1 and 3): training, held-out
gold, versions, settings, why nothing is shown, and automatic retraining."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, NoSuchProject, PermissionDenied
from annotator.services import accounts, modelling
from annotator.services.labelling import LabelInput, ShownSuggestion, save_label
from annotator.services.outcomes import sentence_text
from annotator.services.records import UserInfo
from db.engine import session_factory
from db.models import Article, Label, Model, Outcome, Project, Sentence
from tests.conftest import table_counts
from tests.modelled import PLACES, PROJECT, build_model_project

N_BODY = 18 * len(PLACES)  # 12 factual and 6 opinion sentences an article


@pytest.fixture
def admin(session: Session) -> UserInfo:
    return accounts.create_user(session, "admin", "admin", "correct horse battery staple")


def test_training_stores_a_scored_model_of_each_field_holding_out_the_newest_fifth_of_gold(
    any_engine: Engine,
) -> None:
    with session_factory(any_engine)() as session:
        admin = accounts.create_user(session, "admin", "admin", "correct horse battery staple")
        build_model_project(session, admin)
        results = modelling.train(session, admin, PROJECT)
    by_field = {r.field: r.model for r in results}
    claim, date_bound = by_field["claim_type"], by_field["date_bound"]
    assert claim is not None and date_bound is not None
    assert claim.n_heldout == 22 and claim.n_train == N_BODY - 22  # ceil(20% of 108)
    assert date_bound.n_heldout + date_bound.n_train == 12 * len(PLACES)
    assert claim.version == 1 and claim.name == "claim_type-v1"
    assert claim.beats_baseline and claim.figures["accuracy"] > claim.figures["majority_baseline"]
    assert claim.figures["n"] == 22 and claim.figures["kappa"] > 0
    with session_factory(any_engine)() as session:
        stored = session.scalars(select(Model.field).order_by(Model.field)).all()
    assert stored == ["claim_type", "date_bound"]


def test_the_held_out_gold_is_the_newest_by_decision_time(
    session: Session, admin: UserInfo
) -> None:
    build_model_project(session, admin)
    project = session.scalar(select(Project).where(Project.name == PROJECT))
    assert project is not None
    scheme = modelling.stored_scheme(project.scheme, project.scheme_json)
    data = modelling.training_data(session, project.id, "claim_type", scheme)
    texts = session.scalars(
        select(sentence_text())
        .select_from(Outcome)
        .join(Sentence, Sentence.id == Outcome.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .order_by(Outcome.decided_at.desc())
        .limit(22)
    ).all()
    assert sorted(data.heldout_texts) == sorted(texts)
    assert not set(data.heldout_texts) & set(data.texts)  # never trained on


def test_every_training_is_a_new_version(session: Session, admin: UserInfo) -> None:
    build_model_project(session, admin)
    modelling.train(session, admin, PROJECT, ["claim_type"])
    modelling.train(session, admin, PROJECT, ["claim_type"])
    listed = modelling.models(session, admin, PROJECT)
    assert [m.name for m in listed] == ["claim_type-v2", "claim_type-v1"]


def test_a_field_with_too_little_to_learn_from_is_skipped_with_the_reason(
    session: Session, admin: UserInfo, engine: Engine
) -> None:
    build_model_project(session, admin, PLACES[:1])
    session.execute(update(Label).values(claim_type="factual", date_bound=False))
    session.execute(update(Outcome).values(claim_type="factual", date_bound=False))
    session.commit()
    before = table_counts(engine)
    results = modelling.train(session, admin, PROJECT)
    assert [r.model for r in results] == [None, None, None]
    assert results[0].skipped.startswith("only 'factual' to learn from")
    assert results[2].field == "check_worthy"
    assert results[2].skipped.startswith("no answers or fact-check decisions (claims checked")
    assert table_counts(engine) == before


def test_only_a_lead_of_the_project_may_train_and_an_unknown_field_is_named(
    session: Session, admin: UserInfo, engine: Engine
) -> None:
    annotator = build_model_project(session, admin, PLACES[:2])
    before = table_counts(engine)
    with pytest.raises(PermissionDenied):
        modelling.train(session, annotator, PROJECT)
    with pytest.raises(InvalidInput, match="as_of: not a field of project 'claims'"):
        modelling.train(session, admin, PROJECT, ["as_of"])
    with pytest.raises(NoSuchProject):
        modelling.train(session, admin, "claimz")
    assert table_counts(engine) == before


def test_settings_default_by_overlap_and_bad_values_change_nothing(
    session: Session, admin: UserInfo, engine: Engine
) -> None:
    build_model_project(session, admin, PLACES[:1])
    assert modelling.settings(session, PROJECT) == modelling.SuggestionSettings("shown", False, 200)
    assert modelling.default_mode(3) == "off"
    before = table_counts(engine)
    with pytest.raises(InvalidInput, match="suggestions 'always' is not one of off, shown"):
        modelling.set_settings(session, admin, PROJECT, mode="always")
    with pytest.raises(InvalidInput, match="retrain every -1 labels"):
        modelling.set_settings(session, admin, PROJECT, retrain_every=-1)
    assert table_counts(engine) == before
    assert modelling.settings(session, PROJECT).chosen is False
    now = modelling.set_settings(session, admin, PROJECT, mode="preselected", retrain_every=50)
    assert now == modelling.SuggestionSettings("preselected", True, 50)


def _body(session: Session, person: UserInfo) -> list[tuple[int, str]]:
    from annotator.services import labelling

    article = labelling.article_list(session, person, PROJECT)[0].id
    return [(s.id, s.text) for s in labelling.load_article(session, person, article).body]


def test_suggestions_say_why_nothing_is_shown_until_a_model_beats_its_baseline(
    session: Session, admin: UserInfo
) -> None:
    person = build_model_project(session, admin)
    body = _body(session, person)
    nothing = modelling.article_suggestions(session, PROJECT, body)
    assert nothing.answers is None and "the project has no model" in nothing.why_none
    assert "after every 200 new labels" in nothing.why_none
    modelling.train(session, admin, PROJECT)
    shown = modelling.article_suggestions(session, PROJECT, body)
    assert shown.mode == "shown" and shown.model == "claim_type-v1"
    assert shown.answers is not None and set(shown.answers) == {i for i, _ in body}
    opinion = next(i for i, text in body if text.startswith("I think"))
    answer, confidence = shown.answers[opinion]
    assert answer == "opinion" and 0.5 < confidence <= 1.0
    session.execute(update(Model).values(beats_baseline=False))
    session.commit()
    weak = modelling.article_suggestions(session, PROJECT, body)
    assert weak.answers is None and "no better than always answering 'factual'" in weak.why_none
    modelling.set_settings(session, admin, PROJECT, mode="off")
    assert modelling.article_suggestions(session, PROJECT, body) == modelling.Suggestions("off")


def test_a_model_without_held_out_gold_is_not_shown(session: Session, admin: UserInfo) -> None:
    person = build_model_project(session, admin, PLACES[:2])
    session.execute(update(Outcome).values(status="pending", claim_type=None, method=None))
    session.commit()
    modelling.train(session, admin, PROJECT, ["claim_type"])
    view = modelling.article_suggestions(session, PROJECT, _body(session, person))
    assert view.answers is None and "has nothing held out to be checked on" in view.why_none


def test_a_label_keeps_the_suggestion_its_annotator_was_shown(
    session: Session, admin: UserInfo
) -> None:
    person = build_model_project(session, admin, PLACES[:1])
    sentence_id = _body(session, person)[0][0]
    shown = ShownSuggestion("opinion", 0.62, "claim_type-v1", "preselected")
    save_label(session, person, sentence_id, LabelInput("opinion"), 1.0, shown=shown)
    label = session.scalar(select(Label).where(Label.sentence_id == sentence_id))
    assert label is not None
    assert (label.suggestion, label.suggestion_confidence) == ("opinion", 0.62)
    assert (label.suggestion_model, label.suggestion_mode) == ("claim_type-v1", "preselected")
    session.commit()
    save_label(session, person, sentence_id, LabelInput("not_claim"), 1.0)
    session.refresh(label)
    assert label.suggestion is None and label.suggestion_mode is None  # answered unprompted


def test_retraining_starts_after_the_set_number_of_new_labels_and_runs_in_its_own_process(
    session: Session, admin: UserInfo, db_url: str
) -> None:
    build_model_project(session, admin, PLACES[:2])
    project_id = session.scalar(select(Project.id).where(Project.name == PROJECT))
    session.commit()
    assert project_id is not None
    modelling.set_settings(session, admin, PROJECT, retrain_every=37)
    assert not modelling.retrain_due(session, project_id)  # 36 labels, no model yet
    modelling.set_settings(session, admin, PROJECT, retrain_every=36)
    assert modelling.retrain_due(session, project_id)
    process = modelling.retrain_in_background(db_url, PROJECT, project_id)
    assert process is not None and process.pid != os.getpid()
    assert modelling.retrain_in_background(db_url, PROJECT, project_id) is None  # one at a time
    assert not modelling.retrain_due(session, project_id)  # while it runs
    assert process.wait(timeout=600) == 0
    assert not modelling.training_running(project_id)
    assert not modelling.retrain_due(session, project_id)  # the new model saw every label
    names = [m.name for m in modelling.models(session, admin, PROJECT)]
    assert names == ["claim_type-v1", "date_bound-v1"]


@pytest.fixture
def model_db(db_url: str) -> str:
    """A database with the `claims` project of two articles, labelled."""
    from tests.conftest import open_session, prepare_database

    prepare_database(db_url, (), seeds=None)
    with open_session(db_url) as session:
        admin = accounts.create_user(session, "admin", "admin", "correct horse battery staple")
        build_model_project(session, admin, PLACES[:3])
    return db_url


def test_model_train_list_and_settings_on_the_command_line(
    model_db: str, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    code, out, err = run_cli(model_db, "model", "list", "--project", PROJECT)
    assert code == 0 and "has no models yet" in out, err
    code, out, err = run_cli(model_db, "model", "train", "--project", PROJECT)
    assert code == 0, err
    assert "claim_type-v1: trained on 43 answers" in out  # 54 gold, 11 held out
    assert "on 11 held-out gold answers: accuracy" in out and "(shown)" in out
    assert "date_bound-v1: trained on" in out
    code, out, _ = run_cli(model_db, "model", "list", "--project", PROJECT)
    assert code == 0 and out.count("-v1: trained on") == 2
    code, out, _ = run_cli(model_db, "model", "settings", "--project", PROJECT)
    assert out.strip() == (
        "claims: suggestions shown (the default for its overlap); "
        "automatic retraining after every 200 new labels; articles handed out in import order"
    )
    code, out, _ = run_cli(
        model_db, "model", "settings", "--project", PROJECT, "--suggestions", "preselected",
        "--retrain-every", "0",
    )  # fmt: skip
    assert code == 0
    assert out.strip() == (
        "claims: suggestions preselected; automatic retraining never; "
        "articles handed out in import order"
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("model", "train", "--project", "claimz"), 1, "no project named 'claimz'"),
        (("model", "train", "--project", PROJECT, "--field", "as_of"), 2, "'as_of' is not one of"),
        (("model", "settings", "--project", PROJECT, "--suggestions", "always"), 2, "'always'"),
        (("model", "settings", "--project", PROJECT, "--retrain-every", "-5"), 2, "-5"),
        (("model", "list", "--project", "nope"), 1, "no project named 'nope'"),
    ],
)
def test_model_commands_name_a_wrong_value_and_change_nothing(
    model_db: str,
    run_cli: Callable[..., tuple[int, str, str]],
    engine_for: Callable[[str], Engine],
    args: tuple[str, ...],
    code: int,
    message: str,
) -> None:
    before = table_counts(engine_for(model_db))
    got, out, err = run_cli(model_db, *args)
    assert got == code and message in err, (out, err)
    assert table_counts(engine_for(model_db)) == before

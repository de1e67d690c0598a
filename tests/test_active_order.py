"""Active ordering (issue 21, item 5): with the project's order `uncertain`, `assign` and
`claim_next` hand out first the articles whose sentences the model is least sure of, read from
the uncertainties stored when the model was trained; otherwise, import order."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, Select, select, update
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput
from annotator.services import accounts, assignment, modelling
from annotator.services.importing import import_file
from annotator.services.records import UserInfo
from db.engine import session_factory
from db.models import Article, ArticleUncertainty, Assignment, Model, Project, User
from tests.conftest import PASSWORD, table_counts
from tests.modelled import PROJECT, articles_jsonl, build_model_project

ODD = [
    "Zebras wander quietly near the old mill at dusk.",
    "Some say the orchestra might tour next spring.",
    "Nobody knows why the river turned green.",
]
NEW = ["News from Ashford", "Odd", "News from Brill"]  # in import order; "Odd" is unsure


def _add_new_articles(session: Session, admin: UserInfo) -> dict[str, int]:
    """Three unassigned articles: two like those the model learned from (it is sure of
    them), and between them one of sentences unlike any it saw."""
    odd = json.dumps({"title": "Odd", "text": "\n\n".join(ODD)}) + "\n"
    lines = articles_jsonl(["Ashford"]).decode() + odd + articles_jsonl(["Brill"]).decode()
    import_file(session, PROJECT, "more.jsonl", lines.encode(), actor=admin)
    return dict(_rows(session, select(Article.title, Article.id).where(Article.title.in_(NEW))))


def _rows(session: Session, statement: Select[Any]) -> list[Any]:
    """The statement's rows, read in a transaction of their own (the services begin theirs)."""
    with session.begin():
        return list(session.execute(statement).all())


def _ordered_project(session: Session, *, order: str = "uncertain") -> tuple[UserInfo, UserInfo]:
    """`claims` labelled by `ann`, its order set, three new articles, a model trained: the
    admin and `ann`."""
    admin = accounts.create_user(session, "admin", "admin", PASSWORD)
    person = build_model_project(session, admin)
    modelling.set_settings(session, admin, PROJECT, order=order)
    _add_new_articles(session, admin)
    modelling.train(session, admin, PROJECT, ["claim_type"])
    return admin, person


def _titles(session: Session, ids: list[int | None]) -> list[str]:
    names = dict(_rows(session, select(Article.id, Article.title)))
    return [names[i] for i in ids if i is not None]


def _claim_all(session: Session, person: UserInfo) -> list[str]:
    return _titles(session, [assignment.claim_next(session, person, PROJECT) for _ in NEW])


def test_with_the_order_uncertain_the_next_article_is_the_one_the_model_is_least_sure_of(
    any_engine: Engine,
) -> None:
    with session_factory(any_engine)() as session:
        _, person = _ordered_project(session)
        scores = dict(
            _rows(
                session,
                select(Article.title, ArticleUncertainty.uncertainty).join(
                    Article, Article.id == ArticleUncertainty.article_id
                ),
            )
        )
        assert set(scores) == set(NEW)  # only the articles short of annotators
        assert scores["Odd"] > max(scores["News from Ashford"], scores["News from Brill"])
        expected = sorted(NEW, key=lambda title: -scores[title])
        assert _claim_all(session, person) == expected
        assert assignment.claim_next(session, person, PROJECT) is None


def test_with_the_order_import_work_goes_out_in_import_order(any_engine: Engine) -> None:
    with session_factory(any_engine)() as session:
        _, person = _ordered_project(session, order="import")
        assert _rows(session, select(ArticleUncertainty.article_id)) == []  # nothing scored
        assert _claim_all(session, person) == NEW


def test_assign_gives_the_least_sure_article_to_the_first_annotator_in_line(
    any_engine: Engine,
) -> None:
    with session_factory(any_engine)() as session:
        admin, _ = _ordered_project(session)
        for name in ("bob", "carl"):
            accounts.create_user(session, name, "annotator", PASSWORD)
        assignment.assign(session, admin, PROJECT, ["bob", "carl"])
        bobs = (
            select(Assignment.article_id)
            .join(User, User.id == Assignment.annotator_id)
            .where(User.name == "bob")
            .order_by(Assignment.id)
        )
        first = _rows(session, bobs)[0].article_id
        assert _titles(session, [first]) == ["Odd"]  # import order would give Ashford


def test_without_a_model_good_enough_work_goes_out_in_import_order(any_engine: Engine) -> None:
    with session_factory(any_engine)() as session:
        admin = accounts.create_user(session, "admin", "admin", PASSWORD)
        person = build_model_project(session, admin)
        modelling.set_settings(session, admin, PROJECT, order="uncertain")
        _add_new_articles(session, admin)
        described = modelling.settings(session, PROJECT).describe()
        assert described.endswith(
            "least sure first once a model that beats its baseline has scored the articles "
            "short of annotators (import order until then)"
        )
        first = assignment.claim_next(session, person, PROJECT)  # no model yet
        assert _titles(session, [first]) == ["News from Ashford"]
        modelling.train(session, admin, PROJECT, ["claim_type"])
        with session.begin():
            session.execute(update(Model).values(beats_baseline=False))
        assert _claim_all(session, person) == ["Odd", "News from Brill"]  # import order


def test_a_model_that_does_not_beat_its_baseline_stores_no_order(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin, _ = _ordered_project(session)
    assert _rows(session, select(ArticleUncertainty.article_id)) != []
    monkeypatch.setattr("annotator.model.heldout", _no_better_than_the_baseline)
    (result,) = modelling.train(session, admin, PROJECT, ["claim_type"])
    assert result.model is not None and not result.model.beats_baseline
    assert result.ordered == 0
    assert _rows(session, select(ArticleUncertainty.article_id)) == []


def _no_better_than_the_baseline(*args: object) -> object:
    from annotator.model import Evaluation

    return Evaluation("claim_type", 1, 0.5, 0.5, 0.5, "factual", {}, 0.0, None, 0)


def test_a_new_model_replaces_the_scores_with_its_own_for_the_articles_still_short(
    any_engine: Engine,
) -> None:
    with session_factory(any_engine)() as session:
        admin, person = _ordered_project(session)
        assignment.claim_next(session, person, PROJECT)  # takes "Odd"
        (result,) = modelling.train(session, admin, PROJECT, ["claim_type"])
        assert result.model is not None and result.ordered == 2
        stored = _rows(
            session,
            select(Article.title, ArticleUncertainty.model_id).join(
                Article, Article.id == ArticleUncertainty.article_id
            ),
        )
        assert sorted(stored) == [
            ("News from Ashford", result.model.id),
            ("News from Brill", result.model.id),
        ]
        modelling.set_settings(session, admin, PROJECT, order="import")
        (result,) = modelling.train(session, admin, PROJECT, ["claim_type"])
        assert result.ordered == 0
        assert _rows(session, select(ArticleUncertainty.article_id)) == []


def test_past_the_scoring_budget_a_spread_of_articles_is_scored_and_the_rest_follow_in_import_order(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(modelling, "SCORED_SENTENCES", 20)  # of 18 + 3 + 18 body sentences
    _, person = _ordered_project(session)
    by_uncertainty = select(ArticleUncertainty.article_id).order_by(
        ArticleUncertainty.uncertainty.desc()
    )
    scored = _titles(session, [row.article_id for row in _rows(session, by_uncertainty)])
    assert sorted(scored) == ["News from Ashford", "News from Brill"]  # every other article
    assert _claim_all(session, person) == [*scored, "Odd"]  # the unscored one last


def test_the_order_setting_refuses_a_wrong_value_and_changes_nothing(
    session: Session, engine: Engine
) -> None:
    admin = accounts.create_user(session, "admin", "admin", PASSWORD)
    build_model_project(session, admin, ["Harrow"])
    before = table_counts(engine)
    with pytest.raises(InvalidInput, match="order 'random' is not one of import, uncertain"):
        modelling.set_settings(session, admin, PROJECT, order="random", mode="off")
    assert table_counts(engine) == before
    assert modelling.settings(session, PROJECT).order == "import"
    assert _rows(session, select(Project.suggestions)) == [(None,)]  # nor the mode


@pytest.fixture
def ordered_db(db_url: str) -> str:
    from tests.conftest import open_session, prepare_database

    prepare_database(db_url, (), seeds=None)
    with open_session(db_url) as session:
        admin = accounts.create_user(session, "admin", "admin", PASSWORD)
        build_model_project(session, admin, ["Harrow", "Dunmore", "Kestrel Bay"])
        _add_new_articles(session, admin)
    return db_url


def test_model_settings_order_on_the_command_line(
    ordered_db: str, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    code, out, err = run_cli(ordered_db, "model", "settings", "--project", PROJECT)
    assert code == 0 and out.strip().endswith("; articles handed out in import order"), err
    code, out, _ = run_cli(ordered_db, "model", "settings", "--project", PROJECT, "--order",
                           "uncertain")  # fmt: skip
    assert code == 0 and "least sure first once a model that beats its baseline" in out
    code, out, err = run_cli(ordered_db, "model", "train", "--project", PROJECT)
    assert code == 0, err
    assert ("claim_type: the uncertainty of 3 articles short of annotators stored; they go out "
            "least sure first") in out  # fmt: skip
    code, out, _ = run_cli(ordered_db, "model", "settings", "--project", PROJECT)
    assert out.strip().endswith("; articles handed out least sure first (the model's uncertainty)")


def test_model_settings_refuses_a_wrong_order_and_changes_nothing(
    ordered_db: str,
    run_cli: Callable[..., tuple[int, str, str]],
    engine_for: Callable[[str], Engine],
) -> None:
    before = table_counts(engine_for(ordered_db))
    code, out, err = run_cli(
        ordered_db, "model", "settings", "--project", PROJECT, "--order", "random",
        "--suggestions", "off",
    )  # fmt: skip
    assert code == 2 and "'random' is not one of 'import', 'uncertain'" in err, (out, err)
    assert table_counts(engine_for(ordered_db)) == before
    with session_factory(engine_for(ordered_db))() as session:
        row = session.execute(
            select(Project.article_order, Project.suggestions).where(Project.name == PROJECT)
        ).one()
    assert tuple(row) == ("import", None)

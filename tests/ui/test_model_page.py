"""The Model page and the annotate page's suggestions (issue 21, items 1 and 3), in AppTest."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from annotator.services import accounts, modelling
from annotator.services.importing import import_file
from annotator.services.projects import create_project
from db.models import Label, Model, Project
from tests.conftest import PASSWORD, open_session, prepare_database
from tests.modelled import PROJECT, articles_jsonl, build_suggesting_project
from tests.ui import panel_driver as panel
from tests.ui.conftest import OpenPage

PAGE = "annotator/ui/pages/model.py"
ANNOTATE = "annotator/ui/pages/annotate.py"


@pytest.fixture
def suggesting(app_db: str) -> str:
    build_suggesting_project(app_db, mode="preselected")
    with open_session(app_db) as session:
        accounts.create_user(session, "lena", "lead", PASSWORD)
    return app_db


def test_the_model_page_shows_each_version_and_saves_the_settings(
    suggesting: str, open_page: OpenPage, app_sessions: sessionmaker[Session]
) -> None:
    at = open_page("admin", PAGE, PROJECT)
    assert not at.exception
    (table,) = at.dataframe
    assert table.value["model"].tolist() == ["claim_type-v1"]
    assert bool(table.value["used"].iloc[0]) is True
    assert at.radio(key="model_mode").value == "preselected"
    at.radio(key="model_mode").set_value("shown")
    at.number_input(key="model_retrain_every").set_value(50)
    at.button(key="FormSubmitter:model_settings-Save settings").click().run()
    assert (
        "Saved: suggestions shown; automatic retraining after every 50 new labels; "
        "articles handed out in import order."
    ) in [s.value for s in at.success]
    with app_sessions() as session:
        row = session.execute(
            select(Project.suggestions, Project.retrain_every).where(Project.name == PROJECT)
        ).one()
    assert tuple(row) == ("shown", 50)


def test_the_model_page_turns_on_the_least_sure_first_order_which_the_next_training_scores(
    suggesting: str, open_page: OpenPage, app_sessions: sessionmaker[Session]
) -> None:
    at = open_page("admin", PAGE, PROJECT)
    assert at.radio(key="model_order").value == "import"
    at.radio(key="model_order").set_value("uncertain")
    at.button(key="FormSubmitter:model_settings-Save settings").click().run()
    (saved,) = [s.value for s in at.success]
    assert saved.endswith(
        "articles handed out least sure first once a model that beats its baseline has "
        "scored the articles short of annotators (import order until then)."
    )
    with app_sessions() as session:
        order = session.scalar(select(Project.article_order).where(Project.name == PROJECT))
    assert order == "uncertain"
    with open_session(suggesting) as session:  # an article nobody holds yet, to be scored
        admin = accounts.authenticate(session, "admin", PASSWORD)
        import_file(session, PROJECT, "more.jsonl", articles_jsonl(["Ashford"]), actor=admin)
    at.button(key="train_model").click().run()
    for process in list(modelling._training.values()):  # wait for the training to end
        assert process.wait(timeout=600) == 0
    at.run()
    now = [c.value for c in at.caption if c.value.startswith("Now: ")]
    assert now == [
        "Now: suggestions preselected; automatic retraining after every 200 new labels; "
        "articles handed out least sure first (the model's uncertainty)."
    ]


def test_a_lead_picks_only_her_projects_and_training_one_without_labels_stores_nothing(
    suggesting: str, open_page: OpenPage, app_sessions: sessionmaker[Session]
) -> None:
    with open_session(suggesting) as session:
        lena = accounts.authenticate(session, "lena", PASSWORD)
        create_project(session, "hers", actor=lena)
    at = open_page("lena", PAGE)
    assert not at.exception
    assert at.selectbox(key="project_picker").options == ["hers"]  # she leads only hers
    assert [t.value for t in at.caption if t.value == "No model yet."]
    at.button(key="train_model").click().run()
    assert "Training started" in at.success[0].value
    for process in list(modelling._training.values()):  # wait for the training to end
        assert process.wait(timeout=600) == 0
    with app_sessions() as session:
        hers = select(Project.id).where(Project.name == "hers").scalar_subquery()
        assert session.scalar(select(Model.id).where(Model.project_id == hers)) is None


def test_the_annotate_page_shows_the_suggestion_and_records_it_with_the_label(
    suggesting: str,
    open_page: OpenPage,
    app_sessions: sessionmaker[Session],
) -> None:
    at = open_page("ann", ANNOTATE)
    assert not at.exception
    shown = panel.current(at)["model"]
    assert (shown["answer"], shown["model"], shown["mode"]) == (
        "factual",
        "claim_type-v1",
        "preselected",
    )  # the panel offers "Accept Factual claim" and marks the button with the confidence
    sentence_id = panel.current(at)["id"]
    panel.answer(at, "factual")  # Enter: the suggested answer
    with app_sessions() as session:
        label = session.scalar(select(Label).where(Label.sentence_id == sentence_id))
        assert label is not None
        assert (label.claim_type, label.suggestion) == ("factual", "factual")
        assert (label.suggestion_model, label.suggestion_mode) == ("claim_type-v1", "preselected")
        assert label.suggestion_confidence is not None and label.suggestion_confidence > 0.5


def test_an_answer_that_overrides_the_suggestion_still_records_what_was_shown(
    suggesting: str,
    open_page: OpenPage,
    app_sessions: sessionmaker[Session],
) -> None:
    at = open_page("ann", ANNOTATE)
    sentence_id = panel.current(at)["id"]
    panel.answer(at, "opinion")
    with app_sessions() as session:
        label = session.scalar(select(Label).where(Label.sentence_id == sentence_id))
        assert label is not None and (label.claim_type, label.suggestion) == ("opinion", "factual")


def test_with_no_model_good_enough_the_sidebar_says_why_and_no_button_is_marked(
    suggesting: str, open_page: OpenPage
) -> None:
    with open_session(suggesting) as session:
        session.execute(update(Model).values(beats_baseline=False))
        session.commit()
    at = open_page("ann", ANNOTATE)
    assert all(s["model"] is None for s in panel.data(at)["body"])
    why = [c.value for c in at.sidebar.caption if "No suggestions" in c.value]
    assert why and "no better than always answering" in why[0]


def test_with_suggestions_off_the_page_shows_no_trace_of_the_model(
    suggesting: str, open_page: OpenPage
) -> None:
    with open_session(suggesting) as session:
        modelling.set_settings(session, None, PROJECT, mode="off")
    at = open_page("ann", ANNOTATE)
    assert all(s["model"] is None for s in panel.data(at)["body"])
    assert not [c for c in at.sidebar.caption if "suggest" in c.value.lower()]


def test_the_seed_project_with_no_model_says_so_in_the_sidebar(
    app_db: str, open_page: OpenPage
) -> None:
    prepare_database(app_db, (("admin", "admin"),))
    at = open_page("admin", ANNOTATE)
    assert not at.exception
    why = [c.value for c in at.sidebar.caption if "No suggestions yet" in c.value]
    assert why and "One is trained after every 200 new labels." in why[0]

"""The forms with SQL metacharacters (AppTest): the login form, the Users, Projects and Import
pages and an annotator's note store or match the text literally, or refuse it and store
nothing; messages that quote typed text show it escaped, never as Markdown."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from annotator.services.projects import get_project
from annotator.ui.components import literal
from db.models import Article, Label
from tests.conftest import PASSWORD, prepare_database, table_counts
from tests.ui import panel_driver as panel

INJECTION = "' OR '1'='1"
DROP = '"; DROP TABLE labels; --'


@pytest.fixture
def app_db(app_db: str) -> str:
    """The app's database after the first start with `admin` and the annotator `ann`."""
    prepare_database(app_db, (("admin", "admin"), ("ann", "annotator")))
    return app_db


@pytest.mark.parametrize(("name", "password"), [(INJECTION, INJECTION), ("admin' --", "x"),
                                                ("%", PASSWORD), ("a_min", PASSWORD)])  # fmt: skip
def test_the_login_form_matches_names_literally(
    app_db: str,
    app_engine: Engine,
    name: str,
    password: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
) -> None:
    before = table_counts(app_engine)
    at = new_app()
    log_in(at, name, password)
    assert [e.value for e in at.error] == ["wrong user name or password"]
    assert at.button[0].label == "Log in"
    assert table_counts(app_engine) == before


def test_the_users_form_refuses_a_metacharacter_name_and_quotes_it_escaped(
    app_engine: Engine, open_page: Callable[..., AppTest]
) -> None:
    at = open_page("admin", "annotator/ui/pages/users.py")
    before = table_counts(app_engine)
    name = f"{DROP} ![x](http://127.0.0.1:9/x.png)"
    at.text_input(key="new_user_name").input(name)
    at.text_input(key="new_user_password").input(PASSWORD)
    at.button(key="create_user_submit").click().run()
    message = at.error[0].value
    assert message.startswith(literal(f"user name {name!r} is not allowed"))
    assert "![x](" not in message
    assert table_counts(app_engine) == before


@pytest.mark.parametrize("name", [INJECTION, DROP, "%", "_", "\\", "**bold** <b>x</b>"])
def test_the_projects_form_stores_metacharacter_names_and_guidelines_literally(
    name: str,
    open_page: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    at = open_page("admin", "annotator/ui/pages/projects.py")
    at.text_input(key="new_project_name").input(name)
    at.text_area(key="new_project_guidelines").input(f"{DROP} {INJECTION}")
    at.button(key="create_project").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == f"Created project {literal(name)} (scheme claims-v1)."
    with app_sessions() as session:
        stored = get_project(session, name)
    assert (stored.name, stored.guidelines) == (name, f"{DROP} {INJECTION}")


def test_the_import_page_stores_a_metacharacter_file_name_literally(
    open_page: Callable[..., AppTest], app_sessions: sessionmaker[Session]
) -> None:
    at = open_page("admin", "annotator/ui/pages/import_articles.py")
    name = "'; DROP TABLE articles; --.txt"
    data = b"A title\n\nThe council met on Monday. It approved the budget.\n"
    at.file_uploader(key="import_files").upload(name, data, "text/plain").run()
    at.button(key="import").click().run()
    assert at.success[0].value.startswith("1 article imported")
    with app_sessions() as session:
        assert session.scalar(select(Article.title).where(Article.origin == name)) == "A title"


def test_a_note_with_metacharacters_is_stored_literally(
    open_page: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    at = open_page("ann")
    panel.answer(at, "opinion", note=f"{DROP} {INJECTION} % _ \\")
    with app_sessions() as session:
        stored = session.scalars(select(Label.note)).all()
    assert stored == [f"{DROP} {INJECTION} % _ \\"]

"""Fixtures of the AppTest page tests: the app on a fresh database, an engine to set it up
and check what was stored, and small factories that start, log in and open pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from db.engine import make_engine, session_factory
from tests.conftest import PASSWORD

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 30

NewApp = Callable[[], AppTest]
LogIn = Callable[..., AppTest]
OpenPage = Callable[..., AppTest]


@pytest.fixture
def app_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at a fresh database and forget the previous test's cached engine."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    st.cache_resource.clear()
    yield db_url
    st.cache_resource.clear()


@pytest.fixture
def app_engine(db_url: str) -> Iterator[Engine]:
    """An engine on the app's database, for setting it up and checking what was stored."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def app_sessions(app_engine: Engine) -> sessionmaker[Session]:
    """Sessions on the app's database: open one per check (`with app_sessions() as s:`), so
    that each sees what the app has committed since."""
    return session_factory(app_engine)


@pytest.fixture
def new_app(app_db: str) -> NewApp:
    """A factory of fresh browser sessions of the app (not yet run) on the test's database:
    whatever opens the app points it there first."""
    return lambda: AppTest.from_file(APP, default_timeout=TIMEOUT)


@pytest.fixture
def log_in() -> LogIn:
    """`log_in(at, name="admin", password=PASSWORD)`: run `at` and log in on its login page."""

    def log_in(at: AppTest, name: str = "admin", password: str = PASSWORD) -> AppTest:
        at.run(timeout=TIMEOUT)
        at.text_input[0].input(name)
        at.text_input[1].input(password)
        at.button[0].click()
        return at.run(timeout=TIMEOUT)

    return log_in


@pytest.fixture
def first_start() -> LogIn:
    """`first_start(at, password=PASSWORD, repeat=PASSWORD)`: create the admin account on the
    first-start page."""

    def first_start(at: AppTest, password: str = PASSWORD, repeat: str = PASSWORD) -> AppTest:
        at.run(timeout=TIMEOUT)
        inputs = at.text_input
        inputs[1].input(password)
        inputs[2].input(repeat)
        at.button[0].click()
        return at.run(timeout=TIMEOUT)

    return first_start


@pytest.fixture
def open_page(new_app: NewApp, log_in: LogIn) -> OpenPage:
    """`open_page(name, page=None, project=None)`: a fresh session logged in as `name`, on
    `project` if given, on the page file `page` if given (else the landing page)."""

    def open_page(name: str, page: str | None = None, project: str | None = None) -> AppTest:
        at = log_in(new_app(), name)
        if project is not None:
            at.selectbox(key="project_picker").set_value(project).run()
        return at.switch_page(page).run() if page else at

    return open_page

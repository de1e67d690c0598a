"""The Import page (AppTest): the day order chosen on the page reaches the import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from db.models import Article
from tests.conftest import prepare_database


@pytest.fixture
def app_db(app_db: str) -> str:
    """The app's database after the first start with `admin`."""
    prepare_database(app_db, (("admin", "admin"),))
    return app_db


def test_numeric_dates_are_read_in_the_order_chosen_on_the_page(
    open_page: Callable[..., AppTest], app_sessions: sessionmaker[Session]
) -> None:
    at = open_page("admin", "annotator/ui/pages/import_articles.py")
    feed = b"id,title,text,published\na,A,The council met.,10/02/2005\n"
    at.file_uploader(key="import_files").upload("feed.csv", feed, "text/csv").run()
    at.radio(key="import_day_order").set_value("dayfirst").run()
    at.button(key="import").click().run()
    assert at.success[0].value.startswith("1 article imported")
    with app_sessions() as session:
        published = session.scalar(select(Article.published).where(Article.external_id == "a"))
    assert published == dt.date(2005, 2, 10)

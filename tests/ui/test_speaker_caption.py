"""The annotate page names the speaker of a transcript's sentence, as literal text."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from annotator.services.importing import import_file
from annotator.ui.components import literal
from tests.conftest import prepare_database

HOST = "**Host** [pixel](http://tracker.example/p.png) :red[x]"
TURNS = [
    {"speaker": HOST, "text": "Welcome to the debate."},
    {"speaker": "TRUMP", "text": "Taxes rose."},
]


@pytest.fixture
def app_db(app_db: str, app_sessions: sessionmaker[Session]) -> str:
    """The app's database with one transcript of two turns and the admin account."""
    prepare_database(app_db, (("admin", "admin"),), seeds=None)
    data = "".join(json.dumps(turn) + "\n" for turn in TURNS).encode()
    with app_sessions() as session:
        report = import_file(session, "default", "debate.jsonl", data, transcript=True)
        assert report.status == "imported"
    return app_db


def test_the_speaker_is_shown_above_each_sentence_as_literal_text(
    app_db: str, open_page: Callable[..., AppTest]
) -> None:
    at = open_page("admin")
    assert not at.exception
    assert at.caption[0].value == f"Speaker: {literal(HOST)}"
    at.button(key="next").click().run()
    assert at.caption[0].value == "Speaker: TRUMP"

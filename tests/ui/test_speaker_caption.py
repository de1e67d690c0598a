"""The annotate page names the speaker of a transcript's sentence, as literal text."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from annotator.services.importing import import_file
from tests.conftest import prepare_database
from tests.ui import panel_driver as panel

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
    # The panel writes "Speaker: " and the name as text (textContent): no markup at all.
    assert [s["speaker"] for s in panel.data(at)["body"]] == [HOST, "TRUMP"]

"""The Export page: offered to leads and admins, and a download only of a project one leads."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from annotator.services import accounts
from annotator.services.projects import create_project
from tests.conftest import PASSWORD, prepare_database
from tests.ui.conftest import OpenPage

PAGE = "annotator/ui/pages/export.py"


def _lead_with_a_project(app_db: str, app_sessions: sessionmaker[Session]) -> None:
    prepare_database(app_db, (("admin", "admin"),))
    with app_sessions() as session:
        lea = accounts.create_user(session, "lea", "lead", PASSWORD)
        create_project(session, "lea-project", actor=lea)


def _download_offered(at: AppTest) -> bool:
    return bool(at.get("download_button"))


def test_a_lead_downloads_a_project_she_leads(
    app_db: str, app_sessions: sessionmaker[Session], open_page: OpenPage
) -> None:
    _lead_with_a_project(app_db, app_sessions)
    at = open_page("lea", PAGE, project="lea-project")
    assert not at.exception and not at.error
    assert _download_offered(at)


def test_a_lead_who_does_not_lead_the_project_is_told_so_and_offered_no_download(
    app_db: str, app_sessions: sessionmaker[Session], open_page: OpenPage
) -> None:
    _lead_with_a_project(app_db, app_sessions)
    at = open_page("lea", PAGE, project="default")
    assert not at.exception
    assert [e.value for e in at.error] == ["'lea' is not a lead of this project"]
    assert not _download_offered(at)
    assert _download_offered(open_page("admin", PAGE, project="default"))

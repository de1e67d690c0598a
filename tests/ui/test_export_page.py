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


def test_a_lead_is_offered_only_the_projects_she_leads_and_without_one_no_download(
    app_db: str, app_sessions: sessionmaker[Session], open_page: OpenPage
) -> None:
    _lead_with_a_project(app_db, app_sessions)
    with app_sessions() as session:
        accounts.create_user(session, "leo", "lead", PASSWORD)
    at = open_page("lea", PAGE, project="default")  # chosen on Annotate; Export is a lead's page
    assert at.selectbox(key="project_picker").options == ["lea-project"]
    assert not at.exception and not at.error and _download_offered(at)
    at = open_page("leo", PAGE)
    assert [e.value for e in at.error] == ["'leo' is not a lead of this project"]
    assert "You lead no project yet" in at.sidebar.caption[0].value
    assert not _download_offered(at)
    assert _download_offered(open_page("admin", PAGE, project="default"))

"""Page flows without a browser (streamlit.testing.v1.AppTest): first start, label, reload."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from annotator.config import SEEDS_DIR
from annotator.services import accounts, assignment
from annotator.services.setup import initialise
from db.models import Label, LabelHistory, Project, ProjectMember
from tests.conftest import PASSWORD, prepare_database
from tests.ui import panel_driver as panel


def _labels(sessions: sessionmaker[Session]) -> list[Label]:
    with sessions() as session:
        return list(session.scalars(select(Label).order_by(Label.sentence_id)))


def _history_count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return len(list(session.scalars(select(LabelHistory))))


def _progress_text(at: AppTest) -> str:
    return panel.progress(at)


def test_first_start_asks_for_the_admin_account_then_opens_the_annotate_page(
    app_db: str, new_app: Callable[[], AppTest], first_start: Callable[..., AppTest]
) -> None:
    at = new_app()
    at.run()
    assert at.title[0].value == "Welcome to Claim Annotator"
    first_start(at)
    assert not at.exception
    assert _progress_text(at).startswith("Sentence 1 of ")
    assert panel.buttons(at) == ["Factual claim", "Opinion", "Not a claim"]


def test_first_start_with_differing_passwords_creates_nobody(
    app_db: str,
    new_app: Callable[[], AppTest],
    first_start: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    at = new_app()
    first_start(at, repeat=PASSWORD + "x")
    assert at.error[0].value == "The two passwords differ."
    with app_sessions() as session:
        assert not accounts.has_users(session)


@pytest.mark.parametrize("password", ["short", " " * 12])
def test_first_start_with_a_short_password_shows_why_and_creates_nobody(
    app_db: str,
    new_app: Callable[[], AppTest],
    first_start: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
    password: str,
) -> None:
    at = new_app()
    first_start(at, password=password, repeat=password)
    assert "at least 12 characters" in at.error[0].value
    with app_sessions() as session:
        assert not accounts.has_users(session)


def test_labelling_saves_at_once_and_advances(
    app_db: str,
    new_app: Callable[[], AppTest],
    first_start: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    at = new_app()
    first_start(at)
    panel.answer(at, "factual")
    panel.answer(at, "opinion")
    assert [label.claim_type for label in _labels(app_sessions)] == ["factual", "opinion"]
    assert _progress_text(at).startswith("Sentence 3 of ")
    assert "2 of " in _progress_text(at)


def test_date_bound_toggle_on_a_factual_label_updates_it_and_appends_history(
    app_db: str,
    new_app: Callable[[], AppTest],
    first_start: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    at = new_app()
    first_start(at)
    first = panel.current(at)["id"]
    assert panel.current(at)["date_bound"][0] is False  # "... held on Monday": suggested no
    panel.answer(at, "factual")
    assert _labels(app_sessions)[0].date_bound is False
    panel.go_to(at, 0)
    panel.answer(at, "factual", sentence=first, date_bound=True)  # `D` on the labelled sentence
    label = _labels(app_sessions)[0]
    assert label.date_bound is True
    assert _history_count(app_sessions) == 2


def test_reload_then_log_in_continues_where_the_annotator_stopped(
    app_db: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
    first_start: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    at = new_app()
    first_start(at)
    panel.answer(at, "factual")
    panel.answer(at, "not_claim")
    panel.answer(at, None, skipped=True)
    reloaded = new_app()
    log_in(reloaded)
    assert not reloaded.exception
    assert _progress_text(reloaded).startswith("Sentence 4 of ")
    third = panel.data(reloaded)["body"][2]["id"]
    assert panel.data(reloaded)["labels"][str(third)]["skipped"] is True
    assert len(_labels(app_sessions)) == 3


def test_wrong_password_is_refused_with_a_message(
    app_db: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
    first_start: Callable[..., AppTest],
) -> None:
    at = new_app()
    first_start(at)
    again = new_app()
    log_in(again, password="not the password")
    assert again.error[0].value == "wrong user name or password"


def test_labelling_every_body_sentence_shows_the_finished_summary(
    app_db: str,
    new_app: Callable[[], AppTest],
    first_start: Callable[..., AppTest],
) -> None:
    at = new_app()
    first_start(at)
    total = int(_progress_text(at).split(" of ")[1].split(" ")[0])
    for _ in range(total):
        panel.answer(at, "not_claim")
    assert at.success[0].value.startswith("Article finished")
    assert len(at.dataframe[0].value) == total
    at.button(key="next_article").click().run()
    assert _progress_text(at).startswith("Sentence 1 of ")
    assert not at.exception


@pytest.mark.parametrize(
    "page",
    [
        "annotator/ui/pages/annotate.py",
        "annotator/ui/pages/export.py",
        "annotator/ui/pages/import_articles.py",
        "annotator/ui/pages/progress.py",
        "annotator/ui/pages/projects.py",
        "annotator/ui/pages/users.py",
        "annotator/ui/pages/account.py",
    ],
)
def test_every_page_renders_without_exception(
    app_db: str, page: str, new_app: Callable[[], AppTest], first_start: Callable[..., AppTest]
) -> None:
    at = new_app()
    first_start(at)
    at.switch_page(page).run()
    assert not at.exception


LEAD_PAGES = ("progress", "agreement", "adjudicate", "export", "import_articles", "fact_check")


def test_a_lead_of_no_project_is_told_so_on_every_lead_page_and_offered_no_form(
    app_db: str, open_page: Callable[..., AppTest]
) -> None:
    prepare_database(app_db, (("admin", "admin"), ("leo", "lead")))
    at = open_page("leo")
    for page in LEAD_PAGES:
        at.switch_page(f"annotator/ui/pages/{page}.py").run()
        assert not at.exception, page
        refused = ["'leo' is not a lead of this project"] if page != "fact_check" else []
        assert [e.value for e in at.error] == refused, page
        assert not at.get("file_uploader") and not at.get("download_button"), page
        assert not at.get("form") and not at.get("multiselect"), page


def test_logout_returns_to_the_login_page(
    app_db: str, new_app: Callable[[], AppTest], first_start: Callable[..., AppTest]
) -> None:
    at = new_app()
    first_start(at)
    at.button(key="logout").click().run()
    assert at.title[0].value == "Claim Annotator"
    assert at.button[0].label == "Log in"


def test_an_annotator_has_no_export_page(
    app_db: str, new_app: Callable[[], AppTest], log_in: Callable[..., AppTest]
) -> None:
    prepare_database(app_db, (("admin", "admin"), ("ann", "annotator")))
    at = new_app()
    log_in(at, "ann")
    assert _progress_text(at).startswith("Sentence 1 of ")
    with pytest.raises(ValueError):
        at.switch_page("annotator/ui/pages/export.py")


def test_article_text_with_markup_is_shown_as_inert_text(
    app_db: str,
    tmp_path: Path,
    new_app: Callable[[], AppTest],
    first_start: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
    app_engine: Engine,
) -> None:
    from annotator.services.importing import import_file
    from annotator.services.setup import initialise

    hostile = (
        "<b>Bold</b> title\n\n"
        "Officials said <script>alert(1)</script> was found. "
        "The **budget** <img src=x onerror=alert(2)> rose [link](javascript:alert(3))."
    )
    with app_sessions() as session:
        initialise(app_engine, session, None)
        assert import_file(session, "default", "x.txt", hostile.encode()).status == "imported"
    at = new_app()
    first_start(at)
    (title,) = [e.proto.body for e in at.get("html") if 'class="ca-title"' in e.proto.body]
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in title and "<b>" not in title
    # The sentences go to the panel as data, which its script sets as text (textContent).
    texts = [s["text"] for s in panel.data(at)["sentences"]]
    assert "Officials said <script>alert(1)</script> was found." in texts
    assert not any("alert(" in e.proto.body for e in at.get("html"))
    assert "innerHTML" not in panel.panel(at).js_content.replace("panel.innerHTML = [", "")


def test_reload_continues_in_the_article_the_annotator_was_working_on(
    app_db: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
    first_start: Callable[..., AppTest],
) -> None:
    at = new_app()
    first_start(at)
    first_article = at.selectbox(key="annotate_article_id").value
    at.selectbox(key="annotate_article_id").select_index(1).run()
    second_article = at.selectbox(key="annotate_article_id").value
    assert second_article != first_article
    panel.answer(at, "opinion")
    reloaded = new_app()
    log_in(reloaded)
    assert reloaded.selectbox(key="annotate_article_id").value == second_article
    assert _progress_text(reloaded).startswith("Sentence 2 of ")


def test_a_lead_page_assigns_work_and_the_annotator_sees_only_theirs(
    app_db: str, new_app: Callable[[], AppTest], log_in: Callable[..., AppTest]
) -> None:
    prepare_database(app_db, (("admin", "admin"), ("ann", "annotator"), ("bob", "annotator")))
    lead = new_app()
    log_in(lead, "admin")
    lead.switch_page("annotator/ui/pages/progress.py").run()
    lead.multiselect[0].select("ann").select("bob")
    next(b for b in lead.button if b.label == "Assign").click().run()
    assert not lead.error, lead.error
    assert "2 new assignments" in lead.success[0].value
    assert sorted(lead.dataframe[0].value["annotator"]) == ["ann", "bob"]
    assert "sentences per hour" in lead.dataframe[0].value.columns
    assert lead.multiselect[0].value == []  # the form starts empty again
    ann = new_app()
    log_in(ann, "ann")
    assert len(ann.selectbox(key="annotate_article_id").options) == 1
    with pytest.raises(ValueError):
        ann.switch_page("annotator/ui/pages/progress.py")


def test_an_annotator_without_work_can_ask_for_an_article(
    app_db: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
    app_engine: Engine,
) -> None:
    with app_sessions() as session:
        initialise(app_engine, session, SEEDS_DIR)
        accounts.create_user(session, "admin", "admin", PASSWORD)
        accounts.create_user(session, "ann", "annotator", PASSWORD)
        late = accounts.create_user(session, "late", "annotator", PASSWORD)
        with session.begin():
            session.execute(update(Project).values(overlap=2))
        assignment.assign(session, None, "default", ["ann"])  # every article short of 2
        with session.begin():
            project_id = session.scalar(select(Project.id))
            session.add(
                ProjectMember(
                    project_id=project_id,
                    user_id=late.id,
                    role="annotator",
                    added_at=dt.datetime.now(dt.UTC),
                )
            )
    at = new_app()
    log_in(at, "late")
    assert at.info[0].value == "You have no articles to label in this project yet."
    at.button(key="claim").click().run()
    assert _progress_text(at).startswith("Sentence 1 of ")


def test_an_annotator_of_a_team_project_logs_in_to_that_project_not_default(
    app_db: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    from annotator.services.importing import import_file
    from annotator.services.projects import create_project

    prepare_database(app_db, (("admin", "admin"), ("ann", "annotator")))
    with app_sessions() as session:
        create_project(session, "team")
        text = b"Title\n\nThe ministry said exports rose by 4% in 2014."
        assert import_file(session, "team", "a.txt", text).status == "imported"
        assignment.assign(session, None, "team", ["ann"])
    at = log_in(new_app(), "ann")
    assert at.selectbox(key="project_picker").value == "team"
    assert "The ministry said exports rose by 4% in 2014." in [
        s["text"] for s in panel.data(at)["sentences"]
    ]


def test_an_annotator_who_finishes_all_her_work_is_told_so_at_once_and_after_a_reload(
    app_db: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
) -> None:
    prepare_database(app_db, (("admin", "admin"), ("ann", "annotator"), ("bob", "annotator")))
    lead = log_in(new_app(), "admin")
    lead.switch_page("annotator/ui/pages/progress.py").run()
    lead.multiselect[0].select("ann").select("bob")
    next(b for b in lead.button if b.label == "Assign").click().run()  # one article each
    at = log_in(new_app(), "ann")
    found = re.search(
        r"0 of (\d+) labelled in this article · 0 of (\d+) overall", _progress_text(at)
    )
    assert found is not None
    in_article, overall = found.groups()
    assert in_article == overall  # her one article, not the project's body sentences
    while not at.success:
        panel.answer(at, "opinion")
    assert f"{overall} of {overall} overall" in _progress_text(at)
    # Bob has the other article and the overlap is 1: nothing is left to claim, so the
    # summary says so at once, with no "Next article" that would only say it after a click.
    assert [m.value.split(":")[0] for m in at.success] == ["Article finished", "All done"]
    assert not [b for b in at.button if b.key == "next_article"]
    again = log_in(new_app(), "ann")  # a reload: a new session on her finished article
    assert [m.value.split(":")[0] for m in again.success] == ["Article finished", "All done"]
    assert not [b for b in again.button if b.key == "next_article"]

"""The Projects page (admins and leads): list projects, create one with an uploaded scheme."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from annotator.config import SEEDS_DIR
from annotator.scheme import load_scheme, scheme_to_json
from annotator.services import accounts
from annotator.services.projects import create_project, project_scheme
from annotator.services.setup import initialise
from annotator.ui.components import literal
from db.engine import session_factory
from db.models import Project
from tests.conftest import PASSWORD, prepare_database, table_counts
from tests.ui import panel_driver as panel

PAGE = "annotator/ui/pages/projects.py"
SCHEMES_DIR = Path(__file__).resolve().parents[2] / "annotator" / "schemes"
GOOD = b"""name: stance
labels:
  - {value: agree, label: Agrees, key: "a", definition: The sentence supports the claim.}
  - {value: disagree, label: Disagrees, key: "x", definition: It contradicts the claim.}
"""


@pytest.fixture
def projects_page(
    app_db: str, new_app: Callable[[], AppTest], first_start: Callable[..., AppTest]
) -> AppTest:
    """The Projects page, as the admin just created on the first start."""
    at = first_start(new_app())
    at.switch_page(PAGE)
    return at.run()


def _fill(at: AppTest, name: str, scheme_file: tuple[str, bytes] | None) -> AppTest:
    at.text_input(key="new_project_name").input(name)
    at.number_input(key="new_project_overlap").set_value(2)
    at.text_area(key="new_project_guidelines").input("Label <b>every</b> sentence.")
    if scheme_file is not None:
        at.selectbox(key="new_project_scheme").set_value("upload").run()
        at.file_uploader(key="new_project_scheme_file").upload(*scheme_file, "text/yaml")
    return at.run()


def test_the_page_lists_projects_with_scheme_and_overlap(projects_page: AppTest) -> None:
    at = projects_page
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["project", "scheme", "overlap", "body sentences", "leads"]
    assert table.iloc[0].tolist()[:3] == ["default", "claims-v1", 1]


def test_creating_a_project_with_an_uploaded_scheme_stores_it(
    app_sessions: sessionmaker[Session], projects_page: AppTest
) -> None:
    at = _fill(projects_page, "stance-2025", ("stance.yaml", GOOD))
    assert "Labels: A Agrees · X Disagrees; no date-bound field" in [c.value for c in at.caption]
    at.button(key="create_project").click().run()
    assert not at.exception
    assert at.success[0].value == "Created project stance-2025 (scheme stance)."
    assert "stance-2025" in at.dataframe[0].value["project"].tolist()
    with app_sessions() as session:
        scheme = project_scheme(session, "stance-2025")
    assert scheme.values == ("agree", "disagree")


def test_a_shipped_scheme_can_be_chosen_without_uploading(projects_page: AppTest) -> None:
    at = _fill(projects_page, "debates", None)
    at.selectbox(key="new_project_scheme").set_value("claimbuster").run()
    at.button(key="create_project").click().run()
    assert at.success[0].value == "Created project debates (scheme claimbuster)."


def test_a_bad_scheme_file_shows_its_error_and_stores_nothing(
    app_engine: Engine, projects_page: AppTest
) -> None:
    at = projects_page
    before = table_counts(app_engine)
    bad = GOOD.replace(b'key: "x"', b'key: "c"')
    at = _fill(at, "stance-2025", ("stance.yaml", bad))
    expected = literal("stance.yaml: labels[1].key 'c' is reserved by Streamlit")  # escaped
    assert any(expected in e.value for e in at.error)
    at.button(key="create_project").click().run()
    assert not at.exception
    assert any(e.value.startswith(f"Not created: {expected}") for e in at.error)
    assert table_counts(app_engine) == before


def test_a_taken_name_is_refused_on_the_page(projects_page: AppTest) -> None:
    at = _fill(projects_page, "default", None)
    at.button(key="create_project").click().run()
    assert at.error[0].value == "Not created: a project named 'default' already exists"


def test_annotators_have_no_projects_page(
    app_db: str, new_app: Callable[[], AppTest], log_in: Callable[..., AppTest]
) -> None:
    prepare_database(app_db, (("admin", "admin"), ("ann", "annotator")), seeds=None)
    at = new_app()
    log_in(at, "ann")
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_a_lead_sees_only_the_projects_she_leads(
    app_db: str, app_sessions: sessionmaker[Session], open_page: Callable[..., AppTest]
) -> None:
    prepare_database(app_db, (("admin", "admin"),))
    with app_sessions() as session:
        for name in ("lea", "leo"):
            lead = accounts.create_user(session, name, "lead", PASSWORD)
            create_project(session, f"{name}-project", actor=lead)
    table = open_page("lea", PAGE).dataframe[0].value
    assert table["project"].tolist() == ["lea-project"]
    everything = open_page("admin", PAGE).dataframe[0].value
    assert everything["project"].tolist() == ["default", "lea-project", "leo-project"]


def _default_project_uses(engine: Engine, scheme_file: str, guidelines: str) -> None:
    scheme = load_scheme(scheme_file, (SCHEMES_DIR / scheme_file).read_bytes())
    with session_factory(engine)() as session:
        initialise(engine, session, SEEDS_DIR)
        accounts.create_user(session, "admin", "admin", PASSWORD)
        with session.begin():
            session.execute(
                update(Project).values(
                    scheme=scheme.name, scheme_json=scheme_to_json(scheme), guidelines=guidelines
                )
            )


def test_the_annotate_page_follows_the_project_scheme_and_hides_date_bound(
    app_db: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
    app_engine: Engine,
) -> None:
    _default_project_uses(app_engine, "claimbuster.yaml", "")
    at = new_app()
    log_in(at)
    assert not at.exception
    scheme = panel.data(at)["scheme"]
    assert [t["value"] for t in scheme["types"]] == ["nfs", "ufs", "cfs"]
    assert scheme["date_bound_applies_to"] is None  # no switch, no as-of date
    panel.answer(at, "cfs")
    assert not at.exception and not at.error
    assert [a["state"] for a in panel.acks(at).values()] == ["saved"]


def test_the_definitions_show_the_project_guidelines_as_escaped_text(
    app_db: str, new_app: Callable[[], AppTest], log_in: Callable[..., AppTest], app_engine: Engine
) -> None:
    _default_project_uses(app_engine, "claims-v1.json", "Read <b>twice</b> & **slowly**.")
    at = new_app()
    log_in(at)
    html = [
        e.proto.body
        for e in at.get("html")
        if e.proto.body.startswith('<div class="ca-definitions"')
    ]
    assert len(html) == 1
    assert "Read &lt;b&gt;twice&lt;/b&gt; &amp; **slowly**." in html[0]
    assert "Date-bound" in html[0]


def _leads(at: AppTest) -> dict[str, str]:
    table = at.dataframe[0].value
    return dict(zip(table["project"], table["leads"], strict=True))


def test_an_admin_adds_and_removes_a_project_s_lead_on_the_page(
    app_db: str, app_sessions: sessionmaker[Session], open_page: Callable[..., AppTest]
) -> None:
    prepare_database(app_db, (("admin", "admin"), ("lena", "lead"), ("ann", "annotator")))
    with app_sessions() as session:
        create_project(session, "team")
    at = open_page("admin", PAGE)
    assert at.selectbox(key="lead_name").options == ["lena"]  # lead accounts only
    at.selectbox(key="lead_project").set_value("team").run()
    at.button(key="add_lead").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["lena now leads team."]
    assert _leads(at) == {"default": "", "team": "lena"}
    assert _leads(open_page("lena", PAGE)) == {"team": "lena"}
    at.button(key="add_lead").click().run()
    assert [i.value for i in at.info] == ["lena already leads team: nothing changed."]
    at.button(key="remove_lead").click().run()
    assert [s.value for s in at.success] == ["lena no longer leads team."]
    assert _leads(at) == {"default": "", "team": ""}


def test_a_refused_lead_change_says_why_and_changes_nothing(
    app_db: str,
    app_engine: Engine,
    app_sessions: sessionmaker[Session],
    open_page: Callable[..., AppTest],
) -> None:
    prepare_database(app_db, (("admin", "admin"), ("lena", "lead")))
    at = open_page("admin", PAGE)
    with app_sessions() as session:
        accounts.set_active(session, None, "lena", False)  # after the page offered her
    before = table_counts(app_engine)
    at.button(key="add_lead").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Not changed: 'lena' is disabled: enable the account first"
    ]
    assert table_counts(app_engine) == before


def test_only_an_admin_has_the_leads_form(
    app_db: str, app_sessions: sessionmaker[Session], open_page: Callable[..., AppTest]
) -> None:
    prepare_database(app_db, (("admin", "admin"), ("lena", "lead")))
    at = open_page("lena", PAGE)
    assert not at.exception
    assert [b.key for b in at.button if b.key in ("add_lead", "remove_lead")] == []

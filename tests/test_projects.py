"""Projects are created with a scheme, an overlap and guidelines; labels follow that scheme."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, PermissionDenied
from annotator.scheme import CLAIMS_V1, Scheme, scheme_to_json
from annotator.services import accounts, labelling
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.projects import (
    create_project,
    ensure_project,
    get_project,
    list_projects,
    project_scheme,
    shipped_schemes,
)
from annotator.services.records import UserInfo
from db.models import Project, ProjectMember
from tests.conftest import PASSWORD, table_counts

ARTICLE = b"Budget passes\n\nThe council approved the budget on Monday. It is a good budget.\n"


def _scheme(name: str) -> Scheme:
    return shipped_schemes()[name]


def test_shipped_schemes_are_claims_v1_first_then_the_examples() -> None:
    assert list(shipped_schemes()) == ["claims-v1", "checkthat", "claimbuster"]
    assert shipped_schemes()["claims-v1"] == CLAIMS_V1


@pytest.mark.parametrize("name", ["claims-v1", "claimbuster", "checkthat"])
def test_a_project_stores_its_scheme_overlap_and_guidelines(
    session: Session, admin_user: UserInfo, name: str
) -> None:
    info = create_project(
        session, "p", scheme=_scheme(name), overlap=3, guidelines="Read twice.", actor=admin_user
    )
    assert (info.scheme, info.overlap, info.guidelines) == (name, 3, "Read twice.")
    assert get_project(session, "p") == info
    assert project_scheme(session, "p") == _scheme(name)


def test_the_default_project_stores_claims_v1_in_full(seeded: Session) -> None:
    with seeded.begin():
        stored = seeded.scalar(select(Project.scheme_json).where(Project.name == "default"))
    assert stored == scheme_to_json(CLAIMS_V1)
    assert project_scheme(seeded, "default") == CLAIMS_V1


def test_a_project_stored_before_schemes_were_kept_in_full_falls_back_to_its_name(
    seeded: Session,
) -> None:
    with seeded.begin():
        seeded.execute(update(Project).values(scheme_json=""))
    assert project_scheme(seeded, "default") == CLAIMS_V1


@pytest.mark.parametrize(
    ("name", "options", "expected"),
    [
        ("", {}, "project name"),
        (" padded", {}, "project name"),
        ("x" * 101, {}, "project name"),
        ("p", {"overlap": 0}, "overlap 0 must be a whole number from 1 to 20"),
        ("p", {"overlap": 21}, "overlap 21"),
        ("p", {"guidelines": "x" * 20_001}, "guidelines are 20,001 characters"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(
    engine: Engine, session: Session, name: str, options: dict[str, Any], expected: str
) -> None:
    before = table_counts(engine)
    with pytest.raises(InvalidInput, match=expected):
        create_project(session, name, **options)
    assert table_counts(engine) == before


def test_a_taken_name_is_refused_and_nothing_is_stored(engine: Engine, session: Session) -> None:
    create_project(session, "p")
    before = table_counts(engine)
    with pytest.raises(InvalidInput, match="a project named 'p' already exists"):
        create_project(session, "p", scheme=_scheme("claimbuster"))
    assert table_counts(engine) == before
    assert project_scheme(session, "p") == CLAIMS_V1


def test_an_annotator_may_not_create_a_project(
    engine: Engine, session: Session, annotator_user: UserInfo
) -> None:
    before = table_counts(engine)
    with pytest.raises(PermissionDenied, match="only leads and admins"):
        create_project(session, "p", actor=annotator_user)
    assert table_counts(engine) == before


def test_a_lead_creates_a_project_and_leads_it(session: Session, admin_user: UserInfo) -> None:
    lead = accounts.create_user(session, "lea", "lead", PASSWORD)
    info = create_project(session, "p", actor=lead)
    with session.begin():
        members = session.execute(select(ProjectMember.user_id, ProjectMember.role)).all()
    assert [tuple(m) for m in members] == [(lead.id, "lead")]
    assert [p.name for p in list_projects(session)] == [info.name]


def test_a_lead_manages_only_the_projects_they_lead_and_an_admin_all(
    seeded: Session, admin_user: UserInfo, annotator_user: UserInfo
) -> None:
    lea = accounts.create_user(seeded, "lea", "lead", PASSWORD)
    leo = accounts.create_user(seeded, "leo", "lead", PASSWORD)
    create_project(seeded, "lea-project", actor=lea)
    create_project(seeded, "leo-project", actor=leo)
    names = {user.name: [p.name for p in list_projects(seeded, user)] for user in (lea, leo)}
    assert names == {"lea": ["lea-project"], "leo": ["leo-project"]}
    everything = ["default", "lea-project", "leo-project"]
    assert [p.name for p in list_projects(seeded, admin_user)] == everything
    assert [p.name for p in list_projects(seeded, None)] == everything
    assert list_projects(seeded, annotator_user) == []


def _first_body_sentence(session: Session, user: UserInfo, project: str) -> int:
    import_file(session, project, "budget.txt", ARTICLE)
    summary = labelling.article_list(session, user, project)[0]
    return labelling.load_article(session, user, summary.id).body[0].id


def test_labels_in_a_claimbuster_project_follow_its_scheme(
    session: Session, annotator_user: UserInfo
) -> None:
    create_project(session, "cb", scheme=_scheme("claimbuster"))
    sentence = _first_body_sentence(session, annotator_user, "cb")
    with pytest.raises(InvalidInput, match="'factual' is not one of nfs, ufs, cfs"):
        labelling.save_label(session, annotator_user, sentence, LabelInput("factual"), 1.0)
    label, _ = labelling.save_label(session, annotator_user, sentence, LabelInput("cfs"), 1.0)
    assert label.claim_type == "cfs"


def test_a_scheme_without_date_bound_drops_the_date_bound_answer(
    session: Session, annotator_user: UserInfo
) -> None:
    create_project(session, "ct", scheme=_scheme("checkthat"))
    sentence = _first_body_sentence(session, annotator_user, "ct")
    answer = LabelInput("yes", date_bound=True, as_of=dt.date(2024, 1, 1))
    label, _ = labelling.save_label(session, annotator_user, sentence, answer, 1.0)
    assert (label.claim_type, label.date_bound, label.as_of) == ("yes", None, None)


def test_the_default_project_still_refuses_claimbuster_values(
    seeded: Session, annotator_user: UserInfo
) -> None:
    ensure_project(seeded, "default")
    summary = labelling.article_list(seeded, annotator_user, "default")[0]
    sentence = labelling.load_article(seeded, annotator_user, summary.id).body[0].id
    with pytest.raises(InvalidInput, match="'cfs' is not one of factual, opinion, not_claim"):
        labelling.save_label(seeded, annotator_user, sentence, LabelInput("cfs"), 1.0)


def test_a_user_starts_in_the_project_of_their_latest_label_else_their_team_project(
    seeded: Session, annotator_user: UserInfo
) -> None:
    from annotator.services import assignment
    from annotator.services.projects import starting_project

    visible = ["default", "team", "zeta"]
    assert starting_project(seeded, annotator_user, visible) == "default"
    for name in ("team", "zeta"):
        create_project(seeded, name)
    text = b"Title\n\nThe ministry said exports rose by 4% in 2014."
    assert import_file(seeded, "team", "a.txt", text).status == "imported"
    assignment.assign(seeded, None, "team", [annotator_user.name])
    assert starting_project(seeded, annotator_user, visible) == "team"  # a member, no label
    article = labelling.article_list(seeded, annotator_user, "default")[0]
    sentence = labelling.load_article(seeded, annotator_user, article.id).body[0]
    labelling.save_label(seeded, annotator_user, sentence.id, LabelInput("opinion"), 1.0)
    assert starting_project(seeded, annotator_user, visible) == "default"  # the latest label
    assert starting_project(seeded, annotator_user, ["zeta"]) == "zeta"  # only what is visible

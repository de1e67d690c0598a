"""An admin makes an existing lead account a lead of a project (or stops it leading one);
every lead action then follows one rule: an admin or a lead of that project, nobody else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, NotAssigned, NotFound, PermissionDenied
from annotator.services import (
    accounts,
    adjudication,
    assignment,
    fact_checking,
    labelling,
    progress,
    reliability,
)
from annotator.services.exporting import ExportRequest, check_export, export_bytes
from annotator.services.importing import import_file
from annotator.services.label_import import import_labels
from annotator.services.labelling import LabelInput
from annotator.services.leads import add_lead, lead_accounts, project_leads, remove_lead
from annotator.services.projects import check_lead, create_project, list_projects
from annotator.services.records import UserInfo
from db.engine import session_factory
from db.models import ProjectMember
from tests.conftest import PASSWORD, table_counts

ARTICLE = b"Budget passes\n\nThe council approved the budget on Monday. It is a good budget.\n"
Counts = Callable[[str], dict[str, int]]


def _team(session: Session) -> dict[str, UserInfo]:
    """Accounts admin, leads lena and leo, annotator ann; `team` (made by the admin, so led by
    nobody) with one article assigned to ann, who labelled its first sentence; leo leads
    `other`, which he made."""
    people = {
        name: accounts.create_user(session, name, role, PASSWORD)
        for name, role in (("admin", "admin"), ("lena", "lead"), ("leo", "lead"))
    }
    people["ann"] = accounts.create_user(session, "ann", "annotator", PASSWORD)
    create_project(session, "team", actor=people["admin"])
    create_project(session, "other", actor=people["leo"])
    assert import_file(session, "team", "a.txt", ARTICLE).status == "imported"
    assignment.assign(session, None, "team", ["ann"])
    return people


def _first_sentence(session: Session, ann: UserInfo) -> int:
    article = labelling.article_list(session, ann, "team")[0].id
    return labelling.load_article(session, ann, article).body[0].id


def _import(session: Session, actor: UserInfo) -> None:
    report = import_file(
        session, "team", "b.txt", ARTICLE.replace(b"Monday", b"Friday"), actor=actor
    )
    if report.error:
        raise PermissionDenied(report.error)


def _gold(session: Session, actor: UserInfo, sentence: int) -> None:
    adjudication.adjudicate(session, actor, sentence, LabelInput("factual", date_bound=False))


LABELS = ExportRequest(project="team", kind="labels", format="csv")
LEAD_ACTIONS: dict[str, Callable[[Session, UserInfo, int], Any]] = {
    "progress": lambda s, a, _: progress.project_progress(s, a, "team"),
    "assignable users": lambda s, a, _: assignment.assignable_users(s, a, "team"),
    "assign": lambda s, a, _: assignment.assign(s, a, "team"),
    "agreement": lambda s, a, _: reliability.agreement_report(s, a, "team"),
    "dispute queue": lambda s, a, _: adjudication.dispute_queue(s, a, "team"),
    "outcome counts": lambda s, a, _: adjudication.outcome_counts(s, a, "team"),
    "open a case": lambda s, a, sentence: adjudication.open_case(s, a, sentence),
    "set gold": _gold,
    "reopen gold": lambda s, a, sentence: adjudication.reopen(s, a, sentence),
    "gold policy": lambda s, a, _: adjudication.set_policy(s, a, "team", "majority"),
    "check export": lambda s, a, _: check_export(s, LABELS, a),
    "export": lambda s, a, _: export_bytes(s, LABELS, a),
    "import articles": lambda s, a, _: _import(s, a),
    "import labels": lambda s, a, _: import_labels(s, a, "team", "empty.jsonl", b""),
    "assign checks": lambda s, a, _: fact_checking.assign_checks(s, a, "team"),
    "verdict counts": lambda s, a, _: fact_checking.verdict_counts(s, a, "team"),
    "checked claims": lambda s, a, _: fact_checking.project_checks(s, a, "team"),
    "lead's pages": lambda s, a, _: check_lead(s, a, "team"),
}


@pytest.mark.parametrize("action", list(LEAD_ACTIONS))
def test_every_lead_action_is_open_to_a_lead_an_admin_added_and_to_nobody_else(
    session: Session, action: str
) -> None:
    people = _team(session)
    sentence = _first_sentence(session, people["ann"])
    labelling.save_label(session, people["ann"], sentence, LabelInput("opinion"), 1.0)
    if action == "reopen gold":
        _gold(session, people["admin"], sentence)
    act = LEAD_ACTIONS[action]
    for outsider in ("lena", "leo", "ann"):  # lena before she is added; leo leads `other`
        with pytest.raises(PermissionDenied, match=f"'{outsider}' is not a lead of this project"):
            act(session, people[outsider], sentence)
    assert add_lead(session, people["admin"], "team", "lena").changed
    act(session, people["lena"], sentence)
    assert remove_lead(session, people["admin"], "team", "lena").changed
    with pytest.raises(PermissionDenied):
        act(session, people["lena"], sentence)


def test_an_added_lead_sees_the_project_and_its_leads(session: Session) -> None:
    people = _team(session)
    assert [p.name for p in list_projects(session, people["lena"])] == []
    change = add_lead(session, people["admin"], "team", "lena")
    assert change.summary == "lena now leads team"
    assert [p.name for p in list_projects(session, people["lena"])] == ["team"]
    assert project_leads(session, people["lena"]) == {"team": ["lena"]}
    assert project_leads(session, None) == {"other": ["leo"], "team": ["lena"]}
    assert lead_accounts(session, people["admin"]) == ["lena", "leo"]


def test_adding_a_lead_twice_changes_nothing_and_says_so(session: Session) -> None:
    _team(session)
    add_lead(session, None, "team", "lena")
    before = table_counts(session.get_bind())
    change = add_lead(session, None, "team", "lena")
    assert not change.changed and change.summary == "lena already leads team: nothing changed"
    assert table_counts(session.get_bind()) == before


def test_removing_someone_who_does_not_lead_changes_nothing_and_says_so(session: Session) -> None:
    _team(session)
    change = remove_lead(session, None, "team", "leo")
    assert not change.changed and change.summary == "leo does not lead team: nothing changed"
    assert project_leads(session, None)["other"] == ["leo"]


def test_a_lead_account_that_annotates_the_project_becomes_its_lead(session: Session) -> None:
    people = _team(session)
    assignment.assign(session, None, "team", ["lena"])  # the command line takes any account
    assert add_lead(session, None, "team", "lena").changed
    check_lead(session, people["lena"], "team")
    roles = {m.user_id: m.role for m in session.query(ProjectMember)}
    assert roles[people["lena"].id] == "lead" and roles[people["ann"].id] == "annotator"


def test_only_an_admin_chooses_a_project_s_leads(session: Session) -> None:
    people = _team(session)
    add_lead(session, None, "team", "lena")
    for who in ("lena", "leo", "ann"):
        with pytest.raises(PermissionDenied, match="only admins may"):
            add_lead(session, people[who], "team", "leo")
        with pytest.raises(PermissionDenied, match="only admins may"):
            remove_lead(session, people[who], "team", "lena")
    assert project_leads(session, None)["team"] == ["lena"]


def _refusals(people: dict[str, UserInfo]) -> list[tuple[Callable[[Session], Any], type, str]]:
    admin = people["admin"]
    return [
        (lambda s: add_lead(s, admin, "team", "lenna"), NotFound,
         "no user named 'lenna'; lead accounts: lena, leo"),
        (lambda s: add_lead(s, admin, "taem", "lena"), NotFound, "no project named 'taem'"),
        (lambda s: add_lead(s, admin, "team", "ann"), InvalidInput,
         "'ann' is an annotator account: only lead accounts can lead a project"),
        (lambda s: add_lead(s, admin, "team", "admin"), InvalidInput,
         "'admin' is an admin, and admins lead every project already"),
        (lambda s: add_lead(s, admin, "team", "gone"), InvalidInput,
         "'gone' is disabled: enable the account first"),
        (lambda s: add_lead(s, admin, "team", "x\x00"), NotFound, "no user named"),
        (lambda s: remove_lead(s, admin, "other", "lo"), NotFound,
         "no user named 'lo'; leads of 'other': leo"),
        (lambda s: remove_lead(s, admin, "other", "admin"), InvalidInput,
         "'admin' is an admin: admins lead every project"),
        (lambda s: remove_lead(s, people["leo"], "other", "leo"), PermissionDenied,
         "'leo' may not choose a project's leads: only admins may"),
    ]  # fmt: skip


def test_every_refusal_says_what_is_wrong_and_changes_nothing(
    any_engine: Engine, row_counts: Counts
) -> None:
    url = any_engine.url.render_as_string(hide_password=False)
    with session_factory(any_engine)() as session:
        people = _team(session)
        accounts.create_user(session, "gone", "lead", PASSWORD)
        accounts.set_active(session, None, "gone", False)
        before = row_counts(url)
        for call, error, message in _refusals(people):
            with pytest.raises(error) as raised:
                call(session)
            assert message in raised.value.message
            assert row_counts(url) == before, message


def test_once_work_is_assigned_only_a_lead_of_the_project_may_open_every_article(
    session: Session,
) -> None:
    people = _team(session)  # team's one article is assigned to ann
    article = labelling.article_list(session, people["ann"], "team")[0].id
    assert labelling.article_list(session, people["lena"], "team") == []
    with pytest.raises(NotAssigned):
        labelling.load_article(session, people["leo"], article)  # leo leads `other`
    add_lead(session, None, "team", "lena")
    assert [a.id for a in labelling.article_list(session, people["lena"], "team")] == [article]
    assert labelling.load_article(session, people["lena"], article).id == article

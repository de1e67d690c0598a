"""Who leads a project: an admin makes an existing lead account a lead of a project, or
removes one; every lead action then follows `permissions.require_lead`.

Only an admin (or the command line, run by the database owner) chooses a project's leads,
so a lead cannot hand a project to someone else or take it from a co-lead. A lead account
that annotates a project (given work by `assign`) becomes its lead; its assigned articles
stay its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, NotFound
from annotator.services.permissions import (
    ADMIN,
    LEAD,
    is_admin,
    leads_projects,
    require_account_role,
)
from annotator.services.projects import (
    NAMES_SUGGESTED,
    closest_first,
    find_project,
    list_projects,
)
from annotator.services.records import UserInfo
from annotator.storable import is_storable
from db.engine import read_transaction, write_transaction
from db.models import Project, ProjectMember, User


@dataclass(frozen=True)
class LeadChange:
    """What `add_lead` or `remove_lead` did: `changed` is False when it already was so."""

    project: str
    name: str
    added: bool  # True: add_lead; False: remove_lead
    changed: bool

    @property
    def summary(self) -> str:
        """What was done, in one line for the page and the command line."""
        if self.changed:
            return f"{self.name} {'now' if self.added else 'no longer'} leads {self.project}"
        did = "already leads" if self.added else "does not lead"
        return f"{self.name} {did} {self.project}: nothing changed"


def add_lead(session: Session, actor: UserInfo | None, project: str, name: str) -> LeadChange:
    """Make the lead account `name` a lead of `project` (admins only; None is the command
    line). Refuses an unknown, disabled, annotator or admin account; already a lead: no-op."""
    with write_transaction(session):
        _require_admin(session, actor)
        row = find_project(session, project, lock=True)
        user = _account(session, name, _lead_accounts(session), "lead accounts")
        _check_may_lead(user)
        member = _membership(session, row.id, user.id)
        if member is not None and member.role == LEAD:
            return LeadChange(row.name, user.name, added=True, changed=False)
        if member is None:
            now = dt.datetime.now(dt.UTC)
            session.add(ProjectMember(project_id=row.id, user_id=user.id, role=LEAD, added_at=now))
        else:
            member.role = LEAD
        return LeadChange(row.name, user.name, added=True, changed=True)


def remove_lead(session: Session, actor: UserInfo | None, project: str, name: str) -> LeadChange:
    """Stop `name` leading `project` (admins only; None is the command line); a user who
    does not lead it: no-op. An admin leads every project and cannot be removed from one."""
    with write_transaction(session):
        _require_admin(session, actor)
        row = find_project(session, project, lock=True)
        user = _account(session, name, _leads(session, row), f"leads of {row.name!r}")
        if is_admin(user.role):
            raise InvalidInput(f"{user.name!r} is an admin: admins lead every project")
        member = _membership(session, row.id, user.id)
        if member is None or member.role != LEAD:
            return LeadChange(row.name, user.name, added=False, changed=False)
        session.delete(member)
        return LeadChange(row.name, user.name, added=False, changed=True)


def lead_accounts(session: Session, actor: UserInfo | None) -> list[str]:
    """Names of the active lead accounts, which an admin may make leads of a project."""
    with read_transaction(session):
        _require_admin(session, actor)
        return _lead_accounts(session)


def project_leads(session: Session, actor: UserInfo | None) -> dict[str, list[str]]:
    """The leads of each project the actor manages (see `projects.list_projects`), by name."""
    projects = [p.name for p in list_projects(session, actor)]
    with read_transaction(session):
        rows = session.execute(
            select(Project.name, User.name)
            .join(ProjectMember, ProjectMember.project_id == Project.id)
            .join(User, User.id == ProjectMember.user_id)
            .where(ProjectMember.role == LEAD, Project.name.in_(projects))
            .order_by(Project.name, User.name)
        )
        leads: dict[str, list[str]] = {p: [] for p in projects}
        for project, name in rows:
            leads[project].append(name)
        return leads


def _require_admin(session: Session, actor: UserInfo | None) -> None:
    require_account_role(session, actor, (ADMIN,), "choose a project's leads")


def _lead_accounts(session: Session) -> list[str]:
    statement = select(User.name).where(User.role == LEAD, User.active).order_by(User.name)
    return list(session.scalars(statement))


def _leads(session: Session, project: Project) -> list[str]:
    return list(
        session.scalars(
            select(User.name)
            .join(ProjectMember, ProjectMember.user_id == User.id)
            .where(ProjectMember.project_id == project.id, ProjectMember.role == LEAD)
            .order_by(User.name)
        )
    )


def _account(session: Session, name: str, suggested: list[str], what: str) -> User:
    """The account called `name`; NotFound listing `what`: the `suggested` names, those most
    like `name` first (a typo finds its account)."""
    user = session.scalar(select(User).where(User.name == name)) if is_storable(name) else None
    if user is not None:
        return user
    listed = closest_first(name, suggested)[:NAMES_SUGGESTED]
    more = ", ..." if len(suggested) > len(listed) else ""
    known = f"{', '.join(listed)}{more}" if listed else "none"
    raise NotFound(f"no user named {name!r}; {what}: {known}")


def _check_may_lead(user: User) -> None:
    if not user.active:
        raise InvalidInput(f"{user.name!r} is disabled: enable the account first")
    if is_admin(user.role):
        raise InvalidInput(f"{user.name!r} is an admin, and admins lead every project already")
    if not leads_projects(user.role):
        raise InvalidInput(
            f"{user.name!r} is an {user.role} account: only lead accounts can lead a project"
        )


def _membership(session: Session, project_id: int, user_id: int) -> ProjectMember | None:
    return session.scalar(
        select(ProjectMember).where(
            ProjectMember.project_id == project_id, ProjectMember.user_id == user_id
        )
    )

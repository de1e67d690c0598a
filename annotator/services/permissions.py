"""Who may do what: the role lists and every permission rule, shared by the services and read
by the UI to decide which pages to offer (the services check again; hiding a page is not a
permission)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.errors import PermissionDenied
from annotator.services.records import UserInfo
from db.models import ROLES, ProjectMember, User

ACCOUNT_ROLES: tuple[str, ...] = ROLES
"""Every account's role, most powerful first (the users table's check constraint)."""
ADMIN = "admin"
LEAD = "lead"
LEAD_ROLES = (ADMIN, LEAD)
"""Roles that may create projects and open the lead pages (each project still checks)."""


def is_admin(role: str | None) -> bool:
    """Whether an account of this role manages accounts and sees every project."""
    return role == ADMIN


def leads_projects(role: str | None) -> bool:
    """Whether an account of this role may create projects and open the lead pages."""
    return role in LEAD_ROLES


def require_account_role(
    session: Session, actor: UserInfo | None, roles: Sequence[str], action: str
) -> None:
    """PermissionDenied naming `action` unless the actor is, read afresh, an active account
    with one of `roles`. `None` is the command line, run by whoever owns the database."""
    if actor is None:
        return
    row = session.execute(select(User.role, User.active).where(User.id == actor.id)).first()
    if row is None or not row.active or row.role not in roles:
        who = " and ".join(f"{role}s" for role in reversed(roles))
        raise PermissionDenied(f"{actor.name!r} may not {action}: only {who} may")


def require_lead(session: Session, actor: UserInfo | None, project_id: int) -> None:
    """PermissionDenied unless the actor is an active admin or a lead of this project.

    `None` is the command line, run by whoever owns the database.
    """
    if actor is not None and not may_lead(session, actor.id, project_id):
        raise PermissionDenied(f"{actor.name!r} is not a lead of this project")


def may_lead(session: Session, user_id: int, project_id: int) -> bool:
    """Whether the account is, read afresh, an active admin, or an active lead account that
    leads this project (it created it, or an admin added it: services/leads.py)."""
    role = session.scalar(select(User.role).where(User.id == user_id, User.active))
    if is_admin(role):
        return True
    member = session.scalar(
        select(ProjectMember.role).where(
            ProjectMember.project_id == project_id, ProjectMember.user_id == user_id
        )
    )
    return role == LEAD and member == LEAD

"""Who may manage a project: checks shared by the services (never only in the UI)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.errors import PermissionDenied
from annotator.services.records import UserInfo
from db.models import ProjectMember, User


def require_lead(session: Session, actor: UserInfo | None, project_id: int) -> None:
    """PermissionDenied unless the actor is an active admin or a lead of this project.

    `None` is the command line, run by whoever owns the database.
    """
    if actor is None:
        return
    role = session.scalar(select(User.role).where(User.id == actor.id, User.active))
    if role == "admin":
        return
    member = session.scalar(
        select(ProjectMember.role).where(
            ProjectMember.project_id == project_id, ProjectMember.user_id == actor.id
        )
    )
    if role != "lead" or member != "lead":
        raise PermissionDenied(f"{actor.name!r} is not a lead of this project")

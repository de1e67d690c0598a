"""Projects: find or create them by name."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, NotFound
from annotator.scheme import SCHEMES
from annotator.services.records import ProjectInfo
from db.engine import read_transaction, write_transaction
from db.models import Project

MAX_NAME_LENGTH = 100


def project_info(project: Project) -> ProjectInfo:
    """The frozen view of a project row."""
    return ProjectInfo(
        id=project.id,
        name=project.name,
        scheme=project.scheme,
        overlap=project.overlap,
        guidelines=project.guidelines,
        n_body=project.n_body,
    )


def find_project(session: Session, name: str) -> Project:
    """The project row called `name`, inside the caller's transaction; NotFound if none."""
    project = session.scalar(select(Project).where(Project.name == name))
    if project is None:
        raise NotFound(f"no project named {name!r}")
    return project


def get_project(session: Session, name: str) -> ProjectInfo:
    """The project called `name`; NotFound if there is none."""
    with read_transaction(session):
        return project_info(find_project(session, name))


def ensure_project(
    session: Session, name: str, scheme: str = "claims-v1"
) -> tuple[ProjectInfo, bool]:
    """The project called `name`, created if missing; the flag says whether it was created."""
    if not name.strip() or len(name) > MAX_NAME_LENGTH or name != name.strip():
        raise InvalidInput(
            f"project name {name!r} must be 1-{MAX_NAME_LENGTH} characters, without leading "
            "or trailing spaces"
        )
    if scheme not in SCHEMES:
        raise InvalidInput(f"unknown scheme {scheme!r}; known: {', '.join(SCHEMES)}")
    try:
        return _ensure_project(session, name, scheme)
    except IntegrityError:  # another process created it between our check and our insert
        return _ensure_project(session, name, scheme)


def _ensure_project(session: Session, name: str, scheme: str) -> tuple[ProjectInfo, bool]:
    with write_transaction(session):
        project = session.scalar(select(Project).where(Project.name == name))
        if project is not None:
            return project_info(project), False
        project = Project(
            name=name,
            scheme=scheme,
            overlap=1,
            guidelines="",
            n_body=0,
            created_at=dt.datetime.now(dt.UTC),
        )
        session.add(project)
        session.flush()
        return project_info(project), True


def list_projects(session: Session) -> list[ProjectInfo]:
    """Every project, by name."""
    with read_transaction(session):
        return [project_info(p) for p in session.scalars(select(Project).order_by(Project.name))]

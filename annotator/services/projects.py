"""Projects: create them with a scheme, an overlap and guidelines; find them by name."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.config import DEFAULT_PROJECT
from annotator.errors import InvalidInput, NoSuchProject
from annotator.limits import MAX_GUIDELINES as MAX_GUIDELINES
from annotator.limits import MAX_OVERLAP as MAX_OVERLAP
from annotator.scheme import (
    CLAIMS_V1,
    SCHEMES,
    Scheme,
    load_scheme,
    scheme_from_json,
    scheme_to_json,
)
from annotator.services.permissions import LEAD_ROLES, is_admin, require_account_role, require_lead
from annotator.services.records import ProjectInfo, UserInfo
from annotator.storable import is_storable, require_storable
from db.engine import read_transaction, write_transaction
from db.models import Article, FactCheck, Label, Project, ProjectMember, Sentence, User

MAX_NAME_LENGTH = 100
NAMES_SUGGESTED = 5  # existing project names an unknown name's error carries
SCHEMES_DIR = Path(__file__).resolve().parent.parent / "schemes"


def project_info(project: Project) -> ProjectInfo:
    """The frozen view of a project row."""
    return ProjectInfo(
        id=project.id,
        name=project.name,
        scheme=project.scheme,
        overlap=project.overlap,
        guidelines=project.guidelines,
        n_body=project.n_body,
        gold_policy=project.gold_policy,
        gold_min_votes=project.gold_min_votes,
    )


def find_project(session: Session, name: str, *, lock: bool = False) -> Project:
    """The project row called `name`, inside the caller's transaction; NoSuchProject (a
    NotFound) with a few existing names if none. With `lock`, the row stays locked until the
    transaction ends (PostgreSQL; a SQLite write transaction already holds the whole database)."""
    statement = select(Project).where(Project.name == name)
    if lock:
        statement = statement.with_for_update()
    project = session.scalar(statement) if is_storable(name) else None
    if project is None:
        names = list(session.scalars(select(Project.name).order_by(Project.name)))
        raise NoSuchProject(name, closest_first(name, names)[:NAMES_SUGGESTED], len(names))
    return project


def closest_first(name: str, names: list[str]) -> tuple[str, ...]:
    """`names`, those most like `name` first (a typo finds its project or account), the rest
    in order."""
    close = difflib.get_close_matches(name, names, n=NAMES_SUGGESTED, cutoff=0.6)
    return (*close, *(n for n in names if n not in close))


def led_project(
    session: Session, actor: UserInfo | None, name: str, *, lock: bool = False
) -> Project:
    """The project called `name` (see `find_project`), if the actor may lead it: an admin or
    a lead of the project; None is the command line. NotFound or PermissionDenied else."""
    project = find_project(session, name, lock=lock)
    require_lead(session, actor, project.id)
    return project


def check_lead(session: Session, actor: UserInfo | None, name: str) -> ProjectInfo:
    """The project called `name`, if the actor may lead it (see `led_project`): for a page
    that says so before it offers a form whose every use would be refused."""
    with read_transaction(session):
        return project_info(led_project(session, actor, name))


def get_project(session: Session, name: str) -> ProjectInfo:
    """The project called `name`; NotFound if there is none."""
    with read_transaction(session):
        return project_info(find_project(session, name))


def project_scheme(session: Session, name: str) -> Scheme:
    """The label scheme the project called `name` stores; NotFound if there is none."""
    with read_transaction(session):
        project = find_project(session, name)
        return stored_scheme(project.scheme, project.scheme_json)


def stored_scheme(scheme_name: str, scheme_json: str) -> Scheme:
    """A project's scheme from its stored JSON, or by name for rows stored before that."""
    return scheme_from_json(scheme_json) if scheme_json else SCHEMES[scheme_name]


def shipped_schemes() -> dict[str, Scheme]:
    """The example schemes that ship in `annotator/schemes/`, by name (claims-v1 first)."""
    paths = sorted(SCHEMES_DIR.iterdir(), key=lambda p: (p.stem != CLAIMS_V1.name, p.name))
    schemes = (load_scheme(p.name, p.read_bytes()) for p in paths if p.is_file())
    return {scheme.name: scheme for scheme in schemes}


def create_project(
    session: Session,
    name: str,
    *,
    scheme: Scheme = CLAIMS_V1,
    overlap: int = 1,
    guidelines: str = "",
    actor: UserInfo | None = None,
) -> ProjectInfo:
    """Create a project with its scheme, overlap k and guidelines; InvalidInput if a value is
    wrong or the name is taken. `actor` (None = the CLI) must be an admin or a lead."""
    _check_values(name, overlap, guidelines)
    try:
        with write_transaction(session):
            require_account_role(session, actor, LEAD_ROLES, "create projects")
            if session.scalar(select(Project.id).where(Project.name == name)) is not None:
                raise InvalidInput(f"a project named {name!r} already exists")
            project = _new_project(name, scheme, overlap, guidelines)
            session.add(project)
            session.flush()
            if actor is not None and actor.role == "lead":
                session.add(_lead_member(project, actor))
            return project_info(project)
    except IntegrityError:  # another process took the name between our check and our insert
        raise InvalidInput(f"a project named {name!r} already exists") from None


def _check_values(name: str, overlap: int, guidelines: str) -> None:
    _check_name(name)
    if isinstance(overlap, bool) or not 1 <= overlap <= MAX_OVERLAP:
        raise InvalidInput(f"overlap {overlap!r} must be a whole number from 1 to {MAX_OVERLAP}")
    require_storable(guidelines, "the guidelines text")
    if len(guidelines) > MAX_GUIDELINES:
        raise InvalidInput(
            f"guidelines are {len(guidelines):,} characters; the limit is {MAX_GUIDELINES:,}"
        )


def _check_name(name: str) -> None:
    if not name.strip() or len(name) > MAX_NAME_LENGTH or name != name.strip():
        raise InvalidInput(
            f"project name {name!r} must be 1-{MAX_NAME_LENGTH} characters, without leading "
            "or trailing spaces"
        )
    require_storable(name, f"project name {name!r}")


def _new_project(name: str, scheme: Scheme, overlap: int, guidelines: str) -> Project:
    return Project(
        name=name,
        scheme=scheme.name,
        scheme_json=scheme_to_json(scheme),
        overlap=overlap,
        guidelines=guidelines,
        n_body=0,
        created_at=dt.datetime.now(dt.UTC),
    )


def _lead_member(project: Project, actor: UserInfo) -> ProjectMember:
    """The creating lead leads the new project (so they may assign its work)."""
    now = dt.datetime.now(dt.UTC)
    return ProjectMember(project_id=project.id, user_id=actor.id, role="lead", added_at=now)


def ensure_project(
    session: Session, name: str, scheme: str = "claims-v1"
) -> tuple[ProjectInfo, bool]:
    """The project called `name`, created if missing; the flag says whether it was created."""
    _check_name(name)
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
        project = _new_project(name, SCHEMES[scheme], 1, "")
        session.add(project)
        session.flush()
        return project_info(project), True


def list_projects(session: Session, actor: UserInfo | None = None) -> list[ProjectInfo]:
    """The projects the actor manages, by name: every one for an admin and the command line
    (None), the projects they lead for anyone else."""
    with read_transaction(session):
        statement = select(Project).order_by(Project.name)
        if actor is not None and not is_admin(_role(session, actor)):
            led = select(ProjectMember.project_id).where(
                ProjectMember.user_id == actor.id, ProjectMember.role == "lead"
            )
            statement = statement.where(Project.id.in_(led))
        return [project_info(p) for p in session.scalars(statement)]


def _role(session: Session, actor: UserInfo) -> str | None:
    """The actor's role now, read afresh."""
    return session.scalar(select(User.role).where(User.id == actor.id))


def starting_project(session: Session, actor: UserInfo, visible: list[str]) -> str:
    """The project a user starts in after logging in, among the `visible` ones: the project
    of their latest label, else the first they are a member of other than `default`, else
    `default` (where the seed articles are, easy to label by mistake for a team's copy)."""
    with read_transaction(session):
        latest = session.scalar(
            select(Project.name)
            .join(Article, Article.project_id == Project.id)
            .join(Sentence, Sentence.article_id == Article.id)
            .join(Label, Label.sentence_id == Sentence.id)
            .where(Label.annotator_id == actor.id)
            .order_by(Label.updated_at.desc())
            .limit(1)
        )
        member = session.scalar(
            select(Project.name)
            .join(ProjectMember, ProjectMember.project_id == Project.id)
            .where(ProjectMember.user_id == actor.id, Project.name != DEFAULT_PROJECT)
            .order_by(Project.name)
            .limit(1)
        )
    return next((n for n in (latest, member, DEFAULT_PROJECT) if n in visible), visible[0])


def visible_projects(session: Session, actor: UserInfo) -> list[str]:
    """Names of the projects the actor may open: every one for an admin; otherwise the
    projects they lead, annotate or fact-check, and `default` (open to a user working alone)."""
    with read_transaction(session):
        statement = select(Project.name)
        if not is_admin(_role(session, actor)):
            member = select(ProjectMember.project_id).where(ProjectMember.user_id == actor.id)
            checker = select(FactCheck.project_id).where(FactCheck.checker_id == actor.id)
            statement = statement.where(
                or_(
                    Project.id.in_(member),
                    Project.id.in_(checker),
                    Project.name == DEFAULT_PROJECT,
                )
            )
        return list(session.scalars(statement.order_by(Project.name)))

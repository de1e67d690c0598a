"""Hand out work: each article with body sentences goes to `overlap` annotators, whole.

`assign` (a lead's batch run) tops every article up to k annotators, least-loaded first, then
evens out unstarted work so that no annotator holds more than one article above the least
loaded; a disabled annotator's unstarted articles go back into the pool. `claim_next` lets an
annotator who has finished everything take one more article. Both run in one write
transaction with the project row locked, so concurrent runs can never give an article to more
than k annotators, or to the same annotator twice (the unique constraint is the last guard).

Both take articles in import order or, with the project's order `uncertain`, those its model
is least sure of first: read from the uncertainties stored when the model was trained, never
predicted here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, delete, exists, select
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, NotFound, PermissionDenied
from annotator.services import counts, modelling
from annotator.services.projects import find_project, led_project
from annotator.services.records import UserInfo
from annotator.storable import is_storable
from db.engine import read_transaction, write_transaction
from db.models import (
    Article,
    ArticleUncertainty,
    Assignment,
    Label,
    Project,
    ProjectMember,
    Sentence,
    User,
)


@dataclass(frozen=True)
class AssignResult:
    """What one `assign` run did."""

    project: str
    annotators: tuple[str, ...]
    new_assignments: int
    moved: int
    unfilled_articles: int


def assign(
    session: Session, actor: UserInfo | None, project: str, annotators: Sequence[str] = ()
) -> AssignResult:
    """Add `annotators` to the project, then top up and balance its assignments."""
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        row = led_project(session, actor, project, lock=True)
        for name in annotators:
            _add_annotator(session, row.id, _active_user(session, name), now)
        moved = _release_disabled(session, row.id)
        pool = _pool(session, row.id)
        loads = counts.articles_held(session, row.id, pool)
        short = _open(session, row)
        added = sum(_top_up(session, row, article, loads, now) for article in short)
        moved += _rebalance(session, row.id, loads)  # moves work; never changes n_assigned
        unfilled = sum(1 for article in short if article.n_assigned < row.overlap)
        names = tuple(sorted(session.scalars(select(User.name).where(User.id.in_(pool)))))
        return AssignResult(project, names, added, moved, unfilled)


def _active_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name)) if is_storable(name) else None
    if user is None:
        raise NotFound(f"no user named {name!r}")
    if not user.active:
        raise InvalidInput(f"user {name!r} is disabled")
    return user


def _add_annotator(session: Session, project_id: int, user: User, now: dt.datetime) -> None:
    member = session.scalar(
        select(ProjectMember).where(
            ProjectMember.project_id == project_id, ProjectMember.user_id == user.id
        )
    )
    if member is None:
        session.add(
            ProjectMember(project_id=project_id, user_id=user.id, role="annotator", added_at=now)
        )
        session.flush()


def _pool(session: Session, project_id: int) -> list[int]:
    """Active annotator members of the project, by id."""
    return list(
        session.scalars(
            select(User.id)
            .join(ProjectMember, ProjectMember.user_id == User.id)
            .where(
                ProjectMember.project_id == project_id,
                ProjectMember.role == "annotator",
                User.active,
            )
            .order_by(User.id)
        )
    )


def _open(session: Session, project: Project) -> list[Article]:
    """Articles with body sentences that have fewer than k annotators, in the project's
    order."""
    return _in_order(session, project, _short_of_annotators(project))


def _short_of_annotators(project: Project) -> Select[Article]:
    return select(Article).where(counts.short_of_annotators(project.id, project.overlap))


def _in_order(
    session: Session, project: Project, articles: Select[Article], limit: int | None = None
) -> list[Article]:
    """The `articles` (at most `limit`) in import order or, with the project's order
    `uncertain` and a model that beats its baseline, those the model is least sure of first,
    then those it did not score; ties in import order. Each part is read in its order from
    an index (`article_uncertainties`' or the articles' own)."""
    model_id = modelling.ordering_model(session, project)
    if model_id is None:
        return list(session.scalars(articles.order_by(Article.id).limit(limit)))
    scored = (
        articles.join(ArticleUncertainty, ArticleUncertainty.article_id == Article.id)
        .where(ArticleUncertainty.project_id == project.id, ArticleUncertainty.model_id == model_id)
        .order_by(ArticleUncertainty.uncertainty.desc(), ArticleUncertainty.article_id)
    )
    first = list(session.scalars(scored.limit(limit)))
    if limit is not None and len(first) >= limit:
        return first
    unscored = ~exists(
        select(ArticleUncertainty.article_id).where(
            ArticleUncertainty.article_id == Article.id, ArticleUncertainty.model_id == model_id
        )
    )
    left = None if limit is None else limit - len(first)
    rest = session.scalars(articles.where(unscored).order_by(Article.id).limit(left))
    return first + list(rest)


def _top_up(
    session: Session, project: Project, article: Article, loads: dict[int, int], now: dt.datetime
) -> int:
    taken = set(
        session.scalars(select(Assignment.annotator_id).where(Assignment.article_id == article.id))
    )
    candidates = sorted((load, uid) for uid, load in loads.items() if uid not in taken)
    chosen = [uid for _, uid in candidates[: project.overlap - article.n_assigned]]
    for uid in chosen:
        session.add(
            Assignment(
                project_id=project.id, article_id=article.id, annotator_id=uid, assigned_at=now
            )
        )
        loads[uid] += 1
    given = [counts.AssignmentChange(article.id, uid, article.n_body, 1) for uid in chosen]
    counts.assignments_changed(session, project.id, given)
    session.flush()
    return len(chosen)


def _unstarted() -> ColumnElement[bool]:
    """SQL condition: the assignment's annotator has no label yet in the assigned article."""
    return ~exists(
        select(Label.id)
        .join(Sentence, Sentence.id == Label.sentence_id)
        .where(
            Sentence.article_id == Assignment.article_id,
            Label.annotator_id == Assignment.annotator_id,
        )
    )


def _release_disabled(session: Session, project_id: int) -> int:
    """Take unstarted articles back from disabled annotators; return how many."""
    rows = session.execute(
        select(Assignment.id, Assignment.article_id, Assignment.annotator_id, Article.n_body)
        .join(User, User.id == Assignment.annotator_id)
        .join(Article, Article.id == Assignment.article_id)
        .where(Assignment.project_id == project_id, ~User.active, _unstarted())
    ).all()
    taken = [counts.AssignmentChange(r.article_id, r.annotator_id, r.n_body, -1) for r in rows]
    counts.assignments_changed(session, project_id, taken)
    if rows:
        session.execute(delete(Assignment).where(Assignment.id.in_([r.id for r in rows])))
    session.flush()
    return len(rows)


def _rebalance(session: Session, project_id: int, loads: dict[int, int]) -> int:
    """Move unstarted articles from the most to the least loaded annotator until no one
    holds more than one article above the least loaded (or nothing movable is left)."""
    moved = 0
    while loads and max(loads.values()) - min(loads.values()) > 1:
        most = max(loads, key=lambda uid: (loads[uid], -uid))
        least = min(loads, key=lambda uid: (loads[uid], uid))
        movable = session.scalar(
            select(Assignment)
            .where(
                Assignment.project_id == project_id,
                Assignment.annotator_id == most,
                _unstarted(),
                ~Assignment.article_id.in_(
                    select(Assignment.article_id).where(Assignment.annotator_id == least)
                ),
            )
            .order_by(Assignment.article_id.desc())
            .limit(1)
        )
        if movable is None:
            break
        movable.annotator_id = least
        n_body = int(
            session.scalar(select(Article.n_body).where(Article.id == movable.article_id)) or 0
        )
        counts.assignments_changed(session, project_id, [
            counts.AssignmentChange(movable.article_id, most, n_body, -1),
            counts.AssignmentChange(movable.article_id, least, n_body, 1),
        ])  # fmt: skip
        session.flush()
        loads[most] -= 1
        loads[least] += 1
        moved += 1
    return moved


def claim_next(session: Session, actor: UserInfo, project: str) -> int | None:
    """Give an annotator who has finished their work one more article that still needs
    annotators; the article's id, or None when every article has k already."""
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        row = find_project(session, project, lock=True)
        if actor.id not in _pool(session, row.id):
            raise PermissionDenied(f"{actor.name!r} is not an annotator of {project!r}")
        found = _in_order(session, row, _claimable(row, actor.id), 1)
        if not found:
            return None
        article = found[0]
        session.add(
            Assignment(
                project_id=row.id, article_id=article.id, annotator_id=actor.id, assigned_at=now
            )
        )
        given = counts.AssignmentChange(article.id, actor.id, article.n_body, 1)
        counts.assignments_changed(session, row.id, [given])
        session.flush()
        return article.id


def can_claim(session: Session, actor: UserInfo, project: str) -> bool:
    """Whether `claim_next` would give the annotator an article now (reads only): the page
    says "all done" at once instead of offering a next article there is none of."""
    with read_transaction(session):
        row = find_project(session, project)
        if actor.id not in _pool(session, row.id):
            return False
        return bool(session.scalar(select(_claimable(row, actor.id).exists())))


def _claimable(project: Project, annotator_id: int) -> Select[Article]:
    """The project's articles short of annotators that the annotator does not have yet."""
    mine = select(Assignment.article_id).where(Assignment.annotator_id == annotator_id)
    return _short_of_annotators(project).where(~Article.id.in_(mine))


def assignable_users(session: Session, actor: UserInfo | None, project: str) -> list[str]:
    """Names of active annotator accounts a lead can add to the project."""
    with read_transaction(session):
        led_project(session, actor, project)
        return list(
            session.scalars(
                select(User.name).where(User.role == "annotator", User.active).order_by(User.name)
            )
        )

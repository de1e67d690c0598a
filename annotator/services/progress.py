"""Progress of a project: per annotator assigned, done, skipped, speed; labels per day."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.services.permissions import require_lead
from annotator.services.projects import find_project
from annotator.services.records import UserInfo
from db.engine import read_transaction
from db.models import Article, Assignment, Label, ProjectMember, Sentence, User


@dataclass(frozen=True)
class AnnotatorProgress:
    """One annotator's numbers in one project (sentences are body sentences)."""

    annotator: str
    assigned: int
    done: int
    skipped: int
    sentences_per_hour: float | None
    median_seconds: float | None


@dataclass(frozen=True)
class ProjectProgress:
    """A project's progress: totals, one row per annotator, labels per day."""

    project: str
    overlap: int
    body_sentences: int
    assigned_sentences: int
    annotators: tuple[AnnotatorProgress, ...]
    labels_per_day: tuple[tuple[dt.date, int], ...]

    def as_json(self) -> dict[str, object]:
        """Plain values for `progress --json` (dates as YYYY-MM-DD)."""
        data = asdict(self)
        data["labels_per_day"] = [
            {"date": day.isoformat(), "labels": n} for day, n in self.labels_per_day
        ]
        return data


def project_progress(session: Session, actor: UserInfo | None, project: str) -> ProjectProgress:
    """The progress of `project` (admins and the project's leads only; None = CLI)."""
    with read_transaction(session):
        row = find_project(session, project)
        require_lead(session, actor, row.id)
        assigned = _assigned(session, row.id)
        labels = _labels(session, row.id)
        names = sorted(set(assigned) | set(labels) | _annotator_members(session, row.id))
        return ProjectProgress(
            project=row.name,
            overlap=row.overlap,
            body_sentences=row.n_body,
            assigned_sentences=sum(assigned.values()),
            annotators=tuple(
                _annotator(name, assigned.get(name, 0), labels.get(name, [])) for name in names
            ),
            labels_per_day=_per_day(labels),
        )


def _annotator_members(session: Session, project_id: int) -> set[str]:
    rows = session.scalars(
        select(User.name)
        .join(ProjectMember, ProjectMember.user_id == User.id)
        .where(ProjectMember.project_id == project_id, ProjectMember.role == "annotator")
    )
    return set(rows)


def _assigned(session: Session, project_id: int) -> dict[str, int]:
    """Body sentences assigned to each annotator."""
    rows = session.execute(
        select(User.name, func.sum(Article.n_body))
        .join(Assignment, Assignment.annotator_id == User.id)
        .join(Article, Article.id == Assignment.article_id)
        .where(Assignment.project_id == project_id)
        .group_by(User.name)
    )
    return {name: int(total or 0) for name, total in rows}


def _labels(session: Session, project_id: int) -> dict[str, list[tuple[bool, float, dt.datetime]]]:
    """(skipped, seconds, when) of every body-sentence label, by annotator."""
    rows = session.execute(
        select(User.name, Label.skipped, Label.seconds_spent, Label.updated_at)
        .join(Label, Label.annotator_id == User.id)
        .join(Sentence, Sentence.id == Label.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .where(Article.project_id == project_id, Sentence.role == "body")
    )
    by_name: dict[str, list[tuple[bool, float, dt.datetime]]] = defaultdict(list)
    for name, skipped, seconds, when in rows:
        by_name[name].append((skipped, seconds, when))
    return by_name


def _annotator(
    name: str, assigned: int, labels: list[tuple[bool, float, dt.datetime]]
) -> AnnotatorProgress:
    seconds = [s for _, s, _ in labels]
    total_hours = sum(seconds) / 3600
    return AnnotatorProgress(
        annotator=name,
        assigned=assigned,
        done=len(labels),
        skipped=sum(1 for skipped, _, _ in labels if skipped),
        sentences_per_hour=round(len(labels) / total_hours, 1) if total_hours else None,
        median_seconds=round(statistics.median(seconds), 2) if seconds else None,
    )


def _per_day(
    labels: dict[str, list[tuple[bool, float, dt.datetime]]],
) -> tuple[tuple[dt.date, int], ...]:
    days = Counter(when.date() for rows in labels.values() for _, _, when in rows)
    return tuple(sorted(days.items()))

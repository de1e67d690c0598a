"""Progress of a project: per annotator assigned, done, skipped, speed; labels per day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.services.permissions import require_lead
from annotator.services.projects import find_project
from annotator.services.records import UserInfo
from db.engine import read_transaction
from db.models import (
    AssignedCount,
    LabelDayCount,
    LabelSecondCount,
    ProjectMember,
    User,
)


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
    """The progress of `project` (admins and the project's leads only; None = CLI).

    Done, skipped, speed and labels per day come from the counters that every label write
    keeps (annotator/services/counts.py), never from reading the project's labels.
    """
    with read_transaction(session):
        row = find_project(session, project)
        require_lead(session, actor, row.id)
        assigned = _assigned(session, row.id)
        totals = _totals(session, row.id)
        seconds = _seconds(session, row.id)
        names = sorted(set(assigned) | set(totals) | _annotator_members(session, row.id))
        return ProjectProgress(
            project=row.name,
            overlap=row.overlap,
            body_sentences=row.n_body,
            assigned_sentences=sum(assigned.values()),
            annotators=tuple(
                _annotator(name, assigned.get(name, 0), totals.get(name), seconds.get(name, {}))
                for name in names
            ),
            labels_per_day=_per_day(session, row.id),
        )


def _annotator_members(session: Session, project_id: int) -> set[str]:
    rows = session.scalars(
        select(User.name)
        .join(ProjectMember, ProjectMember.user_id == User.id)
        .where(ProjectMember.project_id == project_id, ProjectMember.role == "annotator")
    )
    return set(rows)


def _assigned(session: Session, project_id: int) -> dict[str, int]:
    """Body sentences assigned to each annotator (from the assigned counts)."""
    rows = session.execute(
        select(User.name, AssignedCount.sentences)
        .join(AssignedCount, AssignedCount.annotator_id == User.id)
        .where(AssignedCount.project_id == project_id, AssignedCount.articles > 0)
    )
    return {name: sentences for name, sentences in rows}


def _totals(session: Session, project_id: int) -> dict[str, tuple[int, int, float]]:
    """(labels, skipped, seconds) of each annotator's current labels, from the counters."""
    rows = session.execute(
        select(
            User.name,
            func.sum(LabelDayCount.labels),
            func.sum(LabelDayCount.skipped),
            func.sum(LabelDayCount.seconds),
        )
        .join(LabelDayCount, LabelDayCount.annotator_id == User.id)
        .where(LabelDayCount.project_id == project_id)
        .group_by(User.name)
    )
    return {name: (int(n or 0), int(s or 0), float(t or 0.0)) for name, n, s, t in rows}


def _seconds(session: Session, project_id: int) -> dict[str, dict[int, int]]:
    """Each annotator's histogram: whole seconds spent -> how many labels."""
    rows = session.execute(
        select(User.name, LabelSecondCount.second, LabelSecondCount.labels)
        .join(LabelSecondCount, LabelSecondCount.annotator_id == User.id)
        .where(LabelSecondCount.project_id == project_id, LabelSecondCount.labels > 0)
    )
    by_name: dict[str, dict[int, int]] = defaultdict(dict)
    for name, second, n in rows:
        by_name[name][second] = n
    return by_name


def _annotator(
    name: str, assigned: int, totals: tuple[int, int, float] | None, seconds: dict[int, int]
) -> AnnotatorProgress:
    done, skipped, spent = totals or (0, 0, 0.0)
    hours = spent / 3600
    return AnnotatorProgress(
        annotator=name,
        assigned=assigned,
        done=done,
        skipped=skipped,
        sentences_per_hour=round(done / hours, 1) if done and hours > 1e-9 else None,
        median_seconds=_median(seconds),
    )


def _median(histogram: dict[int, int]) -> float | None:
    """The median of the values a histogram counts (to the whole second it keeps)."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]
    values: list[float] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        values += [value for m in middle[len(values) :] if m < seen]
    return round(sum(values) / 2, 2)


def _per_day(session: Session, project_id: int) -> tuple[tuple[dt.date, int], ...]:
    rows = session.execute(
        select(LabelDayCount.day, func.sum(LabelDayCount.labels))
        .where(LabelDayCount.project_id == project_id)
        .group_by(LabelDayCount.day)
        .order_by(LabelDayCount.day)
    )
    return tuple((day, int(n)) for day, n in rows if n)

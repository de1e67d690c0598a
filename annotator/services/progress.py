"""Progress of a project: per annotator assigned, done, skipped, speed; labels per day."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from annotator.services import counts
from annotator.services.projects import led_project
from annotator.services.records import UserInfo
from db.engine import read_transaction
from db.models import ProjectMember, User


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
        row = led_project(session, actor, project)
        assigned = counts.sentences_held(session, row.id)
        totals = counts.label_totals(session, row.id)
        seconds = counts.seconds_histograms(session, row.id)
        names = _names(session, row.id, set(assigned) | set(totals))
        return ProjectProgress(
            project=row.name,
            overlap=row.overlap,
            body_sentences=row.n_body,
            assigned_sentences=sum(assigned.values()),
            annotators=tuple(
                _annotator(name, assigned.get(a, 0), totals.get(a), seconds.get(a, {}))
                for name, a in sorted(names.items())
            ),
            labels_per_day=counts.labels_per_day(session, row.id),
        )


def _names(session: Session, project_id: int, counted: set[int]) -> dict[str, int]:
    """The ids, by name, of the counted annotators and the project's annotator members."""
    rows = session.execute(
        select(User.name, User.id).where(
            or_(
                User.id.in_(counted),
                User.id.in_(
                    select(ProjectMember.user_id).where(
                        ProjectMember.project_id == project_id, ProjectMember.role == "annotator"
                    )
                ),
            )
        )
    )
    return {name: user_id for name, user_id in rows}


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

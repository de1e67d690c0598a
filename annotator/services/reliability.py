"""Agreement of a project's annotators, or of any `labels` export file, per scheme field.

`date_bound` applies only to factual claims: an annotator's `date_bound` value exists only
where that annotator chose `factual` (elsewhere it is missing), so Cohen's kappa for a pair is
computed over the sentences both called `factual`, and alpha over the factual answers.

The agreement page reads every label of the project, which at a million labels takes seconds.
So its figures are stored as a snapshot with the project's label change count
(`counts.label_changes`); a visit shows the snapshot while that count is unchanged. After
changes, the figures are computed again, unless that took more than `LIVE_SECONDS` last
time: then the page shows the snapshot with the number of changes since, and the lead
recomputes when they want to.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.agreement import Agreement, Figures, PairKappa, agreement, figures
from annotator.errors import InvalidInput
from annotator.label_files import agreement_table
from annotator.scheme import Scheme
from annotator.services import counts
from annotator.services.projects import led_project, stored_scheme
from annotator.services.records import UserInfo
from db.engine import dialect_insert, read_transaction, write_transaction
from db.models import AgreementSnapshot, Article, Label, Project, Sentence, User

LIVE_SECONDS = 1.0  # recompute on a visit after changes while computing takes no longer
CONDITIONAL_NOTE = (
    "date_bound applies only to factual claims: it is compared over the sentences that both "
    "annotators called factual, and counts as missing wherever an annotator chose otherwise."
)


@dataclass(frozen=True)
class FieldTable:
    """One field's labels as the agreement functions take them (`item`, `annotator`, `value`),
    with the level of measurement: `ordinal` for the claim type of an ordered scheme."""

    field: str
    categories: tuple[str, ...] | None
    table: pd.DataFrame
    level: str = "nominal"


def agreement_fields(scheme: Scheme) -> tuple[str, ...]:
    """The scheme's fields that annotators choose: `claim_type`, and `date_bound` if it has one."""
    return ("claim_type", "date_bound") if scheme.date_bound_applies_to else ("claim_type",)


def project_table(session: Session, actor: UserInfo | None, project: str, field: str) -> FieldTable:
    """Every annotator's value of `field` for every labelled sentence of the project."""
    with read_transaction(session):
        row, scheme = _project_field(session, actor, project, field)
        return _field_table(session, row, scheme, field)


def _project_field(
    session: Session, actor: UserInfo | None, project: str, field: str
) -> tuple[Project, Scheme]:
    row = led_project(session, actor, project)
    scheme = stored_scheme(row.scheme, row.scheme_json)
    fields = agreement_fields(scheme)
    if field not in fields:
        raise InvalidInput(f"unknown field {field!r}; choose from {', '.join(fields)}")
    return row, scheme


def _field_table(session: Session, project: Project, scheme: Scheme, field: str) -> FieldTable:
    result = session.execute(
        select(Label.sentence_id, User.name, Label.claim_type, Label.date_bound, Label.skipped)
        .join(Sentence, Sentence.id == Label.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .join(User, User.id == Label.annotator_id)
        .where(Article.project_id == project.id)
    )
    # Plain tuples: pandas builds a frame from SQLAlchemy rows several times slower.
    frame = pd.DataFrame([tuple(r) for r in result], columns=["item", "annotator", *_RAW])
    value = frame["claim_type"] if field == "claim_type" else _date_bound(frame, scheme)
    table = pd.DataFrame({"item": frame["item"], "annotator": frame["annotator"], "value": value})
    categories = scheme.values if field == "claim_type" else None
    level = "ordinal" if field == "claim_type" and scheme.ordered else "nominal"
    return FieldTable(field, categories, table, level)


_RAW = ["claim_type", "date_bound", "skipped"]


def _date_bound(frame: pd.DataFrame, scheme: Scheme) -> pd.Series:
    factual = frame["claim_type"] == scheme.date_bound_applies_to
    return frame["date_bound"].astype("object").where(factual & ~frame["skipped"], None)


def project_agreement(
    session: Session, actor: UserInfo | None, project: str, field: str = "claim_type"
) -> Agreement:
    """The agreement coefficients of a project's annotators on one field."""
    labels = project_table(session, actor, project, field)
    return agreement(labels.table, field, level=labels.level, categories=labels.categories)


def file_agreement(name: str, data: bytes, field: str = "claim_type") -> Agreement:
    """The agreement coefficients of the annotators in a `labels` export file."""
    return agreement(agreement_table(name, data, field), field)


@dataclass(frozen=True)
class AgreementReport:
    """What the agreement page shows for one field, and what it was computed from."""

    field: str
    level: str
    figures: Figures
    labels: int  # label rows read
    changes: int  # the project's label change count when computed
    computed_at: dt.datetime
    seconds: float  # how long reading and computing took
    changed_since: int = 0  # label changes after it was computed (0: current)


def agreement_report(
    session: Session,
    actor: UserInfo | None,
    project: str,
    field: str = "claim_type",
    *,
    refresh: bool = False,
) -> AgreementReport:
    """The agreement page's figures for one field: the stored snapshot while it is current
    (or slow to compute, see the module's docstring), else computed now and stored."""
    with read_transaction(session):
        row, scheme = _project_field(session, actor, project, field)
        # The count is read before the labels: a label saved in between is then either read
        # or makes the snapshot look stale, never missed by a snapshot that looks current.
        changes = counts.label_changes(session, row.id)
        stored = session.get(AgreementSnapshot, (row.id, field))
        if (
            stored is not None
            and not refresh
            and (stored.changes == changes or stored.seconds > LIVE_SECONDS)
        ):
            return _decoded(stored, changes)
        start = time.perf_counter()
        labels = _field_table(session, row, scheme, field)
    found = figures(labels.table, field, level=labels.level, categories=labels.categories)
    report = AgreementReport(
        field, labels.level, found, len(labels.table), changes, dt.datetime.now(dt.UTC),
        time.perf_counter() - start,
    )  # fmt: skip
    with write_transaction(session):
        store_snapshot(
            session, row.id, field, changes=changes, labels=len(labels.table),
            computed_at=report.computed_at, seconds=report.seconds, report=_encoded(report),
        )  # fmt: skip
    return report


def store_snapshot(session: Session, project_id: int, field: str, **values: Any) -> None:
    """Write (or replace) the project's snapshot of `field`, in the caller's transaction:
    `changes`, `labels`, `computed_at`, `seconds` and the `report` JSON."""
    statement = dialect_insert(session, AgreementSnapshot).values(
        project_id=project_id, field=field, **values
    )
    session.execute(
        statement.on_conflict_do_update(index_elements=["project_id", "field"], set_=values)
    )


def _encoded(report: AgreementReport) -> str:
    """The figures as JSON (exact floats; NaN where a kappa is undefined)."""
    found = report.figures
    return json.dumps(
        {
            "level": report.level,
            "agreement": dataclasses.asdict(found.agreement),
            "categories": [str(c) for c in found.coincidences.index],
            "coincidences": found.coincidences.to_numpy().tolist(),
            "pairs": [[a, b, m.to_numpy().tolist()] for (a, b), m in found.pairs.items()],
            "versus_rest": found.versus_rest.to_dict(orient="list"),
        }
    )


def _decoded(stored: AgreementSnapshot, changes: int) -> AgreementReport:
    data = json.loads(stored.report)
    result: dict[str, Any] = data["agreement"]
    ci = result["alpha_ci95"]
    result.update(
        alpha_ci95=None if ci is None else tuple(ci),
        cohen_kappa=tuple(PairKappa(**pair) for pair in result["cohen_kappa"]),
    )
    categories = pd.Index(data["categories"])
    found = Figures(
        Agreement(**result),
        pd.DataFrame(data["coincidences"], index=categories, columns=categories),
        {
            (a, b): pd.DataFrame(
                matrix,
                index=pd.Index(data["categories"], name=a),
                columns=pd.Index(data["categories"], name=b),
            )
            for a, b, matrix in data["pairs"]
        },
        pd.DataFrame(data["versus_rest"]),
    )
    return AgreementReport(
        stored.field, data["level"], found, stored.labels, stored.changes, stored.computed_at,
        stored.seconds, changes - stored.changes,
    )  # fmt: skip

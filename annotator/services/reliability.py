"""Agreement of a project's annotators, or of any `labels` export file, per scheme field.

`date_bound` applies only to factual claims: an annotator's `date_bound` value exists only
where that annotator chose `factual` (elsewhere it is missing), so Cohen's kappa for a pair is
computed over the sentences both called `factual`, and alpha over the factual answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.agreement import Agreement, agreement
from annotator.errors import InvalidInput
from annotator.label_files import agreement_table
from annotator.scheme import Scheme
from annotator.services.permissions import require_lead
from annotator.services.projects import find_project, stored_scheme
from annotator.services.records import UserInfo
from db.engine import read_transaction
from db.models import Article, Label, Sentence, User

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

    @property
    def note(self) -> str:
        """What the page and the CLI say about how this field is compared."""
        return CONDITIONAL_NOTE if self.field == "date_bound" else ""


def agreement_fields(scheme: Scheme) -> tuple[str, ...]:
    """The scheme's fields that annotators choose: `claim_type`, and `date_bound` if it has one."""
    return ("claim_type", "date_bound") if scheme.date_bound_applies_to else ("claim_type",)


def project_table(session: Session, actor: UserInfo | None, project: str, field: str) -> FieldTable:
    """Every annotator's value of `field` for every labelled sentence of the project."""
    with read_transaction(session):
        row = find_project(session, project)
        require_lead(session, actor, row.id)
        scheme = stored_scheme(row.scheme, row.scheme_json)
        fields = agreement_fields(scheme)
        if field not in fields:
            raise InvalidInput(f"unknown field {field!r}; choose from {', '.join(fields)}")
        result = session.execute(
            select(Label.sentence_id, User.name, Label.claim_type, Label.date_bound, Label.skipped)
            .join(Sentence, Sentence.id == Label.sentence_id)
            .join(Article, Article.id == Sentence.article_id)
            .join(User, User.id == Label.annotator_id)
            .where(Article.project_id == row.id)
        )
        frame = pd.DataFrame(result.all(), columns=["item", "annotator", *_RAW])
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

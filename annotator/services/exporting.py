"""Exports (DESIGN.md section 7): the documented columns, streamed from the database in chunks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, PermissionDenied
from annotator.services.projects import find_project
from annotator.services.records import UserInfo
from annotator.writers import csv_chunks
from db.engine import read_transaction
from db.models import Article, Label, Project, Sentence, User

SENTENCE_COLUMNS = (
    "project",
    "article_id",
    "article_title",
    "article_published",
    "article_source",
    "article_url",
    "sentence_id",
    "sentence_index",
    "char_start",
    "char_end",
    "sentence",
)
LABEL_COLUMNS = (
    *SENTENCE_COLUMNS,
    "annotator",
    "claim_type",
    "date_bound",
    "as_of",
    "note",
    "skipped",
    "labelled_at",
    "seconds_spent",
)
KINDS: dict[str, tuple[str, ...]] = {
    "labels": LABEL_COLUMNS,
    "sentences": (*SENTENCE_COLUMNS, "role"),
}
FORMATS = ("csv",)
FETCH_ROWS = 2_000
EXPORT_ROLES = ("admin", "lead")


@dataclass(frozen=True)
class ExportRequest:
    """Which table of which project, in which format."""

    project: str
    kind: str
    format: str = "csv"
    excel: bool = False

    def check(self) -> None:
        """InvalidInput if the kind or format is not one we write."""
        if self.kind not in KINDS:
            raise InvalidInput(f"unknown export kind {self.kind!r}; choose from {', '.join(KINDS)}")
        if self.format not in FORMATS:
            raise InvalidInput(f"unknown format {self.format!r}; choose from {', '.join(FORMATS)}")

    @property
    def file_name(self) -> str:
        """A default file name, e.g. `default-labels.csv`."""
        return f"{self.project}-{self.kind}.{self.format}"


def export_chunks(
    session: Session, request: ExportRequest, actor: UserInfo | None
) -> Iterator[str]:
    """The export's text in chunks; the database is read `FETCH_ROWS` rows at a time.

    `actor` is the logged-in user of the UI, who must be an admin or lead (an export holds
    every annotator's labels); None is the command line, run by whoever owns the database.
    """
    request.check()
    with read_transaction(session):
        if actor is not None:
            _require_export_rights(session, actor)
        project_id = find_project(session, request.project).id
        statement = _statement(request.kind, project_id)
        rows = session.execute(statement.execution_options(yield_per=FETCH_ROWS))
        yield from csv_chunks(KINDS[request.kind], rows, excel=request.excel)


def export_bytes(session: Session, request: ExportRequest, actor: UserInfo | None) -> bytes:
    """The whole export as UTF-8 bytes (what the UI's download button serves)."""
    return "".join(export_chunks(session, request, actor)).encode("utf-8")


def _require_export_rights(session: Session, actor: UserInfo) -> None:
    row = session.execute(select(User.role, User.active).where(User.id == actor.id)).first()
    if row is None or not row.active or row.role not in EXPORT_ROLES:
        raise PermissionDenied(f"{actor.name!r} may not export: only leads and admins may")


def _sentence_columns() -> Sequence[Any]:
    return (
        Project.name,
        Article.id,
        Article.title,
        Article.published,
        Article.source,
        Article.url,
        Sentence.id,
        Sentence.index,
        Sentence.char_start,
        Sentence.char_end,
        # Sliced in the database, so an article's whole text is not fetched once per sentence.
        func.substr(Article.text, Sentence.char_start + 1, Sentence.char_end - Sentence.char_start),
    )


def _statement(kind: str, project_id: int) -> Select[Any]:
    base = (
        select(*_sentence_columns())
        .select_from(Sentence)
        .join(Article, Article.id == Sentence.article_id)
        .join(Project, Project.id == Article.project_id)
        .where(Project.id == project_id)
    )
    if kind == "sentences":
        return base.add_columns(Sentence.role).order_by(Article.id, Sentence.index)
    return (
        base.join(Label, Label.sentence_id == Sentence.id)
        .join(User, User.id == Label.annotator_id)
        .add_columns(
            User.name,
            Label.claim_type,
            Label.date_bound,
            Label.as_of,
            Label.note,
            Label.skipped,
            Label.updated_at,
            Label.seconds_spent,
        )
        .order_by(Article.id, Sentence.index, Label.annotator_id)
    )

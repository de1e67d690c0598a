"""Exports (DESIGN.md section 7): the documented columns, streamed from the database in chunks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from sqlalchemy import Select, null, select
from sqlalchemy.orm import Session

from annotator.columns import EXPORT_KINDS, KINDS
from annotator.columns import FORMATS as FORMATS  # defined there for the CLI; pages read it here
from annotator.errors import InvalidInput
from annotator.services.fact_checking import claimreview_lines, latest_verdicts
from annotator.services.outcomes import article_texts, decided_by
from annotator.services.projects import led_project
from annotator.services.records import UserInfo
from annotator.writers import Columns, csv_chunks, jsonl_chunks, parquet_chunks, table
from db.engine import driver_rows, read_transaction
from db.models import Article, Label, Outcome, Project, Sentence, User

MEDIA_TYPES = {
    "csv": "text/csv",
    "jsonl": "application/jsonl",
    "parquet": "application/vnd.apache.parquet",
}
FETCH_ROWS = 10_000


@dataclass(frozen=True)
class ExportRequest:
    """Which table of which project, in which format."""

    project: str
    kind: str
    format: str = "csv"
    excel: bool = False
    organisation: str = "Claim Annotator"  # ClaimReview's author
    review_url: str = ""  # ClaimReview's url, with {sentence_id}

    def check(self) -> None:
        """InvalidInput if the kind or format is not one we write."""
        if self.kind not in EXPORT_KINDS:
            kinds = ", ".join(EXPORT_KINDS)
            raise InvalidInput(f"unknown export kind {self.kind!r}; choose from {kinds}")
        if self.format not in FORMATS:
            raise InvalidInput(f"unknown format {self.format!r}; choose from {', '.join(FORMATS)}")
        if self.kind == "claimreview" and self.format != "jsonl":
            raise InvalidInput("ClaimReview is JSON-LD: export it with the jsonl format")
        if self.excel and self.format != "csv":
            raise InvalidInput("the Excel option applies to CSV only (Parquet and JSONL are typed)")

    @property
    def file_name(self) -> str:
        """A default file name, e.g. `default-labels.csv`."""
        return f"{self.project}-{self.kind}.{self.format}"

    @property
    def media_type(self) -> str:
        """The MIME type of the file, for a download."""
        return MEDIA_TYPES[self.format]


def export_chunks(
    session: Session, request: ExportRequest, actor: UserInfo | None
) -> Iterator[bytes]:
    """The export's bytes in chunks; the database is read `FETCH_ROWS` rows at a time.

    `actor` is the logged-in user of the UI, who must be an admin or a lead of the project
    (an export holds every annotator's labels and notes); None is the command line, run by
    whoever owns the database.
    """
    request.check()
    with read_transaction(session):
        project_id = _exportable(session, request, actor)
        if request.kind == "claimreview":
            yield from claimreview_lines(session, project_id, request.organisation,
                                         request.review_url)  # fmt: skip
            return
        yield from _encoded(request, export_tables(session, request.kind, project_id))


def check_export(session: Session, request: ExportRequest, actor: UserInfo | None) -> None:
    """Raise what `export_chunks` would (a wrong request, no such project, not a lead of it)
    before any byte is built: what a page asks before it offers the download."""
    request.check()
    with read_transaction(session):
        _exportable(session, request, actor)


def _exportable(session: Session, request: ExportRequest, actor: UserInfo | None) -> int:
    """The project's id, if the actor may export it (an admin or a lead of the project)."""
    project_id = led_project(session, actor, request.project).id
    return project_id


def export_bytes(session: Session, request: ExportRequest, actor: UserInfo | None) -> bytes:
    """The whole export as bytes (what the UI's download button serves)."""
    return b"".join(export_chunks(session, request, actor))


def export_tables(session: Session, kind: str, project_id: int) -> Iterator[pa.Table]:
    """A project's `kind` table as typed Arrow tables of `FETCH_ROWS` rows, in the caller's
    transaction: what every format is written from."""
    columns = KINDS[kind]
    given = _as_sent(session, columns)
    for rows in driver_rows(session, _statement(kind, project_id), FETCH_ROWS):
        yield _with_sentences(session, table(columns, rows, given))


def _with_sentences(session: Session, part: pa.Table) -> pa.Table:
    """`part` with its `sentence` column sliced from the articles' texts, each fetched once
    (in the database, slicing was four fifths of a labels export's query)."""
    ids, starts, ends = (part.column(name).to_pylist()
                         for name in ("article_id", "char_start", "char_end"))  # fmt: skip
    texts = article_texts(session, set(ids))
    sentences = [
        texts[article][start:end] for article, start, end in zip(ids, starts, ends, strict=True)
    ]
    at = part.schema.get_field_index("sentence")
    return part.set_column(at, part.schema.field(at), pa.array(sentences, pa.string()))


def _as_sent(session: Session, columns: Columns) -> Columns:
    """How the database driver sends each column (see `driver_rows`): SQLite has no date,
    timestamp or boolean values (timestamps are stored in UTC)."""
    if session.get_bind().dialect.name != "sqlite":
        return columns
    return {name: SQLITE_SENDS.get(kind, kind) for name, kind in columns.items()}


SQLITE_SENDS = {"date": "string", "timestamp": "string", "bool": "int"}


def _encoded(request: ExportRequest, chunks: Iterable[pa.Table]) -> Iterator[bytes]:
    columns = KINDS[request.kind]
    if request.format == "parquet":
        yield from parquet_chunks(columns, chunks)
        return
    if request.format == "jsonl":
        text = jsonl_chunks(columns, chunks)
    else:
        text = csv_chunks(columns, chunks, excel=request.excel)
    for chunk in text:
        if chunk:
            yield chunk.encode("utf-8")


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
        null(),  # the sentence, sliced from its article's text by `_with_sentences`
        Sentence.speaker,
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
    if kind == "gold":
        verdict = latest_verdicts(project_id)
        return (
            base.join(Outcome, Outcome.sentence_id == Sentence.id)
            .outerjoin(User, User.id == Outcome.adjudicator_id)
            .outerjoin(verdict, verdict.c.sentence_id == Sentence.id)
            .where(Outcome.status == "gold")
            .add_columns(
                Outcome.claim_type,
                Outcome.date_bound,
                Outcome.as_of,
                Outcome.n_labels,
                Outcome.agreement,
                decided_by(),
                verdict.c.verdict,
                verdict.c.evidence_urls,
                verdict.c.rationale,
            )
            .order_by(Article.id, Sentence.index)
        )
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
            Label.suggestion,
            Label.suggestion_confidence,
            Label.suggestion_model,
            Label.suggestion_mode,
        )
        .order_by(Article.id, Sentence.index, Label.annotator_id)
    )

"""`import-labels`: labels in the `labels` export format, into a project of this database.

Labels move between databases and tools this way. Each row names its sentence by the article's
title and the sentence's offsets and text (`article_id` only breaks a tie, since ids differ
between databases), and its annotator by user name (the account must exist). A file is
imported whole or not at all: every problem is reported with its line, and then nothing is
stored. A row equal to the stored label changes nothing; a row that differs from a stored label
is a conflict unless `replace` is given. `labelled_at` and `seconds_spent` are kept, so
export -> import-labels -> export gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.errors import AnnotatorError, ImportRejected
from annotator.label_files import label_rows
from annotator.scheme import Scheme
from annotator.services import counts
from annotator.services.labelling import LabelInput, answer_fields, apply_answer, label_fields
from annotator.services.outcomes import article_texts, settle
from annotator.services.projects import led_project, stored_scheme
from annotator.services.records import UserInfo
from annotator.storable import storable_problem
from db.engine import write_transaction
from db.models import Article, Label, LabelHistory, Sentence, User

REQUIRED_COLUMNS = ("article_title", "char_start", "char_end", "sentence", "annotator")
MAX_PROBLEMS_SHOWN = 20
IN_BATCH = 500
T = TypeVar("T")


@dataclass(frozen=True)
class LabelImportReport:
    """What `import_labels` did with a file."""

    file: str
    added: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class LabelRow:
    """One parsed row: where its sentence is, whose label it is, and the label."""

    line: int
    article_title: str
    article_id: int | None
    span: tuple[int, int]
    sentence: str
    annotator: str
    answer: LabelInput
    labelled_at: dt.datetime | None
    seconds: float


class Problems:
    """Problems found in a file, each with its line; raised together as one rejection."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found: list[str] = []

    def add(self, line: int | None, message: str) -> None:
        """Note a problem at `line` (None: the whole file)."""
        self.found.append(AnnotatorError(message, file=self.name, line=line).located())

    def raise_any(self) -> None:
        """ImportRejected listing the problems (one per line), if there are any."""
        if not self.found:
            return
        shown = self.found[:MAX_PROBLEMS_SHOWN]
        if len(self.found) > len(shown):
            shown.append(f"{self.name}: and {len(self.found) - len(shown)} more problem(s)")
        raise ImportRejected("\n".join(shown))


def import_labels(
    session: Session,
    actor: UserInfo | None,
    project: str,
    name: str,
    data: bytes,
    *,
    replace: bool = False,
) -> LabelImportReport:
    """Store the labels of a `labels` export file in `project`, whole or not at all."""
    header, raw = label_rows(name, data)
    problems = Problems(name)
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        row = led_project(session, actor, project)  # who may comes before what the file holds
        if not header and not raw:  # an empty JSON Lines export
            return LabelImportReport(name, 0, 0, 0)
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            problems.add(None, f"missing column(s) {', '.join(missing)}; a labels export has them")
            problems.raise_any()
        scheme = stored_scheme(row.scheme, row.scheme_json)
        parsed = [_parse(header, line, cells, scheme, problems) for line, cells in raw]
        rows = [p for p in parsed if p is not None]
        located = _locate(session, row.id, rows, problems)
        people = _annotators(session, rows, problems)
        plan = _plan(session, located, people, replace, problems)
        problems.raise_any()
        writes = [_write(session, change, actor, now) for change in plan.changes]
        counts.labels_written(session, row.id, writes)
        session.flush()
        settle(session, [change.sentence_id for change in plan.changes], now)
        updated = sum(change.label is not None for change in plan.changes)
        return LabelImportReport(name, len(plan.changes) - updated, updated, plan.unchanged)


def _parse(
    header: Sequence[str], line: int, cells: Sequence[str], scheme: Scheme, problems: Problems
) -> LabelRow | None:
    """One row checked and typed; None (with the problems noted) if anything is wrong."""
    if len(cells) != len(header):
        problems.add(line, f"has {len(cells)} cells; the header has {len(header)}")
        return None
    cell = dict(zip(header, cells, strict=True))
    unstorable = [(c, p) for c, v in cell.items() if (p := storable_problem(v)) is not None]
    if unstorable:
        problems.add(line, f"{unstorable[0][0]} {unstorable[0][1]}")
        return None
    try:
        answer = _answer(cell, scheme)
        return LabelRow(
            line=line,
            article_title=cell["article_title"],
            article_id=_optional_int(cell.get("article_id", ""), "article_id"),
            span=_span(cell["char_start"], cell["char_end"]),
            sentence=cell["sentence"],
            annotator=cell["annotator"].strip(),
            answer=answer,
            labelled_at=_timestamp(cell.get("labelled_at", "")),
            seconds=_seconds(cell.get("seconds_spent", "")),
        )
    except ValueError as error:
        problems.add(line, str(error))
        return None


def _answer(cell: dict[str, str], scheme: Scheme) -> LabelInput:
    skipped = _flag(cell.get("skipped", ""), "skipped") or False
    claim_type = cell.get("claim_type", "").strip() or None
    date_bound = _flag(cell.get("date_bound", ""), "date_bound")
    as_of = _date(cell.get("as_of", ""))
    if skipped and (claim_type or date_bound is not None or as_of):
        raise ValueError("a skipped label has no claim_type, date_bound or as_of")
    if not skipped and claim_type not in scheme.values:
        raise ValueError(
            f"claim_type {claim_type or ''!r} is not one of {', '.join(scheme.values)}"
        )
    applies = claim_type == scheme.date_bound_applies_to
    if not skipped and not applies and (date_bound is not None or as_of):
        raise ValueError(f"date_bound and as_of apply only to {scheme.date_bound_applies_to}")
    if as_of and not date_bound:
        raise ValueError("as_of is given but date_bound is not true")
    note = cell.get("note", "")
    answer = LabelInput(claim_type, skipped, date_bound if applies else None, as_of, note)
    try:
        return answer.validated(scheme)
    except AnnotatorError as error:
        raise ValueError(error.message) from None


def _flag(text: str, column: str) -> bool | None:
    value = text.strip().lower()
    if value in ("", "true", "false"):
        return None if not value else value == "true"
    raise ValueError(f"{column} must be true, false or empty, not {text!r}")


def _date(text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"as_of must be a date YYYY-MM-DD, not {text!r}") from None


def _timestamp(text: str) -> dt.datetime | None:
    if not text.strip():
        return None
    try:
        stamp = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"labelled_at must be an ISO 8601 timestamp, not {text!r}") from None
    if stamp.tzinfo is None:
        raise ValueError(f"labelled_at needs a time zone (end it with Z for UTC): {text!r}")
    return stamp.astimezone(dt.UTC)


def _seconds(text: str) -> float:
    if not text.strip():
        return 0.0
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"seconds_spent must be a number, not {text!r}") from None
    if not 0 <= seconds < 10**9:  # also refuses nan and inf
        raise ValueError(f"seconds_spent must be zero or more, not {text!r}")
    return seconds


def _optional_int(text: str, column: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise ValueError(f"{column} must be a whole number, not {text!r}")
    return int(text)


def _span(start: str, end: str) -> tuple[int, int]:
    first = _optional_int(start, "char_start")
    last = _optional_int(end, "char_end")
    if first is None or last is None or first >= last:
        raise ValueError(
            f"char_start and char_end must be offsets with start < end: {start!r}, {end!r}"
        )
    return first, last


@dataclass(frozen=True)
class Change:
    """A label to add (`label` None) or to overwrite."""

    sentence_id: int
    article_id: int
    annotator_id: int
    row: LabelRow
    label: Label | None


@dataclass(frozen=True)
class Plan:
    """What storing the file would do."""

    changes: list[Change]
    unchanged: int


def _locate(
    session: Session, project_id: int, rows: Sequence[LabelRow], problems: Problems
) -> list[tuple[int, int, LabelRow]]:
    """(sentence id, article id, row) for each row whose sentence is found, by title, offsets
    and text."""
    titles: dict[str, list[int]] = {}
    for chunk in _batches(sorted({r.article_title for r in rows})):
        for article_id, title in session.execute(
            select(Article.id, Article.title).where(
                Article.project_id == project_id, Article.title.in_(chunk)
            )
        ):
            titles.setdefault(title, []).append(article_id)
    spans = _spans(session, [a for ids in titles.values() for a in ids])
    located = []
    for row in rows:
        found = [
            a for a in titles.get(row.article_title, [])
            if (hit := spans.get((a, *row.span))) is not None and hit[2] == row.sentence
        ]  # fmt: skip
        if row.article_id in found:
            found = [row.article_id]
        if len(found) == 1 and spans[(found[0], *row.span)][1] != "body":
            problems.add(
                row.line, f"the sentence is {spans[(found[0], *row.span)][1]}, not body text"
            )
        elif len(found) == 1:
            located.append((spans[(found[0], *row.span)][0], found[0], row))
        else:
            problems.add(row.line, _not_found(row, found))
    return located


def _not_found(row: LabelRow, found: Sequence[int]) -> str:
    where = (
        f"characters {row.span[0]}-{row.span[1]} of the article titled {row.article_title[:80]!r}"
    )
    if found:
        ids = ", ".join(str(a) for a in found)
        return f"{where} match several articles ({ids}); give article_id"
    return f"no sentence in this project reads {row.sentence[:60]!r} at {where}"


def _spans(
    session: Session, article_ids: Sequence[int]
) -> dict[tuple[int, int, int], tuple[int, str, str]]:
    spans = {}
    for chunk in _batches(article_ids):
        texts = article_texts(session, chunk)
        for id_, article, start, end, role in session.execute(
            select(
                Sentence.id, Sentence.article_id, Sentence.char_start, Sentence.char_end,
                Sentence.role,
            ).where(Sentence.article_id.in_(chunk))
        ):  # fmt: skip
            spans[(article, start, end)] = (id_, role, texts[article][start:end])
    return spans


def _annotators(session: Session, rows: Sequence[LabelRow], problems: Problems) -> dict[str, int]:
    names = sorted({r.annotator for r in rows})
    people: dict[str, int] = {}
    for chunk in _batches(names):
        people.update(
            (name, user_id)
            for user_id, name in session.execute(
                select(User.id, User.name).where(User.name.in_(chunk))
            )
        )
    for row in rows:
        if row.annotator not in people:
            problems.add(
                row.line,
                f"no account named {row.annotator!r}; create it first "
                f"(python -m annotator users add {row.annotator or 'NAME'} --role annotator)",
            )
    return people


def _plan(
    session: Session,
    located: Sequence[tuple[int, int, LabelRow]],
    people: dict[str, int],
    replace: bool,
    problems: Problems,
) -> Plan:
    stored = _stored_labels(session, [sentence_id for sentence_id, _, _ in located])
    seen: dict[tuple[int, int], int] = {}
    changes: list[Change] = []
    unchanged = 0
    for sentence_id, article_id, row in located:
        if row.annotator not in people:
            continue
        key = (sentence_id, people[row.annotator])
        if key in seen:
            problems.add(row.line, f"repeats line {seen[key]}: the same sentence and annotator")
            continue
        seen[key] = row.line
        label = stored.get(key)
        if label is not None and label_fields(label) == answer_fields(row.answer):
            unchanged += 1
        elif label is not None and not replace:
            problems.add(
                row.line,
                f"{row.annotator} already has a different label for this sentence "
                "(give --replace to overwrite it)",
            )
        else:
            changes.append(Change(sentence_id, article_id, key[1], row, label))
    return Plan(changes, unchanged)


def _stored_labels(session: Session, sentence_ids: Sequence[int]) -> dict[tuple[int, int], Label]:
    stored = {}
    for chunk in _batches(sorted(set(sentence_ids))):
        for label in session.scalars(select(Label).where(Label.sentence_id.in_(chunk))):
            stored[(label.sentence_id, label.annotator_id)] = label
    return stored


def _write(
    session: Session, change: Change, actor: UserInfo | None, now: dt.datetime
) -> counts.LabelWrite:
    """Add or overwrite one label, keeping the file's time stamp and seconds, and its history;
    what the counters must count."""
    stamp = change.row.labelled_at or now
    label = change.label
    before = counts.state(label)
    old = None if label is None else label_fields(label)
    if label is None:
        label = Label(
            sentence_id=change.sentence_id, annotator_id=change.annotator_id, created_at=stamp
        )
        session.add(label)
    apply_answer(label, change.row.answer, stamp)
    label.seconds_spent = change.row.seconds
    session.flush()
    session.add(
        LabelHistory(
            label_id=label.id,
            changed_by=change.annotator_id if actor is None else actor.id,
            changed_at=now,
            old=None if old is None else json.dumps(old),
            new=json.dumps({**answer_fields(change.row.answer), "via": "import-labels"}),
        )
    )
    return counts.LabelWrite(
        change.article_id, change.annotator_id, before, counts.state(label), True
    )


def _batches(values: Sequence[T]) -> list[list[T]]:
    return [list(values[at : at + IN_BATCH]) for at in range(0, len(values), IN_BATCH)]

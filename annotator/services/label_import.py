"""`import-labels`: labels from a file into a project of this database.

Labels move between databases and tools this way. Each row names its article by title
(`article_id` only breaks a tie, since ids differ between databases) and its annotator by user
name (the account must exist). How a row finds its sentence in that article:

- `match="offsets"` (a `labels` export): by the sentence's offsets and text, both of which
  must agree; a row that fails says which of the two differed.
- `match="text"`: by the sentence's text alone, among the article's body sentences, compared
  with surrounding whitespace trimmed and every run of whitespace inside read as one space
  (quotes, dashes and case are compared as they are). A text found in several sentences of
  the article (a debate's "Thank you.") needs the row's `sentence_index`; rows that number
  their sentences in order (the public datasets' line numbers) are paired with the article's
  repeated sentences in that order when the file has exactly as many of them as the article.
  Anything else is refused as ambiguous: never guessed.
- `dataset="checkthat"` or `"claimbuster"`: the public datasets' own files
  (`annotator.claim_datasets`), matched by text, with the annotator (and for CheckThat! the
  article) given by the caller, since those files name none.

A file is imported whole or not at all: every problem is reported with its line, in line
order, and then nothing is stored. A row equal to the stored label changes nothing; a row that
differs from a stored label is a conflict unless `replace` is given. `labelled_at`,
`seconds_spent` and the four `suggestion` columns (what the annotator was shown, issue 21) are
kept, so export -> import-labels -> export gives the same bytes. A file without the
`suggestion` columns stores none (and is compared with stored labels on their answers only).
New labels are written a batch of rows per statement, so a large file takes seconds, not
minutes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass
from typing import TypeVar, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from annotator.claim_datasets import FORMATS as DATASETS
from annotator.claim_datasets import DatasetRow
from annotator.columns import SHOWN_COLUMNS
from annotator.errors import AnnotatorError, ImportRejected, InvalidInput
from annotator.label_files import LABEL_MATCHES, label_rows
from annotator.scheme import Scheme
from annotator.services import counts
from annotator.services.labelling import (
    LabelInput,
    ShownSuggestion,
    answer_fields,
    apply_answer,
    label_fields,
    record_shown,
)
from annotator.services.outcomes import article_texts, settle
from annotator.services.projects import led_project, stored_scheme
from annotator.services.records import UserInfo
from annotator.storable import storable_problem
from annotator.wording import counted, plural
from db.engine import bulk_insert, write_transaction
from db.models import SHOWN_MODES, Article, Label, LabelHistory, Sentence, User

MATCHES = LABEL_MATCHES
REQUIRED_COLUMNS = ("article_title", "char_start", "char_end", "sentence", "annotator")
TEXT_COLUMNS = ("article_title", "sentence", "annotator")
MAX_PROBLEMS_SHOWN = 20
IN_BATCH = 500
MAX_MODEL_NAME = 64  # the length of labels.suggestion_model
T = TypeVar("T")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class LabelImportReport:
    """What `import_labels` did with a file."""

    file: str
    added: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class LabelRow:
    """One parsed row: where its sentence is, whose label it is, and the label.

    `span` is None when the row is matched by text; `texts` holds the ways its text may read
    (one, except for a quoted CheckThat! text); `order` numbers the rows of a file that lists
    its sentences in order (the public datasets), else None."""

    line: int
    article_title: str
    article_id: int | None
    span: tuple[int, int] | None
    texts: tuple[str, ...]
    annotator: str
    answer: LabelInput
    labelled_at: dt.datetime | None = None
    seconds: float = 0.0
    sentence_index: int | None = None
    order: int | None = None
    shown: ShownSuggestion | None = None  # the suggestion the annotator was shown, if any

    @property
    def sentence(self) -> str:
        """The text as the file writes it."""
        return self.texts[0]


class Problems:
    """Problems found in a file, each with its line; raised together as one rejection, in line
    order (problems of the whole file first)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found: list[tuple[int, str]] = []

    def add(self, line: int | None, message: str) -> None:
        """Note a problem at `line` (None: the whole file)."""
        located = AnnotatorError(message, file=self.name, line=line).located()
        self.found.append((line or 0, located))

    def raise_any(self) -> None:
        """ImportRejected listing the problems (one per line), if there are any."""
        if not self.found:
            return
        ordered = [text for _, text in sorted(self.found, key=lambda found: found[0])]
        shown = ordered[:MAX_PROBLEMS_SHOWN]
        if len(ordered) > len(shown):
            shown.append(f"{self.name}: and {counted(len(ordered) - len(shown), 'more problem')}")
        raise ImportRejected("\n".join(shown))


def _require_columns(header: list[str], match: str, problems: Problems) -> None:
    """Refuse a labels file without the columns its `match` needs (a labels export has them)."""
    required = REQUIRED_COLUMNS if match == "offsets" else TEXT_COLUMNS
    missing = [c for c in required if c not in header]
    if not {"claim_type", "skipped"} & set(header):
        missing.append("claim_type")
    if missing:
        problems.add(None, _missing_columns(missing, match))
        problems.raise_any()


def import_labels(
    session: Session,
    actor: UserInfo | None,
    project: str,
    name: str,
    data: bytes,
    *,
    replace: bool = False,
    match: str = "offsets",
    dataset: str | None = None,
    annotator: str | None = None,
    article_title: str | None = None,
    progress: Progress | None = None,
) -> LabelImportReport:
    """Store the labels of the file `name` in `project`, whole or not at all.

    Without `dataset` the file is a `labels` export (CSV, JSON Lines, Parquet) whose rows find
    their sentences as `match` says; with `dataset` ("checkthat" or "claimbuster") it is that
    dataset's own file, matched by text, every label given to `annotator`, and put in the
    article titled `article_title` (default: see `annotator.claim_datasets`). `progress` is
    called with (rows done, rows to do) while the labels are written."""
    _check_options(match, dataset, annotator, article_title)
    problems = Problems(name)
    if dataset is not None:
        read = DATASETS[dataset].read(name, data, article_title)
        for line, message in read.problems:
            problems.add(line, message)
        header: list[str] = []
        raw: list[tuple[int, list[str]]] = []
    else:
        header, raw = label_rows(name, data)
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        row = led_project(session, actor, project)  # who may comes before what the file holds
        if dataset is None:
            if not header and not raw:  # an empty JSON Lines export
                return LabelImportReport(name, 0, 0, 0)
            _require_columns(header, match, problems)
        scheme = stored_scheme(row.scheme, row.scheme_json)
        if dataset is not None:
            _require_scheme_values(dataset, project, scheme, problems)
            parsed: list[LabelRow | None] = [
                _dataset_row(r, str(annotator).strip(), scheme) for r in read.rows
            ]
        else:
            parsed = [_parse(header, line, cells, scheme, match, problems) for line, cells in raw]
        rows = [p for p in parsed if p is not None]
        titles = _titles(session, row.id, rows)
        if match == "offsets" and dataset is None:
            located = _locate(session, titles, rows, problems)
        else:
            located = _locate_by_text(session, titles, rows, problems)
        people = _annotators(session, rows, problems)
        compare_shown = any(column in header for column in SHOWN_COLUMNS)
        plan = _plan(session, located, people, replace, compare_shown, problems)
        problems.raise_any()
        _store(session, row.id, plan.changes, actor, now, progress)
        updated = sum(change.label is not None for change in plan.changes)
        return LabelImportReport(name, len(plan.changes) - updated, updated, plan.unchanged)


def _store(
    session: Session,
    project_id: int,
    changes: Sequence[Change],
    actor: UserInfo | None,
    now: dt.datetime,
    progress: Progress | None,
) -> None:
    """Write the labels, keep the counters, settle the sentences' outcomes; `progress` counts
    the labels written, then the sentences settled."""
    ids = sorted({change.sentence_id for change in changes})
    total = len(changes) + len(ids)
    writes = _write_all(session, changes, actor, now, total, progress)
    counts.labels_written(session, project_id, writes)
    session.flush()
    for at in range(0, len(ids), IN_BATCH):
        settle(session, ids[at : at + IN_BATCH], now)
        if progress is not None:
            progress(len(changes) + min(at + IN_BATCH, len(ids)), total)


def _check_options(
    match: str, dataset: str | None, annotator: str | None, article_title: str | None
) -> None:
    if match not in MATCHES:
        raise InvalidInput(f"match must be one of {', '.join(MATCHES)}, not {match!r}")
    if dataset is not None and dataset not in DATASETS:
        raise InvalidInput(f"unknown dataset format {dataset!r}; known: {', '.join(DATASETS)}")
    if dataset is not None and not (annotator or "").strip():
        raise InvalidInput(
            f"{DATASETS[dataset].title} files name no annotator: give the user name to file "
            "the labels under"
        )
    if dataset is None and (annotator is not None or article_title is not None):
        raise InvalidInput(
            "an annotator or article title is given only with a dataset format; a labels "
            "file names them in its annotator and article_title columns"
        )


def _missing_columns(missing: Sequence[str], match: str) -> str:
    if match == "offsets":
        return (
            f"missing {plural(len(missing), 'column')} {', '.join(missing)}; a labels export "
            "has them (or match by text: --match text needs only article_title, sentence, "
            "annotator and claim_type)"
        )
    return (
        f"missing {plural(len(missing), 'column')} {', '.join(missing)}; matching by text "
        "needs article_title, sentence, annotator and claim_type (or skipped)"
    )


def _require_scheme_values(dataset: str, project: str, scheme: Scheme, problems: Problems) -> None:
    """Refuse a dataset's labels for a project whose scheme lacks the values they map to."""
    known = DATASETS[dataset]
    missing = [v for v in known.values if v not in scheme.values]
    if missing:
        problems.add(
            None,
            f"project {project!r} uses the scheme {scheme.name!r} "
            f"({', '.join(scheme.values)}); {known.title} labels need one with "
            f"{', '.join(known.values)}: create the project with --scheme "
            f"annotator/schemes/{dataset}.yaml",
        )
        problems.raise_any()


def _dataset_row(row: DatasetRow, annotator: str, scheme: Scheme) -> LabelRow:
    return LabelRow(
        line=row.line,
        article_title=row.article_title,
        article_id=None,
        span=None,
        texts=row.texts,
        annotator=annotator,
        answer=LabelInput(row.value).validated(scheme),
        order=row.order,
    )


def _parse(
    header: Sequence[str],
    line: int,
    cells: Sequence[str],
    scheme: Scheme,
    match: str,
    problems: Problems,
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
        by_offsets = match == "offsets"
        if not by_offsets and not cell["sentence"].strip():
            raise ValueError("sentence is empty")
        return LabelRow(
            line=line,
            article_title=cell["article_title"],
            article_id=_optional_int(cell.get("article_id", ""), "article_id"),
            span=_span(cell["char_start"], cell["char_end"]) if by_offsets else None,
            texts=(cell["sentence"],),
            annotator=cell["annotator"].strip(),
            answer=answer,
            labelled_at=_timestamp(cell.get("labelled_at", "")),
            seconds=_seconds(cell.get("seconds_spent", "")),
            sentence_index=None
            if by_offsets
            else _optional_int(cell.get("sentence_index", ""), "sentence_index"),
            shown=_shown(cell, scheme),
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


def _shown(cell: dict[str, str], scheme: Scheme) -> ShownSuggestion | None:
    """The suggestion the row says its annotator was shown: the four `suggestion` columns all
    given, or all empty (or absent) for none."""
    given = {column: cell.get(column, "").strip() for column in SHOWN_COLUMNS}
    if not any(given.values()):
        return None
    missing = [column for column, value in given.items() if not value]
    if missing:
        raise ValueError(
            f"{', '.join(SHOWN_COLUMNS[:-1])} and {SHOWN_COLUMNS[-1]} go together: give all "
            f"four or none (missing: {', '.join(missing)})"
        )
    answer, confidence, model, mode = given.values()
    if answer not in scheme.values:
        raise ValueError(f"suggestion {answer!r} is not one of {', '.join(scheme.values)}")
    try:
        number = float(confidence)
    except ValueError:
        number = math.nan
    if not 0 <= number <= 1:  # also refuses nan
        raise ValueError(f"suggestion_confidence must be a number from 0 to 1, not {confidence!r}")
    if len(model) > MAX_MODEL_NAME:
        raise ValueError(
            f"suggestion_model is {len(model)} characters; the limit is {MAX_MODEL_NAME}"
        )
    if mode not in SHOWN_MODES:
        raise ValueError(f"suggestion_mode must be {' or '.join(SHOWN_MODES)}, not {mode!r}")
    return ShownSuggestion(answer, number, model, mode)


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


def _titles(session: Session, project_id: int, rows: Sequence[LabelRow]) -> dict[str, list[int]]:
    """The ids of the project's articles with each title the rows name."""
    titles: dict[str, list[int]] = {}
    for chunk in _batches(sorted({r.article_title for r in rows})):
        for article_id, title in session.execute(
            select(Article.id, Article.title).where(
                Article.project_id == project_id, Article.title.in_(chunk)
            )
        ):
            titles.setdefault(title, []).append(article_id)
    return titles


def _locate(
    session: Session, titles: dict[str, list[int]], rows: Sequence[LabelRow], problems: Problems
) -> list[tuple[int, int, LabelRow]]:
    """(sentence id, article id, row) for each row whose sentence is found, by title, offsets
    and text."""
    spans = _spans(session, [a for ids in titles.values() for a in ids])
    located = []
    for row in rows:
        span = row.span or (0, 0)
        found = [
            a for a in titles.get(row.article_title, [])
            if (hit := spans.get((a, *span))) is not None and hit[2] == row.sentence
        ]  # fmt: skip
        if row.article_id in found:
            found = [row.article_id]
        if len(found) == 1 and spans[(found[0], *span)][1] != "body":
            problems.add(row.line, f"the sentence is {spans[(found[0], *span)][1]}, not body text")
        elif len(found) == 1:
            located.append((spans[(found[0], *span)][0], found[0], row))
        else:
            problems.add(row.line, _not_found(row, found, titles, spans))
    return located


Spans = dict[tuple[int, int, int], tuple[int, str, str]]


def _not_found(
    row: LabelRow, found: Sequence[int], titles: dict[str, list[int]], spans: Spans
) -> str:
    """Why the row's offsets and text find no single sentence: no such title, several
    articles, or which of offsets and text differs (both shown, briefly)."""
    title = f"the article titled {row.article_title[:80]!r}"
    start, end = row.span or (0, 0)
    if found:
        ids = ", ".join(str(a) for a in found)
        return (
            f"characters {start}-{end} of {title} match several articles ({ids}); give article_id"
        )
    articles = titles.get(row.article_title, [])
    if not articles:
        return f"no article in this project is titled {row.article_title[:80]!r}"
    if row.article_id is not None and row.article_id not in articles:
        return f"{title} has no article_id {row.article_id} (its ids: {_listed(articles)})"
    if row.article_id is not None:
        articles = [row.article_id]
    text = _short(row.sentence)
    for article in articles:
        hit = spans.get((article, start, end))
        if hit is not None:
            return (
                f"the text differs: characters {start}-{end} of {title} read "
                f"{_short(hit[2])}, the file has {text}"
            )
    elsewhere = [
        f"{s}-{e}" for (a, s, e), (_, _, t) in spans.items() if a in articles and t == row.sentence
    ]
    where = (
        f"; that text is at characters {', '.join(elsewhere[:3])}"
        if elsewhere
        else f", and no sentence of it reads {text}"
    )
    return f"the offsets differ: no sentence of {title} spans characters {start}-{end}{where}"


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _listed(values: Sequence[int]) -> str:
    return ", ".join(str(v) for v in values[:10]) + (", ..." if len(values) > 10 else "")


def _spans(session: Session, article_ids: Sequence[int]) -> Spans:
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


@dataclass(frozen=True)
class Stored:
    """A sentence of an article as text matching sees it."""

    id: int
    index: int
    role: str
    text: str


def _locate_by_text(
    session: Session, titles: dict[str, list[int]], rows: Sequence[LabelRow], problems: Problems
) -> list[tuple[int, int, LabelRow]]:
    """(sentence id, article id, row) for each row whose sentence is found by its text among
    its article's body sentences; a text that several sentences share takes the row's
    sentence_index, or the file's order (see the module's docstring), else is refused."""
    chosen = {row.line: article for row in rows if (article := _article(row, titles, problems))}
    by_index, by_text = _sentences(session, sorted(set(chosen.values())))
    located: list[tuple[int, int, LabelRow]] = []
    repeated: dict[tuple[int, tuple[int, ...], str], list[LabelRow]] = defaultdict(list)
    for row in rows:
        if row.line not in chosen:
            continue
        article = chosen[row.line]
        found = _candidates(row, by_text.get(article, {}), body_only=row.sentence_index is None)
        if row.sentence_index is not None:
            found = _at_index(row, found, by_index.get(article, {}), problems)
        elif not found:
            problems.add(
                row.line,
                f"no sentence of the article titled {row.article_title[:80]!r} reads "
                f"{_short(row.sentence)}",
            )
        if len(found) == 1 and found[0].role != "body":
            problems.add(row.line, f"the sentence is {found[0].role}, not body text")
        elif len(found) == 1:
            located.append((found[0].id, article, row))
        elif found:
            repeated[(article, tuple(s.id for s in found), row.annotator)].append(row)
    for (article, _, _), group in repeated.items():
        located += _in_order(article, group, by_text[article], problems)
    return located


def _article(row: LabelRow, titles: dict[str, list[int]], problems: Problems) -> int | None:
    """The one article the row names, or None with the problem noted."""
    articles = titles.get(row.article_title, [])
    if row.article_id is not None and row.article_id in articles:
        return row.article_id
    if not articles:
        problems.add(row.line, f"no article in this project is titled {row.article_title[:80]!r}")
    elif row.article_id is not None:
        problems.add(
            row.line,
            f"the article titled {row.article_title[:80]!r} has no article_id {row.article_id} "
            f"(its ids: {_listed(articles)})",
        )
    elif len(articles) > 1:
        problems.add(
            row.line,
            f"{len(articles)} articles are titled {row.article_title[:80]!r} "
            f"(ids {_listed(articles)}); give article_id",
        )
    else:
        return articles[0]
    return None


def _candidates(
    row: LabelRow, texts: dict[str, list[Stored]], body_only: bool = True
) -> list[Stored]:
    """The article's sentences that read as the row does (with `body_only`, the body
    sentences when any does)."""
    found: dict[int, Stored] = {}
    for reading in row.texts:
        found.update((s.id, s) for s in texts.get(_normal(reading), []))
    sentences = sorted(found.values(), key=lambda s: s.index)
    body = [s for s in sentences if s.role == "body"]
    return (body if body_only else []) or sentences


def _at_index(
    row: LabelRow, found: list[Stored], by_index: dict[int, Stored], problems: Problems
) -> list[Stored]:
    """The candidate at the row's sentence_index; none (with the problem noted) if the
    sentence there reads otherwise or there is none."""
    hit = [s for s in found if s.index == row.sentence_index]
    if hit:
        return hit
    there = by_index.get(int(row.sentence_index or 0))
    title = f"the article titled {row.article_title[:80]!r}"
    if there is None:
        problems.add(row.line, f"{title} has no sentence_index {row.sentence_index}")
    else:
        problems.add(
            row.line,
            f"sentence_index {row.sentence_index} of {title} reads {_short(there.text)}, "
            f"the file has {_short(row.sentence)}",
        )
    return []


def _in_order(
    article: int, group: list[LabelRow], texts: dict[str, list[Stored]], problems: Problems
) -> list[tuple[int, int, LabelRow]]:
    """Rows whose text several sentences of the article share: paired in order when each row
    has a position in the file's numbering and there are as many rows as sentences."""
    found = _candidates(group[0], texts)
    orders = [row.order for row in group]
    if len(group) == len(found) and None not in orders and len(set(orders)) == len(orders):
        ordered = sorted(group, key=lambda row: int(row.order or 0))
        return [(s.id, article, row) for s, row in zip(found, ordered, strict=True)]
    indexes = ", ".join(str(s.index) for s in found[:10]) + (", ..." if len(found) > 10 else "")
    for row in group:
        if None in orders:
            why = "add a sentence_index column to say which"
        else:
            why = (
                f"the file has {counted(len(group), 'line')} with this text for the article, "
                "so they cannot be paired in order"
            )
        problems.add(
            row.line,
            f"ambiguous: {len(found)} sentences of the article titled "
            f"{row.article_title[:80]!r} read {_short(row.sentence)} (sentence_index "
            f"{indexes}); {why}",
        )
    return []


def _sentences(
    session: Session, article_ids: Sequence[int]
) -> tuple[dict[int, dict[int, Stored]], dict[int, dict[str, list[Stored]]]]:
    """Each article's sentences by index, and by normalised text (in index order)."""
    by_index: dict[int, dict[int, Stored]] = defaultdict(dict)
    by_text: dict[int, dict[str, list[Stored]]] = defaultdict(lambda: defaultdict(list))
    for chunk in _batches(article_ids):
        texts = article_texts(session, chunk)
        for id_, article, index, start, end, role in session.execute(
            select(
                Sentence.id, Sentence.article_id, Sentence.index, Sentence.char_start,
                Sentence.char_end, Sentence.role,
            ).where(Sentence.article_id.in_(chunk)).order_by(Sentence.article_id, Sentence.index)
        ):  # fmt: skip
            stored = Stored(id_, index, role, texts[article][start:end])
            by_index[article][index] = stored
            by_text[article][_normal(stored.text)].append(stored)
    return by_index, by_text


def _normal(text: str) -> str:
    """Text as matching compares it: trimmed, each run of whitespace one space."""
    return " ".join(text.split())


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
    compare_shown: bool,
    problems: Problems,
) -> Plan:
    """What to write: the rows that add or (with `replace`) overwrite a label. A row equal to
    the stored label is unchanged; with `compare_shown` (the file has the `suggestion`
    columns) equal means the same answer and the same suggestion shown."""
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
        same_answer = label is not None and label_fields(label) == answer_fields(row.answer)
        same_shown = label is not None and (
            not compare_shown or _as_exported(_shown_of(label)) == _as_exported(row.shown)
        )
        if same_answer and same_shown:
            unchanged += 1
        elif label is not None and not replace:
            what = "a different label" if not same_answer else "this answer with another suggestion"
            problems.add(
                row.line,
                f"{row.annotator} already has {what} for this sentence "
                "(give --replace to overwrite it)",
            )
        else:
            changes.append(Change(sentence_id, article_id, key[1], row, label))
    return Plan(changes, unchanged)


def _shown_of(label: Label) -> ShownSuggestion | None:
    """The suggestion a stored label records its annotator was shown, if any."""
    if label.suggestion is None:
        return None
    return ShownSuggestion(
        label.suggestion,
        float(label.suggestion_confidence or 0.0),
        label.suggestion_model or "",
        label.suggestion_mode or "",
    )


def _as_exported(shown: ShownSuggestion | None) -> tuple[object, ...] | None:
    """The suggestion as an export writes it (the confidence in thousandths, ties to even as
    `annotator.writers` rounds): a file exported from this database reads back equal."""
    if shown is None:
        return None
    return (shown.answer, round(shown.confidence * 1000), shown.model, shown.mode)


def _stored_labels(session: Session, sentence_ids: Sequence[int]) -> dict[tuple[int, int], Label]:
    stored = {}
    for chunk in _batches(sorted(set(sentence_ids))):
        for label in session.scalars(select(Label).where(Label.sentence_id.in_(chunk))):
            stored[(label.sentence_id, label.annotator_id)] = label
    return stored


def _write_all(
    session: Session,
    changes: Sequence[Change],
    actor: UserInfo | None,
    now: dt.datetime,
    total: int,
    progress: Progress | None,
) -> list[counts.LabelWrite]:
    """Add the new labels (one INSERT per batch of rows, and one for their history) and
    overwrite the replaced ones; what the counters must count."""
    writes = [_overwrite(session, change, actor, now) for change in changes if change.label]
    new = [change for change in changes if change.label is None]
    written: dict[LabelInput, str] = {}  # each answer's history JSON, made once
    for at, chunk in zip(range(0, len(new), IN_BATCH), _batches(new), strict=True):
        # One bulk insert (executemany; COPY on PostgreSQL), ids read back by (sentence,
        # annotator), which is unique: with RETURNING, SQLAlchemy spliced the results row by
        # row (quadratic on SQLite); a multi-row VALUES took longer to compile than to run.
        bulk_insert(session, _table(Label), [_label_values(c, now) for c in chunk])
        ids = {
            (sentence, annotator): label_id
            for label_id, sentence, annotator in session.execute(
                select(Label.id, Label.sentence_id, Label.annotator_id).where(
                    Label.sentence_id.in_({change.sentence_id for change in chunk})
                )
            )
        }
        bulk_insert(
            session,
            _table(LabelHistory),
            [_history_values(ids[(change.sentence_id, change.annotator_id)], None, change,
                             actor, now, written)
             for change in chunk],
        )  # fmt: skip
        writes += [
            counts.LabelWrite(
                c.article_id, c.annotator_id, None,
                counts.LabelState(c.row.answer.skipped, c.row.seconds,
                                  (c.row.labelled_at or now).date()),
                True,
            )
            for c in chunk
        ]  # fmt: skip
        if progress is not None:
            progress(len(changes) - len(new) + at + len(chunk), total)
    return writes


def _table(model: type[Label] | type[LabelHistory]) -> Table:
    return cast(Table, model.__table__)


def _label_values(change: Change, now: dt.datetime) -> dict[str, object]:
    stamp = change.row.labelled_at or now
    answer = change.row.answer
    return dict(
        sentence_id=change.sentence_id, annotator_id=change.annotator_id,
        claim_type=answer.claim_type, date_bound=answer.date_bound, as_of=answer.as_of,
        note=answer.note, skipped=answer.skipped, seconds_spent=change.row.seconds,
        created_at=stamp, updated_at=stamp,
        **_shown_values(change.row.shown),
    )  # fmt: skip


def _shown_values(shown: ShownSuggestion | None) -> dict[str, object]:
    """The label's four `suggestion` columns (NULL when nothing was shown)."""
    values = (None,) * 4 if shown is None else astuple(shown)
    return dict(zip(SHOWN_COLUMNS, values, strict=True))


def _history_values(
    label_id: int,
    old: dict[str, object] | None,
    change: Change,
    actor: UserInfo | None,
    now: dt.datetime,
    written: dict[LabelInput, str] | None = None,
) -> dict[str, object]:
    answer = change.row.answer
    new = None if written is None else written.get(answer)
    if new is None:
        new = json.dumps({**answer_fields(answer), "via": "import-labels"})
        if written is not None:
            written[answer] = new
    return dict(
        label_id=label_id,
        changed_by=change.annotator_id if actor is None else actor.id,
        changed_at=now,
        old=None if old is None else json.dumps(old),
        new=new,
    )


def _overwrite(
    session: Session, change: Change, actor: UserInfo | None, now: dt.datetime
) -> counts.LabelWrite:
    """Overwrite one stored label, keeping the file's time stamp and seconds, and its history;
    what the counters must count."""
    label = change.label
    assert label is not None
    before = counts.state(label)
    old = label_fields(label)
    apply_answer(label, change.row.answer, change.row.labelled_at or now)
    record_shown(label, change.row.shown)
    label.seconds_spent = change.row.seconds
    session.flush()
    session.execute(
        insert(_table(LabelHistory)), [_history_values(label.id, old, change, actor, now)]
    )
    return counts.LabelWrite(
        change.article_id, change.annotator_id, before, counts.state(label), True
    )


def _batches(values: Sequence[T]) -> list[list[T]]:
    return [list(values[at : at + IN_BATCH]) for at in range(0, len(values), IN_BATCH)]

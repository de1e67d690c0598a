"""Frozen values that services hand to the UI and the CLI (never live ORM objects)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class UserInfo:
    """An account as the UI sees it."""

    id: int
    name: str
    role: str
    active: bool


@dataclass(frozen=True)
class Login:
    """A signed-in user and the token of their new login session (see services/sessions.py),
    which only the tab keeps."""

    user: UserInfo
    token: str = field(repr=False)


@dataclass(frozen=True)
class AccountInfo:
    """An account as an admin sees it: `locked_until` is set only while a lock holds; `email`
    is the address it signs in with through the organisation (None: passwords only)."""

    name: str
    role: str
    active: bool
    locked_until: dt.datetime | None
    email: str | None = None


@dataclass(frozen=True)
class ProjectInfo:
    """A project, its body-sentence total and its gold policy (see services/adjudication.py)."""

    id: int
    name: str
    scheme: str
    overlap: int
    guidelines: str
    n_body: int
    gold_policy: str = "unanimous"
    gold_min_votes: int = 2


@dataclass(frozen=True)
class SentenceInfo:
    """One sentence of an article: `text` is `article.text[start:end]`."""

    id: int
    index: int
    start: int
    end: int
    role: str
    text: str
    speaker: str | None = None  # transcripts: who said it


@dataclass(frozen=True)
class ArticleInfo:
    """An article with its sentences, for reading and labelling."""

    id: int
    project_id: int
    title: str
    text: str
    byline: str | None
    published: dt.date | None
    published_raw: str | None
    source: str | None
    url: str | None
    sentences: tuple[SentenceInfo, ...]

    @cached_property
    def body(self) -> tuple[SentenceInfo, ...]:
        """The sentences annotators label, in reading order (computed once per article)."""
        return tuple(s for s in self.sentences if s.role == "body")


@dataclass(frozen=True)
class ArticleSummary:
    """One line of an annotator's article list."""

    id: int
    title: str
    n_body: int
    n_done: int

    @property
    def finished(self) -> bool:
        """Every body sentence is labelled or skipped."""
        return self.n_done >= self.n_body


@dataclass(frozen=True)
class LabelInfo:
    """One annotator's current label for one sentence."""

    sentence_id: int
    claim_type: str | None
    date_bound: bool | None
    as_of: dt.date | None
    note: str
    skipped: bool
    seconds_spent: float
    updated_at: dt.datetime


@dataclass(frozen=True)
class GoldInfo:
    """A sentence's outcome: `status` is pending, disputed or gold; `decided_by` is
    `unanimous`, `majority` or the adjudicating lead's name (gold only)."""

    status: str
    n_labels: int
    agreement: float | None
    claim_type: str | None
    date_bound: bool | None
    as_of: dt.date | None
    decided_by: str | None
    decided_at: dt.datetime | None


@dataclass(frozen=True)
class DisputeSummary:
    """One line of the adjudication queue."""

    sentence_id: int
    article_id: int
    article_title: str
    sentence: str
    status: str
    n_labels: int
    agreement: float | None


@dataclass(frozen=True)
class AnnotatorAnswer:
    """One annotator's label as a lead sees it when adjudicating (with the name)."""

    annotator: str
    claim_type: str | None
    date_bound: bool | None
    as_of: dt.date | None
    note: str
    skipped: bool


@dataclass(frozen=True)
class Case:
    """Everything a lead needs to settle one sentence: where it is, who said what, the outcome."""

    article: ArticleInfo
    sentence: SentenceInfo
    answers: tuple[AnnotatorAnswer, ...]
    gold: GoldInfo | None


@dataclass(frozen=True)
class GoldDefaults:
    """What a lead's gold form starts with for one sentence: the date-bound switch and the
    as-of date (None: the field starts empty)."""

    date_bound: bool
    as_of: dt.date | None

"""Labelling: an annotator's articles, one article's sentences and labels, saving a label.

Every save writes the current label and appends the change to the label history in one
transaction, so the history can never disagree with the label it describes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, replace
from enum import Enum
from typing import TypeAlias

from sqlalchemy import Select, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, NotAssigned, NotFound, PermissionDenied, StaleLabel
from annotator.scheme import Scheme
from annotator.services import counts
from annotator.services.outcomes import settle
from annotator.services.permissions import may_lead
from annotator.services.projects import find_project, stored_scheme
from annotator.services.records import (
    ArticleInfo,
    ArticleSummary,
    LabelInfo,
    SentenceInfo,
    UserInfo,
)
from annotator.storable import require_storable
from db.engine import read_transaction, write_transaction
from db.models import (
    Article,
    Assignment,
    Label,
    LabelEvent,
    LabelHistory,
    Project,
    Sentence,
    User,
)

MAX_NOTE_LENGTH = 5_000
TAB_ID = re.compile(r"[A-Za-z0-9-]{8,36}")  # what the annotate panel names a browser tab with


class _AnyVersion(Enum):
    ANY_VERSION = "any"


ANY_VERSION = _AnyVersion.ANY_VERSION  # save whatever the label's current version is
Seen: TypeAlias = dt.datetime | _AnyVersion | None  # the label version a save was based on


@dataclass(frozen=True)
class LabelInput:
    """What an annotator answered for one sentence (a type, or a skip with its reason)."""

    claim_type: str | None
    skipped: bool = False
    date_bound: bool | None = None
    as_of: dt.date | None = None
    note: str = ""

    def validated(self, scheme: Scheme) -> LabelInput:
        """This answer made consistent with the scheme, or InvalidInput saying what is wrong."""
        if len(self.note) > MAX_NOTE_LENGTH:
            raise InvalidInput(f"note is {len(self.note):,} characters; the limit is 5,000")
        require_storable(self.note, "note")
        if self.skipped:
            return LabelInput(None, skipped=True, note=self.note)
        if self.claim_type not in scheme.values:
            raise InvalidInput(
                f"claim type {self.claim_type!r} is not one of {', '.join(scheme.values)}"
            )
        if self.claim_type != scheme.date_bound_applies_to:
            return replace(self, date_bound=None, as_of=None)
        date_bound = bool(self.date_bound)
        return replace(self, date_bound=date_bound, as_of=self.as_of if date_bound else None)


@dataclass(frozen=True)
class ShownSuggestion:
    """The model's suggestion the annotator was shown when answering (issue 21): stored with
    the label, so that a data scientist can measure how far suggestions pull answers."""

    answer: str
    confidence: float
    model: str  # `claim_type-v3`
    mode: str  # `shown` or `preselected`


@dataclass(frozen=True)
class PanelEvent:
    """Where an answer came from: the annotate panel's browser tab and the answer's sequence
    number there (issue 22), so that a replay of it (after a reload or a reconnect) saves
    nothing twice. `after` is the tab's earlier answer to the same sentence that this one was
    given on top of before it was acknowledged: the label version that answer left is the
    one this answer saw."""

    tab: str
    seq: int
    after: int | None = None

    def validated(self) -> PanelEvent:
        """This event, or InvalidInput saying what is wrong with it."""
        if not TAB_ID.fullmatch(self.tab):
            raise InvalidInput(f"tab id {self.tab!r} is not 8 to 36 letters, digits or dashes")
        if self.seq < 1:
            raise InvalidInput(f"sequence number {self.seq} is not positive")
        if self.after is not None and not 1 <= self.after < self.seq:
            raise InvalidInput(f"answer {self.seq} cannot follow answer {self.after}")
        return self


def label_info(label: Label) -> LabelInfo:
    """The frozen view of a label row."""
    return LabelInfo(
        sentence_id=label.sentence_id,
        claim_type=label.claim_type,
        date_bound=label.date_bound,
        as_of=label.as_of,
        note=label.note,
        skipped=label.skipped,
        seconds_spent=label.seconds_spent,
        updated_at=label.updated_at,
    )


def article_list(session: Session, actor: UserInfo, project: str) -> list[ArticleSummary]:
    """The project's articles that have body sentences, in import order, with the actor's
    count of labelled or skipped body sentences in each (from the article label counts)."""
    with read_transaction(session):
        project_id = find_project(session, project).id
        articles = select(Article.id, Article.title, Article.n_body)
        statement = (
            counts.with_labels_done(articles, actor.id)
            .where(Article.project_id == project_id, Article.n_body > 0)
            .order_by(Article.id)
        )
        if _assigned_only(session, actor, project_id):
            statement = statement.where(Article.id.in_(_assigned_to(actor, project_id)))
        rows = session.execute(statement)
        return [ArticleSummary(id=r[0], title=r[1], n_body=r[2], n_done=r[3]) for r in rows]


def _assigned_to(actor: UserInfo, project_id: int) -> Select[int]:
    return select(Assignment.article_id).where(
        Assignment.annotator_id == actor.id, Assignment.project_id == project_id
    )


def _assigned_only(session: Session, actor: UserInfo, project_id: int) -> bool:
    """Whether the actor works only on articles assigned to them in this project.

    A project nobody has assigned yet is open to every user (one person labelling alone).
    Once `assign` has run, annotators see only their own articles; an admin or a lead of the
    project with no assignments of their own may still open any article. (Read from the
    assigned counts: a row per annotator, not the assignments.)
    """
    holders = counts.holders(session, project_id)
    if not holders:
        return False
    if actor.id in holders:
        return True
    return not may_lead(session, actor.id, project_id)


def _require_may_open(session: Session, actor: UserInfo, article_id: int) -> None:
    """NotAssigned unless the actor may work on this article (see `_assigned_only`)."""
    project_id = session.scalar(select(Article.project_id).where(Article.id == article_id))
    if project_id is None:
        raise NotFound(f"no article with id {article_id}")
    if not _assigned_only(session, actor, project_id):
        return
    mine = select(Assignment.id).where(
        Assignment.article_id == article_id, Assignment.annotator_id == actor.id
    )
    if not session.scalar(select(exists(mine))):
        raise NotAssigned(f"article {article_id} is not assigned to {actor.name!r}")


def load_article(session: Session, actor: UserInfo, article_id: int) -> ArticleInfo:
    """An article with all its sentences (each with its text sliced from the original);
    NotAssigned if the actor may not work on it."""
    with read_transaction(session):
        _require_may_open(session, actor, article_id)
        return article_info(session, article_id)


def article_info(session: Session, article_id: int) -> ArticleInfo:
    """The frozen view of an article and its sentences (the caller checks permissions)."""
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"no article with id {article_id}")
    rows = session.scalars(
        select(Sentence).where(Sentence.article_id == article_id).order_by(Sentence.index)
    )
    sentences = tuple(
        SentenceInfo(
            s.id,
            s.index,
            s.char_start,
            s.char_end,
            s.role,
            article.text[s.char_start : s.char_end],
            s.speaker,
        )
        for s in rows
    )
    return ArticleInfo(
        id=article.id,
        project_id=article.project_id,
        title=article.title,
        text=article.text,
        byline=article.byline,
        published=article.published,
        published_raw=article.published_raw,
        source=article.source,
        url=article.url,
        sentences=sentences,
    )


def article_labels(session: Session, actor: UserInfo, article_id: int) -> dict[int, LabelInfo]:
    """The actor's own labels for one article, by sentence id (never anyone else's)."""
    with read_transaction(session):
        _require_may_open(session, actor, article_id)
        rows = session.scalars(
            select(Label)
            .join(Sentence, Sentence.id == Label.sentence_id)
            .where(Sentence.article_id == article_id, Label.annotator_id == actor.id)
        )
        return {label.sentence_id: label_info(label) for label in rows}


def last_labelled_article(session: Session, actor: UserInfo, project: str) -> int | None:
    """The article of the actor's most recently changed label in the project, if any:
    where a returning annotator left off."""
    with read_transaction(session):
        project_id = find_project(session, project).id
        return session.scalar(
            select(Sentence.article_id)
            .join(Label, Label.sentence_id == Sentence.id)
            .join(Article, Article.id == Sentence.article_id)
            .where(Label.annotator_id == actor.id, Article.project_id == project_id)
            .order_by(Label.updated_at.desc(), Label.id.desc())
            .limit(1)
        )


def done_count(session: Session, actor: UserInfo, project: str) -> int:
    """How many body sentences of the project the actor has labelled or skipped (from the
    progress counters: this runs on every click)."""
    with read_transaction(session):
        return counts.labels_done(session, find_project(session, project).id, actor.id)


def work_size(session: Session, actor: UserInfo, project: str) -> int:
    """How many body sentences the actor has to label in the project: those of the articles
    assigned to them, or every one where the project is open to them (read from counters)."""
    with read_transaction(session):
        found = find_project(session, project)
        if _assigned_only(session, actor, found.id):
            return counts.sentences_assigned(session, found.id, actor.id)
        return found.n_body


def save_label(
    session: Session,
    actor: UserInfo,
    sentence_id: int,
    answer: LabelInput,
    seconds: float,
    *,
    seen: Seen = ANY_VERSION,
    shown: ShownSuggestion | None = None,
    event: PanelEvent | None = None,
) -> tuple[LabelInfo, bool]:
    """Write the actor's label for a body sentence and append history; `True` if it is new.

    `event` names the panel's answer this save comes from: saved once, and its replays
    return the label as it is now without writing (and `False`).

    `shown` is the suggestion the page showed with the sentence (None: none), recorded with
    the answer whenever the answer changes.

    `seconds` (time spent on the sentence this visit) is added to the label's running total.
    `seen` is the version of the label the page showed when the annotator answered (its
    `updated_at`, None for no label): if the label has changed since, the save is refused
    with `StaleLabel`, so a stale tab cannot revert what another tab saved.
    """
    for attempt in range(2):
        try:
            return _save_label(
                session, actor, sentence_id, answer, max(0.0, seconds), seen, shown, event
            )
        except IntegrityError:
            # Two tabs of the same annotator inserted the same label at once (PostgreSQL);
            # the retry finds the other's row and updates it.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _save_label(
    session: Session,
    actor: UserInfo,
    sentence_id: int,
    answer: LabelInput,
    seconds: float,
    seen: Seen,
    shown: ShownSuggestion | None,
    event: PanelEvent | None,
) -> tuple[LabelInfo, bool]:
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        if event is not None:
            replayed = _replayed(session, actor, event.validated())
            if replayed is not None:
                return replayed, False
        _require_active(session, actor)
        if event is not None and event.after is not None:
            seen = _left_by(session, actor, event.tab, event.after)
        answer = answer.validated(_labellable_sentence_scheme(session, sentence_id))
        article_id = _article_of(session, sentence_id)
        _require_may_open(session, actor, article_id)
        label = session.scalar(
            select(Label).where(Label.sentence_id == sentence_id, Label.annotator_id == actor.id)
        )
        _require_seen(label, seen)
        created = label is None
        before = counts.state(label)
        if label is None:
            label = Label(
                sentence_id=sentence_id, annotator_id=actor.id, created_at=now, seconds_spent=0.0
            )
            session.add(label)
        old = None if created else label_fields(label)
        new = answer_fields(answer)
        label.seconds_spent = (label.seconds_spent or 0.0) + seconds
        if old != new:
            apply_answer(label, answer, now)
            record_shown(label, shown)
            session.flush()
            session.add(
                LabelHistory(
                    label_id=label.id,
                    changed_by=actor.id,
                    changed_at=now,
                    old=None if old is None else json.dumps(old),
                    new=json.dumps(new),
                )
            )
            session.flush()
            settle(session, [sentence_id], now)
        session.flush()
        project_id = int(
            session.scalar(select(Article.project_id).where(Article.id == article_id)) or 0
        )
        write = counts.LabelWrite(article_id, actor.id, before, counts.state(label), old != new)
        counts.labels_written(session, project_id, [write])
        if event is not None:
            _record_event(session, actor, event, label, now)
        return label_info(label), created


def _replayed(session: Session, actor: UserInfo, event: PanelEvent) -> LabelInfo | None:
    """The label as it is now if this event was saved before (a replay), else None."""
    label = session.scalar(
        select(Label)
        .join(LabelEvent, LabelEvent.sentence_id == Label.sentence_id)
        .where(
            LabelEvent.annotator_id == actor.id,
            LabelEvent.tab == event.tab,
            LabelEvent.seq == event.seq,
            Label.annotator_id == actor.id,
        )
    )
    return None if label is None else label_info(label)


def _left_by(session: Session, actor: UserInfo, tab: str, seq: int) -> dt.datetime:
    """The label version the tab's saved answer `seq` left; StaleLabel if it was not saved."""
    left = session.scalar(
        select(LabelEvent.label_updated_at).where(
            LabelEvent.annotator_id == actor.id, LabelEvent.tab == tab, LabelEvent.seq == seq
        )
    )
    if left is None:
        raise StaleLabel(f"the answer this one changed (number {seq}) was not saved")
    return left


def _record_event(
    session: Session, actor: UserInfo, event: PanelEvent, label: Label, now: dt.datetime
) -> None:
    session.add(
        LabelEvent(
            annotator_id=actor.id,
            tab=event.tab,
            seq=event.seq,
            sentence_id=label.sentence_id,
            label_updated_at=label.updated_at,
            saved_at=now,
        )
    )
    session.flush()


def _require_seen(label: Label | None, seen: Seen) -> None:
    """Refuse a save based on a version of the label that is no longer the current one."""
    if seen is ANY_VERSION:
        return
    current = None if label is None else label.updated_at
    if current != seen:
        raise StaleLabel(
            "this sentence's label changed in another tab since this page showed it; "
            "the page now shows the current answer"
        )


def apply_answer(label: Label, answer: LabelInput, now: dt.datetime) -> None:
    """Copy the answer onto the label and stamp it as changed now."""
    label.claim_type = answer.claim_type
    label.skipped = answer.skipped
    label.date_bound = answer.date_bound
    label.as_of = answer.as_of
    label.note = answer.note
    label.updated_at = now


def record_shown(label: Label, shown: ShownSuggestion | None) -> None:
    """Keep with the label what its annotator was shown with this answer (None: nothing)."""
    label.suggestion = None if shown is None else shown.answer
    label.suggestion_confidence = None if shown is None else shown.confidence
    label.suggestion_model = None if shown is None else shown.model
    label.suggestion_mode = None if shown is None else shown.mode


def label_fields(label: Label) -> dict[str, object]:
    """The stored label's answer as the history stores it."""
    return answer_fields(
        LabelInput(label.claim_type, label.skipped, label.date_bound, label.as_of, label.note)
    )


def answer_fields(answer: LabelInput) -> dict[str, object]:
    """The answer as the JSON-ready dict that the history stores."""
    fields = asdict(answer)
    fields["as_of"] = None if answer.as_of is None else answer.as_of.isoformat()
    return fields


def _article_of(session: Session, sentence_id: int) -> int:
    """The sentence's article, with the sentence's row locked until the transaction ends: on
    PostgreSQL, saves of one sentence (two tabs, other annotators) then queue instead of
    clashing on its label and outcome rows (SQLite's write transaction already holds all)."""
    article_id = session.scalar(
        select(Sentence.article_id).where(Sentence.id == sentence_id).with_for_update()
    )
    if article_id is None:
        raise NotFound(f"no sentence with id {sentence_id}")
    return article_id


def _require_active(session: Session, actor: UserInfo) -> None:
    active = session.scalar(select(User.active).where(User.id == actor.id))
    if not active:
        raise PermissionDenied(f"the account {actor.name!r} is disabled or gone")


def _labellable_sentence_scheme(session: Session, sentence_id: int) -> Scheme:
    """The stored scheme of the sentence's project; the sentence must be body text."""
    row = session.execute(
        select(Sentence.role, Project.scheme, Project.scheme_json)
        .join(Article, Article.id == Sentence.article_id)
        .join(Project, Project.id == Article.project_id)
        .where(Sentence.id == sentence_id)
    ).first()
    if row is None:
        raise NotFound(f"no sentence with id {sentence_id}")
    if row.role != "body":
        raise InvalidInput(f"sentence {sentence_id} is a {row.role} sentence, not body text")
    return stored_scheme(row.scheme, row.scheme_json)

"""Adjudication: a lead's view of disputed sentences, gold decisions by hand, the gold policy.

How gold is decided without a lead is in `annotator.services.outcomes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, NotFound
from annotator.services import counts
from annotator.services.labelling import LabelInput, article_info
from annotator.services.outcomes import (
    Decision,
    Vote,
    common_as_of,
    decided_by,
    gold_fields,
    sentence_text,
    settle,
    stamp,
    write_decision,
)
from annotator.services.permissions import require_lead
from annotator.services.projects import led_project, stored_scheme
from annotator.services.records import (
    AnnotatorAnswer,
    Case,
    DisputeSummary,
    GoldDefaults,
    GoldInfo,
    UserInfo,
)
from db.engine import read_transaction, write_transaction
from db.models import (
    GOLD_POLICIES,
    Article,
    Label,
    Outcome,
    Project,
    Sentence,
    User,
)

MAX_MIN_VOTES = 50


def set_policy(
    session: Session, actor: UserInfo | None, project: str, policy: str, min_votes: int = 2
) -> None:
    """Change how gold is decided without a lead, and re-settle the project's sentences."""
    if policy not in GOLD_POLICIES:
        raise InvalidInput(
            f"unknown gold policy {policy!r}; choose from {', '.join(GOLD_POLICIES)}"
        )
    if not 1 <= min_votes <= MAX_MIN_VOTES:
        raise InvalidInput(f"minimum votes must be between 1 and {MAX_MIN_VOTES}, not {min_votes}")
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        row = led_project(session, actor, project)
        row.gold_policy, row.gold_min_votes = policy, min_votes
        session.flush()
        ids = session.scalars(select(Outcome.sentence_id).where(Outcome.project_id == row.id))
        settle(session, list(ids), now)


def adjudicate(session: Session, actor: UserInfo, sentence_id: int, answer: LabelInput) -> None:
    """A lead sets the gold answer of a sentence; it stands until reopened."""
    if answer.skipped:
        raise InvalidInput("a gold label needs a claim type; it cannot be a skip")
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        project = _project_of(session, sentence_id)
        require_lead(session, actor, project.id)
        answer = answer.validated(stored_scheme(project.scheme, project.scheme_json))
        outcome = session.scalar(
            select(Outcome).where(Outcome.sentence_id == sentence_id).with_for_update()
        )
        before, counted = gold_fields(outcome), counts.outcome_key(outcome)
        if outcome is None:
            outcome = Outcome(
                sentence_id=sentence_id, project_id=project.id, n_labels=0, updated_at=now
            )
            session.add(outcome)
        gold = Vote(str(answer.claim_type), answer.date_bound, answer.as_of)
        write_decision(outcome, Decision("gold", outcome.n_labels, None, gold, "adjudicated"))
        outcome.adjudicator_id = actor.id
        session.flush()
        stamp(session, outcome, before, actor.id, now)
        move = counts.OutcomeMove(project.id, counted, counts.outcome_key(outcome))
        counts.outcomes_moved(session, [move])
        settle(session, [sentence_id], now)


def reopen(session: Session, actor: UserInfo, sentence_id: int) -> None:
    """Withdraw a lead's decision: the project's policy decides the sentence again."""
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        project = _project_of(session, sentence_id)
        require_lead(session, actor, project.id)
        outcome = session.get(Outcome, sentence_id)
        if outcome is None or outcome.method != "adjudicated":
            raise InvalidInput(f"sentence {sentence_id} has no lead's decision to reopen")
        before, counted = gold_fields(outcome), counts.outcome_key(outcome)
        outcome.status, outcome.method, outcome.adjudicator_id = "pending", None, None
        outcome.claim_type = outcome.date_bound = outcome.as_of = None
        stamp(session, outcome, before, actor.id, now)
        move = counts.OutcomeMove(project.id, counted, counts.outcome_key(outcome))
        counts.outcomes_moved(session, [move])
        session.flush()
        settle(session, [sentence_id], now)


def _project_of(session: Session, sentence_id: int) -> Project:
    project = session.scalar(
        select(Project)
        .join(Article, Article.project_id == Project.id)
        .join(Sentence, Sentence.article_id == Article.id)
        .where(Sentence.id == sentence_id)
    )
    if project is None:
        raise NotFound(f"no sentence with id {sentence_id}")
    return project


def dispute_queue(
    session: Session, actor: UserInfo, project: str, *, status: str = "disputed", limit: int = 50
) -> list[DisputeSummary]:
    """The project's sentences in `status`, most disputed first (lowest agreement, most labels)."""
    with read_transaction(session):
        project_id = led_project(session, actor, project).id
        rows = session.execute(
            select(
                Outcome.sentence_id, Article.id, Article.title, sentence_text(),
                Outcome.status, Outcome.n_labels, Outcome.agreement,
            )
            .join(Sentence, Sentence.id == Outcome.sentence_id)
            .join(Article, Article.id == Sentence.article_id)
            .where(Outcome.project_id == project_id, Outcome.status == status)
            .order_by(Outcome.agreement, Outcome.n_labels.desc(), Outcome.sentence_id)
            .limit(limit)
        )  # fmt: skip
        return [DisputeSummary(*row) for row in rows]


def outcome_counts(session: Session, actor: UserInfo, project: str) -> dict[str, int]:
    """How many sentences are pending, disputed, gold, and of the gold how many a lead set."""
    with read_transaction(session):
        project_id = led_project(session, actor, project).id
        totals = dict.fromkeys(("pending", "disputed", "gold", "adjudicated"), 0)
        for status, method, n in counts.outcome_totals(session, project_id):
            totals[status] += n
            if method == "adjudicated":
                totals["adjudicated"] += n
        return totals


def open_case(session: Session, actor: UserInfo, sentence_id: int) -> Case:
    """One sentence with its article, every annotator's answer (named) and its outcome."""
    with read_transaction(session):
        project = _project_of(session, sentence_id)
        require_lead(session, actor, project.id)
        article_id = session.scalar(select(Sentence.article_id).where(Sentence.id == sentence_id))
        article = article_info(session, int(article_id or 0))
        sentence = next(s for s in article.sentences if s.id == sentence_id)
        answers = session.execute(
            select(
                User.name, Label.claim_type, Label.date_bound, Label.as_of, Label.note,
                Label.skipped,
            )
            .join(User, User.id == Label.annotator_id)
            .where(Label.sentence_id == sentence_id)
            .order_by(User.name)
        )  # fmt: skip
        return Case(article, sentence, tuple(AnnotatorAnswer(*a) for a in answers),
                    _gold_info(session, sentence_id))  # fmt: skip


def gold_defaults(
    answers: Sequence[AnnotatorAnswer],
    applies_to: str | None,
    published: dt.date | None,
    gold: GoldInfo | None = None,
) -> GoldDefaults:
    """The date-bound switch and as-of date a lead's gold form starts with (pure; never today).

    A gold answer of the claim type that date-bound applies to keeps its own switch. Else the
    switch is on when most of the annotators' answers of that type that say either way say
    yes. The as-of date is the gold's, else the most common one of the date-bound answers of
    that type (the earliest on a tie), else the article's publication date, else empty.
    """
    if applies_to is None:
        return GoldDefaults(False, None)
    answered = [a for a in answers if not a.skipped and a.claim_type == applies_to]
    said = [a.date_bound for a in answered if a.date_bound is not None]
    on = sum(said) > len(said) / 2
    as_of = common_as_of(a.as_of for a in answered if a.date_bound) or published
    if gold is not None and gold.status == "gold" and gold.claim_type == applies_to:
        return GoldDefaults(bool(gold.date_bound), gold.as_of or as_of)
    return GoldDefaults(on, as_of)


def _gold_info(session: Session, sentence_id: int) -> GoldInfo | None:
    row = session.execute(
        select(Outcome, decided_by())
        .outerjoin(User, User.id == Outcome.adjudicator_id)
        .where(Outcome.sentence_id == sentence_id)
    ).first()
    if row is None:
        return None
    o = row[0]
    return GoldInfo(
        o.status, o.n_labels, o.agreement, o.claim_type, o.date_bound, o.as_of, row[1],
        o.decided_at,
    )  # fmt: skip

"""Outcomes: what each sentence's labels add up to under the project's gold policy.

Every sentence with an answer has one `Outcome` row, recomputed in the transaction that changes
one of its labels, so the dispute queue and the gold export read an index instead of grouping
every label. The answer compared is the claim type and, where the scheme's date-bound field
applies, the date-bound flag; skips are not votes.

- `unanimous` (default): every answer agrees and at least `overlap` annotators answered;
- `majority`: the most common answer has at least `gold_min_votes` votes and more than any other.

A policy gold label takes the most common as-of date among the agreeing labels (the earliest on
a tie). A lead's decision (`adjudicated`) stands until the lead reopens it. Every change of a
gold answer is appended to `gold_history`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import ColumnElement, Table, case, func, select
from sqlalchemy.orm import Session

from annotator.services import counts
from db.engine import bulk_insert
from db.models import Article, GoldHistory, Label, Outcome, Project, Sentence, User

SETTLE_BATCH = 500


@dataclass(frozen=True)
class Vote:
    """One annotator's (non-skipped) answer, as the policy compares it."""

    claim_type: str
    date_bound: bool | None
    as_of: dt.date | None

    @property
    def key(self) -> tuple[str, bool | None]:
        """What must match for two answers to agree (the as-of date need not)."""
        return (self.claim_type, self.date_bound)


@dataclass(frozen=True)
class Policy:
    """A project's rule for gold without a lead."""

    name: str = "unanimous"
    min_votes: int = 2
    overlap: int = 1


@dataclass(frozen=True)
class Decision:
    """What the votes add up to under a policy (`method` and the answer only when `gold`)."""

    status: str
    n_labels: int
    agreement: float | None
    answer: Vote | None = None
    method: str | None = None


def decide(votes: Sequence[Vote], policy: Policy) -> Decision:
    """The outcome of `votes` under `policy` (pure)."""
    counts = Counter(vote.key for vote in votes)
    ranked = counts.most_common()
    n = len(votes)
    agreement = ranked[0][1] / n if n else None
    top_key, top = ranked[0] if ranked else (None, 0)
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if policy.name == "unanimous" and len(counts) == 1 and n >= policy.overlap:
        method = "unanimous"
    elif policy.name == "majority" and top >= policy.min_votes and top > runner_up:
        method = "majority" if len(counts) > 1 else "unanimous"
    else:
        return Decision("disputed" if len(counts) > 1 else "pending", n, agreement)
    agreeing = [vote for vote in votes if vote.key == top_key]
    return Decision("gold", n, agreement, _with_common_as_of(agreeing), method)


def _with_common_as_of(agreeing: Sequence[Vote]) -> Vote:
    first = agreeing[0]
    return Vote(first.claim_type, first.date_bound, common_as_of(v.as_of for v in agreeing))


def common_as_of(given: Iterable[dt.date | None]) -> dt.date | None:
    """The most common of the as-of dates given (the earliest on a tie); None when none is."""
    dates = Counter(day for day in given if day is not None)
    return min(dates, key=lambda d: (-dates[d], d)) if dates else None


def settle(session: Session, sentence_ids: Collection[int], now: dt.datetime) -> None:
    """Recompute the outcome of these sentences inside the caller's write transaction."""
    ordered = sorted(set(sentence_ids))
    for at in range(0, len(ordered), SETTLE_BATCH):
        _settle_chunk(session, ordered[at : at + SETTLE_BATCH], now)


def _settle_chunk(session: Session, ids: Sequence[int], now: dt.datetime) -> None:
    # Lock the outcome rows first (PostgreSQL), so the labels read next include every label
    # committed by a concurrent save of the same sentence.
    outcomes = {
        o.sentence_id: o
        for o in session.scalars(
            select(Outcome).where(Outcome.sentence_id.in_(ids)).with_for_update()
        )
    }
    votes: dict[int, list[Vote]] = {}
    for row in session.execute(
        select(Label.sentence_id, Label.claim_type, Label.date_bound, Label.as_of).where(
            Label.sentence_id.in_(ids), Label.skipped.is_(False)
        )
    ):
        votes.setdefault(row.sentence_id, []).append(
            Vote(row.claim_type, row.date_bound, row.as_of)
        )
    policies = _policies(session, ids)
    moves = []
    fresh: list[dict[str, object]] = []
    for sentence_id in ids:
        project_id, policy = policies[sentence_id]
        outcome = outcomes.get(sentence_id)
        if outcome is None and votes.get(sentence_id):
            fresh.append(_new_outcome(sentence_id, project_id, votes[sentence_id], policy, now))
            moves.append(counts.OutcomeMove(project_id, None, _fresh_key(fresh[-1])))
            continue
        before = counts.outcome_key(outcome)
        after = _apply(session, outcome, sentence_id, project_id, votes, policy, now)
        moves.append(counts.OutcomeMove(project_id, before, after))
    _insert_fresh(session, fresh, now)
    counts.outcomes_moved(session, moves)


def _new_outcome(
    sentence_id: int, project_id: int, given: list[Vote], policy: Policy, now: dt.datetime
) -> dict[str, object]:
    """The row of a sentence's first outcome, as `_apply` would write it: new outcomes (a
    bulk import-labels makes thousands) go in with one INSERT per chunk, not one ORM object
    each."""
    decision = decide(given, policy)
    answer = decision.answer
    return dict(
        sentence_id=sentence_id, project_id=project_id, status=decision.status,
        n_labels=decision.n_labels, agreement=decision.agreement,
        claim_type=answer.claim_type if answer else None,
        date_bound=answer.date_bound if answer else None,
        as_of=answer.as_of if answer else None, method=decision.method, adjudicator_id=None,
        decided_at=now if decision.status == "gold" else None, updated_at=now,
    )  # fmt: skip


def _fresh_key(row: dict[str, object]) -> counts.OutcomeKey:
    return (str(row["status"]), str(row["method"] or ""))


def _insert_fresh(session: Session, rows: list[dict[str, object]], now: dt.datetime) -> None:
    """Insert new outcome rows, and the gold history of those that are gold."""
    if not rows:
        return
    bulk_insert(session, _table(Outcome), rows)  # no ORM bookkeeping; COPY on PostgreSQL
    history = [
        dict(sentence_id=row["sentence_id"], changed_by=None, changed_at=now, old=None,
             new=json.dumps(_row_gold_fields(row)))
        for row in rows if row["status"] == "gold"
    ]  # fmt: skip
    if history:
        bulk_insert(session, _table(GoldHistory), history)


def _table(model: type[Outcome] | type[GoldHistory]) -> Table:
    return cast(Table, model.__table__)


def _row_gold_fields(row: dict[str, object]) -> dict[str, object]:
    """`gold_fields` of a new gold outcome row."""
    as_of = row["as_of"]
    return {
        "claim_type": row["claim_type"],
        "date_bound": row["date_bound"],
        "as_of": as_of.isoformat() if isinstance(as_of, dt.date) else None,
        "method": row["method"],
        "adjudicator_id": None,
    }


def _policies(session: Session, ids: Sequence[int]) -> dict[int, tuple[int, Policy]]:
    rows = session.execute(
        select(
            Sentence.id, Project.id.label("project_id"), Project.gold_policy,
            Project.gold_min_votes, Project.overlap,
        )
        .join(Article, Article.id == Sentence.article_id)
        .join(Project, Project.id == Article.project_id)
        .where(Sentence.id.in_(ids))
    )  # fmt: skip
    return {r.id: (r.project_id, Policy(r.gold_policy, r.gold_min_votes, r.overlap)) for r in rows}


def _apply(
    session: Session,
    outcome: Outcome | None,
    sentence_id: int,
    project_id: int,
    votes: dict[int, list[Vote]],
    policy: Policy,
    now: dt.datetime,
) -> counts.OutcomeKey | None:
    """Write the sentence's outcome; what the outcome counts file it under now."""
    given = votes.get(sentence_id, [])
    if outcome is not None and outcome.method == "adjudicated":
        gold_key = (outcome.claim_type, outcome.date_bound)
        outcome.n_labels = len(given)
        outcome.agreement = sum(v.key == gold_key for v in given) / len(given) if given else None
        return counts.outcome_key(outcome)
    before = gold_fields(outcome)
    if not given:
        if outcome is not None:
            session.delete(outcome)
            _record(session, sentence_id, before, None, None, now)
        return None
    if outcome is None:
        outcome = Outcome(sentence_id=sentence_id, project_id=project_id)
        session.add(outcome)
    write_decision(outcome, decide(given, policy))
    stamp(session, outcome, before, None, now)
    return counts.outcome_key(outcome)


def write_decision(outcome: Outcome, decision: Decision) -> None:
    """Copy a decision onto the outcome row (no adjudicator: the caller sets one)."""
    answer = decision.answer
    outcome.status = decision.status
    outcome.n_labels = decision.n_labels
    outcome.agreement = decision.agreement
    outcome.claim_type = answer.claim_type if answer else None
    outcome.date_bound = answer.date_bound if answer else None
    outcome.as_of = answer.as_of if answer else None
    outcome.method = decision.method
    outcome.adjudicator_id = None


def stamp(
    session: Session,
    outcome: Outcome,
    before: dict[str, object] | None,
    actor_id: int | None,
    now: dt.datetime,
) -> None:
    """Date the outcome, and when its gold answer changed, its decision and the history."""
    outcome.updated_at = now
    after = gold_fields(outcome)
    if after != before:
        outcome.decided_at = now if after is not None else None
        _record(session, outcome.sentence_id, before, after, actor_id, now)


def _record(
    session: Session,
    sentence_id: int,
    old: dict[str, object] | None,
    new: dict[str, object] | None,
    actor_id: int | None,
    now: dt.datetime,
) -> None:
    if old == new:
        return
    session.add(
        GoldHistory(
            sentence_id=sentence_id,
            changed_by=actor_id,
            changed_at=now,
            old=None if old is None else json.dumps(old),
            new=None if new is None else json.dumps(new),
        )
    )


def gold_fields(outcome: Outcome | None) -> dict[str, object] | None:
    """The gold answer and how it was decided, as the history stores it (None: no gold)."""
    if outcome is None or outcome.status != "gold":
        return None
    return {
        "claim_type": outcome.claim_type,
        "date_bound": outcome.date_bound,
        "as_of": None if outcome.as_of is None else outcome.as_of.isoformat(),
        "method": outcome.method,
        "adjudicator_id": outcome.adjudicator_id,
    }


def decided_by() -> ColumnElement[str | None]:
    """`unanimous`, `majority` or the adjudicator's name (needs an outer join to `users`)."""
    return case((Outcome.method == "adjudicated", User.name), else_=Outcome.method)


def sentence_text() -> ColumnElement[str]:
    """The sentence sliced from its article's text in the database (joins `articles`), for a
    page's few rows; many rows slice `article_texts` instead."""
    return func.substr(
        Article.text, Sentence.char_start + 1, Sentence.char_end - Sentence.char_start
    )


def article_texts(session: Session, article_ids: Collection[int]) -> dict[int, str]:
    """The texts of these articles by id, for slicing many sentences in Python.

    `text[start:end]` takes a sentence by code point in constant time; the databases' `substr`
    counts characters from the start of the text, and decompresses it, once per row: 9 µs a
    row on PostgreSQL for a 3,000-character article."""
    rows = session.execute(select(Article.id, Article.text).where(Article.id.in_(article_ids)))
    return dict(rows.all())

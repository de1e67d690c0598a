"""How far the model's suggestions pull a project's answers (issue 21, item 4).

Each label records the suggestion its annotator was shown with the answer (`labels.suggestion`
and the three columns after it; NULL when nothing was). From them: how many answers were given
with a suggestion shown, how many took it (the answer's claim type is the suggested one), and,
over the sentences with gold, how often the answer agrees with gold when it took the
suggestion and when it overrode it. Skips are left out: a skip is not an answer (as in the
gold export's `n_labels`). The model itself is scored as one more annotator against gold: the
held-out figures of the project's newest claim-type model (`modelling.latest`).

Gold settled by the annotators' own agreement counts their answer: where one annotator alone
labels a sentence, its unanimous gold is that answer, so the figures mean most where gold
comes from several annotators or a lead.

Counting reads every label of the project with a suggestion (about a second at a million on
SQLite), so the counts are kept as the project's `suggestions` row of `agreement_snapshots`,
stamped with the project's label change count and the newest gold change: a visit reads the
row while neither has moved.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass

from sqlalchemy import Integer, and_, case, func, literal_column, null, select
from sqlalchemy.orm import Session

from annotator.services import counts as counters
from annotator.services import modelling
from annotator.services.modelling import ModelInfo
from annotator.services.projects import led_project
from annotator.services.records import UserInfo
from annotator.services.reliability import store_snapshot
from db.engine import read_transaction, write_transaction
from db.models import SHOWN_MODES, AgreementSnapshot, Article, GoldHistory, Label, Outcome, Sentence

ALL_MODES = "all"
SNAPSHOT = "suggestions"  # the report's row of agreement_snapshots


@dataclass(frozen=True)
class AgainstGold:
    """Answers of one kind on sentences with gold, and how many of them equal it."""

    answers: int
    agree: int

    @property
    def share(self) -> float | None:
        """The share that agrees with gold (None: no such answer has gold)."""
        return self.agree / self.answers if self.answers else None


@dataclass(frozen=True)
class SuggestionUse:
    """The answers given with a suggestion shown (in one mode, or `all`), and what became of
    the suggestion."""

    mode: str  # `shown`, `preselected` or `all`
    answers: int
    accepted: int  # answers whose claim type is the suggested one
    accepted_gold: AgainstGold
    overridden_gold: AgainstGold

    @property
    def accepted_share(self) -> float | None:
        """The share of answers that took the suggestion (None: no answers)."""
        return self.accepted / self.answers if self.answers else None


@dataclass(frozen=True)
class SuggestionReport:
    """The Agreement page's "Model suggestions" section: every answer given with a suggestion,
    the same per mode when both modes occur, and the newest claim-type model (None: none)."""

    overall: SuggestionUse
    by_mode: tuple[SuggestionUse, ...]
    model: ModelInfo | None


def suggestion_report(session: Session, actor: UserInfo | None, project: str) -> SuggestionReport:
    """How the project's answers followed the suggestions shown; the actor must lead the
    project (None: the command line)."""
    with read_transaction(session):
        project_id = led_project(session, actor, project).id
        # Read before the labels: a change in between makes the snapshot look stale.
        changes = counters.label_changes(session, project_id)
        gold = int(session.scalar(select(func.max(GoldHistory.id))) or 0)
        stored = session.get(AgreementSnapshot, (project_id, SNAPSHOT))
        kept = _stored(stored, changes, gold)
        model = modelling.latest(session, project_id, "claim_type")
        start = time.perf_counter()
        counts = kept if kept is not None else _counts(session, project_id)
        seconds = time.perf_counter() - start
    if kept is None:
        with write_transaction(session):
            store_snapshot(
                session, project_id, SNAPSHOT, changes=changes, labels=sum(counts.values()),
                computed_at=dt.datetime.now(dt.UTC), seconds=seconds,
                report=json.dumps({"gold": gold, "counts": [[*k, n] for k, n in counts.items()]}),
            )  # fmt: skip
    modes = [mode for mode in SHOWN_MODES if any(key[0] == mode for key in counts)]
    by_mode = tuple(_use(mode, counts) for mode in modes) if len(modes) > 1 else ()
    return SuggestionReport(_use(ALL_MODES, counts), by_mode, model)


Counts = dict[tuple[str, int, int | None], int]  # (mode, accepted, agrees with gold) -> answers


def _stored(stored: AgreementSnapshot | None, changes: int, gold: int) -> Counts | None:
    """The snapshot's counts, if it was taken at this label change count and newest gold
    change; else None."""
    if stored is None or stored.changes != changes:
        return None
    data = json.loads(stored.report)
    if data["gold"] != gold:
        return None
    return {(mode, took, agrees): n for mode, took, agrees, n in data["counts"]}


def _counts(session: Session, project_id: int) -> Counts:
    """Answers given with a suggestion shown, counted by mode, whether they took it, and
    whether they agree with gold (None: the sentence has no gold), in one grouped query."""
    # Literal 1 and 0, not bound parameters: PostgreSQL matches a grouped expression with the
    # selected one by its text, and each bound parameter would be numbered apart.
    one, zero = literal_column("1", Integer), literal_column("0", Integer)
    accepted = case((Label.claim_type == Label.suggestion, one), else_=zero)
    agrees = case(
        (Outcome.claim_type.is_(None), null()),
        (Label.claim_type == Outcome.claim_type, one),
        else_=zero,
    )
    rows = session.execute(
        select(Label.suggestion_mode, accepted, agrees, func.count())
        .join(Sentence, Sentence.id == Label.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .outerjoin(
            Outcome, and_(Outcome.sentence_id == Label.sentence_id, Outcome.status == "gold")
        )
        .where(
            Article.project_id == project_id,
            Label.suggestion.is_not(None),
            Label.skipped.is_(False),
        )
        .group_by(Label.suggestion_mode, accepted, agrees)
    )
    return {(mode, int(took), gold): int(n) for mode, took, gold, n in rows}


def _use(mode: str, counts: Counts) -> SuggestionUse:
    """The figures of one mode (`all`: every mode)."""
    mine = {key: n for key, n in counts.items() if mode in (ALL_MODES, key[0])}

    def total(took: int | None = None, gold: int | None = None, with_gold: bool = False) -> int:
        return sum(
            n
            for (_, t, g), n in mine.items()
            if (took is None or t == took)
            and (not with_gold or g is not None)
            and (gold is None or g == gold)
        )

    return SuggestionUse(
        mode=mode,
        answers=total(),
        accepted=total(took=1),
        accepted_gold=AgainstGold(total(took=1, with_gold=True), total(took=1, gold=1)),
        overridden_gold=AgainstGold(total(took=0, with_gold=True), total(took=0, gold=1)),
    )

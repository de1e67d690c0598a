"""The fact-check stage: gold factual claims handed to checkers, verdicts with evidence.

A lead assigns the project's gold claims with an answer its scheme sends to fact-checking
(`fact_check` in the scheme file: `factual` in claims-v1) to the checkers they choose, each claim to
`overlap` of them (1 by default), least loaded first. A checker records a verdict, evidence
URLs (http or https), the as-of date the verdict holds for, and a rationale. A lead may
re-open a verdict, which puts the claim back in the checker's queue. Every verdict given,
changed or re-opened is appended to `fact_check_history`.

A lead may instead set a waiting claim aside (not worth checking). The claims leads set aside
and the verdicts checkers give teach the project's check-worthiness model (`check_worthy` in
annotator/services/modelling.py); once it beats its baseline, its scores (`check_worth`)
order the claims waiting for a checker and each checker's open claims, most check-worthy first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import (
    ColumnElement,
    Subquery,
    UnaryExpression,
    case,
    delete,
    exists,
    func,
    select,
)
from sqlalchemy.orm import Session

from annotator.claimreview import CheckedClaim, claim_review
from annotator.errors import InvalidInput, NotAssigned, NotFound, PermissionDenied
from annotator.limits import MAX_CHECK_OVERLAP as MAX_CHECK_OVERLAP
from annotator.scheme import Scheme
from annotator.services.labelling import article_info
from annotator.services.outcomes import sentence_text
from annotator.services.permissions import require_lead
from annotator.services.projects import find_project, led_project, stored_scheme
from annotator.services.records import ArticleInfo, SentenceInfo, UserInfo
from db.engine import read_transaction, write_transaction
from db.models import (
    VERDICTS,
    Article,
    CheckSetAside,
    CheckWorth,
    FactCheck,
    FactCheckHistory,
    Outcome,
    Project,
    Sentence,
    User,
)

MAX_URLS = 20
MAX_URL_LENGTH = 2_000
MAX_RATIONALE = 10_000


@dataclass(frozen=True)
class VerdictInput:
    """What a checker records for one claim."""

    verdict: str
    evidence_urls: tuple[str, ...]
    as_of: dt.date | None
    rationale: str

    def validated(self) -> VerdictInput:
        """This verdict with URLs trimmed, or InvalidInput saying exactly what is wrong."""
        if not self.verdict:
            raise InvalidInput(f"choose a verdict ({', '.join(VERDICTS)})")
        if self.verdict not in VERDICTS:
            raise InvalidInput(f"verdict {self.verdict!r} is not one of {', '.join(VERDICTS)}")
        urls = tuple(u.strip() for u in self.evidence_urls if u.strip())
        if not urls and self.verdict != "unverifiable":
            raise InvalidInput("give at least one evidence URL (only 'unverifiable' may have none)")
        if len(urls) > MAX_URLS:
            raise InvalidInput(f"{len(urls)} evidence URLs; the limit is {MAX_URLS}")
        for url in urls:
            _check_url(url)
        rationale = self.rationale.strip()
        if not rationale:
            raise InvalidInput("give a rationale: why the evidence supports the verdict")
        if len(rationale) > MAX_RATIONALE:
            raise InvalidInput(f"rationale is {len(rationale):,} characters; the limit is 10,000")
        return VerdictInput(self.verdict, urls, self.as_of, rationale)


def _check_url(url: str) -> None:
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput(f"evidence URL is {len(url):,} characters; the limit is 2,000")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise InvalidInput(f"evidence URL {url[:80]!r} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise InvalidInput(f"evidence URL {url[:80]!r} must be an http:// or https:// address")


@dataclass(frozen=True)
class CheckSummary:
    """One claim in a checker's queue, with its check-worthiness score (0 to 1) when the
    project's model has rated it."""

    id: int
    sentence_id: int
    article_title: str
    claim: str
    verdict: str | None
    worth: float | None = None


@dataclass(frozen=True)
class WaitingClaim:
    """A gold claim that no checker has yet (or that a lead set aside), for a lead to triage."""

    sentence_id: int
    article_title: str
    claim: str
    worth: float | None


@dataclass(frozen=True)
class CheckDecision:
    """What the fact-check stage decided about one gold claim, as the check-worthiness model
    learns it: `worth` is True when a checker gave it a verdict other than `unverifiable`,
    False when a lead set it aside or every verdict on it is `unverifiable`."""

    sentence_id: int
    article_id: int
    char_start: int
    char_end: int
    worth: bool
    decided_at: dt.datetime


@dataclass(frozen=True)
class VerdictSummary:
    """One verdict of a project, as its lead reviews them."""

    id: int
    sentence_id: int
    checker: str
    claim: str
    verdict: str


@dataclass(frozen=True)
class CheckCase:
    """Everything a checker needs for one claim: where it is, the gold answer, the verdict."""

    id: int
    article: ArticleInfo
    sentence: SentenceInfo
    date_bound: bool
    gold_as_of: dt.date | None
    verdict: VerdictInput | None
    checker: str


@dataclass(frozen=True)
class CheckAssignResult:
    """What `assign_checks` did."""

    checkers: tuple[str, ...]
    assigned: int
    claims_waiting: int


def checkable_types(scheme: Scheme) -> tuple[str, ...]:
    """The claim types whose gold claims are fact-checked: the scheme's `fact_check` list.

    A scheme stored before schemes had that list: `factual`, else the date-bound type."""
    if scheme.fact_check:
        return scheme.fact_check
    if "factual" in scheme.values:
        return ("factual",)
    if scheme.date_bound_applies_to:
        return (scheme.date_bound_applies_to,)
    raise InvalidInput(
        f"scheme {scheme.name!r} does not say which answers go to fact-checking: give it a "
        "fact_check list of label values (see docs/labelling.md)"
    )


def assign_checks(
    session: Session,
    actor: UserInfo | None,
    project: str,
    checkers: Sequence[str] = (),
    overlap: int = 1,
    top: int | None = None,
) -> CheckAssignResult:
    """Give every gold claim that the project's scheme sends to fact-checking (and no lead set
    aside) to `overlap` checkers, least loaded first; with `top`, only the `top` most
    check-worthy of the claims short of checkers.

    `checkers` join the project's checkers; with none given, the current ones are used.
    """
    if not 1 <= overlap <= MAX_CHECK_OVERLAP:
        raise InvalidInput(f"checks per claim must be 1 to {MAX_CHECK_OVERLAP}, not {overlap}")
    if top is not None and top < 1:
        raise InvalidInput(f"the number of claims to assign must be at least 1, not {top}")
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        row = led_project(session, actor, project, lock=True)
        kinds = checkable_types(stored_scheme(row.scheme, row.scheme_json))
        pool = _checker_pool(session, row.id, checkers)
        loads = _loads(session, row.id, pool)
        assigned = waiting = 0
        for sentence_id, have in _claims_to_fill(session, row.id, kinds, overlap)[:top]:
            free = sorted((c for c in pool if c not in have), key=lambda c: (loads[c], c))
            chosen = free[: overlap - len(have)]
            for checker in chosen:
                session.add(FactCheck(project_id=row.id, sentence_id=sentence_id,
                                      checker_id=checker, assigned_at=now))  # fmt: skip
                loads[checker] += 1
            assigned += len(chosen)
            waiting += len(have) + len(chosen) < overlap
        names = session.scalars(select(User.name).where(User.id.in_(pool)).order_by(User.name))
        return CheckAssignResult(tuple(names), assigned, waiting)


def _checker_pool(session: Session, project_id: int, names: Sequence[str]) -> list[int]:
    pool = set(
        session.scalars(select(FactCheck.checker_id).where(FactCheck.project_id == project_id))
    )
    for name in names:
        user = session.execute(select(User.id, User.active).where(User.name == name)).first()
        if user is None:
            raise InvalidInput(f"no account named {name!r}")
        if not user.active:
            raise InvalidInput(f"the account {name!r} is disabled")
        pool.add(user.id)
    active = session.scalars(select(User.id).where(User.id.in_(pool), User.active))
    return sorted(active)


def _loads(session: Session, project_id: int, pool: list[int]) -> dict[int, int]:
    counts = dict.fromkeys(pool, 0)
    rows = session.execute(
        select(FactCheck.checker_id, func.count())
        .where(FactCheck.project_id == project_id, FactCheck.checker_id.in_(pool))
        .group_by(FactCheck.checker_id)
    )
    counts.update({checker: n for checker, n in rows})
    return counts


def _claims_to_fill(
    session: Session, project_id: int, kinds: Sequence[str], overlap: int
) -> list[tuple[int, set[int]]]:
    """Gold claims of the `kinds` with fewer than `overlap` checkers, with their checkers, most
    check-worthy first (then in sentence order); claims set aside are not among them."""
    gold = session.scalars(
        select(Outcome.sentence_id)
        .outerjoin(CheckWorth, CheckWorth.sentence_id == Outcome.sentence_id)
        .where(Outcome.project_id == project_id, Outcome.status == "gold",
               Outcome.claim_type.in_(kinds), ~_set_aside())
        .order_by(*_most_worth_first(), Outcome.sentence_id)
    )  # fmt: skip
    have: dict[int, set[int]] = {}
    for sentence_id, checker in session.execute(
        select(FactCheck.sentence_id, FactCheck.checker_id).where(
            FactCheck.project_id == project_id
        )
    ):
        have.setdefault(sentence_id, set()).add(checker)
    return [(s, have.get(s, set())) for s in gold if len(have.get(s, ())) < overlap]


def _most_worth_first() -> tuple[ColumnElement[bool], UnaryExpression[float]]:
    """Scored claims before unscored ones, highest score first (an ascending index read
    backwards)."""
    return CheckWorth.score.is_(None), CheckWorth.score.desc()


def check_queue(session: Session, actor: UserInfo, project: str) -> list[CheckSummary]:
    """The actor's claims to check in this project: open ones first, the most check-worthy
    first when the project's model has rated them, else in reading order."""
    with read_transaction(session):
        project_id = find_project(session, project).id
        rows = session.execute(
            select(FactCheck.id, FactCheck.sentence_id, Article.title, sentence_text(),
                   FactCheck.verdict, CheckWorth.score)
            .join(Sentence, Sentence.id == FactCheck.sentence_id)
            .join(Article, Article.id == Sentence.article_id)
            .outerjoin(CheckWorth, CheckWorth.sentence_id == FactCheck.sentence_id)
            .where(FactCheck.project_id == project_id, FactCheck.checker_id == actor.id)
            .order_by(FactCheck.verdict.is_not(None), *_most_worth_first(), Article.id,
                      Sentence.index)
        )  # fmt: skip
        return [CheckSummary(*row) for row in rows]


def waiting_claims(
    session: Session, actor: UserInfo | None, project: str, limit: int = 200
) -> list[WaitingClaim]:
    """Up to `limit` gold claims to fact-check that no checker has, the most check-worthy first
    (a lead of the project; None: the command line)."""
    with read_transaction(session):
        row = led_project(session, actor, project)
        kinds = checkable_types(stored_scheme(row.scheme, row.scheme_json))
        rows = session.execute(
            select(Outcome.sentence_id, Article.title, sentence_text(), CheckWorth.score)
            .join(Sentence, Sentence.id == Outcome.sentence_id)
            .join(Article, Article.id == Sentence.article_id)
            .outerjoin(CheckWorth, CheckWorth.sentence_id == Outcome.sentence_id)
            .where(Outcome.project_id == row.id, Outcome.status == "gold",
                   Outcome.claim_type.in_(kinds), ~_has_check(), ~_set_aside())
            .order_by(*_most_worth_first(), Outcome.sentence_id)
            .limit(limit)
        )  # fmt: skip
        return [WaitingClaim(*r) for r in rows]


def set_aside_claims(session: Session, actor: UserInfo | None, project: str) -> list[WaitingClaim]:
    """The project's claims that leads set aside, the latest first."""
    with read_transaction(session):
        project_id = led_project(session, actor, project).id
        rows = session.execute(
            select(CheckSetAside.sentence_id, Article.title, sentence_text(), CheckWorth.score)
            .join(Sentence, Sentence.id == CheckSetAside.sentence_id)
            .join(Article, Article.id == Sentence.article_id)
            .outerjoin(CheckWorth, CheckWorth.sentence_id == CheckSetAside.sentence_id)
            .where(CheckSetAside.project_id == project_id)
            .order_by(CheckSetAside.set_at.desc(), CheckSetAside.sentence_id)
        )  # fmt: skip
        return [WaitingClaim(*r) for r in rows]


def _has_check() -> ColumnElement[bool]:
    return exists().where(FactCheck.sentence_id == Outcome.sentence_id)


def _set_aside() -> ColumnElement[bool]:
    return exists().where(CheckSetAside.sentence_id == Outcome.sentence_id)


def set_aside(
    session: Session, actor: UserInfo | None, project: str, sentence_ids: Sequence[int]
) -> int:
    """A lead sets waiting claims aside: not worth checking. Every id must be a gold claim of
    the project's checkable kinds that no checker has; otherwise InvalidInput names the first
    wrong id and nothing is set aside. Returns how many were set aside (already set aside:
    not counted again)."""
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        row = led_project(session, actor, project, lock=True)
        kinds = checkable_types(stored_scheme(row.scheme, row.scheme_json))
        wanted = _distinct_ids(sentence_ids)
        rows = session.execute(
            select(Outcome.sentence_id, _has_check())
            .where(Outcome.project_id == row.id, Outcome.status == "gold",
                   Outcome.claim_type.in_(kinds), Outcome.sentence_id.in_(wanted))
        )  # fmt: skip
        found = {sentence_id: bool(checked) for sentence_id, checked in rows}
        for sentence_id in wanted:
            if sentence_id not in found:
                raise InvalidInput(
                    f"sentence {sentence_id} is not a gold claim to fact-check in project "
                    f"{project!r}"
                )
            if found[sentence_id]:
                raise InvalidInput(
                    f"sentence {sentence_id} is already with a checker: re-open or keep its "
                    "verdict instead"
                )
        already = set(
            session.scalars(
                select(CheckSetAside.sentence_id).where(CheckSetAside.sentence_id.in_(wanted))
            )
        )
        by = None if actor is None else actor.id
        new = [s for s in wanted if s not in already]
        for sentence_id in new:
            session.add(
                CheckSetAside(sentence_id=sentence_id, project_id=row.id, set_by=by, set_at=now)
            )
        return len(new)


def restore(
    session: Session, actor: UserInfo | None, project: str, sentence_ids: Sequence[int]
) -> int:
    """Put claims a lead set aside back among the waiting ones; InvalidInput names the first
    id that is not set aside in the project, and nothing changes."""
    with write_transaction(session):
        project_id = led_project(session, actor, project, lock=True).id
        wanted = _distinct_ids(sentence_ids)
        held = set(
            session.scalars(
                select(CheckSetAside.sentence_id).where(
                    CheckSetAside.project_id == project_id,
                    CheckSetAside.sentence_id.in_(wanted),
                )
            )
        )
        for sentence_id in wanted:
            if sentence_id not in held:
                raise InvalidInput(
                    f"sentence {sentence_id} is not set aside in project {project!r}"
                )
        session.execute(delete(CheckSetAside).where(CheckSetAside.sentence_id.in_(wanted)))
        return len(wanted)


def _distinct_ids(sentence_ids: Sequence[int]) -> list[int]:
    if not sentence_ids:
        raise InvalidInput("give at least one sentence id")
    return list(dict.fromkeys(sentence_ids))


def open_check(session: Session, actor: UserInfo, check_id: int) -> CheckCase:
    """One claim with its article, its gold date-bound answer and the verdict so far."""
    with read_transaction(session):
        check = _check_for(session, actor, check_id, may_lead=True)
        article_id = session.scalar(
            select(Sentence.article_id).where(Sentence.id == check.sentence_id)
        )
        article = article_info(session, int(article_id or 0))
        sentence = next(s for s in article.sentences if s.id == check.sentence_id)
        gold = session.get(Outcome, check.sentence_id)
        checker = session.scalar(select(User.name).where(User.id == check.checker_id))
        return CheckCase(
            check.id, article, sentence, bool(gold and gold.date_bound),
            gold.as_of if gold else None, _verdict_of(check), str(checker),
        )  # fmt: skip


def record_verdict(session: Session, actor: UserInfo, check_id: int, verdict: VerdictInput) -> None:
    """The checker records (or changes) the verdict on one of their claims."""
    verdict = verdict.validated()
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        check = _check_for(session, actor, check_id, may_lead=False)
        before = _history_fields(check)
        check.verdict = verdict.verdict
        check.evidence_urls = " ".join(verdict.evidence_urls)
        check.as_of = verdict.as_of
        check.rationale = verdict.rationale
        check.checked_at = now
        _record(session, check, before, actor, now)


def reopen_verdict(session: Session, actor: UserInfo, check_id: int) -> None:
    """A lead re-opens a verdict: the claim goes back to its checker's queue (the evidence and
    rationale stay, as a draft)."""
    now = dt.datetime.now(dt.UTC)
    with write_transaction(session):
        check = session.get(FactCheck, check_id)
        if check is None:
            raise NotFound(f"no fact check with id {check_id}")
        require_lead(session, actor, check.project_id)
        if check.verdict is None:
            raise InvalidInput(f"fact check {check_id} has no verdict to re-open")
        before = _history_fields(check)
        check.verdict, check.checked_at = None, None
        _record(session, check, before, actor, now)


def verdict_counts(session: Session, actor: UserInfo | None, project: str) -> dict[str, int]:
    """How many claims have each verdict, how many checks are open, and how many gold claims
    no checker has yet."""
    with read_transaction(session):
        row = led_project(session, actor, project)
        counts = dict.fromkeys((*VERDICTS, "open"), 0)
        for verdict, n in session.execute(
            select(FactCheck.verdict, func.count())
            .where(FactCheck.project_id == row.id)
            .group_by(FactCheck.verdict)
        ):
            counts[verdict or "open"] = n
        kinds = checkable_types(stored_scheme(row.scheme, row.scheme_json))
        counts["unassigned"] = len(_claims_to_fill(session, row.id, kinds, 1))
        counts["set aside"] = int(
            session.scalar(select(func.count()).where(CheckSetAside.project_id == row.id)) or 0
        )
        return counts


def check_decisions(session: Session, project_id: int) -> list[CheckDecision]:
    """Every gold claim of the project the fact-check stage has decided, oldest decision first
    (in the caller's transaction): set aside by a lead (not worth checking), or given verdicts
    (worth checking unless every verdict is `unverifiable`). Claims still open or waiting
    teach nothing yet."""
    span = (Sentence.article_id, Sentence.char_start, Sentence.char_end)
    checked = session.execute(
        select(FactCheck.sentence_id, *span,
               func.max(case((FactCheck.verdict != "unverifiable", 1), else_=0)),
               func.max(FactCheck.checked_at))
        .join(Sentence, Sentence.id == FactCheck.sentence_id)
        .where(FactCheck.project_id == project_id, FactCheck.verdict.is_not(None))
        .group_by(FactCheck.sentence_id, *span)
    )  # fmt: skip
    decisions = [CheckDecision(s, a, b, e, bool(worth), at) for s, a, b, e, worth, at in checked]
    aside = session.execute(
        select(CheckSetAside.sentence_id, *span, CheckSetAside.set_at)
        .join(Sentence, Sentence.id == CheckSetAside.sentence_id)
        .where(CheckSetAside.project_id == project_id)
    )
    decisions += [CheckDecision(s, a, b, e, False, at) for s, a, b, e, at in aside]
    return sorted(decisions, key=lambda d: (d.decided_at, d.sentence_id))


def undecided_claims(session: Session, project_id: int) -> list[tuple[int, int, int, int]]:
    """(sentence id, article id, start, end) of the project's gold claims to fact-check that
    have no verdict and are not set aside: the claims a check-worthiness score orders."""
    row = session.get_one(Project, project_id)
    kinds = checkable_types(stored_scheme(row.scheme, row.scheme_json))
    verdict_given = exists().where(
        FactCheck.sentence_id == Outcome.sentence_id, FactCheck.verdict.is_not(None)
    )
    rows = session.execute(
        select(Outcome.sentence_id, Sentence.article_id, Sentence.char_start, Sentence.char_end)
        .join(Sentence, Sentence.id == Outcome.sentence_id)
        .where(Outcome.project_id == project_id, Outcome.status == "gold",
               Outcome.claim_type.in_(kinds), ~verdict_given, ~_set_aside())
        .order_by(Outcome.sentence_id)
    )  # fmt: skip
    return [(s, a, b, e) for s, a, b, e in rows]


def project_checks(session: Session, actor: UserInfo, project: str) -> list[VerdictSummary]:
    """Every check of the project with a verdict, latest first (for a lead to review)."""
    with read_transaction(session):
        project_id = led_project(session, actor, project).id
        rows = session.execute(
            select(FactCheck.id, FactCheck.sentence_id, User.name, sentence_text(),
                   FactCheck.verdict)
            .join(User, User.id == FactCheck.checker_id)
            .join(Sentence, Sentence.id == FactCheck.sentence_id)
            .join(Article, Article.id == Sentence.article_id)
            .where(FactCheck.project_id == project_id, FactCheck.verdict.is_not(None))
            .order_by(FactCheck.checked_at.desc())
        )  # fmt: skip
        return [VerdictSummary(r[0], r[1], r[2], r[3], str(r[4])) for r in rows]


def _check_for(session: Session, actor: UserInfo, check_id: int, *, may_lead: bool) -> FactCheck:
    """The check, if it is the actor's (or, when `may_lead`, the actor leads its project)."""
    check = session.get(FactCheck, check_id)
    if check is None:
        raise NotFound(f"no fact check with id {check_id}")
    active = session.scalar(select(User.active).where(User.id == actor.id))
    if not active:
        raise PermissionDenied(f"the account {actor.name!r} is disabled or gone")
    if check.checker_id == actor.id:
        return check
    if may_lead:
        require_lead(session, actor, check.project_id)
        return check
    raise NotAssigned(f"fact check {check_id} is not assigned to {actor.name!r}")


def _verdict_of(check: FactCheck) -> VerdictInput | None:
    if check.verdict is None and not check.rationale:
        return None
    urls = tuple(check.evidence_urls.split())
    return VerdictInput(check.verdict or "", urls, check.as_of, check.rationale)


def _history_fields(check: FactCheck) -> dict[str, object] | None:
    if check.verdict is None:
        return None
    return {
        "verdict": check.verdict,
        "evidence_urls": check.evidence_urls.split(),
        "as_of": None if check.as_of is None else check.as_of.isoformat(),
        "rationale": check.rationale,
    }


def _record(
    session: Session,
    check: FactCheck,
    before: dict[str, object] | None,
    actor: UserInfo,
    now: dt.datetime,
) -> None:
    after = _history_fields(check)
    if after == before:
        return
    session.add(
        FactCheckHistory(
            fact_check_id=check.id, changed_by=actor.id, changed_at=now,
            old=None if before is None else json.dumps(before),
            new=None if after is None else json.dumps(after),
        )
    )  # fmt: skip


def latest_verdicts(project_id: int) -> Subquery:
    """Per sentence of the project, its latest verdict (sentence_id, verdict, evidence_urls,
    rationale, as_of, checked_at): what the gold export and ClaimReview report."""
    rank = func.row_number().over(
        partition_by=FactCheck.sentence_id,
        order_by=(FactCheck.checked_at.desc(), FactCheck.id.desc()),
    )
    ranked = (
        select(
            FactCheck.sentence_id, FactCheck.verdict, FactCheck.evidence_urls,
            FactCheck.rationale, FactCheck.as_of, FactCheck.checked_at, rank.label("rank"),
        )
        .where(FactCheck.project_id == project_id, FactCheck.verdict.is_not(None))
        .subquery()
    )  # fmt: skip
    return select(*(c for c in ranked.c if c.key != "rank")).where(ranked.c.rank == 1).subquery()


def claimreview_lines(
    session: Session, project_id: int, organisation: str, review_url: str
) -> Iterator[bytes]:
    """One ClaimReview JSON-LD object per checked claim of the project, one per line."""
    verdict = latest_verdicts(project_id)
    rows = session.execute(
        select(
            Sentence.id, sentence_text(), verdict.c.verdict, verdict.c.checked_at,
            verdict.c.as_of, Article.published, Article.url, Article.source, Sentence.speaker,
        )
        .join(Sentence, Sentence.id == verdict.c.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .order_by(Article.id, Sentence.index)
    )  # fmt: skip
    for row in rows:
        claim = CheckedClaim(*row)
        review = claim_review(claim, organisation, review_url)
        yield (json.dumps(review, ensure_ascii=False) + "\n").encode("utf-8")

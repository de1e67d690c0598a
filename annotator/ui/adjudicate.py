"""The adjudicate page (leads and admins): disputed sentences side by side; one click sets
gold."""

import datetime as dt

import pandas as pd
import streamlit as st

from annotator.date_bound import Suggestion, suggest
from annotator.scheme import Scheme
from annotator.services import adjudication
from annotator.services.labelling import LabelInput
from annotator.services.projects import get_project, project_scheme
from annotator.services.records import Case, DisputeSummary, UserInfo
from annotator.ui import components, state
from annotator.ui.components import literal
from annotator.ui.messages import flash, message, reported, show_flash
from annotator.ui.resources import db_session
from annotator.wording import counted

STATUSES = {"disputed": "Disputed", "pending": "Waiting for labels", "gold": "Gold"}
QUEUE_LIMIT = 200
FLASH = "adjudicate_flash"  # the policy form's outcome, at the top by the form
GOLD = "adjudicate_gold"  # a gold decision's outcome, under the buttons that made it
POLICY = ("unanimous", "majority")
POLICY_HELP = [
    "every annotator who answered agrees, and at least k (the overlap) answered",
    "the most common answer has at least this many votes and more than any other",
]


def _queue(user: UserInfo, project: str, status: str) -> list[DisputeSummary]:
    with db_session() as session:
        return adjudication.dispute_queue(session, user, project, status=status, limit=QUEUE_LIMIT)


def _choose(queue: list[DisputeSummary]) -> int:
    """The sentence to show: the one asked for (e.g. from the Agreement page), else the first."""
    ids = [item.sentence_id for item in queue]
    if st.session_state.get(state.ADJUDICATE_SENTENCE) not in ids:
        st.session_state[state.ADJUDICATE_SENTENCE] = ids[0]
    chosen = st.selectbox(
        f"{counted(len(queue), 'sentence')}, most disputed first",
        ids,
        key=state.ADJUDICATE_SENTENCE,
        format_func=lambda sid: _queue_line(queue[ids.index(sid)]),
    )
    return int(chosen)


def _queue_line(item: DisputeSummary) -> str:
    agreement = "-" if item.agreement is None else f"{item.agreement:.0%}"
    text = components.shortened(item.sentence, 90)
    return f"{agreement} agree · {counted(item.n_labels, 'label')} · {text}"


def _answers(case: Case, scheme: Scheme) -> None:
    """The annotators' answers as a table, their notes shown as typed."""
    rows = [
        {
            "annotator": a.annotator,
            "answer": "skipped" if a.skipped else scheme.claim_type(str(a.claim_type)).label,
            "date-bound": "" if a.date_bound is None else ("yes" if a.date_bound else "no"),
            "as of": a.as_of.isoformat() if a.as_of else "",
            "note": a.note,
        }
        for a in case.answers
    ]
    components.text_table(pd.DataFrame(rows).set_index("annotator"))


def _gold_line(case: Case, scheme: Scheme) -> None:
    gold = case.gold
    if gold is None or gold.status != "gold" or gold.claim_type is None:
        st.info("No gold label yet: choose one below.")
        return
    answer = _gold_text(scheme, gold.claim_type, gold.date_bound, gold.as_of)
    when = gold.decided_at.strftime("%Y-%m-%d %H:%M UTC") if gold.decided_at else ""
    message("success", f"Gold: {answer} — decided by {gold.decided_by or ''}, {when}")


def _decide(user: UserInfo, case: Case, scheme: Scheme, queue: list[DisputeSummary]) -> None:
    date_bound, as_of = _date_bound_fields(case, scheme)
    buttons = st.columns(len(scheme.claim_types))
    for column, claim_type in zip(buttons, scheme.claim_types, strict=True):
        answer = LabelInput(claim_type.value, date_bound=date_bound, as_of=as_of)
        column.button(
            literal(claim_type.label),
            key=f"gold_{claim_type.value}",
            shortcut=claim_type.key,
            width="stretch",
            on_click=_on_gold,
            args=(user, case, answer, scheme, queue),
        )
    gold = case.gold
    if gold is not None and gold.status == "gold" and gold.decided_by not in (None, *POLICY):
        st.button("Reopen: let the policy decide", key="gold_reopen", on_click=_on_reopen,
                  args=(user, case))  # fmt: skip
    show_flash(GOLD)


def _date_bound_fields(case: Case, scheme: Scheme) -> tuple[bool, dt.date | None]:
    """The date-bound switch and, only while it is on, the as-of date: both start from the
    annotators' answers (see `adjudication.gold_defaults`) and belong to this sentence."""
    applies_to = scheme.date_bound_applies_to
    if applies_to is None:
        return False, None
    defaults = adjudication.gold_defaults(
        case.answers, applies_to, case.article.published, case.gold
    )
    suggested, suggested_as_of = _suggestion(case, applies_to)
    label = f"Date-bound (only for {literal(scheme.claim_type(applies_to).label)})"
    left, right = st.columns(2)
    on = left.checkbox(
        label if suggested is None else f"{label} (suggested)",
        value=defaults.date_bound if suggested is None else suggested,
        key=f"gold_date_bound_{case.sentence.id}",
    )
    if not on:
        return False, None
    as_of = suggested_as_of or defaults.as_of
    return True, components.date_field("As of", as_of, f"gold_as_of_{case.sentence.id}", right)


def _suggestion(case: Case, applies_to: str) -> Suggestion:
    """The sentence's date-bound suggestion (`annotator.date_bound.suggest`) for the gold form,
    only where no annotator answered date-bound (nobody chose the claim type it applies to)
    and no gold of that type is set; else none."""
    answered = any(a.claim_type == applies_to and a.date_bound is not None for a in case.answers)
    gold = case.gold
    if answered or (gold is not None and gold.status == "gold" and gold.claim_type == applies_to):
        return None, None
    return suggest(case.sentence.text, case.article.published)


@state.while_signed_in
def _on_gold(
    user: UserInfo, case: Case, answer: LabelInput, scheme: Scheme, queue: list[DisputeSummary]
) -> None:
    with reported(GOLD) as attempt, db_session() as session:
        adjudication.adjudicate(session, user, case.sentence.id, answer)
    if attempt.failed:
        return
    ids = [item.sentence_id for item in queue]
    at = ids.index(case.sentence.id) if case.sentence.id in ids else -1
    rest = ids[at + 1 :] if at >= 0 else ids
    st.session_state[state.ADJUDICATE_SENTENCE] = rest[0] if rest else None
    flash(GOLD, "success", f"Gold set for {_which(case)}: {_answer_text(answer, scheme)}.")


def _answer_text(answer: LabelInput, scheme: Scheme) -> str:
    return _gold_text(scheme, str(answer.claim_type), answer.date_bound, answer.as_of)


def _which(case: Case) -> str:
    """The sentence as the lead knows it: its number in the article and its first words."""
    number = components.body_number(case.article, case.sentence.id)
    where = f"sentence {number} of" if number is not None else "a sentence of"
    title = components.shortened(case.article.title, 60)
    return f"{where} “{title}” (“{components.shortened(case.sentence.text, 60)}”)"


def _gold_text(
    scheme: Scheme, claim_type: str, date_bound: bool | None, as_of: dt.date | None
) -> str:
    """A gold answer in words: `Factual claim · date-bound (as of 2014-11-21)`."""
    text = scheme.claim_type(claim_type).label
    if date_bound and claim_type == scheme.date_bound_applies_to:
        text += f" · date-bound (as of {as_of.isoformat()})" if as_of else " · date-bound"
    return text


@state.while_signed_in
def _on_reopen(user: UserInfo, case: Case) -> None:
    with reported(GOLD), db_session() as session:
        adjudication.reopen(session, user, case.sentence.id)


def _policy_form(user: UserInfo, project: str, policy: str, min_votes: int) -> None:
    title = f"Gold without a lead: {policy}"
    if policy == "majority":
        title += f" of at least {min_votes} votes"
    with st.expander(title), st.form("gold_policy"):
        choice = st.radio("Policy", POLICY, index=POLICY.index(policy), captions=POLICY_HELP)
        votes = st.number_input("Minimum votes for a majority", 1, 50, min_votes)
        if not st.form_submit_button("Save policy"):
            return
    with reported() as attempt, db_session() as session:
        adjudication.set_policy(session, user, project, choice, int(votes))
    if not attempt.failed:
        flash(FLASH, "success", "Policy saved; sentences re-settled.")
        st.rerun()


def show() -> None:
    """The project's outcome counts and gold policy, then one sentence of the chosen queue."""
    user = state.require_user()
    project = state.current_project()
    st.title("Adjudicate")
    show_flash(FLASH)
    with reported() as attempt, db_session() as session:
        info = get_project(session, project)
        scheme = project_scheme(session, project)
        counts = adjudication.outcome_counts(session, user, project)
    if attempt.failed:
        return
    _metrics(counts)
    _policy_form(user, project, info.gold_policy, info.gold_min_votes)
    _case(user, project, scheme)


def _metrics(counts: dict[str, int]) -> None:
    metrics = st.columns(4)
    metrics[0].metric("Disputed", f"{counts['disputed']:,}")
    metrics[1].metric("Waiting for labels", f"{counts['pending']:,}")
    metrics[2].metric("Gold", f"{counts['gold']:,}")
    metrics[3].metric("Set by a lead", f"{counts['adjudicated']:,}")


def _case(user: UserInfo, project: str, scheme: Scheme) -> None:
    """The status filter, the queue's selector, and the chosen sentence with its answers."""
    st.session_state.setdefault(state.ADJUDICATE_STATUS, "disputed")
    status = st.segmented_control(
        "Show", list(STATUSES), format_func=STATUSES.__getitem__, key=state.ADJUDICATE_STATUS,
        required=True,
    ) or "disputed"  # fmt: skip
    queue = _queue(user, project, status)
    if not queue:
        show_flash(GOLD)  # the decision that settled the last one
        message("success", f"Nothing {STATUSES[status].lower()} in {project}.")
        return
    sentence_id = _choose(queue)
    with reported() as attempt, db_session() as session:
        case = adjudication.open_case(session, user, sentence_id)
    if attempt.failed:
        return
    components.article_header(case.article)
    components.sentence_in_context(case.article, case.sentence, {})
    _answers(case, scheme)
    _gold_line(case, scheme)
    _decide(user, case, scheme, queue)

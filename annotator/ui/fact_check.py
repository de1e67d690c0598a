"""The fact-check page: a checker's queue of gold claims (those with an answer the project's
scheme sends to fact-checking), and a lead's view of the stage."""

import datetime as dt

import pandas as pd
import streamlit as st

from annotator.claimreview import NAMES
from annotator.errors import PermissionDenied
from annotator.services import assignment, fact_checking
from annotator.services.fact_checking import (
    CheckCase,
    CheckSummary,
    VerdictInput,
    VerdictSummary,
)
from annotator.services.records import UserInfo
from annotator.ui import components, state
from annotator.ui.messages import flash, message, reported, show_flash
from annotator.ui.resources import db_session
from annotator.wording import counted

SAVED = "fact_check_saved"  # a verdict's outcome, under the verdict form
ASSIGNED = "fact_check_assigned"  # the lead's assignment outcome, under its form
REOPENED = "fact_check_reopened"  # a re-opening's outcome, under its button
CHECKERS = "fact_check_checkers"  # the checkers chosen in the lead's form
CHECK_OVERLAP = "fact_check_overlap"  # checkers per claim, in the same form
CHOSEN = "fact_check_chosen"
NEXT = "fact_check_next"  # the claim to show after a save (set before the selector exists)
VERDICT_NAMES = NAMES  # the verdicts in words, as ClaimReview's alternateName gives them
VERDICTS = tuple(NAMES)  # in the order db.models.VERDICTS gives them


def _choose(queue: list[CheckSummary]) -> int:
    ids = [c.id for c in queue]
    if NEXT in st.session_state:
        st.session_state[CHOSEN] = st.session_state.pop(NEXT)
    if st.session_state.get(CHOSEN) not in ids:
        st.session_state[CHOSEN] = ids[0]
    n_open = sum(c.verdict is None for c in queue)
    return int(
        st.selectbox(
            f"{n_open} open, {len(queue) - n_open} done",
            ids,
            key=CHOSEN,
            format_func=lambda i: _line(queue[ids.index(i)]),
        )
    )


def _line(check: CheckSummary) -> str:
    status = VERDICT_NAMES[check.verdict] if check.verdict else "open"
    text = check.claim if len(check.claim) <= 90 else check.claim[:89] + "…"
    return f"[{status}] {text}"


def _claim(case: CheckCase) -> None:
    components.article_header(case.article)
    if case.article.url:
        st.caption("Source page:")
        st.text(case.article.url)
    components.sentence_in_context(case.article, case.sentence, {})
    if case.date_bound:
        held = case.gold_as_of or case.article.published
        message("warning", f"Date-bound claim: it holds as of {held or 'an unknown date'}.", "📅")


def _verdict_form(user: UserInfo, case: CheckCase, queue: list[CheckSummary]) -> None:
    given = case.verdict
    default_as_of = (given and given.as_of) or case.gold_as_of or case.article.published
    with st.form(f"verdict_{case.id}"):
        verdict = st.radio(
            "Verdict",
            VERDICTS,
            index=VERDICTS.index(given.verdict) if given and given.verdict else None,
            format_func=VERDICT_NAMES.__getitem__,
            horizontal=True,
        )
        urls = st.text_area(
            "Evidence URLs (one per line, http or https)",
            value="\n".join(given.evidence_urls) if given else "",
        )
        as_of = components.date_field(
            "The verdict holds as of", default_as_of or dt.date.today(), f"verdict_as_of_{case.id}"
        )
        rationale = st.text_area("Rationale", value=given.rationale if given else "")
        if not st.form_submit_button("Save verdict", type="primary"):
            return
    if verdict is None:  # the form keeps what was typed
        message("error", "Choose a verdict before saving.")
        return
    _save(user, case, VerdictInput(verdict, tuple(urls.splitlines()), as_of, rationale), queue)


def _save(
    user: UserInfo, case: CheckCase, verdict: VerdictInput, queue: list[CheckSummary]
) -> None:
    with reported() as attempt, db_session() as session:
        fact_checking.record_verdict(session, user, case.id, verdict)
    if attempt.failed:
        return
    still_open = [c.id for c in queue if c.verdict is None and c.id != case.id]
    st.session_state[NEXT] = still_open[0] if still_open else case.id
    flash(SAVED, "success", f"Verdict saved: {VERDICT_NAMES[verdict.verdict]}.")
    st.rerun()


def _checker_section(user: UserInfo, project: str) -> None:
    with db_session() as session:
        queue = fact_checking.check_queue(session, user, project)
    if not queue:
        st.info("No claims to check for you in this project.")
        return
    check_id = _choose(queue)
    with db_session() as session:
        case = fact_checking.open_check(session, user, check_id)
    _claim(case)
    _verdict_form(user, case, queue)
    show_flash(SAVED)


def _lead_section(user: UserInfo, project: str) -> None:
    try:
        with db_session() as session:
            counts = fact_checking.verdict_counts(session, user, project)
            done = fact_checking.project_checks(session, user, project)
            people = assignment.assignable_users(session, user, project)
    except PermissionDenied:
        return  # not a lead of this project: the checker's part is all there is
    st.divider()
    st.subheader("Fact-checking in this project")
    columns = st.columns(len(counts))
    for column, (name, n) in zip(columns, counts.items(), strict=True):
        column.metric(VERDICT_NAMES.get(name, name.capitalize()), f"{n:,}")
    with st.form("assign_checks"):
        st.multiselect("Checkers", people, key=CHECKERS)
        st.number_input(
            "Checkers per claim", 1, fact_checking.MAX_CHECK_OVERLAP, 1, key=CHECK_OVERLAP
        )
        st.form_submit_button("Assign gold claims to check", on_click=_assign, args=(user, project))
    show_flash(ASSIGNED)
    if done:
        _reopen(user, done)
    show_flash(REOPENED)  # also when the last verdict was re-opened


@state.while_signed_in
def _assign(user: UserInfo, project: str) -> None:
    overlap = int(st.session_state.get(CHECK_OVERLAP, 1))
    chosen = st.session_state.get(CHECKERS, [])
    with reported(ASSIGNED) as attempt, db_session() as session:
        result = fact_checking.assign_checks(session, user, project, chosen, overlap)
    if attempt.failed:
        return
    st.session_state[CHECKERS] = []  # assigned: the form starts empty again
    flash(
        ASSIGNED,
        "success",
        f"{counted(result.assigned, 'claim')} assigned to "
        f"{', '.join(result.checkers) or 'nobody'}; {result.claims_waiting} still short of "
        f"{counted(overlap, 'checker')}.",
    )


def _reopen(user: UserInfo, done: list[VerdictSummary]) -> None:
    table = pd.DataFrame(
        [{"check": c.id, "checker": c.checker, "verdict": VERDICT_NAMES[c.verdict],
          "claim": c.claim} for c in done]
    )  # fmt: skip
    components.text_table(table.set_index("check"))  # the claims and names shown as typed
    ids = [c.id for c in done]
    which = st.selectbox(
        "Re-open a verdict", ids, index=None, key="reopen_choice",
        format_func=lambda i: f"{done[ids.index(i)].checker}: {done[ids.index(i)].claim[:80]}",
    )  # fmt: skip
    if which is not None and st.button("Re-open it", key="reopen"):
        with reported() as attempt, db_session() as session:
            fact_checking.reopen_verdict(session, user, int(which))
        if attempt.failed:
            return
        flash(REOPENED, "success", "Verdict re-opened: back in the checker's queue.")
        st.rerun()


def show() -> None:
    """The checker's queue and form, then (for a lead) the project's fact-checking stage."""
    user = state.require_user()
    project = state.current_project()
    st.title("Fact-check")
    with reported():
        _checker_section(user, project)
        _lead_section(user, project)

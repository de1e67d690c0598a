"""The fact-check page: a checker's queue of gold claims (those with an answer the project's
scheme sends to fact-checking), and a lead's view of the stage."""

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from annotator.claimreview import NAMES
from annotator.errors import PermissionDenied
from annotator.services import assignment, fact_checking, modelling
from annotator.services.fact_checking import (
    CheckCase,
    CheckSummary,
    VerdictInput,
    VerdictSummary,
    WaitingClaim,
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
CHECK_TOP = "fact_check_top"  # how many of the most check-worthy claims to assign (0: all)
TO_SET_ASIDE = "fact_check_to_set_aside"  # waiting claims chosen to set aside
TO_RESTORE = "fact_check_to_restore"  # claims set aside, chosen to put back
TRIAGED = "fact_check_triaged"  # a set-aside or restore outcome, under its button
WAITING_SHOWN = 50  # waiting claims listed for a lead, most check-worthy first
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
    if check.verdict is None and check.worth is not None:
        status += f" · {check.worth:.0%}"
    return f"[{status}] {_short(check.claim)}"


def _short(claim: str) -> str:
    return claim if len(claim) <= 90 else claim[:89] + "…"


def _worth(claim: WaitingClaim) -> str:
    return "-" if claim.worth is None else f"{claim.worth:.0%}"


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
    stages = {name: n for name, n in counts.items() if name not in VERDICT_NAMES}
    verdicts = {VERDICT_NAMES[name]: n for name, n in counts.items() if name in VERDICT_NAMES}
    for row in ({name.capitalize(): n for name, n in stages.items()}, verdicts):
        for column, (name, n) in zip(st.columns(len(verdicts)), row.items(), strict=False):
            column.metric(name, f"{n:,}")
    with st.form("assign_checks"):
        st.multiselect("Checkers", people, key=CHECKERS)
        st.number_input(
            "Checkers per claim", 1, fact_checking.MAX_CHECK_OVERLAP, 1, key=CHECK_OVERLAP
        )
        st.number_input(
            "How many claims (the most check-worthy first; 0: all waiting)", 0, None, 0,
            key=CHECK_TOP,
        )  # fmt: skip
        st.form_submit_button("Assign gold claims to check", on_click=_assign, args=(user, project))
    show_flash(ASSIGNED)
    _triage(user, project, counts["unassigned"])
    if done:
        _reopen(user, done)
    show_flash(REOPENED)  # also when the last verdict was re-opened


def _triage(user: UserInfo, project: str, n_waiting: int) -> None:
    """The claims no checker has yet, in the order checkers would get them, to set aside the
    ones not worth checking; and those set aside, to put back."""
    with db_session() as session:
        waiting = fact_checking.waiting_claims(session, user, project, WAITING_SHOWN)
        aside = fact_checking.set_aside_claims(session, user, project)
        order = modelling.check_order_note(session, user, project)
    st.markdown("**Claims waiting for a checker**")
    st.caption(components.literal(order))  # it names the project, as typed
    if waiting:
        if n_waiting > len(waiting):
            st.caption(f"The first {len(waiting)} of {n_waiting:,}, in the order they go out.")
        _claims_table(waiting)
        _choose_claims(waiting, "Set aside as not worth checking", TO_SET_ASIDE)
        st.button("Set aside", key=f"{TO_SET_ASIDE}_button", on_click=_set_aside,
                  args=(user, project))  # fmt: skip
    else:
        st.caption("None: every gold claim to check has a checker or is set aside.")
    if aside:
        with st.expander(f"Set aside ({len(aside):,})"):
            _claims_table(aside)
            _choose_claims(aside, "Put back among the waiting claims", TO_RESTORE)
            st.button("Put back", key=f"{TO_RESTORE}_button", on_click=_restore,
                      args=(user, project))  # fmt: skip
    show_flash(TRIAGED)


def _claims_table(claims: list[WaitingClaim]) -> None:
    table = pd.DataFrame(
        [{"sentence": c.sentence_id, "check-worthy": _worth(c), "claim": c.claim,
          "article": c.article_title} for c in claims]
    )  # fmt: skip
    components.text_table(table.set_index("sentence"))


def _choose_claims(claims: list[WaitingClaim], label: str, key: str) -> None:
    by_id = {c.sentence_id: c for c in claims}
    st.multiselect(
        label, list(by_id), key=key,
        format_func=lambda i: f"{i} · {_worth(by_id[i])} · {_short(by_id[i].claim)}",
    )  # fmt: skip


@state.while_signed_in
def _set_aside(user: UserInfo, project: str) -> None:
    _change_claims(
        user, project, TO_SET_ASIDE, fact_checking.set_aside, "set aside: not worth checking"
    )


@state.while_signed_in
def _restore(user: UserInfo, project: str) -> None:
    _change_claims(
        user, project, TO_RESTORE, fact_checking.restore, "put back among the waiting claims"
    )


def _change_claims(
    user: UserInfo,
    project: str,
    key: str,
    change: Callable[..., int],  # fact_checking.set_aside or .restore
    done: str,
) -> None:
    """Set aside or put back the claims chosen under `key`; the outcome under the buttons."""
    with reported(TRIAGED) as attempt, db_session() as session:
        n = change(session, user, project, st.session_state.get(key, []))
    if not attempt.failed:
        st.session_state[key] = []
        flash(TRIAGED, "success", f"{counted(n, 'claim')} {done}.")


@state.while_signed_in
def _assign(user: UserInfo, project: str) -> None:
    overlap = int(st.session_state.get(CHECK_OVERLAP, 1))
    chosen = st.session_state.get(CHECKERS, [])
    top = int(st.session_state.get(CHECK_TOP, 0)) or None
    with reported(ASSIGNED) as attempt, db_session() as session:
        result = fact_checking.assign_checks(session, user, project, chosen, overlap, top)
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

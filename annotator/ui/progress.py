"""The progress page (leads and admins): who has done what, labels per day, and handing out
work (the outcome of assigning is shown under its form)."""

import altair as alt
import pandas as pd
import streamlit as st

from annotator.services import assignment
from annotator.services.progress import ProjectProgress, project_progress
from annotator.services.records import UserInfo
from annotator.ui import state
from annotator.ui.components import literal
from annotator.ui.messages import flash, reported, show_flash
from annotator.ui.resources import db_session
from annotator.wording import counted

FLASH = "progress_flash"
CHOSEN = "assign_chosen"  # the annotators chosen in the Assign form
HEADERS = {  # AnnotatorProgress's fields as the table's headers
    "annotator": "annotator",
    "assigned": "assigned",
    "done": "done",
    "skipped": "skipped",
    "sentences_per_hour": "sentences per hour",
    "median_seconds": "median seconds",
}


def show() -> None:
    """Each annotator's progress, labels per day, and the form that assigns work."""
    user = state.require_user()
    project = state.current_project()
    st.title("Progress")
    with reported() as attempt, db_session() as session:
        report = project_progress(session, user, project)
        candidates = assignment.assignable_users(session, user, project)
    if attempt.failed:
        return
    _report(report)
    _assign_form(user, project, report, candidates)


def _report(report: ProjectProgress) -> None:
    st.caption(
        f"Project {literal(report.project)}: {report.body_sentences:,} body sentences, each "
        f"for {counted(report.overlap, 'annotator')}; {report.assigned_sentences:,} sentence "
        "assignments."
    )
    table = pd.DataFrame([vars(row) for row in report.annotators], columns=list(HEADERS))
    table = table.rename(columns=HEADERS)
    if table.empty:
        st.info("No annotators yet: add them below and assign.")
    else:
        st.dataframe(table, hide_index=True, width="stretch")
    if report.labels_per_day:
        days = pd.DataFrame(report.labels_per_day, columns=["day", "labels"])
        # Bars on a time axis are hairlines unless given a width: about a day's share of the
        # page's ~700 px, between 2 and 30 px.
        width = max(2, min(30, 560 // len(days)))
        chart = (
            alt.Chart(days)
            .mark_bar(size=width)
            .encode(x="day:T", y="labels:Q", tooltip=["day:T", "labels"])
        )
        st.altair_chart(chart, width="stretch")


def _assign_form(
    user: UserInfo, project: str, report: ProjectProgress, candidates: list[str]
) -> None:
    """Annotators to add, starting empty; the outcome is shown under the form."""
    st.subheader("Assign work")
    st.caption(
        "Assigning tops up and balances the work of the annotators already in the project, "
        "with or without new ones."
    )
    with st.form("assign"):
        st.multiselect("Annotators to add", candidates, key=CHOSEN)
        st.form_submit_button(
            "Assign", type="primary", on_click=_on_assign, args=(user, project, report.overlap)
        )
    show_flash(FLASH)


@state.while_signed_in
def _on_assign(user: UserInfo, project: str, overlap: int) -> None:
    with reported(FLASH) as attempt, db_session() as session:
        result = assignment.assign(session, user, project, st.session_state.get(CHOSEN, []))
    if attempt.failed:
        return
    st.session_state[CHOSEN] = []  # assigned: the form starts empty again
    flash(
        FLASH,
        "success",
        f"{counted(result.new_assignments, 'new assignment')}, {result.moved} moved; "
        f"{counted(result.unfilled_articles, 'article')} still short of {overlap}.",
    )

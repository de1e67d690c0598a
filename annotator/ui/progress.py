"""The progress page (leads and admins): who has done what, labels per day, and handing out
work."""

import altair as alt
import pandas as pd
import streamlit as st

from annotator.services import assignment
from annotator.services.progress import ProjectProgress, project_progress
from annotator.services.records import UserInfo
from annotator.ui import state
from annotator.ui.components import counted, literal
from annotator.ui.messages import flash, reported, show_flash
from annotator.ui.resources import db_session

FLASH = "progress_flash"


def show() -> None:
    """Each annotator's progress, labels per day, and the form that assigns work."""
    user = state.require_user()
    project = state.current_project()
    st.title("Progress")
    show_flash(FLASH)
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
    table = pd.DataFrame([vars(row) for row in report.annotators])
    if table.empty:
        st.info("No annotators yet: add them below and assign.")
    else:
        st.dataframe(table, hide_index=True, width="stretch")
    if report.labels_per_day:
        days = pd.DataFrame(report.labels_per_day, columns=["day", "labels"])
        chart = (
            alt.Chart(days).mark_bar().encode(x="day:T", y="labels:Q", tooltip=["day:T", "labels"])
        )
        st.altair_chart(chart, width="stretch")


def _assign_form(
    user: UserInfo, project: str, report: ProjectProgress, candidates: list[str]
) -> None:
    st.subheader("Assign work")
    with st.form("assign"):
        chosen = st.multiselect(
            "Annotators to add",
            candidates,
            default=[r.annotator for r in report.annotators if r.annotator in candidates],
        )
        submitted = st.form_submit_button("Assign", type="primary")
    if not submitted:
        return
    with reported() as attempt, db_session() as session:
        result = assignment.assign(session, user, project, chosen)
    if attempt.failed:
        return
    flash(
        FLASH,
        "success",
        f"{counted(result.new_assignments, 'new assignment')}, {result.moved} moved; "
        f"{counted(result.unfilled_articles, 'article')} still short of {report.overlap}.",
    )
    st.rerun()

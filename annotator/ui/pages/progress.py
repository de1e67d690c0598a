"""Progress (leads and admins): who has done what, labels per day, and handing out work."""

import altair as alt
import pandas as pd
import streamlit as st

from annotator.config import DEFAULT_PROJECT
from annotator.errors import AnnotatorError
from annotator.services import assignment
from annotator.services.progress import project_progress
from annotator.ui import state
from annotator.ui.components import literal
from annotator.ui.resources import db_session

user = state.require_user()
project = st.session_state.get(state.PROJECT, DEFAULT_PROJECT)
st.title("Progress")
FLASH = "progress_flash"
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))

try:
    with db_session() as session:
        report = project_progress(session, user, project)
        candidates = assignment.assignable_users(session, user, project)
except AnnotatorError as error:
    st.error(literal(error.located()))
    st.stop()

st.caption(
    f"Project {literal(report.project)}: {report.body_sentences:,} body sentences, each for "
    f"{report.overlap} annotator(s); {report.assigned_sentences:,} sentence assignments."
)
table = pd.DataFrame([vars(row) for row in report.annotators])
if table.empty:
    st.info("No annotators yet: add them below and assign.")
else:
    st.dataframe(table, hide_index=True, width="stretch")
if report.labels_per_day:
    days = pd.DataFrame(report.labels_per_day, columns=["day", "labels"])
    chart = alt.Chart(days).mark_bar().encode(x="day:T", y="labels:Q", tooltip=["day:T", "labels"])
    st.altair_chart(chart, width="stretch")

st.subheader("Assign work")
with st.form("assign"):
    chosen = st.multiselect(
        "Annotators to add",
        candidates,
        default=[r.annotator for r in report.annotators if r.annotator in candidates],
    )
    submitted = st.form_submit_button("Assign", type="primary")
if submitted:
    try:
        with db_session() as session:
            result = assignment.assign(session, user, project, chosen)
    except AnnotatorError as error:
        st.error(literal(error.located()))
    else:
        st.session_state[FLASH] = (
            f"{result.new_assignments} new assignment(s), {result.moved} moved; "
            f"{result.unfilled_articles} article(s) still short of {report.overlap}."
        )
        st.rerun()

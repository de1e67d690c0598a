"""Export: download labels or sentences as CSV (the same bytes as the CLI's export)."""

import streamlit as st

from annotator.columns import KINDS
from annotator.config import DEFAULT_PROJECT
from annotator.services.exporting import ExportRequest, export_bytes
from annotator.ui import state
from annotator.ui.resources import db_session

user = state.require_user()
st.title("Export")
st.write(
    "One row per label (`labels`) or per sentence (`sentences`), UTF-8 CSV with the columns "
    "documented in the README's data dictionary. Load it with `pandas.read_csv`."
)
project = st.session_state.get(state.PROJECT, DEFAULT_PROJECT)
kind = st.radio("What to export", options=list(KINDS), horizontal=True, key="export_kind")
excel = st.checkbox(
    "For Excel (adds a BOM, neutralises cells starting with = + - @)", key="export_excel"
)
request = ExportRequest(project=project, kind=kind, excel=excel)


def _bytes() -> bytes:
    with db_session() as session:
        return export_bytes(session, request, user)


st.download_button(
    f"Download {request.file_name}",
    data=_bytes,
    file_name=request.file_name,
    mime="text/csv",
    type="primary",
    icon=":material/download:",
    key="download",
    on_click="ignore",
)

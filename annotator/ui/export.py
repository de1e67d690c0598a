"""The export page: download labels, gold labels or sentences (the same bytes as the CLI's
export), made on click for the signed-in user and deleted when the tab logs out
(ui/downloads.py)."""

import functools

import streamlit as st

from annotator.columns import KINDS
from annotator.services.exporting import FORMATS, ExportRequest, check_export, export_bytes
from annotator.services.records import UserInfo
from annotator.ui import downloads, state
from annotator.ui.components import literal
from annotator.ui.messages import reported
from annotator.ui.resources import db_session

DESCRIPTIONS = {
    "labels": "one row per label (one annotator's answer for one sentence)",
    "gold": "one row per sentence with a gold label, and how it was decided",
    "sentences": "one row per sentence of every article, with its role",
}
FORMAT_NAMES = {"csv": "CSV", "jsonl": "JSON Lines", "parquet": "Parquet"}


def show() -> None:
    """The kind and format to export, and a download button that builds the file on click."""
    user = state.require_user()
    st.title("Export")
    st.write(
        "The columns are documented in the data dictionary (docs/data-dictionary.md); every "
        "format holds the same content. `annotator.load(path)` reads any of them back into "
        "pandas with the documented types; the data dictionary also gives a pandas recipe "
        "for each format."
    )
    project = state.current_project()
    kind = st.radio(
        "What to export",
        options=list(KINDS),
        horizontal=True,
        key="export_kind",
        captions=[DESCRIPTIONS[k] for k in KINDS],
    )
    format_ = st.radio(
        "Format",
        FORMATS,
        format_func=FORMAT_NAMES.__getitem__,
        horizontal=True,
        key="export_format",
    )
    excel = format_ == "csv" and st.checkbox(
        "For Excel (adds a BOM, neutralises cells starting with = + - @, TAB or CR)",
        key="export_excel",
    )
    request = ExportRequest(project=project, kind=kind, format=format_, excel=excel)
    with reported() as attempt, db_session() as session:
        check_export(session, request, user)
    if attempt.failed:
        return
    token = state.login_token()
    assert token is not None  # app.py's gate lets only a signed-in tab through
    st.download_button(
        f"Download {literal(request.file_name)}",
        data=downloads.login_bound(
            functools.partial(_bytes, request),
            token,
            state.made_downloads(),
            request.media_type,
            request.file_name,
        ),
        file_name=request.file_name,
        mime=request.media_type,
        type="primary",
        icon=":material/download:",
        key="download",
        on_click="ignore",
    )


def _bytes(request: ExportRequest, user: UserInfo) -> bytes:
    with db_session() as session:
        return export_bytes(session, request, user)

"""The import page (leads and admins): upload article files; a per-file report of what
happened."""

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from annotator.readers import MAX_FILE_BYTES, SUPPORTED_EXTENSIONS
from annotator.services.importing import FileReport, import_file
from annotator.services.projects import check_lead
from annotator.services.records import UserInfo
from annotator.ui import state
from annotator.ui.components import literal
from annotator.ui.messages import message, reported
from annotator.ui.resources import db_session
from annotator.wording import counted
from annotator.written_dates import DayOrder

REPORTS = "import_reports"
DAY_ORDERS: dict[DayOrder | None, str] = {
    None: "Leave them empty (with a warning)",
    "dayfirst": "Day first: 10/02/2005 is 10 February",
    "monthfirst": "Month first: 10/02/2005 is October 2",
}


def show() -> None:
    """The upload box and its Import button, then the report of the last import."""
    user = state.require_user()
    project = state.current_project()
    st.title("Import articles")
    st.write(
        f"Into project **{literal(project)}**. Formats: {', '.join(SUPPORTED_EXTENSIONS)}; at "
        f"most {MAX_FILE_BYTES // (1024 * 1024)} MiB per file. Each file is imported whole or "
        "not at all; articles already in the project are skipped as duplicates."
    )
    with reported() as attempt, db_session() as session:
        check_lead(session, user, project)
    if attempt.failed:
        return
    files = st.file_uploader(
        "Article files",
        type=[extension.lstrip(".") for extension in SUPPORTED_EXTENSIONS],
        accept_multiple_files=True,
        key="import_files",
    )
    day_order = st.radio(
        "Numeric dates (10/02/2005)",
        list(DAY_ORDERS),
        format_func=DAY_ORDERS.__getitem__,
        horizontal=True,
        key="import_day_order",
        help="How these files write a publication date in numbers; other forms are read anyway.",
    )
    if st.button("Import", type="primary", disabled=not files, key="import"):
        assert files is not None
        st.session_state[REPORTS] = _import(user, project, files, day_order)
    shown: list[FileReport] | None = st.session_state.get(REPORTS)
    if shown:
        _report(shown)


def _import(
    user: UserInfo, project: str, files: list[UploadedFile], day_order: DayOrder | None
) -> list[FileReport]:
    """Import each file in its own transaction, with a progress bar."""
    bar = st.progress(0.0, text="Importing…")
    reports: list[FileReport] = []
    for done, upload in enumerate(files, start=1):
        with db_session() as session:
            data = upload.getvalue()
            report = import_file(
                session, project, upload.name, data, actor=user, day_order=day_order
            )
            reports.append(report)
        bar.progress(done / len(files), text=f"{done} of {len(files)} files")
    return reports


def _report(reports: list[FileReport]) -> None:
    imported = sum(r.imported for r in reports)
    rejected = sum(1 for r in reports if r.status == "rejected")
    message(
        "error" if rejected else "success",
        f"{counted(imported, 'article')} imported; {counted(rejected, 'file')} rejected.",
    )
    st.dataframe(
        pd.DataFrame(
            {
                "file": [r.name for r in reports],
                "status": [r.status for r in reports],
                "articles": [r.imported for r in reports],
                "body sentences": [r.body_sentences for r in reports],
                "duplicates": [r.duplicates for r in reports],
                "problem": [r.error or "; ".join(r.duplicate_notes + r.warnings) for r in reports],
            }
        ),
        hide_index=True,
        width="stretch",
    )

"""The projects page: every project with its scheme and overlap, and a form to create one.

The create button's callback runs before the page is drawn, so the table already shows a
new project; a refused form stores nothing and says why above the form.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from annotator.errors import InvalidInput
from annotator.scheme import Scheme, load_scheme
from annotator.services.projects import (
    MAX_GUIDELINES,
    MAX_NAME_LENGTH,
    MAX_OVERLAP,
    create_project,
    list_projects,
    shipped_schemes,
)
from annotator.services.records import UserInfo
from annotator.ui import state
from annotator.ui.components import literal
from annotator.ui.messages import flash, message, reported, show_flash
from annotator.ui.resources import db_session

ss = st.session_state
UPLOAD = "upload"  # the scheme choice that means "from the uploaded file"
NAME, OVERLAP, SCHEME, SCHEME_FILE, GUIDELINES = (
    "new_project_name",
    "new_project_overlap",
    "new_project_scheme",
    "new_project_scheme_file",
    "new_project_guidelines",
)
RESULT = "new_project_result"  # ("success" | "error", message) from the last create


def show() -> None:
    """Render the page for the logged-in admin or lead."""
    user = state.require_user()
    st.title("Projects")
    _project_table(user)
    st.subheader("New project")
    show_flash(RESULT)
    _create_form(user)


def _project_table(user: UserInfo) -> None:
    with db_session() as session:
        projects = list_projects(session, user)
    table = pd.DataFrame(
        {
            "project": [p.name for p in projects],
            "scheme": [p.scheme for p in projects],
            "overlap": [p.overlap for p in projects],
            "body sentences": [p.n_body for p in projects],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def _create_form(user: UserInfo) -> None:
    st.text_input("Name", key=NAME, max_chars=MAX_NAME_LENGTH)
    st.number_input(
        "Overlap: annotators per sentence",
        min_value=1,
        max_value=MAX_OVERLAP,
        value=1,
        step=1,
        key=OVERLAP,
    )
    schemes = shipped_schemes()
    choice = st.selectbox(
        "Label scheme",
        options=[*schemes, UPLOAD],
        format_func=lambda name: "Upload a JSON or YAML file…" if name == UPLOAD else name,
        key=SCHEME,
    )
    if choice == UPLOAD:
        st.file_uploader("Scheme file", type=["json", "yaml", "yml"], key=SCHEME_FILE)
    _scheme_preview(schemes)
    st.text_area(
        "Guidelines (plain text, shown to annotators with the definitions)",
        key=GUIDELINES,
        max_chars=MAX_GUIDELINES,
        height=160,
    )
    st.button(
        "Create project", type="primary", key="create_project", on_click=_create, args=(user,)
    )


def _scheme_preview(schemes: dict[str, Scheme]) -> None:
    """The chosen scheme's labels and keys, or why the uploaded file is not a scheme."""
    try:
        scheme = _chosen_scheme(schemes)
    except InvalidInput as error:
        if ss.get(SCHEME_FILE) is not None:
            message("error", error.located())
        return
    labels = " · ".join(f"{c.key.upper()} {literal(c.label)}" for c in scheme.claim_types)
    applies_to = scheme.date_bound_applies_to
    date_bound = f"; date-bound for {applies_to}" if applies_to else "; no date-bound field"
    st.caption(f"Labels: {labels}{date_bound}")


def _chosen_scheme(schemes: dict[str, Scheme]) -> Scheme:
    """The shipped scheme chosen, or the uploaded file's scheme; InvalidInput if none."""
    choice = ss.get(SCHEME)
    if choice != UPLOAD:
        return schemes[str(choice)]
    upload = ss.get(SCHEME_FILE)
    if upload is None:
        raise InvalidInput("choose a scheme file to upload")
    return load_scheme(upload.name, upload.getvalue())


@state.while_signed_in
def _create(user: UserInfo) -> None:
    """Create the project from the form's values; on success clear the name and guidelines."""
    with reported(RESULT, prefix="Not created: ") as attempt:
        scheme = _chosen_scheme(shipped_schemes())
        with db_session() as session:
            info = create_project(
                session,
                ss.get(NAME, ""),
                scheme=scheme,
                overlap=int(ss.get(OVERLAP, 1)),
                guidelines=ss.get(GUIDELINES, ""),
                actor=user,
            )
    if attempt.failed:
        return
    flash(RESULT, "success", f"Created project {info.name} (scheme {info.scheme}).")
    ss[NAME] = ""
    ss[GUIDELINES] = ""

"""The projects page: every project with its scheme, overlap and leads, a form to create
one, and (for an admin) a form to add or remove a project's leads.

The buttons' callbacks run before the page is drawn, so the table already shows a new
project or lead; a refused form stores nothing and says why above the form.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from annotator.errors import InvalidInput
from annotator.scheme import Scheme, load_scheme
from annotator.services import leads
from annotator.services.permissions import is_admin
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
LEAD_PROJECT, LEAD_NAME, LEAD_RESULT = "lead_project", "lead_name", "lead_result"


def show() -> None:
    """Render the page for the logged-in admin or lead."""
    user = state.require_user()
    st.title("Projects")
    led_by = _project_table(user)
    if is_admin(user.role):
        _leads_form(user, led_by)
    st.subheader("New project")
    show_flash(RESULT)
    _create_form(user)


def _project_table(user: UserInfo) -> dict[str, list[str]]:
    """Show the projects the user manages; return each one's leads, by project name."""
    with db_session() as session:
        projects = list_projects(session, user)
        led_by = leads.project_leads(session, user)
    table = pd.DataFrame(
        {
            "project": [p.name for p in projects],
            "scheme": [p.scheme for p in projects],
            "overlap": [p.overlap for p in projects],
            "body sentences": [p.n_body for p in projects],
            "leads": [", ".join(led_by.get(p.name, [])) for p in projects],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    return led_by


def _leads_form(user: UserInfo, led_by: dict[str, list[str]]) -> None:
    """An admin's form: make a lead account a lead of a project, or stop it leading one."""
    st.subheader("Project leads")
    show_flash(LEAD_RESULT)
    with db_session() as session:
        accounts = leads.lead_accounts(session, user)
    project = str(st.selectbox("Project", list(led_by), key=LEAD_PROJECT))
    current = led_by.get(project, [])
    st.caption(f"Leads of {literal(project)}: {literal(', '.join(current) or 'none')}")
    choices = sorted({*accounts, *current})  # a disabled lead can still be removed
    if not choices:
        st.caption("There is no lead account yet: create one on the Users page.")
        return
    st.selectbox("Lead account", choices, key=LEAD_NAME)
    add, remove = st.columns(2)
    add.button("Add as lead", key="add_lead", on_click=_change_lead, args=(user, True))
    remove.button("Remove as lead", key="remove_lead", on_click=_change_lead, args=(user, False))


@state.while_signed_in
def _change_lead(user: UserInfo, adding: bool) -> None:
    """Add or remove the chosen lead of the chosen project; say what changed."""
    project, name = str(ss.get(LEAD_PROJECT, "")), str(ss.get(LEAD_NAME, ""))
    change_lead = leads.add_lead if adding else leads.remove_lead
    with reported(LEAD_RESULT, prefix="Not changed: ") as attempt, db_session() as session:
        change = change_lead(session, user, project, name)
    if attempt.failed:
        return
    flash(LEAD_RESULT, "success" if change.changed else "info", f"{change.summary}.")


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

"""The sidebar's project selector: every page works on the project chosen here."""

from __future__ import annotations

import streamlit as st

from annotator.services.projects import list_projects, starting_project, visible_projects
from annotator.services.records import UserInfo
from annotator.ui import state
from annotator.ui.resources import db_session


def project_picker(user: UserInfo, *, led_only: bool = False) -> None:
    """Let the user choose among the projects they may open (kept in `state.PROJECT`); on a
    lead's page (`led_only`), among the projects they lead (an admin: every project)."""
    with db_session() as session:
        if led_only:
            names = [p.name for p in list_projects(session, user)]
        else:
            names = visible_projects(session, user)
        if names and st.session_state.get(state.PROJECT) not in names:
            st.session_state[state.PROJECT] = starting_project(session, user, names)
            state.forget_annotation_state()
    if not names:
        if led_only:
            st.caption("You lead no project yet: create one, or ask an admin to add you.")
        return
    # The choice lives in a plain session key: a widget's own state does not survive
    # `st.switch_page` (the Agreement page opens a sentence in Adjudicate that way).
    st.selectbox(
        "Project",
        names,
        index=names.index(st.session_state[state.PROJECT]),
        key=state.PROJECT_PICKER,
        on_change=_on_choose,
    )


def _on_choose() -> None:
    st.session_state[state.PROJECT] = st.session_state[state.PROJECT_PICKER]
    # A new project: forget the article, labels and position cached for the old one.
    state.forget_annotation_state()

"""The account page: every user changes their own password.

The change runs in the button's callback; its outcome is shown once at the top of the page.
"""

from __future__ import annotations

import streamlit as st

from annotator.services import accounts
from annotator.services.records import UserInfo
from annotator.ui import state
from annotator.ui.components import PASSWORD_POLICY
from annotator.ui.messages import act, flash, show_flash

ss = st.session_state
OUTCOME = "account_outcome"
FIELDS = ("own_password_old", "own_password_new", "own_password_repeat")


def show() -> None:
    """Every user's page: change your own password."""
    user = state.require_user()
    st.title("Account")
    st.text(f"Signed in as {user.name} ({user.role}).")
    show_flash(OUTCOME)
    with st.form("change_password"):
        st.subheader("Change your password")
        st.text_input("Current password", type="password", key="own_password_old")
        st.text_input("New password", type="password", key="own_password_new", help=PASSWORD_POLICY)
        st.text_input("Repeat the new password", type="password", key="own_password_repeat")
        st.form_submit_button(
            "Change password",
            key="change_password_submit",
            type="primary",
            on_click=_on_change_own,
            args=(user,),
        )


@state.while_signed_in
def _on_change_own(user: UserInfo) -> None:
    old, new = ss.get("own_password_old", ""), ss.get("own_password_new", "")
    if new != ss.get("own_password_repeat", ""):
        flash(OUTCOME, "error", "The two new passwords differ.")
        return
    if act(
        OUTCOME,
        lambda session: accounts.change_own_password(
            session, user, old, new, keep=state.login_token()
        ),
        "Password changed.",
    ):
        for key in FIELDS:
            ss[key] = ""

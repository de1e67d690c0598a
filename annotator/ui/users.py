"""The users page (admins only): every account, a form to create one, and actions on one
account (disable or enable it, reset its password).

Actions run in button callbacks, so the table drawn afterwards already shows their effect;
the outcome is kept in session state and shown once under the part of the page that acted
(the page is long: a message at the top would be out of sight of the form at the bottom).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from annotator.services import accounts
from annotator.services.permissions import ACCOUNT_ROLES
from annotator.services.records import AccountInfo, UserInfo
from annotator.ui import state
from annotator.ui.components import PASSWORD_POLICY, literal
from annotator.ui.messages import act, reported, show_flash
from annotator.ui.resources import db_session

ss = st.session_state
MANAGED = "users_managed"  # the outcome of disabling, enabling or resetting a password
CREATED = "users_created"  # the outcome of creating an account


def show() -> None:
    """The admin's page: every account, a form to create one, and actions on one account."""
    actor = state.require_user()
    st.title("Users")
    with reported() as attempt, db_session() as session:
        listed = accounts.list_users(session, actor)
    if attempt.failed:
        return
    st.dataframe(users_table(listed), hide_index=True, width="stretch")
    _manage(actor, listed)
    _create_form(actor)


def users_table(listed: list[AccountInfo]) -> pd.DataFrame:
    """The users as the page's table: name, role, active, and the end of a login lock."""
    return pd.DataFrame(
        {
            "name": [u.name for u in listed],
            "role": [u.role for u in listed],
            "active": [u.active for u in listed],
            "locked until": [
                f"{u.locked_until:%Y-%m-%d %H:%M:%S} UTC" if u.locked_until else "" for u in listed
            ],
        }
    )


def _manage(actor: UserInfo, listed: list[AccountInfo]) -> None:
    st.subheader("Manage an account")
    by_name = {u.name: u for u in listed}
    name = st.selectbox("Account", options=list(by_name), key="manage_user")
    if name is None:
        return
    active = by_name[name].active
    st.button(
        "Disable" if active else "Enable",
        key="toggle_active",
        icon=":material/block:" if active else ":material/check_circle:",
        on_click=_on_set_active,
        args=(actor, name, not active),
    )
    with st.form("reset_password"):
        st.text_input(
            f"New password for {literal(name)}", type="password", key="reset_password_new"
        )
        st.form_submit_button(
            "Reset password", key="reset_password_submit", on_click=_on_reset, args=(actor, name)
        )
    show_flash(MANAGED)


@state.while_signed_in
def _on_set_active(actor: UserInfo, name: str, active: bool) -> None:
    act(
        MANAGED,
        lambda session: accounts.set_active(session, actor, name, active),
        f"{'Enabled' if active else 'Disabled'} {name}.",
    )


@state.while_signed_in
def _on_reset(actor: UserInfo, name: str) -> None:
    password = ss.get("reset_password_new", "")
    if act(
        MANAGED,
        lambda session: accounts.reset_password(session, actor, name, password),
        f"New password set for {name}.",
    ):
        ss["reset_password_new"] = ""


def _create_form(actor: UserInfo) -> None:
    with st.form("create_user"):
        st.subheader("New account")
        st.text_input("User name", key="new_user_name")
        st.selectbox(
            "Role",
            options=ACCOUNT_ROLES,
            index=ACCOUNT_ROLES.index("annotator"),
            key="new_user_role",
        )
        st.text_input("Password", type="password", key="new_user_password", help=PASSWORD_POLICY)
        st.form_submit_button(
            "Create account",
            key="create_user_submit",
            type="primary",
            on_click=_on_create,
            args=(actor,),
        )
    show_flash(CREATED)


@state.while_signed_in
def _on_create(actor: UserInfo) -> None:
    name = ss.get("new_user_name", "").strip()
    role = ss.get("new_user_role", "annotator")
    password = ss.get("new_user_password", "")
    if act(
        CREATED,
        lambda session: accounts.create_user(session, name, role, password, actor=actor),
        f"Created {role} {name}.",
    ):
        ss["new_user_name"] = ss["new_user_password"] = ""

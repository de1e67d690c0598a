"""The users page (admins only): every account, a form to create one, and actions on one
account (disable or enable it, reset its password, set the e-mail it signs in with through
the organisation).

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
MANAGED = "users_managed"  # the outcome of disabling, enabling, a password reset, an e-mail
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
    """The users as the page's table: name, role, active, the end of a login lock, and the
    e-mail the account signs in with through the organisation."""
    return pd.DataFrame(
        {
            "name": [u.name for u in listed],
            "role": [u.role for u in listed],
            "active": [u.active for u in listed],
            "locked until": [
                f"{u.locked_until:%Y-%m-%d %H:%M:%S} UTC" if u.locked_until else "" for u in listed
            ],
            "e-mail": [u.email or "" for u in listed],
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
    with st.form("set_email"):
        st.text_input(
            f"E-mail {literal(name)} signs in with through the organisation",
            key="set_email_address",
            help="Whoever your organisation's provider verifies with this address signs in as "
            "this account, with its role. Leave empty to remove it.",
        )
        st.form_submit_button(
            "Set e-mail", key="set_email_submit", on_click=_on_set_email, args=(actor, name)
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


@state.while_signed_in
def _on_set_email(actor: UserInfo, name: str) -> None:
    email = ss.get("set_email_address", "").strip() or None
    if act(
        MANAGED,
        lambda session: accounts.set_email(session, actor, name, email),
        f"{name} signs in with {email.lower()}." if email else f"{name} has no e-mail now.",
    ):
        ss["set_email_address"] = ""


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
        st.text_input(
            "E-mail (optional)",
            key="new_user_email",
            help="The address it signs in with through your organisation. With an e-mail, "
            "leave the password empty for an account that signs in only that way.",
        )
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
    email = ss.get("new_user_email", "").strip() or None
    password = ss.get("new_user_password", "") or (None if email else "")
    if act(
        CREATED,
        lambda session: accounts.create_user(
            session, name, role, password, actor=actor, email=email
        ),
        f"Created {role} {name}.",
    ):
        ss["new_user_name"] = ss["new_user_password"] = ss["new_user_email"] = ""

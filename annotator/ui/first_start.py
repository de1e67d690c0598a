"""The first-start page: create the admin account (shown only while no account exists)."""

import streamlit as st

from annotator.services import accounts, sessions
from annotator.ui import state


def show() -> None:
    """The form for the first account, which becomes the administrator."""
    st.title("Welcome to Claim Annotator")
    st.write(
        "Create the administrator account to begin. The two sample articles are already "
        "imported into the `default` project."
    )
    with st.form("first_start"):
        name = st.text_input("User name", value="admin")
        password = st.text_input(
            "Password",
            type="password",
            help=f"At least {accounts.MIN_PASSWORD_LENGTH} characters.",
        )
        repeat = st.text_input("Repeat the password", type="password")
        submitted = st.form_submit_button("Create admin account", type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error("The two passwords differ.")
    else:
        state.sign_in(
            lambda session, browser: sessions.start_session(
                session, accounts.create_first_admin(session, name.strip(), password), browser
            )
        )

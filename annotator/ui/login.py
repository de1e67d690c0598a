"""The login page: a user name and a password."""

import streamlit as st

from annotator.services import accounts
from annotator.ui import state


def show() -> None:
    """Log in with a user name and password."""
    st.title("Claim Annotator")
    with st.form("login"):
        name = st.text_input("User name")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Log in", type="primary")
    if submitted:
        state.sign_in(
            lambda session, browser: accounts.log_in(session, name.strip(), password, browser)
        )

"""Log in with a user name and password."""

import streamlit as st

from annotator.errors import AnnotatorError
from annotator.services import accounts
from annotator.ui import state
from annotator.ui.resources import db_session

st.title("Claim Annotator")
with st.form("login"):
    name = st.text_input("User name")
    password = st.text_input("Password", type="password")
    submitted = st.form_submit_button("Log in", type="primary")

if submitted:
    try:
        with db_session() as session:
            user = accounts.authenticate(session, name.strip(), password)
    except AnnotatorError as error:
        st.error(error.located())
    else:
        state.log_in(user)
        st.rerun()

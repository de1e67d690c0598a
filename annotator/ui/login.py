"""The login page: a user name and a password, and, when `.streamlit/secrets.toml` has an
`[auth]` section, a button per organisation provider (`st.login`, docs/sign-in.md).

Back from the provider, Streamlit's identity cookie (`st.user`) holds the provider's claims;
this page signs in the account with that verified e-mail, or says to ask the admin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from annotator.services import accounts
from annotator.ui import state
from annotator.ui.components import literal
from annotator.ui.messages import reported
from annotator.ui.resources import db_session

DEFAULT_PROVIDER = "your organisation"  # the button of an unnamed `[auth]` provider


def show() -> None:
    """Sign in through the organisation's provider if the browser just came back from it;
    else log in with a user name and password, or choose a provider."""
    st.title("Claim Annotator")
    providers = organisation_providers()
    claims = state.organisation_identity() if providers else None
    if claims is not None and not _organisation_sign_in(claims):
        return
    with st.form("login"):
        name = st.text_input("User name")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Log in", type="primary")
    if submitted:
        state.sign_in(
            lambda session, browser: accounts.log_in(session, name.strip(), password, browser)
        )
    for provider, label in providers.items():
        st.button(
            f"Sign in with {label}",
            key=f"sign_in_{provider}",
            icon=":material/domain:",
            on_click=st.login,
            args=(provider,),
        )


def organisation_providers() -> dict[str, str]:
    """The providers of the secrets' `[auth]` section, name -> button label: `default` (the
    unnamed provider, "your organisation") if `[auth]` itself has a `client_id`, and each
    `[auth.NAME]` with one, labelled with its name. Empty without `[auth]`: passwords only."""
    if not st.secrets.load_if_toml_exists():
        return {}
    auth = st.secrets.get("auth")
    if not isinstance(auth, Mapping):
        return {}
    found = {"default": DEFAULT_PROVIDER} if "client_id" in auth else {}
    for name, section in auth.items():
        if isinstance(section, Mapping) and "client_id" in section:
            found[name] = name.replace("-", " ").title()
    return found


def _organisation_sign_in(claims: dict[str, Any]) -> bool:
    """Sign in the account of the provider's verified e-mail (the app reruns); show why not
    and a way out. False when the page should show nothing more (the refusal); True when
    the provider sign-in was already used (ended or expired): the page offers sign-in again."""
    with reported() as attempt, db_session() as session:
        login = accounts.organisation_sign_in(session, claims, state.browser_id())
    if attempt.failed:
        email = claims.get("email")
        if isinstance(email, str):
            st.write(f"You signed in at your organisation as **{literal(email)}**.")
        st.write(
            "Only people an admin has added can use this annotator: send your admin this "
            "address, then sign in again."
        )
        st.button("Sign out", key="organisation_sign_out", type="primary", on_click=st.logout)
        return False
    if login is None:
        st.info("Your session has ended: sign in again.")
        return True
    state.log_in(login)
    st.rerun()
    return False  # not reached: st.rerun() ends the run

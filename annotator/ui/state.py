"""Session-state keys in one place, the annotate page's state, and the logged-in user with
their login session (services/sessions.py): checked on every run, ended by logging out."""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec

import streamlit as st

from annotator.config import DEFAULT_PROJECT
from annotator.services import sessions
from annotator.services.modelling import Suggestions
from annotator.services.records import ArticleInfo, ArticleSummary, LabelInfo, Login, UserInfo
from annotator.ui import downloads
from annotator.ui.browser_cookie import COOKIE, is_browser_value
from annotator.ui.messages import reported
from annotator.ui.resources import db_session, settings

P = ParamSpec("P")
USER = "user"
TOKEN = "login_token"  # the token of this tab's login session
DOWNLOADS = "downloads"  # media file ids of the exports made in this tab (ui/downloads.py)
PROJECT = "project"
PROJECT_PICKER = "project_picker"  # widget key: the sidebar's project selector
ARTICLE_ID = "annotate_article_id"  # widget key: the annotate page's article selector
ANNOTATE = "annotate"  # the annotate page's `AnnotateState`
FLASH = "annotate_flash"  # the annotate page's message (see `messages.flash`)
ADJUDICATE_SENTENCE = "adjudicate_sentence"
ADJUDICATE_STATUS = "adjudicate_status"


@dataclass
class ArticleWork:
    """The article open on the annotate page and the annotator's work on it: loaded once when
    the article opens, then changed in place by each label and move."""

    article: ArticleInfo
    labels: dict[int, LabelInfo]  # sentence id -> the annotator's current label
    done_overall: int  # sentences the annotator has labelled in the whole project
    position: int = 0  # index into `article.body`; `len(body)` is the article's summary
    shown_at: float = 0.0  # `time.monotonic()` when the current sentence was shown
    review_version: int = 0  # bumped after a review-table save: the next run draws it afresh
    suggestions: Suggestions | None = None  # the model's answers, predicted when it opened
    panel_article: dict[str, Any] | None = None  # the panel's sentences, built once
    acks: dict[int, dict[str, str]] = field(default_factory=dict)  # answer number -> its ack
    jump: int = 0  # bumped when the server moves the panel (a summary button)
    asked_for_more: bool = False  # whether the summary asked if any article is left to claim

    def go_to(self, position: int) -> None:
        """Show the sentence at `position` (the summary past the last), timed from now."""
        self.position = position
        self.shown_at = time.monotonic()

    def jump_to(self, position: int) -> None:
        """Move the panel to `position` from the server's side (it otherwise moves itself)."""
        self.go_to(position)
        self.jump += 1


@dataclass
class AnnotateState:
    """Everything the annotate page keeps between runs except its widgets' own values (which
    Streamlit keeps under their keys: `ARTICLE_ID`, and the note and as-of inputs)."""

    articles: list[ArticleSummary] | None = None  # the annotator's list; None: load it again
    article_positions: dict[int, int] = field(default_factory=dict)  # article id -> index
    next_after: int | None = None  # "Next article" asked for the one after this article id
    work_total: int = 0  # body sentences the user has to label in the project
    guidelines: str = ""
    work: ArticleWork | None = None  # None: open the chosen article on the next full run
    all_done: bool = False  # every article of the list is finished and none was left to claim


def annotate_state() -> AnnotateState:
    """This browser session's annotate-page state (created empty on first use)."""
    found = st.session_state.get(ANNOTATE)
    if not isinstance(found, AnnotateState):
        found = AnnotateState()
        st.session_state[ANNOTATE] = found
    return found


def article_work() -> ArticleWork:
    """The open article's work (the page opens the article before anything reads it)."""
    work = annotate_state().work
    if work is None:
        raise RuntimeError("the annotate page has no open article")
    return work


def current_user() -> UserInfo | None:
    """The logged-in user of this browser session, if any."""
    user = st.session_state.get(USER)
    return user if isinstance(user, UserInfo) else None


def require_user() -> UserInfo:
    """The logged-in user; stops the page if there is none (app.py routes to login first)."""
    user = current_user()
    if user is None:
        st.stop()
    return user


def current_project() -> str:
    """The project chosen in the sidebar (`default` until one is chosen)."""
    project = st.session_state.get(PROJECT, DEFAULT_PROJECT)
    return project if isinstance(project, str) else DEFAULT_PROJECT


def forget_annotation_state() -> None:
    """Drop the cached article list, article and position (on login or switching project)."""
    for key in (ANNOTATE, ARTICLE_ID):
        st.session_state.pop(key, None)


def log_in(login: Login) -> None:
    """Remember the user and their login session's token for this tab."""
    forget_annotation_state()
    st.session_state[USER] = login.user
    st.session_state[TOKEN] = login.token


def login_token() -> str | None:
    """The token of this tab's login session, if it is signed in."""
    token = st.session_state.get(TOKEN)
    return token if isinstance(token, str) else None


def made_downloads() -> list[str]:
    """The list the export downloads made in this tab go into (deleted on logout)."""
    made = st.session_state.setdefault(DOWNLOADS, [])
    assert isinstance(made, list)
    return made


def live_user() -> UserInfo | None:
    """The signed-in user, read afresh through the tab's login session (one query on an
    index); None once the session has ended (a logout in another tab of this browser, a
    password change or reset, the account disabled), and then the tab is logged out.

    A tab with no session of its own (a new tab, a reload, a dropped connection) first
    resumes the browser's live session, if its browser cookie has one (`resume`).

    app.py's gate calls it on every full run, the annotate page's panel on every fragment
    run (which skips the gate), and `while_signed_in` before a callback acts.
    """
    token = login_token()
    if token is None:
        return resume()
    with db_session() as session:
        user = sessions.session_user(session, token, settings().session_lifetime)
    if user is None:
        _forget_login()
        return None
    st.session_state[USER] = user
    return user


def while_signed_in(callback: Callable[P, None]) -> Callable[P, None]:
    """`callback`, acting only while the tab's login session is live.

    Streamlit runs a widget's callback before the script, so before app.py's gate: without
    this, a tab whose session had ended would still store its next action, then log out.
    """

    @functools.wraps(callback)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        if live_user() is not None:
            callback(*args, **kwargs)

    return guarded


def resume() -> UserInfo | None:
    """Sign this tab in to its browser's live login session, if the browser's HttpOnly cookie
    (never a script-readable value) has one signed in less than the session lifetime ago;
    else None."""
    browser = browser_cookie()
    if browser is None:
        return None
    with db_session() as session:
        login = sessions.resume_session(session, browser, settings().session_lifetime)
    if login is None:
        return None
    log_in(login)
    return login.user


def log_out() -> None:
    """End the user's login sessions in this browser (every tab of it), delete the downloads
    this tab made, and forget everything this tab held for them (cached work, messages,
    typed form values), so the next user of the tab starts clean. A user signed in through
    the organisation also leaves Streamlit's identity cookie and the provider's session
    (`st.logout`, which reloads the page)."""
    token = login_token()
    if token is not None:
        with db_session() as session:
            sessions.end_browser_sessions(session, token)
    _forget_login()
    if organisation_identity():
        st.logout()


def organisation_identity() -> dict[str, Any] | None:
    """The claims of Streamlit's identity cookie (`st.user`), if the browser signed in through
    the organisation's provider (`st.login`); else None."""
    claims = st.user.to_dict()
    return claims if claims.get("is_logged_in") is True else None


def _forget_login() -> None:
    try:
        downloads.delete(st.session_state.get(DOWNLOADS, ()))
    finally:  # the tab forgets the login even if deleting its downloads failed
        st.session_state.clear()


def browser_cookie() -> str | None:
    """The value of this browser's HttpOnly browser cookie (annotator/ui/browser_cookie.py),
    which every tab of one browser shares and no script on the page can read; None without
    it (AppTest, or a server started without app.py's middleware)."""
    cookie = st.context.cookies.get(COOKIE)
    return cookie if is_browser_value(cookie) else None


def browser_id() -> str:
    """What identifies this browser: its browser cookie. Without one a random value: the tab
    counts as a browser of its own, logging out ends only its session, and a reload signs
    it out (as before the cookie)."""
    return browser_cookie() or secrets.token_hex(16)


def sign_in(action: Callable[[Any, str], Login]) -> None:
    """Run an account service that signs in (log in, create the admin) for this browser
    and, if it succeeds, enter the app; if it fails, say why on the page."""
    with reported() as attempt, db_session() as session:
        login = action(session, browser_id())
    if attempt.failed:
        return
    log_in(login)
    st.rerun()

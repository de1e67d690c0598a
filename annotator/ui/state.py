"""Session-state keys in one place, and the logged-in user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from annotator.errors import AnnotatorError
from annotator.services.records import UserInfo
from annotator.ui.components import literal
from annotator.ui.resources import db_session

USER = "user"
PROJECT = "project"
PROJECT_PICKER = "project_picker"
ARTICLE_ID = "annotate_article_id"
ARTICLE = "annotate_article"
LABELS = "annotate_labels"
POSITION = "annotate_position"
SHOWN_AT = "annotate_shown_at"
DATE_BOUND = "annotate_date_bound"
DONE_OVERALL = "annotate_done_overall"
ARTICLES = "annotate_articles"
FLASH = "annotate_flash"
ACCOUNT_CHECK = "account_check"  # a save was refused: rerun the app so its gate checks the user
PROJECT_TOTAL = "annotate_project_total"
NEXT_AFTER = "annotate_next_after"
ARTICLE_POSITIONS = "annotate_article_positions"
GUIDELINES = "annotate_guidelines"
TEMPORAL = "annotate_temporal"  # sentence id -> its temporal spans and the suggestion
REVIEW_VERSION = "annotate_review_version"  # bumped after a review-table save: a fresh table
ADJUDICATE_SENTENCE = "adjudicate_sentence"
ADJUDICATE_STATUS = "adjudicate_status"
ANNOTATION_KEYS = (
    ARTICLE_ID,
    ARTICLE,
    LABELS,
    POSITION,
    SHOWN_AT,
    DATE_BOUND,
    DONE_OVERALL,
    ARTICLES,
    PROJECT_TOTAL,
    NEXT_AFTER,
    ARTICLE_POSITIONS,
    GUIDELINES,
    TEMPORAL,
    REVIEW_VERSION,
)


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


def forget_annotation_state() -> None:
    """Drop the cached article and position (on logout or on switching article)."""
    for key in ANNOTATION_KEYS:
        st.session_state.pop(key, None)


def log_in(user: UserInfo) -> None:
    """Remember the user for this browser session."""
    forget_annotation_state()
    st.session_state[USER] = user


def log_out() -> None:
    """Forget the user and everything this browser session held for them (cached work,
    messages, typed form values), so the next user of the tab starts clean."""
    st.session_state.clear()


def sign_in(action: Callable[[Any], UserInfo]) -> None:
    """Run an account service (log in, create the admin) and, if it succeeds, enter the app;
    if it fails, say why on the page."""
    try:
        with db_session() as session:
            user = action(session)
    except AnnotatorError as error:
        st.error(literal(error.located()))
        return
    log_in(user)
    st.rerun()

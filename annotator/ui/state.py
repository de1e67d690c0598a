"""Session-state keys in one place, the annotate page's state, and the logged-in user."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from annotator.config import DEFAULT_PROJECT
from annotator.services.records import ArticleInfo, ArticleSummary, LabelInfo, UserInfo
from annotator.temporal import Span
from annotator.ui.messages import reported
from annotator.ui.resources import db_session

USER = "user"
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
    pending_date_bound: dict[int, bool] = field(default_factory=dict)  # toggled, not saved
    typed: dict[str, str] = field(default_factory=dict)  # input key -> typed, not saved
    last_saved: int | None = None  # the sentence of the latest answer saved from the page
    temporal: dict[int, tuple[tuple[Span, ...], bool]] = field(default_factory=dict)
    review_version: int = 0  # bumped after a review-table save: the next run draws it afresh

    def go_to(self, position: int) -> None:
        """Show the sentence at `position` (the summary past the last), timed from now."""
        self.position = position
        self.shown_at = time.monotonic()


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
    account_check: bool = False  # a save was refused: rerun the app so its gate checks the user


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
    with reported() as attempt, db_session() as session:
        user = action(session)
    if attempt.failed:
        return
    log_in(user)
    st.rerun()

"""The annotate page: one article at a time, one body sentence at a time, saved on each key.

The article, its sentences and the user's labels are loaded once per article into session
state; a label or a move then costs one small write and a fragment rerun, whatever the size
of the database.
"""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import streamlit as st

from annotator.config import DEFAULT_PROJECT
from annotator.errors import AnnotatorError, PermissionDenied
from annotator.scheme import Scheme
from annotator.services import assignment, labelling
from annotator.services.labelling import LabelInput
from annotator.services.projects import get_project, project_scheme
from annotator.services.records import ArticleInfo, ArticleSummary, LabelInfo, UserInfo
from annotator.ui import components, state
from annotator.ui.resources import db_session

ss = st.session_state
PICKER_BEFORE = 20  # articles listed in the sidebar before the current one
PICKER_AFTER = 30  # ... and from the current one on


def show() -> None:
    """Render the whole page for the logged-in user."""
    user = state.require_user()
    project = ss.setdefault(state.PROJECT, DEFAULT_PROJECT)
    components.inject_style()
    articles = _articles(user, project)
    if not articles:
        st.info("You have no articles to label in this project yet.")
        if st.button("Ask for an article", type="primary", key="claim"):
            if claim_article(user) is None:
                st.warning("No article is waiting for an annotator. Ask your lead.")
            else:
                ss.pop(state.ARTICLES, None)
                st.rerun()
        return
    _article_picker(user, project, articles)
    _load_article(user, project)
    with db_session() as session:
        info = get_project(session, project)
        scheme = project_scheme(session, project)
    ss[state.PROJECT_TOTAL] = info.n_body
    ss[state.GUIDELINES] = info.guidelines
    panel(user, scheme)


def _articles(user: UserInfo, project: str) -> list[ArticleSummary]:
    if state.ARTICLES not in ss:
        with db_session() as session:
            ss[state.ARTICLES] = labelling.article_list(session, user, project)
        ss[state.ARTICLE_POSITIONS] = {a.id: i for i, a in enumerate(ss[state.ARTICLES])}
    articles: list[ArticleSummary] = ss[state.ARTICLES]
    return articles


def _article_picker(user: UserInfo, project: str, articles: list[ArticleSummary]) -> None:
    """Choose the article: the requested next one, else where the user left off; the sidebar
    lists a window of articles around it, so the page stays small with thousands of them."""
    positions: dict[int, int] = ss[state.ARTICLE_POSITIONS]
    after = ss.pop(state.NEXT_AFTER, None)
    if after is not None:
        ss[state.ARTICLE_ID] = next_unfinished(articles, after)
    elif ss.get(state.ARTICLE_ID) not in positions:
        with db_session() as session:
            last = labelling.last_labelled_article(session, user, project)
        ss[state.ARTICLE_ID] = resume_article(articles, last)
    at = positions[ss[state.ARTICLE_ID]]
    window = articles[max(0, at - PICKER_BEFORE) : at + PICKER_AFTER]
    titles = {a.id: f"{positions[a.id] + 1}. {a.title}" for a in window}
    with st.sidebar:
        st.selectbox(
            f"Article ({len(articles):,} in all)",
            options=list(titles),
            format_func=titles.__getitem__,
            key=state.ARTICLE_ID,
        )


def _load_article(user: UserInfo, project: str) -> None:
    cached: ArticleInfo | None = ss.get(state.ARTICLE)
    if cached is not None and cached.id == ss[state.ARTICLE_ID]:
        return
    with db_session() as session:
        article = labelling.load_article(session, user, ss[state.ARTICLE_ID])
        labels = labelling.article_labels(session, user, article.id)
        ss[state.DONE_OVERALL] = labelling.done_count(session, user, project)
    ss[state.ARTICLE] = article
    ss[state.LABELS] = labels
    ss[state.DATE_BOUND] = {}
    unlabelled = [i for i, s in enumerate(article.body) if s.id not in labels]
    _go_to(unlabelled[0] if unlabelled else len(article.body))


def _go_to(position: int) -> None:
    ss[state.POSITION] = position
    ss[state.SHOWN_AT] = time.monotonic()


@st.fragment
def panel(user: UserInfo, scheme: Scheme) -> None:
    """The article header, progress, and either the current sentence or the article summary."""
    if ss.pop(state.ACCOUNT_CHECK, False):
        st.rerun(scope="app")  # the app's login gate logs a disabled account out
    article: ArticleInfo = ss[state.ARTICLE]
    labels: dict[int, LabelInfo] = ss[state.LABELS]
    components.article_header(article)
    _progress(article, labels)
    if ss.get(state.FLASH):
        st.error(components.literal(ss.pop(state.FLASH)))
    position = ss[state.POSITION]
    if position >= len(article.body):
        _summary(user, article, labels, scheme)
    else:
        _sentence(user, scheme, article, position)


def _progress(article: ArticleInfo, labels: dict[int, LabelInfo]) -> None:
    body = article.body
    done = sum(1 for s in body if s.id in labels)
    total = ss.get(state.PROJECT_TOTAL)
    position = min(ss[state.POSITION] + 1, len(body))
    overall = f" · {ss[state.DONE_OVERALL]:,} of {total:,} overall" if total else ""
    st.progress(
        done / len(body),
        text=f"Sentence {position} of {len(body)} · {done} of {len(body)} labelled in this "
        f"article{overall}",
    )


def _sentence(user: UserInfo, scheme: Scheme, article: ArticleInfo, position: int) -> None:
    sentence = article.body[position]
    labels: dict[int, LabelInfo] = ss[state.LABELS]
    label = labels.get(sentence.id)
    components.sentence_in_context(article, sentence, labels)
    st.caption(f"Your label: {components.literal(components.label_text(label, scheme))}")
    columns = st.columns(len(scheme.claim_types))
    for column, claim_type in zip(columns, scheme.claim_types, strict=True):
        chosen = label is not None and label.claim_type == claim_type.value
        column.button(
            components.literal(claim_type.label),
            key=f"type_{claim_type.value}",
            shortcut=claim_type.key,
            type="primary" if chosen else "secondary",
            width="stretch",
            on_click=_on_label,
            args=(user, article, claim_type.value),
        )
    _date_bound_controls(user, scheme, article, label)
    st.text_input(
        "Note (also the reason when you skip)",
        value=label.note if label else "",
        key=f"note_{sentence.id}",
        on_change=_on_edit,
        args=(user, article),
    )
    _navigation(user, scheme, article, position)


def _date_bound_controls(
    user: UserInfo, scheme: Scheme, article: ArticleInfo, label: LabelInfo | None
) -> None:
    if scheme.date_bound_applies_to is None:  # no date-bound field: no button, `d` does nothing
        return
    on = _date_bound_value(article)
    left, right = st.columns([1, 1])
    left.button(
        f"Date-bound: {'yes' if on else 'no'}",
        key="date_bound",
        shortcut="d",
        icon=":material/event:" if on else ":material/event_busy:",
        on_click=_on_toggle_date_bound,
        args=(user, article),
    )
    if on:
        sentence = article.body[ss[state.POSITION]]
        default = label.as_of if label and label.as_of else article.published
        right.date_input(
            "As of",
            value=default,
            key=f"as_of_{sentence.id}",
            format="YYYY-MM-DD",
            label_visibility="collapsed",
            on_change=_on_edit,
            args=(user, article),
        )


def _navigation(user: UserInfo, scheme: Scheme, article: ArticleInfo, position: int) -> None:
    back, skip, forward, help_ = st.columns([1, 1, 1, 1])
    back.button(
        "Back",
        key="back",
        shortcut="left",
        icon=":material/arrow_back:",
        width="stretch",
        disabled=position == 0,
        on_click=_go_to,
        args=(position - 1,),
    )
    skip.button(
        "Skip",
        key="skip",
        shortcut="s",
        icon=":material/skip_next:",
        width="stretch",
        on_click=_on_skip,
        args=(user, article),
    )
    forward.button(
        "Next",
        key="next",
        shortcut="right",
        icon=":material/arrow_forward:",
        icon_position="right",
        width="stretch",
        on_click=_go_to,
        args=(position + 1,),
    )
    with help_.popover("Definitions", icon=":material/help:", width="stretch"):
        components.definitions(scheme, ss.get(state.GUIDELINES, ""))


def _date_bound_value(article: ArticleInfo) -> bool:
    """The date-bound switch for the current sentence: the saved value, else the pending one."""
    sentence = article.body[ss[state.POSITION]]
    pending: dict[int, bool] = ss[state.DATE_BOUND]
    if sentence.id in pending:
        return pending[sentence.id]
    label = ss[state.LABELS].get(sentence.id)
    return bool(label and label.date_bound)


def _answer(article: ArticleInfo, claim_type: str | None, skipped: bool = False) -> LabelInput:
    """The answer for the current sentence from the widgets' current values."""
    sentence = article.body[ss[state.POSITION]]
    date_bound = _date_bound_value(article)
    as_of = ss.get(f"as_of_{sentence.id}", article.published) if date_bound else None
    return LabelInput(
        claim_type=claim_type,
        skipped=skipped,
        date_bound=date_bound,
        as_of=as_of if isinstance(as_of, dt.date) else None,
        note=ss.get(f"note_{sentence.id}", ""),
    )


def _save(user: UserInfo, article: ArticleInfo, answer: LabelInput) -> bool:
    """Store the answer for the current sentence; False (and a message) if it was refused."""
    sentence = article.body[ss[state.POSITION]]
    seconds = time.monotonic() - ss[state.SHOWN_AT]
    try:
        with db_session() as session:
            label, created = labelling.save_label(session, user, sentence.id, answer, seconds)
    except AnnotatorError as error:
        ss[state.FLASH] = f"Not saved: {error.located()}"
        ss[state.ACCOUNT_CHECK] = isinstance(error, PermissionDenied)
        return False
    ss[state.LABELS][sentence.id] = label
    ss[state.DATE_BOUND].pop(sentence.id, None)
    ss[state.DONE_OVERALL] += created
    ss[state.SHOWN_AT] = time.monotonic()
    return True


def _on_label(user: UserInfo, article: ArticleInfo, claim_type: str) -> None:
    if _save(user, article, _answer(article, claim_type)):
        _go_to(ss[state.POSITION] + 1)


def _on_skip(user: UserInfo, article: ArticleInfo) -> None:
    if _save(user, article, _answer(article, None, skipped=True)):
        _go_to(ss[state.POSITION] + 1)


def _on_toggle_date_bound(user: UserInfo, article: ArticleInfo) -> None:
    sentence = article.body[ss[state.POSITION]]
    ss[state.DATE_BOUND][sentence.id] = not _date_bound_value(article)
    label = ss[state.LABELS].get(sentence.id)
    if label is not None and label.claim_type is not None:
        _save(user, article, _answer(article, label.claim_type))


def _on_edit(user: UserInfo, article: ArticleInfo) -> None:
    """A note or as-of change on a labelled sentence is saved at once (and goes to history)."""
    sentence = article.body[ss[state.POSITION]]
    label = ss[state.LABELS].get(sentence.id)
    if label is not None:
        _save(user, article, _answer(article, label.claim_type, skipped=label.skipped))


def _summary(
    user: UserInfo, article: ArticleInfo, labels: dict[int, LabelInfo], scheme: Scheme
) -> None:
    """The article's end: what is left (or the way on), and a review table of its labels."""
    missing = [i for i, s in enumerate(article.body) if s.id not in labels]
    if missing:
        st.warning(f"{len(missing)} sentence(s) of this article are not labelled yet.")
        st.button(
            "Go to the first unlabelled sentence",
            key="first_unlabelled",
            type="primary",
            on_click=_go_to,
            args=(missing[0],),
        )
    else:
        st.success("Article finished: every body sentence is labelled or skipped.")
        if st.button(
            "Next article",
            key="next_article",
            type="primary",
            shortcut="enter",
            icon=":material/arrow_forward:",
        ):
            _next_article(user)
            st.rerun()
    st.button(
        "Back to the last sentence",
        key="back_to_last",
        shortcut="left",
        on_click=_go_to,
        args=(len(article.body) - 1,),
    )
    st.dataframe(_review_table(article, labels, scheme), hide_index=True, width="stretch")


def _review_table(
    article: ArticleInfo, labels: dict[int, LabelInfo], scheme: Scheme
) -> pd.DataFrame:
    body = article.body
    return pd.DataFrame(
        {
            "#": range(1, len(body) + 1),
            "sentence": [s.text for s in body],
            "label": [components.label_text(labels.get(s.id), scheme) for s in body],
            "note": [labels[s.id].note if s.id in labels else "" for s in body],
        }
    )


def _next_article(user: UserInfo) -> None:
    """Ask the next full run for the article after this one, with a fresh article list;
    when every listed article is done, first ask for one more article to be assigned."""
    current = ss[state.ARTICLE_ID]
    if all(a.finished or a.id == current for a in ss[state.ARTICLES]):
        claim_article(user)
    ss[state.NEXT_AFTER] = current
    ss.pop(state.ARTICLES, None)
    ss.pop(state.ARTICLE, None)


def claim_article(user: UserInfo) -> int | None:
    """One more article for an annotator of an assigned project (None if none is left or
    the project does not assign work to this user)."""
    try:
        with db_session() as session:
            return assignment.claim_next(session, user, ss[state.PROJECT])
    except PermissionDenied:
        return None


def next_unfinished(articles: list[ArticleSummary], after: int) -> int:
    """The first unfinished article after `after` (wrapping round), else `after` itself."""
    unfinished = [a.id for a in articles if not a.finished]
    later = [i for i in unfinished if i > after]
    return (later or unfinished or [after])[0]


def resume_article(articles: list[ArticleSummary], last: int | None) -> int:
    """Where a returning annotator continues: the article of their latest label while it is
    unfinished, else the next unfinished one, else the first article."""
    by_id = {a.id: a for a in articles}
    if last in by_id and not by_id[last].finished:
        return last
    chosen = next_unfinished(articles, last if last is not None else -1)
    return chosen if chosen in by_id else articles[0].id

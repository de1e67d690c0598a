"""The annotate page: one article at a time, one body sentence at a time, saved on each key.

The article, its sentences and the user's labels are loaded once per article into session
state and handed to the annotate panel (`annotator/ui/panel.py`), which shows the next
sentence at once on a key; each answer then costs one small write and a fragment rerun,
whatever the size of the database.
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from annotator import navigation
from annotator.config import DEFAULT_PROJECT, load_settings
from annotator.date_bound import Suggestion, suggest
from annotator.errors import AnnotatorError, InvalidInput, PermissionDenied, StaleLabel
from annotator.scheme import Scheme
from annotator.services import assignment, labelling, modelling
from annotator.services.labelling import LabelInput, ShownSuggestion
from annotator.services.projects import get_project, project_scheme
from annotator.services.records import (
    ArticleInfo,
    ArticleSummary,
    LabelInfo,
    SentenceInfo,
    UserInfo,
)
from annotator.temporal import Span, temporal_spans
from annotator.ui import components, keys, review, state
from annotator.ui import panel as annotate_panel
from annotator.ui.keys import PageKeys
from annotator.ui.messages import reported, show_flash
from annotator.ui.resources import db_session
from annotator.wording import counted

ss = st.session_state
PICKER_BEFORE = 20  # articles listed in the sidebar before the current one
PICKER_AFTER = 30  # ... and from the current one on
NOT_SAVED = "Not saved: "
RETRAIN_CHECK_EVERY = 10  # new labels of this tab between checks for a due retraining
SUGGESTED_ICON = ":material/auto_awesome:"  # marks the button of the model's suggestion


def show() -> None:
    """Render the whole page for the logged-in user."""
    user = state.require_user()
    project = ss.setdefault(state.PROJECT, DEFAULT_PROJECT)
    page = state.annotate_state()
    articles = _articles(page, user, project)
    if not articles:
        st.info("You have no articles to label in this project yet.")
        if st.button("Ask for an article", type="primary", key="claim"):
            if claim_article(user) is None:
                st.warning("No article is waiting for an annotator. Ask your lead.")
            else:
                page.articles = None
                st.rerun()
        return
    _article_picker(page, user, project, articles)
    _load_article(page, user, project)
    with db_session() as session:
        info = get_project(session, project)
        scheme = project_scheme(session, project)
        page.work_total = labelling.work_size(session, user, project)
    page.guidelines = info.guidelines
    page_keys = keys.page_keys(scheme)
    with st.sidebar:
        keys.install()
        _why_no_suggestions()
        _keys_help(page, scheme, page_keys)
    components.article_header(state.article_work().article)
    panel(user, scheme, page_keys)


def _keys_help(page: state.AnnotateState, scheme: Scheme, page_keys: PageKeys) -> None:
    """Every key, the label definitions and the guidelines, in the sidebar (`?` opens it):
    beside the sentence, never over it. Outside the panel fragment, so a label does not send
    it again (it changes only with the project, on a full run)."""
    with st.expander("Keys and definitions · ?", icon=":material/keyboard:", key=keys.HELP_BOX):
        components.definitions(scheme, page.guidelines, keys.key_rows(scheme, page_keys))


def _articles(page: state.AnnotateState, user: UserInfo, project: str) -> list[ArticleSummary]:
    if page.articles is None:
        with db_session() as session:
            page.articles = labelling.article_list(session, user, project)
        page.article_positions = {a.id: i for i, a in enumerate(page.articles)}
    return page.articles


def _article_picker(
    page: state.AnnotateState, user: UserInfo, project: str, articles: list[ArticleSummary]
) -> None:
    """Choose the article: the requested next one, else where the user left off; the sidebar
    lists a window of articles around it, so the page stays small with thousands of them."""
    positions = page.article_positions
    after, page.next_after = page.next_after, None
    if after is not None:
        ss[state.ARTICLE_ID] = navigation.next_unfinished(articles, after)
    elif ss.get(state.ARTICLE_ID) not in positions:
        with db_session() as session:
            last = labelling.last_labelled_article(session, user, project)
        ss[state.ARTICLE_ID] = navigation.resume_article(articles, last)
    window = navigation.article_window(
        len(articles), positions[ss[state.ARTICLE_ID]], PICKER_BEFORE, PICKER_AFTER
    )
    titles = {articles[i].id: f"{i + 1}. {articles[i].title}" for i in window}
    with st.sidebar:
        st.selectbox(
            f"Article ({len(articles):,} in all)",
            options=list(titles),
            format_func=titles.__getitem__,
            key=state.ARTICLE_ID,
        )


def _load_article(page: state.AnnotateState, user: UserInfo, project: str) -> None:
    """Open the chosen article (unless it is open already) at its first unlabelled sentence."""
    if page.work is not None and page.work.article.id == ss[state.ARTICLE_ID]:
        return
    with db_session() as session:
        article = labelling.load_article(session, user, ss[state.ARTICLE_ID])
        labels = labelling.article_labels(session, user, article.id)
        done_overall = labelling.done_count(session, user, project)
        body = [(s.id, s.text) for s in article.body]
        suggestions = modelling.article_suggestions(session, project, body)
    page.work = state.ArticleWork(article, labels, done_overall, suggestions=suggestions)
    page.work.go_to(navigation.first_unlabelled(_ids(article), labels))


def _ids(article: ArticleInfo) -> list[int]:
    """The ids of the article's body sentences, in order."""
    return [s.id for s in article.body]


def _go_to(position: int) -> None:
    state.article_work().jump_to(position)


@st.fragment
def panel(user: UserInfo, scheme: Scheme, page_keys: PageKeys) -> None:
    """The annotate panel (a component that moves on at once on a key), and below it, once
    the annotator reaches the article's end, the summary.

    A key reruns only this fragment, and only to save: the panel draws the next sentence
    itself. An answer is acknowledged in the panel's next `data`.
    """
    if state.live_user() is None:  # a fragment run skips app.py's gate: check here too
        st.rerun(scope="app")  # the tab is logged out: the gate shows the login page
    page = state.annotate_state()
    work = state.article_work()
    annotate_panel.mount(
        _panel_data(page, work, scheme, page_keys),
        functools.partial(_on_answers, user, scheme),
        _on_position,
    )
    show_flash(state.FLASH)
    if work.position >= len(work.article.body):
        _summary(user, work.article, work.labels, scheme, page_keys)


def _panel_data(
    page: state.AnnotateState, work: state.ArticleWork, scheme: Scheme, page_keys: PageKeys
) -> dict[str, Any]:
    """What the panel holds: the article, the labels, the scheme and keys, where to stand,
    and the acknowledgements of the latest answers."""
    article = work.article
    if work.panel_article is None:
        work.panel_article = {
            "sentences": annotate_panel.article_json(article),
            "body": [_body_sentence(scheme, article, s) for s in article.body],
        }
    return {
        "article": article.id,
        **work.panel_article,
        "labels": {str(i): annotate_panel.label_json(label) for i, label in work.labels.items()},
        "scheme": annotate_panel.scheme_json(scheme),
        "keys": annotate_panel.key_map(page_keys),
        "position": work.position,
        "jump": work.jump,
        "done_overall": work.done_overall,
        "work_total": page.work_total,
        "acks": {str(seq): ack for seq, ack in work.acks.items()},
    }


def _body_sentence(scheme: Scheme, article: ArticleInfo, sentence: SentenceInfo) -> dict[str, Any]:
    spans, suggestion = _spans(article, sentence)
    return annotate_panel.sentence_json(
        article, sentence, _pieces(sentence.text, spans), suggestion, _shown(scheme, sentence.id)
    )


def _pieces(text: str, spans: tuple[Span, ...]) -> list[tuple[str, str | None]]:
    """The sentence cut at its temporal expressions: (text, None) between them, and (text,
    the date it resolves to) for each."""
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for start, end, day in spans:
        pieces.append((text[at:start], None))
        pieces.append((text[start:end], day.isoformat() if day else "no calendar date"))
        at = end
    pieces.append((text[at:], None))
    return [piece for piece in pieces if piece[0]]


def _shown(scheme: Scheme, sentence_id: int) -> ShownSuggestion | None:
    """The model's suggestion the page shows for the sentence, as a label records it."""
    view = state.article_work().suggestions
    found = None if view is None or view.mode == "off" else view.for_sentence(sentence_id)
    if view is None or found is None or found[0] not in scheme.values:
        return None
    return ShownSuggestion(found[0], round(found[1], 4), view.model or "", view.mode)


def _why_no_suggestions() -> None:
    """In the sidebar: why the model suggests nothing, when the project wants suggestions."""
    view = state.article_work().suggestions
    if view is not None and view.mode != "off" and view.answers is None:
        st.caption(f"{SUGGESTED_ICON} {view.why_none}")


def _spans(article: ArticleInfo, sentence: SentenceInfo) -> tuple[tuple[Span, ...], Suggestion]:
    """The sentence's temporal expressions (highlighted) and the date-bound suggestion
    (reference: the article's publication date)."""
    spans = tuple(temporal_spans(sentence.text, article.published))
    return spans, suggest(sentence.text, article.published)


@state.while_signed_in
def _on_answers(user: UserInfo, scheme: Scheme) -> None:
    """Save the answers the panel sent that this tab has not acknowledged yet, in order."""
    work = state.article_work()
    value = ss[annotate_panel.KEY][annotate_panel.ANSWERS]
    try:
        tab, events = annotate_panel.read_answers(value)
    except InvalidInput:
        return
    for raw in events:
        seq = raw.get("seq") if isinstance(raw, dict) else None
        if not isinstance(seq, int):
            continue  # an answer without its number cannot be acknowledged: the panel sends none
        known = work.acks.get(seq)
        if known is None or known["tab"] != tab:
            work.acks[seq] = _saved(user, scheme, tab, raw)
    for old in sorted(work.acks)[: -annotate_panel.ACKS_KEPT]:
        del work.acks[old]
    _stand(value.get("position"))  # the move after the answer travels with it


def _saved(user: UserInfo, scheme: Scheme, tab: str, raw: object) -> dict[str, str]:
    """Save one answer of the panel: its acknowledgement, `saved` or `refused` and why."""
    work = state.article_work()
    try:
        answer = annotate_panel.read_answer(tab, raw)
        with db_session() as session:
            label, created = labelling.save_label(
                session,
                user,
                answer.sentence_id,
                answer.answer,
                answer.seconds,
                seen=answer.seen,
                shown=_shown(scheme, answer.sentence_id),
                event=answer.event,
            )
    except AnnotatorError as error:
        if isinstance(error, StaleLabel):
            _reload_labels(user, work)
        return {"tab": tab, "state": "refused", "message": str(error)}
    if any(s.id == label.sentence_id for s in work.article.body):
        work.labels[label.sentence_id] = label
    work.done_overall += created
    if created and work.done_overall % RETRAIN_CHECK_EVERY == 0:
        _retrain_if_due()
    return {"tab": tab, "state": "saved", "message": ""}


def _on_position() -> None:
    """The panel moved (it draws the move itself): the next run shows the summary or not."""
    _stand(ss[annotate_panel.KEY][annotate_panel.POSITION])


def _stand(value: object) -> None:
    """Where the panel says it stands now, if it is this article and a body position."""
    work = state.article_work()
    if isinstance(value, dict) and value.get("article") == work.article.id:
        position = value.get("position")
        if isinstance(position, int) and 0 <= position <= len(work.article.body):
            work.go_to(position)


def _save(user: UserInfo, sentence: SentenceInfo, answer: LabelInput) -> bool:
    """Store an answer changed in the review table (which shows no suggestion); False (and
    a message) if it was refused."""
    work = state.article_work()
    on_page = work.labels.get(sentence.id)
    seen = None if on_page is None else on_page.updated_at
    with reported(state.FLASH, prefix=NOT_SAVED) as attempt, db_session() as session:
        label, created = labelling.save_label(session, user, sentence.id, answer, 0.0, seen=seen)
    if attempt.failed:
        if isinstance(attempt.error, StaleLabel):
            _reload_labels(user, work)
        return False
    work.labels[sentence.id] = label
    work.done_overall += created
    return True


def _retrain_if_due() -> None:
    """Start the project's automatic retraining in the background when it is due (checked
    every few new labels, so a key never waits for the check, let alone the training)."""
    project = ss[state.PROJECT]
    with db_session() as session:
        info = get_project(session, project)
        due = modelling.retrain_due(session, info.id)
    if due:
        modelling.retrain_in_background(load_settings().database_url, project, info.id)


def _reload_labels(user: UserInfo, work: state.ArticleWork) -> None:
    """Show the article's labels as stored now (after another tab changed one of them)."""
    with db_session() as session:
        work.labels = labelling.article_labels(session, user, work.article.id)


def _summary(
    user: UserInfo,
    article: ArticleInfo,
    labels: dict[int, LabelInfo],
    scheme: Scheme,
    page_keys: PageKeys,
) -> None:
    """The article's end: what is left (or the way on), and the review table of its labels,
    where any of them can be changed."""
    missing = navigation.unlabelled_positions(_ids(article), labels)
    if missing:
        st.warning(f"{counted(len(missing), 'sentence')} of this article not labelled yet.")
        st.button(
            "Go to the first unlabelled sentence",
            key="first_unlabelled",
            type="primary",
            on_click=_go_to,
            args=(missing[0],),
        )
    else:
        st.success("Article finished: every body sentence is labelled or skipped.")
        if _all_done(user, article):
            st.success(
                "All done: every article you have in this project is labelled, and none is "
                "waiting. Ask your lead for more."
            )
        elif st.button(
            "Next article",
            key="next_article",
            type="primary",
            shortcut=keys.NEXT_ARTICLE,
            icon=":material/arrow_forward:",
        ):
            _next_article(user)
            st.rerun()
    st.button(
        "Back to the last sentence",
        key="back_to_last",
        on_click=_go_to,
        args=(len(article.body) - 1,),
    )
    st.caption("Fix any label in the table: each change is saved at once, with its history.")
    review.review_editor(article, labels, scheme, lambda s, a: _save(user, s, a))


def _all_done(user: UserInfo, article: ArticleInfo) -> bool:
    """Whether the user has nothing left in the project: every listed article is finished
    and none is left to claim. Asked once per opened article (after a reload too), so the
    summary says so at once instead of offering a next article there is none of."""
    page = state.annotate_state()
    work = state.article_work()
    if page.all_done or work.asked_for_more:
        return page.all_done
    work.asked_for_more = True
    if navigation.wants_another_article(page.articles or [], article.id):
        with db_session() as session:
            page.all_done = not assignment.can_claim(session, user, ss[state.PROJECT])
    return page.all_done


def _next_article(user: UserInfo) -> None:
    """Ask the next full run for the article after this one, with a fresh article list;
    when every listed article is done, first ask for one more article to be assigned, and
    when there is none, mark the user's work in the project as all done."""
    page = state.annotate_state()
    current = ss[state.ARTICLE_ID]
    if navigation.wants_another_article(page.articles or [], current) and (
        claim_article(user) is None
    ):
        page.all_done = True  # the summary says so, instead of a button that does nothing
        return
    page.next_after = current
    page.articles = None
    page.work = None


def claim_article(user: UserInfo) -> int | None:
    """One more article for an annotator of an assigned project (None if none is left or
    the project does not assign work to this user)."""
    try:
        with db_session() as session:
            return assignment.claim_next(session, user, ss[state.PROJECT])
    except PermissionDenied:
        return None

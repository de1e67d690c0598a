"""The annotate page: one article at a time, one body sentence at a time, saved on each key.

The article, its sentences and the user's labels are loaded once per article into session
state; a label or a move then costs one small write and a fragment rerun, whatever the size
of the database.
"""

from __future__ import annotations

import time

import streamlit as st

from annotator import navigation
from annotator.config import DEFAULT_PROJECT, load_settings
from annotator.date_bound import Suggestion, suggest
from annotator.errors import PermissionDenied, StaleLabel
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
from annotator.ui.date_bound import DateBoundChoice, date_bound_choice, parse_as_of, switch_text
from annotator.ui.keys import PageKeys
from annotator.ui.messages import reported, show_flash
from annotator.ui.resources import db_session
from annotator.wording import counted

ss = st.session_state
PICKER_BEFORE = 20  # articles listed in the sidebar before the current one
PICKER_AFTER = 30  # ... and from the current one on
NOT_SAVED = "Not saved: "
DATE_BOUND_WIDTH = 260  # pixels: fits its longest text, so the as-of date never moves sideways
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
        keys.install(scheme, page_keys)
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
    state.article_work().go_to(position)


@st.fragment
def panel(user: UserInfo, scheme: Scheme, page_keys: PageKeys) -> None:
    """Progress, and either the current sentence or the article summary.

    This reruns on every key, and the browser's work grows with the number of elements it is
    sent, so the sentence view is kept to a few elements: rows are horizontal containers,
    not columns, and inputs are found by their own keys, not by wrapping containers.
    """
    if state.live_user() is None:  # a fragment run skips app.py's gate: check here too
        st.rerun(scope="app")  # the tab is logged out: the gate shows the login page
    page = state.annotate_state()
    work = state.article_work()
    article, labels, position = work.article, work.labels, work.position
    _progress(page, work)
    show_flash(state.FLASH)
    if position >= len(article.body):
        _summary(user, article, labels, scheme, page_keys)
    else:
        _sentence(user, scheme, article, position, page_keys)


def _progress(page: state.AnnotateState, work: state.ArticleWork) -> None:
    body = work.article.body
    done = sum(1 for s in body if s.id in work.labels)
    total = page.work_total
    position = min(work.position + 1, len(body))
    overall = f" · {work.done_overall:,} of {total:,} overall" if total else ""
    st.progress(
        done / len(body),
        text=f"Sentence {position} of {len(body)} · {done} of {len(body)} labelled in this "
        f"article{overall}",
    )


def _sentence(
    user: UserInfo, scheme: Scheme, article: ArticleInfo, position: int, page_keys: PageKeys
) -> None:
    sentence = article.body[position]
    labels = state.article_work().labels
    label = labels.get(sentence.id)
    if sentence.speaker:
        st.caption(f"Speaker: {components.literal(sentence.speaker)}")
    components.sentence_in_context(article, sentence, labels, _spans(article, sentence)[0])
    shown = _shown(scheme, sentence.id)
    _label_line(user, scheme, article, sentence, shown, label)
    row = st.container(horizontal=True)
    for claim_type in scheme.claim_types:
        chosen = label is not None and label.claim_type == claim_type.value
        suggested = shown if shown is not None and shown.answer == claim_type.value else None
        text = components.literal(claim_type.label)
        row.button(
            f"{text} · {suggested.confidence:.0%}" if suggested else text,
            key=f"type_{claim_type.value}_{sentence.id}",
            shortcut=claim_type.key,
            type="primary" if chosen else "secondary",
            icon=SUGGESTED_ICON if suggested else None,
            help=_suggested_by(suggested) if suggested else None,
            width="stretch",
            on_click=_on_label,
            args=(user, scheme, article, sentence.id, claim_type.value),
        )
    _date_bound_controls(user, scheme, article, page_keys)
    note_key = f"{keys.NOTE_PREFIX}{sentence.id}"
    st.text_input(
        f"Note · {keys.key_name(page_keys.note)} (also the reason when you skip)",
        value=_typed(note_key, label.note if label else ""),
        key=note_key,
        on_change=_on_edit,
        args=(user, scheme, article, sentence.id, note_key),
    )
    _navigation(user, scheme, article, position, page_keys)


def _shown(scheme: Scheme, sentence_id: int) -> ShownSuggestion | None:
    """The model's suggestion the page shows for the sentence, as a label records it."""
    view = state.article_work().suggestions
    found = None if view is None or view.mode == "off" else view.for_sentence(sentence_id)
    if view is None or found is None or found[0] not in scheme.values:
        return None
    return ShownSuggestion(found[0], round(found[1], 4), view.model or "", view.mode)


def _label_line(
    user: UserInfo,
    scheme: Scheme,
    article: ArticleInfo,
    sentence: SentenceInfo,
    shown: ShownSuggestion | None,
    label: LabelInfo | None,
) -> None:
    """The annotator's label and the acknowledgement of the last save; when the project
    preselects suggestions and the sentence has no label yet, an Accept button beside them
    that `Enter` presses."""
    text = f"Your label: {components.literal(components.label_text(label, scheme))}"
    text += _saved_note(article, sentence, scheme)
    if shown is None or shown.mode != "preselected" or label is not None:
        st.caption(text)
        return
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    row.caption(text, width="stretch")
    name = components.literal(scheme.claim_type(shown.answer).label)
    row.button(
        f"Accept {name}",
        key=f"accept_{sentence.id}",
        shortcut=keys.ACCEPT,
        type="tertiary",
        icon=SUGGESTED_ICON,
        help=_suggested_by(shown),
        on_click=_on_label,
        args=(user, scheme, article, sentence.id, shown.answer),
    )


def _suggested_by(shown: ShownSuggestion) -> str:
    return f"Suggested by model {shown.model}, {shown.confidence:.0%} sure"


def _why_no_suggestions() -> None:
    """In the sidebar: why the model suggests nothing, when the project wants suggestions."""
    view = state.article_work().suggestions
    if view is not None and view.mode != "off" and view.answers is None:
        st.caption(f"{SUGGESTED_ICON} {view.why_none}")


def _saved_note(article: ArticleInfo, sentence: SentenceInfo, scheme: Scheme) -> str:
    """The acknowledgement of the last answer saved from this page, while another sentence
    is on screen: which sentence, what was stored, and how to change it."""
    work = state.article_work()
    saved = work.last_saved
    if saved is None or saved == sentence.id or saved not in work.labels:
        return ""
    number = next(i for i, s in enumerate(article.body, start=1) if s.id == saved)
    text = components.literal(components.label_text(work.labels[saved], scheme))
    return f" · ✓ sentence {number} saved as {text} (← to change it)"


def _spans(article: ArticleInfo, sentence: SentenceInfo) -> tuple[tuple[Span, ...], Suggestion]:
    """The sentence's temporal expressions (highlighted) and the date-bound suggestion, worked
    out once per sentence (reference: the article's publication date)."""
    cache = state.article_work().temporal
    if sentence.id not in cache:
        spans = tuple(temporal_spans(sentence.text, article.published))
        cache[sentence.id] = (spans, suggest(sentence.text, article.published))
    return cache[sentence.id]


def _date_bound_controls(
    user: UserInfo, scheme: Scheme, article: ArticleInfo, page_keys: PageKeys
) -> None:
    """The switch and the as-of date, always both on the page (the date greyed out while the
    switch is off), so that nothing below them moves when the switch flips."""
    if scheme.date_bound_applies_to is None:  # no date-bound field: no button, `d` does nothing
        return
    choice = _date_bound_choice(scheme, article)
    sentence = _current(article)
    row = st.container(horizontal=True, vertical_alignment="bottom")
    row.button(
        switch_text(choice),
        key=f"date_bound_{sentence.id}",
        shortcut=keys.DATE_BOUND,
        icon=":material/event:" if choice.on else ":material/event_busy:",
        width=DATE_BOUND_WIDTH,
        on_click=_on_toggle_date_bound,
        args=(user, scheme, article, sentence.id),
    )
    as_of_key = f"{keys.AS_OF_PREFIX}{sentence.id}"
    row.text_input(
        f"As of · {keys.key_name(page_keys.as_of)}",
        value=_typed(as_of_key, choice.as_of.isoformat() if choice.as_of else ""),
        key=as_of_key,
        placeholder="YYYY-MM-DD",
        max_chars=10,
        disabled=not choice.on,
        on_change=_on_edit,
        args=(user, scheme, article, sentence.id, as_of_key),
    )


def _navigation(
    user: UserInfo, scheme: Scheme, article: ArticleInfo, position: int, page_keys: PageKeys
) -> None:
    row = st.container(horizontal=True)
    row.button(
        "Back",
        key="back",
        shortcut=keys.BACK,
        icon=":material/arrow_back:",
        width="stretch",
        disabled=position == 0,
        on_click=_go_to,
        args=(position - 1,),
    )
    row.button(
        "Skip",
        key=f"skip_{article.body[position].id}",
        shortcut=keys.SKIP,
        icon=":material/skip_next:",
        width="stretch",
        on_click=_on_skip,
        args=(user, scheme, article, article.body[position].id),
    )
    row.button(
        "Next",
        key="next",
        shortcut=keys.NEXT,
        icon=":material/arrow_forward:",
        icon_position="right",
        width="stretch",
        on_click=_go_to,
        args=(position + 1,),
    )
    row.button(
        "Unlabelled",
        key="first_unlabelled",
        shortcut=page_keys.unlabelled,
        icon=":material/first_page:",
        width="stretch",
        help="The first unlabelled sentence of this article",
        on_click=_go_to,
        args=(navigation.first_unlabelled(_ids(article), state.article_work().labels),),
    )


def _date_bound_choice(scheme: Scheme, article: ArticleInfo) -> DateBoundChoice:
    """The date-bound switch for the current sentence: pending, saved, else suggested."""
    work = state.article_work()
    sentence = _current(article)
    return date_bound_choice(
        work.labels.get(sentence.id),
        work.pending_date_bound.get(sentence.id),
        scheme.date_bound_applies_to,
        _spans(article, sentence)[1],
    )


def _answer(
    scheme: Scheme, article: ArticleInfo, claim_type: str | None, skipped: bool
) -> LabelInput:
    """The answer for the current sentence as the page shows it: the switch's value (a
    suggestion included), the as-of date as typed, the note. InvalidInput for a bad date."""
    sentence = _current(article)
    label = state.article_work().labels.get(sentence.id)
    note = _typed(f"{keys.NOTE_PREFIX}{sentence.id}", label.note if label else "")
    if skipped:
        return LabelInput(None, skipped=True, note=note)
    choice = _date_bound_choice(scheme, article)
    if not choice.on:
        return LabelInput(claim_type, date_bound=False, note=note)
    typed = _typed(f"{keys.AS_OF_PREFIX}{sentence.id}", "")
    as_of = parse_as_of(typed) if typed else choice.as_of
    return LabelInput(claim_type, date_bound=True, as_of=as_of, note=note)


def _submit(
    user: UserInfo, scheme: Scheme, article: ArticleInfo, claim_type: str | None, skipped: bool
) -> bool:
    """Save the current sentence's answer as the page shows it; False if it was refused."""
    with reported(state.FLASH, prefix=NOT_SAVED) as attempt:
        answer = _answer(scheme, article, claim_type, skipped)
    sentence = _current(article)
    shown = _shown(scheme, sentence.id)
    return not attempt.failed and _save(user, sentence, answer, shown)


def _save(
    user: UserInfo, sentence: SentenceInfo, answer: LabelInput, shown: ShownSuggestion | None = None
) -> bool:
    """Store the answer for a sentence, with the suggestion the page showed beside it (None
    from the review table, which shows none); False (and a message) if it was refused. The
    time since the sentence was shown counts only for the current sentence."""
    work = state.article_work()
    body = work.article.body
    current = body[work.position] if work.position < len(body) else None
    seconds = time.monotonic() - work.shown_at if sentence == current else 0.0
    on_page = work.labels.get(sentence.id)
    seen = None if on_page is None else on_page.updated_at
    with reported(state.FLASH, prefix=NOT_SAVED) as attempt, db_session() as session:
        label, created = labelling.save_label(
            session, user, sentence.id, answer, seconds, seen=seen, shown=shown
        )
    if attempt.failed:
        if isinstance(attempt.error, StaleLabel):
            _reload_labels(user, work)
        return False
    work.labels[sentence.id] = label
    work.last_saved = sentence.id
    work.pending_date_bound.pop(sentence.id, None)
    for key in (f"{keys.NOTE_PREFIX}{sentence.id}", f"{keys.AS_OF_PREFIX}{sentence.id}"):
        work.typed.pop(key, None)
    work.done_overall += created
    work.shown_at = time.monotonic()
    if created and work.done_overall % RETRAIN_CHECK_EVERY == 0:
        _retrain_if_due()
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


def _current(article: ArticleInfo) -> SentenceInfo:
    return article.body[state.article_work().position]


def _on_screen(article: ArticleInfo, sentence_id: int) -> bool:
    """Whether the sentence a key or button was pressed for is still the one on screen: a
    second press that reached the server after the first moved on applies to nothing."""
    work = state.article_work()
    return work.article.id == article.id and _current(article).id == sentence_id


def _typed(key: str, saved: str) -> str:
    """What the input under `key` holds: typed there (kept even while the input is off the
    page, until it is saved), else the saved value."""
    value = ss.get(key, state.article_work().typed.get(key, saved))
    return value if isinstance(value, str) else saved


@state.while_signed_in
def _on_label(
    user: UserInfo, scheme: Scheme, article: ArticleInfo, sentence_id: int, claim_type: str
) -> None:
    if _on_screen(article, sentence_id) and _submit(
        user, scheme, article, claim_type, skipped=False
    ):
        _move_on(article)


@state.while_signed_in
def _on_skip(user: UserInfo, scheme: Scheme, article: ArticleInfo, sentence_id: int) -> None:
    if _on_screen(article, sentence_id) and _submit(user, scheme, article, None, skipped=True):
        _move_on(article)


def _move_on(article: ArticleInfo) -> None:
    """After an answer: the next unlabelled sentence, else the article's summary."""
    work = state.article_work()
    _go_to(navigation.after_answer(_ids(article), work.labels, work.position))


@state.while_signed_in
def _on_toggle_date_bound(
    user: UserInfo, scheme: Scheme, article: ArticleInfo, sentence_id: int
) -> None:
    if not _on_screen(article, sentence_id):
        return
    work = state.article_work()
    work.pending_date_bound[sentence_id] = not _date_bound_choice(scheme, article).on
    label = work.labels.get(sentence_id)
    if label is not None and label.claim_type is not None:
        _submit(user, scheme, article, label.claim_type, skipped=False)


@state.while_signed_in
def _on_edit(
    user: UserInfo, scheme: Scheme, article: ArticleInfo, sentence_id: int, key: str
) -> None:
    """Keep what was typed with its sentence; on a labelled sentence, save it at once (it
    goes to history)."""
    work = state.article_work()
    work.typed[key] = ss[key]
    label = work.labels.get(sentence_id)
    if label is not None and _on_screen(article, sentence_id):
        _submit(user, scheme, article, label.claim_type, skipped=label.skipped)


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
            shortcut=page_keys.unlabelled,
            on_click=_go_to,
            args=(missing[0],),
        )
    elif state.annotate_state().all_done:
        st.success(
            "All done: every article you have in this project is labelled, and none is "
            "waiting. Ask your lead for more."
        )
    else:
        st.success("Article finished: every body sentence is labelled or skipped.")
        if st.button(
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
        shortcut=keys.BACK,
        on_click=_go_to,
        args=(len(article.body) - 1,),
    )
    st.caption("Fix any label in the table: each change is saved at once, with its history.")
    review.review_editor(article, labels, scheme, lambda s, a: _save(user, s, a))


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

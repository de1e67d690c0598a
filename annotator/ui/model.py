"""The model page (leads and admins): how the annotate page uses the project's model, a
button that trains a new version in the background, and every version's held-out figures.
A refused change stores nothing and says why under the form."""

import pandas as pd
import streamlit as st

from annotator.config import load_settings
from annotator.services import modelling
from annotator.services.projects import check_lead
from annotator.services.records import UserInfo
from annotator.ui import state
from annotator.ui.messages import flash, reported, show_flash
from annotator.ui.resources import db_session

FLASH = "model_flash"
MODE, EVERY, ORDER = "model_mode", "model_retrain_every", "model_order"
MODE_TEXT = {
    "off": "Off",
    "shown": "Shown: the answer and its confidence on its button",
    "preselected": "Preselected: also an Accept button that Enter presses",
}
ORDER_TEXT = {
    "import": "Import order",
    "uncertain": "The model's least sure first",
}


def show() -> None:
    """The project's suggestion settings, a Train button and its models."""
    user = state.require_user()
    project = state.current_project()
    st.title("Model")
    with reported() as attempt, db_session() as session:
        stored = modelling.models(session, user, project)
        chosen = modelling.settings(session, project)
    if attempt.failed:
        return
    st.caption(
        "A model learns the claim type (and date-bound) from this project's gold and single "
        "labels. The newest 20% of gold is held out to test it; the annotate page shows its "
        "suggestions only while it beats always giving the commonest answer there. Every "
        "label records the suggestion its annotator was shown. A check-worthiness model "
        "learns from the claims checked and set aside, and orders the fact-check queue once "
        "it beats its baseline on the newest 20% of those decisions."
    )
    _settings_form(user, project, chosen)
    st.caption(f"Now: {chosen.describe()}.")
    _train_button(user, project)
    show_flash(FLASH)
    _versions(stored)


def _settings_form(user: UserInfo, project: str, chosen: modelling.SuggestionSettings) -> None:
    with st.form("model_settings", border=False):
        st.radio(
            "Suggestions on the annotate page",
            modelling.SUGGESTION_MODES,
            index=modelling.SUGGESTION_MODES.index(chosen.mode),
            format_func=MODE_TEXT.__getitem__,
            key=MODE,
            help="Off by default where several annotators label each sentence: suggestions "
            "could sway the agreement the project measures.",
        )
        st.number_input(
            "Retrain after this many new labels (0: only with the Train button)",
            min_value=0,
            max_value=modelling.MAX_RETRAIN_EVERY,
            value=chosen.retrain_every,
            step=50,
            key=EVERY,
        )
        st.radio(
            "Articles handed out (Assign work, and one more article)",
            modelling.ARTICLE_ORDERS,
            index=modelling.ARTICLE_ORDERS.index(chosen.order),
            format_func=ORDER_TEXT.__getitem__,
            key=ORDER,
            help="Least sure first: the articles whose sentences the model is least sure of, "
            "so every label teaches it the most. It takes effect with the next model trained "
            "that beats its baseline, which scores the articles.",
        )
        st.form_submit_button("Save settings", on_click=_save_settings, args=(user, project))


@state.while_signed_in
def _save_settings(user: UserInfo, project: str) -> None:
    mode, every = str(st.session_state[MODE]), int(st.session_state[EVERY])
    order = str(st.session_state[ORDER])
    with reported(FLASH, prefix="Not saved: ") as attempt, db_session() as session:
        now = modelling.set_settings(
            session, user, project, mode=mode, retrain_every=every, order=order
        )
    if not attempt.failed:
        flash(FLASH, "success", f"Saved: {now.describe()}.")


def _train_button(user: UserInfo, project: str) -> None:
    st.button(
        "Train a new version now",
        key="train_model",
        icon=":material/model_training:",
        on_click=_train,
        args=(user, project),
        help="Trains in the background: annotators go on labelling meanwhile.",
    )


@state.while_signed_in
def _train(user: UserInfo, project: str) -> None:
    with reported(FLASH, prefix="Not started: ") as attempt, db_session() as session:
        info = check_lead(session, user, project)
    if attempt.failed:
        return
    started = modelling.retrain_in_background(load_settings().database_url, project, info.id)
    if started is None:
        flash(FLASH, "info", "A training of this project is already running.")
    else:
        flash(FLASH, "success", "Training started: reload the page in a minute to see it.")


def _versions(stored: list[modelling.ModelInfo]) -> None:
    st.subheader("Versions")
    if not stored:
        st.caption("No model yet.")
        return
    rows = []
    for info in stored:
        figures = info.figures
        rows.append(
            {
                "model": info.name,
                "trained": info.trained_at,
                "trained on": info.n_train,
                "held out": info.n_heldout,
                "accuracy": figures.get("accuracy"),
                "majority baseline": figures.get("majority_baseline"),
                "macro-F1": figures.get("macro_f1"),
                "kappa": figures.get("kappa"),
                "calibration error": figures.get("ece"),
                "used": info.beats_baseline,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

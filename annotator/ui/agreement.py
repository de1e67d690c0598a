"""The agreement page (leads and admins): how far the annotators agree, per field, and where
they don't."""

import altair as alt
import pandas as pd
import streamlit as st

from annotator.agreement import Agreement, describe
from annotator.scheme import Scheme
from annotator.services import adjudication, provenance, reliability
from annotator.services.projects import project_scheme
from annotator.services.provenance import AgainstGold, SuggestionReport, SuggestionUse
from annotator.services.records import DisputeSummary, UserInfo
from annotator.services.reliability import AgreementReport
from annotator.ui import state
from annotator.ui.components import literal
from annotator.ui.messages import reported
from annotator.ui.resources import db_session
from annotator.wording import counted

ALL_PAIRS = "All annotators (pooled pairs)"
DECIMALS = {
    name: st.column_config.NumberColumn(format="%.3f") for name in ("Cohen's κ", "agreement")
}
DISPUTED_SHOWN = 10
FIELD_NAMES = {"claim_type": "Claim type", "date_bound": "Date-bound"}
DATE_BOUND_VALUES = {"true": "date-bound", "false": "not date-bound"}
WHITE_TEXT_FROM = 0.75  # of the top count: darker cells than this get white numbers, the rest
# black (the "blues" colours past three quarters are dark enough that white reads better)
ADJUDICATE_PAGE = "annotator/ui/pages/adjudicate.py"
RECOMPUTE = "agreement_recompute"  # the field whose figures the lead asked to recompute
READING = (
    "Reading the numbers: κ and α near 1 mean the annotators agree far beyond chance, 0 no "
    "better than chance. Krippendorff: α ≥ 0.8 is reliable, 0.667–0.8 only for tentative "
    "conclusions. The words are Landis & Koch's bands."
)
MODE_NAMES = {"all": "All", "shown": "Shown", "preselected": "Preselected"}
MODEL_DECIMALS = {
    name: st.column_config.NumberColumn(format="%.3f")
    for name in ("Cohen's κ", "accuracy", "majority baseline")
}


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _coefficients(result: Agreement) -> None:
    alpha, ci = result.krippendorff_alpha, result.alpha_ci95
    columns = st.columns(3)
    columns[0].metric("Observed agreement", _figure(result.observed_agreement))
    columns[1].metric("Krippendorff's α", _figure(alpha), describe(alpha), delta_color="off",
                      delta_arrow="off")  # fmt: skip
    columns[2].metric("Fleiss' κ", _figure(result.fleiss_kappa), describe(result.fleiss_kappa),
                      delta_color="off", delta_arrow="off")  # fmt: skip
    interval = f"95% interval for α: {_figure(ci[0])} to {_figure(ci[1])} (bootstrap)" if ci else ""
    st.caption(
        f"{counted(result.n_items, 'sentence')} with two or more answers, "
        f"{counted(result.n_annotators, 'annotator')}. {interval}"
    )


def _pairs(result: Agreement) -> None:
    if not result.cohen_kappa:
        return
    rows = [
        {"annotator": p.a, "other": p.b, "Cohen's κ": p.kappa, "sentences": p.n,
         "reading": describe(p.kappa)}
        for p in result.cohen_kappa
    ]  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config=DECIMALS)


def _heat_map(report: AgreementReport, scheme: Scheme) -> None:
    found = report.figures
    pairs = [ALL_PAIRS] + [f"{a} vs {b}" for a, b in found.pairs]
    choice = st.selectbox("Confusion matrix", pairs, key=f"pair_{report.field}")
    if choice == ALL_PAIRS:
        matrix = found.coincidences
        rows_title, columns_title = "one annotator", "another annotator"
    else:
        a, b = choice.split(" vs ")
        matrix = found.pairs[(a, b)]
        rows_title, columns_title = a, b
    names = _value_names(report.field, scheme)
    matrix = matrix.rename(index=names, columns=names)
    cells = matrix.rename_axis(index="row", columns="column").stack().reset_index(name="count")
    base = alt.Chart(cells).encode(
        x=alt.X(
            "column:N", title=columns_title, sort=list(matrix.columns), axis=alt.Axis(labelAngle=0)
        ),
        y=alt.Y("row:N", title=rows_title, sort=list(matrix.index)),
    )
    top = max(float(cells["count"].max()), 1.0)
    scale = alt.Scale(scheme="blues", domain=[0, top])
    heat = base.mark_rect().encode(color=alt.Color("count:Q", scale=scale))
    ink = alt.when(alt.datum.count >= WHITE_TEXT_FROM * top)
    text = base.mark_text().encode(
        text=alt.Text("count:Q", format=".0f"),
        color=ink.then(alt.value("white")).otherwise(alt.value("black")),
    )
    st.altair_chart((heat + text).properties(height=260), width="stretch")


def _value_names(field: str, scheme: Scheme) -> dict[str, str]:
    """The field's values as the page names them: the scheme's label text, date-bound or not."""
    if field == "claim_type":
        return {c.value: c.label for c in scheme.claim_types}
    return DATE_BOUND_VALUES


def _versus_rest(report: AgreementReport) -> None:
    table = report.figures.versus_rest
    if table.empty:
        return
    st.markdown("**Each annotator against the others** (worst first)")
    table = table.rename(columns={"n_items": "sentences", "kappa": "Cohen's κ"})
    st.dataframe(table, hide_index=True, width="stretch", column_config=DECIMALS)


def _open_in_adjudication(sentence_id: int) -> None:
    st.session_state[state.ADJUDICATE_SENTENCE] = sentence_id
    st.session_state[state.ADJUDICATE_STATUS] = "disputed"


def _disputed(items: list[DisputeSummary]) -> None:
    st.subheader("Most disputed sentences")
    if not items:
        st.info("No disputed sentences: every sentence with several answers agrees.")
        return
    for item in items:
        text, button = st.columns([6, 1], vertical_alignment="center")
        agree = "–" if item.agreement is None else f"{item.agreement:.0%}"
        text.text(f"{agree} agree · {counted(item.n_labels, 'label')} · {item.sentence}")
        if button.button("Adjudicate", key=f"adjudicate_{item.sentence_id}",
                         on_click=_open_in_adjudication, args=(item.sentence_id,)):  # fmt: skip
            st.switch_page(ADJUDICATE_PAGE)


@state.while_signed_in
def _recompute(field: str) -> None:
    st.session_state[RECOMPUTE] = field


def _freshness(report: AgreementReport) -> None:
    """When the figures were computed, and (when labels changed since) a way to update them."""
    when = report.computed_at.strftime("%Y-%m-%d %H:%M UTC")
    line = f"Computed {when} from {report.labels:,} labels in {report.seconds:.1f} s."
    if not report.changed_since:
        st.caption(line)
        return
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.warning(
        f"{line} {counted(report.changed_since, 'label change')} since: these figures leave "
        "them out until you recompute."
    )
    button.button("Recompute now", key=f"recompute_{report.field}", on_click=_recompute,
                  args=(report.field,))  # fmt: skip


def _field_section(user: UserInfo, project: str, field: str, scheme: Scheme) -> None:
    refresh = st.session_state.get(RECOMPUTE) == field
    if refresh:
        del st.session_state[RECOMPUTE]
    with db_session() as session:
        report = reliability.agreement_report(session, user, project, field, refresh=refresh)
    if field == "date_bound" and scheme.date_bound_applies_to:
        applies = literal(scheme.claim_type(scheme.date_bound_applies_to).label)
        st.info(
            f"Date-bound applies only to “{applies}”: it is compared over the sentences that "
            f"both annotators labelled “{applies}”, and counts as missing wherever an annotator "
            "chose otherwise."
        )
    result = report.figures.agreement
    if report.level != "nominal":
        st.caption(f"The scheme orders its labels: α is {report.level}, the κ are nominal.")
    _freshness(report)
    if result.n_items == 0:
        st.info("No sentence has answers from two annotators yet.")
        return
    _coefficients(result)
    _pairs(result)
    _heat_map(report, scheme)
    _versus_rest(report)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _of(found: AgainstGold) -> str:
    return f"{found.agree} of {found.answers}"


def _use_rows(uses: tuple[SuggestionUse, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"shown as": MODE_NAMES[u.mode], "answers": u.answers,
             "accepted": f"{_share(u.accepted_share)} ({u.accepted})",
             "agree with gold when accepted": f"{_share(u.accepted_gold.share)} "
                                              f"({_of(u.accepted_gold)})",
             "when overridden": f"{_share(u.overridden_gold.share)} ({_of(u.overridden_gold)})"}
            for u in uses
        ]
    )  # fmt: skip


def _suggestion_use(use: SuggestionUse, by_mode: tuple[SuggestionUse, ...]) -> None:
    if not use.answers:
        st.info("No answer has been given with a model suggestion shown.")
        return
    columns = st.columns(4)
    columns[0].metric("Answers with a suggestion shown", f"{use.answers:,}")
    columns[1].metric("Accepted", _share(use.accepted_share))
    columns[2].metric("Agree with gold when accepted", _share(use.accepted_gold.share))
    columns[3].metric("Agree with gold when overridden", _share(use.overridden_gold.share))
    st.caption(
        f"{use.accepted:,} of {use.answers:,} answers took the suggestion (skips are left out). "
        f"Against gold: {_of(use.accepted_gold)} accepted and {_of(use.overridden_gold)} "
        "overridden answers agree (only sentences with gold count)."
    )
    if by_mode:
        st.dataframe(_use_rows((use, *by_mode)), hide_index=True, width="stretch")


def _model_against_gold(report: SuggestionReport) -> None:
    st.markdown("**The model as one more annotator against gold**")
    model = report.model
    if model is None:
        st.info("No model yet: `python -m annotator model train` trains the project's first.")
        return
    if not model.n_heldout or not model.figures:
        st.info(
            f"Model {model.name} has no held-out gold: it is scored on the newest 20% of gold "
            "labels, and there was none when it was trained."
        )
        return
    figures = model.figures
    row = {
        "annotator": f"model {model.name}",
        "Cohen's κ": figures.get("kappa"),
        "reading": describe(figures.get("kappa")),
        "accuracy": figures.get("accuracy"),
        "majority baseline": figures.get("majority_baseline"),
        "sentences": model.n_heldout,
    }
    st.dataframe(
        pd.DataFrame([row]), hide_index=True, width="stretch", column_config=MODEL_DECIMALS
    )
    st.caption(
        f"Scored on the {model.n_heldout:,} newest gold labels, held out from its training; "
        "the majority baseline always gives the commonest answer of its training set."
    )


def _suggestions(report: SuggestionReport) -> None:
    """Issue 21: how often annotators took the model's suggestion, and whether that helped."""
    st.subheader("Model suggestions")
    _suggestion_use(report.overall, report.by_mode)
    _model_against_gold(report)


def show() -> None:
    """A tab per field with its coefficients, the most disputed sentences, then what the
    annotators did with the model's suggestions."""
    user = state.require_user()
    project = state.current_project()
    st.title("Agreement")
    with reported() as attempt:
        with db_session() as session:
            scheme = project_scheme(session, project)
            disputed = adjudication.dispute_queue(session, user, project, limit=DISPUTED_SHOWN)
            suggestions = provenance.suggestion_report(session, user, project)
        fields = reliability.agreement_fields(scheme)
        tabs = st.tabs([FIELD_NAMES[field] for field in fields])
        for tab, field in zip(tabs, fields, strict=True):
            with tab:
                _field_section(user, project, field, scheme)
    if attempt.failed:
        return
    st.caption(READING)
    _disputed(disputed)
    _suggestions(suggestions)

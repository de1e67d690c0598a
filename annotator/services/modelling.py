"""Models of a project's labels (issue 21): trained from the database, stored in it, and asked
for suggestions.

Training data, per field of the scheme (`claim_type`; `date_bound` over the answers it applies
to): the gold answer where a sentence has one, else the single label of a sentence only one
annotator answered (a sentence whose annotators disagree and has no gold teaches nothing
sure). The newest 20% of gold by the time it was decided is held out, never trained on, and
the model is scored on it against the majority answer of its training set. A model is shown
to annotators only when it beats that baseline on held-out gold.

A third field, `check_worthy`, learns from the fact-check stage which gold claims are worth
checking (annotator/services/fact_checking.py, `check_decisions`); when it beats its baseline,
its scores for the claims without a verdict are stored (`check_worth`) and order the
fact-check queue.

Training reads in one short transaction, fits with no transaction open, and writes the model
in another, so labelling goes on while it runs. Models are versioned rows of the `models`
table, so every app server of a PostgreSQL team uses the same ones; a server keeps the few it
has loaded in memory (they never change once stored).

A project may hand out its work least sure first (item 5): after a claim-type model that
beats its baseline is trained, the same process scores the articles still short of
annotators and stores each one's uncertainty, which `assignment` reads in order from an index.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput
from annotator.model import CHECK_WORTHY
from annotator.scheme import Scheme
from annotator.services import counts
from annotator.services.fact_checking import check_decisions, checkable_types, undecided_claims
from annotator.services.outcomes import article_texts
from annotator.services.projects import led_project, stored_scheme
from annotator.services.records import UserInfo
from annotator.wording import counted
from db import models as models_table
from db.engine import lock_table, read_transaction, write_transaction
from db.models import (
    Article,
    ArticleUncertainty,
    CheckWorth,
    Label,
    Model,
    Outcome,
    Project,
    Sentence,
)

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

    from annotator.model import Evaluation


SUGGESTION_MODES = models_table.SUGGESTION_MODES  # here for the UI, which never imports db
ARTICLE_ORDERS = models_table.ARTICLE_ORDERS
HELDOUT_SHARE = 0.2
MIN_TRAINING_ROWS = 10
SCORING_BATCH = 5_000


@dataclass(frozen=True)
class ModelInfo:
    """A stored model, without its content."""

    id: int
    project_id: int
    field: str
    version: int
    trained_at: dt.datetime
    n_train: int
    n_heldout: int
    labels_seen: int
    beats_baseline: bool
    figures: dict[str, Any]  # the held-out Evaluation's JSON, empty without held-out gold

    @property
    def name(self) -> str:
        """How labels name the model that suggested their answer: `claim_type-v3`."""
        return f"{self.field}-v{self.version}"

    @property
    def use(self) -> str:
        """What the model does once it beats its baseline."""
        return "orders the fact-check queue" if self.field == CHECK_WORTHY else "shown"

    @property
    def heldout_noun(self) -> str:
        """What its held-out rows are, for counting them in words."""
        return "held-out decision" if self.field == CHECK_WORTHY else "held-out gold answer"


@dataclass(frozen=True)
class TrainingResult:
    """One field's training: the model stored, or why none was."""

    field: str
    model: ModelInfo | None
    skipped: str = ""
    ordered: int = 0  # articles whose uncertainty now orders the project's work


@dataclass(frozen=True)
class TrainingData:
    """Sentences and answers to train on, and the held-out gold to score on."""

    texts: list[str]
    answers: list[str]
    heldout_texts: list[str]
    heldout_answers: list[str]


def model_fields(scheme: Scheme) -> tuple[str, ...]:
    """The fields of the scheme a model can learn, and `check_worthy` when the scheme sends
    answers to fact-checking."""
    fields = ("claim_type", "date_bound") if scheme.date_bound_applies_to else ("claim_type",)
    try:
        checkable_types(scheme)
    except InvalidInput:
        return fields
    return (*fields, CHECK_WORTHY)


def train(
    session: Session, actor: UserInfo | None, project: str, fields: Sequence[str] = ()
) -> list[TrainingResult]:
    """Train, score and store a new version of the project's model of each field (all of the
    scheme's when `fields` is empty). The actor must lead the project (None: the command
    line). A field with too little to learn from is skipped, with the reason."""
    from annotator.model import fit, heldout, to_bytes

    with read_transaction(session):
        row = led_project(session, actor, project)
        project_id, scheme = row.id, stored_scheme(row.scheme, row.scheme_json)
        known = model_fields(scheme)
        unknown = [f for f in fields if f not in known]
        if unknown:
            raise InvalidInput(
                f"{', '.join(unknown)}: not a field of project {project!r}'s scheme; "
                f"its fields are {', '.join(known)}"
            )
        labels_seen = counts.project_labels(session, project_id)
        ordering = row.article_order == "uncertain"
        data = {f: training_data(session, project_id, f, scheme) for f in (fields or known)}
    results = []
    for field, rows in data.items():
        if len(rows.answers) < MIN_TRAINING_ROWS or len(set(rows.answers)) < 2:
            results.append(TrainingResult(field, None, _too_little(field, rows)))
            continue
        model = fit(field, rows.texts, rows.answers)
        majority = Counter(rows.answers).most_common(1)[0][0]
        figures = (
            heldout(field, model, rows.heldout_texts, rows.heldout_answers, majority)
            if rows.heldout_answers
            else None
        )
        stored = _store(session, project_id, field, rows, labels_seen, figures, to_bytes(model))
        ordered = 0
        if field == "claim_type":
            orders = ordering and stored.beats_baseline
            ordered = store_order(session, project_id, stored, model if orders else None)
        if field == CHECK_WORTHY:
            _score_claims(session, project_id, stored, model)
        results.append(TrainingResult(field, stored, ordered=ordered))
    return results


def _score_claims(session: Session, project_id: int, info: ModelInfo, model: Pipeline) -> None:
    """Replace the project's check-worthiness scores with this model's, for every gold claim
    without a verdict; with no scores at all when the model does not beat its baseline, so
    that the queue falls back to reading order rather than follow a model no better than
    none. Predicts with no transaction open, then writes in one, unless a newer model was
    stored meanwhile (its own training writes the scores)."""
    with read_transaction(session):
        claims = undecided_claims(session, project_id) if info.beats_baseline else []
        texts = _span_texts(session, [(a, b, e) for _, a, b, e in claims])
    scores: list[dict[str, Any]] = []
    worth = list(model.classes_).index("true")
    for start in range(0, len(claims), SCORING_BATCH):
        batch = claims[start : start + SCORING_BATCH]
        probabilities = model.predict_proba(texts[start : start + len(batch)])
        scores += [
            {"sentence_id": c[0], "project_id": project_id, "model_id": info.id,
             "score": float(p[worth])}
            for c, p in zip(batch, probabilities, strict=True)
        ]  # fmt: skip
    with write_transaction(session):
        lock_table(session, CheckWorth.__tablename__)  # as in `store_order`
        newest = latest(session, project_id, CHECK_WORTHY)
        if newest is None or newest.id != info.id:
            return
        session.execute(delete(CheckWorth).where(CheckWorth.project_id == project_id))
        for start in range(0, len(scores), SCORING_BATCH):
            session.execute(insert(CheckWorth), scores[start : start + SCORING_BATCH])


def _span_texts(session: Session, spans: Sequence[tuple[int, int, int]]) -> list[str]:
    """The text of each (article id, start, end), reading each article once."""
    texts: dict[int, str] = {}
    for chunk in _chunks(sorted({a for a, _, _ in spans})):
        texts.update(article_texts(session, chunk))
    return [texts[a][b:e] for a, b, e in spans]


def _too_little(field: str, rows: TrainingData) -> str:
    answers = Counter(rows.answers)
    what = "fact-check decisions (claims checked or set aside)" if field == CHECK_WORTHY else ""
    if len(answers) < 2:
        have = f"only {next(iter(answers))!r}" if answers else f"no answers{what and ' or ' + what}"
        return f"{have} to learn from; a model needs at least two different answers"
    return (
        f"{len(rows.answers)} {what or 'answers'} to learn from; a model needs at least "
        f"{MIN_TRAINING_ROWS}"
    )


def _store(
    session: Session,
    project_id: int,
    field: str,
    rows: TrainingData,
    labels_seen: int,
    figures: Evaluation | None,
    content: bytes,
) -> ModelInfo:
    with write_transaction(session):
        latest = session.scalar(
            select(func.max(Model.version)).where(
                Model.project_id == project_id, Model.field == field
            )
        )
        model = Model(
            project_id=project_id,
            field=field,
            version=(latest or 0) + 1,
            trained_at=dt.datetime.now(dt.UTC),
            n_train=len(rows.answers),
            n_heldout=len(rows.heldout_answers),
            labels_seen=labels_seen,
            beats_baseline=bool(figures and figures.accuracy > figures.majority_baseline),
            figures=json.dumps(figures.as_json() if figures else {}),
            content=content,
        )
        session.add(model)
        session.flush()
        return _row_info(model)


def training_data(session: Session, project_id: int, field: str, scheme: Scheme) -> TrainingData:
    """The field's answers in the project: gold (the newest 20% held out), and the single
    labels of sentences without gold; for `check_worthy`, the fact-check stage's decisions
    (the newest 20% held out)."""
    if field == CHECK_WORTHY:
        return _check_training_data(session, project_id)
    applies_to = scheme.date_bound_applies_to
    span = (Sentence.article_id, Sentence.char_start, Sentence.char_end)
    gold = session.execute(
        select(Outcome.sentence_id, Outcome.claim_type, Outcome.date_bound, *span)
        .join(Sentence, Sentence.id == Outcome.sentence_id)
        .where(Outcome.project_id == project_id, Outcome.status == "gold")
        .order_by(Outcome.decided_at, Outcome.sentence_id)
    ).all()
    gold_rows = [
        (r, answer)
        for r in gold
        if (answer := _answer(field, r.claim_type, r.date_bound, applies_to)) is not None
    ]
    n_heldout = math.ceil(len(gold_rows) * HELDOUT_SHARE)
    cut = len(gold_rows) - n_heldout
    train_rows, heldout_rows = gold_rows[:cut], gold_rows[cut:]
    gold_ids = {r.sentence_id for r in gold}
    single = session.execute(
        select(Label.sentence_id, Label.claim_type, Label.date_bound, *span)
        .join(Sentence, Sentence.id == Label.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .where(Article.project_id == project_id, Label.skipped.is_(False))
        .order_by(Label.sentence_id)
    ).all()
    by_sentence = Counter(r.sentence_id for r in single)
    train_rows += [
        (r, answer)
        for r in single
        if r.sentence_id not in gold_ids and by_sentence[r.sentence_id] == 1
        if (answer := _answer(field, r.claim_type, r.date_bound, applies_to)) is not None
    ]
    texts = _span_texts(
        session, [(r.article_id, r.char_start, r.char_end) for r, _ in train_rows + heldout_rows]
    )
    return TrainingData(
        texts=texts[: len(train_rows)],
        answers=[a for _, a in train_rows],
        heldout_texts=texts[len(train_rows) :],
        heldout_answers=[a for _, a in heldout_rows],
    )


def _check_training_data(session: Session, project_id: int) -> TrainingData:
    decisions = check_decisions(session, project_id)
    texts = _span_texts(session, [(d.article_id, d.char_start, d.char_end) for d in decisions])
    answers = ["true" if d.worth else "false" for d in decisions]
    cut = len(decisions) - math.ceil(len(decisions) * HELDOUT_SHARE)
    return TrainingData(texts[:cut], answers[:cut], texts[cut:], answers[cut:])


def _answer(
    field: str, claim_type: str | None, date_bound: bool | None, applies_to: str | None
) -> str | None:
    if field == "claim_type":
        return claim_type
    if claim_type != applies_to or date_bound is None:
        return None
    return "true" if date_bound else "false"


def _chunks(values: list[int], size: int = 500) -> list[list[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


_INFO_COLUMNS = (
    Model.id, Model.project_id, Model.field, Model.version, Model.trained_at, Model.n_train,
    Model.n_heldout, Model.labels_seen, Model.beats_baseline, Model.figures,
)  # fmt: skip


def _row_info(row: Any) -> ModelInfo:
    return ModelInfo(
        id=row.id,
        project_id=row.project_id,
        field=row.field,
        version=row.version,
        trained_at=row.trained_at,
        n_train=row.n_train,
        n_heldout=row.n_heldout,
        labels_seen=row.labels_seen,
        beats_baseline=row.beats_baseline,
        figures=json.loads(row.figures),
    )


def models(session: Session, actor: UserInfo | None, project: str) -> list[ModelInfo]:
    """Every stored model of the project (without content), each field's newest first. The
    actor must lead the project (None: the command line)."""
    with read_transaction(session):
        project_id = led_project(session, actor, project).id
        rows = session.execute(
            select(*_INFO_COLUMNS)
            .where(Model.project_id == project_id)
            .order_by(Model.field, Model.version.desc())
        )
        return [_row_info(row) for row in rows]


def latest(session: Session, project_id: int, field: str) -> ModelInfo | None:
    """The newest model of the field, or None (in the caller's transaction)."""
    row = session.execute(
        select(*_INFO_COLUMNS)
        .where(Model.project_id == project_id, Model.field == field)
        .order_by(Model.version.desc())
        .limit(1)
    ).first()
    return None if row is None else _row_info(row)


_loaded: dict[tuple[int, str], Pipeline] = {}  # (id, trained_at): a stored model never changes
_loaded_lock = threading.Lock()
MODELS_KEPT = 16


def loaded(session: Session, info: ModelInfo) -> Pipeline:
    """The fitted model, read from the database once per server process and model."""
    from annotator.model import from_bytes

    key = (info.id, info.trained_at.isoformat())
    with _loaded_lock:
        model = _loaded.get(key)
    if model is None:
        content = session.scalar(select(Model.content).where(Model.id == info.id))
        model = from_bytes(bytes(content or b""))
        with _loaded_lock:
            if len(_loaded) >= MODELS_KEPT:
                _loaded.pop(next(iter(_loaded)))
            _loaded[key] = model
    return model


# -- automatic retraining -------------------------------------------------------------------

_training: dict[int, subprocess.Popen[bytes]] = {}  # project id -> its training process
_training_lock = threading.Lock()
TRAINING_NICENESS = 10  # below the app server's priority: pages stay quick while it trains


def training_running(project_id: int) -> bool:
    """Whether this server started a training of the project that has not finished."""
    with _training_lock:
        process = _training.get(project_id)
        return process is not None and process.poll() is None


def retrain_due(session: Session, project_id: int) -> bool:
    """Whether the project has had `retrain_every` new labels since its last claim-type model
    (or has none, and enough labels for one), and no training of it runs from this server."""
    if training_running(project_id):
        return False
    with read_transaction(session):
        every = session.scalar(select(Project.retrain_every).where(Project.id == project_id))
        if not every:
            return False
        seen = session.scalar(
            select(Model.labels_seen)
            .where(Model.project_id == project_id, Model.field == "claim_type")
            .order_by(Model.version.desc())
            .limit(1)
        )
        return counts.project_labels(session, project_id) - (seen or 0) >= every


def retrain_in_background(
    database_url: str, project: str, project_id: int
) -> subprocess.Popen[bytes] | None:
    """Train the project's models in a process of their own (`model train`), at a lower CPU
    priority than the app: never on a page's critical path, and, unlike a thread, not
    holding the server's interpreter lock while it vectorises text. None if one started from
    this server is still running. The database URL goes in the child's environment, not on
    its command line, where other users of the machine could read a password."""
    with _training_lock:
        running = _training.get(project_id)
        if running is not None and running.poll() is None:
            return None
        nice = shutil.which("nice")
        lower = [nice, "-n", str(TRAINING_NICENESS)] if nice else []
        process = subprocess.Popen(
            [*lower, sys.executable, "-m", "annotator", "model", "train", "--project", project],
            env={**os.environ, "DATABASE_URL": database_url},
            stdout=subprocess.DEVNULL,
        )
        _training[project_id] = process
    return process


# -- active ordering ------------------------------------------------------------------------

# The articles scored after a training: at most this many body sentences of the articles still
# short of annotators, spread evenly over the project. Predicting runs at about 5,000
# sentences a second on one core, so scoring stays within the training's own budget (100,000
# labels in 60 s) at any project size; articles left unscored follow in import order.
SCORED_SENTENCES = 100_000


def store_order(session: Session, project_id: int, info: ModelInfo, model: Pipeline | None) -> int:
    """Replace the project's article uncertainties with those of the claim-type model `info`
    (`model` fitted; None: remove them, the project's work goes out in import order), unless
    a newer model was stored meanwhile. How many articles were scored."""
    scores = {} if model is None else _uncertainties(session, model, _to_score(session, project_id))
    with write_transaction(session):
        # Two trainings ending at once take turns here (PostgreSQL; SQLite's write lock does
        # it already): the later one then deletes the rows the first wrote.
        lock_table(session, ArticleUncertainty.__tablename__)
        newest = latest(session, project_id, "claim_type")
        if newest is None or newest.id != info.id:
            return 0  # the newer model's own training writes the order
        session.execute(
            delete(ArticleUncertainty).where(ArticleUncertainty.project_id == project_id)
        )
        if scores:
            session.execute(
                insert(ArticleUncertainty),
                [
                    {"article_id": a, "project_id": project_id, "model_id": info.id,
                     "uncertainty": u}
                    for a, u in scores.items()
                ],
            )  # fmt: skip
    return len(scores)


def _to_score(session: Session, project_id: int) -> list[int]:
    """The articles still short of annotators, in import order; past `SCORED_SENTENCES` body
    sentences in all, every k-th of them, so that the scored ones span the whole project."""
    with read_transaction(session):
        overlap = session.scalar(select(Project.overlap).where(Project.id == project_id))
        short = session.execute(
            select(Article.id, Article.n_body)
            .where(counts.short_of_annotators(project_id, overlap or 1))
            .order_by(Article.id)
        ).all()
    total = sum(n for _, n in short)
    return [a for a, _ in short[:: max(1, math.ceil(total / SCORED_SENTENCES))]]


def _uncertainties(session: Session, model: Pipeline, articles: list[int]) -> dict[int, float]:
    """How unsure `model` is of each article: the mean over its body sentences of 1 - the
    probability of the model's answer (the confidence the annotate page shows). Texts are
    read in short transactions, a chunk of articles at a time; predicting holds none open."""
    scores: dict[int, float] = {}
    for chunk in _chunks(articles):
        with read_transaction(session):
            texts = article_texts(session, chunk)
            spans = session.execute(
                select(Sentence.article_id, Sentence.char_start, Sentence.char_end).where(
                    Sentence.article_id.in_(chunk), Sentence.role == "body"
                )
            ).all()
        unsure = 1.0 - model.predict_proba([texts[a][s:e] for a, s, e in spans]).max(axis=1)
        by_article: dict[int, list[float]] = {}
        for (article_id, _, _), value in zip(spans, unsure, strict=True):
            by_article.setdefault(article_id, []).append(float(value))
        scores.update({a: sum(v) / len(v) for a, v in by_article.items()})
    return scores


def ordering_model(session: Session, project: Project) -> int | None:
    """The id of the model whose uncertainty orders the project's work (in the caller's
    transaction): the project's order is `uncertain` and its newest claim-type model beats
    its baseline. None: import order."""
    if project.article_order != "uncertain":
        return None
    info = latest(session, project.id, "claim_type")
    return info.id if info is not None and info.beats_baseline else None


# -- settings and suggestions ---------------------------------------------------------------

MAX_RETRAIN_EVERY = 1_000_000


@dataclass(frozen=True)
class SuggestionSettings:
    """A project's suggestion mode (its setting, else the default by overlap), how many new
    labels start an automatic retrain (0: never), and the order its articles go out in."""

    mode: str
    chosen: bool  # False: the default by overlap, not a lead's choice
    retrain_every: int
    order: str = "import"
    ordered: bool = False  # the model's uncertainties are stored: `uncertain` is in effect

    def describe(self) -> str:
        """`suggestions shown (the default for its overlap); automatic retraining after every
        200 new labels; articles handed out in import order`."""
        default = "" if self.chosen else " (the default for its overlap)"
        every = "never"
        if self.retrain_every:
            every = f"after every {counted(self.retrain_every, 'new label')}"
        return f"suggestions {self.mode}{default}; automatic retraining {every}; {self._order()}"

    def _order(self) -> str:
        if self.order == "import":
            return "articles handed out in import order"
        if self.ordered:
            return "articles handed out least sure first (the model's uncertainty)"
        return (
            "articles handed out least sure first once a model that beats its baseline has "
            "scored the articles short of annotators (import order until then)"
        )


def default_mode(overlap: int) -> str:
    """`shown` for a project with one annotator per sentence; `off` where suggestions could
    sway the agreement the project measures."""
    return "shown" if overlap == 1 else "off"


def settings(session: Session, project: str) -> SuggestionSettings:
    """The project's suggestion settings."""
    return _settings(session, project)[1]


def _settings(session: Session, project: str) -> tuple[int, SuggestionSettings]:
    """The project's id and suggestion settings."""
    with read_transaction(session):
        row = session.execute(
            select(
                Project.id,
                Project.suggestions,
                Project.overlap,
                Project.retrain_every,
                Project.article_order,
            ).where(Project.name == project)
        ).first()
        if row is None:
            led_project(session, None, project)  # raises NoSuchProject, naming close names
            raise AssertionError("unreachable")
        mode = row.suggestions or default_mode(row.overlap)
        ordered = row.article_order == "uncertain" and _has_order(session, row.id)
        return row.id, SuggestionSettings(
            mode, row.suggestions is not None, row.retrain_every, row.article_order, ordered
        )


def _has_order(session: Session, project_id: int) -> bool:
    scored = select(ArticleUncertainty.article_id).where(
        ArticleUncertainty.project_id == project_id
    )
    return session.scalar(scored.limit(1)) is not None


def set_settings(
    session: Session,
    actor: UserInfo | None,
    project: str,
    *,
    mode: str | None = None,
    retrain_every: int | None = None,
    order: str | None = None,
) -> SuggestionSettings:
    """Change the project's suggestion mode, retrain interval and/or article order (a lead of
    the project; None: the command line); InvalidInput naming a bad value, nothing changed.
    Turning `uncertain` on takes effect with the next model trained, which scores the
    articles."""
    if mode is not None and mode not in SUGGESTION_MODES:
        raise InvalidInput(f"suggestions {mode!r} is not one of {', '.join(SUGGESTION_MODES)}")
    if order is not None and order not in ARTICLE_ORDERS:
        raise InvalidInput(f"order {order!r} is not one of {', '.join(ARTICLE_ORDERS)}")
    if retrain_every is not None and not 0 <= retrain_every <= MAX_RETRAIN_EVERY:
        raise InvalidInput(
            f"retrain every {retrain_every:,} labels: give 0 (never) to {MAX_RETRAIN_EVERY:,}"
        )
    with write_transaction(session):
        row = led_project(session, actor, project, lock=True)
        if mode is not None:
            row.suggestions = mode
        if retrain_every is not None:
            row.retrain_every = retrain_every
        if order is not None:
            row.article_order = order
    return settings(session, project)


@dataclass(frozen=True)
class Suggestions:
    """What the annotate page shows for an article's sentences: the mode, the model's answer
    and confidence per sentence id, or why nothing is shown."""

    mode: str
    model: str | None = None
    answers: dict[int, tuple[str, float]] | None = None
    why_none: str = ""

    def for_sentence(self, sentence_id: int) -> tuple[str, float] | None:
        """The answer and confidence to show for the sentence, or None."""
        return None if not self.answers else self.answers.get(sentence_id)


def article_suggestions(
    session: Session, project: str, sentences: Sequence[tuple[int, str]]
) -> Suggestions:
    """The claim-type suggestions for the sentences (id, text) of one article of the project,
    all predicted at once when the article opens, so that no key waits for the model."""
    project_id, chosen = _settings(session, project)
    if chosen.mode == "off":
        return Suggestions("off")
    with read_transaction(session):
        info = latest(session, project_id, "claim_type")
        if info is None:
            return Suggestions(chosen.mode, why_none=_no_model_yet(chosen))
        if not info.beats_baseline:
            return Suggestions(chosen.mode, info.name, why_none=_not_good_enough(info))
        model = loaded(session, info)
    if not sentences:
        return Suggestions(chosen.mode, info.name, {})
    probabilities = model.predict_proba([text for _, text in sentences])
    classes = list(model.classes_)
    answers = {
        sentence_id: (classes[int(row.argmax())], float(row.max()))
        for (sentence_id, _), row in zip(sentences, probabilities, strict=True)
    }
    return Suggestions(chosen.mode, info.name, answers)


def check_order_note(session: Session, actor: UserInfo | None, project: str) -> str:
    """How the project's fact-check queue is ordered, and why: by the newest check-worthiness
    model once it beats its baseline, else in reading order (a lead; None: the command line)."""
    with read_transaction(session):
        project_id = led_project(session, actor, project).id
        info = latest(session, project_id, CHECK_WORTHY)
    if info is None:
        return (
            "In reading order: there is no check-worthiness model yet. It learns from the claims "
            f"checked and the claims set aside, once there are at least {MIN_TRAINING_ROWS} "
            "such decisions with some of each kind, when the project's models are trained (the "
            f"Model page, or `python -m annotator model train --project {project} --field "
            f"{CHECK_WORTHY}`)."
        )
    if not info.beats_baseline:
        return "In reading order: " + _short_of_baseline(info)
    figures = info.figures
    return (
        f"Most check-worthy first, by model {info.name}: right on {figures['accuracy']:.0%} of "
        f"{counted(info.n_heldout, info.heldout_noun)}, where always answering "
        f"{figures['majority_class']!r} is right on {figures['majority_baseline']:.0%}."
    )


def _no_model_yet(chosen: SuggestionSettings) -> str:
    when = (
        f"after every {chosen.retrain_every:,} new labels"
        if chosen.retrain_every
        else "when a lead runs `python -m annotator model train`"
    )
    return f"No suggestions yet: the project has no model. One is trained {when}."


def _not_good_enough(info: ModelInfo) -> str:
    return "No suggestions: " + _short_of_baseline(info)


def _short_of_baseline(info: ModelInfo) -> str:
    """Why a model is not used: nothing held out to test it on, or no better than always
    giving the commonest answer there."""
    if not info.n_heldout:
        return (
            f"model {info.name} has nothing held out to be checked on. The newest 20% is held "
            "out to test it, and it is used only once it beats always giving the commonest "
            "answer there."
        )
    figures = info.figures
    return (
        f"model {info.name} is right on {figures['accuracy']:.0%} of "
        f"{counted(info.n_heldout, info.heldout_noun)}, no better than always answering "
        f"{figures['majority_class']!r} ({figures['majority_baseline']:.0%})."
    )

"""A model of the project's labels (issue 21): features, a classifier, and honest figures.

One classifier per field of the scheme: `claim_type` over every answered sentence, and
`date_bound` over the sentences answered `factual` (it applies to no other). Features:

- word 1–2-grams and character 3–5-grams of the sentence (TF-IDF, sublinear, each seen at
  least twice);
- the date-bound cues of `annotator.date_bound` (present states, running totals, a completed
  event at an explicit past time, ...), and whether the sentence has a time expression;
- numbers, quotation marks, attribution verbs (*said*, *according to*), modal verbs and the
  first person.

The classifier is scikit-learn's logistic regression, whose probabilities are close to
calibrated, which matters because they are shown to annotators as a confidence.

`evaluate` cross-validates on labelled rows with no database: 5 stratified folds with a fixed
seed, every row predicted by a model that never saw it. It reports accuracy, macro-F1,
per-class precision and recall, the expected calibration error and the majority-class
baseline beside them, so a model that only learned the commonest answer is seen as such.

scikit-learn is imported inside the functions that use it: commands that never train pay
nothing for it at start-up (issue 19).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.date_bound import cues
from annotator.errors import InvalidInput

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

MODEL_FIELDS = ("claim_type", "date_bound")  # fields a labels file can be evaluated on
CHECK_WORTHY = "check_worthy"  # learnt in a project from its fact-check decisions
TRAINABLE_FIELDS = (*MODEL_FIELDS, CHECK_WORTHY)
FOLDS = 5
SEED = 0
CALIBRATION_BINS = 10

_NUMBER = re.compile(r"\d")
_QUOTE = re.compile(r"[\"“”«»]|(?:^|\s)['‘]")
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|according to|reported|reports|announced|announces|"
    r"claimed|claims|stated|states|added|adds|noted|notes|insisted|insists|argued|argues|"
    r"warned|warns|confirmed|confirms|denied|denies)\b",
    re.IGNORECASE,
)
_MODAL = re.compile(
    r"\b(?:will|would|could|should|might|must|may|can|shall|won't|wouldn't|couldn't|"
    r"shouldn't|can't|cannot)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|(?i:me|my|we|we're|we've|us|our|ours))\b")


def sentence_features(text: str) -> list[float]:
    """The hand-made features of one sentence, in `FEATURE_NAMES` order."""
    found = cues(text, None)
    return [float(found[name]) for name in _CUE_NAMES] + [
        float(bool(_NUMBER.search(text))),
        float(bool(_QUOTE.search(text))),
        float(bool(_ATTRIBUTION.search(text))),
        float(bool(_MODAL.search(text))),
        float(bool(_FIRST_PERSON.search(text))),
    ]


_CUE_NAMES = tuple(cues("", None))
FEATURE_NAMES = (*_CUE_NAMES, "number", "quote", "attribution", "modal", "first_person")


def _features_of(texts: Sequence[str]) -> Any:
    import numpy as np

    return np.array([sentence_features(t) for t in texts], dtype=float)


def new_model() -> Pipeline:
    """An untrained classifier: n-grams and the hand-made features, logistic regression."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    # float32, terms seen at least twice and at most 200,000 of each kind: a third less
    # memory on 100,000 sentences than the defaults, for no loss on ClaimBuster.
    words = TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=200_000, dtype=np.float32
    )
    characters = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        sublinear_tf=True,
        min_df=2,
        max_features=200_000,
        dtype=np.float32,
    )
    features = FeatureUnion(
        [
            ("words", words),
            ("characters", characters),
            ("cues", FunctionTransformer(_features_of)),
        ]
    )
    classifier = LogisticRegression(max_iter=2000, C=4.0, random_state=SEED)
    return Pipeline([("features", features), ("classifier", classifier)])


@dataclass(frozen=True)
class ClassFigures:
    """One answer's precision and recall, and how many rows have it."""

    precision: float
    recall: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    """Cross-validated figures for one field."""

    field: str
    n: int
    accuracy: float
    macro_f1: float
    majority_baseline: float
    majority_class: str
    per_class: dict[str, ClassFigures]
    ece: float
    kappa: float | None  # Cohen's kappa between the model and the answers
    folds: int  # 0: scored on held-out rows, not cross-validated

    def as_json(self) -> dict[str, Any]:
        """The figures under the keys `model evaluate --json` prints."""
        return {
            "field": self.field,
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "majority_baseline": round(self.majority_baseline, 4),
            "majority_class": self.majority_class,
            "per_class": {
                name: {
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "support": c.support,
                }
                for name, c in self.per_class.items()
            },
            "ece": round(self.ece, 4),
            "kappa": None if self.kappa is None else round(self.kappa, 4),
            "folds": self.folds,
        }


def evaluate(field: str, texts: Sequence[str], answers: Sequence[str]) -> Evaluation:
    """Cross-validated figures of `new_model` on labelled sentences (`answers[i]` is the
    answer for `texts[i]`): 5 stratified folds, fixed seed. InvalidInput when there is too
    little to cross-validate: fewer than two answers, or an answer with fewer rows than
    folds."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    counts = Counter(answers)
    _check_enough(field, counts)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    probabilities = cross_val_predict(
        new_model(), list(texts), list(answers), cv=folds, method="predict_proba"
    )
    return _figures(field, sorted(counts), probabilities, answers, counts.most_common(1)[0][0])


def fit(field: str, texts: Sequence[str], answers: Sequence[str]) -> Pipeline:
    """`new_model` trained on the sentences; InvalidInput with fewer than two answers."""
    _require_two_answers(field, Counter(answers))
    return new_model().fit(list(texts), list(answers))


def heldout(
    field: str, model: Pipeline, texts: Sequence[str], answers: Sequence[str], majority: str
) -> Evaluation:
    """The trained model's figures on rows it never saw; `majority` is its training set's
    commonest answer, the baseline's guess."""
    classes = list(model.classes_)
    probabilities = model.predict_proba(list(texts))
    return _figures(field, classes, probabilities, answers, majority, folds=0)


def _figures(
    field: str,
    classes: list[str],
    probabilities: Any,
    answers: Sequence[str],
    majority: str,
    folds: int = FOLDS,
) -> Evaluation:
    from sklearn.metrics import (
        accuracy_score,
        cohen_kappa_score,
        f1_score,
        precision_recall_fscore_support,
    )

    predicted = [classes[i] for i in probabilities.argmax(axis=1)]
    labels = sorted(set(classes) | set(answers))
    precision, recall, _, support = precision_recall_fscore_support(
        answers, predicted, labels=labels, zero_division=0
    )
    agree_by_chance = len(set(answers) | set(predicted)) < 2
    return Evaluation(
        field=field,
        n=len(answers),
        accuracy=float(accuracy_score(answers, predicted)),
        macro_f1=float(
            f1_score(answers, predicted, labels=labels, average="macro", zero_division=0)
        ),
        majority_baseline=sum(a == majority for a in answers) / len(answers),
        majority_class=majority,
        per_class={
            name: ClassFigures(float(p), float(r), int(s))
            for name, p, r, s in zip(labels, precision, recall, support, strict=True)
        },
        ece=expected_calibration_error(probabilities.max(axis=1), predicted, answers),
        kappa=None if agree_by_chance else float(cohen_kappa_score(answers, predicted)),
        folds=folds,
    )


def to_bytes(model: Pipeline) -> bytes:
    """The trained model as bytes to store (joblib)."""
    import io

    import joblib

    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.getvalue()


def from_bytes(content: bytes) -> Pipeline:
    """A model stored by `to_bytes`."""
    import io

    import joblib

    model: Pipeline = joblib.load(io.BytesIO(content))
    return model


def _require_two_answers(field: str, counts: Counter[str]) -> None:
    if len(counts) < 2:
        only = f"only {next(iter(counts))!r}" if counts else "no answers"
        raise InvalidInput(f"{field}: {only}; a model needs at least two different answers")


def _check_enough(field: str, counts: Counter[str]) -> None:
    _require_two_answers(field, counts)
    thin = sorted((n, name) for name, n in counts.items() if n < FOLDS)
    if thin:
        listed = ", ".join(f"{name!r} has {n}" for n, name in thin)
        raise InvalidInput(
            f"{field}: {listed}; {FOLDS}-fold cross-validation needs at least {FOLDS} rows "
            "of each answer"
        )


def expected_calibration_error(
    confidence: Sequence[float], predicted: Sequence[str], answers: Sequence[str]
) -> float:
    """Expected calibration error over `CALIBRATION_BINS` equal-width bins of the predicted
    answer's probability: the row-weighted mean gap between a bin's mean confidence and its
    accuracy (0 is perfectly calibrated)."""
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(CALIBRATION_BINS)]
    for p, guess, answer in zip(confidence, predicted, answers, strict=True):
        index = min(int(p * CALIBRATION_BINS), CALIBRATION_BINS - 1)
        bins[index].append((float(p), guess == answer))
    total = len(answers)
    gaps = 0.0
    for rows in bins:
        if rows:
            confidence_mean = sum(p for p, _ in rows) / len(rows)
            accuracy = sum(right for _, right in rows) / len(rows)
            gaps += len(rows) / total * abs(confidence_mean - accuracy)
    return gaps

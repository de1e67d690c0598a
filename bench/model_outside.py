"""The model of the labels (`annotator.model`) on public claim data we did not write.

The files are public but not ours, so they are not in this repository: the bench reads them
from `$CLAIMS_DATA` (default `/work/outside/claims`), as stored in repository
`utaresearch/claimbuster-spotter`:

- `kfold_25ncs.csv` (`data/two_class/kfold_25ncs.csv`): ClaimBuster's crowdsourced sentences
  from US presidential debates, check-worthy factual (`label` 1) or not (0); scored with
  `annotator.model.evaluate` (5-fold cross-validation, fixed seed), as `model evaluate` does;
- `ct19_train.csv` and `ct19_test.csv` (`data/clef19/CT19-T1-Training.csv`,
  `data/clef19/CT19-T1-Test.csv`): CLEF CheckThat! 2019 task 1, debate and speech lines,
  check-worthy (`label` 1) or not; the model is trained on the training debates and scored on
  the test debates it never saw (a held-out split by document), with the average precision of
  "check-worthy" (the lab's measure ranks by it) beside accuracy.

Speed: fitting the model on 100,000 labelled sentences (the three files' sentences repeated),
against a floor of reading the same rows from a CSV file with pandas; peak memory of the
process after the fit.

    python -m bench.model_outside
"""

from __future__ import annotations

import io
import os
import resource
import sys
import time
from pathlib import Path

import pandas as pd

from annotator.model import Evaluation, evaluate, expected_calibration_error, new_model
from bench.timing import machine

DATA = Path(os.environ.get("CLAIMS_DATA", "/work/outside/claims"))
FILES = ("kfold_25ncs.csv", "ct19_train.csv", "ct19_test.csv")
TRAINING_ROWS = 100_000


def _line(name: str, result: Evaluation) -> str:
    classes = ", ".join(
        f"{c} P {f.precision:.2f} R {f.recall:.2f} (n {f.support})"
        for c, f in result.per_class.items()
    )
    return (
        f"| {name} | {result.n:,} | {result.accuracy:.3f} | {result.majority_baseline:.3f} | "
        f"{result.macro_f1:.3f} | {result.ece:.3f} | {classes} |"
    )


def claimbuster() -> str:
    frame = pd.read_csv(DATA / "kfold_25ncs.csv")
    answers = frame["label"].map({1: "cfs", 0: "ncs"}).tolist()
    return _line("ClaimBuster, 5-fold CV", evaluate("claim_type", frame["text"].tolist(), answers))


def checkthat() -> str:
    from sklearn.metrics import accuracy_score, average_precision_score, f1_score

    train, test = (pd.read_csv(DATA / f"ct19_{part}.csv") for part in ("train", "test"))
    model = new_model().fit(train["text"].tolist(), train["label"].map({1: "yes", 0: "no"}))
    probabilities = model.predict_proba(test["text"].tolist())
    classes = list(model.classes_)
    truth = test["label"].map({1: "yes", 0: "no"}).tolist()
    predicted = [classes[i] for i in probabilities.argmax(axis=1)]
    majority = max(truth.count("no"), truth.count("yes")) / len(truth)
    yes = probabilities[:, classes.index("yes")]
    return (
        f"| CheckThat! 2019, trained on {len(train):,} training lines | {len(test):,} | "
        f"{accuracy_score(truth, predicted):.3f} | {majority:.3f} | "
        f"{f1_score(truth, predicted, average='macro'):.3f} | "
        f"{expected_calibration_error(probabilities.max(axis=1), predicted, truth):.3f} | "
        f"average precision of check-worthy {average_precision_score(test['label'], yes):.3f} "
        f"(chance {sum(test['label']) / len(test):.3f}) |"
    )


def training_speed() -> str:
    texts = pd.concat(
        [pd.read_csv(DATA / name)["text"] for name in FILES], ignore_index=True
    ).astype(str)
    labels = pd.concat(
        [pd.read_csv(DATA / name)["label"] for name in FILES], ignore_index=True
    ).map({1: "yes", 0: "no"})
    repeat = -(-TRAINING_ROWS // len(texts))
    frame = pd.DataFrame(
        {"sentence": pd.concat([texts] * repeat).head(TRAINING_ROWS).tolist(),
         "claim_type": pd.concat([labels] * repeat).head(TRAINING_ROWS).tolist()}
    )  # fmt: skip
    csv = frame.to_csv(index=False)
    start = time.perf_counter()
    read = pd.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)
    floor = time.perf_counter() - start
    start = time.perf_counter()
    new_model().fit(read["sentence"].tolist(), read["claim_type"].tolist())
    fit = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (
        f"fit on {TRAINING_ROWS:,} sentences: {fit:.1f} s ({TRAINING_ROWS / fit:,.0f} rows/s); "
        f"floor (read them from CSV) {floor:.2f} s; ratio {fit / floor:.0f}x; "
        f"peak memory of the process {peak:,.0f} MB"
    )


def main() -> None:
    missing = [name for name in FILES if not (DATA / name).is_file()]
    if missing:
        sys.exit(f"no claim data in {DATA} (missing {', '.join(missing)}): set CLAIMS_DATA")
    print(f"{time.strftime('%Y-%m-%d')}, {machine()}")
    print(
        "| data | sentences scored | accuracy | majority baseline | macro-F1 | "
        "calibration error (ECE) | per answer |"
    )
    print("|---|---|---|---|---|---|---|")
    print(claimbuster())
    print(checkthat())
    print()
    print(training_speed())


if __name__ == "__main__":
    main()

"""The model of the labels (issue 21, item 2): `annotator.model` and `model evaluate`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.date_bound import cues
from annotator.errors import InvalidInput
from annotator.model import FEATURE_NAMES, evaluate, expected_calibration_error, sentence_features

JSON_KEYS = {"field", "n", "accuracy", "macro_f1", "majority_baseline", "per_class", "ece"}

PLACES = ["Harrow", "Dunmore", "Kestrel Bay", "Oakfield", "Marrow Hill", "Linton", "Esker"]
THINGS = ["bridge", "library", "tram line", "harbour wall", "school", "clinic", "market"]


def _rows() -> pd.DataFrame:
    """84 labelled sentences of our own: factual claims with figures and past times (some
    date-bound, with present states), opinions in the first person, and greetings."""
    rows = []
    for i, (place, thing) in enumerate((p, t) for p in PLACES for t in THINGS[:4]):
        year = 1990 + i
        rows.append((f"{place} spent {i + 3} million on the {thing} in {year}.", "factual", False))
        rows.append((f"The {thing} in {place} currently employs {i + 40} people.", "factual", True))
    for place, thing in zip(PLACES * 2, THINGS * 2, strict=True):
        rows.append((f"I think the {thing} in {place} is a terrible idea.", "opinion", None))
    for place in PLACES * 2:
        rows.append((f"Good evening and welcome to {place}.", "not_claim", None))
    return pd.DataFrame(rows, columns=["sentence", "claim_type", "date_bound"])


def _write(frame: pd.DataFrame, path: Path) -> Path:
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True)
    else:
        frame.to_parquet(path)
    return path


def _evaluate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["model", "evaluate", *args])
    return result.exit_code, result.output


def test_cues_name_what_the_date_bound_suggester_weighs() -> None:
    found = cues("Pakistan had acquired MI-35 helicopters during 2014.", None)
    assert found["explicit_past"] and found["time_expression"] and not found["now"]
    assert cues("The mayor is currently in talks with the union.", None)["now"]


def test_sentence_features_mark_numbers_quotes_attribution_modals_and_the_first_person() -> None:
    plain = dict(zip(FEATURE_NAMES, sentence_features("Rivers flow downhill."), strict=True))
    rich = dict(
        zip(
            FEATURE_NAMES,
            sentence_features('"We will build 300 homes," the mayor said.'),
            strict=True,
        )
    )
    for name in ("number", "quote", "attribution", "modal", "first_person"):
        assert plain[name] == 0.0 and rich[name] == 1.0, name


def test_a_learnable_field_beats_its_majority_baseline_under_cross_validation() -> None:
    frame = _rows()
    result = evaluate("claim_type", frame["sentence"].tolist(), frame["claim_type"].tolist())
    assert result.n == 84 and result.folds == 5
    assert result.majority_class == "factual" and result.majority_baseline == pytest.approx(56 / 84)
    assert result.accuracy > result.majority_baseline + 0.2
    assert set(result.per_class) == {"factual", "opinion", "not_claim"}
    assert result.per_class["opinion"].support == 14 and result.per_class["opinion"].recall > 0.8
    assert 0.0 <= result.ece < 0.5


def test_the_same_file_gives_the_same_figures_every_time() -> None:
    frame = _rows()
    first = evaluate("claim_type", frame["sentence"].tolist(), frame["claim_type"].tolist())
    again = evaluate("claim_type", frame["sentence"].tolist(), frame["claim_type"].tolist())
    assert first == again


def test_expected_calibration_error_is_the_weighted_gap_between_confidence_and_accuracy() -> None:
    assert expected_calibration_error([0.9, 0.9], ["a", "a"], ["a", "b"]) == pytest.approx(0.4)
    assert expected_calibration_error([1.0, 0.55], ["a", "b"], ["a", "b"]) == pytest.approx(0.225)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_model_evaluate_prints_the_figures_as_json_from_each_file_format(
    tmp_path: Path, suffix: str
) -> None:
    path = _write(_rows(), tmp_path / f"labels{suffix}")
    code, output = _evaluate("--labels", str(path), "--field", "claim_type", "--json")
    assert code == 0, output
    figures = json.loads(output)
    assert set(figures) >= JSON_KEYS
    assert figures["field"] == "claim_type" and figures["n"] == 84
    assert figures["accuracy"] > figures["majority_baseline"]
    assert set(figures["per_class"]["opinion"]) == {"precision", "recall", "support"}


def test_date_bound_is_evaluated_over_factual_answered_rows_only(tmp_path: Path) -> None:
    frame = _rows()
    skipped = frame.assign(skipped=False)
    skipped.loc[0, "skipped"] = True  # a skipped label is no answer
    code, output = _evaluate(
        "--labels", str(_write(skipped, tmp_path / "l.csv")), "--field", "date_bound", "--json"
    )
    assert code == 0, output
    figures = json.loads(output)
    assert figures["n"] == 55  # 56 factual rows, one skipped; opinions and greetings left out
    assert set(figures["per_class"]) == {"true", "false"}
    assert figures["accuracy"] > figures["majority_baseline"]


def test_model_evaluate_prints_a_readable_summary_without_json(tmp_path: Path) -> None:
    code, output = _evaluate("--labels", str(_write(_rows(), tmp_path / "l.csv")))
    assert code == 0, output
    assert "claim_type: 84 labelled sentences, 5-fold cross-validation" in output
    assert "majority baseline   0.667 (always 'factual')" in output
    assert "opinion" in output and "calibration error" in output


@pytest.mark.parametrize(
    ("frame", "field", "message"),
    [
        (
            pd.DataFrame({"text": ["a"] * 10, "claim_type": ["factual"] * 10}),
            "claim_type",
            "missing column sentence; the file needs sentence, claim_type",
        ),
        (
            pd.DataFrame({"sentence": ["a"] * 10, "date_bound": ["true"] * 10}),
            "date_bound",
            "missing column claim_type; the file needs sentence, date_bound, claim_type",
        ),
        (
            pd.DataFrame({"sentence": list("abcdefgh"), "claim_type": ["factual"] * 8}),
            "claim_type",
            "claim_type: only 'factual'; a model needs at least two different answers",
        ),
        (
            pd.DataFrame(
                {"sentence": list("abcdefgh"), "claim_type": ["factual"] * 5 + ["opinion"] * 3}
            ),
            "claim_type",
            "'opinion' has 3; 5-fold cross-validation needs at least 5 rows of each answer",
        ),
        (
            pd.DataFrame(
                {
                    "sentence": list("abcdef"),
                    "claim_type": ["factual"] * 6,
                    "date_bound": ["true", "false", "maybe", "true", "false", "true"],
                }
            ),
            "date_bound",
            "date_bound must be true or false; found 'maybe'",
        ),
    ],
)
def test_model_evaluate_names_what_is_wrong_with_a_file(
    tmp_path: Path, frame: pd.DataFrame, field: str, message: str
) -> None:
    path = _write(frame, tmp_path / "bad.csv")
    code, output = _evaluate("--labels", str(path), "--field", field)
    assert code == 1
    assert message in output
    assert "Traceback" not in output


def test_model_evaluate_refuses_a_file_type_it_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "labels.txt"
    path.write_text("sentence,claim_type\n", encoding="utf-8")
    code, output = _evaluate("--labels", str(path))
    assert code == 1
    assert "labels.txt" in output and "unsupported label file type .txt" in output


def test_model_evaluate_usage_errors_name_the_option(tmp_path: Path) -> None:
    code, output = _evaluate("--labels", str(tmp_path / "nowhere.csv"))
    assert code == 2 and "nowhere.csv" in output and "does not exist" in output
    path = _write(_rows(), tmp_path / "l.csv")
    code, output = _evaluate("--labels", str(path), "--field", "as_of")
    assert code == 2 and "'as_of' is not one of 'claim_type', 'date_bound'" in output


def test_too_little_to_cross_validate_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="no answers"):
        evaluate("claim_type", [], [])

"""`agreement`: the published examples through the CLI's --labels path, projects, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from annotator.cli import main
from annotator.config import SEEDS_DIR
from annotator.services import accounts, assignment, labelling
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.projects import create_project
from tests.conftest import PASSWORD, prepare_database

SessionFor = Callable[[str], AbstractContextManager[Session]]
EXAMPLES = Path(__file__).resolve().parent / "data" / "agreement"


def agreement(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["agreement", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("the command crashed") from result.exception
    return result.exit_code, result.stdout, result.stderr


def figures(*args: str) -> dict:
    code, out, err = agreement(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_krippendorffs_nominal_example_with_missing_values_gives_0_743() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C.
    result = figures("--labels", str(EXAMPLES / "krippendorff_2011.csv"))
    assert round(result["krippendorff_alpha"], 3) == 0.743
    assert result["n_items"] == 11 and result["n_annotators"] == 4
    low, high = result["alpha_ci95"]
    assert low < 0.743 < high


def test_fleiss_kappa_worked_example_gives_0_210() -> None:
    # Fleiss (1971); the worked example on Wikipedia's "Fleiss' kappa" page.
    result = figures("--labels", str(EXAMPLES / "fleiss_1971.csv"))
    assert round(result["fleiss_kappa"], 3) == 0.210
    assert round(result["observed_agreement"], 3) == 0.378


def test_cohens_kappa_example_gives_0_4() -> None:
    # Wikipedia's "Cohen's kappa" example: 20 / 5 / 10 / 15 of 50 proposals.
    result = figures("--labels", str(EXAMPLES / "cohen_wikipedia.csv"))
    assert result["cohen_kappa"] == [{"a": "A", "b": "B", "kappa": 0.4, "n": 50}]
    assert round(result["observed_agreement"], 3) == 0.7


def test_json_has_exactly_the_documented_keys() -> None:
    result = figures("--labels", str(EXAMPLES / "cohen_wikipedia.csv"))
    assert list(result) == [
        "field", "n_items", "n_annotators", "observed_agreement", "krippendorff_alpha",
        "alpha_ci95", "fleiss_kappa", "cohen_kappa",
    ]  # fmt: skip


def test_plain_output_reads_the_figures_in_words() -> None:
    code, out, _ = agreement("--labels", str(EXAMPLES / "krippendorff_2011.csv"))
    assert code == 0
    assert "Krippendorff's alpha  0.743" in out and "substantial" in out
    assert "A / B: 0.845 over 9 items" in out


@pytest.mark.parametrize("suffix", ["jsonl", "parquet"])
def test_jsonl_and_parquet_label_files_give_the_csv_figures(tmp_path: Path, suffix: str) -> None:
    frame = pd.read_csv(EXAMPLES / "krippendorff_2011.csv", dtype=str, keep_default_na=False)
    path = tmp_path / f"labels.{suffix}"
    if suffix == "jsonl":
        frame.to_json(path, orient="records", lines=True)
    else:
        frame.to_parquet(path)
    assert figures("--labels", str(path)) == figures(
        "--labels", str(EXAMPLES / "krippendorff_2011.csv")
    )


def test_skipped_labels_are_missing_and_date_bound_counts_only_factual(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(
        "sentence_id,annotator,claim_type,date_bound,skipped\n"
        "1,a,factual,true,false\n1,b,factual,true,false\n"
        "2,a,factual,false,false\n2,b,opinion,true,false\n"  # b's date_bound ignored
        "3,a,factual,true,false\n3,b,,,true\n"  # skipped: missing
        "4,a,factual,false,false\n4,b,factual,false,false\n",
        encoding="utf-8",
    )
    date_bound = figures("--labels", str(path), "--field", "date_bound")
    assert date_bound["n_items"] == 2 and date_bound["cohen_kappa"][0]["n"] == 2
    assert date_bound["observed_agreement"] == 1.0
    claim_type = figures("--labels", str(path))
    assert claim_type["n_items"] == 3


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("sentence_id,annotator\n1,a\n", "labels.csv", "missing column claim_type"),
        ("annotator,claim_type\na,factual\n", "labels.csv", "missing column sentence_id"),
        ('{"sentence_id": 1}\nnot json\n', "labels.jsonl", "labels.jsonl:2: not valid JSON"),
        ("a,b\n", "labels.xlsx", "unsupported label file type .xlsx"),
        ("not parquet", "labels.parquet", "cannot read the parquet file"),
        ("", "labels.csv", "file is empty"),
    ],
)
def test_bad_label_files_exit_1_with_the_file_and_the_problem(
    tmp_path: Path, content: str, name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, out, err = agreement("--labels", str(path))
    assert code == 1 and out == ""
    assert name in err and message in err


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--project", "default", "--labels", str(EXAMPLES / "cohen_wikipedia.csv")),
        ("--labels", "/no/such/file.csv"),
    ],
)
def test_exactly_one_existing_source_is_a_usage_rule(args: tuple[str, ...]) -> None:
    code, _, err = agreement(*args)
    assert code == 2 and "Error" in err


def test_project_agreement_compares_the_projects_annotators(
    db_url: str, session_for: SessionFor
) -> None:
    prepare_database(db_url, (("admin", "admin"), ("ann", "annotator"), ("bob", "annotator")))
    with session_for(db_url) as session:
        admin = accounts.authenticate(session, "admin", PASSWORD)
        create_project(session, "pair", overlap=2, actor=admin)
        for path in sorted(SEEDS_DIR.glob("*.txt")):
            import_file(session, "pair", path.name, path.read_bytes())
        assignment.assign(session, admin, "pair", ("ann", "bob"))
        people = [accounts.authenticate(session, n, PASSWORD) for n in ("ann", "bob")]
        article = labelling.article_list(session, people[0], "pair")[0].id
        body = labelling.load_article(session, people[0], article).body[:4]
        answers = {"ann": ["factual", "opinion", "factual", "not_claim"],
                   "bob": ["factual", "opinion", "opinion", "not_claim"]}  # fmt: skip
        for person in people:
            for sentence, value in zip(body, answers[person.name], strict=True):
                labelling.save_label(session, person, sentence.id, LabelInput(value), 1.0)
    result = figures("--project", "pair", "--db", db_url)
    assert result["n_items"] == 4 and result["observed_agreement"] == 0.75
    assert result["cohen_kappa"][0]["a"] == "ann" and result["cohen_kappa"][0]["n"] == 4
    code, _, err = agreement("--project", "pair", "--db", db_url, "--field", "colour")
    assert code == 1 and "unknown field 'colour'" in err

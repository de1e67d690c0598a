"""import-labels: labels move between databases; round trips are byte-identical; bad rows name
their line and store nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from annotator.cli import main
from annotator.columns import SHOWN_COLUMNS
from annotator.errors import ImportRejected
from annotator.services import accounts, integrity, labelling
from annotator.services.exporting import ExportRequest, export_bytes
from annotator.services.label_import import import_labels
from annotator.services.labelling import LabelInput, ShownSuggestion
from annotator.services.records import UserInfo
from tests.conftest import PASSWORD, prepare_database, table_counts

SessionFor = Callable[[str], AbstractContextManager[Session]]
AWKWARD_NOTE = 'Quote "this", a comma, =SUM(A1)\nand a second line 🎉'


# What the annotator was shown with each answer of `_label_some` (None: nothing).
SHOWN = [
    ShownSuggestion("factual", 0.91234, "claim_type-v3", "preselected"),  # accepted
    ShownSuggestion("factual", 0.5, "claim_type-v3", "shown"),  # overridden: opinion
    None,
    ShownSuggestion("factual", 0.0625, "claim_type-v2", "shown"),
    None,
]
# ... as the labels export writes it (3 decimals, ties to even)
SHOWN_EXPORTED = [
    ("factual", 0.912, "claim_type-v3", "preselected"),
    ("factual", 0.5, "claim_type-v3", "shown"),
    (None, None, None, None),
    ("factual", 0.062, "claim_type-v2", "shown"),
    (None, None, None, None),
]


def _label_some(session: Session, user: UserInfo) -> None:
    for summary in labelling.article_list(session, user, "default"):
        body = labelling.load_article(session, user, summary.id).body
        answers = [
            LabelInput("factual", date_bound=True, as_of=dt.date(2014, 11, 21), note=AWKWARD_NOTE),
            LabelInput("opinion"),
            LabelInput(None, skipped=True, note="unclear"),
            LabelInput("factual", date_bound=False),
            LabelInput("not_claim", note="caption credit"),
        ]
        for sentence, answer, shown in zip(body, answers, SHOWN, strict=False):
            labelling.save_label(session, user, sentence.id, answer, 1.23456, shown=shown)


def _export(session: Session, format_: str = "csv") -> bytes:
    return export_bytes(session, ExportRequest("default", "labels", format_), None)


@pytest.fixture
def source(seeded: Session, annotator_user: UserInfo) -> Session:
    """The seeded database with labels by `ann` on both seed articles."""
    _label_some(seeded, annotator_user)
    return seeded


@pytest.fixture
def target(tmp_path: Path, session_for: SessionFor) -> Iterator[Session]:
    """A second database with the same seeds and an account `ann`, but no labels."""
    url = f"sqlite:///{tmp_path / 'target.db'}"
    prepare_database(url, (("admin", "admin"), ("ann", "annotator")))
    with session_for(url) as session:
        yield session


@pytest.mark.parametrize("format_", ["csv", "jsonl", "parquet"])
def test_export_import_export_round_trip_is_byte_identical(
    source: Session, target: Session, format_: str
) -> None:
    exported = _export(source, format_)
    report = import_labels(target, None, "default", f"labels.{format_}", exported)
    assert (report.added, report.updated, report.unchanged) == (10, 0, 0)
    assert _export(target, format_) == exported
    # ... with what each annotator was shown kept, not dropped on both sides alike
    assert _shown(target) == _shown(source) == SHOWN_EXPORTED * 2


@pytest.mark.postgres
@pytest.mark.parametrize("format_", ["csv", "parquet"])
def test_the_round_trip_into_postgresql_keeps_every_byte_and_the_suggestions(
    source: Session, pg_engine: Engine, session_for: SessionFor, format_: str
) -> None:
    url = pg_engine.url.render_as_string(hide_password=False)
    prepare_database(url, (("admin", "admin"), ("ann", "annotator")))
    exported = _export(source, format_)
    with session_for(url) as target:
        import_labels(target, None, "default", f"labels.{format_}", exported)
        assert _export(target, format_) == exported
        assert _shown(target) == SHOWN_EXPORTED * 2


def _shown(session: Session) -> list[tuple[object, ...]]:
    """Each label's suggestion columns as the labels export gives them, in its order."""
    frame = pd.read_parquet(io.BytesIO(_export(session, "parquet")))
    return [
        tuple(None if pd.isna(v) else v for v in row)
        for row in frame[list(SHOWN_COLUMNS)].itertuples(index=False)
    ]


def test_importing_the_same_file_again_changes_nothing(source: Session, engine) -> None:
    exported = _export(source)
    before = table_counts(engine)
    report = import_labels(source, None, "default", "labels.csv", exported)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 10)
    assert table_counts(engine) == before


def test_imported_labels_settle_gold_and_appear_in_history(
    source: Session, target: Session
) -> None:
    import_labels(target, None, "default", "labels.csv", _export(source))
    gold = pd.read_csv(io.BytesIO(export_bytes(target, ExportRequest("default", "gold"), None)))
    assert len(gold) == 8 and set(gold["decided_by"]) == {"unanimous"}


def _rewritten(data: bytes, row: int, column: str, value: str) -> bytes:
    """The CSV with one cell of data row `row` (from 0) changed. Rows 0 and 5 hold a note with
    a line break, so data row 1 starts on line 4 of the file, row 2 on line 5, and so on."""
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("claim_type", "rumour", "claim_type 'rumour' is not one of factual, opinion, not_claim"),
        ("annotator", "zed", "no account named 'zed'; create it first"),
        (
            "sentence",
            "Something else entirely.",
            "the text differs: characters 407-575 of the article titled 'Pak-Russia alliance "
            "against terrorism' read 'During the dialogues, the two sides exchanged "
            "assessments...', the file has 'Something else entirely.'",
        ),
        (
            "char_start",
            "408",
            "the offsets differ: no sentence of the article titled 'Pak-Russia alliance "
            "against terrorism' spans characters 408-575; that text is at characters 407-575",
        ),
        ("char_start", "x", "char_start must be a whole number"),
        ("char_end", "0", "char_start and char_end must be offsets with start < end"),
        ("date_bound", "maybe", "date_bound must be true, false or empty"),
        ("as_of", "21/11/2014", "as_of must be a date YYYY-MM-DD"),
        ("labelled_at", "yesterday", "labelled_at must be an ISO 8601 timestamp"),
        ("labelled_at", "2026-11-23T10:00:00", "labelled_at needs a time zone"),
        ("seconds_spent", "-1", "seconds_spent must be zero or more"),
        ("seconds_spent", "nan", "seconds_spent must be zero or more"),
        ("skipped", "yes", "skipped must be true, false or empty"),
        ("article_title", "No such article", "no article in this project is titled"),
        ("suggestion", "rumour", "suggestion 'rumour' is not one of factual, opinion, not_claim"),
        ("suggestion_confidence", "1.5",
         "suggestion_confidence must be a number from 0 to 1, not '1.5'"),
        ("suggestion_confidence", "-0.1",
         "suggestion_confidence must be a number from 0 to 1, not '-0.1'"),
        ("suggestion_confidence", "nan",
         "suggestion_confidence must be a number from 0 to 1, not 'nan'"),
        ("suggestion_confidence", "high",
         "suggestion_confidence must be a number from 0 to 1, not 'high'"),
        ("suggestion_mode", "auto", "suggestion_mode must be shown or preselected, not 'auto'"),
        ("suggestion_model", "m" * 65, "suggestion_model is 65 characters; the limit is 64"),
        ("suggestion_model", " ",
         "suggestion, suggestion_confidence, suggestion_model and suggestion_mode go together: "
         "give all four or none (missing: suggestion_model)"),
    ],
)  # fmt: skip
def test_a_bad_row_rejects_the_file_naming_its_line_and_stores_nothing(
    source: Session, target: Session, column: str, value: str, message: str
) -> None:
    bad = _rewritten(_export(source), 1, column, value)
    before = table_counts(target.get_bind())
    with pytest.raises(ImportRejected) as error:
        import_labels(target, None, "default", "labels.csv", bad)
    assert f"labels.csv:4: {message}" in str(error.value)
    assert table_counts(target.get_bind()) == before


def test_a_suggestion_column_given_alone_names_the_ones_missing(
    source: Session, target: Session
) -> None:
    bad = _rewritten(_export(source), 2, "suggestion_mode", "shown")  # a skip, nothing shown
    before = table_counts(target.get_bind())
    with pytest.raises(ImportRejected) as error:
        import_labels(target, None, "default", "labels.csv", bad)
    assert str(error.value) == (
        "labels.csv:5: suggestion, suggestion_confidence, suggestion_model and suggestion_mode "
        "go together: give all four or none (missing: suggestion, suggestion_confidence, "
        "suggestion_model)"
    )
    assert table_counts(target.get_bind()) == before


def _without_shown(data: bytes) -> bytes:
    """The CSV export without its four suggestion columns (a file from before issue 21)."""
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    return frame.drop(columns=list(SHOWN_COLUMNS)).to_csv(index=False).encode("utf-8")


def test_a_file_without_the_suggestion_columns_imports_and_stores_none(
    source: Session, target: Session
) -> None:
    exported = _export(source)
    report = import_labels(target, None, "default", "labels.csv", _without_shown(exported))
    assert (report.added, report.updated, report.unchanged) == (10, 0, 0)
    assert _shown(target) == [(None, None, None, None)] * 10
    assert _without_shown(_export(target)) == _without_shown(exported)


def test_a_file_without_the_suggestion_columns_leaves_the_stored_ones_alone(
    source: Session,
) -> None:
    """It says nothing about what was shown: equal answers are unchanged, suggestions kept."""
    exported = _export(source)
    report = import_labels(source, None, "default", "labels.csv", _without_shown(exported))
    assert (report.added, report.updated, report.unchanged) == (0, 0, 10)
    assert _export(source) == exported


def test_another_suggestion_for_the_same_answer_is_a_conflict_and_replace_keeps_the_files(
    source: Session, target: Session
) -> None:
    exported = _export(source)
    import_labels(target, None, "default", "labels.csv", exported)
    changed = _rewritten(exported, 1, "suggestion_model", "claim_type-v4")
    with pytest.raises(ImportRejected) as error:
        import_labels(target, None, "default", "labels.csv", changed)
    assert str(error.value) == (
        "labels.csv:4: ann already has this answer with another suggestion for this sentence "
        "(give --replace to overwrite it)"
    )
    report = import_labels(target, None, "default", "labels.csv", changed, replace=True)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 9)
    assert _shown(target)[1] == ("factual", 0.5, "claim_type-v4", "shown")
    # a new answer without a suggestion shown clears the old answer's suggestion
    cleared = _rewritten(_rewritten(changed, 1, "claim_type", "not_claim"), 1, "suggestion", "")
    for column in ("suggestion_confidence", "suggestion_model", "suggestion_mode"):
        cleared = _rewritten(cleared, 1, column, "")
    import_labels(target, None, "default", "labels.csv", cleared, replace=True)
    assert _shown(target)[1] == (None, None, None, None)
    assert [p for p in integrity.find_problems(target) if p.check == "counts"] == []


def test_conflicting_labels_need_replace_and_then_overwrite_with_history(
    source: Session, target: Session
) -> None:
    exported = _export(source)
    import_labels(target, None, "default", "labels.csv", exported)
    changed = _rewritten(exported, 1, "claim_type", "not_claim")
    with pytest.raises(ImportRejected, match=r"labels\.csv:4: ann already has a different label"):
        import_labels(target, None, "default", "labels.csv", changed)
    report = import_labels(target, None, "default", "labels.csv", changed, replace=True)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 9)
    frame = pd.read_csv(io.BytesIO(_export(target)))
    assert frame.loc[1, "claim_type"] == "not_claim"
    # every counter (progress, article lists) agrees with the labels
    assert [p for p in integrity.find_problems(target) if p.check == "counts"] == []


def test_every_problem_is_listed_with_its_line_in_line_order(
    source: Session, target: Session
) -> None:
    bad = _rewritten(_rewritten(_export(source), 0, "annotator", "zed"), 3, "claim_type", "x")
    with pytest.raises(ImportRejected) as error:
        import_labels(target, None, "default", "labels.csv", bad)
    lines = str(error.value).splitlines()
    assert [line.split(": ")[0] for line in lines] == ["labels.csv:2", "labels.csv:6"]


def test_repeated_rows_for_one_sentence_and_annotator_are_rejected(
    source: Session, target: Session
) -> None:
    frame = pd.read_csv(io.BytesIO(_export(source)), dtype=str, keep_default_na=False)
    doubled = pd.concat([frame.iloc[[1]], frame.iloc[[1]]]).to_csv(index=False).encode()
    with pytest.raises(ImportRejected, match=r"labels\.csv:3: repeats line 2"):
        import_labels(target, None, "default", "labels.csv", doubled)


def test_missing_columns_are_named(target: Session) -> None:
    with pytest.raises(ImportRejected, match="missing columns char_start, char_end"):
        import_labels(target, None, "default", "l.csv", b"article_title,sentence,annotator\n")


def test_an_annotator_may_not_import_labels(source: Session, target: Session) -> None:
    ann = accounts.authenticate(target, "ann", PASSWORD)
    with pytest.raises(Exception, match="not a lead"):
        import_labels(target, ann, "default", "labels.csv", _export(source))


def test_cli_import_labels_reports_counts_and_rejects_with_exit_1(
    source: Session, tmp_path: Path
) -> None:
    target_url = f"sqlite:///{tmp_path / 'cli.db'}"
    prepare_database(target_url, (("admin", "admin"), ("ann", "annotator")))
    path = tmp_path / "labels.csv"
    path.write_bytes(_export(source))
    runner = CliRunner()
    args = ["import-labels", str(path), "--project", "default", "--db", target_url]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.stderr
    assert "10 labels added, 0 replaced, 0 unchanged" in result.stdout
    path.write_bytes(_rewritten(path.read_bytes(), 3, "claim_type", "rumour"))
    result = runner.invoke(main, [*args, "--replace"])
    assert result.exit_code == 1 and "labels.csv:6: claim_type 'rumour'" in result.stderr


def test_an_export_without_labels_imports_nothing_in_every_format(
    seeded: Session, target: Session
) -> None:
    for format_ in ("csv", "jsonl", "parquet"):
        empty = _export(seeded, format_)
        report = import_labels(target, None, "default", f"labels.{format_}", empty)
        assert (report.added, report.updated, report.unchanged) == (0, 0, 0)

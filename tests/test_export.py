"""Exports: the documented columns in order, types pandas reads back, awkward text survives."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, PermissionDenied
from annotator.services import accounts, labelling
from annotator.services.exporting import LABEL_COLUMNS, ExportRequest, export_bytes
from annotator.services.labelling import LabelInput
from annotator.services.records import UserInfo
from annotator.writers import csv_chunks, format_value
from tests.conftest import PASSWORD

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

AWKWARD_NOTE = 'Said "no", then yes;\nüñïçødé — 🎉, commas, and =SUM(A1)'


def _label_some(session: Session, user: UserInfo) -> list[int]:
    summary = labelling.article_list(session, user, "default")[-1]
    body = labelling.load_article(session, user, summary.id).body
    answers = [
        LabelInput("factual", date_bound=True, as_of=dt.date(2014, 11, 21), note=AWKWARD_NOTE),
        LabelInput("opinion"),
        LabelInput(None, skipped=True, note="unclear"),
        LabelInput("factual", date_bound=False),
    ]
    for sentence, answer in zip(body, answers, strict=False):
        labelling.save_label(session, user, sentence.id, answer, 1.25)
    return [s.id for s in body[: len(answers)]]


def _frame(session: Session, kind: str) -> pd.DataFrame:
    data = export_bytes(session, ExportRequest(project="default", kind=kind), None)
    return pd.read_csv(io.BytesIO(data), keep_default_na=True)


# DESIGN.md section 7, written out here so that reordering the code's constant fails a test.
DOCUMENTED_LABEL_COLUMNS = (
    "project, article_id, article_title, article_published, article_source, article_url, "
    "sentence_id, sentence_index, char_start, char_end, sentence, annotator, claim_type, "
    "date_bound, as_of, note, skipped, labelled_at, seconds_spent"
).split(", ")
DOCUMENTED_SENTENCE_COLUMNS = [*DOCUMENTED_LABEL_COLUMNS[:11], "role"]


def test_labels_export_has_the_documented_columns_in_order(
    seeded: Session, annotator_user: UserInfo
) -> None:
    _label_some(seeded, annotator_user)
    assert list(_frame(seeded, "labels").columns) == DOCUMENTED_LABEL_COLUMNS
    assert list(LABEL_COLUMNS) == DOCUMENTED_LABEL_COLUMNS


def test_sentences_export_has_the_documented_columns_in_order(seeded: Session) -> None:
    assert list(_frame(seeded, "sentences").columns) == DOCUMENTED_SENTENCE_COLUMNS


def test_an_annotator_may_not_export_but_a_lead_may(
    seeded: Session, annotator_user: UserInfo
) -> None:
    request = ExportRequest(project="default", kind="labels")
    with pytest.raises(PermissionDenied, match="only leads and admins"):
        export_bytes(seeded, request, annotator_user)
    lead = accounts.create_user(seeded, "lead", "lead", PASSWORD)
    assert export_bytes(seeded, request, lead) == export_bytes(seeded, request, None)


def test_readme_read_csv_snippet_gives_the_documented_types(
    seeded: Session, annotator_user: UserInfo, tmp_path: Path
) -> None:
    _label_some(seeded, annotator_user)
    path = tmp_path / "labels.csv"
    path.write_bytes(export_bytes(seeded, ExportRequest(project="default", kind="labels"), None))
    snippet = re.search(r"```python\n(.*?)```", README.split("## Data dictionary")[1], re.DOTALL)
    assert snippet is not None
    namespace: dict[str, object] = {}
    exec(snippet.group(1).replace('"labels.csv"', repr(str(path))), namespace)
    frame = namespace["labels"]
    assert isinstance(frame, pd.DataFrame)
    dtypes = {column: str(dtype) for column, dtype in frame.dtypes.items()}
    assert dtypes["labelled_at"].startswith("datetime64") and "UTC" in dtypes["labelled_at"]
    assert dtypes["article_published"].startswith("datetime64")
    assert dtypes["as_of"].startswith("datetime64")
    assert dtypes["date_bound"] == "boolean" and dtypes["skipped"] == "bool"
    for column in ("article_source", "article_url", "note", "claim_type", "sentence"):
        assert dtypes[column] in {"object", "str", "string"}, column
    assert dtypes["sentence_id"] == "int64" and dtypes["seconds_spent"] == "float64"


def test_labels_export_round_trips_through_pandas_with_types(
    seeded: Session, annotator_user: UserInfo
) -> None:
    ids = _label_some(seeded, annotator_user)
    frame = _frame(seeded, "labels")
    assert list(frame["sentence_id"]) == ids
    assert frame["note"][0] == AWKWARD_NOTE
    assert frame["date_bound"].tolist()[0] is True and frame["date_bound"].tolist()[3] is False
    assert pd.isna(frame["date_bound"][1])
    assert frame["skipped"].dtype == bool and frame["skipped"].tolist() == [
        False,
        False,
        True,
        False,
    ]
    assert (
        str(frame["char_start"].dtype) == "int64" and str(frame["seconds_spent"].dtype) == "float64"
    )
    assert frame["as_of"][0] == "2014-11-21"
    assert frame["article_published"][0] == "2014-11-21"
    stamps = pd.to_datetime(frame["labelled_at"], utc=True)
    assert (stamps.dt.tz is not None) and stamps.notna().all()
    assert frame["annotator"].unique().tolist() == ["ann"]


def test_exported_sentence_is_the_slice_of_the_stored_text(
    seeded: Session, annotator_user: UserInfo
) -> None:
    frame = _frame(seeded, "sentences")
    for _, row in frame.iterrows():
        article = labelling.load_article(seeded, annotator_user, int(row["article_id"]))
        assert article.text[row["char_start"] : row["char_end"]] == row["sentence"]
    assert set(frame["role"]) >= {"title", "body", "caption", "boilerplate"}


def test_export_is_utf8_without_bom_and_excel_mode_adds_bom_and_neutralises_formulas(
    seeded: Session, annotator_user: UserInfo
) -> None:
    _label_some(seeded, annotator_user)
    plain = export_bytes(seeded, ExportRequest(project="default", kind="labels"), None)
    excel = export_bytes(seeded, ExportRequest(project="default", kind="labels", excel=True), None)
    assert not plain.startswith(b"\xef\xbb\xbf") and excel.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(excel), encoding="utf-8-sig")
    assert frame["note"][0] == AWKWARD_NOTE  # starts with 'S', left alone
    chunks = "".join(
        csv_chunks(["a"], [["=SUM(A1)"], ["-5"], ["@cmd"], ["+1"], ["ok"]], excel=True)
    )
    assert chunks.splitlines()[1:] == ["'=SUM(A1)", "'-5", "'@cmd", "'+1", "ok"]


def test_csv_chunks_stream_in_pieces_that_join_to_the_whole() -> None:
    rows = [[i, f"row {i}"] for i in range(25)]
    chunks = list(csv_chunks(["n", "text"], rows, rows_per_chunk=10))
    assert len(chunks) == 3
    assert "".join(chunks).count("\n") == 26


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (dt.date(2014, 11, 21), "2014-11-21"),
        (dt.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=dt.UTC), "2026-01-02T03:04:05.678Z"),
        (1.5, "1.500"),
        (7, "7"),
    ],
)
def test_values_are_spelled_as_the_data_dictionary_says(value: object, text: str) -> None:
    assert format_value(value) == text


def test_unknown_kind_is_refused(seeded: Session) -> None:
    with pytest.raises(InvalidInput, match="unknown export kind 'gold-ish'"):
        export_bytes(seeded, ExportRequest(project="default", kind="gold-ish"), None)

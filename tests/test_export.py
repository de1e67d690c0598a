"""Exports: the documented columns in order, types pandas reads back, awkward text survives."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable

import pandas as pd
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from annotator.columns import GOLD_COLUMNS, LABEL_COLUMNS
from annotator.config import SEEDS_DIR
from annotator.errors import InvalidInput, PermissionDenied
from annotator.services import accounts, adjudication, exporting, labelling
from annotator.services.exporting import ExportRequest, export_bytes
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput, ShownSuggestion
from annotator.services.projects import create_project
from annotator.services.records import UserInfo
from annotator.services.setup import initialise
from annotator.writers import csv_chunks, format_value, jsonl_chunks, tables
from db.engine import session_factory
from tests.conftest import AWKWARD_NOTE, PASSWORD

LabelSome = Callable[[Session, UserInfo], list[int]]


def _frame(session: Session, kind: str) -> pd.DataFrame:
    data = export_bytes(session, ExportRequest(project="default", kind=kind), None)
    return pd.read_csv(io.BytesIO(data), keep_default_na=True)


# DESIGN.md section 7, written out here so that reordering the code's constant fails a test.
DOCUMENTED_LABEL_COLUMNS = (
    "project, article_id, article_title, article_published, article_source, article_url, "
    "sentence_id, sentence_index, char_start, char_end, sentence, speaker, annotator, claim_type, "
    "date_bound, as_of, note, skipped, labelled_at, seconds_spent, suggestion, "
    "suggestion_confidence, suggestion_model, suggestion_mode"
).split(", ")
DOCUMENTED_SENTENCE_COLUMNS = [*DOCUMENTED_LABEL_COLUMNS[:12], "role"]


def test_labels_export_has_the_documented_columns_in_order(
    seeded: Session, annotator_user: UserInfo, label_some: LabelSome
) -> None:
    label_some(seeded, annotator_user)
    assert list(_frame(seeded, "labels").columns) == DOCUMENTED_LABEL_COLUMNS
    assert list(LABEL_COLUMNS) == DOCUMENTED_LABEL_COLUMNS


def test_sentences_export_has_the_documented_columns_in_order(seeded: Session) -> None:
    assert list(_frame(seeded, "sentences").columns) == DOCUMENTED_SENTENCE_COLUMNS


def test_only_an_admin_or_a_lead_of_the_project_may_export_it(
    seeded: Session, admin_user: UserInfo, annotator_user: UserInfo
) -> None:
    lead = accounts.create_user(seeded, "lead", "lead", PASSWORD)
    other = accounts.create_user(seeded, "other", "lead", PASSWORD)
    create_project(seeded, "team", actor=lead)
    team = ExportRequest(project="team", kind="labels")
    default = ExportRequest(project="default", kind="labels")
    assert export_bytes(seeded, team, lead) == export_bytes(seeded, team, None)
    assert export_bytes(seeded, default, admin_user) == export_bytes(seeded, default, None)
    for actor, request in ((annotator_user, default), (other, team), (lead, default)):
        with pytest.raises(PermissionDenied, match="not a lead of this project"):
            export_bytes(seeded, request, actor)


def test_labels_export_round_trips_through_pandas_with_types(
    seeded: Session, annotator_user: UserInfo, label_some: LabelSome
) -> None:
    ids = label_some(seeded, annotator_user)
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


def test_exported_sentences_are_sliced_by_code_point_however_the_rows_are_chunked(
    seeded: Session, annotator_user: UserInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "Astral test\n\nThe 🎉 crowd cheered in Zürich on Monday. "
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters and 😀 came next. A third sentence ends here."
    )
    assert import_file(seeded, "default", "astral.txt", text.encode()).imported == 1
    whole = _frame(seeded, "sentences")
    monkeypatch.setattr(exporting, "FETCH_ROWS", 3)  # articles straddle the chunks
    chunked = _frame(seeded, "sentences")
    pd.testing.assert_frame_equal(chunked, whole)
    for _, row in chunked.iterrows():
        article = labelling.load_article(seeded, annotator_user, int(row["article_id"]))
        assert article.text[row["char_start"] : row["char_end"]] == row["sentence"]
    assert "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters and 😀 came next." in set(chunked["sentence"])


def test_export_is_utf8_without_bom_and_excel_mode_adds_bom_and_neutralises_formulas(
    seeded: Session, annotator_user: UserInfo, label_some: LabelSome
) -> None:
    label_some(seeded, annotator_user)
    plain = export_bytes(seeded, ExportRequest(project="default", kind="labels"), None)
    excel = export_bytes(seeded, ExportRequest(project="default", kind="labels", excel=True), None)
    assert not plain.startswith(b"\xef\xbb\xbf") and excel.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(excel), encoding="utf-8-sig")
    assert frame["note"][0] == AWKWARD_NOTE  # starts with 'S', left alone
    rows = [["=SUM(A1)"], ["-5"], ["@cmd"], ["+1"], ["\t=1"], ["\r=1"], ["ok"]]
    chunks = "".join(csv_chunks({"a": "string"}, tables({"a": "string"}, rows), excel=True))
    cells = [row[0] for row in csv.reader(io.StringIO(chunks.removeprefix("\ufeff")))]
    assert cells[1:] == ["'=SUM(A1)", "'-5", "'@cmd", "'+1", "'\t=1", "'\r=1", "ok"]


def test_csv_chunks_stream_in_pieces_that_join_to_the_whole() -> None:
    rows = [[i, f"row {i}"] for i in range(25)]
    columns = {"n": "int", "text": "string"}
    chunks = list(csv_chunks(columns, tables(columns, rows, rows_per_chunk=10)))
    assert len(chunks) == 4  # the header, then one piece per 10 rows
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


DOCUMENTED_GOLD_COLUMNS = [
    *DOCUMENTED_LABEL_COLUMNS[:12],
    *"claim_type, date_bound, as_of, n_labels, agreement, decided_by".split(", "),
    *"verdict, evidence_urls, rationale".split(", "),
]


def _export(session: Session, kind: str, format_: str = "csv") -> bytes:
    return export_bytes(session, ExportRequest("default", kind, format_), None)


def _cells(data: bytes, format_: str) -> list[list[str]]:
    """Every format's rows in the CSV spelling, to compare content across formats."""
    if format_ == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8"))))
    if format_ == "jsonl":
        records = [json.loads(line) for line in data.decode("utf-8").splitlines()]
        return [list(records[0])] + [[format_value(v) for v in r.values()] for r in records]
    table = pq.read_table(io.BytesIO(data))
    return [table.column_names] + [
        [format_value(v) for v in row.values()] for row in table.to_pylist()
    ]


def test_gold_export_has_the_documented_columns_and_says_who_decided(
    seeded: Session, annotator_user: UserInfo, admin_user: UserInfo, label_some: LabelSome
) -> None:
    labelled = label_some(seeded, annotator_user)
    adjudication.adjudicate(seeded, admin_user, labelled[1], LabelInput("not_claim"))
    frame = pd.read_csv(io.BytesIO(_export(seeded, "gold")))
    assert list(frame.columns) == DOCUMENTED_GOLD_COLUMNS
    assert list(GOLD_COLUMNS) == DOCUMENTED_GOLD_COLUMNS
    # overlap 1: one answer is unanimous; the skipped sentence has no gold.
    assert frame["sentence_id"].tolist() == [labelled[0], labelled[1], labelled[3]]
    assert frame["claim_type"].tolist() == ["factual", "not_claim", "factual"]
    assert frame["decided_by"].tolist() == ["unanimous", "admin", "unanimous"]
    assert frame["n_labels"].tolist() == [1, 1, 1]
    assert frame["agreement"].tolist() == [1.0, 0.0, 1.0]
    assert frame["as_of"].tolist()[0] == "2014-11-21"


@pytest.mark.parametrize("kind", ["labels", "gold", "sentences"])
def test_csv_jsonl_and_parquet_hold_identical_content(
    seeded: Session, annotator_user: UserInfo, kind: str, label_some: LabelSome
) -> None:
    label_some(seeded, annotator_user)
    contents = {f: _cells(_export(seeded, kind, f), f) for f in ("csv", "jsonl", "parquet")}
    assert len(contents["csv"]) > 1
    assert contents["jsonl"] == contents["csv"]
    assert contents["parquet"] == contents["csv"]


def test_parquet_columns_are_typed(
    seeded: Session, annotator_user: UserInfo, label_some: LabelSome
) -> None:
    label_some(seeded, annotator_user)
    schema = pq.read_table(io.BytesIO(_export(seeded, "labels", "parquet"))).schema
    types = {name: str(schema.field(name).type) for name in schema.names}
    assert types["article_published"] == "date32[day]"
    assert types["labelled_at"] == "timestamp[ms, tz=UTC]"
    assert types["date_bound"] == "bool" and types["skipped"] == "bool"
    assert types["sentence_id"] == "int64" and types["seconds_spent"] == "double"
    frame = pd.read_parquet(io.BytesIO(_export(seeded, "labels", "parquet")))
    assert frame["note"].iloc[0] == AWKWARD_NOTE


def test_jsonl_lines_are_objects_with_typed_values(
    seeded: Session, annotator_user: UserInfo, label_some: LabelSome
) -> None:
    label_some(seeded, annotator_user)
    first = json.loads(_export(seeded, "labels", "jsonl").decode("utf-8").splitlines()[0])
    assert list(first) == DOCUMENTED_LABEL_COLUMNS
    assert first["date_bound"] is True and first["seconds_spent"] == 1.25
    assert first["as_of"] == "2014-11-21" and first["labelled_at"].endswith("Z")


def test_an_empty_export_is_a_valid_file_in_every_format(seeded: Session) -> None:
    header = ",".join(f'"{c}"' for c in DOCUMENTED_GOLD_COLUMNS) + "\n"
    assert _export(seeded, "gold", "csv").decode() == header
    assert _export(seeded, "gold", "jsonl") == b""
    assert pq.read_table(io.BytesIO(_export(seeded, "gold", "parquet"))).num_rows == 0


def test_excel_option_is_refused_for_typed_formats(seeded: Session) -> None:
    with pytest.raises(InvalidInput, match="CSV only"):
        export_bytes(seeded, ExportRequest("default", "labels", "parquet", excel=True), None)


def test_jsonl_keeps_slashes_and_backslashes_and_one_object_per_line() -> None:
    columns = {"text": "string"}
    awkward = ["https://example.com/a", "a\\/b", "ends with \\", "line\u2028separator", "é\n"]
    text = "".join(jsonl_chunks(columns, tables(columns, [[v] for v in awkward])))
    assert '"https://example.com/a"' in text  # not https:\/\/...
    lines = text.splitlines()  # splits on U+2028 too: it must be escaped
    assert [json.loads(line)["text"] for line in lines] == awkward


def test_numbers_round_to_three_decimals_alike_in_every_format() -> None:
    columns = {"x": "float"}
    values = [[1.23456], [0.0005], [12.0], [None], [2.9995]]
    chunks = list(tables(columns, values))
    csv_text = [
        r[0] if r else "" for r in csv.reader(io.StringIO("".join(csv_chunks(columns, chunks))))
    ][1:]
    as_json = [
        json.loads(line)["x"] for line in "".join(jsonl_chunks(columns, chunks)).split("\n")[:-1]
    ]
    assert csv_text == ["1.235", "0.000", "12.000", "", "3.000"]
    assert as_json == [1.235, 0.0, 12.0, None, 3.0]


def test_a_carriage_return_in_a_cell_stays_inside_its_row() -> None:
    columns = {"note": "string", "n": "int"}
    rows = [["one\rtwo", 1], ["three\r\nfour", 2], ["", 3], [None, 4]]
    text = "".join(csv_chunks(columns, tables(columns, rows)))
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["note", "n"], ["one\rtwo", "1"], ["three\r\nfour", "2"], ["", "3"], ["", "4"],
    ]  # fmt: skip
    frame = pd.read_csv(io.StringIO(text, newline=""), keep_default_na=False)
    assert frame["note"].tolist() == ["one\rtwo", "three\r\nfour", "", ""]


@pytest.mark.parametrize("format_", ["csv", "jsonl", "parquet"])
def test_labels_export_records_the_suggestion_shown_and_leaves_it_empty_where_none_was(
    any_engine: Engine, format_: str
) -> None:
    with session_factory(any_engine)() as session:
        initialise(any_engine, session, SEEDS_DIR)
        accounts.create_user(session, "admin", "admin", PASSWORD)
        ann = accounts.create_user(session, "ann", "annotator", PASSWORD)
        article = labelling.article_list(session, ann, "default")[0].id
        first, second, third = labelling.load_article(session, ann, article).body[:3]
        shown = ShownSuggestion("factual", 0.87654, "claim_type-v3", "preselected")
        labelling.save_label(session, ann, first.id, LabelInput("factual"), 1.0, shown=shown)
        overridden = ShownSuggestion("not_claim", 0.5, "claim_type-v2", "shown")
        labelling.save_label(session, ann, second.id, LabelInput("opinion"), 1.0, shown=overridden)
        labelling.save_label(session, ann, third.id, LabelInput("opinion"), 1.0)
        rows = _cells(_export(session, "labels", format_), format_)
    columns = ["suggestion", "suggestion_confidence", "suggestion_model", "suggestion_mode"]
    at = [rows[0].index(column) for column in columns]
    assert at == list(range(rows[0].index("seconds_spent") + 1, len(rows[0])))
    assert [[row[i] for i in at] for row in rows[1:]] == [
        ["factual", "0.877", "claim_type-v3", "preselected"],
        ["not_claim", "0.500", "claim_type-v2", "shown"],
        ["", "", "", ""],  # nothing shown: empty, never a made-up value
    ]

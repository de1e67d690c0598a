"""Label files (pure): a `labels` export in CSV, JSON Lines or Parquet, read back.

Two readers: `label_rows` gives every cell in the CSV spelling with the line it came from (for
`import-labels`, which checks each row), and `agreement_table` gives the three columns the
agreement coefficients need, read column-wise so a million labels stay fast. pandas and
pyarrow are imported where they are used: a CSV or JSON Lines file needs neither, and a
command's start-up pays for them only when it reads a table (issue 19).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from annotator.errors import ImportRejected
from annotator.wording import plural

if TYPE_CHECKING:
    import pandas as pd

LABEL_FILE_FORMATS = ("csv", "jsonl", "parquet")
LABEL_MATCHES = ("offsets", "text")  # how import-labels finds a row's sentence
MAX_LABEL_FILE_BYTES = 512 * 1024 * 1024
Rows = list[tuple[int, list[str]]]


def file_format(name: str) -> str:
    """`csv`, `jsonl` or `parquet` from the file name; ImportRejected for anything else."""
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix not in LABEL_FILE_FORMATS:
        raise ImportRejected(
            f"unsupported label file type {('.' + suffix) if suffix else '(none)'}; "
            f"use {', '.join('.' + f for f in LABEL_FILE_FORMATS)}",
            file=name,
        )
    return suffix


def label_rows(name: str, data: bytes) -> tuple[list[str], Rows]:
    """The header and every row as text in the export's spelling, each with its line number
    (for Parquet: the row number, the header counting as row 1)."""
    from annotator.readers import csv_rows, decode_text

    _check_size(name, data)
    kind = file_format(name)
    if kind == "csv":
        rows = csv_rows(decode_text(data, name, newlines=False), name)
        _, header = next(rows, (1, []))
        return [h.strip() for h in header], [(line, row) for line, row in rows]
    if kind == "jsonl":
        # An export with no rows is an empty JSON Lines file: nothing to read, not an error.
        return ([], []) if not data.strip() else _jsonl_rows(name, data)
    return _parquet_rows(name, data)


def agreement_table(name: str, data: bytes, field: str) -> pd.DataFrame:
    """Columns `item`, `annotator`, `value` from a labels file's `sentence_id`, `annotator` and
    `field`. Skipped labels (`skipped` true) are missing; `date_bound` counts only where the
    annotator chose `factual` (it does not apply elsewhere), when `claim_type` is present."""
    import pandas as pd

    _check_size(name, data)
    frame = _frame(name, data, file_format(name))
    missing = [c for c in ("sentence_id", "annotator", field) if c not in frame.columns]
    if missing:
        raise ImportRejected(
            f"missing {plural(len(missing), 'column')} {', '.join(missing)}; "
            "a labels export has them",
            file=name,
        )
    value = frame[field].astype("object").where(frame[field].notna(), None)
    if "skipped" in frame.columns:
        value = value.where(~_truthy(frame["skipped"]), None)
    if field == "date_bound" and "claim_type" in frame.columns:
        value = value.where(frame["claim_type"].astype("string") == "factual", None)
    return pd.DataFrame(
        {"item": frame["sentence_id"].astype("string"), "annotator": frame["annotator"],
         "value": value}
    )  # fmt: skip


def training_rows(name: str, data: bytes, field: str) -> tuple[list[str], list[str]]:
    """The sentences and their answers for `field` from a labels export, or any CSV, JSON
    Lines or Parquet file with a `sentence` column and the field's column: skipped and
    unanswered rows left out, and `date_bound` only where `claim_type` is `factual` (so the
    file needs that column too). Booleans are written `true` / `false` whatever the format
    spelled them."""
    _check_size(name, data)
    frame = _frame(name, data, file_format(name))
    needed = ["sentence", field] + (["claim_type"] if field == "date_bound" else [])
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ImportRejected(
            f"missing {plural(len(missing), 'column')} {', '.join(missing)}; the file needs "
            f"{', '.join(needed)}",
            file=name,
        )
    keep = frame[field].notna() & (frame[field].astype("string").str.strip() != "")
    if "skipped" in frame.columns:
        keep &= ~_truthy(frame["skipped"])
    if field == "date_bound":
        keep &= frame["claim_type"].astype("string") == "factual"
    rows = frame[keep.fillna(False).astype(bool)]
    answers = rows[field].astype("string").str.strip()
    if field == "date_bound":
        answers = answers.str.lower().replace({"1": "true", "0": "false"})
        wrong = sorted(set(answers) - {"true", "false"})
        if wrong:
            raise ImportRejected(
                f"date_bound must be true or false; found {', '.join(map(repr, wrong[:5]))}",
                file=name,
            )
    return rows["sentence"].astype("string").fillna("").tolist(), answers.tolist()


def _check_size(name: str, data: bytes) -> None:
    if len(data) > MAX_LABEL_FILE_BYTES:
        raise ImportRejected(
            f"file is {len(data) / 2**20:.1f} MB; the limit is {MAX_LABEL_FILE_BYTES // 2**20} MB",
            file=name,
        )


def _frame(name: str, data: bytes, kind: str) -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    from annotator.readers import decode_text

    try:
        if kind == "csv":
            text = decode_text(data, name, newlines=False)
            return pd.read_csv(io.StringIO(text, newline=""), dtype=str, keep_default_na=False)
        if kind == "jsonl":
            return pd.DataFrame.from_records([r for _, r in _json_objects(name, data)])
        return pd.read_parquet(io.BytesIO(data))
    except (ValueError, pa.ArrowException) as exc:
        raise ImportRejected(f"cannot read the {kind} file: {exc}", file=name) from None


def _truthy(column: pd.Series) -> pd.Series:
    return column.astype("string").str.lower().isin(["true", "1"]).fillna(False).astype(bool)


def _json_objects(name: str, data: bytes) -> Iterator[tuple[int, dict[str, object]]]:
    from annotator.readers import decode_text

    for number, line in enumerate(decode_text(data, name, newlines=False).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportRejected(f"not valid JSON: {exc.msg}", file=name, line=number) from None
        if not isinstance(record, dict):
            raise ImportRejected("each line must be a JSON object", file=name, line=number)
        yield number, record


def _jsonl_rows(name: str, data: bytes) -> tuple[list[str], Rows]:
    header: list[str] = []
    rows: Rows = []
    for number, record in _json_objects(name, data):
        header = header or list(record)
        rows.append((number, _cells(header, record)))
    return header, rows


def _parquet_rows(name: str, data: bytes) -> tuple[list[str], Rows]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except pa.ArrowException as exc:
        raise ImportRejected(f"cannot read the Parquet file: {exc}", file=name) from None
    header = list(table.column_names)
    rows: Rows = []
    for batch in table.to_batches():
        for record in batch.to_pylist():
            rows.append((len(rows) + 2, _cells(header, record)))
    return header, rows


def _cells(header: Sequence[str], record: dict[str, object]) -> list[str]:
    """The record's values in the header's order, spelt as in CSV ('' where absent)."""
    from annotator.writers import format_value

    return [format_value(record.get(column)) for column in header]

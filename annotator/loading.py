"""Read an export back into pandas with the documented dtypes, from CSV, JSON Lines or Parquet.

`load` does what the data dictionary's one-line recipes do (docs/data-dictionary.md, checked
by a test): read the file, then `.astype(dtypes(kind))`, so every format gives the same frame:
text as pandas' `string` (missing text is <NA>), integers `int64`, numbers `float64`, booleans
the nullable `boolean`, dates `datetime64[us]` and timestamps `datetime64[us, UTC]`. The kind
is read from the columns. ClaimReview exports are JSON-LD documents, not tables: refused.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from annotator.columns import KINDS, SHOWN_COLUMNS
from annotator.errors import InvalidInput

PANDAS_DTYPES = {
    "string": "string",
    "int": "int64",
    "float": "float64",
    "bool": "boolean",
    "date": "datetime64[us]",
    "timestamp": "datetime64[us, UTC]",
}
"""The pandas dtype of each column type of `annotator.columns`."""
FORMATS = (".csv", ".jsonl", ".parquet")


def dtypes(kind: str) -> dict[str, str]:
    """Column -> pandas dtype for an export kind (`labels`, `gold`, `sentences`), in order."""
    return {column: PANDAS_DTYPES[kind_] for column, kind_ in KINDS[kind].items()}


def csv_dtypes(kind: str) -> dict[str, str]:
    """What `read_csv` is told: the same, but dates as text (it parses them only through
    `parse_dates`); `.astype(dtypes(kind))` converts them after."""
    return {c: "string" if t.startswith("datetime") else t for c, t in dtypes(kind).items()}


ADDED_SINCE = frozenset(SHOWN_COLUMNS)
"""Columns an older export of its kind lacks (the suggestion shown, added with issue 21):
such a file still loads, with them missing in every row."""


def load(path: str | os.PathLike[str], kind: str | None = None) -> pd.DataFrame:
    """The export at `path` (.csv, .jsonl or .parquet) with the documented dtypes; the kind is
    read from its columns (give `kind` for an empty JSON Lines file, which has none)."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput(f"cannot load {suffix or 'a file without an extension'}: "
                           f"use one of {', '.join(FORMATS)}", file=str(file))  # fmt: skip
    if suffix == ".jsonl":
        return _jsonl(file, kind)
    if suffix == ".csv":
        kind = kind_of(list(pd.read_csv(file, nrows=0).columns), str(file))
        types = {c: t for c, t in csv_dtypes(kind).items() if c not in ADDED_SINCE}
        frame = pd.read_csv(file, dtype=types, keep_default_na=False, na_values=[""])
    else:
        kind = kind_of(pq.read_schema(file).names, str(file))
        frame = pd.read_parquet(file)
    return _complete(frame, kind).astype(dtypes(kind))


def _complete(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The frame with the columns an older export lacks added as missing, in the kind's order."""
    for column in KINDS[kind]:
        if column not in frame.columns:
            frame[column] = None
    return frame[list(KINDS[kind])]


def _jsonl(file: Path, kind: str | None) -> pd.DataFrame:
    first = _first_line(file)
    if not first:
        if kind is None:
            raise InvalidInput("is empty, so its columns cannot tell its kind: pass kind=...",
                               file=str(file))  # fmt: skip
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes(kind).items()})
    record = json.loads(first)
    if isinstance(record, dict) and record.get("@type") == "ClaimReview":
        raise InvalidInput("is a ClaimReview export (schema.org JSON-LD), not a table: read "
                           "each line with json.loads", file=str(file))  # fmt: skip
    kind = kind_of(list(record) if isinstance(record, dict) else [], str(file))
    return _complete(pd.read_json(file, lines=True, dtype=False), kind).astype(dtypes(kind))


def _first_line(file: Path) -> str:
    with file.open(encoding="utf-8") as lines:
        return next((line for line in lines if line.strip()), "")


def kind_of(columns: list[str], file: str) -> str:
    """The export kind whose columns these are; InvalidInput naming the closest kind and the
    columns that differ from it."""
    found = set(columns)
    for kind, expected in KINDS.items():
        older = set(expected) - ADDED_SINCE  # the same kind, exported before those columns
        if found == set(expected) or (older != set(expected) and found == older):
            return kind
    closest = max(KINDS, key=lambda k: len(found & set(KINDS[k])) - len(found ^ set(KINDS[k])))
    missing = [c for c in KINDS[closest] if c not in found]
    unknown = [c for c in columns if c not in KINDS[closest]]
    differences = "; ".join(
        f"{what}: {', '.join(names)}"
        for what, names in (("missing", missing), ("not in it", unknown))
        if names
    )
    raise InvalidInput(
        f"the columns are not those of an export kind; closest is {closest} ({differences})",
        file=file,
    )

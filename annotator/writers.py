"""Export writers (pure): rows of Python values -> CSV, JSON Lines or Parquet, in chunks.

One spelling per type, the same content in every format: dates `YYYY-MM-DD`, timestamps ISO 8601
UTC with milliseconds and `Z`, booleans `true`/`false`, floats to 3 decimals, missing values
empty (CSV) or null (JSONL, Parquet). In Parquet the columns are typed (date32,
timestamp[ms, UTC], bool, int64, float64, string). `excel=True` (CSV only) adds a BOM and
neutralises cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

import pyarrow as pa
import pyarrow.parquet as pq

FORMULA_STARTS = ("=", "+", "-", "@")
BOM = "\ufeff"
ROWS_PER_CHUNK = 2_000
ROWS_PER_ROW_GROUP = 10_000
FLOAT_DECIMALS = 3
ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("ms", tz="UTC"),
}
Row = Sequence[object]


def format_value(value: object) -> str:
    """One cell's text, in the export's documented spelling."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return (
            _utc_milliseconds(value).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.{FLOAT_DECIMALS}f}"
    return str(value)


def json_value(value: object) -> object:
    """One value as JSON Lines holds it: the CSV spelling, but numbers, booleans and null."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return round(value, FLOAT_DECIMALS)
    return format_value(value)


def neutralise_formula(cell: str) -> str:
    """Prefix a cell that Excel would evaluate (`=`, `+`, `-`, `@`) with a quote mark."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_chunks(
    columns: Sequence[str],
    rows: Iterable[Row],
    *,
    excel: bool = False,
    rows_per_chunk: int = ROWS_PER_CHUNK,
) -> Iterator[str]:
    """The CSV text in chunks of `rows_per_chunk` rows, so memory does not grow with the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if excel:
        buffer.write(BOM)
    writer.writerow(columns)
    for chunk in _chunks(rows, rows_per_chunk):
        for row in chunk:
            cells = [format_value(v) for v in row]
            writer.writerow([neutralise_formula(c) for c in cells] if excel else cells)
        yield _drain(buffer)
    if header_only := _drain(buffer):  # no rows: the header alone
        yield header_only


def jsonl_chunks(columns: Sequence[str], rows: Iterable[Row]) -> Iterator[str]:
    """One JSON object per row, keys in column order, in chunks of `ROWS_PER_CHUNK` rows."""
    for chunk in _chunks(rows, ROWS_PER_CHUNK):
        yield "".join(
            json.dumps(dict(zip(columns, map(json_value, row), strict=True)), ensure_ascii=False)
            + "\n"
            for row in chunk
        )


def parquet_chunks(columns: dict[str, str], rows: Iterable[Row]) -> Iterator[bytes]:
    """A Parquet file with typed columns (`columns` maps name -> type), one row group per
    `ROWS_PER_ROW_GROUP` rows, yielded as the bytes are written."""
    schema = pa.schema([(name, ARROW_TYPES[kind]) for name, kind in columns.items()])
    converters = [_ARROW_VALUES.get(kind, _same) for kind in columns.values()]
    sink = _Sink()
    with pq.ParquetWriter(sink, schema) as writer:
        for chunk in _chunks(rows, ROWS_PER_ROW_GROUP):
            arrays = [
                pa.array([convert(row[i]) for row in chunk], type=field.type)
                for i, (field, convert) in enumerate(zip(schema, converters, strict=True))
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            yield sink.drain()
    yield sink.drain()


class _Sink(io.RawIOBase):
    """A write-only file that hands over what was written since the last `drain`."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._parts.append(bytes(data))
        self._written += len(data)
        return len(data)

    def tell(self) -> int:
        return self._written

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _utc_milliseconds(value: dt.datetime) -> dt.datetime:
    """The timestamp in UTC, cut to whole milliseconds (what every format holds)."""
    utc = value.astimezone(dt.UTC)
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


def _same(value: object) -> object:
    return value


def _rounded(value: object) -> object:
    return round(value, FLOAT_DECIMALS) if isinstance(value, float) else value


def _timestamp(value: object) -> object:
    return _utc_milliseconds(value) if isinstance(value, dt.datetime) else value


_ARROW_VALUES: dict[str, Callable[[object], object]] = {
    "float": _rounded,
    "timestamp": _timestamp,
}


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text

"""Export writers (pure): rows of Python values -> CSV, JSON Lines or Parquet, in chunks.

Rows are gathered `ROWS_PER_CHUNK` at a time into a typed Arrow table (the columns' types are
given: string, int, float, bool, date, timestamp), and every format is written from that one
table, so the content is the same in each: dates `YYYY-MM-DD`, timestamps ISO 8601 UTC cut to
milliseconds with `Z`, booleans `true`/`false`, numbers rounded to 3 decimals (to the nearest
thousandth, ties to even), missing values, and empty text, empty (CSV) or null (JSONL,
Parquet). Converting a
whole column at once in Arrow is what keeps a million-row export close to pandas's own speed.
`excel=True` (CSV only) adds a BOM and neutralises cells that a spreadsheet would run.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these is run by a spreadsheet: `excel=True` quotes it."""
BOM = "\ufeff"
ROWS_PER_CHUNK = 10_000
ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("ms", tz="UTC"),
}
Row = Sequence[object]
Columns = Mapping[str, str]  # column name -> type name (a key of ARROW_TYPES)


def schema(columns: Columns) -> pa.Schema:
    """The Arrow schema of an export's columns."""
    return pa.schema([(name, ARROW_TYPES[kind]) for name, kind in columns.items()])


def tables(
    columns: Columns, rows: Iterable[Row], rows_per_chunk: int = ROWS_PER_CHUNK
) -> Iterator[pa.Table]:
    """`rows` as typed Arrow tables of `rows_per_chunk` rows each."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, rows_per_chunk)):
        yield table(columns, chunk)


def table(columns: Columns, rows: Sequence[Row], given: Columns | None = None) -> pa.Table:
    """One typed Arrow table: timestamps cut to milliseconds, numbers rounded to 3 decimals.

    `given` says how the values come where that differs from `columns`: a date or timestamp
    as ISO text ("string"; a timestamp without an offset is UTC) and a boolean as 0 or 1
    ("int"), as SQLite's driver hands them over. Arrow converts the rows in one pass, as a
    struct array, and then whole columns to their types."""
    incoming = pa.struct([(name, _INCOMING.get(kind, ARROW_TYPES[kind]))
                          for name, kind in (given or columns).items()])  # fmt: skip
    tuples = rows if not rows or isinstance(rows[0], tuple) else [tuple(row) for row in rows]
    values = pa.array(tuples, incoming)
    target = schema(columns)
    arrays = [_column(values.field(i), field.type) for i, field in enumerate(target)]
    return pa.Table.from_arrays(arrays, schema=target)


_INCOMING = {"timestamp": pa.timestamp("us", tz="UTC")}  # microseconds as given, cut later


def _column(given: pa.Array, kind: pa.DataType) -> pa.Array:
    if pa.types.is_string(kind):
        # An empty text is a missing one: null in every format (an empty CSV cell), so CSV,
        # JSON Lines and Parquet read back the same, whether the database held "" or NULL.
        return pc.if_else(pc.equal(given, ""), pa.scalar(None, pa.string()), given)
    if pa.types.is_floating(kind):
        return pc.divide(pc.cast(_thousandths(given), pa.float64()), 1000.0)
    if pa.types.is_timestamp(kind) and pa.types.is_string(given.type):
        given = given.cast(pa.timestamp("us"))
    # A naive timestamp is UTC: casting it to a zoned type keeps its value (no zone lookup).
    return given.cast(kind, safe=False)


def _thousandths(values: pa.Array) -> pa.Array:
    return pc.cast(pc.round(pc.multiply(values, 1000.0)), pa.int64())


def csv_chunks(
    columns: Columns, chunks: Iterable[pa.Table], *, excel: bool = False
) -> Iterator[str]:
    """The CSV text: a header, then one piece per table.

    Arrow's writer (C++) quotes every text cell; numbers, booleans and dates go bare. Python's
    csv module would leave a carriage return in a text cell unquoted, which breaks the row.
    """
    yield (BOM if excel else "") + _csv_text(_csv_table(schema(columns).empty_table(), excel), True)
    for table in chunks:
        yield _csv_text(_csv_table(table, excel), False)


def _csv_table(table: pa.Table, excel: bool) -> pa.Table:
    """Numbers (3 decimals) and timestamps as their CSV text; text neutralised for Excel."""
    arrays = []
    for column in table.columns:
        array = column.combine_chunks()
        kind = array.type
        if (
            pa.types.is_floating(kind)
            or pa.types.is_timestamp(kind)
            or (excel and pa.types.is_string(kind))
        ):
            array = _text(array, excel)
        arrays.append(array)
    return pa.Table.from_arrays(arrays, names=table.column_names)


def _csv_text(table: pa.Table, header: bool) -> str:
    buffer = io.BytesIO()
    options = pacsv.WriteOptions(include_header=header, quoting_style="needed")
    if header or table.num_rows:
        pacsv.write_csv(table, buffer, options)
    return buffer.getvalue().decode("utf-8")


def _text(column: pa.Array, excel: bool) -> pa.Array:
    """A column as the CSV spells it (null is an empty cell)."""
    kind = column.type
    if pa.types.is_boolean(kind):
        text = pc.if_else(column, "true", "false")
    elif pa.types.is_floating(kind):
        thousandths = _thousandths(column)
        whole = pc.divide(thousandths, 1000)
        fraction = pc.subtract(thousandths, pc.multiply(whole, 1000))
        text = pc.binary_join_element_wise(
            pc.cast(whole, pa.string()), pc.utf8_lpad(pc.cast(fraction, pa.string()), 3, "0"), "."
        )
    elif pa.types.is_timestamp(kind):
        # Stored in UTC: as a naive timestamp, Arrow spells it without a time zone lookup
        # (`strftime` on the zoned column is 50 times slower), "YYYY-MM-DD HH:MM:SS.mmm".
        naive = pc.cast(column.cast(pa.timestamp(kind.unit)), pa.string())
        text = pc.binary_join_element_wise(pc.utf8_replace_slice(naive, 10, 11, "T"), "Z", "")
    else:
        text = pc.cast(column, pa.string())
    if excel:
        text = _neutralised(text)
    return text


def _neutralised(text: pa.Array) -> pa.Array:
    risky = pc.starts_with(text, FORMULA_STARTS[0])
    for start in FORMULA_STARTS[1:]:
        risky = pc.or_(risky, pc.starts_with(text, start))
    return pc.if_else(risky, pc.binary_join_element_wise("'", text, ""), text)


def format_value(value: object) -> str:
    """One Python value in the CSV spelling (what `csv_chunks` writes for it, from Arrow)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        utc = value.astimezone(dt.UTC)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def jsonl_chunks(columns: Columns, chunks: Iterable[pa.Table]) -> Iterator[str]:
    """One JSON object per row, keys in column order; dates and timestamps as their CSV text.

    pandas's JSON encoder (C) writes the lines; it escapes `/` as `\\/`, which is undone (an
    escaped slash is always a whole escape, so the replacement cannot touch anything else).
    U+2028 and U+2029 are escaped, so readers that split lines on them still see one object
    per line."""
    for table in chunks:
        frame = pd.DataFrame(
            {
                name: _text(column.combine_chunks(), excel=False).to_pandas()
                if pa.types.is_temporal(column.type)
                else column.to_pandas(types_mapper=_NULLABLE.get)
                for name, column in zip(columns, table.columns, strict=True)
            }
        )
        text = frame.to_json(orient="records", lines=True, force_ascii=False)
        text = text.replace("\\/", "/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        yield text if text.endswith("\n") or not text else text + "\n"


_NULLABLE = {pa.bool_(): pd.BooleanDtype(), pa.int64(): pd.Int64Dtype()}


def parquet_chunks(columns: Columns, chunks: Iterable[pa.Table]) -> Iterator[bytes]:
    """A Parquet file, one row group per table, handed over as the bytes are written."""
    sink = _Sink()
    with pq.ParquetWriter(sink, schema(columns)) as writer:
        for table in chunks:
            writer.write_table(table)
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

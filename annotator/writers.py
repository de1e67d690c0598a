"""Export writers (pure): rows of Python values -> CSV text, with one way to spell each type.

Dates are `YYYY-MM-DD`, timestamps ISO 8601 UTC with milliseconds and `Z`, booleans
`true`/`false`, missing values empty. `excel=True` adds a BOM and neutralises cells that a
spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@")
BOM = "\ufeff"


def format_value(value: object) -> str:
    """One cell's text, in the export's documented spelling."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        utc = value.astimezone(dt.UTC).replace(tzinfo=None)
        return utc.isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def neutralise_formula(cell: str) -> str:
    """Prefix a cell that Excel would evaluate (`=`, `+`, `-`, `@`) with a quote mark."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_chunks(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    excel: bool = False,
    rows_per_chunk: int = 2_000,
) -> Iterator[str]:
    """The CSV text in chunks of `rows_per_chunk` rows, so memory does not grow with the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if excel:
        buffer.write(BOM)
    writer.writerow(columns)
    pending = 0
    for row in rows:
        cells = [format_value(v) for v in row]
        writer.writerow([neutralise_formula(c) for c in cells] if excel else cells)
        pending += 1
        if pending == rows_per_chunk:
            yield _drain(buffer)
            pending = 0
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text

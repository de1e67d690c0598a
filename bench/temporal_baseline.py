"""The library candidate for temporal expressions, measured the same way as `annotator.temporal`.

`dateparser.search.search_dates` (English, day-month-year order, the publication date as the
relative base, past dates preferred, the first day of a month or year) on the evaluation set of
`bench/temporal_eval.py`. It was measured to choose between a library and the rule-based
recogniser; `annotator.temporal` does not use it.

    python -m bench.temporal_baseline
"""

from __future__ import annotations

import datetime as dt
import time

from dateparser.search import search_dates

from annotator.temporal import Span
from bench.temporal_eval import load_records, score

SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "PREFER_MONTH_OF_YEAR": "first",
    "DATE_ORDER": "DMY",
    "PREFER_DATES_FROM": "past",
}


def dateparser_spans(text: str, reference: dt.date | None) -> list[Span]:
    """The dates `search_dates` finds, as trimmed spans of ``text``."""
    settings: dict[str, object] = dict(SETTINGS)
    if reference is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(reference, dt.time())
    spans: list[Span] = []
    position = 0
    for found, value in search_dates(text, languages=["en"], settings=settings) or []:
        start = text.find(found, position)
        if start < 0:
            continue
        start += len(found) - len(found.lstrip())
        end = start + len(found.strip())
        spans.append((start, end, value.date()))
        position = end
    return spans


def main() -> None:
    """Print dateparser's scores and speed on the evaluation set."""
    records = load_records()
    start = time.perf_counter()
    result = score(dateparser_spans, records)
    seconds = time.perf_counter() - start
    for name, value in result.items():
        print(f"{name}: {value:.4g}")
    print(f"sentences_per_second: {len(records) / seconds:.4g}")


if __name__ == "__main__":
    main()

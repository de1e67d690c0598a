"""The as-of date as typed on the annotate panel (`YYYY-MM-DD`), read on the server.

What the date-bound switch shows (the annotator's pending toggle, else their saved answer,
else the suggestion of `annotator.date_bound.suggest`) is worked out by the panel in the
browser, which saves exactly the value it shows (`annotator/ui/panel_files/panel.js`,
`choice`); a suggestion is stored only as the plain answer the annotator gave.
"""

from __future__ import annotations

import datetime as dt
import re

from annotator.errors import InvalidInput

AS_OF_PATTERN = re.compile(r"(?P<year>\d{4})(-?)(?P<month>\d{2})\2(?P<day>\d{2})")


def parse_as_of(text: str) -> dt.date | None:
    """The as-of date typed as `YYYY-MM-DD` (or `YYYYMMDD`); None when empty; InvalidInput
    saying what to type otherwise."""
    text = text.strip()
    if not text:
        return None
    match = AS_OF_PATTERN.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise InvalidInput(f"as of {text[:40]!r} is not a date: type it as YYYY-MM-DD") from None

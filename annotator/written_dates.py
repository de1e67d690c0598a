"""Publication dates as sites and feeds write them: a calendar day, a month, or why neither.

Forms read (docs/importing.md#publication-dates):

- written out: `November 21, 2014`, `Nov. 21 2014`, `21 November 2014`, `19 Mar, 2024`, with
  an optional leading weekday (`Friday, November 21, 2014`) and ordinals (`21st`);
- RFC 2822, as RSS writes it: `Thu, 10 Feb 2005 12:00:00 GMT` (the day in the zone written);
- ISO 8601: `2014-11-21`, `2014/11/21`, `2014-11-21T10:00:00Z`, `2014-11-21 10:00+05:00`
  (the day in the zone written);
- a month: `Feb 2005`, `February 2005`, `2005-02`. A month is not a day: it is reported as a
  month and never turned into its first day;
- numeric day and month (`10/02/2005`, `10.02.2005`, `10-02-2005`) only when the import says
  which comes first (`dayfirst` or `monthfirst`): guessing would store a wrong date silently.

Anything else ("yesterday", "31 February 2014") is no date, with the reason.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass
from typing import Literal

DayOrder = Literal["dayfirst", "monthfirst"]
DAY_ORDERS: tuple[DayOrder, ...] = ("dayfirst", "monthfirst")

WRITTEN_FORMATS: tuple[str, ...] = (
    "%B %d, %Y",  # November 21, 2014
    "%b %d, %Y",  # Nov 21, 2014 (and Nov. 21, 2014 once the dot is dropped)
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",  # 21 November 2014
    "%d %b %Y",
    "%d %B, %Y",
    "%d %b, %Y",  # 19 Mar, 2024
    "%Y-%m-%d",  # 2014-11-21 (and, by the prefix rule, 2014-11-21 10:00 PKT)
    "%Y/%m/%d",
)
MONTH_FORMATS: tuple[str, ...] = ("%B %Y", "%b %Y", "%B, %Y", "%b, %Y", "%Y-%m")

_WEEKDAY = re.compile(
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|urday|sday)?\.?,?\s+",
    re.IGNORECASE,
)
_RFC_2822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+\S+"
)
_NUMERIC = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})")
# What comes before a time or other trailing words: `November 21, 2014 10:15 AM`.
_YEAR_PREFIX = re.compile(r"(.*?\b\d{4})\b")


@dataclass(frozen=True)
class WrittenDate:
    """What a written date names: a `day`, or a `month` ((year, month)), or neither and why."""

    day: dt.date | None = None
    month: tuple[int, int] | None = None
    problem: str | None = None


def read_date(raw: str, day_order: DayOrder | None = None) -> WrittenDate:
    """The day or month written in `raw`; `day_order` says how to read `10/02/2005`."""
    cleaned = _clean(raw)
    for reader in (_rfc_2822, _iso):
        day = reader(cleaned)
        if day is not None:
            return WrittenDate(day=day)
    prefix = _YEAR_PREFIX.match(cleaned)
    for candidate in dict.fromkeys([cleaned] + ([prefix[1]] if prefix else [])):
        day = _written(candidate)
        if day is not None:
            return WrittenDate(day=day)
        month = _month(candidate)
        if month is not None:
            return WrittenDate(month=month, problem="names a month, not a day")
        numeric = _NUMERIC.fullmatch(candidate)
        if numeric is not None:
            return _numeric(numeric, day_order)
    return WrittenDate(problem="is not a date in a form we read")


def _clean(raw: str) -> str:
    """Drop what strptime cannot take: "Nov." dots, "Sept", ordinals ("21st"), extra spaces,
    and a leading weekday unless the whole is RFC 2822 (whose weekday is checked)."""
    cleaned = " ".join(raw.split())
    if not _RFC_2822.fullmatch(cleaned):
        cleaned = _WEEKDAY.sub("", cleaned, count=1) if _WEEKDAY.match(cleaned) else cleaned
    cleaned = re.sub(r"\b([A-Za-z]{3,4})\.", r"\1", cleaned)
    cleaned = re.sub(r"\bSept\b", "Sep", cleaned, flags=re.IGNORECASE)
    return re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", cleaned)


def _rfc_2822(cleaned: str) -> dt.date | None:
    """`Thu, 10 Feb 2005 12:00:00 GMT`: the day in the zone written; a wrong weekday is no date."""
    if not _RFC_2822.fullmatch(cleaned):
        return None
    try:
        moment = email.utils.parsedate_to_datetime(cleaned)
    except (TypeError, ValueError, IndexError):
        return None
    weekday = cleaned[:3].lower() if "," in cleaned else None
    if weekday and moment.strftime("%a").lower() != weekday:
        return None
    return moment.date()


def _iso(cleaned: str) -> dt.date | None:
    """ISO 8601 dates and date-times (`Z` or an offset allowed): the day as written."""
    if not re.match(r"\d{4}-\d{2}-\d{2}", cleaned):
        return None
    try:
        return dt.datetime.fromisoformat(cleaned).date()
    except ValueError:
        return None


def _written(candidate: str) -> dt.date | None:
    """The written-out forms."""
    for fmt in WRITTEN_FORMATS:
        try:
            return dt.datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
    return None


def _month(cleaned: str) -> tuple[int, int] | None:
    for fmt in MONTH_FORMATS:
        try:
            parsed = dt.datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        return parsed.year, parsed.month
    return None


def _numeric(match: re.Match[str], day_order: DayOrder | None) -> WrittenDate:
    """`10/02/2005` read in the import's day order; without one, no date and why."""
    if day_order is None:
        return WrittenDate(problem="could be day/month or month/day")
    a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
    day, month = (a, b) if day_order == "dayfirst" else (b, a)
    try:
        return WrittenDate(day=dt.date(year, month, day))
    except ValueError:
        order = "day first" if day_order == "dayfirst" else "month first"
        return WrittenDate(problem=f"is not a valid date read {order}")

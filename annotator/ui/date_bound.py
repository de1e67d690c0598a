"""What the date-bound switch and the as-of date show for a sentence, suggestion included,
and the as-of date as typed.

The switch shows one value and pressing the factual key saves exactly that value: the
annotator's pending toggle, else their saved date-bound answer, else the suggestion from the
sentence's temporal expressions. A suggestion is only ever a default on the screen; it is
stored only when the annotator labels the sentence, and then as a plain answer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from annotator.errors import InvalidInput
from annotator.services.records import LabelInfo
from annotator.temporal import Span

AS_OF_PATTERN = re.compile(r"(?P<year>\d{4})(-?)(?P<month>\d{2})\2(?P<day>\d{2})")


@dataclass(frozen=True)
class DateBoundChoice:
    """The switch's value, whether that value is a suggestion, and the as-of default."""

    on: bool
    suggested: bool
    as_of: dt.date | None


def date_bound_choice(
    label: LabelInfo | None,
    pending: bool | None,
    applies_to: str | None,
    spans: tuple[Span, ...],
    suggests: bool,
    published: dt.date | None,
) -> DateBoundChoice:
    """The choice for one sentence: the annotator's own answer wins over the suggestion, which
    applies only while the sentence has no saved answer: a sentence answered with another
    claim type, or skipped, has no date-bound claim, so the switch is off."""
    as_of = label.as_of if label is not None and label.as_of else suggested_as_of(spans, published)
    if pending is not None:
        return DateBoundChoice(pending, False, as_of)
    if label is not None:
        return DateBoundChoice(
            label.claim_type == applies_to and bool(label.date_bound), False, as_of
        )
    return DateBoundChoice(suggests, suggests, as_of)


def suggested_as_of(spans: tuple[Span, ...], published: dt.date | None) -> dt.date | None:
    """The date of the one span that resolves to a date, else the publication date (with two
    dated spans there is no telling which one the claim holds for)."""
    days = [day for _, _, day in spans if day is not None]
    return days[0] if len(days) == 1 else published


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

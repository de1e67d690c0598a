"""What the date-bound switch and the as-of date show for a sentence, suggestion included,
and the as-of date as typed.

The switch shows one value and pressing the factual key saves exactly that value: the
annotator's pending toggle, else their saved date-bound answer, else the suggestion of
`annotator.date_bound.suggest` (yes, no, or none: then the switch reads a plain "no"). A
suggestion is only ever a default on the screen; it is stored only when the annotator labels
the sentence, and then as a plain answer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from annotator.date_bound import Suggestion
from annotator.errors import InvalidInput
from annotator.services.records import LabelInfo

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
    suggestion: Suggestion,
) -> DateBoundChoice:
    """The choice for one sentence: the annotator's own answer wins over the suggestion, which
    applies only while the sentence has no saved answer: a sentence answered with another
    claim type, or skipped, has no date-bound claim, so the switch is off. With no suggestion
    the switch is off and not marked as suggested."""
    suggests, suggested_as_of = suggestion
    as_of = label.as_of if label is not None and label.as_of else suggested_as_of
    if pending is not None:
        return DateBoundChoice(pending, False, as_of)
    if label is not None:
        return DateBoundChoice(
            label.claim_type == applies_to and bool(label.date_bound), False, as_of
        )
    return DateBoundChoice(bool(suggests), suggests is not None, as_of)


def switch_text(choice: DateBoundChoice) -> str:
    """The switch's words: `Date-bound: yes (suggested)`, `Date-bound: no (suggested)`, or a
    plain `Date-bound: no` where there is no suggestion and no answer yet."""
    text = f"Date-bound: {'yes' if choice.on else 'no'}"
    return f"{text} (suggested)" if choice.suggested else text


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

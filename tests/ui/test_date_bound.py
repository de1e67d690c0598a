"""The date-bound switch: the annotator's own answer, else the suggestion of
`annotator.date_bound.suggest` (yes, no or none, shown as such); and the as-of date as typed."""

from __future__ import annotations

import datetime as dt

import pytest

from annotator.date_bound import Suggestion
from annotator.errors import InvalidInput
from annotator.services.records import LabelInfo
from annotator.ui.date_bound import DateBoundChoice, date_bound_choice, parse_as_of, switch_text

PUBLISHED = dt.date(2014, 11, 21)
MONDAY = dt.date(2014, 11, 17)
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _label(claim_type: str | None, date_bound: bool | None, as_of: dt.date | None) -> LabelInfo:
    return LabelInfo(1, claim_type, date_bound, as_of, "", claim_type is None, 1.0, NOW)


def _choice(
    label: LabelInfo | None = None,
    pending: bool | None = None,
    suggestion: Suggestion = (True, MONDAY),
) -> DateBoundChoice:
    return date_bound_choice(label, pending, "factual", suggestion)


def test_an_unlabelled_sentence_shows_the_suggestion_marked_as_one() -> None:
    assert _choice() == DateBoundChoice(on=True, suggested=True, as_of=MONDAY)
    no = _choice(suggestion=(False, PUBLISHED))
    assert no == DateBoundChoice(on=False, suggested=True, as_of=PUBLISHED)
    assert switch_text(_choice()) == "Date-bound: yes (suggested)"
    assert switch_text(no) == "Date-bound: no (suggested)"


def test_without_a_suggestion_the_switch_reads_a_plain_no() -> None:
    choice = _choice(suggestion=(None, PUBLISHED))
    assert choice == DateBoundChoice(on=False, suggested=False, as_of=PUBLISHED)
    assert switch_text(choice) == "Date-bound: no"


def test_the_annotators_saved_factual_answer_wins_over_the_suggestion() -> None:
    saved = _label("factual", False, None)
    assert _choice(saved) == DateBoundChoice(on=False, suggested=False, as_of=MONDAY)
    assert switch_text(_choice(saved)) == "Date-bound: no"


def test_a_pending_toggle_wins_over_everything() -> None:
    assert _choice(_label("factual", True, PUBLISHED), pending=False).on is False
    assert _choice(pending=False) == DateBoundChoice(False, False, MONDAY)


def test_a_sentence_answered_with_another_type_or_skipped_shows_the_switch_off() -> None:
    assert _choice(_label("opinion", None, None)) == DateBoundChoice(False, False, MONDAY)
    assert _choice(_label(None, None, None)) == DateBoundChoice(False, False, MONDAY)  # skip
    assert _choice(_label("opinion", None, None), pending=True).on is True  # D, then 1


def test_the_as_of_default_is_the_saved_one_else_the_suggested_one() -> None:
    assert _choice(_label("factual", True, dt.date(2013, 5, 5))).as_of == dt.date(2013, 5, 5)
    assert _choice(suggestion=(None, None)).as_of is None


def test_as_of_is_read_as_iso_or_eight_digits_and_empty_means_none() -> None:
    assert parse_as_of(" 2014-11-17 ") == dt.date(2014, 11, 17)
    assert parse_as_of("20141117") == dt.date(2014, 11, 17)
    assert parse_as_of("") is None


@pytest.mark.parametrize(
    "typed", ["2014-02-30", "17/11/2014", "2014-W47-1", "2014-1117", "tomorrow"]
)
def test_a_typed_as_of_that_is_no_date_says_how_to_type_it(typed: str) -> None:
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        parse_as_of(typed)

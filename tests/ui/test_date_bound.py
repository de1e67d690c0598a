"""The date-bound switch: the annotator's own answer, else the suggestion from the sentence's
temporal expressions; and the as-of date as typed."""

from __future__ import annotations

import datetime as dt

import pytest

from annotator.errors import InvalidInput
from annotator.services.records import LabelInfo
from annotator.ui.date_bound import DateBoundChoice, date_bound_choice, parse_as_of

PUBLISHED = dt.date(2014, 11, 21)
MONDAY = (0, 6, dt.date(2014, 11, 17))
UNRESOLVED = (10, 20, None)
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _label(claim_type: str | None, date_bound: bool | None, as_of: dt.date | None) -> LabelInfo:
    return LabelInfo(1, claim_type, date_bound, as_of, "", claim_type is None, 1.0, NOW)


def _choice(
    label: LabelInfo | None = None, pending: bool | None = None, spans: tuple = (MONDAY,)
) -> DateBoundChoice:
    return date_bound_choice(label, pending, "factual", spans, bool(spans), PUBLISHED)


def test_an_unlabelled_sentence_with_a_temporal_expression_is_suggested_date_bound() -> None:
    assert _choice() == DateBoundChoice(on=True, suggested=True, as_of=MONDAY[2])


def test_a_sentence_without_temporal_expressions_is_not_suggested() -> None:
    assert _choice(spans=()) == DateBoundChoice(on=False, suggested=False, as_of=PUBLISHED)


def test_the_annotators_saved_factual_answer_wins_over_the_suggestion() -> None:
    saved = _label("factual", False, None)
    assert _choice(saved) == DateBoundChoice(on=False, suggested=False, as_of=MONDAY[2])


def test_a_pending_toggle_wins_over_everything() -> None:
    assert _choice(_label("factual", True, PUBLISHED), pending=False).on is False
    assert _choice(pending=False) == DateBoundChoice(False, False, MONDAY[2])


def test_a_sentence_answered_with_another_type_or_skipped_shows_the_switch_off() -> None:
    assert _choice(_label("opinion", None, None)) == DateBoundChoice(False, False, MONDAY[2])
    assert _choice(_label(None, None, None)) == DateBoundChoice(False, False, MONDAY[2])  # skip
    assert _choice(_label("opinion", None, None), pending=True).on is True  # D, then 1


def test_the_as_of_default_is_the_one_resolved_date_else_the_publication_date() -> None:
    assert _choice(spans=(MONDAY, UNRESOLVED)).as_of == MONDAY[2]
    two = (MONDAY, (30, 34, dt.date(2014, 1, 1)))
    assert _choice(spans=two).as_of == PUBLISHED
    assert _choice(spans=(UNRESOLVED,)).as_of == PUBLISHED
    assert _choice(_label("factual", True, dt.date(2013, 5, 5))).as_of == dt.date(2013, 5, 5)


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

"""The as-of date as typed, read on the server. What the switch shows is the annotate
panel's (tests/browser/test_panel_browser.py, test_keyboard_browser.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from annotator.errors import InvalidInput
from annotator.ui.date_bound import parse_as_of


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

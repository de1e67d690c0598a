"""Publication dates as feeds and sites write them: days, months, and numeric dates only with
the import's day order."""

from __future__ import annotations

import datetime as dt

import pytest

from annotator.written_dates import WrittenDate, read_date

FEB_10 = dt.date(2005, 2, 10)


@pytest.mark.parametrize(
    "raw",
    [
        "Thu, 10 Feb 2005 12:00:00 GMT",  # RSS (RFC 2822)
        "Thu, 10 Feb 2005 12:00:00 +0000",
        "10 Feb 2005 12:00:00 -0500",  # RFC 2822 without the weekday
        "2005-02-10",
        "2005-02-10T12:00:00Z",
        "2005-02-10T23:30:00+05:00",  # the day in the zone written, not in UTC
        "2005-02-10 12:00",
        "2005/02/10",
        "February 10, 2005",
        "Thursday, February 10, 2005",
        "Feb. 10th, 2005",
        "10 February 2005",
        "February 10, 2005 10:15 AM",
    ],
)
def test_days_in_every_form_we_read(raw: str) -> None:
    assert read_date(raw) == WrittenDate(day=FEB_10)


def test_rfc_2822_gives_the_day_in_the_zone_written() -> None:
    assert read_date("Thu, 10 Feb 2005 23:30:00 -0800").day == FEB_10


def test_an_rfc_2822_date_with_the_wrong_weekday_is_no_date() -> None:
    assert read_date("Fri, 10 Feb 2005 12:00:00 GMT").day is None


@pytest.mark.parametrize("raw", ["Feb 2005", "February 2005", "Feb. 2005", "2005-02"])
def test_a_month_and_year_is_a_month_never_its_first_day(raw: str) -> None:
    assert read_date(raw) == WrittenDate(month=(2005, 2), problem="names a month, not a day")


@pytest.mark.parametrize("raw", ["10/02/2005", "10.02.2005", "10-02-2005"])
def test_a_numeric_date_needs_the_day_order(raw: str) -> None:
    assert read_date(raw) == WrittenDate(problem="could be day/month or month/day")
    assert read_date(raw, "dayfirst").day == FEB_10
    assert read_date(raw, "monthfirst").day == dt.date(2005, 10, 2)


def test_a_numeric_date_impossible_in_the_day_order_is_no_date() -> None:
    assert read_date("25/12/2005", "dayfirst").day == dt.date(2005, 12, 25)
    refused = read_date("25/12/2005", "monthfirst")
    assert refused == WrittenDate(problem="is not a valid date read month first")


@pytest.mark.parametrize(
    "raw",
    ["31 February 2014", "Published yesterday", "yesterday", "2014-02-31", "10/02/05", "", "Feb"],
)
def test_what_is_no_date_gives_no_day_and_no_month(raw: str) -> None:
    written = read_date(raw, "dayfirst")
    assert written.day is None and written.month is None and written.problem

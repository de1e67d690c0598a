"""The date-bound suggester (`annotator.date_bound.suggest`): cues that a claim's truth can
change suggest date-bound, a completed event at an explicit past time suggests not, and the
as-of date is the publication date unless the sentence names the day (issue 16)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from annotator.config import SEEDS_DIR
from annotator.date_bound import suggest
from annotator.readers import read_file
from annotator.segment import sentence_spans
from annotator.sentence_roles import span_role, text_blocks

FEB_14 = dt.date(2024, 2, 14)
NOV_21 = dt.date(2014, 11, 21)


def _body_sentences(path: Path) -> list[tuple[str, dt.date | None]]:
    (draft,) = read_file(path.name, path.read_bytes())
    blocks = text_blocks(draft.text, title_in_text=draft.title_in_text)
    return [
        (draft.text[start:end], draft.published)
        for start, end in sentence_spans(draft.text)
        if span_role(blocks, start, end) == "body"
    ]


SEED_SENTENCES = [s for path in sorted(SEEDS_DIR.glob("*.txt")) for s in _body_sentences(path)]


@pytest.mark.parametrize("published", [NOV_21, FEB_14, None])
def test_an_event_at_a_fixed_past_time_is_not_suggested_date_bound(
    published: dt.date | None,
) -> None:
    text = "Pakistan had acquired MI-35 gunship helicopters from Russia during 2014."
    assert suggest(text, published)[0] is False


@pytest.mark.parametrize(
    "text",
    [
        "Presently, Pakistan and Russia are regularly holding a bilateral training exercise.",
        "Russia has long been the largest supplier of arms to India.",
        "Talks are under way.",
        "So far this year, 40 people have died in the floods.",
        "The index is still at its lowest level since 1957.",
        "Ahmed is currently the chief executive of the bank.",
        "Exports to date total $2 billion.",
        "Since the crash, interest rates have tumbled more than a percentage point.",
        "For the past decade, Brazil has boomed by selling raw materials to China.",
    ],
)
def test_present_states_running_totals_records_and_office_holders_are_suggested(
    text: str,
) -> None:
    assert suggest(text, NOV_21)[0] is True


@pytest.mark.parametrize(
    "text",
    [
        "The Dow Jones Industrial Average sank 46.77 to 3882.21 yesterday.",
        "The ministry said on Monday that exports rose.",
        "Consumer prices rose 0.5% in January.",
        "In 1988, commercial loan volume grew 7.2%.",
    ],
)
def test_completed_events_are_suggested_not_date_bound(text: str) -> None:
    assert suggest(text, NOV_21)[0] is False


@pytest.mark.parametrize(
    "text",
    [
        "The deficit is the amount by which expenditures exceed receipts.",
        "Russia will also extend cooperation to Pakistan.",
        "What do you call an economy like that?",
    ],
)
def test_timeless_future_and_unclear_sentences_get_no_suggestion(text: str) -> None:
    assert suggest(text, NOV_21)[0] is None


def test_a_time_expression_alone_is_no_reason_to_suggest_date_bound() -> None:
    assert suggest("The summit was held on Nov 20, 2014.", NOV_21)[0] is False
    assert suggest("The summit ended in 2014.", None)[0] is False


def test_the_as_of_is_the_publication_date_unless_the_sentence_names_the_day() -> None:
    assert suggest("Talks are under way.", NOV_21)[1] == NOV_21
    assert suggest("Talks are under way.", None)[1] is None
    named = "As of Monday, 40 people had died in the floods."
    assert suggest(named, NOV_21) == (True, dt.date(2014, 11, 17))


def test_until_a_date_is_a_deadline_not_the_as_of_and_keeps_the_right_year() -> None:
    for text in ("The road is closed until March 3.", "The offer is open until March 3."):
        as_of = suggest(text, FEB_14)[1]
        assert as_of != dt.date(2023, 3, 3)
        assert as_of == FEB_14


@pytest.mark.parametrize(
    ("text", "published", "as_of"),
    [
        ("By the end of 2014 the bank had opened 40 branches.", FEB_14, dt.date(2014, 12, 31)),
        ("The company had 5,000 employees at the end of June.", NOV_21, dt.date(2014, 6, 30)),
        ("Output at end-June was 5 million tonnes.", NOV_21, dt.date(2014, 6, 30)),
        ("The bank had 40 branches by the end of 2013.", None, dt.date(2013, 12, 31)),
    ],
)
def test_the_end_of_a_month_or_year_is_its_last_day_never_its_first(
    text: str, published: dt.date | None, as_of: dt.date
) -> None:
    assert suggest(text, published)[1] == as_of


def test_by_the_end_of_a_later_year_is_a_deadline_and_no_first_of_year() -> None:
    text = "NATO forces are drawing down from Afghanistan by the end of 2014."
    assert suggest(text, NOV_21)[1] == NOV_21
    assert suggest(text, NOV_21)[1] != dt.date(2014, 1, 1)


@pytest.mark.parametrize(
    "text", ["Prices rose in June 2013.", "In 2013 exports rose.", "Figures as of March were up."]
)
def test_a_month_or_year_alone_gives_no_first_day_as_of(text: str) -> None:
    as_of = suggest(text, NOV_21)[1]
    assert as_of == NOV_21


def test_no_seed_sentence_gets_a_first_of_month_as_of_or_date_bound_on_a_fixed_past_time() -> None:
    assert len(SEED_SENTENCES) > 15
    for text, published in SEED_SENTENCES:
        date_bound, as_of = suggest(text, published)
        assert as_of is None or as_of == published or as_of.day != 1, text
        assert as_of == published, text  # no seed sentence names the day its claim holds for
        fixed_past = ("during 2014", "in 2017", "on Monday", "said Friday", "In June")
        if any(phrase in text for phrase in fixed_past):
            assert date_bound is not True, text

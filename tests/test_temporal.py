"""Tests for annotator.temporal: each rule of docs/conventions/temporal.md, properties, targets."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator import temporal
from annotator.temporal import temporal_spans
from bench.temporal_eval import EVAL, load_records, score

FRIDAY = dt.date(2014, 11, 21)  # the Dawn seed's publication date, a Friday
D = dt.date


def found(text: str, reference: dt.date | None = FRIDAY) -> list[str]:
    """The expressions found in ``text``, as strings."""
    return [text[start:end] for start, end, _ in temporal_spans(text, reference)]


def resolved(text: str, reference: dt.date | None = FRIDAY) -> list[tuple[str, dt.date | None]]:
    """The expressions found in ``text`` with their resolved dates."""
    return [(text[start:end], when) for start, end, when in temporal_spans(text, reference)]


# --- What is marked -------------------------------------------------------------------------

MARKED = {
    "dates and calendar units": [
        ("The hearing was fixed for Nov 20, 2014.", ["Nov 20, 2014"]),
        ("He reached Kabul on Nov. 20 after a long delay.", ["Nov. 20"]),
        ("The accord was signed on 20 April 2015.", ["20 April 2015"]),
        ("Results will be announced on 21st November.", ["21st November"]),
        ("Sales closed on Sept 30 with a record.", ["Sept 30"]),
        ("The order dated 02-10-2023 was withdrawn.", ["02-10-2023"]),
        ("Exports fell in June.", ["June"]),
        ("The plant opened in September 2021.", ["September 2021"]),
        ("Inflation peaked in 2017.", ["2017"]),
        ("The city grew fast in the 1990s.", ["the 1990s"]),
        ("The dispute dates from the 20th century.", ["the 20th century"]),
        ("The dam was built in the summer of 1999.", ["the summer of 1999"]),
        ("Markets close early at Christmas.", ["Christmas"]),
    ],
    "weekdays and parts of days": [
        ("The court met on Monday.", ["Monday"]),
        ("The court met on Monday afternoon.", ["Monday afternoon"]),
        ("Polls closed late Saturday.", ["late Saturday"]),
        ("A blast hit Quetta on Saturday night.", ["Saturday night"]),
        ("Troops moved in during the early hours of Sunday.", ["the early hours of Sunday"]),
        ("The minister resigned this morning.", ["this morning"]),
        ("The cabinet meets tonight.", ["tonight"]),
        ("The curfew starts at 2pm and ends at midnight.", ["2pm", "midnight"]),
    ],
    "deictic and relative expressions": [
        (
            "Prices fell today, yesterday and the day before yesterday.",
            ["today", "yesterday", "the day before yesterday"],
        ),
        ("The verdict is expected tomorrow.", ["tomorrow"]),
        ("Talks are now under way and currently stalled.", ["now", "currently"]),
        ("Presently, 40 flights operate.", ["Presently"]),
        ("At present, no talks are planned.", ["At present"]),
        ("The law was recently amended and will soon be tested.", ["recently", "soon"]),
        ("Exports rose last year and will rise next month.", ["last year", "next month"]),
        (
            "He visited this week after a trip earlier this week.",
            ["this week", "earlier this week"],
        ),
        ("The body was found two days ago, a year ago to the day.", ["two days ago", "a year ago"]),
        (
            "Debt has grown in recent years and over the past decade.",
            ["recent years", "the past decade"],
        ),
        ("Prices doubled in the past 12 months.", ["the past 12 months"]),
        (
            "Rain is expected in the next 48 hours and over the weekend.",
            ["the next 48 hours", "the weekend"],
        ),
    ],
    "anaphoric expressions": [
        ("The deal had fallen through a day earlier.", ["a day earlier"]),
        ("Profit was Rs2bn a year earlier.", ["a year earlier"]),
        ("Two more blasts followed the same day.", ["the same day"]),
        ("Output was flat in the previous year.", ["the previous year"]),
        ("Sales rose 5pc over the same period last year.", ["the same period last year"]),
    ],
    "durations": [
        ("The court gave him 15 days.", ["15 days"]),
        ("The feud lasted three decades.", ["three decades"]),
        ("The two have been rivals for decades.", ["decades"]),
        ("It was the worst drought in years.", ["years"]),
        ("Talks stalled for nearly eight months.", ["nearly eight months"]),
        ("The dispute has lasted more than seven decades.", ["more than seven decades"]),
    ],
    "sets": [
        ("Prices are revised every year.", ["every year"]),
        ("The board meets twice a year.", ["twice a year"]),
        ("Rs2bn is lost annually.", ["annually"]),
        ("Drills are held on annual basis.", ["annual basis"]),
        ("The paper is printed daily in Lahore.", ["daily"]),
    ],
    "fiscal and financial periods": [
        ("The target for FY2023-24 was missed.", ["FY2023-24"]),
        ("Growth in FY25 is forecast at 3pc.", ["FY25"]),
        ("Grants for the fiscal year 2023-24 were approved.", ["the fiscal year 2023-24"]),
        ("The deficit widened in the current fiscal year.", ["the current fiscal year"]),
        ("Revenue fell in the outgoing fiscal year.", ["the outgoing fiscal year"]),
        ("Imports fell in July-February FY24.", ["July-February FY24"]),
        ("Profit rose in the first quarter of 2024.", ["the first quarter of 2024"]),
        ("Profit rose in the first quarter.", ["the first quarter"]),
    ],
    "Islamic calendar": [
        ("Prices rise during Ramazan.", ["Ramazan"]),
        ("Processions are held on the 10th of Muharram.", ["the 10th of Muharram"]),
        ("Security was tight on Ashura.", ["Ashura"]),
        ("Markets were busy before Eid and Eidul Fitr.", ["Eid", "Eidul Fitr"]),
    ],
    "dates and years that premodify an event noun": [
        ("Victims of the 2022 floods are still homeless.", ["2022"]),
        ("Veterans of the 1965 war met.", ["1965"]),
        ("The February 8 elections were disputed.", ["February 8"]),
        ("Pakistan lost 2024’s T20 World Cup opener.", ["2024"]),
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [case for cases in MARKED.values() for case in cases],
    ids=[f"{rule}: {text[:40]}" for rule, cases in MARKED.items() for text, _ in cases],
)
def test_marks_what_the_convention_marks(text: str, expected: list[str]) -> None:
    assert found(text) == expected


NOT_MARKED = [
    "The annual parade was held in Islamabad.",
    "Daily wages and the weekly price index rose, and monthly inflation eased.",
    "He ended his three-day visit and his five-year term.",
    "The rupee hit a nine-year low after a single-day fall.",
    "Pakistan play three one-day internationals.",
    "The 32-year-old led the decade-old, now-defunct party.",
    "The then army chief was consulted.",
    "Sales rose 4pc year-on-year.",
    "Troops joined Peace Mission 2021 under Vision 2025.",
    "The 9/11 Commission and the Dawn Leaks inquiry published reports.",
    "The Sunday Times and The Friday Times carried the story.",
    "He arrived earlier and left later, as he had previously.",
    "It was once a village; then it grew.",
    "Russia has long been a supplier.",
    "No decision has been made so far; talks are still on and the fee is already paid.",
    "He voted twice, and four times the vote failed.",
    "Employees get four holidays.",
    "Pakistan finished second after the ninth round.",
    "The 18th Amendment devolved power.",
    "Some 2,000 troops were deployed under Section 144.",
    "Resolution 1973 was adopted.",
    "The end of the Cold War followed the Arab Spring.",
    "The assembly was adjourned sine die.",
    "At the end of the day, voters decide.",
    "Protesters may march on the capital.",
    "The Aurat March drew thousands.",
    "May God bless the nation.",
    "Theresa May resigned.",
    "Call 051-9201234 or +92 51 2098 7000.",
    "Pakistan won 3-1 and scored a century.",
]


@pytest.mark.parametrize("text", NOT_MARKED)
def test_does_not_mark_what_the_convention_leaves_out(text: str) -> None:
    assert found(text) == []


# --- Span boundaries ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Monday", "Monday"),
        ("by the end of 2014", "the end of 2014"),
        ("since 2001", "2001"),
        ("for three decades", "three decades"),
        ("during recent years", "recent years"),
        ("on annual basis", "annual basis"),
        ("within two weeks", "two weeks"),
        ("until June", "June"),
        ("throughout 2019", "2019"),
        ("as of June 30", "June 30"),
        ("over the past decade", "the past decade"),
    ],
)
def test_rule_1_leaves_leading_prepositions_out(text: str, expected: str) -> None:
    assert found(f"It happened {text}.") == [expected]


@pytest.mark.parametrize(
    "expression",
    [
        "the end of 2014",
        "the 20th century",
        "a year ago",
        "earlier this week",
        "early this morning",
        "late Saturday",
        "mid-June",
        "end-June",
        "late March",
        "nearly eight months",
        "more than seven decades",
        "four more months",
    ],
)
def test_rule_2_keeps_determiners_and_modifiers(expression: str) -> None:
    assert found(f"It was so {expression}, he said.") == [expression]


def test_rule_3_keeps_postposed_ago_earlier_later_but_not_before_or_after() -> None:
    assert found("He left two days ago.") == ["two days ago"]
    assert found("It had rained a day earlier and three years later.") == [
        "a day earlier",
        "three years later",
    ]
    assert found("He quit two weeks before the vote and 22 years after the war.") == [
        "two weeks",
        "22 years",
    ]


def test_rule_4_partitive_of_stays_in_one_span_other_prepositions_split() -> None:
    assert found("Output fell in the first four months of the current fiscal year.") == [
        "the first four months of the current fiscal year"
    ]
    assert found("Talks resume in the second week of January.") == ["the second week of January"]
    assert found("It starts at 2pm on Monday.") == ["2pm", "Monday"]
    assert found("It grew from 2010 to 2014 and between 2019 and 2023.") == [
        "2010",
        "2014",
        "2019",
        "2023",
    ]


@pytest.mark.parametrize(
    "expression",
    ["Tuesday night", "June last year", "October next year", "July-February FY24"],
)
def test_rule_5_adjacent_words_of_one_reference_form_one_span(expression: str) -> None:
    assert found(f"It happened in {expression}.") == [expression]


def test_rule_5_the_week_ended_is_one_span() -> None:
    assert found("Prices rose in the week ended September 29.") == ["the week ended September 29"]


@pytest.mark.parametrize("expression", ["2003-07", "July-September", "FY2023-24"])
def test_rule_6_a_hyphenated_range_is_one_span(expression: str) -> None:
    assert found(f"Growth was strong in {expression}.") == [expression]


def test_rule_7_at_present_is_kept_whole() -> None:
    assert found("At present, the reserves are low.") == ["At present"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wednesday’s contest was tight.", "Wednesday"),
        ("Tonight’s meeting is key.", "Tonight"),
        ("2024’s budget was cut.", "2024"),
        ("Monday's vote was delayed.", "Monday"),
    ],
)
def test_rule_8_possessive_s_is_not_part_of_the_span(text: str, expected: str) -> None:
    assert found(text) == [expected]


def test_rule_9_a_wire_dateline_is_marked() -> None:
    assert found("ISLAMABAD, Nov 21 (Reuters) - The talks ended.") == ["Nov 21"]


# --- Resolution -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("Troops will leave by the end of 2014.", FRIDAY, D(2014, 1, 1)),
        ("Profit rose in the first quarter of 2024.", FRIDAY, D(2024, 1, 1)),
        ("It was dry in the summer of 1999.", FRIDAY, D(1999, 1, 1)),
        ("Prices had risen since mid-June.", FRIDAY, D(2014, 6, 1)),
        ("Reserves fell at end-June.", FRIDAY, D(2014, 6, 1)),
        ("The mission came in late March.", FRIDAY, D(2014, 3, 1)),
        ("Cuts began at the start of September.", FRIDAY, D(2014, 9, 1)),
        ("The board will meet in the second week of January.", D(2016, 12, 16), D(2017, 1, 1)),
        ("Prices rose in the week ended September 29.", D(2023, 10, 6), D(2023, 9, 1)),
        ("Polls closed late Saturday.", FRIDAY, D(2014, 11, 15)),
        ("Jets struck in the early hours of Tuesday.", FRIDAY, D(2014, 11, 18)),
        ("The court met on Monday afternoon.", FRIDAY, D(2014, 11, 17)),
    ],
)
def test_sub_periods_resolve_to_the_unit_that_contains_them(
    text: str, reference: dt.date, expected: dt.date
) -> None:
    assert [when for _, when in resolved(text, reference)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The minister said on Tuesday that talks had failed.", D(2014, 11, 18)),
        ("Sharif will chair a meeting on Thursday.", D(2014, 11, 27)),
        ("Schools will reopen from Monday.", D(2014, 11, 24)),
        ("On Wednesday, the court will hear the case.", D(2014, 11, 26)),
        ("Defence sources said Friday.", FRIDAY),
        ("The cabinet will meet on Friday.", FRIDAY),
        ("He returned last Friday.", D(2014, 11, 14)),
        ("He returns next Monday.", D(2014, 11, 24)),
    ],
)
def test_weekdays_look_back_or_forward_by_tense(text: str, expected: dt.date) -> None:
    assert [when for _, when in resolved(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("Exports had fallen in December.", D(2020, 3, 24), D(2019, 12, 1)),
        ("The plan will be ready by February.", D(2019, 10, 18), D(2020, 2, 1)),
        ("In June, the agency reported a rise.", FRIDAY, D(2014, 6, 1)),
        ("Exports rose in November.", FRIDAY, D(2014, 11, 1)),
        ("Exports will rise in November.", FRIDAY, D(2014, 11, 1)),
        ("The talks ended on Nov 20.", FRIDAY, D(2014, 11, 20)),
        ("The summit will be held on Nov 20.", FRIDAY, D(2015, 11, 20)),
        ("The vote is due on March 3.", FRIDAY, D(2015, 3, 3)),
        ("Christians celebrated Christmas.", FRIDAY, D(2013, 12, 25)),
        ("Churches will be guarded at Christmas.", FRIDAY, D(2014, 12, 25)),
    ],
)
def test_months_and_dates_without_a_year_follow_the_tense_with_roll_over(
    text: str, reference: dt.date, expected: dt.date
) -> None:
    assert [when for _, when in resolved(text, reference)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", FRIDAY),
        ("tonight", FRIDAY),
        ("this morning", FRIDAY),
        ("now", FRIDAY),
        ("currently", FRIDAY),
        ("presently", FRIDAY),
        ("at present", FRIDAY),
        ("yesterday", D(2014, 11, 20)),
        ("last night", D(2014, 11, 20)),
        ("tomorrow", D(2014, 11, 22)),
        ("the day before yesterday", D(2014, 11, 19)),
        ("last year", D(2013, 1, 1)),
        ("this year", D(2014, 1, 1)),
        ("next year", D(2015, 1, 1)),
        ("last month", D(2014, 10, 1)),
        ("this month", D(2014, 11, 1)),
        ("next month", D(2014, 12, 1)),
        ("two days ago", D(2014, 11, 19)),
        ("six months ago", D(2014, 5, 1)),
        ("three years ago", D(2011, 1, 1)),
        ("a year ago", D(2013, 1, 1)),
    ],
)
def test_deictics_and_ago_resolve_from_the_publication_date(text: str, expected: dt.date) -> None:
    assert resolved(f"It was so {text}, he said.") == [(text, expected)]


def test_next_month_rolls_over_the_year() -> None:
    assert resolved("Rates rise next month.", D(2014, 12, 5)) == [("next month", D(2015, 1, 1))]


@pytest.mark.parametrize(
    "text",
    [
        "It was so last week, he said.",
        "It was so this week, he said.",
        "It was so earlier this week, he said.",
        "It was so a fortnight ago, he said.",
        "It lasted 15 days.",
        "It happens twice a year.",
        "It grew in the 1990s and in the 20th century.",
        "It will be cold this winter and over the weekend.",
        "It has grown in recent years and over the past decade.",
        "It was done recently and will end soon.",
        "It fell in FY2023-24 and in the current fiscal year.",
        "It grew in 2003-07 and in July-September.",
        "It starts at 2pm.",
        "It ends during Ramazan, on Ashura or at Eid.",
        "It had happened a day earlier, the same day, in the previous year.",
    ],
)
def test_what_is_not_one_calendar_day_month_or_year_resolves_to_none(text: str) -> None:
    result = resolved(text)
    assert result
    assert all(when is None for _, when in result)


def test_with_no_publication_date_only_expressions_with_their_own_year_resolve() -> None:
    text = "In 2014, in September 2021, on May 28, 1998, on Monday, last year, next month."
    assert resolved(text, None) == [
        ("2014", D(2014, 1, 1)),
        ("September 2021", D(2021, 9, 1)),
        ("May 28, 1998", D(1998, 5, 28)),
        ("Monday", None),
        ("last year", None),
        ("next month", None),
    ]
    assert resolved("Presently, talks are on.", None) == [("Presently", None)]


# --- Properties -----------------------------------------------------------------------------

VOCABULARY = [
    *"the a an of on in by since for to and at said will Pakistan Vision Rs troops".split(),
    *"Monday Friday May March June Nov Sept Eid Eidul Ramazan Christmas Times".split(),
    *"last next this early late mid end earlier later nearly more than ago".split(),
    *"year years month months day days week decade century quarter fiscal FY24".split(),
    *"today tonight now soon daily annually every twice times basis period same".split(),
    *"2014 1990s 20th 21st 15 2,000 2003-07 10:30 2pm 02-10-2023 2024’s".split(),
    *", . - ’s ( ) : Q1 at present".split(),
]
sentences = st.lists(st.sampled_from(VOCABULARY), max_size=25).map(" ".join)
references = st.none() | st.dates(D(1990, 1, 1), D(2030, 12, 31))


@settings(max_examples=300)
@given(sentences | st.text(max_size=80), references)
def test_spans_are_sorted_inside_the_text_non_overlapping_and_trimmed(
    text: str, reference: dt.date | None
) -> None:
    spans = temporal_spans(text, reference)
    previous_end = 0
    for start, end, _ in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous_end = end


def full_scan(text: str) -> list[tuple[int, int]]:
    """What the recogniser finds when the pattern is tried at every character."""
    spans, position = [], 0
    while (match := temporal._PATTERN.search(text, position)) is not None:
        if temporal._accepted(match, text):
            spans.append(match.span())
            position = match.end()
        else:
            position = match.start() + 1
    return spans


@settings(max_examples=300)
@given(sentences)
def test_trying_the_pattern_only_at_openers_finds_what_a_full_scan_finds(text: str) -> None:
    assert [span[:2] for span in temporal_spans(text, FRIDAY)] == full_scan(text)


@pytest.mark.parametrize(
    "text",
    [
        "1." * 20_000,
        "1 " * 20_000,
        "May " * 20_000,
        "the end of " * 5_000,
        " " * 100_000 + "x",
        "a" * 100_000,
    ],
)
def test_pathological_inputs_give_no_spans(text: str) -> None:
    assert temporal_spans(text, FRIDAY) == []


def test_the_seed_article_marks_its_dates() -> None:
    text = (
        Path(__file__).resolve().parent.parent / "seeds" / "004_27ddbea68a68097d.txt"
    ).read_text(encoding="utf-8")
    marked = found(text)
    assert marked[:3] == ["November 21, 2014", "Nov 20, 2014", "Nov 20, 2014"]
    assert {"Friday", "earlier this week", "the end of 2014", "today", "June"} <= set(marked)


# --- The evaluation set ---------------------------------------------------------------------


def test_the_evaluation_set_meets_the_targets() -> None:
    result = score(temporal_spans, load_records())
    assert result["precision"] >= 0.95
    assert result["recall"] >= 0.90
    assert result["resolution"] >= 0.90


def test_the_evaluation_set_has_enough_sentences_with_and_without_expressions() -> None:
    records = load_records()
    assert len(records) >= 150
    assert sum(not record.spans for record in records) >= 40
    for record in records:
        for start, end, _ in record.spans:
            assert record.text[start:end] == record.text[start:end].strip() != ""


def test_the_markup_script_round_trips_the_evaluation_set() -> None:
    spec = importlib.util.spec_from_file_location("markup", EVAL.parent / "markup.py")
    assert spec is not None and spec.loader is not None
    markup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(markup)
    lines = EVAL.read_text(encoding="utf-8").splitlines()
    for line in lines:
        record = markup.parse_line(markup.render_record(json.loads(line)))
        assert record == json.loads(line)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", markup.full_date("2014-06"))


# --- Defects found on outside news text (issue 16) ------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hiring picked up this fall.", [("this fall", None)]),
        ("Sales slumped last summer.", [("last summer", None)]),
        ("The plant closed this past spring.", [("this past spring", None)]),
        ("The dam was finished in the summer of 1999.", [("the summer of 1999", D(1999, 1, 1))]),
        ("Gas will be dear this winter.", [("this winter", None)]),
        ("Orders were thin over the summer.", [("the summer", None)]),
    ],
)
def test_seasons_are_marked_and_resolve_only_with_their_year(
    text: str, expected: list[tuple[str, dt.date | None]]
) -> None:
    assert resolved(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The law passed in nineteen ninety-six.", [("nineteen ninety-six", D(1996, 1, 1))]),
        (
            "He vowed to finish by the year two thousand.",
            [("the year two thousand", D(2000, 1, 1))],
        ),
        ("It was built in nineteen oh five.", [("nineteen oh five", D(1905, 1, 1))]),
        (
            "Prices peaked in January nineteen ninety-seven.",
            [("January nineteen ninety-seven", D(1997, 1, 1))],
        ),
        ("Crime fell through the nineties.", [("the nineties", None)]),
    ],
)
def test_spelled_out_years_are_marked_and_resolved(
    text: str, expected: list[tuple[str, dt.date | None]]
) -> None:
    assert resolved(text) == expected


def test_two_thousand_alone_is_a_count_not_a_year() -> None:
    assert found("Some two thousand people marched.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The index closed at 2082.1, down 4.5%.",
        "The gauge settled 42 points lower at 1678.5.",
        "The driver, 37 years old, was unhurt.",
        "Staff 55 years old or older may retire early.",
    ],
)
def test_decimals_and_ages_are_not_years(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("The appointment takes effect Nov. 13.", D(1989, 11, 2), D(1989, 11, 13)),
        (
            "The dividend is payable Jan. 2 to holders of record Dec. 15.",
            D(1989, 11, 2),
            D(1990, 1, 2),
        ),
        ("The offer runs until March 3.", D(2024, 2, 14), D(2024, 3, 3)),
        ("The rights expire Nov. 21.", D(1989, 11, 2), D(1989, 11, 21)),
        ("The board extended its offer to Nov. 20.", D(1989, 11, 2), D(1989, 11, 20)),
        ("The regulator asked it to respond by Oct. 31.", D(1989, 10, 26), D(1989, 10, 31)),
        ("Exports slumped in December.", D(2020, 3, 24), D(2019, 12, 1)),
        ("Exports had slumped in December.", D(2020, 3, 24), D(2019, 12, 1)),
        ("The plan must be ready by February.", D(2019, 10, 18), D(2020, 2, 1)),
        ("The plan will be ready by February.", D(2019, 10, 18), D(2020, 2, 1)),
        ("In June, the agency reported a rise.", FRIDAY, D(2014, 6, 1)),
        ("The talks ended on Nov 25.", FRIDAY, D(2013, 11, 25)),
        ("Profits have risen since March.", D(1990, 8, 13), D(1990, 3, 1)),
    ],
)
def test_dates_without_a_year_take_the_nearest_occurrence_unless_the_tense_is_clear(
    text: str, reference: dt.date, expected: dt.date
) -> None:
    assert next(when for _, when in resolved(text, reference)) == expected


def test_is_to_resume_on_a_weekday_is_the_next_one() -> None:
    text = "The shares are halted and trading is to resume in Paris Tuesday."
    assert resolved(text, D(1989, 10, 27)) == [("Tuesday", D(1989, 10, 31))]


def test_a_weekday_with_a_month_day_picks_the_year_where_they_agree() -> None:
    # April 25 was a Saturday in 2015 and 2020; published 2017-05-01, 2015 is nearer.
    text = "The paper said in an editorial on Saturday, April 25, that the court erred."
    assert resolved(text, D(2017, 5, 1))[0] == ("Saturday, April 25", D(2015, 4, 25))
    assert resolved(text, D(2019, 6, 1))[0] == ("Saturday, April 25", D(2020, 4, 25))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Net rose from the year-ago quarter.", ["the year-ago quarter"]),
        ("Sales fell in the latest quarter.", ["the latest quarter"]),
        ("Losses narrowed over the past two quarters.", ["the past two quarters"]),
        ("Interest is paid every quarter.", ["every quarter"]),
        ("Such deals were rare in the past.", ["the past"]),
        ("Rates will stay low for the foreseeable future.", ["the foreseeable future"]),
        ("The deal should close by year-end.", ["year-end"]),
    ],
)
def test_reporting_periods_and_vague_references_are_marked_null(
    text: str, expected: list[str]
) -> None:
    assert resolved(text) == [(span, None) for span in expected]


@pytest.mark.parametrize(
    "text",
    [
        "Year-end results were weak.",
        "The past is another country.",
        "He spoke of the future of the party.",
        "A spring in the hills feeds the town.",
    ],
)
def test_premodifiers_and_nouns_that_only_look_temporal_are_not_marked(text: str) -> None:
    assert found(text) == []


# --- Defects found on outside news text, round 2 (issue 16, item 3) -------------------------


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # a passive infinitive is future even when the sentence opened in the past tense
        (
            "She noted that new rules to be released in early March will apply to all banks.",
            D(2021, 1, 20),
            ("early March", D(2021, 3, 1)),
        ),
        # ... but a nearer past form still decides
        (
            "The stores to be sold had sales of $9 million in the year ended June 30.",
            D(2021, 1, 20),
            ("June 30", D(2020, 6, 30)),
        ),
        # a present-tense auxiliary nearer than the reporting verb: the nearest occurrence
        (
            "The firm said it is calling in its bonds on Feb. 3 at par.",
            D(2021, 11, 20),
            ("Feb. 3", D(2022, 2, 3)),
        ),
        # no cue before the date in its clause: the verb after it, not an earlier clause
        (
            "Aid was promised to the town, where the May 2 storm wrecked the school.",
            D(2021, 5, 20),
            ("May 2", D(2021, 5, 2)),
        ),
        (
            "The officials hoped it would help the region, where the Sept. 9 floods killed many.",
            D(2021, 9, 30),
            ("Sept. 9", D(2021, 9, 9)),
        ),
    ],
)
def test_the_tense_of_a_dates_own_clause_decides_its_year(
    text: str, reference: dt.date, expected: tuple[str, dt.date]
) -> None:
    assert resolved(text, reference)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The envoy met Ivo Sanader and Jan Novak of the ruling party.",
        "The best song of May Larsen won the prize.",
    ],
)
def test_a_short_month_before_a_capitalised_word_is_a_first_name(text: str) -> None:
    assert resolved(text) == []


def test_a_short_month_after_a_preposition_of_time_stays_a_month() -> None:
    assert resolved("The bill passed in May Congress adjourned.", FRIDAY) == [
        ("May", D(2014, 5, 1))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mill was shut last fall.", [("last fall", None)]),
        ("A new line opens next fall.", [("next fall", None)]),
        ("Output has grown since last fall.", [("last fall", None)]),
    ],
)
def test_fall_with_last_next_or_coming_is_a_season(
    text: str, expected: list[tuple[str, dt.date | None]]
) -> None:
    assert resolved(text) == expected


def test_a_year_after_an_article_premodifies_a_noun() -> None:
    assert resolved("A 2019 ruling set the rules.", FRIDAY) == [("2019", D(2019, 1, 1))]
    assert resolved("He signed an 1998 accord.", FRIDAY) == [("1998", D(1998, 1, 1))]


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # *is heard* is a present passive, not the past *heard*: the nearest May
        ("The appeal is heard in May by the full bench.", D(2022, 3, 10), ("May", D(2022, 5, 1))),
        # *was held* stays past
        ("The poll was held in May.", D(2022, 3, 10), ("May", D(2021, 5, 1))),
        # *since* anywhere before the date in its clause looks back
        (
            "He has been on the run since shortly after the June 4 raid.",
            D(2022, 1, 10),
            ("June 4", D(2021, 6, 4)),
        ),
    ],
)
def test_passives_and_since_in_the_clause_decide_the_year(
    text: str, reference: dt.date, expected: tuple[str, dt.date]
) -> None:
    assert resolved(text, reference)[0] == expected


def test_last_or_next_before_a_month_day_is_one_span_that_picks_the_direction() -> None:
    reference = D(2022, 4, 19)
    assert resolved("She was hurt last Oct. 23 at home.", reference) == [
        ("last Oct. 23", D(2021, 10, 23))
    ]
    assert resolved("The mall opens next Feb. 2, the firm says.", D(2022, 1, 19)) == [
        ("next Feb. 2", D(2022, 2, 2))
    ]


@pytest.mark.parametrize(
    "text",
    ["He was freed and spoke in court the next morning.", "They left the following evening."],
)
def test_the_next_or_following_part_of_day_is_anaphoric_and_null(text: str) -> None:
    (span,) = resolved(text, FRIDAY)
    assert span[0].startswith("the ") and span[1] is None


# --- Defects found on MEANTIME's dev half, round 3 (issue 16, item 3) ------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The festival played songs of the 60s and 70s until dawn.", ["the 60s", "70s"]),
        ("Rents rose in the 1950s or 1960s in most towns.", ["the 1950s", "1960s"]),
    ],
)
def test_the_second_of_two_coordinated_decades_is_marked_null(
    text: str, expected: list[str]
) -> None:
    assert resolved(text) == [(span, None) for span in expected]


def test_a_decade_written_like_an_age_is_not_marked_without_a_coordinated_decade() -> None:
    assert found("Many voters in their 70s stayed home.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The tickets were gone in just hours.", "hours"),
        ("The dam could be emptied within only days.", "days"),
        ("The shares lost a tenth of their value in mere minutes.", "minutes"),
    ],
)
def test_a_bare_duration_after_a_preposition_and_just_or_only_is_marked(
    text: str, expected: str
) -> None:
    assert resolved(text) == [(expected, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The bakery chain has lost money for three consecutive quarters.",
            "three consecutive quarters",
        ),
        ("Sales fell for two straight quarters in the north.", "two straight quarters"),
    ],
)
def test_a_count_of_consecutive_quarters_is_a_duration(text: str, expected: str) -> None:
    assert resolved(text) == [(expected, None)]


def test_quarters_as_a_fraction_are_not_a_duration() -> None:
    assert found("Three quarters of the members voted for the plan.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a modal before *as early as* / *as soon as*: the earliest it can happen, ahead
        ("Officials said the ferry could dock as early as Thursday.", D(2021, 6, 10)),
        ("The union said members might walk out as soon as Monday.", D(2021, 6, 14)),
        # ... a past form before it looks back as usual
        ("The shop sold out as early as Monday.", D(2021, 6, 7)),
        ("Queues formed as early as Monday.", D(2021, 6, 7)),
    ],
)
def test_as_early_as_after_a_modal_points_forward(text: str, expected: dt.date) -> None:
    (span,) = resolved(text, D(2021, 6, 8))  # a Tuesday
    assert span[1] == expected


def test_an_infinitive_after_decided_is_future() -> None:
    text = "The council decided to close the road in April."
    assert resolved(text, D(2021, 6, 10)) == [("April", D(2022, 4, 1))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The crossing took 3 1/2 hours in rough seas.", "3 1/2 hours"),
        ("She served 4½ years on the bench.", "4½ years"),
    ],
)
def test_a_count_with_a_fraction_is_one_duration(text: str, expected: str) -> None:
    assert resolved(text) == [(expected, None)]


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        (
            "The fair runs on Sept. 12 and 13 in the old port.",
            D(2020, 9, 1),
            [("Sept. 12", D(2020, 9, 12)), ("13", D(2020, 9, 13))],
        ),
        (
            "Hearings were held on March 2 or 3.",
            D(2020, 9, 1),
            [("March 2", D(2020, 3, 2)), ("3", D(2020, 3, 3))],
        ),
        # a year after the second day dates both
        (
            "Polls opened on Oct. 8 and 9, 2016.",
            D(2020, 9, 1),
            [("Oct. 8", D(2016, 10, 8)), ("9, 2016", D(2016, 10, 9))],
        ),
    ],
)
def test_a_second_day_after_a_month_day_is_its_own_span_in_that_month(
    text: str, reference: dt.date, expected: list[tuple[str, dt.date]]
) -> None:
    assert resolved(text, reference) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Police came on June 3 and 40 people were held.",
        "Police came on June 3 and 4 officers were hurt.",
        "The index rose 2% on June 3 and 4% on the day after.",
    ],
)
def test_a_number_after_a_month_day_and_and_that_counts_something_is_not_a_day(
    text: str,
) -> None:
    assert found(text, D(2020, 9, 1)) == ["June 3"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The new stadium had been decades in the making.", "decades"),
        ("It has been years since the mill shut.", "years"),
    ],
)
def test_a_bare_plural_unit_after_been_is_a_duration(text: str, expected: str) -> None:
    assert resolved(text) == [(expected, None)]


# --- Round 4: fixes from ESC dev (the Event StoryLine Corpus), each with our own sentences ---


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("The council has set the builders a June 12 deadline.", D(2022, 6, 3), D(2022, 6, 12)),
        ("They missed the Jan. 4 deadline, the club said.", D(2023, 1, 20), D(2023, 1, 4)),
        ("Regulators gave the bank a March 1 deadline.", D(2021, 12, 20), D(2022, 3, 1)),
    ],
)
def test_a_date_premodifying_deadline_is_the_occurrence_nearest_to_publication(
    text: str, reference: dt.date, expected: dt.date
) -> None:
    assert [when for _, when in resolved(text, reference)] == [expected]


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # Friday 2022-09-16: the next Monday and Thursday, not the last ones.
        ("The judge adjourned the hearing until Monday.", D(2022, 9, 16), D(2022, 9, 19)),
        ("The vote was postponed to Thursday, officials said.", D(2022, 9, 16), D(2022, 9, 22)),
        ("Organisers delayed the launch until Tuesday morning.", D(2022, 9, 16), D(2022, 9, 20)),
        (
            "The judge ended by deferring the two men's appeal to Monday.",
            D(2022, 9, 16),
            D(2022, 9, 19),
        ),
    ],
)
def test_a_day_an_event_is_postponed_until_lies_ahead(
    text: str, reference: dt.date, expected: dt.date
) -> None:
    assert [when for _, when in resolved(text, reference)][-1] == expected


WEDNESDAY = D(2024, 2, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A story of a postponed match since played: the date, not next year's.
        ("The match was postponed until Feb. 10 and Arsenal won it 2-0.", D(2024, 2, 10)),
        ("The hearing, which had been postponed to Feb. 1, ended with an acquittal.",
         D(2024, 2, 1)),
        # The postponing verb is not the one that moves the day.
        ("The minister was delayed on his way to Monday's summit.", D(2024, 2, 12)),
    ],
)  # fmt: skip
def test_a_date_after_a_postponement_in_a_past_story_keeps_its_tense(
    text: str, expected: dt.date
) -> None:
    assert [when for _, when in resolved(text, WEDNESDAY)][-1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The company missed the July 31 deadline.", D(2023, 7, 31)),
        ("The company will miss the Aug. 30 deadline.", D(2024, 8, 30)),
    ],
)
def test_a_deadline_in_a_clause_with_a_tense_follows_the_tense(
    text: str, expected: dt.date
) -> None:
    assert [when for _, when in resolved(text, WEDNESDAY)] == [expected]


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("She could face ten years when she's sentenced June 2.", D(2021, 5, 20), D(2021, 6, 2)),
        ("It's scheduled Oct. 9, the organisers say.", D(2019, 9, 30), D(2019, 10, 9)),
    ],
)
def test_a_contracted_is_or_has_before_a_participle_gives_the_nearest_date(
    text: str, reference: dt.date, expected: dt.date
) -> None:
    assert [when for _, when in resolved(text, reference)][-1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The tremor lasted about 40 seconds.", "about 40 seconds"),
        ("Sirens sounded for 90 seconds before the blast.", "90 seconds"),
    ],
)
def test_a_count_of_seconds_is_a_duration(text: str, expected: str) -> None:
    assert resolved(text) == [(expected, None)]


def test_a_single_second_stays_an_ordinal() -> None:
    assert found("She finished a second time behind the champion.") == []


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # The first verb after a sentence-initial date decides, not a later *plans*.
        ("In March, the firm announced plans to open a plant.", WEDNESDAY, D(2023, 3, 1)),
        # An adverbial looks past a comma for its verb.
        ("In January, weeks after the election, a bomb killed four people.", D(2024, 10, 20),
         D(2024, 1, 1)),
        # A date inside a noun phrase is not governed by the next clause: the nearest.
        ("By setting a Jan. 14 hearing date, the court gave both sides time.", D(2024, 1, 5),
         D(2024, 1, 14)),
        # A date that ends its clause takes the verb before it, not a reporting clause after it.
        ("The board has agreed to admit Ghana, Peru and Chile in early March, a spokesman said.",
         WEDNESDAY, D(2024, 3, 1)),
        ("She checked into a clinic in Palm Springs, Calif., on Thursday night, for what is to "
         "be a month-long stay.", WEDNESDAY, D(2024, 2, 8)),
        # A future verb after the date wins over participles and names before it.
        ("On Monday, the newly elected senators will take oath.", D(2025, 1, 2), D(2025, 1, 6)),
        ("On Friday, Islamabad United will face Lahore Qalandars.", D(2025, 1, 6),
         D(2025, 1, 10)),
        ("In June, the government, faced with a resource crunch, will present the budget.",
         D(2025, 1, 6), D(2025, 6, 1)),
        # A wire dateline is not governed by the story after its dash.
        ("KARACHI, Dec 17 (Reuters) - The central bank is expected to cut rates.",
         D(2024, 12, 18), D(2024, 12, 17)),
    ],
)  # fmt: skip
def test_the_verb_that_governs_a_date_is_found_across_commas_and_appositions(
    text: str, reference: dt.date, expected: dt.date
) -> None:
    assert next(when for _, when in resolved(text, reference)) == expected


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # Published 2024-05-10: a future seen from the past may lie either side; the nearest.
        ("The talks were expected to end in March.", D(2024, 5, 10), D(2024, 3, 1)),
        ("In September, the firm announced plans to open a plant.", D(2024, 10, 30),
         D(2024, 9, 1)),
        ("The lease had been due to run out on Oct. 1.", D(2024, 12, 20), D(2024, 10, 1)),
        ("Elections in February were expected to be peaceful.", D(2024, 12, 18), D(2025, 2, 1)),
        # *would*, the reported future, stays future.
        ("The minister said elections would be held in November.", D(2025, 1, 6),
         D(2025, 11, 1)),
        ("Dar said the budget would be presented in June.", D(2024, 12, 18), D(2025, 6, 1)),
        # A weekday seen from the past is the next one, as in the future tense.
        ("The minister was due to arrive on Thursday.", WEDNESDAY, D(2024, 2, 15)),
        ("The team planned to leave on Saturday.", WEDNESDAY, D(2024, 2, 17)),
        ("The meeting on Friday was due to discuss the budget.", D(2025, 1, 6), D(2025, 1, 10)),
        ("The ban was expected to take effect on Saturday.", D(2025, 1, 2), D(2025, 1, 4)),
        # ... unless the plan is told as superseded: the last one.
        ("The offer had been due to expire Friday evening.", D(2025, 1, 6), D(2025, 1, 3)),
    ],
)  # fmt: skip
def test_a_future_seen_from_the_past_gives_the_nearest_month_and_the_next_weekday(
    text: str, reference: dt.date, expected: dt.date
) -> None:
    assert [when for _, when in resolved(text, reference)][-1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The climber is thought to have fallen much earlier in the day.", "earlier in the day"),
        ("At the time, the minister said he would resign.", "the time"),
        ("Prices will stay high for the time being.", "the time being"),
        ("The talks will resume at a later date.", "a later date"),
        ("Traders sold heavily in the morning.", "the morning"),
        ("In the days following the flood, prices rose.", "the days"),
        ("Over the years, the town has grown.", "the years"),
        ("Exporters face pressure in the weeks ahead.", "the weeks ahead"),
        ("Power will be out for a while.", "a while"),
        ("The plant closed some time ago.", "some time"),
        ("The index fell for a second straight day.", "a second straight day"),
        ("By mid-afternoon, the polls had closed.", "mid-afternoon"),
    ],
)
def test_times_the_story_anchors_are_marked_and_null(text: str, expected: str) -> None:
    assert resolved(text) == [(expected, None)]


@pytest.mark.parametrize(
    "text",
    [
        "The climbers had to spend the night in a hut.",
        "The time has come for a decision.",
        "At the time of the attack, he was abroad.",
        "At the time Ahmed was arrested, the party was banned.",
        "The days are long in June.",
        "We should spend some time on the budget.",
        "It was a second chance for the team.",
        "At the time police arrived, the gunmen had fled.",
        "At the time 14 people were killed, the building was full.",
        "Pakistan were 120 for two in the morning session.",
        "The night shift ended.",
        "They drank mid-morning tea.",
        "The case reached a later stage of the trial.",
        "He visits once in a while.",
    ],
)
def test_the_same_words_outside_a_time_phrase_are_not_marked(text: str) -> None:
    assert [span for span, _ in resolved(text)] in ([], ["June"])


def test_a_part_of_day_before_a_day_leaves_the_day_to_resolve() -> None:
    assert resolved("Shares rose by mid-afternoon yesterday.") == [("yesterday", D(2014, 11, 20))]


def test_an_opening_quote_does_not_hide_the_word_before_an_expression() -> None:
    assert resolved('The crisis had been "decades in the making," he said.') == [("decades", None)]

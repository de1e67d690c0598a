"""bench/esc.py reads the Event StoryLine Corpus's CAT XML into the TIMEX3 bench's records. The
sample in tests/data/esc/ is our own story in ESC's layout, not taken from the corpus, which
stays outside the repository."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bench.esc import _local_day, join, read_document, split_files
from bench.timex3 import (
    GoldTimex,
    exclusion,
    prediction_exclusion,
    resolution,
    resolution_exclusion,
)

SAMPLE = Path(__file__).parent / "data" / "esc" / "3_1ecbplus.xml.xml"


def test_only_sentences_with_a_markable_are_read_and_the_dateline_is_the_reference() -> None:
    records = read_document(SAMPLE)
    assert [r.text for r in records] == [
        "Ferry runs aground off harbour",
        "Early Friday morning, around 1:30 a.m., the 40-year-old ferry ran aground.",
        "Divers from the U.S. inspected the Dutch-built hull on Thursday, May 2.",
    ]
    assert {r.reference for r in records} == {dt.date(2013, 5, 3)}


def test_time_markables_keep_their_words_and_get_timeml_types() -> None:
    timexes = [t for r in read_document(SAMPLE) for t in r.timexes]
    assert [(t.text, t.type, t.value) for t in timexes] == [
        ("Early Friday morning", "TIME", "2013-05-03TMO"),
        ("around 1:30 a.m.", "TIME", "2013-05-03T01:30"),
        ("on Thursday, May 2", "DATE", "2013-05-02"),
    ]
    assert [resolution(t) for t in timexes] == [
        (dt.date(2013, 5, 3), "day"),
        None,
        (dt.date(2013, 5, 2), "day"),
    ]


def test_a_creation_time_naming_another_year_than_its_dateline_leaves_the_document_out(
    tmp_path: Path,
) -> None:
    wrong = tmp_path / "3_2ecbplus.xml.xml"
    text = SAMPLE.read_text(encoding="utf-8")
    wrong.write_text(text.replace('value="2013-05-03" anchorTimeID=""', 'value="2010-05-03"'))
    assert read_document(wrong) == []


def test_words_and_numbers_cut_into_tokens_are_glued_back() -> None:
    tokens = "the 26 - year - old paid $2 . 6 million for 2 , 000 acres on 05 / 03 / 2013".split()
    text, ranges = join(tokens)
    assert text == "the 26-year-old paid $2.6 million for 2,000 acres on 05/03/2013"
    assert [text[a:b] for a, b in ranges] == tokens
    assert join("in 2011 , 34 people died".split())[0] == "in 2011, 34 people died"


def test_the_split_puts_odd_topics_in_dev_and_even_ones_in_held_out(tmp_path: Path) -> None:
    for topic in ("1", "2", "3", "10"):
        (tmp_path / topic).mkdir()
        (tmp_path / topic / f"{topic}_1ecbplus.xml.xml").write_text("<Document/>")
    halves = split_files(tmp_path)
    assert [p.parent.name for p in halves["dev"]] == ["1", "3"]
    assert [p.parent.name for p in halves["held-out"]] == ["2", "10"]


def test_a_creation_time_in_utc_gives_the_day_its_dateline_names() -> None:
    written = "04 / 11 / 08 , 10 : 30 PM PDT"
    assert _local_day(dt.date(2008, 4, 12), "2008-04-12T05:30Z", written) == dt.date(2008, 4, 11)
    assert _local_day(dt.date(2008, 4, 12), "2008-04-12", written) == dt.date(2008, 4, 12)


def _timex(text: str, value: str = "P1D", kind: str = "DURATION") -> GoldTimex:
    return GoldTimex(0, len(text), kind, value, text)


def test_compounds_after_a_determiner_or_count_are_premodifiers() -> None:
    assert exclusion(_timex("a 30-day"), "suspension") == "compound"
    assert exclusion(_timex("two 5-year"), "terms") == "compound"
    assert exclusion(_timex("a monthlong"), "strike") == "compound"
    assert exclusion(_timex("the fiscal third-quarter", "1990-Q3", "DATE"), "of") is None


def test_offsets_are_durations_and_unmarked_ones_do_not_count_against_precision() -> None:
    text = "The fire broke out three days before the festival."
    start = text.index("three")
    assert prediction_exclusion(text, start, start + len("three days")) == "offset"
    assert resolution_exclusion(_timex("a week", "2011-05-02", "DATE"), "after") == "anaphor"
    assert resolution_exclusion(_timex("June 3", "2011-06-03", "DATE"), "after") is None


def test_a_weekday_valued_further_from_the_reference_than_a_week_is_a_gold_error() -> None:
    wednesday = dt.date(1990, 8, 15)
    # The last Tuesday is 1990-08-14; 08-07 can only come from another creation date.
    assert resolution_exclusion(_timex("Tuesday", "1990-08-07", "DATE"), "", wednesday) == "anchor"
    assert resolution_exclusion(_timex("Tuesday", "1990-08-14", "DATE"), "", wednesday) is None
    assert resolution_exclusion(_timex("Tuesday", "1990-08-21", "DATE"), "", wednesday) is None
    # *last Tuesday* may reach the week before; a date with its month is never judged so.
    assert resolution_exclusion(_timex("last Tuesday", "1990-08-07", "DATE"), "", wednesday) is None
    assert resolution_exclusion(_timex("Aug. 1", "1990-08-01", "DATE"), "", wednesday) is None
    assert resolution_exclusion(_timex("Tuesday", "1990-08-07", "DATE"), "", None) is None


def test_a_deictic_day_valued_another_day_than_the_reference_gives_is_a_gold_error() -> None:
    friday = dt.date(2013, 5, 3)
    assert resolution_exclusion(_timex("now", "2013-05-02", "DATE"), "", friday) == "anchor"
    assert resolution_exclusion(_timex("right now", "2013-05-03", "DATE"), "", friday) is None
    assert resolution_exclusion(_timex("yesterday", "2013-05-02", "DATE"), "", friday) is None
    assert resolution_exclusion(_timex("Yesterday", "2013-05-03", "DATE"), "", friday) == "anchor"
    tomorrow_night = _timex("tomorrow night", "2013-05-04TNI", "TIME")
    assert resolution_exclusion(tomorrow_night, "", friday) is None

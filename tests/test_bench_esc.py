"""bench/esc.py reads the Event StoryLine Corpus's CAT XML into the TIMEX3 bench's records. The
sample in tests/data/esc/ is our own story in ESC's layout, not taken from the corpus, which
stays outside the repository."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bench.esc import join, read_document, split_files
from bench.timex3 import resolution

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

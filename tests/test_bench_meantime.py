"""bench/meantime.py reads MEANTIME's CAT XML into the TIMEX3 bench's records, and bench/timex3.py
names the MEANTIME classes TEMPORAL.md does not mark. The files here are written by the test
(our own sentences in MEANTIME's layout), not taken from the corpus, which stays outside the
repository."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bench.meantime import detokenize, read_document, split_files
from bench.timex3 import GoldTimex, exclusion


def _cat(sentences: list[list[str]], timexes: list[tuple[str, str, str, list[int]]]) -> str:
    """A CAT document: tokens numbered from 1 across sentences, TIMEX3s anchored to them."""
    tokens, number = [], 0
    for index, words in enumerate(sentences):
        for word in words:
            number += 1
            tokens.append(f'<token sentence="{index}" t_id="{number}">{word}</token>')
    marks = [
        f'<TIMEX3 functionInDocument="{function}" m_id="{i}" type="{kind}" value="{value}">'
        + "".join(f'<token_anchor t_id="{t}"/>' for t in anchors)
        + "</TIMEX3>"
        for i, (function, kind, value, anchors) in enumerate(timexes)
    ]
    return (
        f'<Document doc_id="1">{"".join(tokens)}<Markables>{"".join(marks)}</Markables></Document>'
    )


def test_detokenize_glues_punctuation_clitics_brackets_and_quotes() -> None:
    tokens = ["The", "mayor", "'s", "plan", "(", "a", "$", "5", "bn", "one", ")", "is", '"',
              "bold", '"', ",", "they", "said", "."]  # fmt: skip
    text, ranges = detokenize(tokens)
    assert text == 'The mayor\'s plan (a $5 bn one) is "bold", they said.'
    assert [text[a:b] for a, b in ranges] == tokens


def test_a_document_skips_its_dateline_and_unannotated_sentences(tmp_path: Path) -> None:
    sentences = [
        ["Town", "opens", "bridge"],
        ["May", "04", ",", "2011"],
        ["The", "bridge", "opened", "on", "Tuesday", "."],
        ["It", "took", "five", "years", "to", "build", "."],
        ["Nothing", "here", "was", "annotated", "on", "Monday", "."],
    ]
    timexes = [
        ("CREATION_TIME", "DATE", "2011-05-04", [4, 5, 6, 7]),
        ("NONE", "DATE", "2011-05-03", [12]),
        ("NONE", "DURATION", "P5Y", [16, 17]),
    ]
    path = tmp_path / "1_Town_opens_bridge.xml"
    path.write_text(_cat(sentences, timexes), encoding="utf-8")
    records = read_document(path)
    assert [r.text for r in records] == [
        "Town opens bridge",
        "The bridge opened on Tuesday.",
        "It took five years to build.",
    ]
    assert {r.reference for r in records} == {dt.date(2011, 5, 4)}
    assert [(t.text, t.value) for r in records for t in r.timexes] == [
        ("Tuesday", "2011-05-03"),
        ("five years", "P5Y"),
    ]


def test_a_dateline_without_a_creation_time_tag_still_gives_the_reference(tmp_path: Path) -> None:
    sentences = [["Title"], ["June", "02", ",", "2010"], ["It", "rained", "in", "May", "."]]
    path = tmp_path / "2_Title.xml"
    path.write_text(_cat(sentences, [("NONE", "DATE", "2010-05", [8])]), encoding="utf-8")
    records = read_document(path)
    assert [r.text for r in records] == ["Title", "It rained in May."]
    assert records[0].reference == dt.date(2010, 6, 2)


def test_the_split_alternates_documents_within_each_topic_folder(tmp_path: Path) -> None:
    for topic in ("corpus_a", "corpus_b"):
        (tmp_path / topic).mkdir()
        for name in ("1_x.xml", "2_x.xml", "3_x.xml"):
            (tmp_path / topic / name).write_text("<Document/>", encoding="utf-8")
    halves = split_files(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in halves["dev"]] == [
        "corpus_a/1_x.xml", "corpus_a/3_x.xml", "corpus_b/1_x.xml", "corpus_b/3_x.xml",
    ]  # fmt: skip
    assert [p.relative_to(tmp_path).as_posix() for p in halves["held-out"]] == [
        "corpus_a/2_x.xml", "corpus_b/2_x.xml",
    ]  # fmt: skip


def _timex(text: str) -> GoldTimex:
    return GoldTimex(0, len(text), "DATE", "XXXX", text)


def test_events_and_names_are_left_out_but_times_are_not() -> None:
    assert exclusion(_timex("Red Friday"), "") == "event"
    assert exclusion(_timex("the Grand Canal project"), "") == "event"
    assert exclusion(_timex("2030"), "", "the crowds at EXPO ") == "name"
    assert exclusion(_timex("2030"), "", "the Lake Shore Marathon ") == "name"
    for text, before in [("Last Friday", ""), ("2030", "In "), ("2030", "by March "),
                         ("Election Day", ""), ("The following month", "")]:  # fmt: skip
        assert exclusion(_timex(text), "", before) is None, text


def test_long_and_term_compounds_are_premodifiers() -> None:
    assert exclusion(_timex("decades-long"), "feud") == "compound"
    assert exclusion(_timex("short-term"), "loans") == "compound"

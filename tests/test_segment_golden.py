"""pySBD's English Golden Rules, in our own sentences, and the defects issue 16 names.

pySBD's cases themselves are not ours to commit (see tests/data/README.md); `python -m
bench.golden_rules` runs them from a copy outside the repository. Here each Golden Rule,
numbered as in pySBD's `tests/lang/test_english.py`, has one or more sentences of ours showing
the same phenomenon in other words (`tests/data/segmentation/golden_rules.jsonl`), and every
case where docs/conventions/segmentation.md decides otherwise than pySBD's tests is listed
with the convention rule that decides it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pysbd
import pytest

from annotator.segment import sentence_spans
from annotator.transcripts import read_transcript, transcript_sentences
from bench import golden_rules

DATA = Path(__file__).resolve().parent / "data" / "segmentation"
GOLDEN: list[dict[str, Any]] = [
    json.loads(line)
    for line in (DATA / "golden_rules.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def sentences(text: str) -> list[str]:
    """The sentences of text as strings, through sentence_spans."""
    return [text[start:end] for start, end in sentence_spans(text)]


def golden_id(case: dict[str, Any]) -> str:
    """Name a case by its Golden Rule number and the start of its text."""
    return f"golden{case['golden_rule']:02d}-{case['text'][:30]}"


def test_every_golden_rule_has_a_case_of_ours() -> None:
    assert sorted({case["golden_rule"] for case in GOLDEN}) == list(range(1, 49))


@pytest.mark.parametrize("case", GOLDEN, ids=golden_id)
def test_golden_rule_phenomenon_in_our_words_splits_as_pysbd_expects(case: dict[str, Any]) -> None:
    assert sentences(case["text"]) == case["sentences"]


# --- Deliberate differences: pySBD's test expects otherwise, the convention decides ----------

# pySBD case (suite, number as bench.golden_rules numbers it) -> (convention rule, our text of
# the same shape, the sentences the convention gives, the sentences pySBD's test expects).
DELIBERATE: dict[tuple[str, str], tuple[int, str, list[str], list[str]]] = {
    ("issues", "#31"): (
        6,
        "Attach a leaf to each vertex in Y. If Y is empty, stop.",
        ["Attach a leaf to each vertex in Y.", "If Y is empty, stop."],
        ["Attach a leaf to each vertex in Y. If Y is empty, stop."],
    ),
    ("issues", "#53"): (
        8,
        "They ignored the warning.Then the river rose.",
        ["They ignored the warning.", "Then the river rose."],
        ["They ignored the warning.Then the river rose."],
    ),
    ("issues", "#56"): (
        3,
        "The guide is free for anyone to read\nand you may share it with friends",
        ["The guide is free for anyone to read\nand you may share it with friends"],
        ["The guide is free for anyone to read", "and you may share it with friends"],
    ),
    ("issues", "#83-1"): (
        4,
        "Nobody answered .. Eventually, he left.",
        ["Nobody answered ..", "Eventually, he left."],
        ["Nobody answered .", ".", "Eventually, he left."],
    ),
    ("issues", "#83-3"): (
        4,
        "Nobody answered .... Eventually, he left.",
        ["Nobody answered ....", "Eventually, he left."],
        ["Nobody answered .", "...", "Eventually, he left."],
    ),
}


def test_the_bench_marks_exactly_these_differences_with_the_same_convention_rules() -> None:
    assert set(golden_rules.DELIBERATE) == set(DELIBERATE)
    for key, (rule, *_) in DELIBERATE.items():
        assert golden_rules.DELIBERATE[key].startswith(f"rule {rule}:")


@pytest.mark.parametrize(
    "key", DELIBERATE, ids=[f"{s}{n}-rule{DELIBERATE[(s, n)][0]:02d}" for s, n in DELIBERATE]
)
def test_deliberate_difference_follows_the_convention_rule(key: tuple[str, str]) -> None:
    _, text, convention, peer = DELIBERATE[key]
    assert sentences(text) == convention
    assert [s.strip() for s in pysbd.Segmenter(language="en", clean=False).segment(text)] == peer


# --- The defects issue 16 names (the issue's own strings) -------------------------------------


def test_abbreviation_before_a_question_ends_the_sentence() -> None:
    assert sentences("I live in the U.S. How about you?") == [
        "I live in the U.S.",
        "How about you?",
    ]


def test_time_in_capitals_before_a_new_sentence_ends_it() -> None:
    text = "He left at 6 P.M. Travelers who…"
    assert sentences(text) == ["He left at 6 P.M.", "Travelers who…"]


def test_inline_list_marker_stays_with_its_item() -> None:
    text = "1.) The first item 2.) The second item"
    assert sentences(text) == ["1.) The first item", "2.) The second item"]


def test_case_name_with_v_is_not_split() -> None:
    text = "I will defend Roe v. Wade, and I will appoint judges who agree."
    assert sentences(text) == [text]


def test_case_name_with_v_is_one_body_sentence_of_a_debate_transcript() -> None:
    data = (
        b"Debate\n\nMODERATOR: Your view?\nCANDIDATE: I will defend Roe v. Wade, and I mean it.\n"
    )
    draft = read_transcript("debate.txt", data)
    body = [draft.text[s:e] for s, e, role, _ in transcript_sentences(draft) if role == "body"]
    assert body == ["Your view?", "I will defend Roe v. Wade, and I mean it."]


def test_initial_after_a_noun_for_a_person_is_not_a_sentence_end() -> None:
    text = "Xbox frontman J. Allard said the console would ship in May."
    assert sentences(text) == [text]


# --- What the fixes must not break ------------------------------------------------------------

KEPT = {
    "time continued by a day": (
        "The polls close at 8 p.m. Sunday in most cities.",
        ["The polls close at 8 p.m. Sunday in most cities."],
    ),
    "time continued by its zone name": (
        "The match starts at 9 p.m. Pakistan Standard Time on Friday.",
        ["The match starts at 9 p.m. Pakistan Standard Time on Friday."],
    ),
    "time continued by a bracketed conversion": (
        "The talks began at 11 a.m. (0600 GMT) in Doha.",
        ["The talks began at 11 a.m. (0600 GMT) in Doha."],
    ),
    "lone numbers inside prose are not list items": (
        "The score was 3 to 2. Then it became 3. Officials said so.",
        ["The score was 3 to 2.", "Then it became 3.", "Officials said so."],
    ),
    "numbering in another style is not the next item": (
        "1. Wages rose 2) but prices rose faster",
        ["1. Wages rose 2) but prices rose faster"],
    ),
    "a letter after a preposition ends a clause": (
        "The grant went to Section B. Others got nothing.",
        ["The grant went to Section B.", "Others got nothing."],
    ),
    "an acronym before a name goes on": (
        "The U.N. Secretary General arrived on Monday.",
        ["The U.N. Secretary General arrived on Monday."],
    ),
}


@pytest.mark.parametrize("text,expected", KEPT.values(), ids=KEPT.keys())
def test_nearby_cases_keep_their_split(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


# --- The bench reads pySBD's test files with ast, never importing them ------------------------

GOLDEN_FILE = """
import pytest
import this_module_does_not_exist

GOLDEN_EN_RULES_TEST_CASES = [
    ("One. Two.", ["One.", "Two."]),
    pytest.param("Hard one.", ["Hard", "one."], marks=pytest.mark.xfail),
]
"""
ISSUES_FILE = """
TEST_ISSUE_DATA = [
    ('#7', "A. B.", ["A. B."]),
    ('#7', "C.", ["C."]),
]
TEST_ISSUE_DATA_CHAR_SPANS = [
    ('#9', "D. E.", [('D. ', 0, 3), ('E.', 3, 5)]),
]
"""


def write_suite(root: Path) -> None:
    """Write pySBD-shaped test files of our own under root."""
    for name, text in (
        (golden_rules.GOLDEN_FILE, GOLDEN_FILE),
        (golden_rules.ISSUES_FILE, ISSUES_FILE),
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_the_bench_reads_cases_numbers_and_xfail_marks_from_the_files(tmp_path: Path) -> None:
    write_suite(tmp_path)
    cases = golden_rules.read_cases(tmp_path)
    assert [(c.suite, c.number, c.expected, c.xfail, c.char_span) for c in cases] == [
        ("golden", "1", ("One.", "Two."), False, False),
        ("golden", "2", ("Hard", "one."), True, False),
        ("issues", "#7-1", ("A. B.",), False, False),
        ("issues", "#7-2", ("C.",), False, False),
        ("issues", "#9", ("D.", "E."), False, True),
    ]


def test_the_bench_scores_both_segmenters_and_names_the_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_suite(tmp_path)
    monkeypatch.setenv("PYSBD_TESTS", str(tmp_path))
    assert golden_rules.main(["--no-speed"]) == 0
    out = capsys.readouterr().out
    assert "| Golden Rules | 2 | 1 | 1 | 0 |" in out
    assert "- Golden Rule 2 (pySBD marks it xfail)" in out


def test_the_bench_says_when_pysbds_files_are_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PYSBD_TESTS", str(tmp_path / "nowhere"))
    assert golden_rules.main(["--no-speed"]) == 2
    err = capsys.readouterr().err
    assert "absent" in err and "test_english.py" in err and "PYSBD_TESTS" in err

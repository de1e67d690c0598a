"""Tests for annotator.segment: the conventions, the seeds, the offset invariants, the guards."""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pysbd
import pytest

from annotator import segment
from annotator.segment import sentence_spans

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "segmentation"
CASES: list[dict[str, Any]] = [
    json.loads(line)
    for line in (DATA / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
SEEDS = {
    "000": ROOT / "seeds" / "000_b44e9500121a4328.txt",
    "004": ROOT / "seeds" / "004_27ddbea68a68097d.txt",
}


def read_seed(name: str) -> str:
    """Read a seed article the way the brief says: UTF-8, newlines untouched."""
    with open(SEEDS[name], encoding="utf-8") as handle:
        return handle.read()


def sentences(text: str) -> list[str]:
    """Return the sentences of text as strings, through sentence_spans."""
    return [text[start:end] for start, end in sentence_spans(text)]


def raw_pysbd_sentences(text: str) -> list[str]:
    """Split like a plain pySBD user would: per blank-line paragraph, segments stripped."""
    segmenter = pysbd.Segmenter(language="en", clean=False)
    result: list[str] = []
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            result += [str(s).strip() for s in segmenter.segment(paragraph) if str(s).strip()]
    return result


def assert_offset_invariants(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans are trimmed, ordered, non-overlapping, and cover every non-whitespace char."""
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert text[previous_end:start].strip() == ""
        previous_end = end
    assert text[previous_end:].strip() == ""


def case_id(case: dict[str, Any]) -> str:
    """Name a case by its rule and the start of its text."""
    return f"rule{case['rule']:02d}-{case['text'][:30]}"


# --- The case file ----------------------------------------------------------------------------


def test_case_file_has_many_cases_for_every_rule() -> None:
    counts = Counter(case["rule"] for case in CASES)
    assert len(CASES) >= 120
    assert set(counts) == set(range(1, 16))
    assert min(counts.values()) >= 5


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_expected_sentences_are_trimmed_slices_covering_the_text(case: dict[str, Any]) -> None:
    text, position = case["text"], 0
    for expected in case["sentences"]:
        found = text.find(expected, position)
        assert found >= 0 and text[position:found].strip() == ""
        assert expected == expected.strip()
        position = found + len(expected)
    assert text[position:].strip() == ""


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_case_splits_as_the_conventions_say(case: dict[str, Any]) -> None:
    assert sentences(case["text"]) == case["sentences"]


def test_pass_rate_on_hard_cases_is_at_least_95_percent() -> None:
    passed = sum(sentences(case["text"]) == case["sentences"] for case in CASES)
    assert passed / len(CASES) >= 0.95


def test_raw_pysbd_scores_lower_so_the_cases_are_hard() -> None:
    ours = sum(sentences(case["text"]) == case["sentences"] for case in CASES)
    raw = sum(raw_pysbd_sentences(case["text"]) == case["sentences"] for case in CASES)
    assert raw / len(CASES) < 0.85
    assert raw < ours


# --- The seed articles -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_article_splits_into_the_hand_written_sentences(name: str) -> None:
    text = read_seed(name)
    expected = json.loads((DATA / f"seed_{name}.json").read_text(encoding="utf-8"))
    assert sentences(text) == expected


def test_duplicated_caption_line_gives_one_sentence_per_line() -> None:
    text = read_seed("004")
    captions = [s for s in sentences(text) if s.startswith("Photo from Nov 20")]
    assert len(captions) == 2
    assert all(s.endswith("(L).—AFP") for s in captions)


# --- Behaviour around the conventions --------------------------------------------------------


def test_credit_stays_with_caption() -> None:
    assert sentences("Sharif with Shoigu (L).—AFP") == ["Sharif with Shoigu (L).—AFP"]


def test_soft_wrapped_prose_keeps_its_line_break_inside_the_sentence() -> None:
    text = "The budget would be\npresented on Monday. It passed."
    assert sentences(text) == ["The budget would be\npresented on Monday.", "It passed."]


def test_headline_line_is_its_own_sentence_without_punctuation() -> None:
    assert sentences("Talks resume\nThe talks resumed.") == ["Talks resume", "The talks resumed."]


def test_offsets_index_the_original_text_around_nbsp_and_crlf() -> None:
    text = "\u00a0First one.\u00a0 Second one.\r\nThird line\r\n"
    assert sentences(text) == ["First one.", "Second one.", "Third line"]
    assert_offset_invariants(text, sentence_spans(text))


def test_paragraph_longer_than_a_pysbd_window_keeps_every_sentence() -> None:
    sentence = "The minister met Lt. Col. Imran Baig in the U.S. Senate on Monday."
    text = " ".join([sentence] * 200)
    assert len(text) > 3 * segment._MAX_PYSBD_CHARS
    assert sentences(text) == [sentence] * 200


def test_risky_bracket_shape_is_split_without_pysbd(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("pySBD must not see an issue #79 shape")

    monkeypatch.setattr(segment, "_segmenter", refuse)
    text = "See the figures..[111 111 111 111 111 111 111 111 111 111]. The rest followed."
    assert_offset_invariants(text, sentence_spans(text))
    assert sentences(text)[-1] == "The rest followed."


def test_window_dense_with_list_items_is_split_without_pysbd(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse() -> None:
        raise AssertionError("pySBD must not see a window dense with list items")

    monkeypatch.setattr(segment, "_segmenter", refuse)
    text = " ".join(f"{i % 100}." for i in range(1_000))  # took pySBD ~1.5 s per window
    assert_offset_invariants(text, sentence_spans(text))
    # "0. 1. 2. ..." is an inline numbering: each marker is an (empty) item of its own (rule 13)
    assert sentences(text)[:3] == ["0.", "1.", "2."]


def test_information_separators_before_list_numbers_do_not_crash_pysbd() -> None:
    text = "The items were:\x1c1. Roads.\x1d2. Schools.\x1e3. Clinics."  # was a ValueError
    assert sentences(text) == ["The items were:", "1. Roads.", "2. Schools.", "3. Clinics."]


def test_text_that_pysbd_mangles_still_keeps_every_character() -> None:
    text = "x ∯ y. Z ♨ a. Then ☝ more."
    assert_offset_invariants(text, sentence_spans(text))
    assert sentences(text)[-1] == "Then ☝ more."


# --- Offset invariants on weird inputs --------------------------------------------------------

WEIRD_INPUTS = {
    "empty": "",
    "spaces": "   ",
    "whitespace only": " \n\t\r\n\u00a0\u2003\n\n",
    "nbsp between": "One.\u00a0\u00a0Two.",
    "tabs": "\tOne sentence.\tAnother one.\t",
    "cr remnants": "Line one.\r\nLine two.\r\n\r\nPara two.\r",
    "lone cr": "One.\rTwo.\rThree",
    "emoji only": "🎉🎉🎉 👍🏽 🇵🇰",
    "urdu": "یہ پہلا جملہ ہے۔ یہ دوسرا جملہ ہے؟ تیسرا۔",
    "arabic": "هل هذا صحيح؟ لا أحد يعرف. ربما!",
    "combining marks": "Cafe\u0301 opened. Nai\u0308ve plans failed. e\u0301.",
    "zero width": "Zero\u200bwidth. Joiner\u200d here.\u200b Next\ufeff one.",
    "line separators": "One.\u2028Two.\u2029Three.\x0bFour.\x0cFive.\x85Six.",
    "only punctuation": "... ?! . ” ) — . -",
    "long line of words": "word " * 40_000,
    "many short lines": "Headline here\n" * 5_000,
    "pysbd placeholders": "∯ ♨ ☝ ȸ ȹ &ᓰ& &ᓱ& ⚑ ✂ . ∯. ♨. Next.",
    "unbalanced brackets": "(((( [[[ “ ‘ «Start. End.)))) ]]] ” ’ »",
}


@pytest.mark.parametrize("text", WEIRD_INPUTS.values(), ids=WEIRD_INPUTS.keys())
def test_spans_are_trimmed_ordered_and_cover_all_text(text: str) -> None:
    assert_offset_invariants(text, sentence_spans(text))


def test_random_noise_keeps_the_offset_invariants() -> None:
    alphabet = [*"aZ .?!…۔\n\n“”\"'()[]—-,:1\u00a0\t\r🎉", "U.S.", "Mr.", "p.m."]
    rng = random.Random(20240319)
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        assert_offset_invariants(text, sentence_spans(text))


# --- Inputs that would hang raw pySBD (pytest notices a hang; no wall-clock asserts) ----------

HANG_INPUTS = {
    "one-dot runs": lambda: "1." * 100_000,
    "bracketed digits": lambda: ".[" + "1" * 5000,
    "issue 79 shape": lambda: "Text..[" + "111 " * 2000 + "] More.",
    "5 MB line without punctuation": lambda: "word " * 1_000_000,
    "digits and dots": lambda: ("123.4567." * 30_000)[:200_000],
    "dots only": lambda: "." * 200_000,
    "initials": lambda: "A. " * 60_000,
    "long prose line": lambda: "The talks ended. Both sides left, officials said. " * 3_000,
    "inline numbering on a 5 MB line": lambda: (
        " ".join(f"{i}. item" for i in range(1, 1000)) + " word" * 1_000_000
    ),
}


@pytest.mark.parametrize("make", HANG_INPUTS.values(), ids=HANG_INPUTS.keys())
def test_pathological_input_returns_promptly_with_valid_spans(make: Any) -> None:
    text = make()
    assert_offset_invariants(text, sentence_spans(text))


# --- Threads ---------------------------------------------------------------------------------


def test_each_thread_gets_its_own_segmenter() -> None:
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(segment._segmenter())) for _ in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 2 and seen[0] is not seen[1]
    assert segment._segmenter() is segment._segmenter()


def test_concurrent_calls_give_the_same_results_as_sequential_ones() -> None:
    texts = [case["text"] for case in CASES]
    expected = [sentence_spans(text) for text in texts]
    results: dict[int, list[list[tuple[int, int]]]] = {}

    def work(worker: int) -> None:
        results[worker] = [sentence_spans(text) for text in texts]

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())

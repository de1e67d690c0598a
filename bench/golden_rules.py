"""Segmentation against pySBD's own English test cases, ours beside plain pySBD.

`python -m bench.golden_rules [--no-speed] [--sentences N] [--repeats N]`

The cases are pySBD's, not ours, so they stay outside the repository: the folder
`$PYSBD_TESTS` (default `/work/outside/pysbd`) holds a copy of the repository's
`tests/lang/test_english.py` (the Golden Rules, `GOLDEN_EN_RULES_TEST_CASES`) and
`tests/regression/test_issues.py` (the English regression cases, `TEST_ISSUE_DATA` and
`TEST_ISSUE_DATA_CHAR_SPANS`), from repository nipunsadvilkar/pySBD. The files are read with
`ast`, never imported. A case passes the way pySBD's own tests compare: the list of
sentences, each stripped, equals the expected list. Golden Rules are numbered from 1 in file
order; regression cases by issue number and, when an issue has several, their order.

Both segmenters: `annotator.segment.sentence_spans` and plain
`pysbd.Segmenter(language="en", clean=False, char_span=...)` (`char_span=True` for the
char-span regression list, as pySBD's test does). Failures are listed by number; those that
`docs/conventions/segmentation.md` decides differently are marked with the convention rule
that decides them (`DELIBERATE`).

Throughput: the corpus of `bench/import_speed.py` (`bench/corpus.py`), segmentation alone
(`sentence_spans` against `Segmenter.segment`, medians of interleaved runs) and the whole
import path (`bench.import_speed.run`, best of the repeats): ratio = pySBD's seconds / ours,
so >= 1 means we are not slower than plain pySBD.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import difflib
import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pysbd

from annotator.segment import sentence_spans
from bench import import_speed
from bench.corpus import articles
from bench.timing import interleaved_medians, machine

DEFAULT_FOLDER = Path("/work/outside/pysbd")
GOLDEN_FILE = "tests/lang/test_english.py"
ISSUES_FILE = "tests/regression/test_issues.py"

# Cases where docs/conventions/segmentation.md deliberately splits otherwise than pySBD's
# expectation: (suite, number) -> the convention rule that decides, and how.
DELIBERATE: dict[tuple[str, str], str] = {
    ("issues", "#31"): "rule 6: a capital letter and a period that end a clause end the "
    "sentence, even before a word such as `If`",
    ("issues", "#53"): "rule 8: a period between a lowercase word and a capitalised one "
    "(`word.Word`) is a boundary, a space lost in scraping",
    ("issues", "#56"): "rule 3: a line break followed by a lowercase letter is a soft wrap, "
    "not a boundary",
    ("issues", "#83-1"): "rule 4: a run of dots (`..`) is one terminal mark; the sentence ends "
    "after all of it",
    ("issues", "#83-3"): "rule 4: a run of dots (`....`) is one terminal mark; the sentence "
    "ends after all of it",
}


@dataclass(frozen=True)
class Case:
    """One of pySBD's test cases: its text and the stripped sentences it expects."""

    suite: str  # "golden" or "issues"
    number: str  # "12" for a Golden Rule, "#34-2" for the second case of issue 34
    text: str
    expected: tuple[str, ...]
    char_span: bool  # from the char-span list (pySBD is run with char_span=True)
    xfail: bool  # pySBD's own test marks it as an expected failure


@dataclass(frozen=True)
class Outcome:
    """How one segmenter did on one case."""

    case: Case
    got: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return self.got == self.case.expected


def folder() -> Path:
    """Where the copy of pySBD's tests lives: `$PYSBD_TESTS`, else the default."""
    return Path(os.environ.get("PYSBD_TESTS", DEFAULT_FOLDER))


def read_cases(root: Path) -> list[Case]:
    """The Golden Rules and the English regression cases, from the files under `root`.

    Raises FileNotFoundError naming the file when one is absent."""
    golden = _parametrized(root / GOLDEN_FILE, "GOLDEN_EN_RULES_TEST_CASES")
    cases = [
        Case("golden", str(i), text, tuple(expected), False, xfail)
        for i, ((text, expected), xfail) in enumerate(golden, 1)
    ]
    issues = _parametrized(root / ISSUES_FILE, "TEST_ISSUE_DATA")
    spans = _parametrized(root / ISSUES_FILE, "TEST_ISSUE_DATA_CHAR_SPANS")
    listed = [(v, x, False) for v, x in issues] + [(v, x, True) for v, x in spans]
    counts = Counter(values[0] for values, _, _ in listed)
    seen: Counter[str] = Counter()
    for (issue, text, expected), xfail, char_span in listed:
        seen[issue] += 1
        number = issue if counts[issue] == 1 else f"{issue}-{seen[issue]}"
        sentences = [s[0] if char_span else s for s in expected]  # (sentence, start, end)
        cases.append(
            Case("issues", number, text, tuple(s.strip() for s in sentences), char_span, xfail)
        )
    return cases


def _parametrized(path: Path, name: str) -> list[tuple[tuple[Any, ...], bool]]:
    """The entries of the list assigned to `name` in a pytest file: each entry's values and
    whether it is a `pytest.param(..., marks=pytest.mark.xfail)`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            if not isinstance(node.value, ast.List):
                raise ValueError(f"{path}: {name} is not a list literal")
            return [_entry(element, path, name) for element in node.value.elts]
    raise ValueError(f"{path}: no list named {name}")


def _entry(element: ast.expr, path: Path, name: str) -> tuple[tuple[Any, ...], bool]:
    """One entry of a parametrize list: a tuple literal or a pytest.param(...) call."""
    if isinstance(element, ast.Call):
        xfail = any(
            keyword.arg == "marks" and "xfail" in ast.unparse(keyword.value)
            for keyword in element.keywords
        )
        return tuple(ast.literal_eval(arg) for arg in element.args), xfail
    value = ast.literal_eval(element)
    if not isinstance(value, tuple):
        raise ValueError(f"{path}: an entry of {name} (line {element.lineno}) is not a tuple")
    return value, False


def ours(text: str) -> tuple[str, ...]:
    """Our sentences (already trimmed slices of the text)."""
    return tuple(text[start:end] for start, end in sentence_spans(text))


def plain(text: str, char_span: bool) -> tuple[str, ...]:
    """Plain pySBD's sentences, stripped, as its own tests compare them."""
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=char_span)
    found = segmenter.segment(text)
    return tuple((s.sent if char_span else s).strip() for s in found)


def score(cases: Sequence[Case]) -> dict[str, list[Outcome]]:
    """Each segmenter's outcome on every case."""
    return {
        "ours": [Outcome(case, ours(case.text)) for case in cases],
        "pysbd": [Outcome(case, plain(case.text, case.char_span)) for case in cases],
    }


def throughput(n_sentences: int, repeats: int) -> dict[str, float]:
    """Segmentation alone and the whole import, each against plain pySBD on the same texts."""
    texts = list(articles(n_sentences))
    segmenter = pysbd.Segmenter(language="en", clean=False)
    floor, job = interleaved_medians(
        repeats,
        lambda: [segmenter.segment(text) for text in texts],
        lambda: [sentence_spans(text) for text in texts],
    )
    imported = import_speed.run(n_sentences, repeats)
    return {
        "sentences": n_sentences,
        "characters": sum(len(text) for text in texts),
        "pysbd_seconds": floor,
        "segment_seconds": job,
        "segment_ratio": floor / job,
        "import_pysbd_seconds": imported["pysbd_seconds"],
        "import_seconds": imported["import_seconds"],
        "import_ratio": imported["ratio"],
    }


def render(results: dict[str, list[Outcome]], speed: dict[str, float] | None) -> str:
    """The figures as Markdown: passes per suite, then the failures."""
    lines = [
        f"{dt.date.today()}, {machine()}, pySBD {pysbd.__version__}.",
        "",
        "| suite | cases | ours | plain pySBD | ours: deliberate differences |",
        "|---|---|---|---|---|",
    ]
    for suite, label in (("golden", "Golden Rules"), ("issues", "regression cases")):
        mine = [o for o in results["ours"] if o.case.suite == suite]
        theirs = [o for o in results["pysbd"] if o.case.suite == suite]
        deliberate = sum((suite, o.case.number) in DELIBERATE for o in mine if not o.passed)
        lines.append(
            f"| {label} | {len(mine)} | {sum(o.passed for o in mine)} | "
            f"{sum(o.passed for o in theirs)} | {deliberate} |"
        )
    for who, outcomes in (("ours", results["ours"]), ("plain pySBD", results["pysbd"])):
        lines += ["", f"Failures, {who}:"]
        failed = [o for o in outcomes if not o.passed]
        lines += [_failure(o, who == "ours") for o in failed] or ["- none"]
    if speed is not None:
        lines += [
            "",
            f"Throughput on the bench corpus ({speed['sentences']:,.0f} body sentences, "
            f"{speed['characters']:,.0f} characters):",
            "",
            "| job | plain pySBD s | ours s | ratio (pySBD / ours, >= 1) |",
            "|---|---|---|---|",
            f"| segmentation alone (`sentence_spans`) | {speed['pysbd_seconds']:.2f} | "
            f"{speed['segment_seconds']:.2f} | {speed['segment_ratio']:.2f} |",
            f"| whole import (`import_file`, SQLite) | {speed['import_pysbd_seconds']:.2f} | "
            f"{speed['import_seconds']:.2f} | {speed['import_ratio']:.2f} |",
        ]
    return "\n".join(lines)


def _failure(outcome: Outcome, mark: bool) -> str:
    """One failure: where, what was expected, what came out, and why if deliberate."""
    case = outcome.case
    name = f"Golden Rule {case.number}" if case.suite == "golden" else f"issue {case.number}"
    why = DELIBERATE.get((case.suite, case.number)) if mark else None
    note = f" — deliberate, {why}" if why else ""
    xfail = " (pySBD marks it xfail)" if case.xfail else ""
    changes = list(difflib.unified_diff(case.expected, outcome.got, lineterm="", n=0))[2:]
    shown = [f"    {_shortened(line)!r}" for line in changes if not line.startswith("@@")]
    return "\n".join([f"- {name}{xfail}{note}", "  expected (-) and got (+):", *shown])


def _shortened(line: str, keep: int = 50) -> str:
    """A long sentence as its start and its end, where differences between sentences show."""
    return line if len(line) <= 2 * keep + 5 else f"{line[:keep]} … {line[-keep:]}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the comparison; 2 when pySBD's test files are absent."""
    parser = argparse.ArgumentParser(prog="python -m bench.golden_rules", description=__doc__)
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput runs")
    parser.add_argument("--sentences", type=int, default=10_000, help="corpus size for speed")
    parser.add_argument("--repeats", type=int, default=3, help="runs per throughput figure")
    args = parser.parse_args(argv)
    root = folder()
    try:
        cases = read_cases(root)
    except FileNotFoundError as error:
        print(
            f"pySBD's test files are absent: {error.filename} not found. Copy "
            f"{GOLDEN_FILE} and {ISSUES_FILE} from repository nipunsadvilkar/pySBD into "
            f"{root} (or set PYSBD_TESTS to the folder that holds them).",
            file=sys.stderr,
        )
        return 2
    speed = None if args.no_speed else throughput(args.sentences, args.repeats)
    print(render(score(cases), speed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

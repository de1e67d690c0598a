"""The date-bound suggester (`annotator.date_bound.suggest`) against hand-labelled news sentences.

Labels: `tests/data/date_bound/labels.jsonl` (two independent passes and the settled gold, by
DESIGN.md section 3; see the README there). The sentences' text is public news text kept
outside this repository: the first of `$DATE_BOUND_SENTENCES`,
`tests/data/date_bound/sentences.jsonl` and `../shared/date_bound/sentences.jsonl` that
exists (one JSON object a line: `id`, `text`).

Scored over the sentences whose gold claim type is `factual` (date-bound applies to no other),
separately on the dev half (read while the cues were written) and the held-out half (scored
once the cues were fixed):

- coverage: the share of sentences with a suggestion (True or False, not None);
- accuracy where it suggests: the share of those suggestions that equal the gold;
- precision and recall of True;
- overall accuracy as the page shows it (no suggestion reads "Date-bound: no"), against the
  "always no" baseline, the share of sentences whose gold is False.

The same figures follow against the independent second annotator's answers
(`tests/data/date_bound/independent.jsonl`), over the sentences that annotator calls factual.

    python -m bench.date_bound
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from annotator.date_bound import suggest
from bench.timing import machine

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "date_bound" / "labels.jsonl"
INDEPENDENT = ROOT / "tests" / "data" / "date_bound" / "independent.jsonl"
SENTENCE_FILES = (
    ROOT / "tests" / "data" / "date_bound" / "sentences.jsonl",
    ROOT.parent / "shared" / "date_bound" / "sentences.jsonl",
)


@dataclass(frozen=True)
class Case:
    """One factual sentence with its gold date-bound answer."""

    text: str
    published: dt.date | None
    gold: bool
    split: str


@dataclass(frozen=True)
class Score:
    """The suggester's figures on one set of cases."""

    n: int
    suggested: int
    right: int
    true_suggested: int
    true_right: int
    gold_true: int
    overall_right: int

    @property
    def coverage(self) -> float:
        return self.suggested / self.n

    @property
    def accuracy(self) -> float:
        return self.right / self.suggested if self.suggested else 0.0

    @property
    def precision(self) -> float:
        return self.true_right / self.true_suggested if self.true_suggested else 0.0

    @property
    def recall(self) -> float:
        return self.true_right / self.gold_true if self.gold_true else 0.0

    @property
    def overall(self) -> float:
        return self.overall_right / self.n

    @property
    def always_no(self) -> float:
        return (self.n - self.gold_true) / self.n


def sentences_path() -> Path | None:
    """Where the sentences' text is, or None."""
    named = os.environ.get("DATE_BOUND_SENTENCES")
    candidates = ([Path(named)] if named else []) + list(SENTENCE_FILES)
    return next((path for path in candidates if path.is_file()), None)


def load_cases(labels: Path, sentences: Path, independent: Path | None = None) -> list[Case]:
    """The factual sentences with their text and date-bound answer: by the settled gold, or,
    given `independent`, by the independent second annotator's answers."""
    texts = {}
    for line in sentences.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts[record["id"]] = record["text"]
    answers = {}
    if independent is not None:
        for line in independent.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            answers[record["id"]] = record
    cases = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        answer = answers[record["id"]] if independent is not None else record["gold"]
        if answer["claim_type"] != "factual":
            continue
        published = dt.date.fromisoformat(record["published"]) if record["published"] else None
        date_bound = bool(answer["date_bound"])
        cases.append(Case(texts[record["id"]], published, date_bound, record["split"]))
    return cases


def score(cases: list[Case]) -> Score:
    """Score `suggest` on the cases."""
    suggested = right = true_suggested = true_right = overall_right = 0
    for case in cases:
        guess, _ = suggest(case.text, case.published)
        if guess is not None:
            suggested += 1
            right += guess == case.gold
        true_suggested += guess is True
        true_right += guess is True and case.gold
        overall_right += bool(guess) == case.gold
    gold_true = sum(case.gold for case in cases)
    return Score(len(cases), suggested, right, true_suggested, true_right, gold_true, overall_right)


def report(name: str, result: Score) -> str:
    return (
        f"| {name} | {result.n} | {result.coverage:.2f} | {result.accuracy:.2f} | "
        f"{result.precision:.2f} | {result.recall:.2f} | {result.overall:.2f} | "
        f"{result.always_no:.2f} |"
    )


def main() -> None:
    sentences = sentences_path()
    if sentences is None:
        places = ", ".join(str(p) for p in SENTENCE_FILES)
        sys.exit(f"no sentences file: set DATE_BOUND_SENTENCES or put it at one of {places}")
    print(f"{dt.date.today().isoformat()}, {machine()}")
    references = (("the settled gold", None), ("the independent annotator", INDEPENDENT))
    for title, independent in references:
        cases = load_cases(LABELS, sentences, independent)
        print(f"\nAgainst {title} (the sentences it calls factual):")
        print(
            "| set | factual sentences | coverage | accuracy where it suggests "
            "| precision of True | recall of True | overall (no suggestion = no) | always no |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for split in ("dev", "heldout"):
            print(report(split, score([c for c in cases if c.split == split])))
        print(report("all", score(cases)))


if __name__ == "__main__":
    main()

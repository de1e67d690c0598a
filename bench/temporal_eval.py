"""Temporal expressions: accuracy on the hand-labelled set, and speed against the segmenter.

Accuracy is measured on `tests/data/temporal/eval.jsonl` (gold by `docs/conventions/temporal.md`).
A predicted span matches a gold span when the two overlap. Precision is the share of predicted
spans that match a gold span, recall the share of gold spans that some prediction matches;
exact F1 counts only identical boundaries. Resolution is, over the matched gold spans that have
a date, the share whose best-overlapping prediction has the same date.

Speed: the floor is `annotator.segment.sentence_spans` over every sentence of the set, the job
`temporal_spans` over the same sentences; best of 5 each; ratio = job time / floor time.

    python -m bench.temporal_eval
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.segment import sentence_spans
from annotator.temporal import Span, temporal_spans
from bench.timing import best_of, machine

EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "temporal" / "eval.jsonl"
Predict = Callable[[str, dt.date | None], list[Span]]


@dataclass(frozen=True)
class Record:
    """One labelled sentence."""

    text: str
    reference: dt.date | None
    spans: list[Span]


def load_records(path: Path = EVAL) -> list[Record]:
    """The labelled sentences of the evaluation set."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            reference = dt.date.fromisoformat(raw["reference"]) if raw["reference"] else None
            spans = [(s, e, dt.date.fromisoformat(d) if d else None) for s, e, d in raw["spans"]]
            records.append(Record(raw["text"], reference, spans))
    return records


def _overlap(a: Span, b: Span) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


@dataclass
class Tally:
    """Counts behind the scores."""

    predicted: int = 0
    gold: int = 0
    predicted_matched: int = 0
    gold_matched: int = 0
    exact: int = 0
    dated: int = 0
    dated_right: int = 0

    def add(self, predicted: list[Span], gold: list[Span]) -> None:
        """Count one sentence."""
        self.predicted += len(predicted)
        self.gold += len(gold)
        self.predicted_matched += sum(any(_overlap(p, g) > 0 for g in gold) for p in predicted)
        self.exact += len({p[:2] for p in predicted} & {g[:2] for g in gold})
        for g in gold:
            matches = [p for p in predicted if _overlap(p, g) > 0]
            self.gold_matched += bool(matches)
            if matches and g[2] is not None:
                self.dated += 1
                self.dated_right += max(matches, key=lambda p: _overlap(p, g))[2] == g[2]


def score(predict: Predict, records: list[Record]) -> dict[str, float]:
    """Precision, recall, exact-boundary F1 and resolution accuracy of ``predict``."""
    tally = Tally()
    for record in records:
        tally.add(predict(record.text, record.reference), record.spans)
    exact_p = tally.exact / max(tally.predicted, 1)
    exact_r = tally.exact / max(tally.gold, 1)
    return {
        "sentences": len(records),
        "gold_spans": tally.gold,
        "predicted_spans": tally.predicted,
        "precision": tally.predicted_matched / max(tally.predicted, 1),
        "recall": tally.gold_matched / max(tally.gold, 1),
        "exact_f1": 2 * exact_p * exact_r / max(exact_p + exact_r, 1e-9),
        "resolution": tally.dated_right / max(tally.dated, 1),
        "resolution_n": tally.dated,
    }


def run(repeats: int = 5) -> dict[str, float]:
    """Accuracy of `temporal_spans` on the evaluation set, its throughput and its speed ratio."""
    records = load_records()
    result = score(temporal_spans, records)
    floor = best_of(repeats, lambda: [sentence_spans(r.text) for r in records])
    job = best_of(repeats, lambda: [temporal_spans(r.text, r.reference) for r in records])
    result.update(
        segment_seconds=floor,
        temporal_seconds=job,
        sentences_per_second=len(records) / job,
        ratio_to_segmenter=job / floor,
    )
    return result


def render(result: dict[str, float]) -> str:
    """A markdown section for RESULTS.md."""
    return "\n".join(
        [
            "## Temporal expressions (`bench/temporal_eval.py`)",
            "",
            f"{machine()}, {dt.date.today():%Y-%m-%d}. {int(result['sentences'])} hand-labelled "
            f"sentences, {int(result['gold_spans'])} gold spans.",
            "",
            "| measure | value | target | met |",
            "|---|---|---|---|",
            _row("precision (overlap)", result["precision"], 0.95),
            _row("recall (overlap)", result["recall"], 0.90),
            _row("exact-boundary F1", result["exact_f1"], None),
            _row(
                f"resolution ({int(result['resolution_n'])} matched dated spans)",
                result["resolution"],
                0.90,
            ),
            f"| throughput | {result['sentences_per_second']:,.0f} sentences/s | | |",
            f"| time vs `sentence_spans` on the same sentences | "
            f"{result['ratio_to_segmenter']:.2f}× | | |",
        ]
    )


def _row(name: str, value: float, target: float | None) -> str:
    if target is None:
        return f"| {name} | {value:.3f} | | |"
    return f"| {name} | {value:.3f} | ≥ {target:.2f} | {'yes' if value >= target else 'no'} |"


def main() -> None:
    """Print the figures and the RESULTS.md section."""
    result = run()
    for name, value in result.items():
        print(f"{name}: {value:.4g}")
    print()
    print(render(result))


if __name__ == "__main__":
    main()

"""Temporal expressions on public TIMEX3 news corpora we did not write (TempEval-3, MEANTIME).

The corpus is the TempEval-3 data as distributed with its TimeML annotations: TimeBank (183
WSJ/ABC/CNN/AP articles of 1989-1998), AQUAINT (73 APW/NYT/XIE articles of 1998-2000) and the
TE3 platinum test set (20 articles of March 2013). It is read from ``$TIMEX3_CORPUS`` (default
``/work/outside/timex``), a directory with ``TimeBank/``, ``AQUAINT/`` and ``te3-platinum/``; it
is never copied into the repository. Fetched from github.com/qiangning/StructTempRel-EMNLP17,
``data/TempEval3/Training/TBAQ-cleaned/{TimeBank,AQUAINT}/`` and
``data/TempEval3/Evaluation/te3-platinum/``.

Split by document: **dev** is TimeBank and AQUAINT (the recogniser is tuned on their errors
only; ``--errors`` prints the errors of the dev splits, TempEval-3's and MEANTIME's, and
nothing else); **held-out** is the TE3 platinum set, the official TempEval-3 test set (20
documents), of which only the aggregate figures are printed.
AQUAINT was scored once as held-out, beside platinum, before it became dev (RESULTS.md keeps
those figures).

Measures, per split and for `annotator.temporal.temporal_spans` and dateparser's
`search_dates` (`bench/temporal_baseline.py`):

- overlap precision and recall (as in `bench/temporal_eval.py`), after leaving out the TIMEX3
  classes that ``docs/conventions/temporal.md`` does not mark (`bench.timex3.NOT_MARKED`),
  each class counted; a prediction overlapping a left-out TIMEX3 counts neither way;
- full-day resolution: over matched gold spans whose TimeML value is one day, the share whose
  best-overlapping prediction has that date; month and year resolution likewise. Gold dates
  of classes the convention resolves to null (`bench.timex3.NOT_RESOLVED`) and gold values that
  contradict their own text (`bench.timex3.GOLD_ERRORS`, listed by ``--errors`` on dev so that
  each can be read) are left out and counted. Predictions of classes TEMPORAL.md marks and
  TimeML leaves unmarked (`bench.timex3.NOT_IN_TIMEML`: sets, deictic adverbs, possessive
  deictics, datelines) count neither way when no gold span overlaps them, and are counted.

A second corpus, tuned on by nobody before it was split: the English section of NewsReader
MEANTIME (120 Wikinews articles, TIMEX3 in CAT XML, read by `bench.meantime`), from
``$MEANTIME_CORPUS`` (default ``/work/outside/meantime``, the four ``corpus_*`` folders of
``data/meantime_newsreader_english_oct15/intra-doc_annotation/`` in the same repository).
Its split is fixed by document (`bench.meantime.split_files`): in each topic folder, files in
name order, odd positions are **MEANTIME dev** and even ones **MEANTIME held-out**.

A third, the Event StoryLine Corpus (ESC v1.5, 258 news articles of 2005-2013 from ECB+, read
by `bench.esc`), from ``$ESC_CORPUS`` (default ``/work/outside/esc``, the topic folders of
``annotated_data/v1.5/`` of github.com/tommasoc80/EventStoryLine), is split by topic
(`bench.esc.split_files`): odd topic numbers are **ESC dev**, even ones **ESC held-out**. A
corpus that is absent is named and skipped; the others are still measured.

The project's own hand-labelled set (`bench/temporal_eval.py`) is scored beside them.

    python -m bench.temporal_outside [--dev] [--errors] [--no-dateparser]

``--dev`` scores the dev splits only (for tuning: the held-out splits are scored once, at the end).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from annotator.temporal import Span, temporal_spans
from bench import esc
from bench.meantime import read_split
from bench.temporal_eval import load_records
from bench.timex3 import (
    DAY,
    GOLD_ERRORS,
    MONTH,
    NOT_IN_TIMEML,
    NOT_MARKED,
    NOT_RESOLVED,
    YEAR,
    Timex3Record,
    exclusion,
    prediction_exclusion,
    read_corpus,
    resolution,
    resolution_exclusion,
)
from bench.timing import machine

DEFAULT_CORPUS = Path("/work/outside/timex")
DEFAULT_MEANTIME = Path("/work/outside/meantime")
SPLITS = {"dev": ["TimeBank", "AQUAINT"], "held-out": ["te3-platinum"]}
# MEANTIME's halves (`bench.meantime.split_files`), named apart from TempEval-3's.
MEANTIME_SPLITS = {"MEANTIME dev": "dev", "MEANTIME held-out": "held-out"}
ESC_SPLITS = {"ESC dev": "dev", "ESC held-out": "held-out"}
DEV_SPLITS = ("dev", "MEANTIME dev", "ESC dev")
HELD_OUT_SPLITS = ("held-out", "MEANTIME held-out", "ESC held-out")
SOURCE = (
    "github.com/qiangning/StructTempRel-EMNLP17, `data/TempEval3/Training/TBAQ-cleaned/"
    "{TimeBank,AQUAINT}/*.tml` and `data/TempEval3/Evaluation/te3-platinum/*.tml`"
)
MEANTIME_SOURCE = (
    "github.com/qiangning/StructTempRel-EMNLP17, `data/meantime_newsreader_english_oct15/"
    "intra-doc_annotation/corpus_{airbus,apple,gm,stock}/*.xml` (NewsReader MEANTIME, English, "
    "120 Wikinews articles of 2004-2013, CAT XML, CC BY 4.0)"
)
ESC_SOURCE = (
    "github.com/tommasoc80/EventStoryLine, `annotated_data/v1.5/<topic>/*.xml.xml` (Event "
    "StoryLine Corpus v1.5, 258 news articles of 2005-2013 from ECB+ in 22 topics, CAT XML, "
    "CC BY 3.0)"
)
DEFAULT_ESC = Path("/work/outside/esc")
TARGETS = {"precision": 0.95, "recall": 0.90, DAY: 0.95}
Predict = Callable[[str, dt.date | None], list[Span]]


def corpus_directory() -> Path:
    """Where the corpus is: ``$TIMEX3_CORPUS`` or the default path."""
    return Path(os.environ.get("TIMEX3_CORPUS", DEFAULT_CORPUS))


def meantime_directory() -> Path:
    """Where MEANTIME's English section is: ``$MEANTIME_CORPUS`` or the default path, a
    directory holding its four ``corpus_*`` topic folders."""
    return Path(os.environ.get("MEANTIME_CORPUS", DEFAULT_MEANTIME))


def esc_directory() -> Path:
    """Where ESC is: ``$ESC_CORPUS`` or the default path, a directory holding its numbered
    topic folders."""
    return Path(os.environ.get("ESC_CORPUS", DEFAULT_ESC))


def available_splits() -> dict[str, Callable[[], list[Timex3Record]]]:
    """A loader for every split whose corpus is on this machine, TempEval-3's first."""
    splits: dict[str, Callable[[], list[Timex3Record]]] = {}
    directory = corpus_directory()
    if all((directory / part).is_dir() for parts in SPLITS.values() for part in parts):
        for split in SPLITS:
            splits[split] = partial(load_split, directory, split)
    meantime = meantime_directory()
    if meantime.is_dir() and any(meantime.glob("corpus_*/*.xml")):
        for split, half in MEANTIME_SPLITS.items():
            splits[split] = partial(read_split, meantime, half)
    if esc_directory().is_dir() and any(esc_directory().glob("[0-9]*/*.xml")):
        for split, half in ESC_SPLITS.items():
            splits[split] = partial(esc.read_split, esc_directory(), half)
    return splits


def load_split(directory: Path, split: str) -> list[Timex3Record]:
    """The sentences of one TempEval-3 split (its parts' ``.tml`` files, in path order)."""
    records: list[Timex3Record] = []
    for part in SPLITS[split]:
        if not (directory / part).is_dir():
            raise FileNotFoundError(directory / part)
        records.extend(read_corpus(directory / part))
    return records


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


@dataclass
class Tally:
    """Counts behind the scores of one system on one split."""

    predicted: int = 0
    predicted_matched: int = 0
    gold: int = 0
    gold_matched: int = 0
    dated: Counter[str] = field(default_factory=Counter)
    dated_right: Counter[str] = field(default_factory=Counter)
    not_marked: Counter[str] = field(default_factory=Counter)
    not_resolved: Counter[str] = field(default_factory=Counter)
    not_in_timeml: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    gold_errors: list[str] = field(default_factory=list)

    def add(self, record: Timex3Record, predicted: list[Span]) -> None:
        """Count one sentence."""
        kept, left_out = [], []
        for timex in record.timexes:
            following = record.text[timex.end :].split(maxsplit=1)
            before = record.text[: timex.start]
            excluded = exclusion(timex, following[0] if following else "", before)
            if excluded:
                self.not_marked[excluded] += 1
                left_out.append((timex.start, timex.end))
            else:
                kept.append(timex)
        for start, end, _ in predicted:
            if any(_overlap((start, end), o) > 0 for o in left_out):
                continue
            matched = any(_overlap((start, end), (g.start, g.end)) > 0 for g in kept)
            unmarked = prediction_exclusion(record.text, start, end)
            if unmarked and not matched:
                self.not_in_timeml[unmarked] += 1
                continue
            self.predicted += 1
            if matched:
                self.predicted_matched += 1
            else:
                self.spurious.append(f"{record.text[start:end]!r} in {record.text!r}")
        for timex in kept:
            following = record.text[timex.end :].split(maxsplit=1)
            self.gold += 1
            matches = [p for p in predicted if _overlap(p[:2], (timex.start, timex.end)) > 0]
            if not matches:
                self.misses.append(f"{timex.text!r} {timex.type} {timex.value} in {record.text!r}")
                continue
            self.gold_matched += 1
            value = resolution(timex)
            if value is None:
                continue
            word = following[0] if following else ""
            unresolved = resolution_exclusion(timex, word, record.reference)
            if unresolved:
                self.not_resolved[unresolved] += 1
                if unresolved in GOLD_ERRORS.values():
                    self.gold_errors.append(f"{timex.text!r} {timex.value} in {record.text!r}")
                continue
            day, granularity = value
            self.dated[granularity] += 1
            best = max(matches, key=lambda p: _overlap(p[:2], (timex.start, timex.end)))
            if best[2] == day:
                self.dated_right[granularity] += 1
            else:
                self.wrong.append(
                    f"{timex.text!r} {timex.value} got {best[2]} (ref {record.reference}) "
                    f"in {record.text!r}"
                )

    def scores(self) -> dict[str, float]:
        """Precision, recall and resolution by granularity."""
        result = {
            "gold": self.gold,
            "precision": self.predicted_matched / max(self.predicted, 1),
            "recall": self.gold_matched / max(self.gold, 1),
        }
        for granularity in (DAY, MONTH, YEAR):
            result[granularity] = self.dated_right[granularity] / max(self.dated[granularity], 1)
            result[f"{granularity}_n"] = self.dated[granularity]
        return result


def score(predict: Predict, records: list[Timex3Record]) -> Tally:
    """Run ``predict`` on every sentence and count."""
    tally = Tally()
    for record in records:
        tally.add(record, predict(record.text, record.reference))
    return tally


def run(
    splits: dict[str, Callable[[], list[Timex3Record]]], with_dateparser: bool = True
) -> dict[str, dict[str, Tally]]:
    """Tallies per split and system."""
    systems: dict[str, Predict] = {"annotator.temporal": temporal_spans}
    if with_dateparser:
        from bench.temporal_baseline import dateparser_spans

        systems["dateparser"] = dateparser_spans
    results: dict[str, dict[str, Tally]] = {}
    for split, load in splits.items():
        records = load()
        results[split] = {name: score(predict, records) for name, predict in systems.items()}
    return results


def own_set() -> dict[str, float]:
    """Our recogniser on the project's own hand-labelled set, for comparison."""
    from bench.temporal_eval import score as own_score

    return own_score(temporal_spans, load_records())


def render(results: dict[str, dict[str, Tally]], own: dict[str, float]) -> str:
    """A markdown section for RESULTS.md."""
    first = next(iter(results.values()))["annotator.temporal"]
    lines = [
        "## Temporal expressions on TempEval-3, MEANTIME and ESC (`bench/temporal_outside.py`)",
        "",
        f"{machine()}, {dt.date.today():%Y-%m-%d}. Sources (kept outside the repository): "
        f"{SOURCE} (TimeML, CC BY 3.0); {MEANTIME_SOURCE}; {ESC_SOURCE}. Split by document: "
        "dev = TimeBank (183 articles) + AQUAINT (73), tuned on; held-out = TE3 platinum (20, "
        "the official TempEval-3 test set); MEANTIME dev / held-out = in each topic folder, "
        "files in name order, odd / even positions (60 articles each); ESC dev / held-out = "
        "topics with an odd / even number (11 each, 133 / 125 articles). Held-out splits: "
        "aggregate figures only, their errors never printed. Overlap matching; resolution over "
        "matched gold spans whose TimeML value is one day (month, year).",
        "",
        "| split | system | gold spans | precision | recall | full-day (n) | month (n) "
        "| year (n) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for split, tallies in results.items():
        for name, tally in tallies.items():
            s = tally.scores()
            lines.append(
                f"| {split} | {name} | {int(s['gold'])} | {s['precision']:.3f} | "
                f"{s['recall']:.3f} | {s[DAY]:.3f} ({int(s['day_n'])}) | "
                f"{s[MONTH]:.3f} ({int(s['month_n'])}) | {s[YEAR]:.3f} ({int(s['year_n'])}) |"
            )
    lines.append(
        f"| own set | annotator.temporal | {int(own['gold_spans'])} | {own['precision']:.3f} | "
        f"{own['recall']:.3f} | {own['resolution']:.3f} ({int(own['resolution_n'])}, all "
        "granularities) | | |"
    )
    lines.append("")
    for split in HELD_OUT_SPLITS:
        if split in results:
            held = results[split]["annotator.temporal"].scores()
            met = all(held[k] >= v for k, v in TARGETS.items())
            lines.append(
                f"Targets on {split}: precision ≥ 0.95, recall ≥ 0.90, full-day ≥ 0.95: "
                f"{'met' if met else 'not met'}."
            )
    sections = [
        (f"Left out because TEMPORAL.md does not mark them (TIMEX3 count, {' / '.join(results)}):",
         NOT_MARKED, "not_marked"),
        ("Predictions left out of precision: TEMPORAL.md marks them, TimeML does not:",
         NOT_IN_TIMEML, "not_in_timeml"),
        ("Marked but left out of resolution because TEMPORAL.md resolves them to null:",
         NOT_RESOLVED, "not_resolved"),
        ("Gold errors left out of resolution (dev ones each read, held-out ones counted only):",
         GOLD_ERRORS, "not_resolved"),
    ]  # fmt: skip
    for heading, classes, counter in sections:
        lines += ["", heading, ""]
        for label, key in classes.items():
            counts = [getattr(t["annotator.temporal"], counter)[key] for t in results.values()]
            lines.append(f"- {label}: {' / '.join(map(str, counts))}")
    lines += [
        "",
        "TimeML values that are not one day, month or year (weeks, seasons, quarters, decades, "
        "`PRESENT_REF`, clock times, durations, sets) are not scored for resolution; their spans "
        f"count for precision and recall. {first.gold} dev gold spans after exclusions.",
    ]
    return "\n".join(lines)


def main() -> None:
    """Print the figures, the dev errors (``--errors``) and the RESULTS.md section."""
    splits = available_splits()
    if "--dev" in sys.argv:  # while tuning: the held-out splits are not even scored
        splits = {name: load for name, load in splits.items() if name in DEV_SPLITS}
    if "dev" not in splits:
        print(
            f"TempEval-3 absent: expected TimeBank/, AQUAINT/ and te3-platinum/ under "
            f"{corpus_directory()} (set TIMEX3_CORPUS); not measured."
        )
    if "MEANTIME dev" not in splits:
        print(
            f"MEANTIME absent: expected corpus_*/*.xml under {meantime_directory()} (set "
            "MEANTIME_CORPUS); not measured."
        )
    if "ESC dev" not in splits:
        print(
            f"ESC absent: expected <topic>/*.xml under {esc_directory()} (set ESC_CORPUS); "
            "not measured."
        )
    if not splits:
        return
    results = run(splits, with_dateparser="--no-dateparser" not in sys.argv)
    if "--errors" in sys.argv:
        for split in DEV_SPLITS:
            if split not in results:
                continue
            dev = results[split]["annotator.temporal"]
            for kind in ("misses", "wrong", "spurious", "gold_errors"):
                print(f"--- {split} {kind} ({len(getattr(dev, kind))})")
                print("\n".join(getattr(dev, kind)))
    print(render(results, own_set()))


if __name__ == "__main__":
    main()

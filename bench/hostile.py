"""Import time of each large hostile file, as a ratio to a floor measured in the same run.

Files: the generated ones of the hostile corpus (tests/data/hostile/generate.py).
Floor: `sentence_spans` on ordinary news text (bench/corpus.py) of the same number of
characters as the file has bytes: the unavoidable cost of importing that much text.
Job: `import_file` of the file into a fresh project of a scratch SQLite database (decode,
checks, segmentation, roles, inserts; or the rejection). Best of 3 each.
Ratio = job / floor: how many times ordinary text of that size the hostile file costs.

`python -m bench.hostile` prints the table.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from annotator.segment import sentence_spans
from annotator.services.importing import FileReport, import_file
from annotator.services.projects import ensure_project
from bench.corpus import articles
from bench.databases import scratch_database
from bench.timing import best_of, machine
from db.engine import make_engine, session_factory
from db.migrate import upgrade
from tests.data.hostile.generate import GENERATED

Result = dict[str, float | str]


def run(repeats: int = 3) -> dict[str, Result]:
    """For each generated file: size, outcome, sentences stored, floor and import seconds, ratio."""
    results: dict[str, Result] = {}
    with scratch_database("sqlite") as url:
        engine = make_engine(url)
        upgrade(engine)
        with session_factory(engine)() as session:
            for name, make in GENERATED.items():
                results[name] = _measure(session, name, make(), repeats)
        engine.dispose()
    return results


def _measure(session: Session, name: str, data: bytes, repeats: int) -> Result:
    """Time the floor and the import of one file, `repeats` times each."""
    normal = _normal_text(len(data))
    floor = best_of(repeats, lambda: sentence_spans(normal))
    reports: list[FileReport] = []
    projects = iter(range(repeats))

    def job() -> None:
        project = f"hostile-{name}-{next(projects)}"
        ensure_project(session, project)
        reports.append(import_file(session, project, name, data))

    seconds = best_of(repeats, job)
    return {
        "bytes": len(data),
        "outcome": reports[0].status,
        "sentences": reports[0].sentences,
        "floor_seconds": floor,
        "import_seconds": seconds,
        "ratio": seconds / floor,
    }


def _normal_text(size: int) -> str:
    """News-like articles, one after another, cut to `size` characters."""
    parts: list[str] = []
    total = 0
    for text in articles(size):  # far more sentences than needed; the generator is lazy
        parts.append(text)
        total += len(text) + 2
        if total >= size:
            break
    return "\n\n".join(parts)[:size]


def render(results: dict[str, Result]) -> str:
    """The results as a Markdown table."""
    lines = [
        f"Hostile files ({machine()}); ratio = import / sentence_spans on normal text of the "
        "same size, best of 3.",
        "",
        "| file | bytes | outcome | sentences | floor | import | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['bytes']:,} | {r['outcome']} | {r['sentences']:,} | "
            f"{r['floor_seconds']:.3f} s | "
            f"{r['import_seconds']:.3f} s | {r['ratio']:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(run()))

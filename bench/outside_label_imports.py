"""`import-labels --format checkthat` on the real CLEF CheckThat! 2019 files, kept outside the
repository (they are not ours to commit).

`python -m bench.outside_label_imports [--misses] PATH...`

Each PATH is a CheckThat! 2019 Task 1 file (`line_number TAB speaker TAB text TAB label`, as in
repository telsayed/clef2019-factchecking-task1, folders `data/test_annotated/` and
`data/training/`), outside the repository. In a scratch SQLite database, per file:

1. its texts (unquoted, as the reader reads them) are imported as one article, one line a
   paragraph, titled as the file without its extension, as docs/importing.md describes;
2. the file is imported with the label import service, as `import-labels --format checkthat
   --annotator clef2019` does: whole or not at all. Every line it refuses is counted by reason
   (`not found`: no sentence reads the line's text; `ambiguous`: several do and cannot be
   paired in order), and the lines whose own paragraph the segmenter split are counted;
3. if lines were refused, the file without them is imported again (what the docs advise), and
   the labels stored, check-worthy ones apart, are counted.

Printed: a Markdown table a file, then (with `--misses`) the refused lines' messages.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.claim_datasets import read_checkthat
from annotator.errors import ImportRejected
from annotator.scheme import load_scheme
from annotator.services import accounts, label_import
from annotator.services.importing import import_file
from annotator.services.projects import create_project
from bench.databases import scratch_database
from db.engine import make_engine, read_transaction, session_factory
from db.migrate import upgrade
from db.models import Article, Label, Project, Sentence

SCHEME = Path(__file__).resolve().parent.parent / "annotator" / "schemes" / "checkthat.yaml"
ANNOTATOR = "clef2019"
_PROBLEM = re.compile(r"^(?P<file>[^\n:]+):(?P<line>\d+): (?P<message>.*)$")


@dataclass
class Outcome:
    """What importing one CheckThat! file's labels onto its own transcript gave."""

    name: str
    lines: int = 0
    checkworthy: int = 0  # lines labelled 1 in the file
    unreadable: int = 0  # lines the reader refused (cells, numbers, labels)
    body: int = 0  # body sentences stored for the article
    split: int = 0  # lines whose paragraph the segmenter cut into several sentences
    refused: dict[str, int] = field(default_factory=dict)  # reason -> lines
    first_import: str = ""  # "stored" or "refused"
    stored: int = 0  # labels stored (after leaving the refused lines out, if any)
    stored_checkworthy: int = 0
    error: str | None = None
    misses: list[str] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return self.lines - sum(self.refused.values())


def _reason(message: str) -> str:
    if message.startswith("no sentence of the article"):
        return "not found"
    if message.startswith("ambiguous"):
        return "ambiguous"
    return "other"


def _refusals(error: ImportRejected) -> list[tuple[int, str]]:
    """(line, message) of each line a rejection names."""
    found = (_PROBLEM.match(line) for line in str(error).splitlines())
    return [(int(m["line"]), m["message"]) for m in found if m]


def _split_lines(session: Session, title: str, paragraphs: int) -> int:
    """How many of the article's paragraphs (the file's lines, in order) the segmenter cut into
    more than one body sentence."""
    with read_transaction(session):
        article = session.scalars(select(Article).where(Article.title == title)).one()
        starts = session.scalars(
            select(Sentence.char_start).where(
                Sentence.article_id == article.id, Sentence.role == "body"
            )
        ).all()
        text = article.text
    per_paragraph: dict[int, int] = {}
    for start in starts:
        paragraph = text.count("\n\n", 0, start)  # 0 is the title
        per_paragraph[paragraph] = per_paragraph.get(paragraph, 0) + 1
    return sum(1 for n in range(1, paragraphs + 1) if per_paragraph.get(n, 0) > 1)


def _stored(session: Session, project: str) -> tuple[int, int]:
    with read_transaction(session):
        rows = session.execute(
            select(Label.claim_type, func.count())
            .join(Sentence, Sentence.id == Label.sentence_id)
            .join(Article, Article.id == Sentence.article_id)
            .join(Project, Project.id == Article.project_id)
            .where(Project.name == project)
            .group_by(Label.claim_type)
        ).all()
    by_value = {str(value): n for value, n in rows}
    return sum(by_value.values()), by_value.get("yes", 0)


def _without(data: bytes, lines: set[int]) -> bytes:
    """The file without the given lines (numbered from 1, as the messages number them)."""
    kept = [
        line for n, line in enumerate(data.split(b"\n"), start=1) if n not in lines
    ]  # the CR of a CRLF stays on its line
    return b"\n".join(kept)


def import_one(session: Session, project: str, path: Path) -> Outcome:
    """Import the file's transcript into `project`, then its labels; see the module's doc."""
    name, data = path.name, path.read_bytes()
    outcome = Outcome(name)
    read = read_checkthat(name, data, None)
    outcome.lines = len(read.rows) + len(read.problems)
    outcome.unreadable = len(read.problems)
    outcome.checkworthy = sum(row.value == "yes" for row in read.rows)
    title = PurePath(name).stem
    texts = [row.texts[-1] for row in read.rows]
    create_project(session, project, scheme=load_scheme(SCHEME.name, SCHEME.read_bytes()))
    article = (title + "\n\n" + "\n\n".join(texts) + "\n").encode()
    report = import_file(session, project, f"{title}.txt", article)
    if report.error is not None:
        outcome.error = f"transcript not imported: {report.error}"
        return outcome
    outcome.split = _split_lines(session, title, len(texts))
    with read_transaction(session):
        outcome.body = session.scalars(select(Article.n_body).where(Article.title == title)).one()
    try:
        label_import.import_labels(
            session, None, project, name, data, dataset="checkthat", annotator=ANNOTATOR
        )
        outcome.first_import = "stored"
    except ImportRejected as error:
        outcome.first_import = "refused"
        refusals = _refusals(error)
        for line, message in refusals:
            reason = _reason(message)
            outcome.refused[reason] = outcome.refused.get(reason, 0) + 1
            outcome.misses.append(f"{name}:{line}: {message}")
        try:
            label_import.import_labels(
                session, None, project, name, _without(data, {line for line, _ in refusals}),
                dataset="checkthat", annotator=ANNOTATOR,
            )  # fmt: skip
        except ImportRejected as again:
            outcome.error = f"still refused without those lines: {str(again).splitlines()[0]}"
    outcome.stored, outcome.stored_checkworthy = _stored(session, project)
    return outcome


def run(paths: Sequence[Path]) -> list[Outcome]:
    """Each file into its own project of one scratch SQLite database."""
    label_import.MAX_PROBLEMS_SHOWN = 10**9  # list every refused line, not the first 20
    outcomes: list[Outcome] = []
    with scratch_database("sqlite") as url:
        engine = make_engine(url)
        upgrade(engine)
        with session_factory(engine)() as session:
            accounts.create_user(session, "admin", "admin", "benchmark password")
            accounts.create_user(session, ANNOTATOR, "annotator", "benchmark password")
            for n, path in enumerate(paths):
                outcomes.append(import_one(session, f"clef-{n}", path))
        engine.dispose()
    return outcomes


def render(outcomes: Sequence[Outcome], misses: bool = False) -> str:
    """A Markdown table a file, a total row, and (with `misses`) every refused line."""
    lines = [
        "| file | lines | body sentences | lines split by the segmenter | lines matched "
        "| refused: not found | refused: ambiguous | first import | labels stored "
        "| check-worthy stored / in file |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        if o.error is not None and not o.first_import:
            lines.append(f"| {o.name} | {o.lines:,} | {o.error} | | | | | | | |")
            continue
        other = o.refused.get("other", 0) + o.unreadable
        note = f" ({other} other)" if other else ""
        lines.append(
            f"| {o.name} | {o.lines:,} | {o.body:,} | {o.split} | {o.matched:,}{note} "
            f"| {o.refused.get('not found', 0)} | {o.refused.get('ambiguous', 0)} "
            f"| {o.first_import} | {o.stored:,} | {o.stored_checkworthy} / {o.checkworthy} |"
        )
    total = [sum(getattr(o, key) for o in outcomes) for key in ("lines", "matched", "stored")]
    lines.append(
        f"\n{len(outcomes)} files, {total[0]:,} lines: {total[1]:,} matched "
        f"({total[1] / max(total[0], 1):.2%}), {total[2]:,} labels stored after leaving out "
        "the refused lines."
    )
    lines += [f"- {o.name}: {o.error}" for o in outcomes if o.error]
    if misses:
        lines.append("")
        lines += [f"- {miss}" for o in outcomes for miss in o.misses]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments, import the files, print the table."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.outside_label_imports", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="CheckThat! files")
    parser.add_argument("--misses", action="store_true", help="list every refused line")
    args = parser.parse_args(argv)
    repo = Path(__file__).resolve().parent.parent
    inside = [str(p) for p in args.paths if p.resolve().is_relative_to(repo)]
    if inside:
        parser.error(f"these files are inside the repository: {', '.join(inside)}")
    missing = [str(p) for p in args.paths if not p.is_file()]
    if missing:
        parser.error(f"no such file: {', '.join(missing)}")
    print(render(run(args.paths), args.misses), end="")


if __name__ == "__main__":
    main()

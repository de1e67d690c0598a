"""The import on files we did not write: saved web pages and debate transcripts from public
sources, kept outside the repository (they are not ours to commit).

`python -m bench.outside_imports [--expected EVALDATA.json] [--transcript] PATH...`

Each PATH (a file outside the repository, or an http(s) URL) is imported into a fresh project
of a scratch SQLite database through the real import service (`import_file`, `import_url`),
and the stored article is read back. Printed per file: imported or rejected (and why), the
title, byline, date, source and URL found, and the number of body sentences.

- A `.txt` in the CLEF 2018 CheckThat! task 1 layout (each line `number TAB speaker TAB
  sentence TAB label`, as in repository clef2018-factchecking/clef2018-factchecking, folder
  `data/task1/English/`) is converted in memory to turns (consecutive sentences of one
  speaker make a turn) and imported twice, as a `.txt` transcript (`SPEAKER: ` lines) and as
  a `.jsonl` one. For each form: the turns and speakers stored, and the recall of the CLEF
  sentences: the share of them (stage directions of `SYSTEM` aside) that lie inside one body
  sentence stored with the right speaker, and the share that are a body sentence exactly.
- With `--expected`, trafilatura's evaluation file (repository adbar/trafilatura,
  `tests/evaldata.json`: per saved page, snippets its text must and must not contain) gives
  each page with an entry two more figures: the `with` snippets found in the stored text and
  the `without` snippets (boilerplate) absent from it, whitespace collapsed on both sides.
- `--transcript` imports other `.txt` and `.jsonl` paths as transcripts.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.services.importing import FileReport, import_file, import_url
from annotator.services.projects import ensure_project
from bench.databases import scratch_database
from db.engine import make_engine, session_factory
from db.migrate import upgrade
from db.models import Article, Project, Sentence

STAGE = "SYSTEM"  # the CLEF files' speaker for stage directions: (APPLAUSE), (CROSSTALK)
_CLEF_LINE = re.compile(r"\d+\t[^\t]+\t[^\t]*\t\S*")


@dataclass(frozen=True)
class Said:
    """One sentence of a CLEF file: who said what."""

    speaker: str
    text: str


@dataclass
class Outcome:
    """What importing one file (or one form of a CLEF file) gave."""

    name: str
    status: str
    error: str | None = None
    transcript: bool = False
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    body: int = 0
    turns: int = 0
    speakers: tuple[str, ...] = ()
    figures: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (hits, of)
    misses: list[str] = field(default_factory=list)  # what the figures did not find


def read_clef(text: str) -> list[Said] | None:
    """The sentences of a CLEF task 1 file, or None if `text` is not in that layout."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or not all(_CLEF_LINE.fullmatch(line) for line in lines):
        return None
    said = (line.split("\t") for line in lines)
    return [Said(speaker.strip(), sentence.strip()) for _, speaker, sentence, _ in said]


def turns(sentences: Sequence[Said]) -> list[tuple[str, str]]:
    """(speaker, text) of each turn: consecutive sentences of one speaker, joined by spaces."""
    grouped: list[tuple[str, list[str]]] = []
    for said in sentences:
        if not said.text:
            continue
        if grouped and grouped[-1][0] == said.speaker:
            grouped[-1][1].append(said.text)
        else:
            grouped.append((said.speaker, [said.text]))
    return [(speaker, " ".join(texts)) for speaker, texts in grouped]


def as_txt(title: str, spoken: Sequence[tuple[str, str]]) -> bytes:
    """The turns as a `.txt` transcript: a title line, then one `SPEAKER: text` line a turn."""
    return "".join([f"{title}\n\n", *(f"{s}: {t}\n" for s, t in spoken)]).encode()


def as_jsonl(spoken: Sequence[tuple[str, str]]) -> bytes:
    """The turns as a `.jsonl` transcript: one `{"speaker", "text"}` object a line."""
    lines = (json.dumps({"speaker": s, "text": t}, ensure_ascii=False) for s, t in spoken)
    return "".join(f"{line}\n" for line in lines).encode()


def clef_recall(
    text: str,
    stored: Sequence[tuple[int, int, str, str | None]],
    sentences: Sequence[Said],
    misses: list[str] | None = None,
) -> dict[str, tuple[int, int]]:
    """How the stored sentences (start, end, role, speaker) of the article `text` cover the
    CLEF sentences, found in order in the text: inside one body sentence with the right
    speaker, exactly a body sentence, and stage directions stored as `meta`. The CLEF
    sentences not inside one body sentence are added to `misses`, with the stored ones
    that overlap them."""
    misses = [] if misses is None else misses
    body = [(s, e, speaker) for s, e, role, speaker in stored if role == "body"]
    meta = [(s, e) for s, e, role, _ in stored if role == "meta"]
    counts = {"inside": 0, "exact": 0, "spoken": 0, "stage": 0, "stage_meta": 0}
    cursor = 0
    for said in sentences:
        if not said.text:
            continue
        stage = said.speaker == STAGE
        counts["stage" if stage else "spoken"] += 1
        start = text.find(said.text, cursor)
        if start < 0:
            misses.append(f"not in the stored text: {said.speaker}: {said.text}")
            continue
        end = cursor = start + len(said.text)
        if stage:
            counts["stage_meta"] += any(s <= start and end <= e for s, e in meta)
            continue
        holder = [(s, e) for s, e, who in body if s <= start and end <= e and who == said.speaker]
        counts["inside"] += bool(holder)
        if not holder:
            parts = [f"{who}: {text[s:e]!r}" for s, e, who in body if s < end and start < e]
            misses.append(f"{said.speaker}: {said.text!r} is stored as {' + '.join(parts)}")
        counts["exact"] += (start, end) in holder
    return {
        "inside one body sentence, right speaker": (counts["inside"], counts["spoken"]),
        "exactly one body sentence": (counts["exact"], counts["spoken"]),
        "stage directions stored as meta": (counts["stage_meta"], counts["stage"]),
    }


def snippet_figures(
    text: str, expected: dict[str, list[str]], misses: list[str] | None = None
) -> dict[str, tuple[int, int]]:
    """trafilatura's expectations for a page against the stored text (whitespace collapsed);
    the snippets missed are added to `misses`."""
    flat = " ".join(text.split())
    wanted = [" ".join(s.split()) for s in expected.get("with", [])]
    unwanted = [" ".join(s.split()) for s in expected.get("without", [])]
    if misses is not None:
        misses += [f"`with` snippet not found: {s!r}" for s in wanted if s not in flat]
        misses += [f"`without` snippet kept: {s!r}" for s in unwanted if s in flat]
    return {
        "`with` snippets found": (sum(s in flat for s in wanted), len(wanted)),
        "`without` snippets absent": (sum(s not in flat for s in unwanted), len(unwanted)),
    }


def _stored(session: Session, project: str) -> Article | None:
    """The one article the import stored in `project`, if any."""
    with session.begin():
        article = session.scalars(
            select(Article).join(Project).where(Project.name == project)
        ).one_or_none()
        if article is not None:
            session.expunge(article)
        return article


def _sentences(session: Session, article_id: int) -> list[tuple[int, int, str, str | None]]:
    with session.begin():
        rows = session.execute(
            select(Sentence.char_start, Sentence.char_end, Sentence.role, Sentence.speaker)
            .where(Sentence.article_id == article_id)
            .order_by(Sentence.index)
        ).all()
    return [(s, e, role, speaker) for s, e, role, speaker in rows]


def _outcome(session: Session, project: str, report: FileReport) -> tuple[Outcome, Article | None]:
    """The report and the stored article of one import, as an Outcome."""
    article = _stored(session, project)
    if report.error is not None or article is None:
        return Outcome(report.name, report.status, error=report.error), None
    speakers = {speaker for *_, speaker in _sentences(session, article.id) if speaker}
    return (
        Outcome(
            report.name,
            report.status,
            title=article.title,
            byline=article.byline,
            published=str(article.published) if article.published else article.published_raw,
            source=article.source,
            url=article.url,
            body=article.n_body,
            speakers=tuple(sorted(speakers)),
        ),
        article,
    )


def run(
    paths: Sequence[str], expected: dict[str, dict[str, list[str]]], transcript: bool
) -> list[Outcome]:
    """Import each path into its own project of a scratch SQLite database."""
    outcomes: list[Outcome] = []
    with scratch_database("sqlite") as url:
        engine = make_engine(url)
        upgrade(engine)
        with session_factory(engine)() as session:
            projects = (f"outside-{n}" for n in range(10**6))
            for path in paths:
                outcomes.extend(_import_one(session, projects, path, expected, transcript))
        engine.dispose()
    return outcomes


def _import_one(
    session: Session,
    projects: Iterator[str],
    path: str,
    expected: dict[str, dict[str, list[str]]],
    transcript: bool,
) -> list[Outcome]:
    if path.startswith(("http://", "https://")):
        project = next(projects)
        ensure_project(session, project)
        return [_outcome(session, project, import_url(session, project, path))[0]]
    file = Path(path)
    data = file.read_bytes()
    clef = read_clef(data.decode("utf-8", errors="replace")) if file.suffix == ".txt" else None
    if clef is not None:
        spoken = turns(clef)
        forms = {".txt": as_txt(file.stem, spoken), ".jsonl": as_jsonl(spoken)}
        results = []
        for suffix, converted in forms.items():
            project = next(projects)
            ensure_project(session, project)
            name = f"{file.stem}{suffix}"
            report = import_file(session, project, name, converted, transcript=True)
            outcome, article = _outcome(session, project, report)
            outcome.transcript, outcome.turns = True, len(spoken)
            if article is not None:
                stored = _sentences(session, article.id)
                outcome.figures = clef_recall(article.text, stored, clef, outcome.misses)
            results.append(outcome)
        return results
    project = next(projects)
    ensure_project(session, project)
    as_transcript = transcript and file.suffix in (".txt", ".jsonl")
    report = import_file(session, project, file.name, data, transcript=as_transcript)
    outcome, article = _outcome(session, project, report)
    outcome.transcript = as_transcript
    if article is not None and file.name in expected:
        outcome.figures = snippet_figures(article.text, expected[file.name], outcome.misses)
    return [outcome]


def load_expected(path: Path | None) -> dict[str, dict[str, list[str]]]:
    """trafilatura's `tests/evaldata.json` (url -> {file, with, without}) by file name."""
    if path is None:
        return {}
    entries = json.loads(path.read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in entries.values() if "file" in entry}


def render(outcomes: Sequence[Outcome], misses: bool = False) -> str:
    """A Markdown table a file, then the figures summed over the files (and, with `misses`,
    what each file's figures missed)."""
    lines = [
        "| file | import | title | byline | date | source | url | body sentences |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        if o.error is not None:
            lines.append(f"| {o.name} | rejected: {o.error} | | | | | | |")
            continue
        cells = [_short(v) for v in (o.title, o.byline, o.published, o.source, o.url)]
        lines.append(f"| {o.name} | {o.status} | {' | '.join(cells)} | {o.body:,} |")
    pages = [o for o in outcomes if not o.transcript]
    found = {key: sum(1 for o in pages if getattr(o, key)) for key in _FIELDS}
    if pages:
        lines += ["", f"Pages: {sum(o.error is None for o in pages)} of {len(pages)} imported; "
                  + ", ".join(f"{key} found in {n}" for key, n in found.items()) + "."]  # fmt: skip
    totals: dict[str, list[int]] = {}
    for o in pages:
        for key, (hits, of) in o.figures.items():
            totals.setdefault(key, [0, 0, 0])
            totals[key] = [totals[key][0] + hits, totals[key][1] + of, totals[key][2] + 1]
    for key, (hits, of, n) in totals.items():
        lines.append(f"- {key}: {hits} of {of} ({_share(hits, of)}), {n} pages with expectations")
    for o in outcomes:
        if o.transcript and o.error is None:
            lines.append(
                f"\nTranscript {o.name}: {o.turns or '?'} turns, {len(o.speakers)} speakers "
                f"({', '.join(o.speakers)}), {o.body:,} body sentences."
            )
            for key, (hits, of) in o.figures.items():
                lines.append(f"- CLEF sentences {key}: {hits:,} of {of:,} ({_share(hits, of)})")
    if misses:
        lines.append("")
        lines += [f"- {o.name}: {miss}" for o in outcomes for miss in o.misses]
    return "\n".join(lines) + "\n"


_FIELDS = ("title", "byline", "published", "source", "url")


def _share(hits: int, of: int) -> str:
    return f"{hits / of:.1%}" if of else "n/a"


def _short(value: str | None, width: int = 60) -> str:
    if not value:
        return "-"
    value = value.replace("|", "\\|")
    return value if len(value) <= width else value[: width - 1] + "…"


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments, import the files, print the table."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.outside_imports", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files outside the repo, URLs")
    parser.add_argument("--expected", type=Path, help="trafilatura's tests/evaldata.json")
    parser.add_argument("--transcript", action="store_true", help="other .txt/.jsonl: turns")
    parser.add_argument("--misses", action="store_true", help="list what the figures missed")
    args = parser.parse_args(argv)
    repo = Path(__file__).resolve().parent.parent
    files = [p for p in args.paths if not p.startswith(("http://", "https://"))]
    inside = [p for p in files if Path(p).resolve().is_relative_to(repo)]
    if inside:
        parser.error(f"these files are inside the repository: {', '.join(inside)}")
    missing = [p for p in files if not Path(p).is_file()]
    if missing:
        parser.error(f"no such file: {', '.join(missing)}")
    outcomes = run(args.paths, load_expected(args.expected), args.transcript)
    print(render(outcomes, args.misses), end="")


if __name__ == "__main__":
    main()

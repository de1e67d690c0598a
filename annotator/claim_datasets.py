"""Readers (pure) for the public claim datasets' own label files, for `import-labels --format`.

- `checkthat`: CLEF CheckThat! 2019 Task 1 (check-worthiness), one TSV file per debate or
  speech, no header: `line_number <TAB> speaker <TAB> text <TAB> label`, label 1 (to be
  fact-checked) or 0. The training files write a text as it is; the test files quote a text
  that holds a double quote as CSV does (`"He said ""no"" twice"`). A text that begins and ends
  with a double quote is therefore read both ways (as written, and unquoted) and matched if
  exactly one reading finds a sentence.
- `claimbuster`: the ClaimBuster dataset's `groundtruth.csv` / `crowdsourced.csv` (Arslan et
  al., ICWSM 2020): a CSV with a header naming `Sentence_id, Text, Speaker, Speaker_title,
  Speaker_party, File_id, Length, Line_number, Sentiment, Verdict`; Verdict -1 (NFS), 0 (UFS)
  or 1 (CFS). Only `Text` and `Verdict` are needed, and `File_id` when no article title is
  given.

Each reader gives one `DatasetRow` per label, with the value of the project's scheme it maps
to (the shipped `checkthat` and `claimbuster` schemes), and every problem with its line.
Nothing here knows a database. The readers' module is imported where a file is read: the
command line names these formats in its options without loading it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from annotator.errors import ImportRejected
from annotator.wording import counted, plural

CHECKTHAT_VALUES = {"1": "yes", "0": "no"}
CLAIMBUSTER_VALUES = {"-1": "nfs", "0": "ufs", "1": "cfs"}
CHECKTHAT_COLUMNS = ("line_number", "speaker", "text", "label")
CLAIMBUSTER_COLUMNS = (
    "Sentence_id", "Text", "Speaker", "Speaker_title", "Speaker_party", "File_id", "Length",
    "Line_number", "Sentiment", "Verdict",
)  # fmt: skip
WHOLE_NUMBER = re.compile(r"-?[0-9]+")


@dataclass(frozen=True)
class DatasetRow:
    """One label from a dataset file: where it is (`line`), which article and text, the scheme
    value, and `order`, the sentence's position in its debate as the file numbers it (pairs
    repeated sentences, such as "Thank you.", with the article's in order)."""

    line: int
    article_title: str
    texts: tuple[str, ...]
    value: str
    order: int | None


@dataclass(frozen=True)
class DatasetFile:
    """A dataset file read: its rows and its problems, each `(line, message)`."""

    rows: tuple[DatasetRow, ...]
    problems: tuple[tuple[int | None, str], ...]


@dataclass(frozen=True)
class DatasetFormat:
    """A public format: its name in messages, the scheme values it needs, its reader."""

    title: str
    values: tuple[str, ...]
    read: Callable[[str, bytes, str | None], DatasetFile]


def read_checkthat(name: str, data: bytes, article_title: str | None) -> DatasetFile:
    """A CheckThat! 2019 Task 1 file; the article is `article_title`, else the file's name
    without its extension (`20151219_3_dem.tsv` → `20151219_3_dem`)."""
    from annotator.readers import decode_text

    title = article_title if article_title is not None else PurePath(name).stem
    lines = list(_lines(decode_text(data, name)))
    line, first = (lines[0][0], lines[0][1].split("\t")) if lines else (1, [])
    if len(first) != len(CHECKTHAT_COLUMNS):
        raise ImportRejected(
            f"is not a CheckThat! check-worthiness file: line {line} has "
            f"{counted(len(first), 'tab-separated cell')} and must have 4 "
            f"({', '.join(CHECKTHAT_COLUMNS)}, no header)",
            file=name,
        )
    if not first[0].strip().isdigit():
        raise ImportRejected(
            f"is not a CheckThat! check-worthiness file: line {line} starts with "
            f"{first[0].strip()[:40]!r}, not a line number (the files have no header)",
            file=name,
        )
    rows: list[DatasetRow] = []
    problems: list[tuple[int | None, str]] = []
    seen: dict[int, int] = {}
    for line, text in lines:
        cells = text.split("\t")
        if len(cells) != len(CHECKTHAT_COLUMNS):
            problems.append(
                (line, f"has {counted(len(cells), 'tab-separated cell')}; a CheckThat! line has 4 "
                 f"({', '.join(CHECKTHAT_COLUMNS)})")
            )  # fmt: skip
            continue
        number, _, sentence, label = (cell.strip() for cell in cells)
        if not number.isdigit():
            problems.append((line, f"line_number must be a whole number, not {number!r}"))
            continue
        if int(number) in seen:
            problems.append((line, f"line_number {number} repeats line {seen[int(number)]}"))
            continue
        seen[int(number)] = line
        if label not in CHECKTHAT_VALUES:
            problems.append((line, f"label must be 1 (check-worthy) or 0, not {label!r}"))
            continue
        if not sentence:
            problems.append((line, "the text is empty"))
            continue
        rows.append(
            DatasetRow(line, title, _readings(sentence), CHECKTHAT_VALUES[label], int(number))
        )
    return DatasetFile(tuple(rows), tuple(problems))


def read_claimbuster(name: str, data: bytes, article_title: str | None) -> DatasetFile:
    """A ClaimBuster `groundtruth.csv` or `crowdsourced.csv`; the article is `article_title`,
    else each row's `File_id`; `Line_number` orders repeated sentences."""
    from annotator.readers import csv_rows, decode_text

    rows_in = csv_rows(decode_text(data, name, newlines=False), name)
    header_line, header = next(rows_in, (1, []))
    columns = {cell.strip(): at for at, cell in enumerate(header)}
    needed = ["Text", "Verdict"] + (["File_id"] if article_title is None else [])
    missing = [c for c in needed if c not in columns]
    if missing:
        hint = " (or give --article-title)" if missing == ["File_id"] else ""
        raise ImportRejected(
            f"is not a ClaimBuster file: missing {plural(len(missing), 'column')} "
            f"{', '.join(missing)}{hint}; its "
            f"header (line {header_line}) must name {', '.join(CLAIMBUSTER_COLUMNS)}",
            file=name,
        )
    rows: list[DatasetRow] = []
    problems: list[tuple[int | None, str]] = []
    for line, cells in rows_in:
        if len(cells) != len(header):
            problems.append((line, f"has {len(cells)} cells; the header has {len(header)}"))
            continue
        cell = {column: cells[at].strip() for column, at in columns.items()}
        verdict, order = cell["Verdict"], cell.get("Line_number", "")
        title = article_title if article_title is not None else cell["File_id"]
        if verdict not in CLAIMBUSTER_VALUES:
            problems.append(
                (line, f"Verdict must be -1 (NFS), 0 (UFS) or 1 (CFS), not {verdict!r}")
            )
        elif order and not WHOLE_NUMBER.fullmatch(order):
            problems.append((line, f"Line_number must be a whole number, not {order!r}"))
        elif not title:
            problems.append((line, "File_id is empty (or give --article-title)"))
        elif not cell["Text"]:
            problems.append((line, "Text is empty"))
        else:
            rows.append(
                DatasetRow(
                    line, title, (cell["Text"],), CLAIMBUSTER_VALUES[verdict],
                    int(order) if order else None,
                )
            )  # fmt: skip
    return DatasetFile(tuple(rows), tuple(problems))


FORMATS = {
    "checkthat": DatasetFormat("CheckThat!", tuple(CHECKTHAT_VALUES.values()), read_checkthat),
    "claimbuster": DatasetFormat(
        "ClaimBuster", tuple(CLAIMBUSTER_VALUES.values()), read_claimbuster
    ),
}


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield number, line


def _readings(text: str) -> tuple[str, ...]:
    """The text as written and, when it is wrapped in double quotes with every inner quote
    doubled (CSV quoting), unquoted too."""
    inner = text[1:-1]
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        return (text,)
    if inner.replace('""', "").count('"'):
        return (text,)
    return (text, inner.replace('""', '"').strip())

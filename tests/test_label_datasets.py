"""import-labels by text, and the public datasets' own files (CheckThat! 2019 TSV, ClaimBuster
CSV; samples in tests/data/label_imports/): labels land on the right sentences, repeated
sentences are paired in order or refused, and every bad input names its line and stores
nothing, on both databases."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import pty
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.claim_datasets import read_checkthat
from annotator.errors import ImportRejected, InvalidInput
from annotator.scheme import load_scheme
from annotator.services import integrity
from annotator.services.exporting import ExportRequest, export_bytes
from annotator.services.importing import import_file
from annotator.services.label_import import import_labels
from annotator.services.projects import create_project
from db.engine import COPY_FROM_ROWS, bulk_insert, read_transaction, write_transaction
from db.models import Article, Label, LabelHistory, Sentence
from tests.conftest import prepare_database

DATA = Path(__file__).parent / "data" / "label_imports"
SCHEMES = Path(__file__).resolve().parent.parent / "annotator" / "schemes"
CT_NAME, CB_NAME = "checkthat_press_conference.tsv", "claimbuster_town_hall.csv"
CHECKTHAT, CLAIMBUSTER = (DATA / CT_NAME).read_bytes(), (DATA / CB_NAME).read_bytes()
CT_TITLE, CB_TITLE = "checkthat_press_conference", "2024-10-17"  # the articles they label
REPEATS = (
    "Repeats\n\nThank you. The budget rose by 4 per cent in 2014.\n\nThank you.  Prices   fell.\n"
)
SessionFor = Callable[[str], AbstractContextManager[Session]]


def _article(title: str, texts: list[str]) -> bytes:
    return (title + "\n\n" + "\n\n".join(texts) + "\n").encode("utf-8")


@pytest.fixture
def datasets_url(any_url: str, session_for: SessionFor) -> str:
    """A database with project `checkthat` (its scheme) holding the CheckThat! sample as an
    article, `claimbuster` likewise, `default` (claims-v1) holding REPEATS; accounts
    `clef2019` and `ann`."""
    prepare_database(any_url, (("admin", "admin"), ("clef2019", "annotator")), seeds=None)
    ct_texts = [row.texts[-1] for row in read_checkthat(CT_NAME, CHECKTHAT, None).rows]
    cb_texts = [row[1] for row in list(csv.reader(io.StringIO(CLAIMBUSTER.decode())))[1:]]
    with session_for(any_url) as session:
        for name, texts, title in (
            ("checkthat", ct_texts, CT_TITLE),
            ("claimbuster", cb_texts, CB_TITLE),
        ):
            scheme = load_scheme(f"{name}.yaml", (SCHEMES / f"{name}.yaml").read_bytes())
            create_project(session, name, scheme=scheme)
            assert import_file(session, name, f"{name}.txt", _article(title, texts)).imported
        assert import_file(session, "default", "repeats.txt", REPEATS.encode()).imported
    return any_url


def _labels(session: Session, title: str) -> list[tuple[int, str]]:
    """(sentence index, claim_type) of the article's labels, in sentence order."""
    with read_transaction(session):
        rows = session.execute(
            select(Sentence.index, Label.claim_type)
            .join(Label, Label.sentence_id == Sentence.id)
            .join(Article, Article.id == Sentence.article_id)
            .where(Article.title == title)
            .order_by(Sentence.index)
        )
        return [(index, str(claim_type)) for index, claim_type in rows]


def test_checkthat_and_claimbuster_files_label_their_sentences(
    datasets_url: str, session_for: SessionFor
) -> None:
    with session_for(datasets_url) as session:
        report = import_labels(
            session, None, "checkthat", CT_NAME, CHECKTHAT, dataset="checkthat",
            annotator="clef2019",
        )  # fmt: skip
        assert (report.added, report.updated, report.unchanged) == (33, 0, 0)
        labels = _labels(session, CT_TITLE)
        # every sentence once, in order; the file's lines 84, 90, 96, 100 are check-worthy
        assert [index for index, _ in labels] == list(range(1, 34))
        assert [i + 67 for i, value in labels if value == "yes"] == [84, 90, 96, 100]
        report = import_labels(
            session, None, "claimbuster", CB_NAME, CLAIMBUSTER, dataset="claimbuster",
            annotator="clef2019",
        )  # fmt: skip
        assert report.added == 18
        verdicts = [value for _, value in _labels(session, CB_TITLE)]
        assert verdicts[:9] == ["cfs", "nfs", "cfs", "nfs", "cfs", "ufs", "nfs", "cfs", "nfs"]
        again = import_labels(
            session, None, "checkthat", CT_NAME, CHECKTHAT, dataset="checkthat",
            annotator="clef2019",
        )  # fmt: skip
        assert (again.added, again.unchanged) == (0, 33)
        assert [p for p in integrity.find_problems(session) if p.check == "counts"] == []


def _ct(line: int, cells: str) -> bytes:
    """The CheckThat! sample with its line `line` (from 1) replaced."""
    lines = CHECKTHAT.decode().split("\r\n")
    lines[line - 1] = cells
    return "\r\n".join(lines).encode()


def _cb(row: int, column: str, value: str) -> bytes:
    """The ClaimBuster sample with one cell of data row `row` (from 0) changed."""
    rows = list(csv.DictReader(io.StringIO(CLAIMBUSTER.decode())))
    rows[row][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


WITHOUT_ONE_REPEAT = "\r\n".join(
    line for n, line in enumerate(CHECKTHAT.decode().split("\r\n"), 1) if n != 19
).encode()
BAD_DATASET_FILES = [
    # (project, format, data, options, the message)
    ("default", "checkthat", CHECKTHAT, {},
     f"{CT_NAME}: project 'default' uses the scheme 'claims-v1' (factual, opinion, not_claim); "
     "CheckThat! labels need one with yes, no: create the project with --scheme "
     "annotator/schemes/checkthat.yaml"),
    ("checkthat", "checkthat", _ct(2, "69\tMARROW\tWe don’t have a barrier.\t2"), {},
     f"{CT_NAME}:2: label must be 1 (check-worthy) or 0, not '2'"),
    ("checkthat", "checkthat", _ct(3, "71\tMARROW\tSo we’re going"), {},
     f"{CT_NAME}:3: has 3 tab-separated cells; a CheckThat! line has 4"),
    ("checkthat", "checkthat", _ct(4, "x\tMARROW\tAnd we’re going to build it.\t0"), {},
     f"{CT_NAME}:4: line_number must be a whole number, not 'x'"),
    ("checkthat", "checkthat", _ct(5, "68\tMARROW\tWe’re repairing the pumps.\t0"), {},
     f"{CT_NAME}:5: line_number 68 repeats line 1"),
    ("checkthat", "checkthat", _ct(6, "74\tMARROW\tWe repair nothing at all.\t0"), {},
     f"{CT_NAME}:6: no sentence of the article titled '{CT_TITLE}' reads "
     "'We repair nothing at all.'"),
    ("checkthat", "checkthat", WITHOUT_ONE_REPEAT, {},
     f"{CT_NAME}:18: ambiguous: 2 sentences of the article titled '{CT_TITLE}' read "
     "'That’s not true.' (sentence_index 18, 19); the file has 1 line with this text for "
     "the article, so they cannot be paired in order"),
    ("checkthat", "checkthat", CHECKTHAT, {"article_title": "Nope"},
     f"{CT_NAME}:1: no article in this project is titled 'Nope'"),
    ("checkthat", "checkthat", CHECKTHAT, {"annotator": "nobody"},
     f"{CT_NAME}:1: no account named 'nobody'; create it first"),
    ("checkthat", "checkthat", b"line_number\tspeaker\ttext\tlabel\n" + CHECKTHAT, {},
     f"{CT_NAME}: is not a CheckThat! check-worthiness file: line 1 starts with 'line_number', "
     "not a line number (the files have no header)"),
    ("checkthat", "checkthat", CLAIMBUSTER, {},
     f"{CT_NAME}: is not a CheckThat! check-worthiness file: line 1 has 1 tab-separated "
     "cell and must have 4 (line_number, speaker, text, label, no header)"),
    ("claimbuster", "claimbuster", CHECKTHAT, {},
     f"{CB_NAME}: is not a ClaimBuster file: missing columns Text, Verdict, File_id"),
    ("claimbuster", "claimbuster", _cb(0, "Verdict", "2"), {},
     f"{CB_NAME}:2: Verdict must be -1 (NFS), 0 (UFS) or 1 (CFS), not '2'"),
    ("claimbuster", "claimbuster", _cb(1, "Line_number", "forty"), {},
     f"{CB_NAME}:3: Line_number must be a whole number, not 'forty'"),
    ("claimbuster", "claimbuster", _cb(2, "File_id", "1999-01-01"), {},
     f"{CB_NAME}:4: no article in this project is titled '1999-01-01'"),
    ("checkthat", "claimbuster", CLAIMBUSTER, {},
     f"{CB_NAME}: project 'checkthat' uses the scheme 'checkthat' (yes, no); ClaimBuster labels "
     "need one with nfs, ufs, cfs"),
]  # fmt: skip


def test_bad_dataset_files_name_the_line_and_store_nothing(
    datasets_url: str, session_for: SessionFor, row_counts: Callable[[str], dict[str, int]]
) -> None:
    before = row_counts(datasets_url)
    for project, dataset, data, options, message in BAD_DATASET_FILES:
        name = CB_NAME if dataset == "claimbuster" else CT_NAME
        kwargs = {"annotator": "clef2019", **options}
        with session_for(datasets_url) as session, pytest.raises(ImportRejected) as error:
            import_labels(session, None, project, name, data, dataset=dataset, **kwargs)
        assert message in str(error.value), (message, str(error.value))
        assert row_counts(datasets_url) == before


def _text_file(rows: list[dict[str, str]]) -> bytes:
    columns = list(dict.fromkeys(column for row in rows for column in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _row(sentence: str, **more: str) -> dict[str, str]:
    return {"article_title": "Repeats", "sentence": sentence, "annotator": "clef2019",
            "claim_type": "factual", **more}  # fmt: skip


def test_text_match_finds_sentences_by_text_and_sentence_index_keeping_time_stamps(
    datasets_url: str, session_for: SessionFor
) -> None:
    rows = [
        _row("  The budget rose by 4 per cent\nin 2014. "),  # whitespace read as one space
        _row("Prices fell.", claim_type="opinion", sentence_index="",
             labelled_at="2026-11-23T11:00:00+01:00", seconds_spent="2.5"),
        _row("Thank you.", claim_type="not_claim", sentence_index="3"),
    ]  # fmt: skip
    with session_for(datasets_url) as session:
        report = import_labels(session, None, "default", "l.csv", _text_file(rows), match="text")
        assert report.added == 3
        assert _labels(session, "Repeats") == [(2, "factual"), (3, "not_claim"), (4, "opinion")]
        exported = export_bytes(session, ExportRequest("default", "labels", "csv"), None)
    # the bulk path (COPY on PostgreSQL) keeps the file's time stamp, in UTC, and seconds
    prices = [r for r in csv.DictReader(io.StringIO(exported.decode())) if "fell" in r["sentence"]]
    assert [(r["sentence"], r["labelled_at"], r["seconds_spent"]) for r in prices] == [
        ("Prices   fell.", "2026-11-23T10:00:00.000Z", "2.500")
    ]


BAD_TEXT_ROWS = [
    (_row("Thank you."),
     "l.csv:2: ambiguous: 2 sentences of the article titled 'Repeats' read 'Thank you.' "
     "(sentence_index 1, 3); add a sentence_index column to say which"),
    (_row("Thank you.", sentence_index="2"),
     "l.csv:2: sentence_index 2 of the article titled 'Repeats' reads 'The budget rose by 4 "
     "per cent in 2014.', the file has 'Thank you.'"),
    (_row("Thank you.", sentence_index="99"),
     "l.csv:2: the article titled 'Repeats' has no sentence_index 99"),
    (_row("Nothing like it."),
     "l.csv:2: no sentence of the article titled 'Repeats' reads 'Nothing like it.'"),
    ({**_row("Prices fell."), "article_title": "Nope"},
     "l.csv:2: no article in this project is titled 'Nope'"),
    (_row("Repeats"), "l.csv:2: the sentence is title, not body text"),
    (_row("Repeats", sentence_index="0"), "l.csv:2: the sentence is title, not body text"),
    (_row("Prices fell.", claim_type="rumour"),
     "l.csv:2: claim_type 'rumour' is not one of factual, opinion, not_claim"),
    (_row("Prices fell.", sentence_index="two"),
     "l.csv:2: sentence_index must be a whole number, not 'two'"),
    (_row(" "), "l.csv:2: sentence is empty"),
    ({"article_title": "Repeats", "annotator": "clef2019", "claim_type": "factual"},
     "l.csv: missing column sentence; matching by text needs article_title, sentence, "
     "annotator and claim_type"),
    ({"article_title": "Repeats", "sentence": "Prices fell.", "annotator": "clef2019"},
     "l.csv: missing column claim_type"),
]  # fmt: skip


def test_bad_text_rows_name_the_line_in_line_order_and_store_nothing(
    datasets_url: str, session_for: SessionFor, row_counts: Callable[[str], dict[str, int]]
) -> None:
    before = row_counts(datasets_url)
    for row, message in BAD_TEXT_ROWS:
        with session_for(datasets_url) as session, pytest.raises(ImportRejected) as error:
            import_labels(session, None, "default", "l.csv", _text_file([row]), match="text")
        assert message in str(error.value), (message, str(error.value))
        assert row_counts(datasets_url) == before
    rows = [_row("Prices fell."), _row("Thank you."), _row("Nope."), _row("Thank you.")]
    with session_for(datasets_url) as session, pytest.raises(ImportRejected) as error:
        import_labels(session, None, "default", "l.csv", _text_file(rows), match="text")
    assert [line.split(": ")[0] for line in str(error.value).splitlines()] == [
        "l.csv:3", "l.csv:4", "l.csv:5",
    ]  # fmt: skip
    assert row_counts(datasets_url) == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"match": "fuzzy"}, "match must be one of offsets, text, not 'fuzzy'"),
        ({"dataset": "liar"}, "unknown dataset format 'liar'; known: checkthat, claimbuster"),
        ({"dataset": "checkthat"}, "CheckThat! files name no annotator"),
        ({"annotator": "clef2019"}, "an annotator or article title is given only with a dataset"),
    ],
)
def test_wrong_options_are_refused_before_reading(
    session: Session, options: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        import_labels(session, None, "default", "x.tsv", CHECKTHAT, **options)  # type: ignore[arg-type]


def test_quoted_checkthat_texts_are_read_both_ways() -> None:
    rows = read_checkthat(CT_NAME, CHECKTHAT, None).rows
    assert rows[26].texts == (
        '"I said, ""Tell me honestly: Since the barrier went up, has your street flooded?"""',
        'I said, "Tell me honestly: Since the barrier went up, has your street flooded?"',
    )
    assert rows[2].texts == ("But we don’t have a barrier on the east bank.",)
    training = b'817\tMARROW\t"Lindqvist"\t0\n818\tMARROW\ta "b" c\t0\n'
    unquoted = read_checkthat("t.tsv", training, None).rows
    assert [row.texts for row in unquoted] == [('"Lindqvist"', "Lindqvist"), ('a "b" c',)]
    assert unquoted[0].article_title == "t"


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def cli_datasets(tmp_path: Path, session_for: SessionFor) -> tuple[str, Path]:
    """A SQLite database as `datasets_url` has it, and the CheckThat! sample as a file."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    prepare_database(url, (("admin", "admin"), ("clef2019", "annotator")), seeds=None)
    ct_texts = [row.texts[-1] for row in read_checkthat(CT_NAME, CHECKTHAT, None).rows]
    with session_for(url) as session:
        scheme = load_scheme("checkthat.yaml", (SCHEMES / "checkthat.yaml").read_bytes())
        create_project(session, "debates", scheme=scheme)
        import_file(session, "debates", "d.txt", _article(CT_TITLE, ct_texts))
    path = tmp_path / CT_NAME
    path.write_bytes(CHECKTHAT)
    return url, path


CLI_USAGE_ERRORS = [
    (["--format", "checkthat"], "--format checkthat needs --annotator NAME"),
    (["--annotator", "clef2019"], "--annotator apply to --format checkthat or claimbuster"),
    (["--article-title", "T"], "--article-title apply to --format checkthat or claimbuster"),
    (["--format", "liar"], "'liar' is not one of 'labels', 'checkthat', 'claimbuster'"),
    (["--match", "fuzzy"], "'fuzzy' is not one of 'offsets', 'text'"),
    (["--format", "claimbuster", "--annotator", "a", "--match", "offsets"], "have no offsets"),
    (["--format", "checkthat", "--annotator", "a", "--article-title", " "], "is empty"),
]


def test_cli_wrong_import_label_options_are_usage_errors(
    cli_datasets: tuple[str, Path],
    run_cli: Callable[..., tuple[int, str, str]],
    row_counts: Callable[[str], dict[str, int]],
) -> None:
    url, path = cli_datasets
    before = row_counts(url)
    for options, message in CLI_USAGE_ERRORS:
        code, _, err = run_cli(url, "import-labels", str(path), "--project", "debates", *options)
        assert code == 2 and message in err, (options, err)
        assert row_counts(url) == before


def test_cli_imports_a_checkthat_file_quietly_when_piped(
    cli_datasets: tuple[str, Path], run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    url, path = cli_datasets
    code, out, err = run_cli(
        url, "import-labels", str(path), "--project", "debates", "--format", "checkthat",
        "--annotator", "clef2019",
    )  # fmt: skip
    assert code == 0 and err == ""
    assert f"imported {CT_NAME}: 33 labels added, 0 replaced, 0 unchanged" in out


def test_cli_import_labels_shows_a_progress_bar_on_a_terminal(
    cli_datasets: tuple[str, Path],
) -> None:
    url, path = cli_datasets
    leader, follower = pty.openpty()
    run = subprocess.run(
        [sys.executable, "-m", "annotator", "import-labels", str(path), "--project", "debates",
         "--format", "checkthat", "--annotator", "clef2019", "--db", url],
        cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE, stderr=follower,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    os.close(follower)
    screen = os.read(leader, 65536).decode()
    os.close(leader)
    assert run.returncode == 0, screen
    assert "importing labels" in screen and "100%" in screen


def test_a_bulk_insert_that_breaks_a_constraint_raises_sqlalchemys_integrity_error(
    datasets_url: str, session_for: SessionFor
) -> None:
    """On PostgreSQL 100 rows or more go in by COPY, whose driver error is raised as
    SQLAlchemy's (so the command line prints one line, not a traceback)."""
    with session_for(datasets_url) as session:
        with read_transaction(session):
            sentence = session.scalars(select(Sentence.id)).first()
        now = dt.datetime.now(dt.UTC)
        rows = [
            dict(label_id=sentence, changed_by=None, changed_at=now, old=None, new="{}")
            for _ in range(COPY_FROM_ROWS)
        ]
        with pytest.raises(IntegrityError, match="changed_by"), write_transaction(session):
            bulk_insert(session, cast(Table, LabelHistory.__table__), rows)

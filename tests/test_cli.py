"""The command line: exit codes, one-line errors, nothing stored from rejected input."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.columns import LABEL_COLUMNS
from annotator.services import accounts, labelling
from annotator.services.labelling import LabelInput
from db.models import Article
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
Run = Callable[..., tuple[int, str, str]]
Counts = Callable[[str], dict[str, int]]
SessionFor = Callable[[str], AbstractContextManager[Session]]


def test_init_creates_default_project_with_seeds_and_is_idempotent(
    db_url: str, run_cli: Run, row_counts: Counts
) -> None:
    assert run_cli(db_url, "init")[0] == 0
    first = row_counts(db_url)
    assert first["articles"] == 2 and first["sentences"] > 20
    assert run_cli(db_url, "init")[0] == 0
    assert row_counts(db_url) == first


def test_init_no_seeds_creates_an_empty_default_project(
    db_url: str, run_cli: Run, row_counts: Counts
) -> None:
    assert run_cli(db_url, "init", "--no-seeds")[0] == 0
    assert row_counts(db_url)["articles"] == 0 and row_counts(db_url)["projects"] == 1


def test_export_sentences_csv_shows_the_seed_sentences(cli_db: str, run_cli: Run) -> None:
    code, out, _ = run_cli(cli_db, "export", "--kind", "sentences", "--format", "csv")
    assert code == 0
    assert "ISLAMABAD: Russia has accepted Pakistan’s request" in out
    assert out.splitlines()[0].endswith(',"sentence","speaker","role"')


def test_import_reports_each_file_and_exits_1_when_one_is_rejected(
    cli_db: str, tmp_path: Path, run_cli: Run, row_counts: Counts
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A new title\n\nThe council met on Monday. It approved the budget.\n")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "x", "text": "fine text."}\n{oops\n')
    before = row_counts(cli_db)
    code, out, err = run_cli(cli_db, "import", str(good), str(bad))
    assert code == 1
    assert f"imported {good}: 1 article" in out
    assert str(bad) in err and ":2" in err and "Traceback" not in err
    after = row_counts(cli_db)
    assert after["articles"] == before["articles"] + 1


def test_import_of_a_duplicate_says_so_and_exits_0(cli_db: str, run_cli: Run) -> None:
    code, out, _ = run_cli(cli_db, "import", str(ROOT / "seeds" / "000_b44e9500121a4328.txt"))
    assert code == 0 and out.startswith("duplicate ")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin1.txt", "Caf\xe9 au lait\n\nText.".encode("latin-1"), "offset 3"),
        ("notext.csv", b"title,body\nA,B\n", "text"),
        ("notes.docx", b"PK\x03\x04", ".txt"),
    ],
)
def test_bad_files_are_rejected_with_file_and_reason_and_nothing_stored(
    cli_db: str,
    tmp_path: Path,
    name: str,
    data: bytes,
    expected: str,
    run_cli: Run,
    row_counts: Counts,
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    before = row_counts(cli_db)
    code, _, err = run_cli(cli_db, "import", str(path))
    assert code == 1
    assert name in err and expected in err
    assert "Traceback" not in err
    assert row_counts(cli_db) == before


def test_missing_import_path_is_rejected(cli_db: str, tmp_path: Path, run_cli: Run) -> None:
    code, _, err = run_cli(cli_db, "import", str(tmp_path / "nowhere.txt"))
    assert code == 1 and "nowhere.txt" in err


def _label_first_sentences(session: Session, count: int) -> None:
    user = accounts.create_user(session, "admin", "admin", PASSWORD)
    summary = labelling.article_list(session, user, "default")[0]
    for sentence in labelling.load_article(session, user, summary.id).body[:count]:
        labelling.save_label(session, user, sentence.id, LabelInput("opinion", note="a, b"), 1)


def test_export_to_file_matches_stdout_and_reads_with_pandas(
    cli_db: str,
    tmp_path: Path,
    run_cli: Run,
    session_for: SessionFor,
) -> None:
    with session_for(cli_db) as session:
        _label_first_sentences(session, 3)
    out_file = tmp_path / "labels.csv"
    assert run_cli(cli_db, "export", "--kind", "labels", "-o", str(out_file))[0] == 0
    _, stdout, _ = run_cli(cli_db, "export", "--kind", "labels")
    assert out_file.read_text(encoding="utf-8") == stdout
    frame = pd.read_csv(out_file)
    assert tuple(frame.columns) == tuple(LABEL_COLUMNS)
    assert frame["note"].tolist() == ["a, b"] * 3 and frame["annotator"].unique().tolist() == [
        "admin"
    ]


def test_export_into_a_missing_directory_fails_cleanly(
    cli_db: str, tmp_path: Path, run_cli: Run
) -> None:
    code, _, err = run_cli(
        cli_db, "export", "--kind", "labels", "-o", str(tmp_path / "no" / "x.csv")
    )
    assert code == 1 and "does not exist" in err


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--kind", "everything"),
        ("export", "--kind", "labels", "--format", "xlsx"),
        ("users", "add", "bob", "--role", "boss", "--password-stdin"),
        ("import",),
    ],
)
def test_usage_errors_exit_2(cli_db: str, args: tuple[str, ...], run_cli: Run) -> None:
    code, _, err = run_cli(cli_db, *args, input=PASSWORD + "\n")
    assert code == 2 and "Traceback" not in err


def test_export_of_an_unknown_project_exits_1(cli_db: str, run_cli: Run) -> None:
    code, _, err = run_cli(cli_db, "export", "--kind", "labels", "--project", "missing")
    assert code == 1 and "no project named 'missing'" in err


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--kind", "labels"),
        ("progress",),
        ("assign",),
        ("agreement",),
        ("import", str(ROOT / "tests" / "data" / "import" / "articles.csv")),
    ],
    ids=lambda args: args[0],
)
def test_a_mistyped_project_is_refused_naming_the_projects_there_are(
    cli_db: str, args: tuple[str, ...], run_cli: Run, row_counts: Counts
) -> None:
    assert run_cli(cli_db, "projects", "create", "team")[0] == 0
    before = row_counts(cli_db)
    code, out, err = run_cli(cli_db, *args, "--project", "defualt")
    assert (code, out) == (1, "")
    assert err == "Error: no project named 'defualt'; projects: default, team\n"
    assert row_counts(cli_db) == before


def test_with_many_projects_the_refusal_names_the_closest_few(cli_db: str, run_cli: Run) -> None:
    for name in ("alpha", "beta", "debates", "gamma", "kappa", "omega", "zeta"):
        assert run_cli(cli_db, "projects", "create", name)[0] == 0
    code, _, err = run_cli(cli_db, "progress", "--project", "debate")
    assert code == 1
    assert err == (
        "Error: no project named 'debate'; projects: debates, default, alpha, beta, gamma, "
        "... (8 in all)\n"
    )


def test_users_add_reads_the_password_from_stdin(
    cli_db: str, run_cli: Run, row_counts: Counts
) -> None:
    args = ("users", "add", "--password-stdin")
    code, out, _ = run_cli(cli_db, *args, "boss", "--role", "admin", input=PASSWORD + "\n")
    assert code == 0 and "created admin boss" in out
    code, out, _ = run_cli(cli_db, *args, "maria", "--role", "annotator", input=PASSWORD + "\n")
    assert code == 0 and "created annotator maria" in out
    assert row_counts(cli_db)["users"] == 2


def test_the_first_account_must_be_an_admin(cli_db: str, run_cli: Run, row_counts: Counts) -> None:
    args = ("users", "add", "maria", "--role", "annotator", "--password-stdin")
    code, _, err = run_cli(cli_db, *args, input=PASSWORD + "\n")
    assert code == 1 and "first account must be an admin" in err
    assert row_counts(cli_db)["users"] == 0


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("maria", "short", "at least 12"),
        ("../evil", PASSWORD, "not allowed"),
        ("", PASSWORD, "not allowed"),
    ],
)
def test_users_add_rejects_bad_values_and_stores_nothing(
    cli_db: str,
    name: str,
    password: str,
    message: str,
    run_cli: Run,
    row_counts: Counts,
) -> None:
    code, _, err = run_cli(
        cli_db, "users", "add", name, "--role", "admin", "--password-stdin", input=password + "\n"
    )
    assert code == 1 and message in err
    assert row_counts(cli_db)["users"] == 0


def test_users_add_refuses_a_taken_name(cli_db: str, run_cli: Run) -> None:
    args = ("users", "add", "maria", "--role", "admin", "--password-stdin")
    assert run_cli(cli_db, *args, input=PASSWORD + "\n")[0] == 0
    code, _, err = run_cli(cli_db, *args, input=PASSWORD + "\n")
    assert code == 1 and "already exists" in err


def test_the_module_entry_point_runs_and_errors_without_traceback(cli_db: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotator",
            "export",
            "--db",
            cli_db,
            "--kind",
            "labels",
            "--project",
            "x",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: no project named 'x'; projects: default"


def test_import_of_a_directory_is_rejected_without_traceback(
    cli_db: str, tmp_path: Path, run_cli: Run
) -> None:
    code, _, err = run_cli(cli_db, "import", str(tmp_path))
    assert code == 1 and "not a regular file" in err and "Traceback" not in err


@pytest.mark.parametrize("target", ["dir", "/proc/forbidden.csv"])
def test_export_to_an_unwritable_place_fails_cleanly(
    cli_db: str, tmp_path: Path, target: str, run_cli: Run
) -> None:
    output = tmp_path if target == "dir" else Path(target)
    code, _, err = run_cli(cli_db, "export", "--kind", "labels", "-o", str(output))
    assert code == 1 and "Traceback" not in err and err.startswith("Error: ")


@pytest.mark.parametrize("url", ["bogus://x", "notaurl"])
def test_a_malformed_database_url_is_a_usage_error(url: str, run_cli: Run) -> None:
    code, _, err = run_cli(url, "init")
    assert code == 2 and "not a database URL" in err and "Traceback" not in err


def test_an_unreachable_database_exits_1_with_one_line(run_cli: Run) -> None:
    code, _, err = run_cli("postgresql+psycopg://nobody@127.0.0.1:1/none", "init")
    assert code == 1 and err.startswith("Error: cannot use the database")
    assert "Traceback" not in err


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_refuses_to_write_over_the_live_database_or_its_sidecars(
    cli_db: str, suffix: str, run_cli: Run, session_for: SessionFor, row_counts: Counts
) -> None:
    with session_for(cli_db) as session:
        _label_first_sentences(session, 2)
    before = row_counts(cli_db)
    target = Path(cli_db.removeprefix("sqlite:///") + suffix)
    target.touch()  # the sidecars exist while the database is open
    code, _, err = run_cli(cli_db, "export", "--kind", "labels", "-o", str(target), "--force")
    assert code == 1 and "is the live database itself" in err and "Traceback" not in err
    assert row_counts(cli_db) == before


def test_export_refuses_an_existing_file_unless_forced(
    cli_db: str, tmp_path: Path, run_cli: Run, session_for: SessionFor
) -> None:
    with session_for(cli_db) as session:
        _label_first_sentences(session, 2)
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me", encoding="utf-8")
    code, _, err = run_cli(cli_db, "export", "--kind", "labels", "-o", str(existing))
    assert code == 1 and "already exists; add --force" in err and "notes.txt" in err
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert run_cli(cli_db, "export", "--kind", "labels", "-o", str(existing), "--force")[0] == 0
    assert existing.read_text(encoding="utf-8").startswith('"project","article_id",')


def test_import_reads_numeric_dates_in_the_order_given_and_warns_without_one(
    cli_db: str, tmp_path: Path, run_cli: Run, session_for: SessionFor
) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text("id,title,text,published\na,A,The council met.,10/02/2005\n")
    code, out, _ = run_cli(cli_db, "import", str(feed))
    assert code == 0
    assert f"warning {feed}:2: the published date '10/02/2005' could be day/month" in out
    assert "import with --dayfirst or --monthfirst" in out
    other = tmp_path / "other.csv"
    other.write_text("id,title,text,published\nb,B,The board met.,10/02/2005\n")
    code, out, _ = run_cli(cli_db, "import", str(other), "--monthfirst")
    assert code == 0 and "warning" not in out
    with session_for(cli_db) as session:
        rows = select(Article.external_id, Article.published).where(
            Article.external_id.is_not(None)
        )
        published = dict(session.execute(rows).all())
    assert published == {"a": None, "b": dt.date(2005, 10, 2)}


def test_import_dayfirst_and_monthfirst_together_is_a_usage_error(
    cli_db: str, tmp_path: Path, run_cli: Run, row_counts: Counts
) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text("title,text,published\nA,The council met.,10/02/2005\n")
    before = row_counts(cli_db)
    code, _, err = run_cli(cli_db, "import", str(feed), "--dayfirst", "--monthfirst")
    assert code == 2 and "--dayfirst and --monthfirst exclude each other" in err
    assert row_counts(cli_db) == before


def test_import_names_the_row_of_each_duplicate_and_counts_body_sentences(
    cli_db: str, tmp_path: Path, run_cli: Run
) -> None:
    first = tmp_path / "first.csv"
    first.write_text("id,title,text\na,A,The council met. It voted.\n")
    assert run_cli(cli_db, "import", str(first))[1].startswith(
        f"imported {first}: 1 article, 2 body sentences, 0 duplicates skipped"
    )
    second = tmp_path / "second.csv"
    second.write_text("id,title,text\nx,B,The board met.\na,C,Other.\n,B,The board met.\n")
    code, out, _ = run_cli(cli_db, "import", str(second))
    assert code == 0
    assert out.splitlines() == [
        f"imported {second}: 1 article, 1 body sentence, 2 duplicates skipped",
        f"skipped {second}:3: same id 'a' as an article already in the project",
        f"skipped {second}:4: same title and text as {second}:2",
    ]

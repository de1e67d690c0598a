"""Where the database is, and which commands may create it.

The default SQLite file does not depend on the working directory: the checkout's
`data/annotator.db` when running from a source checkout, the user's data folder for an
installed package (tests/test_package.py), or `ANNOTATOR_DATA_DIR`. Commands that only read
or change what is already there refuse a database that does not exist, or that `init` has not
set up, naming it; they create, migrate and seed nothing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from annotator.config import load_settings, user_data_dir
from db.engine import make_engine
from db.migrate import MIGRATIONS_DIR, downgrade
from tests.conftest import PASSWORD, PG_SERVER

ROOT = Path(__file__).resolve().parent.parent
Run = Callable[..., tuple[int, str, str]]
INIT = "python -m annotator init"
_SCRIPT = ScriptDirectory(str(MIGRATIONS_DIR))
HEAD = str(_SCRIPT.get_current_head())
PREVIOUS = str(_SCRIPT.get_revision(HEAD).down_revision)

# Every command that needs a database that is already there: they read it, or change rows
# (accounts, assignments, labels) that a brand-new database cannot hold yet.
NEEDS_A_DATABASE = {
    "export": ("export", "--kind", "labels"),
    "progress": ("progress", "--project", "default"),
    "agreement": ("agreement", "--project", "default"),
    "check": ("check",),
    "backup": ("backup", "{tmp}/copy.db"),
    "projects list": ("projects", "list"),
    "users list": ("users", "list"),
    "users disable": ("users", "disable", "maria"),
    "users enable": ("users", "enable", "maria"),
    "users reset-password": ("users", "reset-password", "maria", "--password-stdin"),
    "assign": ("assign", "--project", "default", "--annotators", "maria"),
    "assign-checks": ("assign-checks", "--project", "default"),
    "import-labels": ("import-labels", "{tmp}/labels.csv", "--project", "default"),
}
ON_POSTGRESQL = {name: args for name, args in NEEDS_A_DATABASE.items() if name != "backup"}


def _run(run_cli: Run, url: str, name: str, tmp_path: Path) -> tuple[int, str, str]:
    (tmp_path / "labels.csv").write_text("project,sentence_id\n", encoding="utf-8")
    args = [arg.format(tmp=tmp_path) for arg in NEEDS_A_DATABASE[name]]
    return run_cli(url, *args, input=PASSWORD + "\n")


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("name", list(NEEDS_A_DATABASE))
def test_commands_that_need_a_database_refuse_a_missing_sqlite_file_and_create_nothing(
    name: str, tmp_path: Path, run_cli: Run
) -> None:
    missing = tmp_path / "typo" / "annotator.db"
    code, out, err = _run(run_cli, f"sqlite:///{missing}", name, tmp_path)
    assert code == 1 and out == ""
    assert err.startswith(f"Error: {missing}: no such database file") and INIT in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not missing.parent.exists()
    assert _files(tmp_path) == ["labels.csv"]


def _empty_sqlite_file(path: Path) -> None:
    path.touch()


def _someone_elses_sqlite_file(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.commit()


@pytest.mark.parametrize("make", [_empty_sqlite_file, _someone_elses_sqlite_file])
@pytest.mark.parametrize("name", list(NEEDS_A_DATABASE))
def test_commands_that_need_a_database_refuse_a_sqlite_file_init_has_not_set_up(
    name: str, make: Callable[[Path], None], tmp_path: Path, run_cli: Run
) -> None:
    path = tmp_path / "other.db"
    make(path)
    before = path.read_bytes()
    code, _, err = _run(run_cli, f"sqlite:///{path}", name, tmp_path)
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"Error: {path}: not a Claim Annotator database yet")
    assert f"run `{INIT}` on it first" in err
    assert path.read_bytes() == before
    assert _files(tmp_path) == ["labels.csv", "other.db"]


@pytest.fixture
def empty_pg_database(pg_url: str) -> Iterator[str]:
    """The URL (with a password, which the server does not ask for) of a new PostgreSQL
    database with no tables in it, dropped afterwards."""
    name = f"annotator_empty_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"postgresql+psycopg://postgres:secret@127.0.0.1:5432/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("name", list(ON_POSTGRESQL))
def test_commands_that_need_a_database_name_a_postgresql_database_that_does_not_exist(
    name: str, empty_pg_database: str, tmp_path: Path, run_cli: Run
) -> None:
    url = empty_pg_database.rsplit("/", 1)[0] + "/annotator_no_such_database"
    code, _, err = _run(run_cli, url, name, tmp_path)
    shown = "postgresql+psycopg://postgres:***@127.0.0.1:5432/annotator_no_such_database"
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"Error: {shown}: cannot open the database: ")
    assert 'database "annotator_no_such_database" does not exist' in err
    assert "secret" not in err


@pytest.mark.postgres
@pytest.mark.parametrize("name", list(ON_POSTGRESQL))
def test_commands_that_need_a_database_refuse_an_empty_postgresql_database(
    name: str, empty_pg_database: str, tmp_path: Path, run_cli: Run
) -> None:
    code, _, err = _run(run_cli, empty_pg_database, name, tmp_path)
    assert code == 1 and err.count("\n") == 1
    assert "not a Claim Annotator database yet" in err and INIT in err
    assert "secret" not in err
    engine = create_engine(empty_pg_database)
    assert inspect(engine).get_table_names() == []
    engine.dispose()


def test_init_says_it_created_a_new_database_file(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "new" / "annotator.db"
    code, out, _ = run_cli(f"sqlite:///{path}", "init")
    assert code == 0
    assert out.splitlines() == [
        f"created the database {path} (migration {HEAD})",
        "created project default with 2 seed articles",
    ]


def test_init_says_an_existing_database_was_already_there_or_migrated(
    cli_db: str, run_cli: Run
) -> None:
    path = cli_db.removeprefix("sqlite:///")
    code, out, _ = run_cli(cli_db, "init")
    assert (code, out) == (0, f"the database {path} was already there and up to date "
                              f"(migration {HEAD})\n")  # fmt: skip
    engine = make_engine(cli_db)
    downgrade(engine, PREVIOUS)
    engine.dispose()
    code, out, _ = run_cli(cli_db, "init")
    assert (code, out) == (0, f"migrated the database {path} from migration {PREVIOUS} to {HEAD}\n")


def test_init_sets_up_an_empty_file_and_says_so(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    code, out, _ = run_cli(f"sqlite:///{path}", "init", "--no-seeds")
    assert code == 0
    assert out.splitlines() == [
        f"set up the database {path}: created its tables (migration {HEAD})",
        "created project default (empty, no seeds)",
    ]


@pytest.mark.parametrize(
    "args", [("init",), ("projects", "list"), ("check",), ("import", "{tmp}/labels.csv")]
)
def test_a_database_a_newer_version_set_up_is_refused_and_left_alone(
    args: tuple[str, ...], cli_db: str, tmp_path: Path, run_cli: Run
) -> None:
    path = Path(cli_db.removeprefix("sqlite:///"))
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
    before = path.read_bytes()
    (tmp_path / "labels.csv").write_text("title,text\nA title,Some text.\n", encoding="utf-8")
    code, _, err = run_cli(cli_db, *(arg.format(tmp=tmp_path) for arg in args))
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"Error: {path}: set up by a newer version of Claim Annotator ")
    assert f"(migration 9999; this version knows up to {HEAD})" in err
    assert path.read_bytes() == before


# -- the default location -------------------------------------------------------------------


def test_the_default_database_is_the_checkouts_data_folder_whatever_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings({}).database_url == f"sqlite:///{ROOT / 'data' / 'annotator.db'}"


def test_annotator_data_dir_moves_the_default_database(tmp_path: Path) -> None:
    environ = {"ANNOTATOR_DATA_DIR": str(tmp_path / "elsewhere")}
    expected = f"sqlite:///{tmp_path / 'elsewhere' / 'annotator.db'}"
    assert load_settings(environ).database_url == expected
    with_url = {**environ, "DATABASE_URL": "sqlite:///chosen.db"}
    assert load_settings(with_url).database_url == "sqlite:///chosen.db"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG folders are Linux's")
def test_the_user_data_folder_follows_xdg_data_home(tmp_path: Path) -> None:
    assert user_data_dir({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "claim-annotator"
    assert user_data_dir({}) == Path.home() / ".local" / "share" / "claim-annotator"
    assert user_data_dir({"XDG_DATA_HOME": "relative"}) == user_data_dir({})


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the checkout's code (what a clone has), so that its data/ folder is the
    test's own and the real one is never touched."""
    copy = tmp_path / "checkout"
    skip = shutil.ignore_patterns("__pycache__")
    for folder in ("annotator", "db", "seeds", ".streamlit"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=skip)
    for name in ("app.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, copy / name)
    return copy


def _python(args: list[str], cwd: Path, checkout: Path) -> subprocess.CompletedProcess[str]:
    """Run Python in `cwd` on the code of `checkout`, with no database settings."""
    cwd.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ANNOTATOR_DATA_DIR")}
    env |= {"PYTHONPATH": str(checkout), "HOME": str(cwd.parent / "home")}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_the_command_line_finds_the_checkouts_database_from_any_folder(
    checkout: Path, tmp_path: Path
) -> None:
    database = checkout / "data" / "annotator.db"
    init = _python(["-m", "annotator", "init"], checkout, checkout)
    assert init.returncode == 0, init.stderr
    assert init.stdout.startswith(f"created the database {database} ")
    created = _python(["-m", "annotator", "projects", "create", "team"], checkout, checkout)
    assert created.returncode == 0, created.stderr
    elsewhere = tmp_path / "elsewhere"
    listed = _python(["-m", "annotator", "projects", "list"], elsewhere, checkout)
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["default", "team"]
    assert _files(elsewhere) == []


def test_the_app_and_the_command_line_use_the_same_default_database(
    checkout: Path, tmp_path: Path
) -> None:
    run_app = (
        "from streamlit.testing.v1 import AppTest;"
        f"at = AppTest.from_file({str(checkout / 'app.py')!r}, default_timeout=60).run();"
        "assert not at.exception, at.exception"
    )
    started = _python(["-c", run_app], tmp_path / "one", checkout)
    assert started.returncode == 0, started.stderr
    assert (checkout / "data" / "annotator.db").is_file()
    listed = _python(["-m", "annotator", "projects", "list"], tmp_path / "two", checkout)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == "default\tclaims-v1\toverlap 1\t20 body sentences\tleads: none\n"
    assert _files(tmp_path / "one") == _files(tmp_path / "two") == []

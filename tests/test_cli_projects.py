"""`projects create` with a scheme file, an overlap and guidelines; `projects list` shows them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from annotator.services import accounts
from annotator.services.projects import get_project, project_scheme, shipped_schemes
from tests.conftest import PASSWORD

Run = Callable[..., tuple[int, str, str]]
Counts = Callable[[str], dict[str, int]]
SessionFor = Callable[[str], AbstractContextManager[Session]]
Stored = Callable[[str], tuple[str, int, str, str]]
SCHEMES_DIR = Path(__file__).resolve().parent.parent / "annotator" / "schemes"


@pytest.fixture
def stored(cli_db: str, session_for: SessionFor) -> Stored:
    """`stored(name)`: project `name`'s scheme, overlap, guidelines and scheme name as stored."""

    def read(name: str) -> tuple[str, int, str, str]:
        with session_for(cli_db) as session:
            info = get_project(session, name)
            scheme = project_scheme(session, name)
        return info.scheme, info.overlap, info.guidelines, scheme.name

    return read


def test_create_with_a_scheme_file_overlap_and_guidelines_stores_them(
    cli_db: str, tmp_path: Path, run_cli: Run, stored: Stored
) -> None:
    guidelines = tmp_path / "guide.txt"
    guidelines.write_text("Read the whole paragraph first.\n", encoding="utf-8")
    code, out, _ = run_cli(
        cli_db,
        "projects",
        "create",
        "debates",
        "--scheme",
        str(SCHEMES_DIR / "claimbuster.yaml"),
        "--overlap",
        "2",
        "--guidelines",
        str(guidelines),
    )
    assert code == 0
    assert out == "created project debates (scheme claimbuster, overlap 2)\n"
    assert stored("debates") == (
        "claimbuster",
        2,
        "Read the whole paragraph first.\n",
        "claimbuster",
    )
    code, out, _ = run_cli(cli_db, "projects", "list")
    assert "debates\tclaimbuster\toverlap 2\t0 body sentences\tleads: none" in out.splitlines()


def test_create_without_options_uses_claims_v1_and_overlap_1(
    cli_db: str, run_cli: Run, stored: Stored
) -> None:
    assert run_cli(cli_db, "projects", "create", "plain")[0] == 0
    assert stored("plain") == ("claims-v1", 1, "", "claims-v1")
    assert shipped_schemes()["claims-v1"].name == "claims-v1"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("name: x\nlabels:\n  - {value: a, label: A, key: c, definition: d}\n", "labels must"),
        (
            "name: x\nlabels:\n  - {value: a, label: A, key: c, definition: d}\n"
            "  - {value: b, label: B, key: '2', definition: d}\n",
            "labels[0].key 'c' is reserved by Streamlit",
        ),
        ("name: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_bad_scheme_file_exits_1_with_one_line_naming_it_and_stores_nothing(
    cli_db: str, tmp_path: Path, content: str, expected: str, run_cli: Run, row_counts: Counts
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    before = row_counts(cli_db)
    code, _, err = run_cli(cli_db, "projects", "create", "p", "--scheme", str(bad))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert str(bad) in err and expected in err and "Traceback" not in err
    assert row_counts(cli_db) == before


@pytest.mark.parametrize("option", ["--scheme", "--guidelines"])
def test_a_missing_file_exits_1_naming_it(
    cli_db: str, tmp_path: Path, option: str, run_cli: Run, row_counts: Counts
) -> None:
    missing = tmp_path / "missing.txt"
    before = row_counts(cli_db)
    code, _, err = run_cli(cli_db, "projects", "create", "p", option, str(missing))
    assert (code, err) == (1, f"Error: {missing}: no such file\n")
    assert row_counts(cli_db) == before


def test_guidelines_that_are_not_utf8_exit_1_naming_the_file(
    cli_db: str, tmp_path: Path, run_cli: Run
) -> None:
    guidelines = tmp_path / "guide.txt"
    guidelines.write_bytes(b"caf\xe9\n")
    code, _, err = run_cli(cli_db, "projects", "create", "p", "--guidelines", str(guidelines))
    assert (code, err) == (1, f"Error: {guidelines}: is not UTF-8 text\n")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("p", "--overlap", "0"), "overlap 0 must be a whole number from 1 to 20"),
        (("default",), "a project named 'default' already exists"),
    ],
)
def test_bad_values_exit_1_and_store_nothing(
    cli_db: str, args: tuple[str, ...], expected: str, run_cli: Run, row_counts: Counts
) -> None:
    before = row_counts(cli_db)
    code, _, err = run_cli(cli_db, "projects", "create", *args)
    assert code == 1 and expected in err
    assert row_counts(cli_db) == before


@pytest.fixture
def team_db(cli_db: str, session_for: SessionFor, run_cli: Run) -> str:
    """`cli_db` with accounts admin, leads lena and gone (disabled), annotator ann, and the
    project `team`, which no one leads yet."""
    with session_for(cli_db) as session:
        for name, role in (("admin", "admin"), ("lena", "lead"), ("gone", "lead")):
            accounts.create_user(session, name, role, PASSWORD)
        accounts.create_user(session, "ann", "annotator", PASSWORD)
        accounts.set_active(session, None, "gone", False)
    assert run_cli(cli_db, "projects", "create", "team")[0] == 0
    return cli_db


def test_add_lead_and_remove_lead_change_who_leads_a_project(team_db: str, run_cli: Run) -> None:
    def leads() -> str:
        listed = run_cli(team_db, "projects", "list")[1].splitlines()
        return next(line for line in listed if line.startswith("team\t")).split("\t")[-1]

    assert leads() == "leads: none"
    assert run_cli(team_db, "projects", "add-lead", "team", "lena") == (
        0, "lena now leads team\n", ""
    )  # fmt: skip
    assert leads() == "leads: lena"
    code, out, _ = run_cli(team_db, "projects", "add-lead", "team", "lena")
    assert (code, out) == (0, "lena already leads team: nothing changed\n")
    assert run_cli(team_db, "projects", "remove-lead", "team", "lena")[1] == (
        "lena no longer leads team\n"
    )
    assert leads() == "leads: none"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("add-lead", "team", "lenna"), "no user named 'lenna'; lead accounts: lena"),
        (("add-lead", "taem", "lena"), "no project named 'taem'; projects: team, default"),
        (("add-lead", "team", "ann"), "'ann' is an annotator account: only lead accounts"),
        (("add-lead", "team", "admin"), "'admin' is an admin, and admins lead every project"),
        (("add-lead", "team", "gone"), "'gone' is disabled: enable the account first"),
        (("remove-lead", "team", "lena "), "no user named 'lena '; leads of 'team': none"),
        (("remove-lead", "team", "admin"), "'admin' is an admin: admins lead every project"),
    ],
)
def test_a_wrong_lead_or_project_exits_1_with_one_line_and_changes_nothing(
    team_db: str, args: tuple[str, ...], expected: str, run_cli: Run, row_counts: Counts
) -> None:
    before = row_counts(team_db)
    code, out, err = run_cli(team_db, "projects", *args)
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: {expected}") and err.count("\n") == 1
    assert row_counts(team_db) == before

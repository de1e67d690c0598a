"""The `users` commands: list, disable, enable, reset-password; exit codes and stdin passwords."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from sqlalchemy.orm import Session

from annotator.services import accounts
from tests.conftest import PASSWORD

NEW_PASSWORD = "a different long passphrase"
Run = Callable[..., tuple[int, str, str]]
Counts = Callable[[str], dict[str, int]]
SessionFor = Callable[[str], AbstractContextManager[Session]]


@pytest.fixture
def db(db_url: str, run_cli: Run) -> str:
    """An initialised database with the admin `boss` and the annotator `maria`."""
    assert run_cli(db_url, "init", "--no-seeds")[0] == 0
    for name, role in (("boss", "admin"), ("maria", "annotator")):
        args = ("users", "add", name, "--role", role, "--password-stdin")
        assert run_cli(db_url, *args, input=PASSWORD + "\n")[0] == 0
    return db_url


@pytest.fixture
def log_in(db: str, session_for: SessionFor) -> Callable[[str, str], str]:
    """`log_in(name, password)` on `db`, in a session of its own: 'ok', or the refusal's
    message."""

    def attempt(name: str, password: str) -> str:
        with session_for(db) as session:
            try:
                accounts.authenticate(session, name, password)
            except accounts.AuthenticationFailed as error:
                return error.message
        return "ok"

    return attempt


def test_users_list_shows_name_role_state_and_lock(
    db: str, run_cli: Run, log_in: Callable[[str, str], str]
) -> None:
    for _ in range(5):
        assert log_in("maria", "not the password") == "wrong user name or password"
    code, out, _ = run_cli(db, "users", "list")
    assert code == 0
    boss, maria = out.splitlines()
    assert boss == "boss\tadmin\tactive\tnot locked\tno e-mail"
    name, role, state, locked, _ = maria.split("\t")
    assert (name, role, state) == ("maria", "annotator", "active")
    until = dt.datetime.strptime(locked, "locked until %Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert dt.timedelta(0) < until - dt.datetime.now(dt.UTC) <= dt.timedelta(seconds=30)


def test_users_disable_then_enable(
    db: str, run_cli: Run, log_in: Callable[[str, str], str]
) -> None:
    code, out, _ = run_cli(db, "users", "disable", "maria")
    assert code == 0 and out == "disabled maria\n"
    assert "maria\tannotator\tdisabled" in run_cli(db, "users", "list")[1]
    assert "disabled" in log_in("maria", PASSWORD)
    code, out, _ = run_cli(db, "users", "enable", "maria")
    assert code == 0 and out == "enabled maria\n"
    assert log_in("maria", PASSWORD) == "ok"


def test_users_disable_refuses_the_last_admin_with_one_line(
    db: str, run_cli: Run, log_in: Callable[[str, str], str]
) -> None:
    code, _, err = run_cli(db, "users", "disable", "boss")
    assert code == 1
    assert err == "Error: 'boss' is the last active admin and cannot be disabled\n"
    assert log_in("boss", PASSWORD) == "ok"


@pytest.mark.parametrize("command", ["disable", "enable", "reset-password"])
def test_users_commands_on_an_unknown_name_exit_1(db: str, command: str, run_cli: Run) -> None:
    stdin = ("--password-stdin",) if command == "reset-password" else ()
    code, _, err = run_cli(db, "users", command, "nobody", *stdin, input=NEW_PASSWORD + "\n")
    assert code == 1 and err == "Error: no user named 'nobody'\n"


def test_users_reset_password_reads_stdin_and_clears_the_lock(
    db: str, run_cli: Run, log_in: Callable[[str, str], str]
) -> None:
    for _ in range(5):
        log_in("maria", "not the password")
    assert "try again" in log_in("maria", PASSWORD)
    args = ("users", "reset-password", "maria", "--password-stdin")
    code, out, _ = run_cli(db, *args, input=NEW_PASSWORD + "\n")
    assert code == 0 and out == "new password set for maria\n"
    assert log_in("maria", NEW_PASSWORD) == "ok"
    assert log_in("maria", PASSWORD) == "wrong user name or password"


def test_users_reset_password_prompts_twice_without_stdin(
    db: str, run_cli: Run, log_in: Callable[[str, str], str]
) -> None:
    code, _, _ = run_cli(db, "users", "reset-password", "maria", input=f"{NEW_PASSWORD}\n" * 2)
    assert code == 0
    assert log_in("maria", NEW_PASSWORD) == "ok"


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("maria", "short", "at least 12"),
        ("maria", " " * 12, "at least 12"),
        ("maria", "\t    eleven char   \t", "at least 12"),
        ("maria", "qwerty123456", "common passwords"),
        ("maria.annotator", "Maria.Annotator", "must not be the user name"),
    ],
)
def test_users_reset_password_refuses_a_weak_password_and_keeps_the_old_one(
    db: str,
    name: str,
    password: str,
    message: str,
    run_cli: Run,
    row_counts: Counts,
    log_in: Callable[[str, str], str],
) -> None:
    add = ("users", "add", name, "--role", "lead", "--password-stdin")
    assert name == "maria" or run_cli(db, *add, input=PASSWORD + "\n")[0] == 0
    before = row_counts(db)
    args = ("users", "reset-password", name, "--password-stdin")
    code, _, err = run_cli(db, *args, input=password + "\n")
    assert code == 1 and message in err and len(err.splitlines()) == 1
    assert row_counts(db) == before
    assert log_in(name, PASSWORD) == "ok"


def test_users_add_refuses_a_common_password_and_stores_nothing(
    db: str, run_cli: Run, row_counts: Counts
) -> None:
    args = ("users", "add", "newcomer", "--role", "lead", "--password-stdin")
    code, _, err = run_cli(db, *args, input="1q2w3e4r5t6y\n")
    assert code == 1 and "common passwords" in err
    assert row_counts(db)["users"] == 2


@pytest.mark.parametrize(
    "args",
    [
        ("users", "disable"),
        ("users", "enable"),
        ("users", "reset-password"),
        ("users", "list", "x"),
    ],
)
def test_users_commands_with_missing_or_extra_arguments_exit_2(
    db: str, args: tuple[str, ...], run_cli: Run
) -> None:
    assert run_cli(db, *args)[0] == 2


def test_no_users_command_takes_a_password_as_an_argument() -> None:
    from annotator.cli import users

    for command in users.commands.values():
        names = {n for p in command.params for n in p.opts}
        assert not names & {"--password", "-p"}, command.name


def test_users_set_email_approves_an_address_lists_it_and_clear_removes_it(
    db: str, run_cli: Run
) -> None:
    assert run_cli(db, "users", "set-email", "maria", " Maria@Example.org ")[:2] == (
        0,
        "maria signs in with maria@example.org\n",
    )
    listed = run_cli(db, "users", "list")[1].splitlines()
    assert listed[1].split("\t")[-1] == "maria@example.org"
    assert run_cli(db, "users", "set-email", "maria", "--clear")[:2] == (0, "maria has no e-mail\n")
    assert run_cli(db, "users", "list")[1].splitlines()[1].endswith("\tno e-mail")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("set-email", "maria", "maria at example.org"), "is not an e-mail address"),
        (("set-email", "maria"), "give either EMAIL or --clear"),
        (("add", "eve", "--role", "annotator", "--no-password"), "--no-password needs --email"),
        (("add", "eve", "--role", "annotator", "--email", "bad@", "--no-password"), "bad@"),
    ],
)
def test_users_commands_refuse_a_bad_email_and_change_nothing(
    db: str, run_cli: Run, args: tuple[str, ...], says: str
) -> None:
    before = run_cli(db, "users", "list")[1]
    code, _, err = run_cli(db, "users", *args)
    assert code != 0 and says in err
    assert run_cli(db, "users", "list")[1] == before


def test_users_add_with_an_email_and_no_password_makes_an_organisation_only_account(
    db: str, run_cli: Run, log_in: Callable[[str, str], str]
) -> None:
    code, out, _ = run_cli(
        db, "users", "add", "eve", "--role", "lead", "--email", "Eve@Example.org", "--no-password"
    )
    assert (code, out) == (0, "created lead eve\n")
    assert "eve\tlead\tactive\tnot locked\teve@example.org" in run_cli(db, "users", "list")[1]
    assert log_in("eve", "") == "wrong user name or password"

"""Accounts: password policy, login slowdown, and what admins (and only admins) may do."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from annotator.errors import AuthenticationFailed, InvalidInput, NotFound, PermissionDenied
from annotator.services import accounts
from annotator.services.records import UserInfo
from db.engine import session_factory
from db.models import User
from tests.conftest import PASSWORD, table_counts

T0 = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
NEW_PASSWORD = "a different long passphrase"


def _fail(session: Session, name: str, times: int, now: dt.datetime = T0) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationFailed, match="wrong user name or password"):
            accounts.authenticate(session, name, "not the password", now=now)


def _lock_state(session: Session, name: str) -> tuple[int, dt.datetime | None]:
    """The stored failure count and lock end, read without leaving a transaction open."""
    with session.begin():
        user = session.scalar(
            select(User).where(User.name == name).execution_options(populate_existing=True)
        )
        assert user is not None
        return user.failed_logins, user.locked_until


def test_five_failed_logins_lock_the_account_even_for_the_right_password(
    session: Session, annotator_user: UserInfo
) -> None:
    _fail(session, "ann", 5)
    with pytest.raises(
        AuthenticationFailed, match=r"try again in 20 seconds \(after 12:00:30 UTC\)"
    ):
        accounts.authenticate(session, "ann", PASSWORD, now=T0 + dt.timedelta(seconds=10))


def test_four_failed_logins_do_not_lock_the_account(
    session: Session, annotator_user: UserInfo
) -> None:
    _fail(session, "ann", 4)
    assert accounts.authenticate(session, "ann", PASSWORD, now=T0).name == "ann"


def test_the_lock_ends_after_its_time_and_a_success_resets_the_count(
    session: Session, annotator_user: UserInfo
) -> None:
    _fail(session, "ann", 5)
    later = T0 + dt.timedelta(seconds=31)
    assert accounts.authenticate(session, "ann", PASSWORD, now=later).name == "ann"
    assert _lock_state(session, "ann") == (0, None)
    _fail(session, "ann", 4, now=later)
    assert accounts.authenticate(session, "ann", PASSWORD, now=later).name == "ann"


def test_each_failure_after_a_lock_doubles_it_up_to_fifteen_minutes() -> None:
    durations = [accounts.lock_duration(n) for n in range(1, 12)]
    assert durations[:4] == [None] * 4
    assert [d.total_seconds() for d in durations[4:] if d] == [30, 60, 120, 240, 480, 900, 900]
    assert accounts.lock_duration(10_000) == dt.timedelta(minutes=15)


def test_a_failure_after_the_lock_ends_locks_again_for_longer(
    session: Session, annotator_user: UserInfo
) -> None:
    _fail(session, "ann", 5)
    later = T0 + dt.timedelta(seconds=31)
    _fail(session, "ann", 1, now=later)
    assert _lock_state(session, "ann") == (6, later + dt.timedelta(seconds=60))
    with pytest.raises(AuthenticationFailed, match="try again in 60 seconds"):
        accounts.authenticate(session, "ann", PASSWORD, now=later)


def test_attempts_during_a_lock_do_not_extend_it(
    session: Session, annotator_user: UserInfo
) -> None:
    _fail(session, "ann", 5)
    for _ in range(3):
        with pytest.raises(AuthenticationFailed, match="try again"):
            accounts.authenticate(session, "ann", "not the password", now=T0)
    assert _lock_state(session, "ann") == (5, T0 + dt.timedelta(seconds=30))


def test_an_unknown_name_gets_the_same_message_as_a_wrong_password(
    session: Session, annotator_user: UserInfo
) -> None:
    with pytest.raises(AuthenticationFailed) as unknown:
        accounts.authenticate(session, "nobody", PASSWORD, now=T0)
    with pytest.raises(AuthenticationFailed) as wrong:
        accounts.authenticate(session, "ann", "not the password", now=T0)
    assert unknown.value.message == wrong.value.message == "wrong user name or password"


def test_an_unknown_name_still_costs_a_password_hash(
    session: Session, annotator_user: UserInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real = accounts._password_matches
    monkeypatch.setattr(accounts, "_password_matches", lambda h, p: checked.append(p) or real(h, p))
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(session, "nobody", "some password", now=T0)
    assert checked == ["some password"]


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short", "at least 12 characters"),
        ("qwerty123456", "common passwords"),
        ("1Q2W3E4R5T6Y", "common passwords"),
        ("The.Annotator", "must not be the user name"),
    ],
)
def test_weak_passwords_are_refused_everywhere_and_nothing_is_stored(
    session: Session, engine: Engine, admin_user: UserInfo, password: str, why: str
) -> None:
    user = accounts.create_user(session, "the.annotator", "annotator", PASSWORD)
    before = table_counts(engine)
    with pytest.raises(InvalidInput, match=why):
        accounts.create_user(session, "the.annotator", "annotator", password)
    with pytest.raises(InvalidInput, match=why):
        accounts.reset_password(session, admin_user, "the.annotator", password)
    with pytest.raises(InvalidInput, match=why):
        accounts.change_own_password(session, user, PASSWORD, password)
    assert table_counts(engine) == before
    assert accounts.authenticate(session, "the.annotator", PASSWORD).name == "the.annotator"


def test_the_first_admin_gets_the_same_password_policy(session: Session, engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="common passwords"):
        accounts.create_first_admin(session, "admin", "1q2w3e4r5t6y")
    with pytest.raises(InvalidInput, match="must not be the user name"):
        accounts.create_first_admin(session, "administrator", "Administrator")
    assert not accounts.has_users(session)


def test_the_common_password_list_is_shipped_and_the_test_password_is_not_on_it() -> None:
    common = accounts._common_passwords()
    assert len(common) > 10_000 and "password" in common
    assert PASSWORD not in common


def test_an_admin_lists_disables_and_enables_users(
    session: Session, admin_user: UserInfo, annotator_user: UserInfo
) -> None:
    listed = accounts.list_users(session, admin_user)
    assert [(u.name, u.role, u.active) for u in listed] == [
        ("admin", "admin", True),
        ("ann", "annotator", True),
    ]
    assert not accounts.set_active(session, admin_user, "ann", False).active
    with pytest.raises(AuthenticationFailed, match="disabled"):
        accounts.authenticate(session, "ann", PASSWORD)
    assert accounts.set_active(session, admin_user, "ann", True).active
    assert accounts.authenticate(session, "ann", PASSWORD).name == "ann"


def test_the_list_shows_a_lock_only_while_it_holds(
    session: Session, admin_user: UserInfo, annotator_user: UserInfo
) -> None:
    _fail(session, "ann", 5)
    locked = {u.name: u.locked_until for u in accounts.list_users(session, None, now=T0)}
    assert locked == {"admin": None, "ann": T0 + dt.timedelta(seconds=30)}
    later = T0 + dt.timedelta(minutes=1)
    assert all(u.locked_until is None for u in accounts.list_users(session, None, now=later))


def test_an_admin_resets_a_password_and_the_lock_is_cleared(
    session: Session, admin_user: UserInfo, annotator_user: UserInfo
) -> None:
    _fail(session, "ann", 5)
    accounts.reset_password(session, admin_user, "ann", NEW_PASSWORD)
    assert accounts.authenticate(session, "ann", NEW_PASSWORD, now=T0).name == "ann"
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(session, "ann", PASSWORD, now=T0)


def test_enabling_an_account_clears_its_lock(
    session: Session, admin_user: UserInfo, annotator_user: UserInfo
) -> None:
    _fail(session, "ann", 5)
    accounts.set_active(session, admin_user, "ann", False)
    accounts.set_active(session, admin_user, "ann", True)
    assert accounts.authenticate(session, "ann", PASSWORD, now=T0).name == "ann"


@pytest.mark.parametrize("role", ["annotator", "lead"])
def test_only_an_admin_manages_accounts(
    session: Session, engine: Engine, admin_user: UserInfo, role: str
) -> None:
    actor = accounts.create_user(session, "someone", role, PASSWORD)
    before = table_counts(engine)
    with pytest.raises(PermissionDenied):
        accounts.list_users(session, actor)
    with pytest.raises(PermissionDenied):
        accounts.set_active(session, actor, "admin", False)
    with pytest.raises(PermissionDenied):
        accounts.set_active(session, actor, "someone", True)
    with pytest.raises(PermissionDenied):
        accounts.reset_password(session, actor, "admin", NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        accounts.create_user(session, "other", "admin", PASSWORD, actor=actor)
    assert table_counts(engine) == before
    assert accounts.authenticate(session, "admin", PASSWORD).active


def test_a_disabled_admin_can_no_longer_manage_accounts(
    session: Session, admin_user: UserInfo
) -> None:
    second = accounts.create_user(session, "boss", "admin", PASSWORD, actor=admin_user)
    accounts.set_active(session, admin_user, "boss", False)
    with pytest.raises(PermissionDenied):
        accounts.set_active(session, second, "admin", False)


def test_an_admin_cannot_disable_themself(session: Session, admin_user: UserInfo) -> None:
    accounts.create_user(session, "boss", "admin", PASSWORD)
    with pytest.raises(InvalidInput, match="your own account"):
        accounts.set_active(session, admin_user, "admin", False)
    assert accounts.authenticate(session, "admin", PASSWORD).active


def test_the_last_active_admin_cannot_be_disabled(
    session: Session, admin_user: UserInfo, annotator_user: UserInfo
) -> None:
    with pytest.raises(InvalidInput, match="last active admin"):
        accounts.set_active(session, None, "admin", False)
    boss = accounts.create_user(session, "boss", "admin", PASSWORD)
    accounts.set_active(session, boss, "admin", False)
    with pytest.raises(InvalidInput, match="last active admin"):
        accounts.set_active(session, None, "boss", False)


def test_managing_an_unknown_user_is_not_found(session: Session, admin_user: UserInfo) -> None:
    with pytest.raises(NotFound):
        accounts.set_active(session, admin_user, "nobody", False)
    with pytest.raises(NotFound):
        accounts.reset_password(session, admin_user, "nobody", NEW_PASSWORD)


def test_a_user_changes_their_own_password(session: Session, annotator_user: UserInfo) -> None:
    accounts.change_own_password(session, annotator_user, PASSWORD, NEW_PASSWORD)
    assert accounts.authenticate(session, "ann", NEW_PASSWORD).name == "ann"
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(session, "ann", PASSWORD)


def test_changing_the_password_needs_the_current_one(
    session: Session, engine: Engine, annotator_user: UserInfo
) -> None:
    before = table_counts(engine)
    with pytest.raises(AuthenticationFailed, match="current password is wrong"):
        accounts.change_own_password(session, annotator_user, "not the password", NEW_PASSWORD)
    assert _lock_state(session, "ann") == (1, None)
    assert accounts.authenticate(session, "ann", PASSWORD).name == "ann"
    assert table_counts(engine) == before


def test_a_disabled_user_cannot_change_their_password(
    session: Session, admin_user: UserInfo, annotator_user: UserInfo
) -> None:
    accounts.set_active(session, admin_user, "ann", False)
    with pytest.raises(PermissionDenied):
        accounts.change_own_password(session, annotator_user, PASSWORD, NEW_PASSWORD)


def _fail_concurrently(engine: Engine, times: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """Fail `times` logins for `ann` at once, each in its own session; the stored count.

    Counting waits a moment between reading and writing the row, so that unserialised
    writers would overwrite each other's count.
    """
    real = accounts.lock_duration
    monkeypatch.setattr(accounts, "lock_duration", lambda n: time.sleep(0.2) or real(n))

    def attempt(_: int) -> None:
        with session_factory(engine)() as own, pytest.raises(AuthenticationFailed):
            accounts.authenticate(own, "ann", "not the password", now=T0)

    with ThreadPoolExecutor(max_workers=times) as pool:
        list(pool.map(attempt, range(times)))
    with session_factory(engine)() as session:
        return _lock_state(session, "ann")[0]


def test_concurrent_failed_logins_are_all_counted(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts.create_user(session, "admin", "admin", PASSWORD)
    accounts.create_user(session, "ann", "annotator", PASSWORD)
    assert _fail_concurrently(engine, 4, monkeypatch) == 4


@pytest.mark.postgres
def test_concurrent_failed_logins_are_all_counted_on_postgres(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_factory(pg_engine)() as session:
        accounts.create_user(session, "admin", "admin", PASSWORD)
        accounts.create_user(session, "ann", "annotator", PASSWORD)
    assert _fail_concurrently(pg_engine, 4, monkeypatch) == 4


def test_outside_the_tests_passwords_are_hashed_with_argon2id_at_its_default_cost() -> None:
    code = "from annotator.services import accounts; print(accounts._HASHER.hash('x' * 12))"
    hashed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert accounts._HASHER.verify(hashed.strip(), "x" * 12)  # tests' hasher checks it too

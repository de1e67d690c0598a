"""What tests/test_accounts.py leaves out of the login lock: it is per account, a password
change counts towards it and is refused while it holds, and name variants do not get round it.
"""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.errors import AuthenticationFailed
from annotator.services import accounts
from annotator.services.records import UserInfo
from db.engine import session_factory
from db.models import User
from tests.conftest import PASSWORD

T0 = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
LOCKED = "too many failed logins"
NEW_PASSWORD = "a different long passphrase"


def _fail(session: Session, name: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationFailed, match="wrong user name or password"):
            accounts.authenticate(session, name, "not the password", now=T0)


def test_a_lock_holds_only_the_account_that_failed(
    session: Session, annotator_user: UserInfo
) -> None:
    accounts.create_user(session, "bob", "annotator", PASSWORD)
    _fail(session, "ann", 5)
    assert accounts.authenticate(session, "bob", PASSWORD, now=T0).name == "bob"
    with pytest.raises(AuthenticationFailed, match=LOCKED):
        accounts.authenticate(session, "ann", PASSWORD, now=T0)


def test_wrong_current_passwords_in_a_password_change_lock_the_login(
    session: Session, annotator_user: UserInfo
) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationFailed, match="current password is wrong"):
            accounts.change_own_password(session, annotator_user, "wrong!", NEW_PASSWORD, now=T0)
    with pytest.raises(AuthenticationFailed, match=LOCKED):
        accounts.authenticate(session, "ann", PASSWORD, now=T0)


def test_a_locked_account_cannot_change_its_password_even_with_the_right_one(
    session: Session, annotator_user: UserInfo
) -> None:
    _fail(session, "ann", 5)
    with pytest.raises(AuthenticationFailed, match=LOCKED):
        accounts.change_own_password(session, annotator_user, PASSWORD, NEW_PASSWORD, now=T0)
    later = T0 + dt.timedelta(minutes=1)
    assert accounts.authenticate(session, "ann", PASSWORD, now=later).name == "ann"


@pytest.mark.parametrize("variant", ["ANN", "Ann", "ann ", " ann", "ann\n", "ann\x00", "an%"])
def test_name_variants_neither_get_round_a_lock_nor_add_to_it(
    session: Session, annotator_user: UserInfo, variant: str
) -> None:
    _fail(session, "ann", 5)
    with pytest.raises(AuthenticationFailed, match=r"^wrong user name or password$"):
        accounts.authenticate(session, variant, PASSWORD, now=T0)
    later = T0 + dt.timedelta(seconds=31)
    assert accounts.authenticate(session, "ann", PASSWORD, now=later).name == "ann"


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_parallel_guesses_get_five_real_checks_then_the_lock(
    request: pytest.FixtureRequest, database: str
) -> None:
    engine = request.getfixturevalue("engine" if database == "sqlite" else "pg_engine")
    factory = session_factory(engine)
    with factory() as session:
        accounts.create_user(session, "admin", "admin", PASSWORD)
        accounts.create_user(session, "ann", "annotator", PASSWORD)
    guesses = 12
    start = threading.Barrier(guesses)

    def guess(i: int) -> str:
        with factory() as session:
            start.wait()
            try:
                accounts.authenticate(session, "ann", f"guess number {i}", now=T0)
            except AuthenticationFailed as error:
                return "locked" if LOCKED in error.message else "wrong"
            return "in"

    with ThreadPoolExecutor(guesses) as pool:
        answers = sorted(pool.map(guess, range(guesses)))
    assert answers == ["locked"] * (guesses - 5) + ["wrong"] * 5
    with factory() as session:
        failed = session.scalar(select(User.failed_logins).where(User.name == "ann"))
    assert failed == 5

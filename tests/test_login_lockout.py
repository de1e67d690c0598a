"""What tests/test_accounts.py leaves out of the login lock: it is per account, a password
change counts towards it and is refused while it holds, and name variants do not get round it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from annotator.errors import AuthenticationFailed
from annotator.services import accounts
from annotator.services.records import UserInfo
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

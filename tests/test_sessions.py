"""Login sessions (SQLite and PostgreSQL): live from login until a logout in that browser, a
password change or reset, or the account being disabled; stored only as hashes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from annotator.errors import AuthenticationFailed
from annotator.services import accounts, sessions
from annotator.services.records import Login
from db.engine import session_factory
from db.models import LoginSession, User
from tests.conftest import PASSWORD

NEW_PASSWORD = "a different long passphrase"
LAPTOP, PHONE = "laptop's xsrf token", "phone's xsrf token"


@pytest.fixture
def db(any_engine: Engine) -> Iterator[Session]:
    """A session on a migrated database (each backend) with accounts `admin` and `ann`."""
    with session_factory(any_engine)() as session:
        accounts.create_user(session, "admin", "admin", PASSWORD)
        accounts.create_user(session, "ann", "annotator", PASSWORD)
        yield session


def _log_in(db: Session, name: str, browser: str, password: str = PASSWORD) -> Login:
    return accounts.log_in(db, name, password, browser)


def _live(db: Session, *logins: Login) -> list[bool]:
    return [sessions.session_user(db, login.token) is not None for login in logins]


def test_a_login_session_is_live_with_the_fresh_account_until_logout(db: Session) -> None:
    login = _log_in(db, "ann", LAPTOP)
    assert sessions.session_user(db, login.token) == login.user
    sessions.end_browser_sessions(db, login.token)
    assert sessions.session_user(db, login.token) is None
    assert sessions.session_user(db, "a token nobody was given") is None


def test_logout_ends_the_users_tabs_in_that_browser_only(db: Session) -> None:
    tab, other_tab = _log_in(db, "ann", LAPTOP), _log_in(db, "ann", LAPTOP)
    phone = _log_in(db, "ann", PHONE)
    admin_on_the_laptop = _log_in(db, "admin", LAPTOP)
    sessions.end_browser_sessions(db, tab.token)
    assert _live(db, tab, other_tab, phone, admin_on_the_laptop) == [False, False, True, True]


def test_a_password_reset_ends_every_session_of_the_account_and_no_other(db: Session) -> None:
    laptop, phone = _log_in(db, "ann", LAPTOP), _log_in(db, "ann", PHONE)
    admin = _log_in(db, "admin", LAPTOP)
    accounts.reset_password(db, admin.user, "ann", NEW_PASSWORD)
    assert _live(db, laptop, phone, admin) == [False, False, True]
    assert _live(db, _log_in(db, "ann", LAPTOP, NEW_PASSWORD)) == [True]


def test_changing_ones_own_password_ends_every_other_session_of_the_account(
    db: Session,
) -> None:
    here, other_tab = _log_in(db, "ann", LAPTOP), _log_in(db, "ann", LAPTOP)
    phone, admin = _log_in(db, "ann", PHONE), _log_in(db, "admin", PHONE)
    accounts.change_own_password(db, here.user, PASSWORD, NEW_PASSWORD, keep=here.token)
    assert _live(db, here, other_tab, phone, admin) == [True, False, False, True]


def test_a_disabled_users_session_is_not_live_and_stays_ended_when_enabled_again(
    db: Session,
) -> None:
    login = _log_in(db, "ann", LAPTOP)
    accounts.set_active(db, None, "ann", False)
    assert _live(db, login) == [False]
    accounts.set_active(db, None, "ann", True)
    assert _live(db, login) == [False]


def test_a_session_does_not_start_for_a_password_reset_after_it_was_checked(
    db: Session, any_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = accounts._authenticated

    def then_reset(session: Session, name: str, password: str, now: dt.datetime) -> User:
        user = checked(session, name, password, now)
        with session_factory(any_engine)() as admin:
            accounts.reset_password(admin, None, "ann", NEW_PASSWORD)
        return user

    monkeypatch.setattr(accounts, "_authenticated", then_reset)
    with pytest.raises(AuthenticationFailed, match="wrong user name or password"):
        _log_in(db, "ann", LAPTOP)
    with db.begin():
        assert db.scalars(select(LoginSession)).all() == []


def test_tokens_and_browsers_are_stored_only_as_hashes(db: Session) -> None:
    login = _log_in(db, "ann", LAPTOP)
    with db.begin():
        row = db.scalars(select(LoginSession)).one()
        stored = (row.token_hash, row.browser_key)
    assert login.token not in stored and LAPTOP not in stored
    assert all(len(value) == 64 for value in stored)
    assert login.token not in repr(login)


def test_a_password_reset_on_the_command_line_ends_the_accounts_sessions(
    db: Session, any_url: str, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    login = _log_in(db, "ann", LAPTOP)
    code, _, _ = run_cli(any_url, "users", "reset-password", "ann", "--password-stdin",
                         input=NEW_PASSWORD + "\n")  # fmt: skip
    assert code == 0
    assert _live(db, login) == [False]


def test_a_reload_resumes_the_browsers_live_session_keeping_its_sign_in_time(db: Session) -> None:
    signed_in = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    first = accounts.log_in(db, "ann", PASSWORD, LAPTOP, now=signed_in)
    resumed = sessions.resume_session(db, LAPTOP)
    assert resumed is not None and resumed.user == first.user and resumed.token != first.token
    assert sessions.resume_session(db, PHONE) is None  # another browser has nothing to resume
    rows = db.scalars(select(LoginSession.created_at).order_by(LoginSession.id)).all()
    assert rows == [signed_in, signed_in]  # a reload does not lengthen the session


def test_a_session_ends_when_it_outlives_the_lifetime_and_is_not_resumed(db: Session) -> None:
    now = dt.datetime.now(dt.UTC)
    login = accounts.log_in(db, "ann", PASSWORD, LAPTOP, now=now - dt.timedelta(hours=3))
    two, four = dt.timedelta(hours=2), dt.timedelta(hours=4)
    assert sessions.session_user(db, login.token, four, now) == login.user
    assert sessions.resume_session(db, LAPTOP, four, now) is not None
    assert sessions.session_user(db, login.token, two, now) is None
    assert sessions.resume_session(db, LAPTOP, two, now) is None
    assert sessions.session_user(db, login.token, now=now + dt.timedelta(hours=10)) is None


@pytest.mark.parametrize("ending", ["logout", "password reset", "disable"])
def test_logout_password_reset_or_disable_leaves_nothing_for_a_reload_to_resume(
    db: Session, ending: str
) -> None:
    login = _log_in(db, "ann", LAPTOP)
    assert sessions.resume_session(db, LAPTOP) is not None
    if ending == "logout":
        sessions.end_browser_sessions(db, login.token)
    elif ending == "password reset":
        accounts.reset_password(db, None, "ann", NEW_PASSWORD)
    else:
        accounts.set_active(db, None, "ann", False)
        accounts.set_active(db, None, "ann", True)
    assert sessions.resume_session(db, LAPTOP) is None

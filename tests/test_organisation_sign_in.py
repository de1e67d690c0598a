"""Sign-in through the organisation's provider (SQLite and PostgreSQL): the verified e-mail
claim, compared in lower case, signs in the account an admin gave that address, with its
role; anything else is refused with "ask your admin" and changes nothing; one sign-in at the
provider starts one session. E-mails are set on the command line and by admins only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from annotator.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from annotator.services import accounts, sessions
from db.engine import session_factory
from db.models import User
from tests.conftest import PASSWORD, table_counts

BROWSER = "a browser cookie's value"


@pytest.fixture
def db(any_engine: Engine) -> Iterator[Session]:
    """Accounts `admin`, `ann` (password only) and `ana` (e-mail ana@example.org only)."""
    with session_factory(any_engine)() as session:
        accounts.create_user(session, "admin", "admin", PASSWORD)
        accounts.create_user(session, "ann", "annotator", PASSWORD)
        accounts.create_user(session, "ana", "lead", None, email="ana@example.org")
        yield session


def _claims(email: object = "ana@example.org", verified: object = True, **more: Any) -> dict:
    return {"iss": "https://id.example.org", "sub": "x1", "iat": 1, "nonce": "n1",
            "email": email, "email_verified": verified, **more}  # fmt: skip


def test_the_verified_email_signs_in_its_account_whatever_its_case(db: Session) -> None:
    login = accounts.organisation_sign_in(db, _claims(" Ana@Example.ORG "), BROWSER)
    assert login is not None and (login.user.name, login.user.role) == ("ana", "lead")
    assert sessions.session_user(db, login.token) == login.user


def test_entras_domain_owner_verified_claim_counts_as_verified(db: Session) -> None:
    claims = _claims(verified=None, xms_edov=True)
    assert accounts.organisation_sign_in(db, claims, BROWSER) is not None


@pytest.mark.parametrize(
    ("claims", "says"),
    [
        (_claims(verified=False), "has not verified the e-mail address"),
        (_claims(verified="false"), "has not verified the e-mail address"),
        (_claims(verified=None), "has not verified the e-mail address"),
        (_claims(email=None), "gave no e-mail address"),
        (_claims(email=""), "gave no e-mail address"),
        (_claims(email="stranger@example.org"), "no account here signs in as"),
        (_claims(email="ann"), "no account here signs in as"),
    ],
)
def test_an_unverified_missing_or_unknown_email_is_refused_and_nothing_is_created(
    db: Session, any_engine: Engine, claims: dict, says: str
) -> None:
    before = table_counts(any_engine)
    with pytest.raises(AuthenticationFailed, match=says) as refused:
        accounts.organisation_sign_in(db, claims, BROWSER)
    assert "ask your admin" in str(refused.value)
    assert table_counts(any_engine) == before


def test_a_disabled_account_is_refused(db: Session, any_engine: Engine) -> None:
    accounts.set_active(db, None, "ana", False)
    with pytest.raises(AuthenticationFailed, match="'ana' is disabled; ask your admin"):
        accounts.organisation_sign_in(db, _claims(), BROWSER)
    assert table_counts(any_engine)["login_sessions"] == 0


def test_one_sign_in_at_the_provider_starts_one_session(db: Session) -> None:
    first = accounts.organisation_sign_in(db, _claims(), BROWSER)
    assert first is not None
    sessions.end_browser_sessions(db, first.token)
    assert accounts.organisation_sign_in(db, _claims(), BROWSER) is None  # the same ID token
    again = accounts.organisation_sign_in(db, _claims(nonce="n2", iat=2), BROWSER)
    assert again is not None and again.user == first.user


def test_an_account_without_a_password_cannot_log_in_with_one(db: Session) -> None:
    for guess in ("", "!", PASSWORD):
        with pytest.raises(AuthenticationFailed, match="wrong user name or password"):
            accounts.log_in(db, "ana", guess, BROWSER)


def test_the_lockout_of_local_accounts_is_unchanged_by_organisation_sign_in(db: Session) -> None:
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            accounts.log_in(db, "ann", "not the password", BROWSER)
    with pytest.raises(AuthenticationFailed, match="too many failed logins"):
        accounts.log_in(db, "ann", PASSWORD, BROWSER)


def test_an_admin_sets_changes_and_removes_an_email(db: Session) -> None:
    admin = accounts.authenticate(db, "admin", PASSWORD)
    accounts.set_email(db, admin, "ann", "Ann.Lee@Example.org")
    login = accounts.organisation_sign_in(db, _claims("ann.lee@example.org"), BROWSER)
    assert login is not None and login.user.name == "ann"
    listed = {u.name: u.email for u in accounts.list_users(db, admin)}
    assert listed == {"admin": None, "ana": "ana@example.org", "ann": "ann.lee@example.org"}
    accounts.set_email(db, admin, "ann", None)
    with pytest.raises(AuthenticationFailed, match="no account here"):
        accounts.organisation_sign_in(db, _claims("ann.lee@example.org", nonce="n3"), BROWSER)


@pytest.mark.parametrize(
    ("email", "says"),
    [
        ("not an address", "is not an e-mail address"),
        ("ann@", "is not an e-mail address"),
        ("ann@localhost", "is not an e-mail address"),
        ("a@b.org, c@d.org", "is not an e-mail address"),
        ("x" * 250 + "@example.org", "at most 254 characters"),
        ("ann\x00@example.org", "e-mail address"),
        ("ANA@example.org", "already the account 'ana''s"),
    ],
)
def test_a_bad_or_taken_email_is_refused_and_the_accounts_are_unchanged(
    db: Session, any_engine: Engine, email: str, says: str
) -> None:
    before = _emails(any_engine)
    with pytest.raises(InvalidInput, match=says):
        accounts.set_email(db, None, "ann", email)
    with pytest.raises(InvalidInput, match=says):
        accounts.create_user(db, "newbie", "annotator", None, email=email)
    assert _emails(any_engine) == before


def _emails(engine: Engine) -> list[tuple[str, str | None]]:
    with engine.connect() as connection:
        rows = connection.execute(select(User.name, User.email).order_by(User.name))
        return [(name, email) for name, email in rows]


def test_only_an_admin_sets_an_email_and_an_account_needs_a_password_or_an_email(
    db: Session, any_engine: Engine
) -> None:
    ann = accounts.authenticate(db, "ann", PASSWORD)
    with pytest.raises(PermissionDenied):
        accounts.set_email(db, ann, "ann", "ann@example.org")
    with pytest.raises(InvalidInput, match="needs an e-mail"):
        accounts.create_user(db, "newbie", "annotator", None)
    assert _emails(any_engine) == [("admin", None), ("ana", "ana@example.org"), ("ann", None)]

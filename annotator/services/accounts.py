"""Accounts: create users, check passwords (Argon2), slow down guessing, log in (a login
session: services/sessions.py) with a password or through the organisation's provider (OIDC,
matched by verified e-mail: docs/sign-in.md), manage accounts.

Every service that changes an account takes the acting user first after the session; `None`
is the database owner (the command line). Only an admin may manage other accounts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.errors import AuthenticationFailed, InvalidInput, NotFound, PermissionDenied
from annotator.services import sessions
from annotator.services.permissions import ACCOUNT_ROLES, ADMIN, is_admin, require_account_role
from annotator.services.records import AccountInfo, Login, UserInfo
from annotator.storable import is_storable, require_storable
from db.engine import lock_table, read_transaction, write_transaction
from db.models import User

MIN_PASSWORD_LENGTH = 12
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
MAX_FAILED_LOGINS = 5  # consecutive failures before the account is locked
FIRST_LOCK = dt.timedelta(seconds=30)  # doubled for each further failure ...
LONGEST_LOCK = dt.timedelta(minutes=15)  # ... up to this
WRONG_LOGIN = "wrong user name or password"
_HASHER = PasswordHasher()
NO_PASSWORD = "!"  # the hash of an account that signs in only through the organisation
MAX_EMAIL_LENGTH = 254
# One @, a dot in the domain, no spaces or angle brackets: a typo check, not RFC 5322.
EMAIL_PATTERN = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]+$")
TRUE_CLAIMS = (True, "true", "True", 1)


def normalise_email(email: str) -> str:
    """The e-mail address as stored and compared: trimmed, lower case; InvalidInput naming
    the address if it is not one."""
    require_storable(email, "e-mail address")
    cleaned = email.strip().lower()
    if len(cleaned) > MAX_EMAIL_LENGTH or not EMAIL_PATTERN.fullmatch(cleaned):
        raise InvalidInput(
            f"{email!r} is not an e-mail address (expected one like name@example.org, "
            f"at most {MAX_EMAIL_LENGTH} characters)"
        )
    return cleaned


def _info(user: User) -> UserInfo:
    return UserInfo(id=user.id, name=user.name, role=user.role, active=user.active)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@functools.cache
def _common_passwords() -> frozenset[str]:
    return frozenset(COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines())


def check_password(name: str, password: str) -> None:
    """Raise InvalidInput if the password is too short, common, the user's name, or holds a
    character that cannot be hashed or typed again (NUL, an unpaired surrogate)."""
    require_storable(password, "password")
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"password must be at least {MIN_PASSWORD_LENGTH} characters, "
            "not counting spaces at either end"
        )
    if password.strip().lower() == name.strip().lower():
        raise InvalidInput("password must not be the user name")
    if password.strip().lower() in _common_passwords():
        raise InvalidInput("password is on the list of common passwords; choose another")


def validate_new_user(name: str, role: str, password: str | None) -> None:
    """Raise InvalidInput naming the first thing wrong with a new account's fields (None: an
    account without a password)."""
    if not NAME_PATTERN.fullmatch(name):
        raise InvalidInput(
            f"user name {name!r} is not allowed: use 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if role not in ACCOUNT_ROLES:
        raise InvalidInput(f"role {role!r} is not one of {', '.join(ACCOUNT_ROLES)}")
    if password is not None:
        check_password(name, password)


def has_users(session: Session) -> bool:
    """Whether any account exists (the first start asks for the admin account if not)."""
    with read_transaction(session):
        return session.scalar(select(func.count()).select_from(User)) != 0


def create_user(
    session: Session,
    name: str,
    role: str,
    password: str | None,
    *,
    actor: UserInfo | None = None,
    email: str | None = None,
) -> UserInfo:
    """Create an account (as `actor`, an admin; None is the database owner).

    The password is stored only as an Argon2 hash. `email` lets the account sign in through
    the organisation's provider; with it, `password` may be None (the account then has no
    password that could ever match, until an admin resets one).
    """
    if password is None and email is None:
        raise InvalidInput("an account without a password needs an e-mail to sign in with")
    validate_new_user(name, role, password)
    address = None if email is None else normalise_email(email)
    password_hash = NO_PASSWORD if password is None else _HASHER.hash(password)
    taken = InvalidInput(f"a user named {name!r} already exists")
    try:
        with write_transaction(session):
            lock_table(session, User.__tablename__)
            _require_admin(session, actor)
            if session.scalar(select(User.id).where(User.name == name)) is not None:
                raise taken
            if address is not None:
                _require_email_free(session, address, None)
            if not is_admin(role) and not session.scalar(select(func.count()).select_from(User)):
                raise InvalidInput("the first account must be an admin (--role admin)")
            return _insert_user(session, name, role, password_hash, email=address)
    except IntegrityError:  # created by another process between our check and our insert
        raise taken from None


def _require_email_free(session: Session, email: str, user_id: int | None) -> None:
    owner = session.scalar(select(User.name).where(User.email == email, User.id != user_id))
    if owner is not None:
        raise InvalidInput(f"the e-mail address {email!r} is already the account {owner!r}'s")


def set_email(session: Session, actor: UserInfo | None, name: str, email: str | None) -> UserInfo:
    """Set (approve) or, with None, remove the e-mail an account signs in with through the
    organisation's provider (admins only). Open sessions go on: the address decides only who
    may sign in next (disable the account to end its sessions)."""
    address = None if email is None else normalise_email(email)
    with write_transaction(session):
        lock_table(session, User.__tablename__)
        _require_admin(session, actor)
        user = _find(session, name)
        if address is not None:
            _require_email_free(session, address, user.id)
        user.email = address
        return _info(user)


def email_verified(claims: Mapping[str, Any]) -> bool:
    """Whether the provider vouches for the e-mail claim: `email_verified` true (Google,
    Keycloak, most providers), or Entra ID's `xms_edov` (the e-mail's domain is verified by
    its owner), which Entra sends in place of `email_verified` when asked for it."""
    return claims.get("email_verified") in TRUE_CLAIMS or claims.get("xms_edov") in TRUE_CLAIMS


def organisation_sign_in(
    session: Session, claims: Mapping[str, Any], browser: str, now: dt.datetime | None = None
) -> Login | None:
    """Sign in the account whose e-mail is the provider's verified e-mail claim (compared in
    lower case): a login session in `browser`, as `log_in` starts. The role is the account's.

    AuthenticationFailed saying to ask the admin if the claim is missing or not verified, no
    account has the address (none is created: an admin adds or approves each person), or the
    account is disabled. None if this sign-in at the provider already started a session (which
    has since ended or expired): the user must sign in at the provider again.
    Lockout and passwords are not involved: the provider checked the person.
    """
    now = now or _utcnow()
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip() or not is_storable(email):
        raise AuthenticationFailed(
            "your organisation's sign-in gave no e-mail address; ask your admin"
        )
    if not email_verified(claims):
        raise AuthenticationFailed(
            f"your organisation has not verified the e-mail address {email.strip()!r}; "
            "ask your admin"
        )
    address = email.strip().lower()
    key = sessions.sign_in_key(claims)
    with write_transaction(session):
        found = session.scalar(select(User.id).where(User.email == address))
        user = None if found is None else _locked_row(session, found)
        if user is None:
            raise AuthenticationFailed(
                f"no account here signs in as {address!r}; ask your admin to add this "
                "address to your account"
            )
        if not user.active:
            raise AuthenticationFailed(f"the account {user.name!r} is disabled; ask your admin")
        if sessions.sign_in_used(session, key):
            return None
        return Login(
            _info(user), sessions.new_session(session, user.id, browser, now, sign_in_key=key)
        )


def create_first_admin(session: Session, name: str, password: str) -> UserInfo:
    """Create the admin account on first start; refused once any account exists."""
    validate_new_user(name, ADMIN, password)
    password_hash = _HASHER.hash(password)
    with write_transaction(session):
        lock_table(session, User.__tablename__)
        if session.scalar(select(func.count()).select_from(User)):
            raise InvalidInput("the admin account already exists; log in instead")
        return _insert_user(session, name, ADMIN, password_hash)


def _insert_user(
    session: Session, name: str, role: str, password_hash: str, *, email: str | None = None
) -> UserInfo:
    user = User(
        email=email,
        name=name,
        role=role,
        password_hash=password_hash,
        active=True,
        created_at=_utcnow(),
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    return _info(user)


def lock_duration(failed_logins: int) -> dt.timedelta | None:
    """How long an account stays locked after this many consecutive failed logins.

    None before the fifth; then 30 s, doubling with each further failure, at most 15 min.
    """
    if failed_logins < MAX_FAILED_LOGINS:
        return None
    doublings = min(failed_logins - MAX_FAILED_LOGINS, 10)
    return min(FIRST_LOCK * (1 << doublings), LONGEST_LOCK)


def authenticate(
    session: Session, name: str, password: str, now: dt.datetime | None = None
) -> UserInfo:
    """The user if the name and password match an active, unlocked account.

    Else AuthenticationFailed. An unknown name takes the same path as a wrong password.
    """
    return _info(_authenticated(session, name, password, now or _utcnow()))


def log_in(
    session: Session, name: str, password: str, browser: str, now: dt.datetime | None = None
) -> Login:
    """Check the name and password as `authenticate` does, then start a login session in
    `browser` (services/sessions.py): the user and the session's token.

    The session starts only if the password checked is still the account's and the account
    still active, so a reset or a disable landing between the check and the start ends it.
    """
    now = now or _utcnow()
    checked = _authenticated(session, name, password, now)
    checked_hash = checked.password_hash
    with write_transaction(session):
        user = _locked_row(session, checked.id)
        if user is None or not user.active or user.password_hash != checked_hash:
            raise AuthenticationFailed(WRONG_LOGIN)
        return Login(_info(user), sessions.new_session(session, user.id, browser, now))


def _authenticated(session: Session, name: str, password: str, now: dt.datetime) -> User:
    with read_transaction(session):
        user = _by_name(session, name)
    user = _check_attempt(session, None if user is None else user.id, password, now, WRONG_LOGIN)
    if not user.active:
        raise AuthenticationFailed(f"the account {name!r} is disabled")
    return user


def _check_attempt(
    session: Session, user_id: int | None, password: str, now: dt.datetime, wrong: str
) -> User:
    """The user if the password matches, with the login slowdown: else AuthenticationFailed
    with `wrong`, or, while the account is locked, a message saying when to try again.

    Attempts on one account are serialised: the account's row is locked (PostgreSQL) or the
    write lock taken (SQLite) from reading its failures to recording this attempt, so that
    parallel guesses cannot all read "not locked yet" and each get a real check.
    """
    with write_transaction(session):
        user = None if user_id is None else _locked_row(session, user_id)
        until = None if user is None else user.locked_until
        checked = user is not None and (until is None or now >= until)
        if checked:
            assert user is not None
            if _password_matches(user.password_hash, password):
                if user.failed_logins or until is not None:
                    _unlock(user)
                return user
            _record_failure(user, now)
    if checked:
        raise AuthenticationFailed(wrong)  # the failure above is committed
    _password_matches(_dummy_hash(), password)  # the same work as a real check, outside the lock
    raise AuthenticationFailed(wrong if until is None else _locked_message(until, now))


def _locked_message(until: dt.datetime, now: dt.datetime) -> str:
    seconds = max(1, int((until - now).total_seconds() + 0.999))
    wait = f"{seconds} seconds" if seconds < 120 else f"{(seconds + 59) // 60} minutes"
    return f"too many failed logins: try again in {wait} (after {until:%H:%M:%S} UTC)"


def _locked_row(session: Session, user_id: int) -> User | None:
    """The account, read afresh with its row locked until the transaction ends."""
    return session.get(User, user_id, with_for_update=True, populate_existing=True)


def _record_failure(user: User, now: dt.datetime) -> None:
    user.failed_logins += 1
    lock = lock_duration(user.failed_logins)
    if lock is not None:
        user.locked_until = now + lock


def _unlock(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None


@functools.cache
def _dummy_hash() -> str:
    return _HASHER.hash("a password nobody has; hashed so unknown names cost the same")


def _password_matches(password_hash: str, password: str) -> bool:
    if not is_storable(password):  # never a stored password (check_password refuses it)
        return False
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _require_admin(session: Session, actor: UserInfo | None) -> None:
    """None is the database owner; anyone else must be an active admin now (read afresh)."""
    require_account_role(session, actor, (ADMIN,), "manage accounts")


def _by_name(session: Session, name: str) -> User | None:
    """The account called `name`, read afresh; None also for a name no column could hold."""
    if not is_storable(name):
        return None
    return session.scalar(
        select(User).where(User.name == name).execution_options(populate_existing=True)
    )


def _find(session: Session, name: str) -> User:
    user = _by_name(session, name)
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


def list_users(
    session: Session, actor: UserInfo | None, now: dt.datetime | None = None
) -> list[AccountInfo]:
    """Every account by name, with the end of its login lock while one holds and its e-mail
    (admins only)."""
    now = now or _utcnow()
    with read_transaction(session):
        _require_admin(session, actor)
        rows = session.execute(
            select(User.name, User.role, User.active, User.locked_until, User.email).order_by(
                User.name
            )
        )
        return [
            AccountInfo(
                name=name,
                role=role,
                active=active,
                locked_until=until if until is not None and until > now else None,
                email=email,
            )
            for name, role, active, until, email in rows
        ]


def set_active(session: Session, actor: UserInfo | None, name: str, active: bool) -> UserInfo:
    """Disable an account (its login sessions end, and stay ended if it is enabled again) or
    enable it again, clearing any lock.

    An admin cannot disable themself, and nobody can disable the last active admin.
    """
    with write_transaction(session):
        lock_table(session, User.__tablename__)
        _require_admin(session, actor)
        user = _find(session, name)
        if not active:
            _check_can_disable(session, actor, user)
            sessions.end_user_sessions(session, user.id, _utcnow())
        else:
            _unlock(user)
        user.active = active
        return _info(user)


def _check_can_disable(session: Session, actor: UserInfo | None, user: User) -> None:
    if actor is not None and actor.id == user.id:
        raise InvalidInput("you cannot disable your own account")
    if is_admin(user.role) and user.active:
        admins = session.scalar(
            select(func.count()).where(User.role == ADMIN, User.active.is_(True))
        )
        if admins == 1:
            raise InvalidInput(f"{user.name!r} is the last active admin and cannot be disabled")


def reset_password(
    session: Session, actor: UserInfo | None, name: str, new_password: str
) -> UserInfo:
    """Set another user's password (admins only); clears the account's login lock and ends
    every login session of the account, everywhere."""
    check_password(name, new_password)
    password_hash = _HASHER.hash(new_password)
    with write_transaction(session):
        _require_admin(session, actor)
        user = _find(session, name)
        user.password_hash = password_hash
        _unlock(user)
        sessions.end_user_sessions(session, user.id, _utcnow())
        return _info(user)


def change_own_password(
    session: Session,
    actor: UserInfo,
    old_password: str,
    new_password: str,
    now: dt.datetime | None = None,
    *,
    keep: str | None = None,
) -> None:
    """Change the actor's own password; the current one must match (failures count as
    failed logins). Every login session of the account ends, everywhere, but the one whose
    token is `keep` (the tab that changed it)."""
    now = now or _utcnow()
    with read_transaction(session):
        user = session.get(User, actor.id, populate_existing=True)
    if user is None or not user.active:
        raise PermissionDenied(f"the account {actor.name!r} is disabled or gone")
    check_password(user.name, new_password)
    if new_password == old_password:
        raise InvalidInput("the new password is the same as the current one")
    _check_attempt(session, user.id, old_password, now, "the current password is wrong")
    password_hash = _HASHER.hash(new_password)
    with write_transaction(session):
        fresh = session.get(User, actor.id, with_for_update=True, populate_existing=True)
        if fresh is None:
            raise PermissionDenied(f"the account {actor.name!r} is gone")
        fresh.password_hash = password_hash
        sessions.end_user_sessions(session, fresh.id, now, keep=keep)

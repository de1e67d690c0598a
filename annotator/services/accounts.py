"""Accounts: create users, check passwords (Argon2), find users."""

from __future__ import annotations

import datetime as dt
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.errors import AuthenticationFailed, InvalidInput
from annotator.services.records import UserInfo
from db.engine import lock_table, read_transaction, write_transaction
from db.models import ROLES, User

MIN_PASSWORD_LENGTH = 12
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HASHER = PasswordHasher()


def _info(user: User) -> UserInfo:
    return UserInfo(id=user.id, name=user.name, role=user.role, active=user.active)


def validate_new_user(name: str, role: str, password: str) -> None:
    """Raise InvalidInput naming the first thing wrong with a new account's fields."""
    if not NAME_PATTERN.match(name):
        raise InvalidInput(
            f"user name {name!r} is not allowed: use 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if role not in ROLES:
        raise InvalidInput(f"role {role!r} is not one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD_LENGTH} characters")


def has_users(session: Session) -> bool:
    """Whether any account exists (the first start asks for the admin account if not)."""
    with read_transaction(session):
        return session.scalar(select(func.count()).select_from(User)) != 0


def create_user(session: Session, name: str, role: str, password: str) -> UserInfo:
    """Create an account; the password is stored only as an Argon2 hash."""
    validate_new_user(name, role, password)
    taken = InvalidInput(f"a user named {name!r} already exists")
    try:
        with write_transaction(session):
            lock_table(session, User.__tablename__)
            if session.scalar(select(User.id).where(User.name == name)) is not None:
                raise taken
            if role != "admin" and not session.scalar(select(func.count()).select_from(User)):
                raise InvalidInput("the first account must be an admin (--role admin)")
            return _insert_user(session, name, role, password)
    except IntegrityError:  # created by another process between our check and our insert
        raise taken from None


def create_first_admin(session: Session, name: str, password: str) -> UserInfo:
    """Create the admin account on first start; refused once any account exists."""
    validate_new_user(name, "admin", password)
    with write_transaction(session):
        lock_table(session, User.__tablename__)
        if session.scalar(select(func.count()).select_from(User)):
            raise InvalidInput("the admin account already exists; log in instead")
        return _insert_user(session, name, "admin", password)


def _insert_user(session: Session, name: str, role: str, password: str) -> UserInfo:
    user = User(
        name=name,
        role=role,
        password_hash=_HASHER.hash(password),
        active=True,
        created_at=dt.datetime.now(dt.UTC),
    )
    session.add(user)
    session.flush()
    return _info(user)


def authenticate(session: Session, name: str, password: str) -> UserInfo:
    """The user if the name and password match an active account; else AuthenticationFailed."""
    with read_transaction(session):
        user = session.scalar(select(User).where(User.name == name))
        if user is None or not _password_matches(user.password_hash, password):
            raise AuthenticationFailed("wrong user name or password")
        if not user.active:
            raise AuthenticationFailed(f"the account {name!r} is disabled")
        return _info(user)


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def get_user(session: Session, user_id: int) -> UserInfo | None:
    """The account with this id, or None (a deleted id ends a UI session)."""
    with read_transaction(session):
        user = session.get(User, user_id)
        return None if user is None else _info(user)

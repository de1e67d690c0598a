"""Login sessions: one per sign-in of a browser tab, checked on every run of that tab, and
ended by a logout in that browser, a change or reset of the password, or the account being
disabled.

Why: a login used to live only in one tab's memory, so logging out in one tab left the
user's other tabs signed in, and a password reset did not end any open tab.

The tab keeps a random token; the table keeps only its SHA-256, so reading the table signs
nobody in. `browser` is what the UI knows of the browser (the token of Streamlit's XSRF
cookie, the same in every tab of one browser); it is stored hashed too, and a logout ends
every live session of the user with the same one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from annotator.services.records import Login, UserInfo
from db.engine import read_transaction, write_transaction
from db.models import LoginSession, User

TOKEN_BYTES = 32


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_session(session: Session, user_id: int, browser: str, now: dt.datetime) -> str:
    """Add a live session of the user in `browser`, in the caller's transaction; its token
    (for the tab to keep: only its hash is stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        LoginSession(
            user_id=user_id,
            token_hash=_digest(token),
            browser_key=_digest(browser),
            created_at=now,
        )
    )
    session.flush()
    return token


def start_session(
    session: Session, user: UserInfo, browser: str, now: dt.datetime | None = None
) -> Login:
    """A new live session of `user` (just created or checked) in `browser`."""
    with write_transaction(session):
        return Login(user, new_session(session, user.id, browser, now or _utcnow()))


def session_user(session: Session, token: str) -> UserInfo | None:
    """The user of the session with this token, read afresh, if the session is live and the
    account active; else None. One query on the token's unique index: it runs on every run
    of a tab."""
    with read_transaction(session):
        row = session.execute(
            select(User.id, User.name, User.role, User.active)
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(
                LoginSession.token_hash == _digest(token),
                LoginSession.ended_at.is_(None),
                User.active.is_(True),
            )
        ).first()
    return None if row is None else UserInfo(*row)


def end_browser_sessions(session: Session, token: str, now: dt.datetime | None = None) -> None:
    """Log out: end every live session of the token's user in the token's browser (its other
    tabs too). Sessions of the user in other browsers go on."""
    with write_transaction(session):
        found = session.execute(
            select(LoginSession.user_id, LoginSession.browser_key).where(
                LoginSession.token_hash == _digest(token)
            )
        ).first()
        if found is None:
            return
        same_browser = LoginSession.browser_key == found.browser_key
        _end(session, now or _utcnow(), found.user_id, same_browser)


def end_user_sessions(
    session: Session, user_id: int, now: dt.datetime, *, keep: str | None = None
) -> None:
    """End every live session of the user, everywhere, in the caller's transaction (the one
    that changes the password or disables the account); `keep` is the token of a session
    to leave live (the tab that changed its own password)."""
    kept = () if keep is None else (LoginSession.token_hash != _digest(keep),)
    _end(session, now, user_id, *kept)


def _end(session: Session, now: dt.datetime, user_id: int, *where: ColumnElement[bool]) -> None:
    session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None), *where)
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )

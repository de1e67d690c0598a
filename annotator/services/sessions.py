"""Login sessions: one per sign-in of a browser tab, checked on every run of that tab, and
ended by a logout in that browser, a change or reset of the password, or the account being
disabled.

Why: a login used to live only in one tab's memory, so logging out in one tab left the
user's other tabs signed in, and a password reset did not end any open tab.

The tab keeps a random token; the table keeps only its SHA-256, so reading the table signs
nobody in. `browser` is what the UI knows of the browser (the value of its HttpOnly browser
cookie, annotator/ui/browser_cookie.py, the same in every tab of one browser); it is stored
hashed too, and a logout ends every live session of the user with the same one.

A session lives at most `lifetime` (12 hours unless ANNOTATOR_SESSION_HOURS says otherwise)
from the sign-in, checked on every run; within it a new tab of the browser, or the same tab
after a reload, resumes it (`resume_session`: the browser cookie is the proof). A sign-in
through the organisation's provider (OIDC) records a key of the provider's ID token
(`sign_in_key`), so that one sign-in at the provider starts at most one session: once that
session has ended or expired, Streamlit's identity cookie alone signs nobody in again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from annotator.services.records import Login, UserInfo
from db.engine import read_transaction, write_transaction
from db.models import LoginSession, User

TOKEN_BYTES = 32
DEFAULT_LIFETIME = dt.timedelta(hours=12)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_session(
    session: Session,
    user_id: int,
    browser: str,
    now: dt.datetime,
    *,
    sign_in_key: str | None = None,
) -> str:
    """Add a live session of the user in `browser`, signed in at `now`, in the caller's
    transaction; its token (for the tab to keep: only its hash is stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        LoginSession(
            user_id=user_id,
            token_hash=_digest(token),
            browser_key=_digest(browser),
            created_at=now,
            sign_in_key=sign_in_key,
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


def session_user(
    session: Session,
    token: str,
    lifetime: dt.timedelta = DEFAULT_LIFETIME,
    now: dt.datetime | None = None,
) -> UserInfo | None:
    """The user of the session with this token, read afresh, if the session is live, signed
    in less than `lifetime` ago, and the account active; else None. One query on the token's
    unique index: it runs on every run of a tab."""
    since = (now or _utcnow()) - lifetime
    with read_transaction(session):
        row = session.execute(
            select(User.id, User.name, User.role, User.active)
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(
                LoginSession.token_hash == _digest(token),
                LoginSession.ended_at.is_(None),
                LoginSession.created_at > since,
                User.active.is_(True),
            )
        ).first()
    return None if row is None else UserInfo(*row)


def resume_session(
    session: Session,
    browser: str,
    lifetime: dt.timedelta = DEFAULT_LIFETIME,
    now: dt.datetime | None = None,
) -> Login | None:
    """A new tab of `browser` (or the same tab after a reload) joins the browser's newest
    live session signed in less than `lifetime` ago, if its account is active: a session of
    its own, with the same user and the same sign-in time (a reload does not lengthen the
    lifetime). None if there is no such session: the tab shows the sign-in page.

    `browser` must be the HttpOnly browser cookie's value (a proof no script on the page can
    read), never something a script can read, such as the XSRF token.
    """
    now = now or _utcnow()
    query = (
        select(LoginSession.user_id, LoginSession.created_at, LoginSession.sign_in_key)
        .join(User, LoginSession.user_id == User.id)
        .where(
            LoginSession.browser_key == _digest(browser),
            LoginSession.ended_at.is_(None),
            LoginSession.created_at > now - lifetime,
            User.active.is_(True),
        )
        .order_by(LoginSession.created_at.desc(), LoginSession.id.desc())
        .limit(1)
    )
    with read_transaction(session):
        found = session.execute(query).first()
    if found is None:
        return None
    with write_transaction(session):
        # The account's row is locked, as by every change that ends sessions (`_end`), so a
        # logout, password change or disable either ends the new session too or is seen here.
        user = session.get(User, found.user_id, with_for_update=True, populate_existing=True)
        again = session.execute(query).first()
        if user is None or again is None or again.user_id != user.id:
            return None
        token = new_session(
            session, user.id, browser, again.created_at, sign_in_key=again.sign_in_key
        )
        return Login(UserInfo(user.id, user.name, user.role, user.active), token)


def sign_in_key(claims: Mapping[str, Any]) -> str:
    """A key of one sign-in at an OIDC provider: the SHA-256 of its ID token's issuer,
    subject, issue time and nonce (Authlib sends a fresh nonce with every sign-in)."""
    parts = [str(claims.get(name, "")) for name in ("iss", "sub", "iat", "nonce")]
    return _digest(json.dumps(parts))


def sign_in_used(session: Session, key: str) -> bool:
    """Whether a session was already started by the provider sign-in with this key, in the
    caller's transaction."""
    found = session.execute(
        select(LoginSession.id).where(LoginSession.sign_in_key == key).limit(1)
    ).first()
    return found is not None


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
    # The account's row is locked first, as `resume_session` locks it before adding a session.
    session.get(User, user_id, with_for_update=True)
    session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None), *where)
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )

"""The browser cookie: a random value, HttpOnly, that the server gives each browser on its first
page load, and that a login session is bound to (services/sessions.py), so that a reload, a
closed lid or a dropped connection finds the browser's session again (docs/sign-in.md says
why this way and what it protects against).

Why middleware: a Streamlit script cannot set a cookie (it runs over the WebSocket, after the
page's HTTP response), and a cookie set from JavaScript is readable by any script on the page.
This ASGI middleware, added by app.py through `st.App`, sets it on the HTTP response instead;
the script reads it back with `st.context.cookies` (the WebSocket handshake carries it).
Pure ASGI, no streamlit import: it runs in the server, outside any script run.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

COOKIE = "annotator_browser"
TOKEN_BYTES = 32
MAX_AGE = 400 * 24 * 60 * 60  # the longest a browser keeps a cookie (Chrome's cap)
SKIPPED = ("/_stcore/", "/static/", "/media/", "/component/")  # not page loads

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def cookie_value(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The browser cookie in a request's headers, if it has one of the expected shape."""
    for name, value in headers:
        if name.lower() == b"cookie":
            found = SimpleCookie()
            try:
                found.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header: as if there were none
                continue
            if COOKIE in found and is_browser_value(found[COOKIE].value):
                return found[COOKIE].value
    return None


def is_browser_value(value: object) -> bool:
    """Whether `value` looks like a value this middleware made (43 URL-safe characters)."""
    return (
        isinstance(value, str) and len(value) == 43 and all(c.isalnum() or c in "-_" for c in value)
    )


def set_cookie_header(value: str, *, secure: bool, path: str = "/") -> bytes:
    """The Set-Cookie header's value: HttpOnly (no script reads it), SameSite=Lax (not sent
    with another site's form posts), Secure over HTTPS."""
    parts = [f"{COOKIE}={value}", f"Path={path}", f"Max-Age={MAX_AGE}", "HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


class BrowserCookie:
    """ASGI middleware: give a page load that comes without the browser cookie a new one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if (
            scope["type"] != "http"
            or any(part in path for part in SKIPPED)
            or cookie_value(scope.get("headers", [])) is not None
        ):
            await self.app(scope, receive, send)
            return
        header = set_cookie_header(
            secrets.token_urlsafe(TOKEN_BYTES),
            secure=scope.get("scheme") == "https",
        )

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", header)]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def middleware() -> list[Any]:
    """The middleware list app.py's `st.App` serves the app with."""
    from starlette.middleware import Middleware

    return [Middleware(BrowserCookie)]

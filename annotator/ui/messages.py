"""Messages on a page (error, warning, info, success), always shown as escaped text, and the
one way a page turns a service's `AnnotatorError` into such a message.

Messages quote what users typed and what articles contain (project and user names, labels,
file names), and Streamlit reads a message as Markdown: unescaped, `![x](http://host/p.png)`
in a name would load an image from that host. So every message passes through `literal`.

A button callback runs before the page is drawn, so what it has to say is kept in session
state under a key (`flash`) and shown once where the page draws it (`show_flash`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

from annotator.errors import AnnotatorError
from annotator.ui.components import literal
from annotator.ui.resources import db_session

Kind = Literal["error", "warning", "info", "success"]
SHOW = {"error": st.error, "warning": st.warning, "info": st.info, "success": st.success}


def message(kind: Kind, text: str, icon: str | None = None) -> None:
    """Show `text` as a message of `kind`, escaped so that it reads exactly as written."""
    SHOW[kind](literal(text), icon=icon)


def flash(key: str, kind: Kind, text: str) -> None:
    """Keep a message under `key` for the next time the page draws `show_flash(key)`."""
    st.session_state[key] = (kind, text)


def show_flash(key: str) -> None:
    """Show (once) the message kept under `key`, if there is one."""
    kept = st.session_state.pop(key, None)
    if kept is not None:
        kind, text = kept
        message(kind, text)


@dataclass
class Attempt:
    """What became of the service call in a `reported` block."""

    error: AnnotatorError | None = None

    @property
    def failed(self) -> bool:
        """True when the call raised an `AnnotatorError` (already reported)."""
        return self.error is not None


@contextmanager
def reported(flash_key: str | None = None, prefix: str = "") -> Iterator[Attempt]:
    """Run the block; an `AnnotatorError` it raises becomes an escaped error message
    (`prefix` + where + what), shown at once or, in a callback, kept under `flash_key`.

    The block stops at the error; the caller checks `attempt.failed` to stop too:

        with reported() as attempt, db_session() as session:
            info = service(session, ...)
        if attempt.failed:
            return
    """
    attempt = Attempt()
    try:
        yield attempt
    except AnnotatorError as error:
        attempt.error = error
        text = prefix + error.located()
        if flash_key is None:
            message("error", text)
        else:
            flash(flash_key, "error", text)


def act(flash_key: str, action: Callable[[Any], object], success: str) -> bool:
    """Run a service call in its own session from a button callback, and keep its outcome
    under `flash_key`: `success`, or the error. True if it succeeded."""
    with reported(flash_key) as attempt, db_session() as session:
        action(session)
    if attempt.failed:
        return False
    flash(flash_key, "success", success)
    return True

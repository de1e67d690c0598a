"""Downloads that end with the login session that made them.

`st.download_button(data=callable)` runs the callable when the button is clicked, in a worker
thread outside the script (so without app.py's gate), and keeps the bytes in Streamlit's
in-memory media store, served at `/media/<file id>.<ext>` to anyone holding the URL, cookie
or not. Streamlit deletes such a file only after two orphan sweeps, which run at the end of
script runs: on a quiet server, never. So the callable here makes the bytes only for a live
login session, and notes the id the store gives them; logging the tab out deletes those files,
and their URLs answer 404.

Streamlit has no public way to do either, so `_media_file_id` and `delete` reach
into its internals (the store's id function; the media file manager's lock, metadata and
delete), and nothing else in the app does. `tests/browser/test_download_browser.py` fetches a
download's URL before and after logout, so an upgrade that changes them fails a test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from streamlit.runtime import Runtime
from streamlit.runtime.memory_media_file_storage import _calculate_file_id

from annotator.errors import PermissionDenied
from annotator.services import sessions
from annotator.services.records import UserInfo
from annotator.ui.resources import db_session

Make = Callable[[UserInfo], bytes]


def login_bound(
    make: Make, token: str, made: list[str], mime: str, file_name: str
) -> Callable[[], bytes]:
    """The `data` callable of a download button: what `make` gives for the user of the login
    session `token`, made only while that session is live (checked before and after, so that
    a logout during a long export leaves no file behind), with the media file id of the bytes
    added to `made` (the tab's list, passed in: the callable cannot reach session state)."""

    def data() -> bytes:
        content = make(_session_user(token))
        made.append(_media_file_id(content, mime, file_name))
        _session_user(token)
        return content

    return data


def _session_user(token: str) -> UserInfo:
    with db_session() as session:
        user = sessions.session_user(session, token)
    if user is None:
        raise PermissionDenied("the login session has ended: log in again to download")
    return user


def _media_file_id(content: bytes, mime: str, file_name: str) -> str:
    """The id Streamlit's in-memory media store gives these bytes (a hash of the content,
    the media type and the file name), by the store's own function."""
    return _calculate_file_id(content, mime, file_name)


def delete(file_ids: Iterable[str]) -> None:
    """Delete these files from Streamlit's media store now, so that their URLs answer 404
    (also a file another tab made from the same bytes: clicking its button makes it again).

    Done as the media file manager's own sweep does it, under the lock it takes itself; an
    id it no longer holds is skipped.
    """
    if not Runtime.exists():
        return
    manager = Runtime.instance().media_file_mgr
    with manager._lock:
        for file_id in file_ids:
            if file_id in manager._file_metadata:
                manager._delete_file(file_id)

"""In Chromium, on a running server: an upload over the import limit is refused by the page
and, sent straight to the server, by the server too; an upload without the XSRF token is
refused (tests/ui/test_server_config.py checks the configuration itself)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotator.readers import MAX_FILE_BYTES
from tests.browser.pages import WAIT_MS, log_in, open_page, settle
from tests.conftest import prepare_database

pytestmark = pytest.mark.browser
XSRF_COOKIE = "_streamlit_xsrf"


def test_an_upload_over_the_limit_is_refused_by_the_page_and_by_the_server(
    app_server: tuple[str, str],
    browser: Any,
    tmp_path: Path,
    row_counts: Callable[[str], dict[str, int]],
) -> None:
    url, db_url = app_server
    prepare_database(db_url, (("admin", "admin"),))
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    log_in(page, url, "admin")
    open_page(page, "Import")
    before = row_counts(db_url)
    uploads: list[str] = []
    page.on("request", lambda r: uploads.append(r.url) if "/upload_file/" in r.url else None)
    dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')

    big = tmp_path / "big.txt"
    big.write_bytes(b"Title\n\n" + b"a" * MAX_FILE_BYTES)
    dropzone.set_input_files(str(big))
    page.get_by_text(re.compile(r"File must be 20(\.0)? ?MB or smaller")).wait_for(timeout=WAIT_MS)
    settle(page)
    assert uploads == []  # the page never sent it
    assert page.get_by_role("button", name="Import", exact=True).is_disabled()

    small = tmp_path / "small.txt"
    small.write_text("A title\n\nThe council met on Monday. It approved the budget.\n")
    dropzone.set_input_files(str(small))
    page.get_by_text("small.txt").wait_for(timeout=WAIT_MS)
    settle(page)
    target = uploads[0].rsplit("/", 1)[0] + "/another-file"
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert XSRF_COOKIE in cookies, "the server set no XSRF cookie: protection is off"
    token = cookies[XSRF_COOKIE]
    oversized = {"name": "big.txt", "mimeType": "text/plain", "buffer": big.read_bytes()}
    response = page.request.put(
        target, headers={"X-Xsrftoken": token}, multipart={"file": oversized}
    )
    assert response.status == 413
    tiny = {"name": "tiny.txt", "mimeType": "text/plain", "buffer": small.read_bytes()}
    assert page.request.put(target, multipart={"file": tiny}).status == 403  # no XSRF token
    assert row_counts(db_url) == before

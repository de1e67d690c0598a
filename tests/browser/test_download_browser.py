"""In Chromium: an export download's address serves the file, without a cookie, only until
the tab that made it is logged out: by its Log out button, or on its next action after the
account's password was reset."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from sqlalchemy.orm import Session

from annotator.services import accounts
from tests.browser.pages import assert_signed_out, open_page, signed_in
from tests.teams import TEAM_PROJECT, build_team_project

pytestmark = pytest.mark.browser
SessionFor = Callable[[str], AbstractContextManager[Session]]
NEW_PASSWORD = "a different long passphrase"


def _fetch_without_cookies(address: str) -> bytes:
    with urllib.request.urlopen(address) as response:
        return bytes(response.read())


@pytest.mark.parametrize("ending", ["log out", "password reset"])
def test_an_export_download_answers_404_to_a_client_without_cookies_once_the_tab_logs_out(
    app_server: tuple[str, str], browser: Any, session_for: SessionFor, ending: str
) -> None:
    url, db_url = app_server
    build_team_project(db_url)
    page = signed_in(browser, url, "lena", TEAM_PROJECT)
    open_page(page, "Export")
    with page.expect_download() as started:
        page.get_by_role("button", name=re.compile(r"^Download")).click()
    download = started.value
    address = urllib.parse.urljoin(url + "/", download.url)
    assert "/media/" in address
    content = _fetch_without_cookies(address)
    assert content.startswith(b'"project",') and content == download.path().read_bytes()

    if ending == "log out":
        page.get_by_role("button", name="Log out").click()
    else:
        with session_for(db_url) as session:
            accounts.reset_password(session, None, "lena", NEW_PASSWORD)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Progress").click()
    assert_signed_out(page, "lena")
    with pytest.raises(urllib.error.HTTPError) as refused:
        _fetch_without_cookies(address)
    assert refused.value.code == 404

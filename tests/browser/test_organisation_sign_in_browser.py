"""In Chromium, with a real OIDC provider (`oidc-provider-mock` on 127.0.0.1) configured in a
temporary `secrets.toml`: signing in through it keeps the annotator signed in across a reload
and lets her label; an unknown e-mail gets the "ask your admin" page and no account; a
disabled account is signed out on its next action; after Log out the back button shows the
sign-in page. A local password account on the same server stays signed in across a reload
until it logs out or its session outlives the configured lifetime."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest
from sqlalchemy import func, select, update

from annotator.services import accounts
from annotator.ui.browser_cookie import COOKIE
from db.models import Label, LoginSession, User
from tests.browser.conftest import free_port, running_app
from tests.browser.pages import (
    WAIT_MS,
    assert_signed_out,
    log_in,
    press_and_wait,
    progress,
    settle,
)
from tests.conftest import open_session, prepare_database

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 1280, "height": 1000}
LIFETIME_HOURS = 2  # the server's ANNOTATOR_SESSION_HOURS (not the default 12)
# The provider's people: subject -> their claims. Ana's address differs in case from the one
# her admin typed; the stranger's is verified but belongs to no account here.
PEOPLE = {
    "ana": {"email": "Ana.Silva@Example.org", "email_verified": True, "name": "Ana Silva"},
    "dora": {"email": "dora@example.org", "email_verified": True},
    "stranger": {"email": "stranger@example.org", "email_verified": True},
}
SIGN_IN = "Sign in with your organisation"


class Site(NamedTuple):
    url: str
    db_url: str


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The base URL of an OIDC provider on a free 127.0.0.1 port, knowing `PEOPLE`."""
    import oidc_provider_mock
    import werkzeug.serving

    users = [oidc_provider_mock.User(sub=sub, claims=dict(c)) for sub, c in PEOPLE.items()]
    server = werkzeug.serving.make_server(
        "127.0.0.1", 0, oidc_provider_mock.app(user_claims=users), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=20)
        server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, provider: str) -> Iterator[Site]:
    """The app with `[auth]` pointing at `provider`, on its own SQLite file: admin, annotator
    `ann` (password only), annotators `ana` and `dora` (organisation only, their e-mails
    approved by the admin)."""
    folder = tmp_path_factory.mktemp("organisation")
    db_url = f"sqlite:///{folder / 'browser.db'}"
    prepare_database(db_url, (("admin", "admin"), ("ann", "annotator")))
    with open_session(db_url) as session:
        accounts.create_user(session, "ana", "annotator", None, email="ana.silva@example.org")
        accounts.create_user(session, "dora", "annotator", None, email="DORA@example.org")
    port = free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "claim-annotator"\n'
        'client_secret = "not-a-secret-for-the-mock"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    with running_app(
        db_url,
        folder / "streamlit.log",
        port=port,
        options=("--secrets.files", str(secrets_file)),
        env={"ANNOTATOR_SESSION_HOURS": str(LIFETIME_HOURS)},
    ) as url:
        yield Site(url, db_url)


def _sign_in_through_provider(browser: Any, url: str, subject: str) -> Any:
    """A tab in a new browser that chose the organisation on the login page and `subject` at
    the provider, back at the app (whatever it shows)."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.goto(url)
    page.get_by_role("button", name=SIGN_IN).click()
    page.get_by_role("heading", name="Authorize Client").wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name=subject, exact=True).click()
    page.wait_for_url(f"{url}/**", timeout=WAIT_MS)
    page.get_by_role("heading", name="Claim Annotator").or_(
        page.get_by_test_id("stSidebar")
    ).first.wait_for(timeout=WAIT_MS)
    settle(page)
    return page


def _wait_signed_in_as(page: Any, name: str) -> None:
    page.get_by_test_id("stSidebar").get_by_text(f"Signed in as {name}").wait_for(timeout=WAIT_MS)
    settle(page)


def _labels(db_url: str, name: str) -> int:
    with open_session(db_url) as session:
        count = session.scalar(
            select(func.count())
            .select_from(Label)
            .join(User, Label.annotator_id == User.id)
            .where(User.name == name)
        )
    return int(count or 0)


def test_signing_in_through_the_provider_survives_a_reload_and_labels(
    site: Site, browser: Any
) -> None:
    page = _sign_in_through_provider(browser, site.url, "ana")
    _wait_signed_in_as(page, "ana")
    assert "?" not in page.url and "#" not in page.url  # no credential in the address

    page.reload()
    _wait_signed_in_as(page, "ana")
    page.get_by_test_id("ca-progress").wait_for(timeout=WAIT_MS)
    settle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    assert progress(page).startswith("Sentence 1 of")
    press_and_wait(page, "1", "Sentence 2 of")
    assert _labels(site.db_url, "ana") == 1

    # What keeps her signed in is out of the page's scripts' reach: HttpOnly cookies only.
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies[COOKIE]["httpOnly"] and cookies["_streamlit_user"]["httpOnly"]
    readable = page.evaluate("document.cookie + JSON.stringify({...localStorage})")
    assert COOKIE not in readable and "_streamlit_user" not in readable
    page.context.close()


def test_an_unknown_email_is_refused_with_the_ask_your_admin_page_and_no_account(
    site: Site, browser: Any
) -> None:
    with open_session(site.db_url) as session:
        before = session.scalar(select(func.count()).select_from(User))
    page = _sign_in_through_provider(browser, site.url, "stranger")
    page.get_by_text("ask your admin").first.wait_for(timeout=WAIT_MS)
    text = page.evaluate("document.body.innerText")
    assert "stranger@example.org" in text
    assert page.get_by_test_id("stSidebarNav").count() == 0
    assert page.get_by_role("button", name="Sign out").count() == 1
    page.reload()  # still refused: no account came of it
    page.get_by_text("ask your admin").first.wait_for(timeout=WAIT_MS)
    with open_session(site.db_url) as session:
        assert session.scalar(select(func.count()).select_from(User)) == before
        assert session.scalar(select(User.id).where(User.email.like("stranger%"))) is None
    page.context.close()


def test_a_disabled_account_is_signed_out_on_its_next_action(site: Site, browser: Any) -> None:
    page = _sign_in_through_provider(browser, site.url, "dora")
    _wait_signed_in_as(page, "dora")
    page.get_by_test_id("ca-progress").wait_for(timeout=WAIT_MS)
    settle(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    with open_session(site.db_url) as session:
        accounts.set_active(session, None, "dora", False)

    page.keyboard.press("1")
    page.get_by_text("is disabled; ask your admin").wait_for(timeout=WAIT_MS)
    settle(page)
    assert page.get_by_test_id("stSidebarNav").count() == 0
    assert _labels(site.db_url, "dora") == 0
    page.reload()
    page.get_by_text("is disabled; ask your admin").wait_for(timeout=WAIT_MS)
    assert page.get_by_test_id("stSidebarNav").count() == 0
    page.context.close()


def test_after_log_out_the_back_button_shows_the_sign_in_page(site: Site, browser: Any) -> None:
    page = _sign_in_through_provider(browser, site.url, "ana")
    _wait_signed_in_as(page, "ana")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Account").click()
    page.get_by_role("heading", name="Account", exact=True).wait_for(timeout=WAIT_MS)
    settle(page)

    page.get_by_role("button", name="Log out").click()
    # The provider's own "end session" page (the mock always asks), then back to the app.
    page.get_by_role("button", name="End session").click()
    page.get_by_role("button", name=SIGN_IN).wait_for(timeout=WAIT_MS)
    assert_signed_out(page, "ana")

    for _ in range(3):  # back past the provider's page, to a page of the app
        page.go_back()
        if page.url.startswith(site.url):
            break
    assert page.url.startswith(site.url)
    page.get_by_role("button", name=SIGN_IN).wait_for(timeout=WAIT_MS)
    assert_signed_out(page, "ana")
    page.context.close()


def test_a_local_account_stays_signed_in_across_a_reload_and_a_new_tab_until_it_logs_out(
    site: Site, browser: Any
) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    log_in(page, site.url, "ann")
    page.reload()
    _wait_signed_in_as(page, "ann")
    other = context.new_page()
    other.goto(site.url)
    _wait_signed_in_as(other, "ann")

    page.get_by_role("button", name="Log out").click()
    assert_signed_out(page, "ann")
    page.reload()
    assert_signed_out(page, "ann")
    other.reload()
    assert_signed_out(other, "ann")
    context.close()


def test_a_local_session_ends_when_it_outlives_the_configured_lifetime(
    site: Site, browser: Any
) -> None:
    page = browser.new_context(viewport=VIEWPORT).new_page()
    log_in(page, site.url, "ann")
    page.reload()
    _wait_signed_in_as(page, "ann")

    # A clock seam: the sign-in moved back, as if it had happened long ago.
    def signed_in_ago(age: dt.timedelta) -> None:
        with open_session(site.db_url) as session:
            ann = select(User.id).where(User.name == "ann").scalar_subquery()
            session.execute(
                update(LoginSession)
                .where(LoginSession.user_id == ann, LoginSession.ended_at.is_(None))
                .values(created_at=dt.datetime.now(dt.UTC) - age)
            )
            session.commit()

    signed_in_ago(dt.timedelta(hours=LIFETIME_HOURS, minutes=-5))  # within the lifetime
    page.reload()
    _wait_signed_in_as(page, "ann")
    signed_in_ago(dt.timedelta(hours=LIFETIME_HOURS, minutes=5))  # past it
    page.reload()
    assert_signed_out(page, "ann")
    page.context.close()

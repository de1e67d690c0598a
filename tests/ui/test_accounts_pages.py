"""The Users page (admins), the Account page (everyone), lockout on the login page, and a
disabled user's open session ending on its next action."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from annotator.config import SEEDS_DIR
from annotator.errors import AuthenticationFailed
from annotator.services import accounts
from annotator.services.setup import initialise
from db.models import Label
from tests.conftest import PASSWORD
from tests.ui import panel_driver as panel

USERS = "annotator/ui/pages/users.py"
ACCOUNT = "annotator/ui/pages/account.py"
NEW_PASSWORD = "a different long passphrase"


@pytest.fixture
def accounts_db(app_db: str, app_engine: Engine, app_sessions: sessionmaker[Session]) -> str:
    """The app's database with the seeds, the admin `admin` and the annotator `ann`."""
    with app_sessions() as session:
        initialise(app_engine, session, SEEDS_DIR)
        accounts.create_user(session, "admin", "admin", PASSWORD)
        accounts.create_user(session, "ann", "annotator", PASSWORD)
    return app_db


def _service(sessions: sessionmaker[Session], call: str, *args: object) -> object:
    with sessions() as session:
        return getattr(accounts, call)(session, *args)


def _can_log_in(sessions: sessionmaker[Session], name: str, password: str) -> bool:
    try:
        _service(sessions, "authenticate", name, password)
    except AuthenticationFailed:
        return False
    return True


def _on_login_page(at: AppTest) -> bool:
    return at.title[0].value == "Claim Annotator" and at.button[0].label == "Log in"


def test_an_admin_creates_a_user_and_disables_them(
    accounts_db: str, open_page: Callable[..., AppTest], app_sessions: sessionmaker[Session]
) -> None:
    at = open_page("admin", USERS)
    at.text_input(key="new_user_name").input("maria")
    at.selectbox(key="new_user_role").select("lead")
    at.text_input(key="new_user_password").input(PASSWORD)
    at.button(key="create_user_submit").click().run()
    assert at.success[0].value == "Created lead maria."
    assert at.text_input(key="new_user_password").value == ""
    assert list(at.dataframe[0].value["name"]) == ["admin", "ann", "maria"]
    assert _can_log_in(app_sessions, "maria", PASSWORD)
    at.selectbox(key="manage_user").select("maria").run()
    at.button(key="toggle_active").click().run()
    assert at.success[0].value == "Disabled maria."
    assert list(at.dataframe[0].value["active"]) == [True, True, False]
    assert at.button(key="toggle_active").label == "Enable"
    assert not _can_log_in(app_sessions, "maria", PASSWORD)
    assert not at.exception


def test_creating_a_user_with_a_common_password_shows_why_and_stores_nothing(
    accounts_db: str, open_page: Callable[..., AppTest]
) -> None:
    at = open_page("admin", USERS)
    at.text_input(key="new_user_name").input("maria")
    at.text_input(key="new_user_password").input("qwerty123456")
    at.button(key="create_user_submit").click().run()
    assert "common passwords" in at.error[0].value
    assert at.text_input(key="new_user_name").value == "maria"
    assert list(at.dataframe[0].value["name"]) == ["admin", "ann"]


def test_an_admin_cannot_disable_themself_on_the_users_page(
    accounts_db: str, open_page: Callable[..., AppTest]
) -> None:
    at = open_page("admin", USERS)
    at.selectbox(key="manage_user").select("admin").run()
    at.button(key="toggle_active").click().run()
    assert at.error[0].value == "you cannot disable your own account"
    assert list(at.dataframe[0].value["active"]) == [True, True]


def test_an_admin_resets_a_locked_users_password(
    accounts_db: str, open_page: Callable[..., AppTest], app_sessions: sessionmaker[Session]
) -> None:
    for _ in range(5):
        assert not _can_log_in(app_sessions, "ann", "not the password")
    at = open_page("admin", USERS)
    assert at.dataframe[0].value["locked until"][1].endswith("UTC")
    at.selectbox(key="manage_user").select("ann").run()
    at.text_input(key="reset_password_new").input(NEW_PASSWORD)
    at.button(key="reset_password_submit").click().run()
    assert at.success[0].value == "New password set for ann."
    assert list(at.dataframe[0].value["locked until"]) == ["", ""]
    assert _can_log_in(app_sessions, "ann", NEW_PASSWORD)


def test_a_disabled_annotator_is_logged_out_on_their_next_label(
    accounts_db: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    at = new_app()
    log_in(at, "ann")
    assert at.get("bidi_component")
    _service(app_sessions, "set_active", None, "ann", False)
    panel.answer(at, "factual")
    assert _on_login_page(at)
    assert not at.error  # the refusal is not left over for the next user of the tab
    with app_sessions() as session:
        assert list(session.scalars(select(Label))) == []


SHORT = "password must be at least 12 characters, not counting spaces at either end"


def _change_password(at: AppTest, old: str, new: str, repeat: str) -> None:
    """Fill in and submit the Account page's change-password form."""
    at.text_input(key="own_password_old").input(old)
    at.text_input(key="own_password_new").input(new)
    at.text_input(key="own_password_repeat").input(repeat)
    at.button(key="change_password_submit").click().run()


def test_a_disabled_user_is_logged_out_on_their_next_action_on_any_page(
    accounts_db: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    at = new_app()
    log_in(at, "ann")
    at.switch_page(ACCOUNT).run()
    _service(app_sessions, "set_active", None, "ann", False)
    _change_password(at, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert _on_login_page(at)
    assert not at.error
    assert not _can_log_in(app_sessions, "ann", NEW_PASSWORD)


def test_a_user_changes_their_own_password(
    accounts_db: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    at = new_app()
    log_in(at, "ann")
    at.switch_page(ACCOUNT).run()
    _change_password(at, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert at.success[0].value == "Password changed."
    assert at.text_input(key="own_password_new").value == ""
    assert _can_log_in(app_sessions, "ann", NEW_PASSWORD)
    assert not _can_log_in(app_sessions, "ann", PASSWORD)


@pytest.mark.parametrize(
    ("old", "new", "repeat", "message"),
    [
        ("not the password", NEW_PASSWORD, NEW_PASSWORD, "the current password is wrong"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "The two new passwords differ."),
        (PASSWORD, "short", "short", SHORT),
        (PASSWORD, " " * 12, " " * 12, SHORT),
    ],
)
def test_a_wrong_password_change_shows_why_and_keeps_the_old_password(
    accounts_db: str,
    old: str,
    new: str,
    repeat: str,
    message: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    at = new_app()
    log_in(at, "ann")
    at.switch_page(ACCOUNT).run()
    _change_password(at, old, new, repeat)
    assert at.error[0].value == message
    assert _can_log_in(app_sessions, "ann", PASSWORD)


def test_an_annotator_has_the_account_page_but_not_the_users_page(
    accounts_db: str, new_app: Callable[[], AppTest], log_in: Callable[..., AppTest]
) -> None:
    at = new_app()
    log_in(at, "ann")
    with pytest.raises(ValueError):
        at.switch_page(USERS)
    at.switch_page(ACCOUNT).run()
    assert at.title[0].value == "Account" and not at.exception


def test_the_login_page_says_when_a_locked_account_may_try_again(
    accounts_db: str, new_app: Callable[[], AppTest], log_in: Callable[..., AppTest]
) -> None:
    at = new_app()
    for _ in range(5):
        log_in(at, "ann", "not the password")
        assert at.error[0].value == "wrong user name or password"
    log_in(at, "ann", PASSWORD)
    assert at.error[0].value.startswith("too many failed logins: try again in ")
    assert _on_login_page(at)


def test_the_next_user_of_the_tab_sees_nothing_left_from_a_disabled_one(
    accounts_db: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    at = new_app()
    log_in(at, "ann")
    _service(app_sessions, "set_active", None, "ann", False)
    panel.answer(at, "factual")
    assert _on_login_page(at)
    log_in(at, "admin")
    assert at.get("bidi_component") and not at.error


def test_first_start_still_works_with_the_new_pages(
    app_db: str, new_app: Callable[[], AppTest], first_start: Callable[..., AppTest]
) -> None:
    at = new_app()
    first_start(at)
    at.switch_page(USERS).run()
    assert list(at.dataframe[0].value["name"]) == ["admin"] and not at.exception


def test_changing_ones_password_keeps_this_tab_signed_in_and_logs_out_the_others(
    accounts_db: str, new_app: Callable[[], AppTest], log_in: Callable[..., AppTest]
) -> None:
    here, elsewhere = log_in(new_app(), "ann"), log_in(new_app(), "ann")
    here.switch_page(ACCOUNT).run()
    _change_password(here, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert here.success[0].value == "Password changed."
    here.switch_page(ACCOUNT).run()
    assert here.title[0].value == "Account"
    elsewhere.switch_page(ACCOUNT).run()
    assert _on_login_page(elsewhere)


def test_a_reset_on_the_users_page_logs_the_users_open_tab_out_before_its_next_label(
    accounts_db: str,
    new_app: Callable[[], AppTest],
    log_in: Callable[..., AppTest],
    open_page: Callable[..., AppTest],
    app_sessions: sessionmaker[Session],
) -> None:
    annotator = log_in(new_app(), "ann")
    admin = open_page("admin", USERS)
    admin.selectbox(key="manage_user").select("ann").run()
    admin.text_input(key="reset_password_new").input(NEW_PASSWORD)
    admin.button(key="reset_password_submit").click().run()
    assert admin.success[0].value == "New password set for ann."
    panel.answer(annotator, "factual")
    assert _on_login_page(annotator) and not annotator.error
    with app_sessions() as session:
        assert list(session.scalars(select(Label))) == []


def _after(at: AppTest, first: str) -> list[str]:
    """The buttons' labels, the headings and the messages that the page shows after the one
    reading `first`, in page order."""
    shown = [
        str(node.label if node.type == "button" else node.value)
        for node in at.main
        if node.type in ("button", "subheader", "success", "error")
    ]
    return shown[shown.index(first) + 1 :]


def test_the_users_page_shows_each_outcome_under_the_form_that_produced_it(
    accounts_db: str, open_page: Callable[..., AppTest]
) -> None:
    at = open_page("admin", USERS)
    at.text_input(key="new_user_name").input("maria")
    at.text_input(key="new_user_password").input(PASSWORD)
    at.button(key="create_user_submit").click().run()
    assert "Created annotator maria." in _after(at, "Create account")
    at.selectbox(key="manage_user").select("ann").run()
    at.button(key="toggle_active").click().run()
    managed = _after(at, "Reset password")
    assert managed.index("Disabled ann.") < managed.index("New account")

"""In Chromium: text typed by users (an article's title, body and byline, notes, guidelines, a
scheme's labels and definitions, project and user names) that holds a <script>, an <img> and
a Markdown image pointing at a local server, a javascript: link, **bold**, maths, a colour and
</div> is shown as text on every page it reaches: no script runs, no request leaves, the text
reads as typed.

The second test fills every field a user or an import can set (tests/hostile_text.py) and has
an annotator, a lead and an admin open every page they have, with its lists, tables, statuses
and error messages: the local "pixel server" those strings point at gets no request.
"""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from sqlalchemy.orm import Session

from annotator.services import accounts, labelling
from annotator.services.labelling import LabelInput
from tests.browser.pages import WAIT_MS, open_page, settle, signed_in
from tests.conftest import PASSWORD, prepare_database
from tests.hostile_text import USERS, Hostile, build_hostile_project, create_hostile_project

pytestmark = pytest.mark.browser
SessionFor = Callable[[str], AbstractContextManager[Session]]
IMAGES_DONE = "() => Array.from(document.images).every(image => image.complete)"
TALL = 2000  # px: every page in view at once, so no image is left lazy


class _PixelServer(http.server.ThreadingHTTPServer):
    """Keeps the path of every request it receives."""

    requests: list[str]


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Notes every path asked for; answers 404, so an <img onerror> would fire."""

    server: _PixelServer

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def pixel_server() -> Iterator[tuple[int, list[str]]]:
    """(port, requests received) of a tiny HTTP server that hostile text points at."""
    server = _PixelServer(("127.0.0.1", 0), _Recorder)
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield int(server.server_address[1]), server.requests
    server.shutdown()
    server.server_close()


def _build(session_for: SessionFor, db_url: str, hostile: Hostile) -> None:
    """Project with the hostile scheme, name and guidelines; ann labels all but the last body
    sentence, bob all of them (they disagree), each with a hostile note."""
    prepare_database(db_url, USERS)
    with session_for(db_url) as session:
        create_hostile_project(session, hostile, ["ann", "bob"])
        for name, claim_type, skip_last in (("ann", "factual", True), ("bob", "opinion", False)):
            user = accounts.authenticate(session, name, PASSWORD)
            article = labelling.article_list(session, user, hostile.project)[0].id
            body = labelling.load_article(session, user, article).body
            note = hostile.text(f"note-{name}")
            for sentence in body[:-1] if skip_last else body:
                answer = LabelInput(claim_type, date_bound=False, note=note)
                labelling.save_label(session, user, sentence.id, answer, 2.0)


def _assert_inert(page: Any, requests: list[str], shown: list[str], where: str = "") -> None:
    """No script ran, nothing was fetched from the pixel server, no maths was drawn, and
    `shown` is on the page as visible text (innerText holds only rendered text, never markup).

    Called once the page shows what it is waiting for: every image on it has then loaded or
    failed (the pixel server notes the request before it answers 404). A request that arrives
    later still fails the test: each test ends with `_assert_no_late_request`.
    """
    settle(page)
    page.wait_for_function(IMAGES_DONE, timeout=WAIT_MS)
    assert page.evaluate("typeof window.__pwned") == "undefined", where
    assert requests == [], where
    assert page.locator(".katex").count() == 0, where
    text = page.evaluate("document.body.innerText")
    missing = [s for s in shown if s not in text]
    assert not missing, f"{where}: not shown as text: {missing}"


def _assert_no_late_request(pages: list[Any], requests: list[str]) -> None:
    """Every image of every tab has loaded or failed, and half a second more brought no
    request to the pixel server either."""
    for page in pages:
        page.wait_for_function(IMAGES_DONE, timeout=WAIT_MS)
    pages[-1].wait_for_timeout(500)
    assert requests == []


def test_hostile_text_is_inert_and_shown_as_typed_on_every_page(
    app_server: tuple[str, str],
    browser: Any,
    pixel_server: tuple[int, list[str]],
    session_for: SessionFor,
) -> None:
    url, db_url = app_server
    port, requests = pixel_server
    hostile = Hostile(port)
    _build(session_for, db_url, hostile)
    article = [
        f"Title {hostile.text('article-title')}",
        hostile.text("article-byline"),
        hostile.text("article-body-1"),
    ]

    ann = signed_in(browser, url, "ann", hostile.project)
    ann.get_by_test_id("ca-progress").wait_for(timeout=WAIT_MS)
    header = article[:2]  # the first sentence is too far back to be in the context box
    _assert_inert(ann, requests, [*header, hostile.text("article-body-3"), *hostile.labels])
    ann.get_by_role("button", name="Back").click()
    _assert_inert(ann, requests, [f"Your label: {hostile.labels[0]}"])
    note = ann.get_by_label(re.compile("also the reason when you skip"))
    assert note.input_value() == hostile.text("note-ann")
    ann.get_by_text("Keys and definitions").click()
    definitions = [hostile.text(w) for w in ("def-factual", "example-opinion", "torn")]
    _assert_inert(ann, requests, [*definitions, hostile.text("guidelines")])

    lead = signed_in(browser, url, "lena", hostile.project)
    open_page(lead, "Adjudicate")
    notes = [hostile.text("note-ann"), hostile.text("note-bob")]
    gold_date_bound = f"Date-bound (only for {hostile.labels[0]})"
    _assert_inert(lead, requests, [*article, *notes, *hostile.labels, gold_date_bound])
    open_page(lead, "Agreement")
    _assert_inert(lead, requests, [hostile.text("article-body-1")])
    open_page(lead, "Progress")
    _assert_inert(lead, requests, [f"Project {hostile.project}: 3 body sentences"])
    open_page(lead, "Import")
    _assert_inert(lead, requests, [f"Into project {hostile.project}."])
    open_page(lead, "Export")
    _assert_inert(lead, requests, [f"Download {hostile.project}-labels.csv"])
    open_page(lead, "Projects")
    _create_project_on_the_page(lead, hostile)
    preview = " · ".join(f"{i} {label}" for i, label in enumerate(hostile.labels, start=1))
    created = f"Created project {hostile.project} 2 (scheme hostile)."
    _assert_inert(lead, requests, [created, f"Labels: {preview}; date-bound for factual"])

    admin = signed_in(browser, url, "admin")
    open_page(admin, "Users")
    admin.get_by_label("User name").fill(hostile.user_name)
    admin.get_by_label("Password", exact=True).fill(PASSWORD)
    admin.get_by_role("button", name="Create account").click()
    _assert_inert(admin, requests, [f"user name {hostile.user_name!r} is not allowed"])
    _assert_no_late_request([ann, lead, admin], requests)


def _create_project_on_the_page(page: Any, hostile: Hostile) -> None:
    """Upload the hostile scheme (its preview must be inert too) and create a second project
    with a hostile name and guidelines."""
    page.get_by_label("Name").fill(f"{hostile.project} 2")
    page.get_by_label("Guidelines").fill(hostile.text("guidelines-2"))
    page.get_by_test_id("stMain").get_by_role("combobox").click()
    page.get_by_role("option", name="Upload a JSON or YAML file…").click()
    settle(page)
    upload = {"name": "hostile.json", "mimeType": "application/json", "buffer": hostile.scheme()}
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(upload)
    page.get_by_text("Labels: 1 Fact").wait_for(timeout=WAIT_MS)
    settle(page)
    page.get_by_role("button", name="Create project").click()


def test_no_page_requests_the_pixel_server_for_any_hostile_field_as_any_role(
    app_server: tuple[str, str], browser: Any, pixel_server: tuple[int, list[str]]
) -> None:
    """Every field a user or an import sets holds hostile text (tests/hostile_text.py); the
    annotator, the lead and the admin open every page they have, and the lists, forms and
    messages on them; the pixel server is never asked for anything."""
    url, db_url = app_server
    port, requests = pixel_server
    hostile = Hostile(port)
    build_hostile_project(db_url, hostile)
    ann = signed_in(browser, url, "ann", hostile.project, TALL)
    _annotator_pages(ann, hostile, requests)
    lead = signed_in(browser, url, "lena", hostile.project, TALL)
    _lead_pages(lead, hostile, requests)
    admin = signed_in(browser, url, "admin", hostile.project, TALL)
    _admin_pages(admin, hostile, requests)
    _assert_no_late_request([ann, lead, admin], requests)


def _page_checks(hostile: Hostile, name: str, role: str) -> dict[str, tuple[str, list[str]]]:
    """For each page a lead or an admin opens: what it shows once drawn, and the hostile
    text it shows as typed."""
    notes = [hostile.text("note-ann"), hostile.text("note-bob")]
    article = [f"Title {hostile.text('article-title')}", hostile.text("article-body-1")]
    return {
        "Annotate": ("Your label: not labelled", [*article, *hostile.labels]),
        "Fact-check": ("Re-open a verdict", [hostile.text("article-body-1")]),
        "Agreement": ("Most disputed sentences", [hostile.text("article-body-3")]),
        "Adjudicate": ("most disputed first", [*notes, *hostile.labels]),
        "Export": ("What to export", [f"Download {hostile.project}-labels.csv"]),
        "Progress": ("Assign work", [f"Project {hostile.project}: "]),
        "Import": ("Article files", [f"Into project {hostile.project}."]),
        "Projects": ("New project", []),
        "Users": ("Manage an account", []),
        "Account": ("Change your password", [f"Signed in as {name} ({role})."]),
    }


def _visit(page: Any, requests: list[str], link: str, ready: str, shown: list[str]) -> None:
    """Open the page `link` (Annotate is where a login lands), wait for `ready`, check it."""
    if link != "Annotate":
        open_page(page, link)
    page.get_by_text(ready).first.wait_for(timeout=WAIT_MS)
    _assert_inert(page, requests, shown, link)


def _options_inert(page: Any, key: str, requests: list[str]) -> None:
    """Open the list of the selectbox `key` (its options are drawn only then) and check it."""
    page.locator(f".st-key-{key}").get_by_role("combobox").click()
    page.get_by_role("option").first.wait_for(timeout=WAIT_MS)
    _assert_inert(page, requests, [], f"the options of {key}")
    page.keyboard.press("Escape")


def _annotator_pages(page: Any, hostile: Hostile, requests: list[str]) -> None:
    """ann: her finished article with its review table, the article list, her last two
    sentences, the keys and definitions, her fact check, and her account."""
    page.get_by_text("Article finished").wait_for(timeout=WAIT_MS)
    fields = ("article-byline", "article-source")
    header = [f"Title {hostile.text('article-title')}", *(hostile.text(f) for f in fields)]
    _assert_inert(page, requests, header, "article summary")
    _options_inert(page, "annotate_article_id", requests)
    page.get_by_role("button", name="Back to the last sentence").click()
    page.get_by_text("Your label:").wait_for(timeout=WAIT_MS)
    label = f"Your label: {hostile.labels[0]}"
    _assert_inert(page, requests, [hostile.text("article-body-3"), label], "last sentence")
    page.get_by_role("button", name="Back").click()
    page.get_by_text("Your label: skipped").wait_for(timeout=WAIT_MS)
    _assert_inert(page, requests, [], "skipped sentence")
    page.get_by_text("Keys and definitions").click()
    page.get_by_text("Project guidelines").wait_for(timeout=WAIT_MS)
    definitions = [hostile.text("def-factual"), hostile.text("guidelines")]
    _assert_inert(page, requests, definitions, "keys and definitions")
    page.keyboard.press("Escape")
    _checker_pages(page, hostile, requests)
    _visit(page, requests, "Account", "Change your password", ["Signed in as ann (annotator)."])


def _checker_pages(page: Any, hostile: Hostile, requests: list[str]) -> None:
    """ann as a fact-checker: her claim (with the article's URL), her queue, and an evidence
    URL refused with a message that quotes it."""
    open_page(page, "Fact-check")
    page.get_by_text("0 open, 1 done").wait_for(timeout=WAIT_MS)
    claim = [hostile.text("article-url"), hostile.text("article-body-1")]
    _assert_inert(page, requests, claim, "checker's claim")
    _options_inert(page, "fact_check_chosen", requests)
    bad = hostile.bad_evidence_url()
    page.get_by_label("Evidence URLs").fill(bad)
    page.get_by_role("button", name="Save verdict").click()
    refused = f"evidence URL {bad[:80]!r} must be an http:// or https:// address"
    page.get_by_text("must be an http").wait_for(timeout=WAIT_MS)
    _assert_inert(page, requests, [refused], "refused evidence URL")


def _lead_pages(page: Any, hostile: Hostile, requests: list[str]) -> None:
    """lena: every page of a lead, the lists and statuses on them, an import of a hostile
    article and a hostile rejected file, and a project created with a hostile scheme."""
    checks = _page_checks(hostile, "lena", "lead")
    for link in ("Annotate", "Fact-check", "Agreement", "Adjudicate"):
        _visit(page, requests, link, *checks[link])
        if link == "Fact-check":
            _options_inert(page, "reopen_choice", requests)
    _adjudication_statuses(page, hostile, requests)
    for link in ("Export", "Progress", "Import"):
        _visit(page, requests, link, *checks[link])
    _import_on_the_page(page, hostile, requests)
    _visit(page, requests, "Projects", *checks["Projects"])
    _create_project_on_the_page(page, hostile)
    page.get_by_text("Created project").wait_for(timeout=WAIT_MS)
    _assert_inert(page, requests, [f"Created project {hostile.project} 2"], "project created")
    _visit(page, requests, "Account", *checks["Account"])


def _adjudication_statuses(page: Any, hostile: Hostile, requests: list[str]) -> None:
    """The sentence waiting for labels (ann's skip reason) and the gold one (its label)."""
    for status, current, shown in (
        ("Waiting for labels", "The figure rose", [hostile.text("note-ann")]),
        ("Gold", "Officials said", [f"Gold: {hostile.labels[0]}"]),
    ):
        page.get_by_role("radio", name=status, exact=True).click()  # a segmented control
        page.wait_for_function(
            "text => document.querySelector('[data-testid=ca-current]')?.innerText"
            ".startsWith(text)",
            arg=current,
            timeout=WAIT_MS,
        )
        _assert_inert(page, requests, shown, f"adjudication: {status}")


def _import_on_the_page(page: Any, hostile: Hostile, requests: list[str]) -> None:
    """Import a hostile article and a file refused with a message quoting a hostile key."""
    files = [
        {"name": "upload.jsonl", "mimeType": "application/json", "buffer": hostile.article("up")},
        {"name": "bad.jsonl", "mimeType": "application/json", "buffer": hostile.rejected_file()},
    ]
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(files)
    settle(page)
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("1 article imported; 1 file rejected.").wait_for(timeout=WAIT_MS)
    _assert_inert(page, requests, [], "import report")


def _admin_pages(page: Any, hostile: Hostile, requests: list[str]) -> None:
    """admin: every page, and a hostile user name refused with a message that quotes it."""
    for link, (ready, shown) in _page_checks(hostile, "admin", "admin").items():
        _visit(page, requests, link, ready, shown)
    open_page(page, "Users")
    page.get_by_label("User name").fill(hostile.user_name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    refused = f"user name {hostile.user_name!r} is not allowed"
    page.get_by_text("is not allowed").wait_for(timeout=WAIT_MS)
    _assert_inert(page, requests, [refused], "refused user name")

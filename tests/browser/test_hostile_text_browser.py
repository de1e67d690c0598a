"""In Chromium: text typed by users (an article's title, body and byline, notes, guidelines, a
scheme's labels and definitions, project and user names) that holds a <script>, an <img> and
a Markdown image pointing at a local server, a javascript: link, **bold**, maths, a colour and
</div> is shown as text on every page it reaches: no script runs, no request leaves, the text
reads as typed.
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

from annotator.scheme import load_scheme
from annotator.services import accounts, assignment, labelling
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.projects import create_project
from tests.browser.pages import WAIT_MS, choose_project, log_in, open_page, settle
from tests.conftest import PASSWORD, prepare_database
from tests.hostile_text import USERS, Hostile

pytestmark = pytest.mark.browser
SessionFor = Callable[[str], AbstractContextManager[Session]]
IMAGES_DONE = "() => Array.from(document.images).every(image => image.complete)"


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
        lead = accounts.authenticate(session, "lena", PASSWORD)
        scheme = load_scheme("hostile.json", hostile.scheme())
        guidelines = hostile.text("guidelines")
        create_project(
            session, hostile.project, scheme=scheme, overlap=2, guidelines=guidelines, actor=lead
        )
        assert import_file(session, hostile.project, "h.jsonl", hostile.article()).imported == 1
        assignment.assign(session, lead, hostile.project, ["ann", "bob"])
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
    failed (the pixel server answers 404), and a short settle lets a late request arrive.
    """
    settle(page)
    page.wait_for_function(IMAGES_DONE, timeout=WAIT_MS)
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__pwned") == "undefined", where
    assert requests == [], where
    assert page.locator(".katex").count() == 0, where
    text = page.evaluate("document.body.innerText")
    missing = [s for s in shown if s not in text]
    assert not missing, f"{where}: not shown as text: {missing}"


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

    ann = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    log_in(ann, url, "ann")
    choose_project(ann, hostile.project)
    ann.get_by_test_id("stProgress").wait_for(timeout=WAIT_MS)
    header = article[:2]  # the first sentence is too far back to be in the context box
    _assert_inert(ann, requests, [*header, hostile.text("article-body-3"), *hostile.labels])
    ann.get_by_role("button", name="Back").click()
    _assert_inert(ann, requests, [f"Your label: {hostile.labels[0]}"])
    note = ann.get_by_label(re.compile("also the reason when you skip"))
    assert note.input_value() == hostile.text("note-ann")
    ann.get_by_role("button", name="Keys").click()
    definitions = [hostile.text(w) for w in ("def-factual", "example-opinion", "torn")]
    _assert_inert(ann, requests, [*definitions, hostile.text("guidelines")])

    lead = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    log_in(lead, url, "lena")
    choose_project(lead, hostile.project)
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

    admin = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    log_in(admin, url, "admin")
    open_page(admin, "Users")
    admin.get_by_label("User name").fill(hostile.user_name)
    admin.get_by_label("Password", exact=True).fill(PASSWORD)
    admin.get_by_role("button", name="Create account").click()
    _assert_inert(admin, requests, [f"user name {hostile.user_name!r} is not allowed"])


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

"""Web pages (issue 19, item 4): two news pages written for these tests (a news site and a
blog, with menus, cookie banners, teasers and footers around the article) give the article's
text and metadata without the boilerplate; the page is kept beside the text; a page without
text and a URL that cannot be fetched are rejected with nothing stored."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from annotator.errors import ImportRejected
from annotator.readers import read_file
from annotator.services import importing
from annotator.services.importing import fetch_page, import_file, import_url
from db.models import Article, ArticleOriginal, Sentence
from tests.conftest import table_counts

PAGES = Path(__file__).parent / "data" / "html"
LEDGER = PAGES / "valley-ledger.reservoir-survey.html"
BLOG = PAGES / "fieldnotes-blog.night-trains.html"
Run = Callable[..., tuple[int, str, str]]
Counts = Callable[[str], dict[str, int]]

# page -> (title, byline, published, source, url, a sentence of the article, boilerplate)
EXPECTED = {
    LEDGER: (
        "Survey finds Brannock reservoir lost a fifth of its capacity to silt",
        "Hanna Ostrowe",
        "2025-03-14",
        "The Valley Ledger",
        "https://news.example.com/2025/03/14/brannock-reservoir-silt-survey/",
        "Rain now washes soil straight into the river, the engineers wrote.",
        (
            "Sign up for our free newsletter",
            "Related stories",
            "Accept all cookies",
            "All rights reserved",
            "Subscribe from",
        ),
    ),
    BLOG: (
        "What the night train timetable does not tell you",
        "Corin Maddox",
        "2024-11-02",
        "Platform Notes",
        "https://blog.example.org/2024/11/night-train-timetable.html",
        "It took thirteen, and nobody on board seemed surprised.",
        (
            "Subscribe to the newsletter",
            "You might also like",
            "Great write-up",
            "uses a cookie",
            "Text licensed for reuse",
        ),
    ),
}


@pytest.mark.parametrize("page", list(EXPECTED), ids=lambda p: p.name)
def test_a_saved_news_page_gives_its_text_title_byline_date_source_and_url(page: Path) -> None:
    title, byline, published, source, url, sentence, boilerplate = EXPECTED[page]
    (draft,) = read_file(page.name, page.read_bytes())
    assert (draft.title, draft.byline, draft.source, draft.url) == (title, byline, source, url)
    assert (str(draft.published), draft.published_raw) == (published, published)
    assert sentence in draft.text
    assert [b for b in boilerplate if b in draft.text] == []
    assert "<" not in draft.text.replace("<<", "")  # text, not markup
    assert draft.html == page.read_bytes()


def test_importing_a_page_keeps_the_html_beside_the_extracted_text(seeded: Session) -> None:
    report = import_file(seeded, "default", LEDGER.name, LEDGER.read_bytes())
    assert (report.status, report.imported) == ("imported", 1)
    with seeded.begin():
        article = seeded.scalars(select(Article).where(Article.origin == LEDGER.name)).one()
        original = seeded.get(ArticleOriginal, article.id)
        assert original is not None
        assert (original.media_type, original.content) == ("text/html", LEDGER.read_bytes())
        spans = seeded.execute(
            select(Sentence.char_start, Sentence.char_end, Sentence.role).where(
                Sentence.article_id == article.id
            )
        ).all()
        sentences = {article.text[s:e] for s, e, role in spans if role == "body"}
    assert EXPECTED[LEDGER][5] in sentences
    assert "\n\n" in article.text and "<p>" not in article.text


@pytest.mark.parametrize(
    "html",
    [
        b"<html><head><title>Empty</title></head><body><script>var a = 1;</script></body></html>",
        b"<html><body>   </body></html>",
    ],
)
def test_a_page_without_article_text_is_rejected_and_nothing_is_stored(
    html: bytes, seeded: Session, engine: Engine
) -> None:
    before = table_counts(engine)
    report = import_file(seeded, "default", "empty.html", html)
    assert report.error == (
        "empty.html: no article text found in the page (trafilatura extracted nothing)"
    )
    assert table_counts(seeded.get_bind()) == before  # type: ignore[arg-type]


def test_an_unreachable_url_is_rejected_by_the_command_line_and_nothing_is_stored(
    cli_db: str, run_cli: Run, row_counts: Counts
) -> None:
    before = row_counts(cli_db)
    code, out, err = run_cli(cli_db, "import", "http://127.0.0.1:9/news/story")
    assert (code, out) == (1, "")
    assert err.startswith("rejected http://127.0.0.1:9/news/story: cannot fetch the page (")
    assert "is this machine online?" in err and "Traceback" not in err
    assert row_counts(cli_db) == before


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/page.html"])
def test_only_http_and_https_urls_are_fetched(url: str) -> None:
    with pytest.raises(ImportRejected, match=r"only http:// and https:// URLs can be imported"):
        fetch_page(url)


class _Pages(http.server.BaseHTTPRequestHandler):
    """Serves the saved Valley Ledger page at /story, a PNG at /photo and a 404 elsewhere."""

    def do_GET(self) -> None:
        found = {"/story": ("text/html; charset=utf-8", LEDGER.read_bytes()),
                 "/photo": ("image/png", b"\x89PNG")}.get(self.path)  # fmt: skip
        if found is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", found[0])
        self.send_header("Content-Length", str(len(found[1])))
        self.end_headers()
        self.wfile.write(found[1])

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """A web server on loopback (the machine may have no other network)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_is_fetched_and_imported_like_a_saved_page(site: str, seeded: Session) -> None:
    report = import_url(seeded, "default", f"{site}/story")
    assert (report.status, report.imported) == ("imported", 1)
    with seeded.begin():
        article = seeded.scalars(select(Article).where(Article.origin == f"{site}/story")).one()
        original = seeded.get(ArticleOriginal, article.id)
        assert original is not None and original.content == LEDGER.read_bytes()
        assert (article.title, article.url) == (EXPECTED[LEDGER][0], EXPECTED[LEDGER][4])


@pytest.mark.parametrize(
    ("path", "problem"),
    [("/photo", "not a web page: the server sent image/png"), ("/gone", "HTTP 404 Not Found")],
)
def test_a_url_that_is_not_a_page_is_rejected_saying_why(
    site: str, path: str, problem: str, seeded: Session, engine: Engine
) -> None:
    before = table_counts(engine)
    report = import_url(seeded, "default", site + path)
    assert report.error is not None and report.error.startswith(f"{site}{path}: ")
    assert problem in report.error
    assert table_counts(seeded.get_bind()) == before  # type: ignore[arg-type]


def test_a_page_over_the_size_limit_is_refused(site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 1_000)
    with pytest.raises(ImportRejected, match="over the 1,000-byte limit"):
        fetch_page(f"{site}/story")

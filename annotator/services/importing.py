"""Import articles into a project: read, segment, assign roles, store (whole file or nothing).

The slow, pure part (decoding, segmentation) runs before the write transaction opens, so the
database's write lock is held only for the inserts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator import __version__
from annotator.errors import AnnotatorError, ImportRejected
from annotator.readers import MAX_FILE_BYTES, ArticleDraft, read_file
from annotator.segment import sentence_spans
from annotator.sentence_roles import span_role, text_blocks
from annotator.services.projects import led_project
from annotator.services.records import UserInfo
from annotator.transcripts import SentenceRow, transcript_sentences
from annotator.written_dates import DayOrder
from db.engine import write_transaction
from db.models import Article, ArticleOriginal, Project, Sentence

_IN_CHUNK = 500  # keeps IN (...) lists under every database's bound-parameter limit
# Sentence rows per INSERT: a row's parameters cost about 1 KB in Python, and an article of
# one-letter sentences ("A. A. A. ...") has one for every 3 bytes of its file.
_INSERT_CHUNK = 5_000
FETCH_TIMEOUT_SECONDS = 30
WEB_PAGE_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FileReport:
    """What one file's import did: articles stored, duplicates skipped, or why it was rejected."""

    name: str
    imported: int = 0
    duplicates: int = 0
    sentences: int = 0
    error: str | None = None
    warnings: tuple[str, ...] = ()
    body_sentences: int = 0  # what annotators label: the count `projects list` shows
    duplicate_notes: tuple[str, ...] = ()  # per skipped article: where it is, what it repeats

    @property
    def status(self) -> str:
        """`rejected`, `duplicate` (nothing new in it) or `imported`."""
        if self.error is not None:
            return "rejected"
        return "imported" if self.imported else "duplicate"


@dataclass(frozen=True)
class PreparedArticle:
    """A draft with its content hash and its sentences as (start, end, role, speaker)."""

    draft: ArticleDraft
    content_hash: str
    sentences: tuple[SentenceRow, ...]

    @property
    def n_body(self) -> int:
        """How many of its sentences annotators will label."""
        return sum(1 for _, _, role, _ in self.sentences if role == "body")


def content_hash(title: str, text: str) -> str:
    """Identity of an article's content: re-importing the same title and text is a duplicate."""
    return hashlib.sha256(f"{title}\x00{text}".encode()).hexdigest()


def prepare(draft: ArticleDraft) -> PreparedArticle:
    """Segment a draft and give each sentence the role of its blocks (see `span_role`); a
    transcript's sentences come turn by turn, with their speaker."""
    if draft.turns:
        sentences = tuple(transcript_sentences(draft))
    else:
        blocks = text_blocks(draft.text, title_in_text=draft.title_in_text)
        sentences = tuple(
            (start, end, span_role(blocks, start, end), None)
            for start, end in sentence_spans(draft.text)
        )
    return PreparedArticle(draft, content_hash(draft.title, draft.text), sentences)


def import_file(
    session: Session,
    project: str,
    name: str,
    data: bytes,
    *,
    actor: UserInfo | None = None,
    day_order: DayOrder | None = None,
    transcript: bool = False,
    title: str | None = None,
) -> FileReport:
    """Import one file's articles into `project`, all of them or none; never raises for bad
    data. `actor` must be an admin or a lead of the project (None: the command line);
    `day_order` says how to read numeric publication dates (see `annotator.written_dates`).
    With `transcript` the file is one transcript, `title` its title (`.jsonl` only)."""
    return _import(
        session,
        project,
        name,
        lambda: read_file(name, data, day_order, transcript=transcript, title=title),
        actor,
    )


def import_url(
    session: Session, project: str, url: str, *, actor: UserInfo | None = None
) -> FileReport:
    """Fetch the web page at `url` and import its article, like a saved `.html` file."""

    def read() -> list[ArticleDraft]:
        from annotator.html_pages import page_draft  # trafilatura: imported on first use

        return [page_draft(url, fetch_page(url), url=url)]

    return _import(session, project, url, read, actor)


def fetch_page(url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> bytes:
    """The bytes of the web page at `url` (http or https), refused past `MAX_FILE_BYTES`;
    ImportRejected naming the URL when the page cannot be had (offline, refused, HTTP error,
    not HTML). urllib is imported here: it is slow to import and most commands never fetch."""
    import http.client
    import urllib.error
    import urllib.parse
    import urllib.request

    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ImportRejected("only http:// and https:// URLs can be imported", file=url)
    request = urllib.request.Request(url, headers={"User-Agent": f"claim-annotator/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            if kind not in WEB_PAGE_TYPES:
                raise ImportRejected(f"not a web page: the server sent {kind}", file=url)
            data: bytes = response.read(MAX_FILE_BYTES + 1)
    except urllib.error.HTTPError as error:
        message = f"cannot fetch the page: HTTP {error.code} {error.reason}"
        raise ImportRejected(message, file=url) from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        message = (
            f"cannot fetch the page ({reason}); is this machine online? "
            "A page saved as .html can be imported instead"
        )
        raise ImportRejected(message, file=url) from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected(f"the page is over the {MAX_FILE_BYTES:,}-byte limit", file=url)
    return data


def _import(
    session: Session,
    project: str,
    name: str,
    read: Callable[[], list[ArticleDraft]],
    actor: UserInfo | None,
) -> FileReport:
    """Read (all the slow work), then store in one transaction; a FileReport either way."""
    try:
        prepared = [prepare(draft) for draft in read()]
        warnings = tuple(w for p in prepared for w in p.draft.warnings)
        stored, duplicates = _store_with_retry(session, project, prepared, actor)
    except AnnotatorError as error:
        return FileReport(name=name, error=error.located())
    return FileReport(
        name=name,
        imported=len(stored),
        duplicates=len(duplicates),
        sentences=sum(len(p.sentences) for p in stored),
        warnings=warnings,
        body_sentences=sum(p.n_body for p in stored),
        duplicate_notes=duplicates,
    )


def read_path(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file to import, refusing one over `limit` bytes before reading it."""
    try:
        if not path.exists():
            raise ImportRejected("no such file", file=str(path))
        if not path.is_file():
            raise ImportRejected("not a regular file (a directory?)", file=str(path))
        size = path.stat().st_size
        if size > limit:
            raise ImportRejected(f"file is {size:,} bytes; the limit is {limit:,}", file=str(path))
        return path.read_bytes()
    except OSError as error:
        raise ImportRejected(f"cannot read: {error.strerror}", file=str(path)) from error


def _store_with_retry(
    session: Session, project: str, prepared: Sequence[PreparedArticle], actor: UserInfo | None
) -> tuple[list[PreparedArticle], tuple[str, ...]]:
    """Store in one transaction; if another process stored the same article meanwhile
    (PostgreSQL reports a unique violation), try once more: it is then a duplicate."""
    for attempt in range(2):
        try:
            with write_transaction(session):
                row = led_project(session, actor, project)
                return _store(session, row, prepared)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _store(
    session: Session, project: Project, prepared: Sequence[PreparedArticle]
) -> tuple[list[PreparedArticle], tuple[str, ...]]:
    """Insert the articles that are new; say of each duplicate where it is and what it repeats."""
    known = _known_keys(session, project.id, prepared)
    in_file: dict[tuple[str, str], str] = {}  # key -> origin of the article of this file
    stored: list[PreparedArticle] = []
    duplicates: list[str] = []
    for article in prepared:
        keys = _keys(article)
        if keys & known:
            duplicates.append(_duplicate_note(article, keys & known, in_file))
            continue
        known |= keys
        in_file.update(dict.fromkeys(keys, article.draft.origin))
        _insert_article(session, project.id, article)
        stored.append(article)
    # Incremented in SQL, not in Python: concurrent imports must not lose each other's counts.
    session.execute(
        update(Project)
        .where(Project.id == project.id)
        .values(n_body=Project.n_body + sum(a.n_body for a in stored))
    )
    return stored, tuple(duplicates)


def _duplicate_note(
    article: PreparedArticle, matched: set[tuple[str, str]], in_file: dict[tuple[str, str], str]
) -> str:
    """`a.csv:3: same id 'x' as a.csv:2`, or `... as an article already in the project`."""
    kind, value = min(matched, key=lambda key: key[0] != "id")  # an id says most
    what = f"id {value!r}" if kind == "id" else "title and text"
    earlier = in_file.get((kind, value), "an article already in the project")
    return f"{article.draft.origin}: same {what} as {earlier}"


def _keys(article: PreparedArticle) -> set[tuple[str, str]]:
    """What identifies an article: its content hash and, when it has one, its external id."""
    keys = {("hash", article.content_hash)}
    if article.draft.external_id is not None:
        keys.add(("id", article.draft.external_id))
    return keys


def _known_keys(
    session: Session, project_id: int, prepared: Sequence[PreparedArticle]
) -> set[tuple[str, str]]:
    """The keys among `prepared` that the project already holds."""
    wanted = set().union(*(_keys(p) for p in prepared))
    known: set[tuple[str, str]] = set()
    for kind, column in (("hash", Article.content_hash), ("id", Article.external_id)):
        values = sorted(v for k, v in wanted if k == kind)
        for i in range(0, len(values), _IN_CHUNK):
            found = session.scalars(
                select(column).where(
                    Article.project_id == project_id, column.in_(values[i : i + _IN_CHUNK])
                )
            )
            known |= {(kind, value) for value in found if value is not None}
    return known


def _insert_article(session: Session, project_id: int, article: PreparedArticle) -> None:
    draft = article.draft
    row = Article(
        project_id=project_id,
        external_id=draft.external_id,
        title=draft.title,
        text=draft.text,
        byline=draft.byline,
        published=draft.published,
        published_raw=draft.published_raw,
        source=draft.source,
        url=draft.url,
        content_hash=article.content_hash,
        origin=draft.origin,
        n_sentences=len(article.sentences),
        n_body=article.n_body,
        imported_at=dt.datetime.now(dt.UTC),
    )
    session.add(row)
    session.flush()
    if draft.html is not None:
        session.add(ArticleOriginal(article_id=row.id, media_type="text/html", content=draft.html))
    for first in range(0, len(article.sentences), _INSERT_CHUNK):
        session.execute(insert(Sentence), _sentence_rows(row.id, article.sentences, first))


def _sentence_rows(
    article_id: int, sentences: Sequence[SentenceRow], first: int
) -> list[dict[str, Any]]:
    """The rows of the sentences from index `first`, at most `_INSERT_CHUNK` of them."""
    chunk = sentences[first : first + _INSERT_CHUNK]
    return [
        {
            "article_id": article_id,
            "index": i,
            "char_start": start,
            "char_end": end,
            "role": role,
            "speaker": speaker,
        }
        for i, (start, end, role, speaker) in enumerate(chunk, start=first)
    ]

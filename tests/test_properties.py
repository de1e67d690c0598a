"""Property tests (hypothesis): segmentation and import keep their promises for any text.

- `sentence_spans(text)` returns ordered, non-overlapping, non-empty, trimmed spans inside the
  text that together cover every non-whitespace character, and the same spans every time.
  "Whitespace" is `str.isspace()` (docs/conventions/segmentation.md); the module trims with
  `str.strip` and matches regex `\\s`, which agree with it on every code point (checked here).
- Importing a .txt, .csv or .jsonl file either stores exactly what the file says (decoded,
  BOM dropped, CRLF/CR made LF, nothing else changed; sentences slicing that text; body
  sentences covering the body lines) or is rejected with an `ImportRejected` naming the file,
  and then the database is as it was.

Hypothesis and function-scoped fixtures do not mix, so the import tests share one migrated
SQLite database per module and give every example a project of its own. With CI=true the
examples are derandomized, so CI runs the same examples every time.
"""

from __future__ import annotations

import csv
import io
import json
import operator
import re
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from annotator.errors import ImportRejected
from annotator.readers import read_file
from annotator.segment import sentence_spans
from annotator.sentence_roles import text_blocks
from annotator.services.importing import FileReport, import_file
from annotator.services.projects import create_project
from db.engine import make_engine, read_transaction, session_factory
from db.models import Article, Project, Sentence
from tests.conftest import IN_CI, table_counts

# deadline=None: pySBD's time per call varies with the load of a shared 2-core machine.
PROFILE = settings(deadline=None, derandomize=IN_CI)

# ---- strategies: characters ----------------------------------------------------------------

SPACES = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202e\u2066\u2069"
MARKS = "\u0301\u0308\u0327\u064b\u0670\u20dd"
SCRIPTS = "مرحبا،شלום한국어ไทย"
SYMBOLS = ".?!…۔؟\"'“”‘’()[]«»—–-,;:🎉👍🏽🇵🇰∯♨☝ȸȹ⚑✂ᓰᓱ&"
TRICKY = SPACES + INVISIBLE + MARKS + SCRIPTS + SYMBOLS

# Any code point, surrogates and NUL included, with the tricky ones much more likely.
ANY_TEXT = st.text(st.characters() | st.sampled_from(TRICKY), max_size=200)
# What UTF-8 can carry (no lone surrogates); NUL still comes up now and then.
UTF8_TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from(TRICKY), max_size=200)

# ---- strategies: news-like text built from fragments ---------------------------------------

WORDS = (
    "The talks ended he she said asked Senate minister Pakistan in the and rose Monday world "
    "Sharif A I of budget officials No Group vitamin D"
).split()
ABBREVIATIONS = (
    "U.S. U.K. U.N. U.A.E. E.U. Dr. Mr. Mrs. Prof. Lt. Col. Gen. Capt. St. Rd. p.m. a.m. No. "
    "Jan. Sept. Nov. vs. e.g. i.e. c. Rs. etc. Inc. Ltd. Co. Jr. Ph.D. B.C. J. R. K. M.A."
).split()
NUMBERS = (
    "3.5 1. 2. 12. 41,234.56 $4.5 £1.5m 12.03.2015 11.45am v3.0 2.24.8.76 1.1.1. 44.5°C 9:30 "
    "2014 20 (1) (a) i. iv)"
).split()
PUNCTUATION = [
    *". ? ! ... .... … ?! ۔ ؟ , ; : — – - “ ” \" ' ‘ ’ ( ) [ ] « » 🎉🎉 ..".split(),
    "[1, 2, 3, ...]",
    ".[111 111 111 111",
    " - ",
]
NEWS_BITS = [
    "ISLAMABAD: ",
    "KARACHI, Jan 5 (Reuters) - ",
    "WASHINGTON (AP) — ",
    "Published November 21, 2014",
    "Updated 19 Mar, 2024",
    "Written by The Frontier Post",
    "By Staff Reporter",
    "Also read: ",
    "Opinion",
    "About the author",
    "Photo from Nov 20, 2014, shows",
    "A view of the city",
    "(L).—AFP",
    ".—AFP",
    " — Reuters",
    " (Photo: AP)",
    " — Photo by X/White Star",
    "• ",
    "- ",
    "(a) ",
    "1. ",
    "www.pbs.gov.pk",
    "news@example.com",
    "agreement.The",
    "“Why?” he asked.",
    "“We have done our part. Now it is up to them,” she said.",
    "(Two members abstained.)",
    "[Editor's note: updated.]",
]
SEPARATORS = [
    *[" "] * 6,
    "  ",
    "\n",
    "\n\n",
    "\n \n",
    "\r\n",
    "\r\n\r\n",
    "\r",
    "\t",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\u200b",
    "\x85",
    "\u3000",
    "-\n",
    ",\n",
]
LONG_TOKENS = st.builds(
    operator.mul,
    st.sampled_from(["a", "é", "1.", ".", "A. ", "word ", "x\u0301", "…", "(", "\u00a0", "\n"]),
    st.integers(50, 1500),
)
PIECE = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(SEPARATORS),
    st.sampled_from(ABBREVIATIONS),
    st.sampled_from(NUMBERS),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(NEWS_BITS),
    st.text(st.sampled_from(TRICKY), min_size=1, max_size=3),
    st.text(st.characters(categories=["L", "M", "N"], codec="utf-8"), min_size=1, max_size=12),
    LONG_TOKENS,
)
NEWS_TEXT = st.lists(PIECE, max_size=60).map("".join)
# Long paragraphs: pySBD only ever sees windows of them (segment._MAX_PYSBD_CHARS).
REPEATED_TEXT = st.builds(
    operator.mul, st.lists(PIECE, max_size=12).map("".join), st.integers(2, 40)
)
LINE_BREAKS = st.sampled_from(["\n", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\n \n", "\n\t\n"])


@st.composite
def article_texts(draw: st.DrawFn) -> str:
    """Text shaped like a scraped article: lines of fragments, single and blank line breaks."""
    line = st.one_of(st.sampled_from(NEWS_BITS), NEWS_TEXT)
    lines = draw(st.lists(st.tuples(line, LINE_BREAKS), min_size=1, max_size=10))
    bom = draw(st.sampled_from(["", "", "", "\ufeff"]))
    return bom + "".join(text + brk for text, brk in lines)


SEGMENT_TEXT = st.one_of(ANY_TEXT, NEWS_TEXT, article_texts(), REPEATED_TEXT)
IMPORT_TEXT = st.one_of(UTF8_TEXT, NEWS_TEXT, article_texts())

# ---- 1. segmentation -----------------------------------------------------------------------


def assert_valid_spans(text: str, spans: Sequence[tuple[int, int]]) -> None:
    """Spans are ordered, disjoint, inside the text, non-empty and trimmed, and only
    whitespace (str.isspace) lies outside them."""
    previous = 0
    for start, end in spans:
        assert type(start) is int and type(end) is int
        assert previous <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert all(char.isspace() for char in text[previous:start])
        previous = end
    assert all(char.isspace() for char in text[previous:])


def test_the_module_whitespace_is_str_isspace_on_every_code_point() -> None:
    characters = [chr(code) for code in range(0x110000)]
    assert all(bool(re.fullmatch(r"\s", char)) == char.isspace() for char in characters)
    assert all((char.strip() == "") == char.isspace() for char in characters)


@settings(PROFILE, max_examples=400)
@given(SEGMENT_TEXT)
@example("")
@example("\x00\u200b\ufeff")
@example("One.\u2028Two.\u2029Three.\x1cFour.\x85Five.")
@example("\u00a0First one.\u00a0 Second one.\r\nThird line\r\n")
@example("1.1.1. [1, 2, 3, ...]. U.S. Dr. p.m. 3.5")
@example("Caption here.—AFP\n\nThe talks ended.")
def test_spans_are_ordered_trimmed_and_cover_every_non_whitespace_character(text: str) -> None:
    assert_valid_spans(text, sentence_spans(text))


def in_new_thread(function: Callable[[str], list[tuple[int, int]]], text: str) -> object:
    """The result of `function(text)` computed in a fresh thread (with its own segmenter)."""
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(function(text)))
    thread.start()
    thread.join()
    return result[0]


@settings(PROFILE, max_examples=150)
@given(SEGMENT_TEXT, NEWS_TEXT)
def test_segmentation_is_deterministic_whatever_came_before(text: str, other: str) -> None:
    first = sentence_spans(text)
    sentence_spans(other)  # pySBD keeps per-call state on its segmenter: it must not leak
    assert sentence_spans(text) == first
    assert in_new_thread(sentence_spans, text) == first


# ---- 2. import: a database shared by the module, a project per example ---------------------


@dataclass(frozen=True)
class Database:
    """One migrated SQLite database and a session on it, shared by every example."""

    engine: Engine
    session: Session

    def new_project(self) -> str:
        """A fresh, empty project, so examples never see each other's articles."""
        return create_project(self.session, f"prop-{uuid.uuid4().hex}").name


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A migrated SQLite database for this module's examples (built once: see the docstring)."""
    from db.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('properties') / 'annotator.db'}")
    upgrade(engine)
    with session_factory(engine)() as session:
        yield Database(engine, session)
    engine.dispose()


@dataclass(frozen=True)
class Expected:
    """What one stored article must hold."""

    title: str
    text: str
    title_in_text: bool
    external_id: str | None = None
    fields: Mapping[str, str | None] | None = None  # byline, source, url, published_raw


def lf(text: str) -> str:
    """CRLF and lone CR made LF."""
    return re.sub(r"\r\n?", "\n", text)


def decoded(text: str) -> str:
    """The text the import must store: BOM dropped, CRLF and lone CR made LF; nothing else."""
    return lf(text.removeprefix("\ufeff"))


def is_blank(text: str) -> bool:
    """Only whitespace (or nothing)."""
    return not text or text.isspace()


# Characters that show nothing: soft hyphen, bidi and zero-width marks, BOM (the import refuses
# a file made only of these and whitespace, as empty).
INVISIBLE = set("\u00ad\u061c\u180e\ufeff") | {
    chr(c) for lo, hi in ((0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F))
    for c in range(lo, hi + 1)
}  # fmt: skip


def shows_nothing(text: str) -> bool:
    """Only whitespace and invisible characters (or nothing)."""
    return all(char.isspace() or char in INVISIBLE for char in text)


def storable(text: str) -> bool:
    """Text a UTF-8 file and the database can carry: no NUL, no lone surrogate."""
    return "\x00" not in text and not any("\ud800" <= char <= "\udfff" for char in text)


def import_and_check(db: Database, name: str, data: bytes, expected: list[Expected] | None) -> None:
    """Import `data` as `name` into a new project; `expected` None means it must be refused.

    Either way the outcome is checked in full: what was stored, or that nothing was."""
    project = db.new_project()
    before = table_counts(db.engine)
    report = import_file(db.session, project, name, data)
    event(report.status)
    if report.status == "rejected":
        assert expected is None, report.error
        assert_rejection_changed_nothing(db, project, name, data, report, before)
    else:
        assert expected is not None, f"accepted a file that must be refused: {name}"
        assert report.imported == len(expected)
        assert_stored(db, project, expected)


def assert_rejection_changed_nothing(
    db: Database,
    project: str,
    name: str,
    data: bytes,
    report: FileReport,
    before: dict[str, int],
) -> None:
    """The refusal is the reader's ImportRejected, naming the file; nothing was written."""
    with pytest.raises(ImportRejected) as caught:
        read_file(name, data)
    assert caught.value.file == name
    assert report.error == caught.value.located()
    assert table_counts(db.engine) == before
    assert stored_project(db, project).n_body == 0


def stored_project(db: Database, name: str) -> Project:
    """The project row as it is now in the database."""
    with read_transaction(db.session):
        project = db.session.scalars(select(Project).where(Project.name == name)).one()
        db.session.refresh(project)
        return project


def stored_articles(db: Database, project: Project) -> list[tuple[Article, list[Sentence]]]:
    """The project's articles in import order, each with its sentences in order."""
    with read_transaction(db.session):
        articles = list(
            db.session.scalars(
                select(Article).where(Article.project_id == project.id).order_by(Article.id)
            )
        )
        return [(article, sentences_of(db.session, article.id)) for article in articles]


def sentences_of(session: Session, article_id: int) -> list[Sentence]:
    """An article's sentence rows in index order."""
    query = select(Sentence).where(Sentence.article_id == article_id).order_by(Sentence.index)
    return list(session.scalars(query))


def assert_stored(db: Database, project_name: str, expected: list[Expected]) -> None:
    """Articles hold exactly the expected values; sentences slice them; counts add up."""
    project = stored_project(db, project_name)
    stored = stored_articles(db, project)
    assert len(stored) == len(expected)
    for (article, sentences), wanted in zip(stored, expected, strict=True):
        assert (article.title, article.text) == (wanted.title, wanted.text)
        assert article.external_id == wanted.external_id
        if wanted.fields is not None:
            assert stored_fields(article) == wanted.fields
        assert article.published is None or article.published_raw is not None
        assert_sentences(article, sentences, wanted.title_in_text)
    assert project.n_body == sum(article.n_body for article, _ in stored)


def stored_fields(article: Article) -> dict[str, str | None]:
    """The optional values an article keeps as text."""
    return {
        "byline": article.byline,
        "source": article.source,
        "url": article.url,
        "published_raw": article.published_raw,
    }


def assert_sentences(article: Article, sentences: Sequence[Sentence], title_in_text: bool) -> None:
    """Sentences are the segmenter's spans of the stored text, and the body ones cover the
    body lines, so no body text is hidden from annotators."""
    text = article.text
    spans = [(sentence.char_start, sentence.char_end) for sentence in sentences]
    assert [sentence.index for sentence in sentences] == list(range(len(sentences)))
    assert_valid_spans(text, spans)
    assert spans == sentence_spans(text)
    body = [sentence for sentence in sentences if sentence.role == "body"]
    assert (article.n_sentences, article.n_body) == (len(sentences), len(body))
    covered = [False] * len(text)
    for sentence in body:
        covered[sentence.char_start : sentence.char_end] = [True] * (
            sentence.char_end - sentence.char_start
        )
    for block in text_blocks(text, title_in_text=title_in_text):
        if block.role == "body":
            hidden = [i for i in range(block.start, block.end) if not covered[i]]
            assert all(text[i].isspace() for i in hidden), (block, hidden)


# ---- 2a. .txt ------------------------------------------------------------------------------


def expected_txt(text: str) -> list[Expected] | None:
    """One article (title: first non-blank line), or None when the file must be refused."""
    stored = decoded(text)
    if "\x00" in text or shows_nothing(stored):
        return None
    title = next(line for line in stored.split("\n") if not is_blank(line)).strip()
    return [Expected(title=title, text=stored, title_in_text=True)]


@settings(PROFILE, max_examples=120)
@given(IMPORT_TEXT)
@example("\ufeffTitle\r\n\r\nBody line one.\rBody line two.\r\n")
@example("\x00")
@example(" \u2028\u00a0\n")
@example("\u200b")
@example("Title\n\nPhoto from Nov 20, 2014, shows a man (L).—AFP\nthe talks went on.")
def test_txt_import_stores_the_decoded_text_or_refuses_and_stores_nothing(
    database: Database, text: str
) -> None:
    import_and_check(database, "article.txt", text.encode("utf-8"), expected_txt(text))


# ---- 2b. .csv and .jsonl: generated records ------------------------------------------------

OPTIONAL_FIELDS = ("published", "byline", "source", "url")
DATES = st.sampled_from(
    (
        "November 21, 2014|Nov. 21, 2014|21 Nov 2014|2014-11-21|2014/11/21|31 February 2014"
        "|yesterday|2014-13-45|9999-12-31|0001-01-01|20141121"
    ).split("|")
)
TITLES = st.one_of(
    st.sampled_from(["Budget", "  Talks resume ", "U.S. Senate", "ISLAMABAD"]), NEWS_TEXT
)
BODIES = st.one_of(NEWS_TEXT, article_texts(), UTF8_TEXT)
OPTIONAL_VALUES = st.one_of(st.none(), DATES, st.text(max_size=30), NEWS_TEXT)
RECORD_IDS = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["a-1", "a-2", " a-1 "]))


@st.composite
def records(draw: st.DrawFn, *, integer_ids: bool) -> dict[str, Any]:
    """One article record: title and text, and some of id, published, byline, source, url."""
    record: dict[str, Any] = {"title": draw(TITLES), "text": draw(BODIES)}
    ids = RECORD_IDS | st.integers(-(10**12), 10**12) if integer_ids else RECORD_IDS
    record_id = draw(ids)
    if record_id is not None:
        record["id"] = record_id
    for field in OPTIONAL_FIELDS:
        if draw(st.booleans()):
            record[field] = draw(OPTIONAL_VALUES)
    return record


def expected_records(records: Sequence[Mapping[str, Any]]) -> list[Expected] | None:
    """The articles a .csv/.jsonl of these records must store (duplicates within the file
    skipped), or None when it must be refused: a blank title or text, a NUL or a lone
    surrogate in a value, an id used twice, or no records."""
    values = [str(value) for record in records for value in record.values() if value is not None]
    if not records or not all(map(storable, values)):
        return None
    drafts = [expected_record(record) for record in records]
    if any(is_blank(draft.title) or is_blank(draft.text) for draft in drafts):
        return None
    ids = [draft.external_id for draft in drafts if draft.external_id is not None]
    if len(ids) != len(set(ids)):
        return None
    return without_duplicates(drafts)


def one_line(title: str) -> str:
    """A title as every format stores it: trimmed, its lines joined by single spaces."""
    return " ".join(part.strip() for part in re.split(r"\r\n|\r|\n", title) if part.strip())


def expected_record(record: Mapping[str, Any]) -> Expected:
    """The article one record must become: stripped title and fields, decoded text."""

    def optional(field: str) -> str | None:
        value = record.get(field)
        return None if value is None or is_blank(str(value)) else str(value).strip()

    fields = {field: optional(field) for field in ("byline", "source", "url")}
    return Expected(
        title=one_line(str(record.get("title") or "")),
        text=lf(str(record.get("text") or "")),
        title_in_text=False,
        external_id=optional("id"),
        fields={**fields, "published_raw": optional("published")},
    )


def without_duplicates(drafts: Sequence[Expected]) -> list[Expected]:
    """Drafts after the first with the same title and text (or id) are duplicates."""
    seen: set[tuple[str, str]] = set()
    kept: list[Expected] = []
    for draft in drafts:
        keys = {("content", f"{draft.title}\x00{draft.text}")}
        if draft.external_id is not None:
            keys.add(("id", draft.external_id))
        if not keys & seen:
            kept.append(draft)
        seen |= keys
    return kept


def is_blank_row(record: Mapping[str, Any]) -> bool:
    """A CSV row whose cells are all blank is skipped, like an empty line."""
    return all(value is None or is_blank(str(value)) for value in record.values())


CSV_COLUMNS = ("id", "title", "text", *OPTIONAL_FIELDS)
RecordFile = tuple[bytes, list[dict[str, Any]]]


def csv_file(rows: list[dict[str, Any]], header: Sequence[str] = CSV_COLUMNS) -> RecordFile:
    """The CSV the csv module writes for `rows` under `header` (a case of CSV_COLUMNS)."""
    columns = [name.strip().lower() for name in header]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[row.get(column) or "" for column in columns] for row in rows])
    return buffer.getvalue().encode("utf-8", "surrogatepass"), rows


@st.composite
def csv_files(draw: st.DrawFn) -> RecordFile:
    """A CSV file of generated records, its columns in any order and letter case."""
    rows = draw(st.lists(records(integer_ids=False), min_size=1, max_size=4))
    columns = draw(st.permutations(CSV_COLUMNS))
    cases = [st.sampled_from([name, name.upper(), f" {name.title()} "]) for name in columns]
    return csv_file(rows, [draw(case) for case in cases])


@settings(PROFILE, max_examples=80)
@given(csv_files())
@example(csv_file([{"title": "One", "text": "Line one.\r\nLine two."}, {"title": " ", "text": ""}]))
@example(csv_file([{"id": "0\r0", "title": "Budget", "text": "The", "url": "a\rb"}]))
@example(csv_file([{"title": "Over 128 KiB", "text": "word " * 30_000}]))  # csv's field limit
def test_csv_import_round_trips_every_record_or_refuses_and_stores_nothing(
    database: Database, file: RecordFile
) -> None:
    data, rows = file
    # The whole file is decoded (CR made LF) before it is parsed, so this holds in every cell.
    cells = [{key: lf(value) for key, value in row.items() if value is not None} for row in rows]
    kept = [row for row in cells if not is_blank_row(row)]
    import_and_check(database, "articles.csv", data, expected_records(kept))


def jsonl_file(rows: list[dict[str, Any]], *, ascii_only: bool, separator: str) -> RecordFile:
    """The JSONL the json module writes for `rows`, one object per line."""
    lines = [json.dumps(row, ensure_ascii=ascii_only) for row in rows]
    return separator.join(lines).encode("utf-8", "surrogatepass"), rows


@st.composite
def jsonl_files(draw: st.DrawFn) -> RecordFile:
    """A JSONL file of generated records, ASCII-escaped or not, blank lines between or not."""
    rows = draw(st.lists(records(integer_ids=True), min_size=1, max_size=4))
    separator = draw(st.sampled_from(["\n", "\r\n", "\n\n", "\n \n"]))
    return jsonl_file(rows, ascii_only=draw(st.booleans()), separator=separator)


@settings(PROFILE, max_examples=80)
@given(jsonl_files())
@example(
    jsonl_file([{"title": "Budget", "text": "PUBLISHED;\na"}], ascii_only=True, separator="\n")
)
@example(jsonl_file([{"id": 7, "title": "A", "text": "B\x00"}], ascii_only=False, separator="\n"))
@example(jsonl_file([{"title": "A", "text": "\ud800."}], ascii_only=True, separator="\n"))
def test_jsonl_import_round_trips_every_record_or_refuses_and_stores_nothing(
    database: Database, file: RecordFile
) -> None:
    data, rows = file
    import_and_check(database, "articles.jsonl", data, expected_records(rows))

"""Turn the bytes of an uploaded file into article drafts; one reader per format.

Readers are pure (bytes in, frozen drafts out; a zip is opened from memory) so the CLI, the UI
and the tests share them, and so a rejected file provably stores nothing: a reader either
returns every article of the file or raises `ImportRejected` naming the file and line.

Limits, each checked before the work it guards (user documentation should quote these):

- `MAX_FILE_BYTES` (20 MiB) per uploaded file, and per zip member;
- a zip holds at most `MAX_ZIP_MEMBERS` entries and `MAX_ZIP_TOTAL_BYTES` (100 MiB) once
  expanded, and no member may expand more than `MAX_COMPRESSION_RATIO` (100) times;
- a JSONL record may nest at most `MAX_JSON_DEPTH` (10) levels of objects/arrays;
- an `id` has at most `MAX_ID_CHARS` (200) characters (the database column's width).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import MappingProxyType

from annotator.errors import ImportRejected
from annotator.sentence_roles import parse_byline, parse_published, text_blocks
from annotator.storable import storable_problem
from annotator.written_dates import DayOrder, read_date

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_COMPRESSION_RATIO = 100
MAX_JSON_DEPTH = 10
MAX_ID_CHARS = 200

FIELDS: tuple[str, ...] = ("id", "title", "text", "published", "byline", "source", "url")
REQUIRED_FIELDS: tuple[str, ...] = ("title", "text")

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive, e.g. .docx or .xlsx"),
)
_MAC_JUNK = re.compile(r"(?:^|/)(?:__MACOSX/|\.DS_Store$|\._[^/]*$)")
# Besides whitespace, characters that show nothing: soft hyphen, zero-width spaces and joiners,
# direction marks and controls, word joiners, byte-order marks.
_VISIBLE = re.compile(
    r"[^\s\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)


@dataclass(frozen=True)
class Turn:
    """One speaker's turn in a transcript: `text[start:end]` is what they said, and
    `text[prefix[0]:prefix[1]]` the `SPEAKER:` prefix when the text holds one (.txt)."""

    speaker: str
    start: int
    end: int
    prefix: tuple[int, int] | None = None


@dataclass(frozen=True)
class ArticleDraft:
    """One article as read from a file, before it is stored; `origin` says where it came from.

    A transcript's draft has its `turns` (empty for an article); a web page's keeps the
    page's bytes in `html`, stored beside the extracted text."""

    text: str
    title: str
    title_in_text: bool
    byline: str | None
    published: datetime.date | None
    published_raw: str | None
    source: str | None
    url: str | None
    external_id: str | None
    origin: str
    warnings: tuple[str, ...] = ()
    turns: tuple[Turn, ...] = ()
    html: bytes | None = None


Reader = Callable[[str, bytes, DayOrder | None], list[ArticleDraft]]


def read_file(
    name: str,
    data: bytes,
    day_order: DayOrder | None = None,
    *,
    transcript: bool = False,
    title: str | None = None,
) -> list[ArticleDraft]:
    """Every article in the file `name` (whose bytes are `data`); all or nothing.

    `day_order` (`dayfirst` or `monthfirst`) says how to read a numeric date like 10/02/2005;
    without it such a date is left empty with a warning. With `transcript`, the file is one
    transcript (`annotator.transcripts`), whose `title` may be given for the `.jsonl` form."""
    problem = storable_problem(name)
    if problem is not None:
        raise ImportRejected(f"the file name {problem}; rename the file", file=name)
    if transcript:
        from annotator.transcripts import read_transcript  # it builds on this module

        _check_size(name, len(data), MAX_FILE_BYTES)
        return [read_transcript(name, data, title)]
    if title is not None:
        raise ImportRejected("a title can be given only for a transcript", file=name)
    reader = _reader_for(name, allow_zip=True)
    _check_size(name, len(data), MAX_FILE_BYTES)
    return reader(name, data, day_order)


def _reader_for(name: str, *, allow_zip: bool) -> Reader:
    """The registered reader for the file's extension; refuse unknown types by listing ours."""
    extension = PurePosixPath(name).suffix.lower()
    if extension == ".zip" and not allow_zip:
        raise ImportRejected("zip archives inside a zip archive are not accepted", file=name)
    reader = READERS.get(extension)
    if reader is None:
        allowed = [ext for ext in SUPPORTED_EXTENSIONS if allow_zip or ext != ".zip"]
        supported = ", ".join(allowed)
        kind = f"{extension!r} files" if extension else "files without an extension"
        raise ImportRejected(f"{kind} are not supported; use one of {supported}", file=name)
    return reader


def _check_size(name: str, size: int, limit: int) -> None:
    """Refuse before any decoding, so an oversized upload costs no time or memory."""
    if size > limit:
        raise ImportRejected(
            f"file is {_mebibytes(size)}; the limit is {_mebibytes(limit)}", file=name
        )


def _mebibytes(size: int) -> str:
    """A size for messages: "20.0 MB"."""
    return f"{size / 1024 / 1024:.1f} MB"


# ---- decoding ----------------------------------------------------------------------------


def decode_text(data: bytes, name: str, *, newlines: bool = True) -> str:
    """UTF-8 (BOM dropped) or UTF-16 with a BOM, with CRLF/CR made LF; nothing else changed.

    `newlines=False` keeps line endings as they are: a label file's quoted cells (notes) may
    hold a carriage return that must come back unchanged."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE 00 00
        raise ImportRejected("UTF-32 text is not supported; save as UTF-8", file=name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_utf16(data, name)
    else:
        text = _decode_utf8(data, name)
    if newlines:
        text = normalise_newlines(text)
    if not has_visible_text(text):
        what = "empty" if not text.strip() else "empty (only invisible characters)"
        raise ImportRejected(f"file is {what}", file=name)
    return text


def has_visible_text(text: str) -> bool:
    """True when `text` shows something: not only whitespace and zero-width or bidi marks."""
    return _VISIBLE.search(text) is not None


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so offsets mean the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_utf8(data: bytes, name: str) -> str:
    """Strict UTF-8; a NUL byte means binary data, which gets its own clearer message."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ImportRejected(
            f"looks like binary data{_binary_hint(data, nul)}, not text: NUL byte at offset {nul}",
            file=name,
        )
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        line = data.count(b"\n", 0, offset) + 1
        message = f"not valid UTF-8: byte 0x{data[offset]:02x} at offset {offset}; save as UTF-8"
        raise ImportRejected(message, file=name, line=line) from None


def _binary_hint(data: bytes, nul: int) -> str:
    """Name the file type when its signature is known, or suspect UTF-16 without a BOM."""
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return f" ({kind})"
    if nul <= 1 and len(data) % 2 == 0:
        return " (UTF-16 without a byte-order mark? save as UTF-8)"
    return ""


def _decode_utf16(data: bytes, name: str) -> str:
    """UTF-16 (the BOM says LE or BE): the one fallback, common in files saved by Windows tools."""
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        message = f"not valid UTF-16: {exc.reason} at offset {exc.start}"
        raise ImportRejected(message, file=name) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise ImportRejected(
            f"looks like binary data, not text: NUL character at position {nul}", file=name
        )
    return text


# ---- .txt and .md ------------------------------------------------------------------------


def read_txt(name: str, data: bytes, day_order: DayOrder | None = None) -> list[ArticleDraft]:
    """A plain-text article: title on line 1, then optional byline and `Published` lines."""
    return [_plain_text_draft(name, decode_text(data, name), "", day_order)]


def read_md(name: str, data: bytes, day_order: DayOrder | None = None) -> list[ArticleDraft]:
    """A Markdown article: as .txt, but the title loses its leading `#` marks."""
    return [_plain_text_draft(name, decode_text(data, name), "#", day_order)]


def _plain_text_draft(
    name: str, text: str, title_marks: str, day_order: DayOrder | None
) -> ArticleDraft:
    """The draft for a one-article text; the metadata lines stay in the text."""
    first_line = next(line for line in text.split("\n") if line.strip())
    byline, published_raw, published, warnings = _text_metadata(text, name, day_order)
    return ArticleDraft(
        text=text,
        title=article_title(first_line.strip().lstrip(title_marks) or first_line),
        title_in_text=True,
        byline=byline,
        published=published,
        published_raw=published_raw,
        source=None,
        url=None,
        external_id=None,
        origin=name,
        warnings=warnings,
    )


def _text_metadata(
    text: str, name: str, day_order: DayOrder | None
) -> tuple[str | None, str | None, datetime.date | None, tuple[str, ...]]:
    """Byline and publication date from the lines that `roles` marks as meta."""
    byline: str | None = None
    for line_number, line in _meta_lines(text):
        byline = byline or parse_byline(line)
        published = parse_published(line)
        if published is not None:
            raw = published[0]
            date, warnings = _published(raw, day_order, f"{name}:{line_number}")
            return byline or _first_byline(text), raw, date, warnings
    return byline, None, None, ()


def _first_byline(text: str) -> str | None:
    """The byline of a text whose byline comes after its `Published` line."""
    bylines = (parse_byline(line) for _, line in _meta_lines(text))
    return next((byline for byline in bylines if byline), None)


def _meta_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) for every line in a meta block."""
    for block in text_blocks(text, title_in_text=True):
        if block.role != "meta":
            continue
        line_number = text.count("\n", 0, block.start) + 1
        for offset, line in enumerate(text[block.start : block.end].split("\n")):
            yield line_number + offset, line


def _published(
    raw: str, day_order: DayOrder | None, where: str
) -> tuple[datetime.date | None, tuple[str, ...]]:
    """The publication day written in `raw`, or None and the warning that says why."""
    written = read_date(raw, day_order)
    if written.day is not None:
        return written.day, ()
    return None, (_date_warning(where, raw, written.problem),)


def _date_warning(where: str, raw: str, problem: str | None) -> str:
    """The wording for a date that is not a day, so the UI and CLI can show it as is."""
    if problem == "names a month, not a day":
        return (
            f"{where}: the published date {raw!r} names a month, not a day; published left "
            "empty (the date is kept as written)"
        )
    if problem == "could be day/month or month/day":
        return (
            f"{where}: the published date {raw!r} could be day/month or month/day; published "
            "left empty: import with --dayfirst or --monthfirst (on the Import page: "
            "Numeric dates)"
        )
    if problem and problem.startswith("is not a valid date read"):
        return f"{where}: the published date {raw!r} {problem}; published left empty"
    return f"{where}: cannot read the published date {raw!r}; published left empty"


def article_title(raw: str) -> str:
    """The one rule for a stored title, whatever the format: trimmed and on one line (each line
    break, with the spaces around it, becomes one space); nothing else is changed."""
    return _LINE_BREAK.sub(" ", raw.strip())


_LINE_BREAK = re.compile(r"\s*(?:\r\n|\r|\n)\s*")


# ---- records: shared by .csv and .jsonl ---------------------------------------------------


def _record_draft(
    record: Mapping[str, str | None], name: str, line: int, day_order: DayOrder | None
) -> ArticleDraft:
    """A draft from one CSV row or JSONL object whose values are strings or None."""
    text = normalise_newlines(record.get("text") or "")
    title = article_title(record.get("title") or "")
    for field, value in (("text", text), ("title", title)):
        if not has_visible_text(value):
            raise ImportRejected(f"empty {field!r}", file=name, line=line)
    where = f"{name}:{line}"
    published_raw = _optional(record.get("published"))
    published, warnings = (
        _published(published_raw, day_order, where) if published_raw else (None, ())
    )
    return ArticleDraft(
        text=text,
        title=title,
        title_in_text=False,
        byline=_optional(record.get("byline")),
        published=published,
        published_raw=published_raw,
        source=_optional(record.get("source")),
        url=_optional(record.get("url")),
        external_id=_external_id(record.get("id"), name, line),
        origin=where,
        warnings=warnings,
    )


def _external_id(value: str | None, name: str, line: int) -> str | None:
    """The stripped `id`, refused when longer than the database column holds."""
    external_id = _optional(value)
    if external_id is not None and len(external_id) > MAX_ID_CHARS:
        message = f"id is {len(external_id):,} characters long; the limit is {MAX_ID_CHARS}"
        raise ImportRejected(message, file=name, line=line)
    return external_id


def _optional(value: str | None) -> str | None:
    """A stripped value, with empty meaning absent."""
    stripped = (value or "").strip()
    return stripped or None


def _unique_ids(numbered: Iterable[tuple[int, ArticleDraft]], name: str) -> list[ArticleDraft]:
    """The drafts, once no `id` appears twice: two articles cannot share one external id.

    `numbered` is consumed line by line, so the first problem in the file is the one reported,
    whether it is a repeated id or a bad value further down."""
    first_line: dict[str, int] = {}
    drafts: list[ArticleDraft] = []
    for line, draft in numbered:
        drafts.append(draft)
        if draft.external_id is None:
            continue
        if draft.external_id in first_line:
            message = (
                f"id {draft.external_id!r} appears twice: "
                f"line {first_line[draft.external_id]} and line {line}"
            )
            raise ImportRejected(message, file=name, line=line)
        first_line[draft.external_id] = line
    if not drafts:
        raise ImportRejected("holds no articles", file=name)
    return drafts


# ---- .csv --------------------------------------------------------------------------------


def read_csv(name: str, data: bytes, day_order: DayOrder | None = None) -> list[ArticleDraft]:
    """One article per row under a header with at least `title` and `text` columns."""
    rows = csv_rows(decode_text(data, name), name)
    header_line, header = next(rows, (1, []))
    columns = _csv_columns(header, name, header_line)
    numbered = (
        (line, _record_draft(_csv_record(row, columns, name, line), name, line, day_order))
        for line, row in rows
    )
    return _unique_ids(numbered, name)


def csv_rows(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, cells) for each non-empty row; quoted newlines counted."""
    # The csv module refuses a field over 128 KiB ("malformed CSV") unless told otherwise; an
    # article may be longer, and MAX_FILE_BYTES already bounds the whole file.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    reader = csv.reader(io.StringIO(text), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportRejected(f"malformed CSV: {exc}", file=name, line=start) from None
        if any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


def _csv_columns(header: list[str], name: str, line: int) -> list[str]:
    """Lower-cased header names, once the required ones are present exactly once."""
    columns = [cell.strip().lower() for cell in header]
    for column in columns:  # in header order: the first repeated name is the one reported
        if column and columns.count(column) > 1:
            message = f"column {column!r} appears twice in the header"
            raise ImportRejected(message, file=name, line=line)
    missing = [field for field in REQUIRED_FIELDS if field not in columns]
    if missing:
        found = ", ".join(repr(cell) for cell in header) or "none"
        hint = "; is the delimiter a comma?" if any(";" in c or "\t" in c for c in header) else ""
        message = f"missing column {' and '.join(map(repr, missing))}; columns found: {found}"
        raise ImportRejected(message + hint, file=name, line=line)
    return columns


def _csv_record(row: list[str], columns: list[str], name: str, line: int) -> dict[str, str | None]:
    """The known fields of one row; extra non-empty cells mean misaligned quoting, so refuse."""
    if any(cell.strip() for cell in row[len(columns) :]):
        message = f"row has {len(row)} fields but the header has {len(columns)}"
        raise ImportRejected(message + "; check the quoting", file=name, line=line)
    values = dict(zip(columns, row, strict=False))
    return {field: values.get(field) for field in FIELDS}


# ---- .jsonl ------------------------------------------------------------------------------


class _DuplicateKey(ValueError):
    """A JSON object names one key twice; json.loads would silently keep the last."""


def read_jsonl(name: str, data: bytes, day_order: DayOrder | None = None) -> list[ArticleDraft]:
    """One JSON object per line with at least `title` and `text`; blank lines are skipped."""
    lines = decode_text(data, name).split("\n")
    numbered = (
        (number, _record_draft(_json_record(line, name, number), name, number, day_order))
        for number, line in enumerate(lines, start=1)
        if line.strip()
    )
    return _unique_ids(numbered, name)


def _json_record(line: str, name: str, number: int) -> dict[str, str | None]:
    """The known fields of one JSONL line, checked for type."""
    value = load_json(line, name, number)
    if not isinstance(value, dict):
        message = f"expected a JSON object, got {json_type(value)}"
        raise ImportRejected(message, file=name, line=number)
    return {field: _json_field(value, field, name, number) for field in FIELDS}


def load_json(line: str, name: str, number: int) -> object:
    """json.loads with its failures (syntax, nesting, duplicate keys) turned into rejections."""
    try:
        value: object = json.loads(line, object_pairs_hook=_object_without_duplicates)
    except RecursionError:
        message = f"JSON nested more than {MAX_JSON_DEPTH} levels deep"
        raise ImportRejected(message, file=name, line=number) from None
    except json.JSONDecodeError as exc:
        message = f"malformed JSON: {exc.msg} at column {exc.colno}"
        raise ImportRejected(message, file=name, line=number) from None
    except ValueError as exc:
        raise ImportRejected(f"malformed JSON: {exc}", file=name, line=number) from None
    if _deeper_than(value, MAX_JSON_DEPTH):
        message = f"JSON nested more than {MAX_JSON_DEPTH} levels deep"
        raise ImportRejected(message, file=name, line=number)
    return value


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """object_pairs_hook for json.loads: refuse `{"text": "a", "text": "b"}`."""
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f"key {key!r} appears twice in one object")
        result[key] = value
    return result


def _deeper_than(value: object, limit: int) -> bool:
    """True when objects/arrays nest deeper than `limit`; iterative, so no recursion limit."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: list[object] = list(item.values())
        elif isinstance(item, list):
            children = list(item)
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _json_field(obj: dict[str, object], field: str, name: str, number: int) -> str | None:
    """One field as a string or None; `id` may be an integer; anything else is refused."""
    if field in REQUIRED_FIELDS and field not in obj:
        raise ImportRejected(f"missing field {field!r}", file=name, line=number)
    value = obj.get(field)
    if field == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is None:
        return None
    if not isinstance(value, str):
        expected = "a string or an integer" if field == "id" else "a string"
        message = f"field {field!r} must be {expected}, got {json_type(value)}"
        raise ImportRejected(message, file=name, line=number)
    _check_storable(value, field, name, number)
    return value


def _check_storable(value: str, field: str, name: str, number: int) -> None:
    """Refuse what JSON escapes allow but a database cannot store: NUL and lone surrogates."""
    problem = storable_problem(value)
    if problem is not None:
        raise ImportRejected(f"field {field!r} {problem}", file=name, line=number)


def json_type(value: object) -> str:
    """JSON's name for the type of a decoded value, for messages."""
    if value is None:
        return "null"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names |= {list: "an array", dict: "an object"}
    return names.get(type(value), type(value).__name__)


# ---- .zip --------------------------------------------------------------------------------


def read_zip(name: str, data: bytes, day_order: DayOrder | None = None) -> list[ArticleDraft]:
    """Every article in every member (.txt .md .csv .jsonl .html); one bad member refuses the
    zip."""
    with _open_zip(name, data) as archive:
        infos = archive.infolist()
        _check_zip_entries(name, infos)
        members = [info for info in infos if not _is_skipped(info)]
        drafts: list[ArticleDraft] = []
        budget = MAX_ZIP_TOTAL_BYTES
        for info in members:
            member_name = f"{name}/{info.filename}"
            content = _extract(archive, info, member_name, budget)
            budget -= len(content)
            reader = _reader_for(member_name, allow_zip=False)
            drafts.extend(reader(member_name, content, day_order))
    if not drafts:
        raise ImportRejected("zip archive holds no article files", file=name)
    return drafts


def _open_zip(name: str, data: bytes) -> zipfile.ZipFile:
    """The archive, read from memory; a damaged one is refused, not half-read."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRejected(f"not a valid zip archive: {exc}", file=name) from None


def _is_skipped(info: zipfile.ZipInfo) -> bool:
    """Directories and macOS junk (`__MACOSX/`, `.DS_Store`, `._*`) are not articles."""
    return info.is_dir() or bool(_MAC_JUNK.search(info.filename))


def _check_zip_entries(name: str, infos: Sequence[zipfile.ZipInfo]) -> None:
    """Refuse, from the headers alone, unsafe paths, unknown types and excessive expansion."""
    if len(infos) > MAX_ZIP_MEMBERS:
        message = f"zip archive has {len(infos)} entries; the limit is {MAX_ZIP_MEMBERS}"
        raise ImportRejected(message, file=name)
    for info in infos:
        reason = _unsafe_path_reason(info.filename)
        if reason:
            raise ImportRejected(f"unsafe path in zip archive: {reason}", file=name)
    members = [info for info in infos if not _is_skipped(info)]
    for info in members:
        _check_member_header(name, info)
    declared = sum(info.file_size for info in members)
    if declared > MAX_ZIP_TOTAL_BYTES:
        message = (
            f"expands to {_mebibytes(declared)}; the limit is {_mebibytes(MAX_ZIP_TOTAL_BYTES)}"
        )
        raise ImportRejected(message, file=name)


def _unsafe_path_reason(path: str) -> str | None:
    """Why a member path could escape an extraction folder, or None when it is safe."""
    if "\\" in path:
        return f"{path!r} contains a backslash"
    if path.startswith("/") or re.match(r"[A-Za-z]:", path):
        return f"{path!r} is absolute"
    if ".." in path.split("/"):
        return f"{path!r} climbs out of the archive"
    return None


def _check_member_header(name: str, info: zipfile.ZipInfo) -> None:
    """A member's type, encryption, size and compression ratio, as its header declares them."""
    member_name = f"{name}/{info.filename}"
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ImportRejected("symbolic links in zip archives are not accepted", file=member_name)
    _reader_for(member_name, allow_zip=False)
    if info.flag_bits & 0x1:
        raise ImportRejected("encrypted zip members are not accepted", file=member_name)
    _check_size(member_name, info.file_size, MAX_FILE_BYTES)
    if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        message = f"expands {ratio} times; the limit is {MAX_COMPRESSION_RATIO} (a zip bomb?)"
        raise ImportRejected(message, file=member_name)


def _extract(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, member_name: str, budget: int
) -> bytes:
    """A member's bytes, reading at most its declared size and what is left of the budget."""
    limit = min(info.file_size, budget)
    try:
        with archive.open(info) as member:
            content = member.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ImportRejected(f"cannot extract: {exc}", file=member_name) from None
    if len(content) > limit:
        message = f"expands past its declared size or the {_mebibytes(MAX_ZIP_TOTAL_BYTES)} limit"
        raise ImportRejected(message, file=member_name)
    return content


def read_html(name: str, data: bytes, day_order: DayOrder | None = None) -> list[ArticleDraft]:
    """A saved web page: its article extracted by trafilatura (see `annotator.html_pages`).
    `day_order` is not needed: trafilatura reads the page's date from its metadata."""
    from annotator.html_pages import page_draft  # trafilatura is slow to import: only here

    return [page_draft(name, data)]


READERS: Mapping[str, Reader] = MappingProxyType(
    {
        ".txt": read_txt,
        ".md": read_md,
        ".csv": read_csv,
        ".jsonl": read_jsonl,
        ".html": read_html,
        ".htm": read_html,
        ".zip": read_zip,
    }
)
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(READERS)

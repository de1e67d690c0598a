"""Readers: file bytes -> article drafts, all or nothing, with messages that name file and line."""

from __future__ import annotations

import codecs
import datetime
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from annotator import readers
from annotator.errors import ImportRejected
from annotator.readers import (
    MAX_COMPRESSION_RATIO,
    MAX_FILE_BYTES,
    MAX_JSON_DEPTH,
    READERS,
    SUPPORTED_EXTENSIONS,
    ArticleDraft,
    decode_text,
    read_file,
)

DATA = Path(__file__).parent / "data" / "import"
SEEDS = Path(__file__).parent.parent / "seeds"
FRONTIER_POST = SEEDS / "000_b44e9500121a4328.txt"
DAWN = SEEDS / "004_27ddbea68a68097d.txt"


def read_example(filename: str) -> list[ArticleDraft]:
    return read_file(filename, (DATA / filename).read_bytes())


def rejection(name: str, data: bytes) -> ImportRejected:
    """The rejection of reading `data` as `name`; every rejection names the file (or member)."""
    with pytest.raises(ImportRejected) as caught:
        read_file(name, data)
    error = caught.value
    assert error.file is not None and error.file.startswith(name)
    assert str(error).startswith(error.file)  # the one line the CLI and UI show
    return error


def make_zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return buffer.getvalue()


# ---- registry and limits -----------------------------------------------------------------


def test_registry_covers_exactly_the_supported_extensions() -> None:
    assert SUPPORTED_EXTENSIONS == (".txt", ".md", ".csv", ".jsonl", ".html", ".htm", ".zip")
    assert tuple(READERS) == SUPPORTED_EXTENSIONS


def test_unknown_extension_is_rejected_with_the_supported_list() -> None:
    error = rejection("report.docx", b"Title\n\nText")
    assert error.file == "report.docx"
    assert ".txt, .md, .csv, .jsonl, .html, .htm, .zip" in error.message


def test_file_without_extension_is_rejected() -> None:
    assert "without an extension" in rejection("README", b"Title").message


def test_extension_is_matched_case_insensitively() -> None:
    assert read_file("NOTES.TXT", b"Title\n\nBody.")[0].title == "Title"


def test_oversized_file_is_rejected_before_decoding() -> None:
    data = b"\xff" * (MAX_FILE_BYTES + 1)  # invalid UTF-8: decoding would give another message
    error = rejection("big.txt", data)
    assert error.file == "big.txt"
    assert "the limit is 20.0 MB" in error.message


# ---- decoding ----------------------------------------------------------------------------


def test_crlf_and_lone_cr_become_lf() -> None:
    assert decode_text(b"Title\r\n\r\nOne.\rTwo.\r\n", "a.txt") == "Title\n\nOne.\nTwo.\n"


def test_utf8_bom_is_dropped() -> None:
    assert decode_text(codecs.BOM_UTF8 + "Café".encode(), "a.txt") == "Café"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded(encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
    data = bom + "Café title\r\n\r\nBody “quoted”.".encode(encoding)
    assert decode_text(data, "a.txt") == "Café title\n\nBody “quoted”."


def test_characters_are_kept_exactly() -> None:
    text = "Title &amp; <b>x</b>\n\n  Cafe\u0301  and  caf\u00e9\tend  \n"
    assert decode_text(text.encode(), "a.txt") == text


def test_invalid_utf8_is_rejected_with_byte_offset_and_line() -> None:
    error = rejection("latin1.txt", (DATA / "latin1.txt").read_bytes())
    assert error.file == "latin1.txt"
    assert error.line == 1
    assert "not valid UTF-8: byte 0xe9 at offset 3" in error.message


def test_invalid_utf8_offset_counts_the_bom() -> None:
    error = rejection("a.txt", codecs.BOM_UTF8 + b"Title\n\nbad \xff")
    assert "byte 0xff at offset 14" in error.message
    assert error.line == 3


def test_invalid_utf16_is_rejected_with_offset() -> None:
    data = codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8" + "c".encode("utf-16-le")
    error = rejection("a.txt", data)
    assert error.file == "a.txt"
    assert "not valid UTF-16" in error.message
    assert "offset 6" in error.message


def test_png_renamed_to_txt_is_rejected_as_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"
    error = rejection("photo.txt", png)
    assert error.file == "photo.txt"
    assert "looks like binary data" in error.message
    assert "PNG" in error.message
    assert "NUL byte at offset 8" in error.message


def test_utf16_without_bom_is_rejected_with_a_hint() -> None:
    error = rejection("a.txt", "Title".encode("utf-16-le"))
    assert "NUL byte at offset 1" in error.message
    assert "UTF-16 without a byte-order mark" in error.message


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t  ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_empty_or_whitespace_file_is_rejected(data: bytes) -> None:
    error = rejection("empty.txt", data)
    assert error.file == "empty.txt"
    assert error.message == "file is empty"


# ---- .txt and .md ------------------------------------------------------------------------


def test_frontier_post_seed_reads_title_and_byline() -> None:
    (draft,) = read_file(FRONTIER_POST.name, FRONTIER_POST.read_bytes())
    assert draft.title == "Pak-Russia alliance against terrorism"
    assert draft.title_in_text is True
    assert draft.byline == "The Frontier Post"
    assert (draft.published, draft.published_raw) == (None, None)
    assert draft.text == FRONTIER_POST.read_text(encoding="utf-8")
    assert draft.origin == FRONTIER_POST.name
    assert draft.warnings == ()


def test_dawn_seed_reads_published_date_and_keeps_raw() -> None:
    (draft,) = read_file(DAWN.name, DAWN.read_bytes())
    assert draft.title == "Russia to provide counter-terrorism training to Pakistan"
    assert draft.published == datetime.date(2014, 11, 21)
    assert draft.published_raw == "November 21, 2014"
    assert draft.byline is None
    assert "Published November 21, 2014\n" in draft.text  # metadata lines stay in the text
    assert (draft.source, draft.url, draft.external_id) == (None, None, None)


def test_good_txt_example() -> None:
    (draft,) = read_example("article.txt")
    assert draft.title == "Pak-Russia alliance against terrorism"
    assert draft.byline == "The Frontier Post"


def test_good_md_example_drops_heading_marks_from_title_only() -> None:
    (draft,) = read_example("article.md")
    assert draft.title == "Russia to provide counter-terrorism training to Pakistan"
    assert draft.text.startswith("# Russia to provide")
    assert draft.byline == "Baqir Sajjad Syed"
    assert draft.published == datetime.date(2014, 11, 21)
    assert draft.published_raw == "Nov. 21, 2014"


def test_unparseable_published_date_warns_and_keeps_raw() -> None:
    (draft,) = read_example("unparseable_date.txt")
    assert draft.published is None
    assert draft.published_raw == "yesterday"
    assert draft.warnings == (
        "unparseable_date.txt:3: cannot read the published date 'yesterday'; published left empty",
    )


def test_impossible_published_date_warns() -> None:
    (draft,) = read_file("a.txt", b"Title\nPublished 31 February 2014\n\nBody.")
    assert (draft.published, draft.published_raw) == (None, "31 February 2014")
    assert draft.warnings[0].startswith("a.txt:2:")


def test_updated_line_is_not_the_published_date() -> None:
    (draft,) = read_file("a.txt", b"Title\n\nUpdated 19 Mar, 2024\nPublished 2014-11-21\n\nBody.")
    assert draft.published == datetime.date(2014, 11, 21)


def test_byline_after_published_line_is_found() -> None:
    (draft,) = read_file("a.txt", b"Title\nPublished Nov 21, 2014\nBy Jane Doe\n\nBody.")
    assert (draft.byline, draft.published) == ("Jane Doe", datetime.date(2014, 11, 21))


def test_body_starting_with_by_is_not_a_byline() -> None:
    (draft,) = read_file("a.txt", b"Title\n\nBy the end of 2014, forces will leave.")
    assert draft.byline is None


def test_metadata_lines_further_down_are_ignored() -> None:
    (draft,) = read_file("a.txt", b"Title\n\nBody first.\n\nBy Jane Doe\nPublished 2014-11-21")
    assert (draft.byline, draft.published) == (None, None)


# ---- .csv --------------------------------------------------------------------------------


def test_good_csv_example() -> None:
    first, second = read_example("articles.csv")
    assert first.title == "Russia to provide counter-terrorism training to Pakistan"
    assert first.text.startswith("ISLAMABAD: Russia has accepted")
    assert "\n\nHighly-placed" in first.text
    assert first.title_in_text is False
    assert first.external_id == "dawn-1"
    assert first.published == datetime.date(2014, 11, 21)
    assert first.published_raw == "2014-11-21"
    assert (first.byline, first.source) == ("Baqir Sajjad Syed", "Dawn")
    assert first.url == "https://www.dawn.com/news/1145963"
    assert first.origin == "articles.csv:2"
    assert second.origin == "articles.csv:5"
    assert second.text.endswith('He said: "Both sides agreed to meet again next year."')
    assert (second.published, second.published_raw, second.url) == (None, None, None)


def test_csv_text_newlines_are_normalised() -> None:
    data = b'title,text\r\nT,"one\r\ntwo\rthree"\r\n'
    assert read_file("a.csv", data)[0].text == "one\ntwo\nthree"


def test_csv_text_longer_than_the_csv_module_field_limit_is_read() -> None:
    # The csv module's default limit (128 KiB per field) refused this as "malformed CSV".
    text = "word " * 30_000
    data = f"title,text\nLong,{text}\n".encode()
    assert read_file("a.csv", data)[0].text == text


def test_csv_header_names_are_case_and_space_insensitive() -> None:
    (draft,) = read_file("a.csv", b" Title , TEXT ,Extra\nT,Body.,ignored\n")
    assert (draft.title, draft.text) == ("T", "Body.")


def test_csv_without_text_column_is_rejected_naming_columns() -> None:
    error = rejection("missing_text_column.csv", (DATA / "missing_text_column.csv").read_bytes())
    assert (error.file, error.line) == ("missing_text_column.csv", 1)
    assert "missing column 'text'" in error.message
    assert "columns found: 'id', 'title', 'body'" in error.message


def test_csv_without_title_column_is_rejected() -> None:
    error = rejection("a.csv", b"text\nBody.\n")
    assert (error.file, error.line) == ("a.csv", 1)
    assert "missing column 'title'" in error.message


def test_semicolon_csv_gets_a_delimiter_hint() -> None:
    error = rejection("a.csv", b"title;text\nT;Body\n")
    assert error.line == 1
    assert "columns found: 'title;text'; is the delimiter a comma?" in error.message


def test_csv_row_with_empty_text_is_rejected_naming_its_line() -> None:
    error = rejection("empty_text.csv", (DATA / "empty_text.csv").read_bytes())
    assert (error.file, error.line) == ("empty_text.csv", 4)  # line 2's text spans lines 2-3
    assert error.message == "empty 'text'"


def test_csv_row_with_empty_title_is_rejected() -> None:
    error = rejection("a.csv", b"title,text\n  ,Body.\n")
    assert (error.line, error.message) == (2, "empty 'title'")


def test_csv_line_numbers_count_embedded_newlines_and_quotes() -> None:
    data = b'title,text\n"A ""quoted"" title","one\n\ntwo"\n\nB,"x\ny"\nC,z\n'
    drafts = read_file("a.csv", data)
    assert [draft.origin for draft in drafts] == ["a.csv:2", "a.csv:6", "a.csv:8"]
    assert drafts[0].title == 'A "quoted" title'
    assert drafts[0].text == "one\n\ntwo"


def test_csv_unterminated_quote_is_rejected_with_line() -> None:
    error = rejection("a.csv", b'title,text\nA,ok\nB,"never closed\nmore\n')
    assert (error.file, error.line) == ("a.csv", 3)
    assert "malformed CSV" in error.message


def test_csv_row_with_too_many_fields_is_rejected() -> None:
    error = rejection("a.csv", b"title,text\nA,one, two\n")
    assert (error.file, error.line) == ("a.csv", 2)
    assert "3 fields but the header has 2" in error.message


def test_csv_duplicate_ids_are_rejected_naming_both_lines() -> None:
    error = rejection("a.csv", b"id,title,text\n7,A,x\n8,B,y\n7,C,z\n")
    assert (error.file, error.line) == ("a.csv", 4)
    assert "line 2 and line 4" in error.message


def test_csv_duplicate_column_is_rejected() -> None:
    error = rejection("a.csv", b"title,text,text\nA,x,y\n")
    assert (error.line, error.message) == (1, "column 'text' appears twice in the header")


def test_csv_header_only_is_rejected() -> None:
    error = rejection("a.csv", b"title,text\n")
    assert (error.file, error.message) == ("a.csv", "holds no articles")


def test_csv_unparseable_published_warns_and_keeps_raw() -> None:
    (draft,) = read_file("a.csv", b"title,text,published\nA,x,next week\n")
    assert (draft.published, draft.published_raw) == (None, "next week")
    assert draft.warnings == (
        "a.csv:2: cannot read the published date 'next week'; published left empty",
    )


@pytest.mark.parametrize(
    "raw",
    ["2014-11-21", "November 21, 2014", "Nov 21, 2014", "Nov. 21, 2014", "21 November 2014"],
)
def test_csv_published_accepts_common_forms(raw: str) -> None:
    data = f'title,text,published\nA,x,"{raw}"\n'.encode()
    assert read_file("a.csv", data)[0].published == datetime.date(2014, 11, 21)


def test_one_bad_csv_row_rejects_the_whole_file() -> None:
    with pytest.raises(ImportRejected):
        read_file("a.csv", b"title,text\nA,fine\nB,\nC,fine\n")


# ---- .jsonl ------------------------------------------------------------------------------


def test_good_jsonl_example() -> None:
    first, second = read_example("articles.jsonl")
    assert first.external_id == "dawn-1"
    assert first.published == datetime.date(2014, 11, 21)
    assert first.text.count("\n\n") == 1
    assert first.origin == "articles.jsonl:1"
    assert second.origin == "articles.jsonl:3"  # the blank line 2 is skipped
    assert second.external_id == "2"  # integer ids become strings
    assert (second.byline, second.source) == (None, "The Frontier Post")


def test_jsonl_malformed_line_is_rejected_with_line_and_json_error() -> None:
    error = rejection("malformed.jsonl", (DATA / "malformed.jsonl").read_bytes())
    assert (error.file, error.line) == ("malformed.jsonl", 2)
    assert error.message.startswith("malformed JSON: Expecting ',' delimiter")


@pytest.mark.parametrize("line", ['["title", "text"]', '"just a string"', "42", "null"])
def test_jsonl_non_object_line_is_rejected(line: str) -> None:
    error = rejection("a.jsonl", f'{{"title": "A", "text": "x"}}\n{line}\n'.encode())
    assert (error.file, error.line) == ("a.jsonl", 2)
    assert error.message.startswith("expected a JSON object, got ")


@pytest.mark.parametrize(
    ("record", "field", "got"),
    [
        ({"title": "A", "text": ["x"]}, "text", "an array"),
        ({"title": 3, "text": "x"}, "title", "a number"),
        ({"title": "A", "text": "x", "published": 20141121}, "published", "a number"),
        ({"title": "A", "text": "x", "id": True}, "id", "a boolean"),
        ({"title": "A", "text": "x", "url": {"href": "y"}}, "url", "an object"),
    ],
)
def test_jsonl_wrong_type_is_rejected_naming_field(
    record: dict[str, object], field: str, got: str
) -> None:
    error = rejection("a.jsonl", json.dumps(record).encode())
    assert (error.file, error.line) == ("a.jsonl", 1)
    assert f"field {field!r} must be" in error.message
    assert error.message.endswith(f"got {got}")


def test_jsonl_missing_text_field_is_rejected() -> None:
    error = rejection("a.jsonl", b'{"title": "A"}\n')
    assert (error.line, error.message) == (1, "missing field 'text'")


def test_jsonl_empty_text_is_rejected() -> None:
    error = rejection("a.jsonl", b'{"title": "A", "text": " \\n "}\n')
    assert (error.line, error.message) == (1, "empty 'text'")


def test_jsonl_deeply_nested_brackets_are_rejected_cleanly() -> None:
    error = rejection("deep.jsonl", b"[" * 100_000 + b"]" * 100_000)
    assert (error.file, error.line) == ("deep.jsonl", 1)
    assert "nested more than" in error.message


def test_jsonl_nesting_just_past_the_limit_is_rejected() -> None:
    nested: object = "leaf"
    for _ in range(MAX_JSON_DEPTH):
        nested = {"x": nested}
    record = {"title": "A", "text": "x", "extra": nested}  # depth MAX_JSON_DEPTH + 1
    error = rejection("a.jsonl", b"\n" + json.dumps(record).encode())
    assert (error.line, "nested more than 10 levels" in error.message) == (2, True)


def test_jsonl_extra_fields_are_ignored() -> None:
    record = {"title": "A", "text": "x", "tags": ["a", "b"], "meta": {"k": 1}}
    assert read_file("a.jsonl", json.dumps(record).encode())[0].title == "A"


def test_jsonl_duplicate_key_is_rejected() -> None:
    error = rejection("a.jsonl", b'{"title": "A", "text": "x", "text": "y"}')
    assert error.line == 1
    assert "'text' appears twice" in error.message


def test_jsonl_duplicate_ids_are_rejected_naming_both_lines() -> None:
    data = b'{"id": 1, "title": "A", "text": "x"}\n{"id": "1", "title": "B", "text": "y"}\n'
    error = rejection("a.jsonl", data)
    assert (error.line, "line 1 and line 2" in error.message) == (2, True)


@pytest.mark.parametrize(("escape", "what"), [("\\u0000", "NUL"), ("\\ud800", "surrogate")])
def test_jsonl_unstorable_characters_are_rejected(escape: str, what: str) -> None:
    error = rejection("a.jsonl", f'{{"title": "A", "text": "x{escape}y"}}'.encode())
    assert error.line == 1
    assert what in error.message


# ---- .zip --------------------------------------------------------------------------------


def test_good_zip_reads_every_member_format() -> None:
    members = {
        name: (DATA / name).read_bytes()
        for name in ("article.txt", "article.md", "articles.csv", "articles.jsonl")
    }
    drafts = read_file("batch.zip", make_zip(members))
    assert [draft.origin for draft in drafts] == [
        "batch.zip/article.txt",
        "batch.zip/article.md",
        "batch.zip/articles.csv:2",
        "batch.zip/articles.csv:5",
        "batch.zip/articles.jsonl:1",
        "batch.zip/articles.jsonl:3",
    ]


def test_zip_skips_directories_and_macos_junk() -> None:
    data = make_zip(
        {
            "news/": b"",
            "news/a.txt": b"Title\n\nBody.",
            "__MACOSX/news/._a.txt": b"\x00\x05\x16\x07binary",
            "news/.DS_Store": b"\x00\x00\x00\x01Bud1",
        }
    )
    assert [draft.origin for draft in read_file("b.zip", data)] == ["b.zip/news/a.txt"]


def test_zip_bad_member_rejects_the_whole_zip_naming_member_and_line() -> None:
    data = make_zip({"good.txt": b"Title\n\nBody.", "bad.csv": b"title,text\nA,x\nB,\n"})
    error = rejection("archive.zip", data)
    assert (error.file, error.line) == ("archive.zip/bad.csv", 3)


@pytest.mark.parametrize(
    "member", ["../evil.txt", "news/../../evil.txt", "/etc/evil.txt", "C:/evil.txt", "a\\b.txt"]
)
def test_zip_unsafe_member_path_is_refused(member: str) -> None:
    error = rejection("archive.zip", make_zip({"fine.txt": b"T\n\nx", member: b"T\n\nx"}))
    assert error.file == "archive.zip"
    assert "unsafe path" in error.message
    assert repr(member) in error.message


def test_zip_bomb_member_is_refused_by_ratio() -> None:
    bomb = make_zip({"bomb.txt": b"Title\n\n" + b"a" * 5_000_000})
    error = rejection("archive.zip", bomb)
    assert error.file == "archive.zip/bomb.txt"
    assert f"the limit is {MAX_COMPRESSION_RATIO}" in error.message


def test_zip_with_png_member_is_refused_as_unknown_type() -> None:
    data = make_zip({"a.txt": b"Title\n\nBody.", "photo.png": b"\x89PNG\r\n\x1a\n\x00"})
    error = rejection("archive.zip", data)
    assert error.file == "archive.zip/photo.png"
    assert "'.png' files are not supported" in error.message
    assert ".txt, .md, .csv, .jsonl" in error.message


def test_nested_zip_is_refused() -> None:
    inner = make_zip({"a.txt": b"Title\n\nBody."})
    error = rejection("outer.zip", make_zip({"inner.zip": inner}))
    assert error.file == "outer.zip/inner.zip"
    assert "inside a zip" in error.message


def test_zip_member_with_lying_size_header_is_refused() -> None:
    data = bytearray(make_zip({"a.txt": b"Title\n\n" + b"x" * 900}, compression=zipfile.ZIP_STORED))
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")  # declared size: 10 bytes
    error = rejection("lie.zip", bytes(data))
    assert error.file == "lie.zip/a.txt"
    assert "cannot extract" in error.message


def test_zip_without_articles_is_rejected() -> None:
    error = rejection("empty.zip", make_zip({"__MACOSX/._x": b"junk", "dir/": b""}))
    assert (error.file, error.message) == ("empty.zip", "zip archive holds no article files")


def test_damaged_zip_is_rejected() -> None:
    error = rejection("broken.zip", b"PK\x03\x04 this is not really a zip")
    assert error.file == "broken.zip"
    assert "not a valid zip archive" in error.message


def test_zip_member_in_utf16_is_decoded() -> None:
    member = codecs.BOM_UTF16_LE + "Titre\r\n\r\nCorps.".encode("utf-16-le")
    (draft,) = read_file("a.zip", make_zip({"fr.txt": member}))
    assert (draft.title, draft.text) == ("Titre", "Titre\n\nCorps.")


def test_zip_encrypted_member_is_refused() -> None:
    data = bytearray(make_zip({"a.txt": b"Title\n\nBody."}))
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the "encrypted" flag, as a password-protected zip sets it
    error = rejection("secret.zip", bytes(data))
    assert (error.file, error.message) == (
        "secret.zip/a.txt",
        "encrypted zip members are not accepted",
    )


def test_zip_member_over_the_file_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    data = make_zip({"small.txt": b"Title\n\nBody.", "big.txt": b"Title\n\n" + os.urandom(600) * 2})
    error = rejection("archive.zip", data)
    assert error.file == "archive.zip/big.txt"
    assert "the limit is" in error.message


def test_zip_total_expansion_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_ZIP_TOTAL_BYTES", 1000)
    members = {f"{n}.txt": b"Title\n\n" + os.urandom(300) for n in range(4)}
    error = rejection("archive.zip", make_zip(members))
    assert error.file == "archive.zip"
    assert error.message.startswith("expands to")


def test_zip_with_too_many_entries_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_ZIP_MEMBERS", 3)
    members = {f"{n}.txt": b"Title\n\nBody." for n in range(4)}
    error = rejection("archive.zip", make_zip(members))
    assert (error.file, error.message) == (
        "archive.zip",
        "zip archive has 4 entries; the limit is 3",
    )


def test_csv_month_and_numeric_published_dates_are_left_empty_with_the_reason() -> None:
    data = b"title,text,published\nA,x,Feb 2005\nB,y,10/02/2005\nC,z,31 February 2014\n"
    drafts = read_file("feed.csv", data)
    assert [(d.published, d.published_raw) for d in drafts] == [
        (None, "Feb 2005"),
        (None, "10/02/2005"),
        (None, "31 February 2014"),
    ]
    assert [w for d in drafts for w in d.warnings] == [
        "feed.csv:2: the published date 'Feb 2005' names a month, not a day; published left "
        "empty (the date is kept as written)",
        "feed.csv:3: the published date '10/02/2005' could be day/month or month/day; published "
        "left empty: import with --dayfirst or --monthfirst (on the Import page: Numeric dates)",
        "feed.csv:4: cannot read the published date '31 February 2014'; published left empty",
    ]


@pytest.mark.parametrize(
    ("day_order", "day"),
    [("dayfirst", datetime.date(2005, 2, 10)), ("monthfirst", datetime.date(2005, 10, 2))],
)
def test_the_day_order_reaches_every_format_inside_a_zip(day_order, day) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.txt", "A title\nPublished 10/02/2005\n\nThe council met.\n")
        zipped.writestr("b.jsonl", '{"title": "B", "text": "y", "published": "10.02.2005"}\n')
        zipped.writestr("c.csv", "title,text,published\nC,z,10-02-2005\n")
    drafts = read_file("feeds.zip", archive.getvalue(), day_order)
    assert [(d.published, d.warnings) for d in drafts] == [(day, ())] * 3


def test_rss_and_iso_published_dates_are_read_from_jsonl() -> None:
    lines = [
        {"title": "A", "text": "x", "published": "Thu, 10 Feb 2005 12:00:00 GMT"},
        {"title": "B", "text": "y", "published": "2005-02-10T12:00:00+05:00"},
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    drafts = read_file("feed.jsonl", data)
    assert [(d.published, d.warnings) for d in drafts] == [(datetime.date(2005, 2, 10), ())] * 2


@pytest.mark.parametrize(
    ("name", "data", "line"),
    [
        ("a.csv", b'id,title,text\n1,A,x\n1,B,y\n"",C,z\n2,"",w\n', 2),
        ("a.jsonl", b'{"id":1,"title":"A","text":"x"}\n{"id":1,"title":"B","text":"y"}\n[]\n', 1),
    ],
)
def test_the_first_problem_in_line_order_is_the_one_reported(
    name: str, data: bytes, line: int
) -> None:
    error = rejection(name, data)
    message = f"id '1' appears twice: line {line} and line {line + 1}"
    assert (error.line, error.message) == (line + 1, message)


def test_a_repeated_header_column_is_reported_in_header_order() -> None:
    error = rejection("a.csv", b"url,title,text,url,title\nu,A,x,v,B\n")
    assert error.message == "column 'url' appears twice in the header"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.txt", b"  Two  words \t\n\nThe body.\n"),
        ("a.md", b"# Two  words\n\nThe body.\n"),
        ("a.csv", b'title,text\n"  Two  words \t",The body.\n'),
        ("a.jsonl", b'{"title": " Two  words\\t", "text": "The body."}\n'),
    ],
)
def test_a_title_is_stored_by_one_rule_in_every_format(name: str, data: bytes) -> None:
    assert read_file(name, data)[0].title == "Two  words"


@pytest.mark.parametrize("title", ['"Two\r\n  lines "', '"Two \n lines"', '"Two\rlines"'])
def test_a_title_on_several_lines_is_stored_on_one_as_a_txt_title_is(title: str) -> None:
    data = f"title,text\n{title},The body.\n".encode()
    assert read_file("a.csv", data)[0].title == "Two lines"

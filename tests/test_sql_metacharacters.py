"""SQL metacharacters, NUL, undecodable bytes and very long strings in every text input that
reaches a query: each is stored or matched literally, or refused with a clear message and
nothing stored. Run on SQLite and on PostgreSQL (which refuses NUL in text itself)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from annotator.cli import main
from annotator.config import SEEDS_DIR
from annotator.errors import AuthenticationFailed, ImportRejected, InvalidInput, NotFound
from annotator.scheme import load_scheme
from annotator.services import accounts, assignment, labelling
from annotator.services.exporting import ExportRequest, export_bytes
from annotator.services.importing import import_file
from annotator.services.label_import import import_labels
from annotator.services.labelling import LabelInput
from annotator.services.projects import create_project, get_project, list_projects
from annotator.services.records import UserInfo
from annotator.services.reliability import file_agreement
from annotator.services.setup import initialise
from db.engine import session_factory
from db.models import Article
from tests.conftest import PASSWORD, table_counts

# Stored and matched literally wherever free text is allowed.
LITERAL = [
    "' OR '1'='1",
    '"; DROP TABLE labels; --',
    "Robert'); DROP TABLE users;--",
    "%",
    "_",
    "\\",
    "a%",
    "ad_in",
    "\\x00 and \\\\ and \\'",
    "x" * 100,
]
# What no text column can hold: refused with a message on every database.
UNSTORABLE = ["a\x00b", "\x00", "caf\udce9"]
TOO_LONG = "y" * 1_000_000
WRONG = r"^wrong user name or password$"


@pytest.fixture
def db(any_engine: Engine) -> Iterator[Session]:
    """The database after the first start, with an admin, a lead and an annotator."""
    with session_factory(any_engine)() as session:
        initialise(any_engine, session, SEEDS_DIR)
        accounts.create_user(session, "admin", "admin", PASSWORD)
        accounts.create_user(session, "lena", "lead", PASSWORD)
        accounts.create_user(session, "ann", "annotator", PASSWORD)
        yield session


def _counts(session: Session) -> dict[str, int]:
    return table_counts(session.get_bind())


def _user(session: Session, name: str) -> UserInfo:
    return accounts.authenticate(session, name, PASSWORD)


def test_login_names_and_passwords_with_metacharacters_match_no_account(
    db: Session, subtests: pytest.Subtests
) -> None:
    before = _counts(db)
    for name in [*LITERAL, *UNSTORABLE, TOO_LONG, "admin' --", "ADMIN", "ann\n"]:
        with subtests.test(name=name[:40]), pytest.raises(AuthenticationFailed, match=WRONG):
            accounts.authenticate(db, name, PASSWORD)
    for i, password in enumerate(["' OR '1'='1", "%", "\x00", "caf\udce9", TOO_LONG]):
        name = ("ann", "lena")[i % 2]  # fewer than five failures each: no lock
        with (
            subtests.test(password=password[:40]),
            pytest.raises(AuthenticationFailed, match=WRONG),
        ):
            accounts.authenticate(db, name, password)
    assert _counts(db) == before


def test_user_names_with_metacharacters_are_refused_and_nothing_is_stored(
    db: Session, subtests: pytest.Subtests
) -> None:
    before = _counts(db)
    for name in [*LITERAL[:7], *UNSTORABLE, TOO_LONG, "bob\n", "bob\n\n", " bob", "b\u00f6b"]:
        with subtests.test(name=name[:40]), pytest.raises(InvalidInput, match="is not allowed"):
            accounts.create_user(db, name, "annotator", PASSWORD)
    for password in ["pass\x00word123456", "passw\udce9rd123456"]:
        with (
            subtests.test(password=password),
            pytest.raises(InvalidInput, match=r"^password contains"),
        ):
            accounts.create_user(db, "newcomer", "annotator", password)
    assert _counts(db) == before


def test_user_names_with_dots_and_underscores_match_only_themselves(db: Session) -> None:
    accounts.create_user(db, "a_b.c", "annotator", PASSWORD)
    assert _user(db, "a_b.c").name == "a_b.c"
    for near in ("aXb.c", "a_bXc", "a%", "a_b_c"):
        with pytest.raises(AuthenticationFailed):
            _user(db, near)


def test_managing_an_account_by_a_metacharacter_name_finds_nobody(
    db: Session, subtests: pytest.Subtests
) -> None:
    admin = _user(db, "admin")
    before = _counts(db)
    for name in [*LITERAL[:7], *UNSTORABLE, TOO_LONG, "ann\n", "ann_", "an%"]:
        with subtests.test(name=name[:40]):
            with pytest.raises(NotFound, match="no user named"):
                accounts.set_active(db, admin, name, False)
            with pytest.raises(NotFound, match="no user named"):
                accounts.reset_password(db, admin, name, "a brand new passphrase")
            with pytest.raises(NotFound, match="no user named"):
                assignment.assign(db, None, "default", [name])
    assert _counts(db) == before


def test_project_names_and_guidelines_with_metacharacters_are_stored_literally(
    db: Session,
) -> None:
    lead = _user(db, "lena")
    for name in LITERAL:
        create_project(db, name, guidelines=f"Guidelines for {name}", actor=lead)
    assert {p.name for p in list_projects(db)} == {"default", *LITERAL}
    for name in LITERAL:
        stored = get_project(db, name)
        assert (stored.name, stored.guidelines) == (name, f"Guidelines for {name}")
    with pytest.raises(NotFound):
        get_project(db, "a_")  # `_` and `%` are no wildcards: `a%` is not found by `a_`


def test_unstorable_project_values_are_refused_and_nothing_is_stored(
    db: Session, subtests: pytest.Subtests
) -> None:
    lead = _user(db, "lena")
    before = _counts(db)
    for name, guidelines, message in [
        ("p\x00q", "", "project name 'p\\x00q' contains a NUL character"),
        ("caf\udce9", "", "contains an unpaired surrogate at position 3"),
        ("x" * 101, "", "must be 1-100 characters"),
        ("ok", "a\x00b", "the guidelines text contains a NUL character"),
        ("ok", TOO_LONG, "the limit is 20,000"),
    ]:
        with subtests.test(message=message), pytest.raises(InvalidInput, match=re.escape(message)):
            create_project(db, name, guidelines=guidelines, actor=lead)
    assert _counts(db) == before


def test_looking_up_a_project_by_a_metacharacter_name_finds_none(
    db: Session, subtests: pytest.Subtests
) -> None:
    before = _counts(db)
    for name in [*LITERAL, *UNSTORABLE, TOO_LONG, "defaul_", "def%"]:
        with subtests.test(name=name[:40]):
            with pytest.raises(NotFound, match="no project named"):
                get_project(db, name)
            with pytest.raises(NotFound, match="no project named"):
                assignment.assign(db, None, name, ["ann"])
            report = import_file(db, name, "a.txt", b"Title\n\nThe council met on Monday.\n")
            assert "no project named" in str(report.error)
    assert _counts(db) == before


def _first_body_sentence(session: Session, user: UserInfo) -> int:
    article = labelling.article_list(session, user, "default")[0].id
    return labelling.load_article(session, user, article).body[0].id


def test_notes_with_metacharacters_are_stored_literally_or_refused(
    db: Session, subtests: pytest.Subtests
) -> None:
    ann = _user(db, "ann")
    sentence = _first_body_sentence(db, ann)
    article = labelling.article_list(db, ann, "default")[0].id
    for note in [*LITERAL, "x" * 5_000]:
        with subtests.test(note=note[:40]):
            labelling.save_label(db, ann, sentence, LabelInput("opinion", note=note), 1.0)
            assert labelling.article_labels(db, ann, article)[sentence].note == note
    before = _counts(db)
    for note, message in [
        ("a\x00b", "note contains a NUL character"),
        ("caf\udce9", "note contains an unpaired surrogate"),
        ("x" * 5_001, "note is 5,001 characters"),
    ]:
        with subtests.test(message=message), pytest.raises(InvalidInput, match=message):
            labelling.save_label(db, ann, sentence, LabelInput("factual", note=note), 1.0)
    assert _counts(db) == before


def test_import_file_names_with_metacharacters_are_stored_literally_or_refused(
    db: Session, subtests: pytest.Subtests
) -> None:
    for name in ["'; DROP TABLE articles; --.txt", "100%_done.txt", "a\\b.txt"]:
        with subtests.test(name=name):
            data = f"A title for {name}\n\nThe council met on Monday. It approved it.\n"
            report = import_file(db, "default", name, data.encode())
            assert report.status == "imported", report.error
            with db.begin():
                assert db.scalar(select(Article.title).where(Article.origin == name)) == (
                    f"A title for {name}"
                )
    before = _counts(db)
    for name in ["a\x00.txt", "caf\udce9.txt"]:
        with subtests.test(name=name):
            report = import_file(db, "default", name, b"Title\n\nThe council met on Monday.\n")
            assert report.status == "rejected" and "the file name contains" in str(report.error)
    assert _counts(db) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("label", "A\\u0000", "labels[0].label contains a NUL character"),
        ("label", "A\\ud800", "labels[0].label contains an unpaired surrogate"),
        ("definition", "\\u0000", "labels[0].definition contains a NUL character"),
    ],
)
def test_scheme_text_no_column_can_hold_is_refused(field: str, value: str, message: str) -> None:
    first = {"value": "a", "label": "A", "key": "1", "definition": "x", field: value}
    labels = [first, {"value": "b", "label": "B", "key": "2", "definition": "y"}]
    document = json.dumps({"name": "s", "labels": labels}).replace("\\\\u", "\\u")
    with pytest.raises(InvalidInput, match=re.escape(message)):
        load_scheme("s.json", document.encode())


def _labels_export(session: Session) -> pd.DataFrame:
    data = export_bytes(session, ExportRequest("default", "labels"), None)
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def _labelled(session: Session) -> pd.DataFrame:
    ann = _user(session, "ann")
    sentence = _first_body_sentence(session, ann)
    labelling.save_label(session, ann, sentence, LabelInput("opinion", note="first"), 1.0)
    return _labels_export(session)


def test_import_labels_stores_metacharacter_notes_literally(
    db: Session, subtests: pytest.Subtests
) -> None:
    frame = _labelled(db)
    for note in LITERAL:
        with subtests.test(note=note):
            frame.loc[0, "note"] = note
            data = frame.to_csv(index=False, lineterminator="\n").encode()
            import_labels(db, None, "default", "labels.csv", data, replace=True)
            assert _labels_export(db).loc[0, "note"] == note


def test_import_labels_cells_with_metacharacters_match_literally_or_are_refused(
    db: Session, subtests: pytest.Subtests
) -> None:
    good = _labelled(db).to_dict("records")
    before = _counts(db)
    for column, value, message in [
        ("article_title", "' OR '1'='1", "no article in this project is titled \"' OR '1'='1\""),
        ("article_title", "%", "no article in this project is titled '%'"),
        ("annotator", "' OR '1'='1", "no account named \"' OR '1'='1\""),
        ("annotator", "an_", "no account named 'an_'"),
        ("annotator", "a\x00", "annotator contains a NUL character"),
        ("sentence", "%", "the text differs: characters"),
        ("note", "caf\udce9", "note contains an unpaired surrogate"),
        ("article_title", "\x00", "article_title contains a NUL character"),
    ]:
        with subtests.test(column=column, value=value):
            records = [{**good[0], column: value}, *good[1:]]
            data = "".join(json.dumps(r) + "\n" for r in records).encode()
            with pytest.raises(ImportRejected) as error:
                import_labels(db, None, "default", "labels.jsonl", data, replace=True)
            assert f"labels.jsonl:1: {message}" in str(error.value)
    assert _counts(db) == before


def test_agreement_from_a_file_keeps_metacharacter_annotator_names_apart() -> None:
    rows = [
        {"sentence_id": item, "annotator": name, "claim_type": claim_type}
        for item in range(1, 5)
        for name, claim_type in (("' OR '1'='1", "factual"), ("%", "factual"), ("_", "opinion"))
    ]
    data = pd.DataFrame(rows).to_csv(index=False).encode()
    result = file_agreement("labels.csv", data)
    assert (result.n_items, result.n_annotators) == (4, 3)
    assert {(p.a, p.b) for p in result.cohen_kappa} == {
        ("%", "' OR '1'='1"),
        ("%", "_"),
        ("' OR '1'='1", "_"),
    }


def _cli(db_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--db", db_url])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("the command crashed (a user would see a traceback)") from (
            result.exception
        )
    return result.exit_code, result.output


@pytest.mark.parametrize("project", ["' OR '1'='1", "%", "caf\udce9"])
def test_cli_project_arguments_with_metacharacters_name_no_project(
    db_url: str, project: str, tmp_path: Path
) -> None:
    assert _cli(db_url, "init")[0] == 0
    article = tmp_path / "a.txt"
    article.write_text("A title\n\nThe council met on Monday. It approved the budget.\n")
    for args in (
        ("progress", "--project", project),
        ("assign", "--project", project),
        ("export", "--kind", "labels", "--project", project),
        ("import", str(article), "--project", project),
    ):
        code, output = _cli(db_url, *args)
        assert code == 1 and "no project named" in output, (args, output)


@pytest.mark.parametrize("arguments", [("caf\udce9",), ("a\x00b",)])
def test_cli_names_no_column_can_hold_exit_1_with_one_line(
    db_url: str, arguments: tuple[str, ...]
) -> None:
    assert _cli(db_url, "init")[0] == 0
    code, output = _cli(db_url, "projects", "create", *arguments)
    assert code == 1 and output.startswith("Error: project name") and "contains" in output
    code, output = _cli(db_url, "assign", "--project", "default", "--annotators", *arguments)
    assert code == 1 and output.startswith("Error: no user named")

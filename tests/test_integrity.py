"""`python -m annotator check`: a sound database passes; each kind of damage, made here by raw
SQL behind the application's back, is reported with one clear line and exit status 1."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import tracemalloc
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from annotator.cli import main
from annotator.config import SEEDS_DIR
from annotator.services import accounts, adjudication, assignment, integrity, labelling
from annotator.services.importing import import_file
from annotator.services.integrity import Problem, find_problems, span_problems
from annotator.services.labelling import LabelInput
from annotator.services.projects import create_project
from annotator.services.records import UserInfo
from annotator.services.setup import initialise
from bench.annotate_page import build_database
from db.engine import session_factory
from db.migrate import MIGRATIONS_DIR
from tests.conftest import PASSWORD, prepare_database


def _head() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return str(ScriptDirectory.from_config(config).get_current_head())


SessionFor = Callable[[str], AbstractContextManager[Session]]
HEAD = _head()  # the newest migration

FACT = LabelInput("factual", date_bound=False)
DATED = LabelInput("factual", date_bound=True, as_of=dt.date(2014, 11, 21))
OPINION = LabelInput("opinion")
NOT_CLAIM = LabelInput("not_claim")
SKIP = LabelInput(None, skipped=True, note="unclear")


@dataclass(frozen=True)
class Busy:
    """A database after some work: ids the corruptions below aim at."""

    path: Path
    body: tuple[int, ...]  # body sentence ids of the first `team` article, in order
    article: int  # that article's id
    default_project: int
    team_project: int
    ann: int


def _build_busy(session_for: SessionFor, db_url: str) -> Busy:
    """Two projects with the seeds; labels agreeing, disputed, skipped, changed; a lead's
    decision, a reopened one; a policy change; assignments."""
    prepare_database(db_url, (("admin", "admin"), ("lena", "lead"), ("ann", "annotator"),
                              ("bob", "annotator")))  # fmt: skip
    with session_for(db_url) as session:
        admin, lead, ann, bob = (
            accounts.authenticate(session, name, PASSWORD)
            for name in ("admin", "lena", "ann", "bob")
        )
        team = create_project(session, "team", overlap=2, actor=lead)
        for path in sorted(SEEDS_DIR.glob("*.txt")):
            import_file(session, "team", path.name, path.read_bytes())
        assignment.assign(session, lead, "team", ["ann", "bob"])
        article = labelling.load_article(
            session, ann, labelling.article_list(session, ann, "team")[0].id
        )
        body = tuple(s.id for s in article.body)
        _label_and_decide(session, (ann, bob, lead), body)
        default = labelling.load_article(
            session, admin, labelling.article_list(session, admin, "default")[0].id
        )
        for sentence in default.body[:2]:
            labelling.save_label(session, admin, sentence.id, FACT, 2.0)
    path = Path(db_url.removeprefix("sqlite:///"))
    return Busy(path, body, article.id, default.project_id, team.id, ann.id)


def _label_and_decide(
    session: Session, people: tuple[UserInfo, UserInfo, UserInfo], body: tuple[int, ...]
) -> None:
    ann, bob, lead = people
    plan = [
        (FACT, FACT), (FACT, OPINION), (OPINION, NOT_CLAIM), (SKIP, DATED), (FACT, OPINION),
        (DATED, DATED),
    ]  # fmt: skip
    for sentence_id, answers in zip(body, plan, strict=False):
        for person, answer in zip((ann, bob), answers, strict=True):
            labelling.save_label(session, person, sentence_id, answer, 1.5)
    labelling.save_label(session, ann, body[4], OPINION, 1.0)  # changed: gold now
    labelling.save_label(session, ann, body[5], SKIP, 1.0)  # gold withdrawn
    adjudication.adjudicate(session, lead, body[1], OPINION)
    adjudication.adjudicate(session, lead, body[2], NOT_CLAIM)
    adjudication.reopen(session, lead, body[2])
    adjudication.set_policy(session, lead, "team", "majority", 1)


@pytest.fixture(scope="module")
def busy_template(tmp_path_factory: pytest.TempPathFactory, session_for: SessionFor) -> Busy:
    """Built once: each test gets a copy (see `busy`)."""
    directory = tmp_path_factory.mktemp("busy")
    return _build_busy(session_for, f"sqlite:///{directory / 'busy.db'}")


@pytest.fixture
def busy(busy_template: Busy, db_url: str) -> Busy:
    """A copy of the busy database at `db_url`, for this test to damage."""
    path = Path(db_url.removeprefix("sqlite:///"))
    shutil.copyfile(busy_template.path, path)
    return replace(busy_template, path=path)


def check(db_url: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", "--db", db_url])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("check crashed (a user would see a traceback)") from result.exception
    return result.exit_code, result.stdout.splitlines()


def corrupt(path: Path, *statements: str) -> None:
    """Change the file behind the application's back (raw sqlite3: no foreign keys)."""
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def test_a_database_after_ordinary_work_is_sound(busy: Busy, db_url: str) -> None:
    assert check(db_url) == (0, ["database is sound"])


def test_a_fresh_seeded_database_is_sound(seeded: Session, db_url: str) -> None:
    assert check(db_url) == (0, ["database is sound"])


def _sentence(b: Busy, position: int) -> str:
    return str(b.body[position])


CORRUPTIONS = {
    "span past the end of the text": (
        lambda b: [f"UPDATE sentences SET char_end = 1000000 WHERE id = {_sentence(b, 0)}"],
        ["sentences: article {article} sentence", "is not inside the text"],
    ),
    "untrimmed span": (
        lambda b: [
            f"UPDATE sentences SET char_start = char_start - 1 WHERE id = {_sentence(b, 3)}"
        ],
        ["starts or ends with whitespace (not trimmed)"],
    ),
    "whitespace span": (
        lambda b: [
            "UPDATE sentences SET char_start = (SELECT char_end FROM sentences p "
            'WHERE p.article_id = sentences.article_id AND p."index" = sentences."index" - 1), '
            "char_end = (SELECT char_end + 1 FROM sentences p WHERE p.article_id = "
            f'sentences.article_id AND p."index" = sentences."index" - 1) '
            f"WHERE id = {_sentence(b, 3)}"
        ],
        ["is empty (only whitespace)"],
    ),
    "overlapping spans": (
        lambda b: [
            f"UPDATE sentences SET char_start = char_start - 3 WHERE id = {_sentence(b, 3)}"
        ],
        ["overlaps sentence"],
    ),
    "spans out of order": (
        lambda b: [
            "UPDATE sentences SET char_start = 0, char_end = 3 WHERE id = (SELECT id FROM "
            f'sentences WHERE article_id = {b.article} ORDER BY "index" DESC LIMIT 1)'
        ],
        ["(out of order)"],
    ),
    "a sentence row deleted": (
        lambda b: [
            f'DELETE FROM sentences WHERE article_id = {b.article} AND "index" = '
            f'(SELECT max("index") - 1 FROM sentences WHERE article_id = {b.article})'
        ],
        ["expected", "n_sentences is", "counted"],
    ),
    "article n_body off": (
        lambda b: [f"UPDATE articles SET n_body = n_body + 1 WHERE id = {b.article}"],
        ["counts: article {article}: n_body is"],
    ),
    "project n_body off": (
        lambda b: [f"UPDATE projects SET n_body = 3 WHERE id = {b.default_project}"],
        ["counts: project 'default': n_body is 3, counted"],
    ),
    "article n_assigned off": (
        lambda b: [f"UPDATE articles SET n_assigned = 7 WHERE id = {b.article}"],
        ["counts: article {article}: n_assigned is 7, counted 2"],
    ),
    "assigned counts off": (
        lambda b: [
            f"UPDATE assigned_counts SET sentences = sentences + 5 WHERE annotator_id = {b.ann}"
        ],
        ["assigned counts are 2 articles and", "counted 2 and"],
    ),
    "article label count off": (
        lambda b: [
            f"UPDATE article_label_counts SET labels = 9 WHERE annotator_id = {b.ann} "
            f"AND article_id = {b.article}"
        ],
        ["counts: article {article}, annotator", "label count is 9, counted"],
    ),
    "outcome count off": (
        lambda b: [
            "UPDATE outcome_counts SET sentences = sentences + 4 WHERE status = 'gold' "
            f"AND method = 'adjudicated' AND project_id = {b.team_project}"
        ],
        ["counts: project", "outcome count for gold (adjudicated) is 5, counted 1"],
    ),
    "label change count off": (
        lambda b: [f"DELETE FROM label_change_counts WHERE annotator_id = {b.ann}"],
        ["counts: project", "label change count is 0, label_history has"],
    ),
    "label of a missing user": (
        lambda b: [f"UPDATE labels SET annotator_id = 999 WHERE annotator_id = {b.ann}"],
        ["references: labels row", "refers to a missing users row (annotator_id)"],
    ),
    "label without history": (
        lambda b: [
            "INSERT INTO labels (sentence_id, annotator_id, claim_type, skipped, note, "
            "seconds_spent, created_at, updated_at) VALUES "
            f"({b.body[7]}, {b.ann}, 'opinion', 0, '', 0, '2026-01-01', '2026-01-01')"
        ],
        ["history: label", "has no label_history row"],
    ),
    "label changed without history": (
        lambda b: [
            f"UPDATE labels SET note = 'edited' WHERE sentence_id = {b.body[0]} "
            f"AND annotator_id = {b.ann}"
        ],
        ["differs from its last label_history row: note is 'edited', history says ''"],
    ),
    "history row that disagrees": (
        lambda b: [
            "INSERT INTO label_history (label_id, changed_by, changed_at, old, new) "
            'SELECT id, annotator_id, \'2026-01-01\', NULL, \'{"claim_type": "opinion", '
            '"skipped": false, "date_bound": null, "as_of": null, "note": ""}\' '
            f"FROM labels WHERE sentence_id = {b.body[0]} AND annotator_id = {b.ann}"
        ],
        ["claim_type is 'factual', history says 'opinion'"],
    ),
    "lead's decision changed without history": (
        lambda b: [f"UPDATE outcomes SET claim_type = 'factual' WHERE sentence_id = {b.body[1]}"],
        [
            "history: sentence {s1} differs from its last gold_history row: claim_type is "
            "'factual', history says 'opinion'"
        ],
    ),
    "outcome that its labels do not give": (
        lambda b: [
            "UPDATE outcomes SET status = 'disputed', claim_type = NULL, date_bound = NULL, "
            f"method = NULL WHERE sentence_id = {b.body[0]}"
        ],
        ["outcomes: sentence {s0}: status is 'disputed', its labels give 'gold'"],
    ),
    "outcome row missing": (
        lambda b: [f"DELETE FROM outcomes WHERE sentence_id = {b.body[0]}"],
        [
            "outcomes: sentence {s0} has 2 answers but no outcome row",
            "its last gold_history row gives a gold answer, but it has no outcome row",
        ],
    ),
    "outcome filed under another project": (
        lambda b: [
            f"UPDATE outcomes SET project_id = {b.default_project} WHERE sentence_id = {b.body[0]}"
        ],
        ["outcome filed under project"],
    ),
    "schema behind the code": (
        lambda b: ["UPDATE alembic_version SET version_num = '0002'"],
        [f"schema: the database is at migration 0002; this version needs {HEAD}"],
    ),
    "damaged index": (
        lambda b: [
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_schema SET sql = replace(sql, '(annotator_id, sentence_id)', "
            "'(sentence_id, annotator_id)') WHERE name = 'ix_labels_annotator_id_sentence_id'",
        ],
        ["integrity: ", "ix_labels_annotator_id_sentence_id"],
    ),
}


@pytest.mark.parametrize("damage", list(CORRUPTIONS), ids=list(CORRUPTIONS))
def test_each_kind_of_damage_is_reported_with_a_clear_line_and_exit_1(
    busy: Busy, db_url: str, damage: str
) -> None:
    statements, expected = CORRUPTIONS[damage]
    corrupt(busy.path, *statements(busy))
    code, lines = check(db_url)
    report = "\n".join(lines)
    assert code == 1, report
    for fragment in expected:
        filled = fragment.format(article=busy.article, s0=busy.body[0], s1=busy.body[1])
        assert filled in report, report


def test_check_changes_nothing_and_does_not_create_a_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = CliRunner().invoke(main, ["check", "--db", f"sqlite:///{missing}"])
    assert result.exit_code == 1
    assert "no such database file" in result.stderr
    assert not missing.exists()


def test_span_problems_apply_the_segmenter_invariants_to_one_article() -> None:
    @dataclass(frozen=True)
    class Row:
        id: int
        index: int
        char_start: int
        char_end: int

    text_ = "One. Two three"
    rows = [Row(1, 0, 0, 4), Row(2, 1, 3, 8), Row(3, 3, 8, 14), Row(4, 4, 1, 2), Row(5, 4, 9, 20)]
    problems = [str(p) for p in span_problems(9, text_, rows)]
    assert problems == [
        "sentences: article 9 sentence 1 (id 2): overlaps sentence 0",
        "sentences: article 9 sentence 3 (id 3): index 3, expected 2",
        "sentences: article 9 sentence 3 (id 3): starts or ends with whitespace (not trimmed)",
        "sentences: article 9 sentence 4 (id 4): starts before sentence 3 (out of order)",
        "sentences: article 9 sentence 4 (id 5): index 4, expected 5",
        "sentences: article 9 sentence 4 (id 5): span 9-20 is not inside the text (14 characters)",
    ]


def _peak_memory(session_for: SessionFor, tmp_path: Path, n_sentences: int) -> int:
    """Peak Python memory of a second check (the first fills the statement caches)."""
    url = f"sqlite:///{tmp_path / f'{n_sentences}.db'}"
    build_database(url, n_sentences)
    with session_for(url) as session:
        assert list(find_problems(session)) == []
        tracemalloc.start()
        assert list(find_problems(session)) == []
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_checking_six_times_the_sentences_needs_no_more_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session_for: SessionFor
) -> None:
    # Small batches, so that both databases hold many of them.
    monkeypatch.setattr(integrity, "ROWS_PER_FETCH", 500)
    monkeypatch.setattr(integrity, "ARTICLES_PER_FETCH", 10)
    small = _peak_memory(session_for, tmp_path, 5_000)
    large = _peak_memory(session_for, tmp_path, 30_000)
    assert large < 1.2 * small, (small, large)


@pytest.mark.postgres
def test_postgres_database_is_checked_and_orphans_are_found(pg_engine: Engine) -> None:
    with session_factory(pg_engine)() as session:
        initialise(pg_engine, session, SEEDS_DIR)
        assert list(find_problems(session)) == []
    with pg_engine.begin() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text("UPDATE sentences SET article_id = 99999 WHERE id = 1"))
    with session_factory(pg_engine)() as session:
        problems = list(find_problems(session))
    assert (
        Problem("references", "1 sentences row refers to a missing articles row (article_id)")
        in problems
    )
    assert any(p.check == "counts" and "n_sentences" in p.message for p in problems)

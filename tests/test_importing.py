"""Importing through the service: seeds, duplicates, whole-file-or-nothing, the project total."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from annotator.config import SEEDS_DIR
from annotator.services.importing import import_file
from annotator.services.projects import get_project
from annotator.services.records import UserInfo
from annotator.services.setup import import_seeds
from db.models import Article, Sentence
from tests.conftest import table_counts

DAWN = "004_27ddbea68a68097d.txt"
FRONTIER = "000_b44e9500121a4328.txt"


def _article(session: Session, origin: str) -> Article:
    with session.begin():
        article = session.scalars(select(Article).where(Article.origin == origin)).one()
        session.expunge(article)
        return article


def _roles(session: Session, article_id: int) -> list[tuple[str, str]]:
    with session.begin():
        article = session.get(Article, article_id)
        assert article is not None
        rows = session.scalars(
            select(Sentence).where(Sentence.article_id == article_id).order_by(Sentence.index)
        )
        return [(s.role, article.text[s.char_start : s.char_end]) for s in rows]


def test_first_start_imports_both_seeds_with_titles_and_dates(seeded: Session) -> None:
    dawn = _article(seeded, DAWN)
    frontier = _article(seeded, FRONTIER)
    assert dawn.title == "Russia to provide counter-terrorism training to Pakistan"
    assert dawn.published == dt.date(2014, 11, 21)
    assert dawn.published_raw == "November 21, 2014"
    assert frontier.title == "Pak-Russia alliance against terrorism"
    assert frontier.published is None
    assert frontier.byline == "The Frontier Post"


def test_seed_text_is_stored_unchanged_and_every_sentence_slices_it(seeded: Session) -> None:
    for name in (DAWN, FRONTIER):
        article = _article(seeded, name)
        assert article.text == (SEEDS_DIR / name).read_text(encoding="utf-8")
        for _, sentence in _roles(seeded, article.id):
            assert sentence == sentence.strip() and sentence


def test_dawn_seed_roles_keep_captions_related_and_teasers_out_of_the_body(seeded: Session) -> None:
    roles = _roles(seeded, _article(seeded, DAWN).id)
    by_role: dict[str, list[str]] = {}
    for role, sentence in roles:
        by_role.setdefault(role, []).append(sentence)
    assert by_role["title"] == ["Russia to provide counter-terrorism training to Pakistan"]
    assert by_role["meta"] == ["Published November 21, 2014"]
    assert len(by_role["caption"]) == 2 and by_role["caption"][0] == by_role["caption"][1]
    assert by_role["related"] == [
        "Also read: Pakistan, Russia sign landmark defence cooperation agreement"
    ]
    assert by_role["body"][0].startswith("ISLAMABAD: Russia has accepted")
    assert by_role["body"][-1].startswith("In June, Russia's ITAR-TASS")
    assert "Opinion" in by_role["boilerplate"] and "Afghan turbulence" in by_role["boilerplate"]


def test_frontier_post_about_the_author_is_boilerplate(seeded: Session) -> None:
    roles = _roles(seeded, _article(seeded, FRONTIER).id)
    assert roles[-2:] == [("boilerplate", "About the author"), ("boilerplate", "The Frontier Post")]
    assert ("meta", "Written by The Frontier Post") in roles


def test_project_total_counts_body_sentences(seeded: Session) -> None:
    with seeded.begin():
        n_body = seeded.scalar(
            select(func.count()).select_from(Sentence).where(Sentence.role == "body")
        )
    assert get_project(seeded, "default").n_body == n_body > 0


def test_reimporting_the_seeds_does_not_duplicate_articles(seeded: Session, engine: Engine) -> None:
    before = table_counts(engine)
    reports = import_seeds(seeded, SEEDS_DIR)
    assert [r.status for r in reports] == ["duplicate", "duplicate"]
    assert table_counts(engine) == before


def test_same_external_id_with_new_text_is_a_duplicate(seeded: Session, engine: Engine) -> None:
    line = {"id": "a-1", "title": "Budget", "text": "The budget rose. It was approved."}
    first = import_file(seeded, "default", "a.jsonl", json.dumps(line).encode())
    line["text"] = "Edited text. Still the same article."
    second = import_file(seeded, "default", "b.jsonl", json.dumps(line).encode())
    assert (first.status, second.status) == ("imported", "duplicate")


def test_a_rejected_file_stores_nothing(seeded: Session, engine: Engine) -> None:
    before = table_counts(engine)
    good = json.dumps({"title": "Fine", "text": "A fine article. It has text."})
    data = (good + "\n{not json\n").encode()
    report = import_file(seeded, "default", "bad.jsonl", data)
    assert report.status == "rejected"
    assert "bad.jsonl" in (report.error or "") and "2" in (report.error or "")
    assert table_counts(engine) == before


def test_unknown_project_is_reported_not_raised(seeded: Session, engine: Engine) -> None:
    before = table_counts(engine)
    report = import_file(seeded, "nope", "a.txt", b"Title\n\nBody sentence here.")
    assert report.status == "rejected" and "nope" in (report.error or "")
    assert table_counts(engine) == before


def test_zip_of_csv_and_txt_imports_every_article(seeded: Session) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.csv", "title,text\nOne,First article. Two sentences.\n")
        archive.writestr("b.txt", "Second\n\nAnother article here.")
    report = import_file(seeded, "default", "batch.zip", buffer.getvalue())
    assert (report.status, report.imported) == ("imported", 2)


def test_an_annotator_may_not_import_and_nothing_is_stored(
    seeded: Session, engine: Engine, annotator_user: UserInfo
) -> None:
    before = table_counts(engine)
    report = import_file(
        seeded, "default", "a.txt", b"Title\n\nA body sentence.", actor=annotator_user
    )
    assert report.status == "rejected" and "not a lead of this project" in (report.error or "")
    assert table_counts(engine) == before


def test_an_admin_may_import_through_the_app(seeded: Session, admin_user: UserInfo) -> None:
    report = import_file(seeded, "default", "a.txt", b"Title\n\nA body sentence.", actor=admin_user)
    assert report.status == "imported"


def test_a_body_line_soft_wrapped_onto_a_meta_line_is_shown_to_annotators(
    seeded: Session,
) -> None:
    # Found by tests/test_properties.py: "PUBLISHED;" is a meta line and "a" a body line, but
    # the soft wrap makes them one sentence, which was marked meta and so hidden.
    line = {"title": "Budget", "text": "PUBLISHED;\nthe budget rose."}
    report = import_file(seeded, "default", "wrap.jsonl", json.dumps(line).encode())
    assert report.status == "imported"
    article = _article(seeded, "wrap.jsonl:1")
    assert _roles(seeded, article.id) == [("body", "PUBLISHED;\nthe budget rose.")]

"""Assignment: each article to k annotators, balanced, blind; safe under concurrent runs."""

from __future__ import annotations

import json
import multiprocessing
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from annotator.errors import NotAssigned, PermissionDenied
from annotator.services import accounts, assignment, labelling
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.records import UserInfo
from annotator.services.setup import initialise
from db.engine import make_engine, session_factory
from db.models import Article, AssignedCount, Assignment, Project, User
from tests.conftest import PASSWORD

N_ARTICLES = 10  # 8 imported + the 2 seeds


def _articles_jsonl(n: int, tag: str = "a") -> bytes:
    lines = [
        json.dumps(
            {
                "id": f"{tag}{i}",
                "title": f"Story {tag}{i}",
                "text": f"The council met on day {i}. It approved plan {i}. Critics objected.",
            }
        )
        for i in range(n)
    ]
    return "\n".join(lines).encode()


def _project_with(
    session: Session, engine: Engine, overlap: int, annotators: int
) -> list[UserInfo]:
    initialise(engine, session, Path(__file__).resolve().parent.parent / "seeds")
    assert import_file(session, "default", "more.jsonl", _articles_jsonl(N_ARTICLES - 2)).imported
    with session.begin():
        session.execute(update(Project).values(overlap=overlap))
    accounts.create_user(session, "admin", "admin", PASSWORD)
    return [
        accounts.create_user(session, f"ann{i}", "annotator", PASSWORD) for i in range(annotators)
    ]


def _per_article(session: Session) -> Counter[int]:
    with session.begin():
        return Counter(session.scalars(select(Assignment.article_id)))


def _loads(session: Session) -> Counter[int]:
    """Articles per annotator, counted from the assignments; also checks that the assigned
    counts the services keep (which progress reads) say the same, in articles and sentences."""
    with session.begin():
        rows = session.execute(
            select(Assignment.annotator_id, Article.n_body).join(
                Article, Article.id == Assignment.article_id
            )
        ).all()
        kept = session.execute(
            select(AssignedCount.annotator_id, AssignedCount.articles, AssignedCount.sentences)
        ).all()
    loads = Counter(annotator for annotator, _ in rows)
    sentences = Counter()
    for annotator, n_body in rows:
        sentences[annotator] += n_body
    assert {a: (n, s) for a, n, s in kept if n} == {a: (loads[a], sentences[a]) for a in loads}
    return loads


def test_every_article_goes_to_k_annotators_balanced(session: Session, engine: Engine) -> None:
    users = _project_with(session, engine, overlap=2, annotators=3)
    result = assignment.assign(session, None, "default", [u.name for u in users])
    assert result.new_assignments == 2 * N_ARTICLES and result.unfilled_articles == 0
    assert set(_per_article(session).values()) == {2}
    loads = _loads(session)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_assign_again_changes_nothing(session: Session, engine: Engine) -> None:
    users = _project_with(session, engine, overlap=2, annotators=3)
    assignment.assign(session, None, "default", [u.name for u in users])
    before = _per_article(session)
    again = assignment.assign(session, None, "default")
    assert (again.new_assignments, again.moved) == (0, 0) and _per_article(session) == before


def test_annotators_see_and_open_only_their_own_articles(session: Session, engine: Engine) -> None:
    users = _project_with(session, engine, overlap=1, annotators=2)
    assignment.assign(session, None, "default", [u.name for u in users])
    mine = {a.id for a in labelling.article_list(session, users[0], "default")}
    theirs = {a.id for a in labelling.article_list(session, users[1], "default")}
    assert mine and theirs and not mine & theirs and len(mine | theirs) == N_ARTICLES
    other = next(iter(theirs))
    with pytest.raises(NotAssigned):
        labelling.load_article(session, users[0], other)
    with pytest.raises(NotAssigned):
        labelling.article_labels(session, users[0], other)
    body = labelling.load_article(session, users[1], other).body
    with pytest.raises(NotAssigned):
        labelling.save_label(session, users[0], body[0].id, LabelInput("opinion"), 1.0)


def test_an_annotator_added_later_gets_unstarted_work(session: Session, engine: Engine) -> None:
    users = _project_with(session, engine, overlap=1, annotators=2)
    assignment.assign(session, None, "default", [users[0].name, users[1].name])
    started = labelling.article_list(session, users[0], "default")[0]
    body = labelling.load_article(session, users[0], started.id).body
    labelling.save_label(session, users[0], body[0].id, LabelInput("opinion"), 1.0)
    late = accounts.create_user(session, "late", "annotator", PASSWORD)
    result = assignment.assign(session, None, "default", ["late"])
    assert result.moved >= 3
    loads = _loads(session)
    assert max(loads.values()) - min(loads.values()) <= 1 and loads[late.id] >= 3
    assert started.id in {a.id for a in labelling.article_list(session, users[0], "default")}


def test_a_disabled_annotators_unstarted_work_is_handed_to_others(
    session: Session, engine: Engine
) -> None:
    users = _project_with(session, engine, overlap=1, annotators=3)
    assignment.assign(session, None, "default", [u.name for u in users])
    kept = labelling.article_list(session, users[2], "default")[0]
    body = labelling.load_article(session, users[2], kept.id).body
    labelling.save_label(session, users[2], body[0].id, LabelInput("opinion"), 1.0)
    with session.begin():
        session.execute(update(User).where(User.id == users[2].id).values(active=False))
    assignment.assign(session, None, "default")
    loads = _loads(session)
    assert loads[users[2].id] == 1  # only the started article stays
    assert set(_per_article(session).values()) == {1}
    assert sum(loads.values()) == N_ARTICLES


def test_claim_next_gives_an_article_still_short_of_k_then_none(
    session: Session, engine: Engine
) -> None:
    users = _project_with(session, engine, overlap=2, annotators=1)
    assignment.assign(session, None, "default", [users[0].name])
    extra = accounts.create_user(session, "extra", "annotator", PASSWORD)
    assignment.assign(session, None, "default", ["extra"])  # balances: extra shares the load
    claimed = [assignment.claim_next(session, extra, "default") for _ in range(N_ARTICLES)]
    assert None in claimed
    assert set(_per_article(session).values()) == {2}
    assert sum(_loads(session).values()) == 2 * N_ARTICLES


def test_can_claim_says_whether_claim_next_would_give_an_article_and_claims_nothing(
    session: Session, engine: Engine
) -> None:
    users = _project_with(session, engine, overlap=1, annotators=1)
    extra = accounts.create_user(session, "extra", "annotator", PASSWORD)
    assignment.assign(session, None, "default", [users[0].name, "extra"])
    assert assignment.can_claim(session, extra, "default") is False  # every article has k
    assert import_file(session, "default", "late.jsonl", _articles_jsonl(3, "late")).imported
    before = _per_article(session)
    assert assignment.can_claim(session, extra, "default") is True
    assert _per_article(session) == before  # asking claimed nothing
    while assignment.claim_next(session, extra, "default") is not None:
        pass
    assert assignment.can_claim(session, extra, "default") is False
    outsider = accounts.create_user(session, "outsider", "annotator", PASSWORD)
    assert assignment.can_claim(session, outsider, "default") is False  # not in the project


def test_only_admins_and_leads_of_the_project_may_assign(session: Session, engine: Engine) -> None:
    users = _project_with(session, engine, overlap=1, annotators=1)
    with pytest.raises(PermissionDenied):
        assignment.assign(session, users[0], "default", [users[0].name])
    lead = accounts.create_user(session, "lead", "lead", PASSWORD)
    with pytest.raises(PermissionDenied, match="not a lead of this project"):
        assignment.assign(session, lead, "default", [users[0].name])
    assert _per_article(session) == Counter()


# --- several processes at once ------------------------------------------------------------


def _assign_in_process(url: str, names: list[str]) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        result = assignment.assign(session, None, "default", names)
    engine.dispose()
    return result.new_assignments


def _claim_in_process(url: str, name: str) -> list[int]:
    engine = make_engine(url)
    claimed = []
    with session_factory(engine)() as session:
        user = accounts.authenticate(session, name, PASSWORD)
        while (article := assignment.claim_next(session, user, "default")) is not None:
            claimed.append(article)
    engine.dispose()
    return claimed


def test_concurrent_assign_runs_never_exceed_k(any_url: str, any_engine: Engine) -> None:
    url, engine = any_url, any_engine
    with session_factory(engine)() as session:
        users = _project_with(session, engine, overlap=2, annotators=4)
    names = [u.name for u in users]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        added = pool.starmap(_assign_in_process, [(url, names)] * 4)
    with session_factory(engine)() as session:
        assert set(_per_article(session).values()) == {2} and sum(added) == 2 * N_ARTICLES
        loads = _loads(session)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_twenty_annotators_claiming_at_once_never_exceed_k(
    any_url: str, any_engine: Engine
) -> None:
    url, engine = any_url, any_engine
    with session_factory(engine)() as session:
        users = _project_with(session, engine, overlap=3, annotators=20)
        assignment.assign(session, None, "default", [u.name for u in users])
        with session.begin():  # take everything back, so that all the work is claimed
            session.execute(delete(Assignment))
            session.execute(delete(AssignedCount))
            session.execute(update(Article).values(n_assigned=0))
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        claims = pool.starmap(_claim_in_process, [(url, u.name) for u in users])
    for claimed in claims:
        assert len(claimed) == len(set(claimed))
    with session_factory(engine)() as session:
        assert set(_per_article(session).values()) == {3}
        assert sum(_loads(session).values()) == 3 * N_ARTICLES
    assert sum(len(c) for c in claims) == 3 * N_ARTICLES


def test_users_see_only_their_projects_and_default_admins_see_all(
    session: Session, engine: Engine
) -> None:
    from annotator.services.projects import create_project, visible_projects

    users = _project_with(session, engine, overlap=1, annotators=2)
    admin = accounts.authenticate(session, "admin", PASSWORD)
    create_project(session, "team", actor=None)
    create_project(session, "secret", actor=None)
    assignment.assign(session, None, "team", [users[0].name])
    assert visible_projects(session, users[0]) == ["default", "team"]
    assert visible_projects(session, users[1]) == ["default"]
    assert visible_projects(session, admin) == ["default", "secret", "team"]

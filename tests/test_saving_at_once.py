"""Saves of one sentence from several tabs and annotators at once: each save succeeds or tells
the user why, never raises anything else, and the stored labels and outcomes stay sound."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, func, select

from annotator.config import SEEDS_DIR
from annotator.services import accounts, labelling
from annotator.services.integrity import find_problems
from annotator.services.labelling import LabelInput
from annotator.services.records import UserInfo
from annotator.services.setup import initialise
from db.engine import session_factory
from db.models import Label
from tests.conftest import PASSWORD

SENTENCES = 15


def test_two_tabs_and_another_annotator_saving_the_same_sentences_all_succeed(
    any_engine: Engine,
) -> None:
    factory = session_factory(any_engine)
    with factory() as session:
        initialise(any_engine, session, SEEDS_DIR)
        accounts.create_user(session, "admin", "admin", PASSWORD)
        ann = accounts.create_user(session, "ann", "annotator", PASSWORD)
        bob = accounts.create_user(session, "bob", "annotator", PASSWORD)
        summary = labelling.article_list(session, ann, "default")[0]
        body = [s.id for s in labelling.load_article(session, ann, summary.id).body][:SENTENCES]
    savers: list[tuple[UserInfo, str]] = [(ann, "factual"), (ann, "opinion"), (bob, "factual")]
    together = threading.Barrier(len(savers))

    def save_each(saver: tuple[UserInfo, str]) -> int:
        user, claim_type = saver
        with factory() as session:
            for sentence_id in body:
                together.wait(timeout=60)
                try:
                    labelling.save_label(session, user, sentence_id, LabelInput(claim_type), 1.0)
                except BaseException:
                    together.abort()  # the other savers stop too, instead of waiting for this one
                    raise
        return len(body)

    with ThreadPoolExecutor(len(savers)) as pool:
        assert list(pool.map(save_each, savers)) == [len(body)] * len(savers)
    with factory() as session:
        assert list(find_problems(session)) == []
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Label)) == 2 * len(body)

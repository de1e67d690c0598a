"""Property: for any labels (and any suggestion shown with them), export -> import-labels ->
export gives the same bytes, in every format. Two databases built alike (same seeds, same
accounts, same projects in the same order) get the same ids, so the second export can be
compared byte for byte with the first.

Hypothesis and function-scoped fixtures do not mix: the two databases are built once per module
and every example works in a project of its own in both.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.columns import SHOWN_COLUMNS
from annotator.services.exporting import ExportRequest, export_bytes
from annotator.services.importing import import_file
from annotator.services.label_import import import_labels
from annotator.services.projects import create_project
from db.engine import write_transaction
from db.models import SHOWN_MODES, Article, Label, Sentence, User
from tests.conftest import IN_CI, prepare_database

SessionFor = Callable[[str], AbstractContextManager[Session]]
PROFILE = settings(deadline=None, derandomize=IN_CI, max_examples=25)
PEOPLE = (("admin", "admin"), ("ann", "annotator"), ("bob", "annotator"))
ARTICLE = (
    b"Budget approved\n\nPublished November 21, 2014\n\n"
    b"The assembly approved the budget on Friday. Spending rises by 4.5 per cent. "
    b"Critics said it was too little.\n\nThe minister called it historic. "
    b"Talks with lenders are under way. Will it pass the senate?\n"
)
COUNTER = itertools.count()

notes = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
) | st.sampled_from(["", "=SUM(A1)", 'say "no", then\nyes', "a,b;c", "\\/ \u2028 é 🎉"])
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31),
    timezones=st.just(dt.UTC),
)  # fmt: skip
answers = st.one_of(
    st.tuples(
        st.just("factual"), st.booleans(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1))
    ),
    st.tuples(st.sampled_from(["opinion", "not_claim"]), st.none(), st.none()),
    st.tuples(st.none(), st.none(), st.none()),  # skipped
)
shown = st.none() | st.tuples(  # the suggestion the annotator was shown, if any
    st.sampled_from(["factual", "opinion", "not_claim"]), st.floats(0, 1),
    st.sampled_from(["claim_type-v1", "claim_type-v12", "other tool's model"]),
    st.sampled_from(SHOWN_MODES),
)  # fmt: skip
labels = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from(["ann", "bob"]), answers, notes, moments,
              st.floats(0, 10_000, allow_nan=False), shown),
    max_size=12,
    unique_by=lambda label: (label[0], label[1]),
)  # fmt: skip


@pytest.fixture(scope="module")
def databases(
    tmp_path_factory: pytest.TempPathFactory, session_for: SessionFor
) -> Iterator[tuple[Session, Session]]:
    """Two databases prepared alike: the source and the target of every round trip."""
    urls = []
    for name in ("source", "target"):
        urls.append(f"sqlite:///{tmp_path_factory.mktemp(name) / 'db.sqlite'}")
        prepare_database(urls[-1], PEOPLE)
    with session_for(urls[0]) as source, session_for(urls[1]) as target:
        yield source, target


def _new_project(session: Session, name: str) -> list[int]:
    """A project with the seeds; the ids of its body sentences."""
    project = create_project(session, name)
    import_file(session, name, "article.txt", ARTICLE)
    with session.begin():
        return list(
            session.scalars(
                select(Sentence.id)
                .join(Article, Article.id == Sentence.article_id)
                .where(Article.project_id == project.id, Sentence.role == "body")
                .order_by(Sentence.id)
            )
        )


def _store(session: Session, body: list[int], given: list[tuple]) -> None:
    """Write the labels as they are, time stamps included (as another tool's export would)."""
    with write_transaction(session):
        users = {name: user_id for name, user_id in session.execute(select(User.name, User.id))}
        seen = set()
        for index, name, (claim_type, date_bound, as_of), note, moment, seconds, suggested in given:
            if (index % len(body), name) in seen:
                continue
            seen.add((index % len(body), name))
            session.add(
                Label(
                    sentence_id=body[index % len(body)], annotator_id=users[name],
                    claim_type=claim_type, skipped=claim_type is None,
                    date_bound=date_bound, as_of=as_of if date_bound else None, note=note,
                    seconds_spent=seconds, created_at=moment, updated_at=moment,
                    **dict(zip(SHOWN_COLUMNS, suggested or (None,) * 4, strict=True)),
                )
            )  # fmt: skip


@pytest.mark.parametrize("format_", ["csv", "jsonl", "parquet"])
def test_export_import_export_is_the_identity_for_any_labels(databases, format_: str) -> None:
    @PROFILE
    @given(given_labels=labels)
    def round_trip(given_labels: list[tuple]) -> None:
        source, target = databases
        project = f"p{next(COUNTER)}"
        body = _new_project(source, project)
        assert _new_project(target, project) == body
        _store(source, body, given_labels)
        request = ExportRequest(project, "labels", format_)
        exported = export_bytes(source, request, None)
        import_labels(target, None, project, f"labels.{format_}", exported)
        assert export_bytes(target, request, None) == exported

    round_trip()

"""Agreement of a project's annotators: the scheme decides the level of measurement."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput, PermissionDenied
from annotator.scheme import load_scheme, scheme_from_json, scheme_to_json
from annotator.services import accounts, assignment, labelling, reliability
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.projects import create_project
from annotator.services.records import UserInfo
from db.models import AgreementSnapshot, Label
from tests.conftest import PASSWORD
from tests.teams import TEAM_PROJECT, build_team_project

SessionFor = Callable[[str], AbstractContextManager[Session]]
CLAIMBUSTER = Path(__file__).resolve().parents[1] / "annotator" / "schemes" / "claimbuster.yaml"
ARTICLE = (
    b"Budget approved\n\nThe assembly approved the budget. Spending rises by 4.5 per cent. "
    b"Critics said it was too little. The minister called it historic. Talks continue."
)


def test_an_ordered_scheme_round_trips_and_a_wrong_flag_is_refused() -> None:
    scheme = load_scheme("claimbuster.yaml", CLAIMBUSTER.read_bytes())
    assert scheme.ordered and scheme_from_json(scheme_to_json(scheme)).ordered
    bad = b"name: x\nordered: sometimes\nlabels:\n- {value: a, label: A, key: '1', definition: d}\n"
    with pytest.raises(InvalidInput, match="ordered must be true or false"):
        load_scheme("x.yaml", bad + b"- {value: b, label: B, key: '2', definition: d}\n")


def test_an_ordered_schemes_claim_type_gets_ordinal_alpha(
    session: Session, admin_user: UserInfo
) -> None:
    scheme = load_scheme("claimbuster.yaml", CLAIMBUSTER.read_bytes())
    create_project(session, "debates", scheme=scheme, overlap=2)
    import_file(session, "debates", "a.txt", ARTICLE)
    people = [accounts.create_user(session, n, "annotator", PASSWORD) for n in ("ann", "bob")]
    assignment.assign(session, None, "debates", ("ann", "bob"))
    article = labelling.article_list(session, people[0], "debates")[0].id
    body = labelling.load_article(session, people[0], article).body
    answers = {
        "ann": ["nfs", "ufs", "cfs", "cfs", "ufs"],
        "bob": ["nfs", "cfs", "cfs", "ufs", "ufs"],
    }
    for person in people:
        for sentence, value in zip(body, answers[person.name], strict=True):
            labelling.save_label(session, person, sentence.id, LabelInput(value), 1.0)
    result = reliability.project_agreement(session, None, "debates")
    order = {"nfs": 0, "ufs": 1, "cfs": 2}
    data = np.array([[order[v] for v in answers[n]] for n in ("ann", "bob")], dtype=float)
    ordinal = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    nominal = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert result.krippendorff_alpha == pytest.approx(ordinal)
    assert result.krippendorff_alpha != pytest.approx(nominal)


@pytest.fixture
def team(any_url: str, session_for: SessionFor) -> Iterator[tuple[Session, list[int]]]:
    """A session on the `team` project of three annotators (tests/teams.py), on each database."""
    sentences = build_team_project(any_url)
    with session_for(any_url) as session:
        yield session, sentences


def _lead(session: Session) -> UserInfo:
    return accounts.authenticate(session, "lena", PASSWORD)


def _alpha(report: reliability.AgreementReport) -> float | None:
    return report.figures.agreement.krippendorff_alpha


def test_agreement_report_is_stored_and_read_back_unchanged(team) -> None:
    session, _ = team
    computed = reliability.agreement_report(session, _lead(session), TEAM_PROJECT)
    stored = reliability.agreement_report(session, _lead(session), TEAM_PROJECT)
    assert (computed.labels, computed.changed_since, stored.changed_since) == (24, 0, 0)
    assert stored.figures.agreement == computed.figures.agreement
    assert stored.computed_at == computed.computed_at  # read back, not computed again
    for name in ("coincidences", "versus_rest"):
        pd.testing.assert_frame_equal(
            getattr(stored.figures, name), getattr(computed.figures, name)
        )
    assert (
        stored.figures.pairs.keys()
        == computed.figures.pairs.keys()
        == {("ann", "bob"), ("ann", "cat"), ("bob", "cat")}
    )
    for pair, matrix in computed.figures.pairs.items():
        pd.testing.assert_frame_equal(stored.figures.pairs[pair], matrix)


def test_agreement_report_is_recomputed_after_a_label_changes(team) -> None:
    session, sentences = team
    before = reliability.agreement_report(session, _lead(session), TEAM_PROJECT)
    with session.begin():  # around the services: the snapshot cannot know
        session.execute(update(Label).values(claim_type="opinion"))
    assert _alpha(reliability.agreement_report(session, _lead(session), TEAM_PROJECT)) == _alpha(
        before
    )
    cat = accounts.authenticate(session, "cat", PASSWORD)
    labelling.save_label(session, cat, sentences[0], LabelInput("factual"), 1.0)
    after = reliability.agreement_report(session, _lead(session), TEAM_PROJECT)
    assert after.changed_since == 0 and after.changes == before.changes + 1
    assert after.figures.agreement.observed_agreement != before.figures.agreement.observed_agreement


def test_a_slow_report_is_shown_with_the_changes_since_until_recomputed(
    team, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, sentences = team
    monkeypatch.setattr(reliability, "LIVE_SECONDS", -1.0)  # every computation counts as slow
    before = reliability.agreement_report(session, _lead(session), TEAM_PROJECT)
    ann = accounts.authenticate(session, "ann", PASSWORD)
    for sentence_id in sentences[:2]:
        labelling.save_label(session, ann, sentence_id, LabelInput("not_claim"), 1.0)
    stale = reliability.agreement_report(session, _lead(session), TEAM_PROJECT)
    assert stale.changed_since == 2 and _alpha(stale) == _alpha(before)
    fresh = reliability.agreement_report(session, _lead(session), TEAM_PROJECT, refresh=True)
    assert fresh.changed_since == 0 and _alpha(fresh) != _alpha(before)
    assert reliability.agreement_report(session, _lead(session), TEAM_PROJECT).changed_since == 0


def test_agreement_report_is_for_leads_and_known_fields_only(team) -> None:
    session, _ = team
    ann = accounts.authenticate(session, "ann", PASSWORD)
    with pytest.raises(PermissionDenied):
        reliability.agreement_report(session, ann, TEAM_PROJECT)
    with pytest.raises(InvalidInput, match="unknown field 'note'"):
        reliability.agreement_report(session, _lead(session), TEAM_PROJECT, "note")
    with session.begin():
        assert session.scalar(select(func.count()).select_from(AgreementSnapshot)) == 0

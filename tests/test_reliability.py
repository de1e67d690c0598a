"""Agreement of a project's annotators: the scheme decides the level of measurement."""

from __future__ import annotations

from pathlib import Path

import krippendorff
import numpy as np
import pytest
from sqlalchemy.orm import Session

from annotator.errors import InvalidInput
from annotator.scheme import load_scheme, scheme_from_json, scheme_to_json
from annotator.services import accounts, assignment, labelling, reliability
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.projects import create_project
from annotator.services.records import UserInfo
from tests.conftest import PASSWORD

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

"""A project whose annotators answered with the model's suggestions shown: for the "Model
suggestions" figures at the service and on the Agreement page.

Project `suggested` (overlap 2, the seeds), lead `lena`, annotators `ann` and `bob`; each row of
ANSWERS is one body sentence of the first article: the suggestion shown (answer, mode) and
each annotator's answer, with None for "shown nothing" and SKIP for a skip.

| sentence | shown                  | ann       | bob                  | gold                  |
|----------|------------------------|-----------|----------------------|-----------------------|
| 0        | factual, preselected   | factual   | factual              | factual (unanimous)   |
| 1        | opinion, shown         | opinion   | factual              | factual (lena)        |
| 2        | not_claim, preselected | not_claim | not_claim (no sugg.) | not_claim (unanimous) |
| 3        | factual, shown         | opinion   | -                    | none (one answer)     |
| 4        | opinion, shown         | SKIP      | -                    | none                  |

So, over the answers given with a suggestion (skips are not answers): 6 answers, 4 accepted;
accepted with gold 3 of 4 agree, overridden with gold 1 of 1. Preselected: 3 answers, all
accepted, 3 of 3 agree with gold. Shown: 3 answers, 1 accepted (0 of 1 agrees with gold),
2 overridden (1 of 1 with gold agrees).
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from annotator.config import SEEDS_DIR
from annotator.services import accounts, labelling
from annotator.services.adjudication import adjudicate
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput, ShownSuggestion
from annotator.services.projects import create_project
from db.engine import write_transaction
from db.models import Model, Project
from tests.conftest import PASSWORD, open_session, prepare_database

PROJECT = "suggested"
SKIP = "skip"
ANSWERS: list[tuple[tuple[str, str], str | None, str | None, bool]] = [
    # (suggested answer, mode), ann's answer, bob's answer, bob shown the suggestion
    (("factual", "preselected"), "factual", "factual", True),
    (("opinion", "shown"), "opinion", "factual", True),
    (("not_claim", "preselected"), "not_claim", "not_claim", False),
    (("factual", "shown"), "opinion", None, True),
    (("opinion", "shown"), SKIP, None, True),
]
FIGURES = {  # a held-out evaluation as `model train` stores it (annotator.model.Evaluation)
    "field": "claim_type", "n": 40, "accuracy": 0.725, "macro_f1": 0.61,
    "majority_baseline": 0.55, "majority_class": "factual", "per_class": {}, "ece": 0.08,
    "kappa": 0.5312, "folds": 0,
}  # fmt: skip


def build_suggested_project(db_url: str) -> list[int]:
    """The project of the module's docstring; the ids of its five sentences."""
    prepare_database(db_url, (("admin", "admin"), ("lena", "lead")), seeds=None)
    with open_session(db_url) as session:
        lena = accounts.authenticate(session, "lena", PASSWORD)
        create_project(session, PROJECT, overlap=2, actor=lena)
        for path in sorted(SEEDS_DIR.glob("*.txt")):
            import_file(session, PROJECT, path.name, path.read_bytes())
        ann, bob = (accounts.create_user(session, n, "annotator", PASSWORD) for n in ("ann", "bob"))
        article = labelling.article_list(session, ann, PROJECT)[0].id
        body = labelling.load_article(session, ann, article).body[: len(ANSWERS)]
        for sentence, ((suggested, mode), a, b, bob_saw) in zip(body, ANSWERS, strict=True):
            shown = ShownSuggestion(suggested, 0.8, "claim_type-v1", mode)
            for person, answer, saw in ((ann, a, True), (bob, b, bob_saw)):
                if answer is None:
                    continue
                given = LabelInput(None, skipped=True) if answer == SKIP else LabelInput(answer)
                labelling.save_label(
                    session, person, sentence.id, given, 2.0, shown=shown if saw else None
                )
        adjudicate(session, lena, body[1].id, LabelInput("factual"))
    return [s.id for s in body]


def add_model(db_url: str, figures: dict[str, object] | None = None, n_heldout: int = 40) -> None:
    """Store a claim-type model of the project with these held-out figures (no content: the
    page reads only its figures)."""
    with open_session(db_url) as session, write_transaction(session):
        project_id = session.scalar(select(Project.id).where(Project.name == PROJECT))
        session.add(
            Model(
                project_id=project_id, field="claim_type", version=3,
                trained_at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC), n_train=160,
                n_heldout=n_heldout, labels_seen=200, beats_baseline=bool(figures),
                figures=json.dumps(figures or {}), content=b"",
            )
        )  # fmt: skip

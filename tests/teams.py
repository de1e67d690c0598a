"""A project labelled by three annotators who sometimes disagree: for agreement and
adjudication tests at every layer (service, AppTest, browser) and for screenshots."""

from __future__ import annotations

from annotator.config import SEEDS_DIR
from annotator.services import accounts, assignment, labelling
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.projects import create_project
from tests.conftest import PASSWORD, open_session, prepare_database

TEAM_PROJECT = "team"
ANNOTATORS = ("ann", "bob", "cat")
FA, OP, NC = "factual", "opinion", "not_claim"
# One row per body sentence of the first article: ann's, bob's and cat's claim types.
ANSWERS = [
    (FA, FA, FA), (FA, FA, OP), (FA, OP, NC), (OP, OP, OP),
    (FA, FA, FA), (NC, NC, OP), (FA, FA, FA), (OP, FA, OP),
]  # fmt: skip
MOST_DISPUTED = 2  # the body sentence (index into ANSWERS) where all three differ


def build_team_project(db_url: str, creator: str = "lena") -> list[int]:
    """Accounts admin, lead `lena`, annotators ann/bob/cat; project `team` (overlap 3) with the
    seeds, labelled per ANSWERS with a note from cat. Returns the labelled sentence ids.
    `creator` creates the project and assigns its work: lena then leads it, the admin not."""
    prepare_database(db_url, (("admin", "admin"), ("lena", "lead")))
    with open_session(db_url) as session:
        lead = accounts.authenticate(session, creator, PASSWORD)
        create_project(session, TEAM_PROJECT, overlap=3, actor=lead)
        for path in sorted(SEEDS_DIR.glob("*.txt")):
            import_file(session, TEAM_PROJECT, path.name, path.read_bytes())
        people = [accounts.create_user(session, n, "annotator", PASSWORD) for n in ANNOTATORS]
        assignment.assign(session, lead, TEAM_PROJECT, ANNOTATORS)
        article = labelling.article_list(session, people[0], TEAM_PROJECT)[0].id
        body = labelling.load_article(session, people[0], article).body[: len(ANSWERS)]
        for sentence, answers in zip(body, ANSWERS, strict=True):
            for person, claim_type in zip(people, answers, strict=True):
                note = "reads like a view to me" if person.name == "cat" else ""
                answer = LabelInput(claim_type, date_bound=False, note=note)
                labelling.save_label(session, person, sentence.id, answer, 2.0)
    return [s.id for s in body]

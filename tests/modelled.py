"""A project whose labels a model can learn (issue 21): sentences of our own, labelled by one
annotator with gold decided by a single vote, so that the newest gold can be held out."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from annotator.services import accounts, adjudication, assignment, labelling
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.projects import create_project
from annotator.services.records import UserInfo
from tests.conftest import PASSWORD

PROJECT = "claims"
ANNOTATOR = "ann"
PLACES = ["Harrow", "Dunmore", "Kestrel Bay", "Oakfield", "Marrow Hill", "Linton"]
THINGS = ["bridge", "library", "tram line", "harbour wall", "school", "clinic"]


def sentences(place: str, number: int) -> list[tuple[str, str, bool | None]]:
    """One article's sentences with their answers (claim type, date-bound)."""
    rows: list[tuple[str, str, bool | None]] = []
    for i, thing in enumerate(THINGS):
        rows.append(
            (f"{place} spent {number + i} million on its {thing} in {1990 + i}.", "factual", False)
        )
        rows.append(
            (f"The {thing} in {place} currently employs {number + 40} people.", "factual", True)
        )
    rows += [(f"I think the {t} in {place} is a terrible idea.", "opinion", None) for t in THINGS]
    return rows


def articles_jsonl(places: list[str] = PLACES) -> bytes:
    """The articles as a JSON Lines import file: one paragraph a sentence."""
    lines = []
    for n, place in enumerate(places):
        text = "\n\n".join(s for s, _, _ in sentences(place, n * 7))
        lines.append(json.dumps({"title": f"News from {place}", "text": text}))
    return ("\n".join(lines) + "\n").encode()


def build_model_project(
    session: Session, admin: UserInfo, places: list[str] = PLACES, *, overlap: int = 1
) -> UserInfo:
    """Project `claims` (overlap 1, gold from one vote) with `places`' articles, all labelled
    by `ann` (returned) in order, so the last labelled are the newest gold."""
    create_project(session, PROJECT, overlap=overlap, actor=admin)
    adjudication.set_policy(session, admin, PROJECT, "unanimous", min_votes=1)
    import_file(session, PROJECT, "claims.jsonl", articles_jsonl(places), actor=admin)
    person = accounts.create_user(session, ANNOTATOR, "annotator", PASSWORD)
    assignment.assign(session, admin, PROJECT, [ANNOTATOR])
    answers = {s: (t, d) for n, p in enumerate(places) for s, t, d in sentences(p, n * 7)}
    for summary in labelling.article_list(session, person, PROJECT):
        for sentence in labelling.load_article(session, person, summary.id).body:
            claim_type, date_bound = answers[sentence.text]
            answer = LabelInput(claim_type, date_bound=date_bound)
            labelling.save_label(session, person, sentence.id, answer, 1.0)
    return person


NEW_PLACE = "Westmere"


def build_suggesting_project(db_url: str, mode: str = "preselected") -> None:
    """Accounts `admin` and `ann` (password `PASSWORD`) and project `claims` with a trained
    model that beats its baseline, suggestions in `mode`, and one more article, unlabelled,
    assigned to `ann`: she opens it on the annotate page."""
    from annotator.services import modelling
    from tests.conftest import open_session, prepare_database

    prepare_database(db_url, (("admin", "admin"),), seeds=None)
    with open_session(db_url) as session:
        admin = accounts.authenticate(session, "admin", PASSWORD)
        build_model_project(session, admin)
        modelling.train(session, admin, PROJECT, ["claim_type"])
        modelling.set_settings(session, admin, PROJECT, mode=mode)
        import_file(session, PROJECT, "more.jsonl", articles_jsonl([NEW_PLACE]), actor=admin)
        assignment.assign(session, admin, PROJECT, [ANNOTATOR])


CHECKER = "chris"
CHECKED_PLACES = 4  # of the first five places: their claims get verdicts; the fifth stays open


def is_costing(claim: str) -> bool:
    """The desk's rule in `build_checking_project`: a claim about money spent is worth
    checking; one about how many people a place employs is not (checkers find it unverifiable)."""
    return "million" in claim


def build_checking_project(session: Session, admin: UserInfo) -> UserInfo:
    """Project `claims` with five places' gold factual claims all assigned to the checker
    `chris` (returned); the claims of the first four places have verdicts, one by one in
    reading order: `false` on the claims about money spent, `unverifiable` on the others.
    The fifth place's twelve claims are open."""
    from annotator.services import fact_checking
    from annotator.services.fact_checking import VerdictInput

    build_model_project(session, admin, PLACES[: CHECKED_PLACES + 1])
    checker = accounts.create_user(session, CHECKER, "annotator", PASSWORD)
    fact_checking.assign_checks(session, admin, PROJECT, [CHECKER])
    for check in fact_checking.check_queue(session, checker, PROJECT):
        if PLACES[CHECKED_PLACES] in check.article_title:
            continue
        verdict = (
            VerdictInput("false", ("https://example.org/budget",), None, "The budget differs.")
            if is_costing(check.claim)
            else VerdictInput("unverifiable", (), None, "No public record of staff numbers.")
        )
        fact_checking.record_verdict(session, checker, check.id, verdict)
    return checker

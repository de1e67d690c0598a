"""Hostile text for every field a user or an import can set, and a project built from it: for
the checks (AppTest and Chromium) that no page shows typed text as Markdown or HTML.

Each hostile string would, if rendered as Markdown or HTML, run a script, load an image from
a local "pixel server" on `port`, or draw maths or coloured text; each names where it was put,
so a request in the pixel server's log says which field leaked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from annotator.scheme import load_scheme
from annotator.services import accounts, assignment, fact_checking, labelling
from annotator.services.fact_checking import VerdictInput
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.projects import create_project
from annotator.services.records import UserInfo
from tests.conftest import PASSWORD, open_session, prepare_database

SCRIPT = "<script>window.__pwned=1</script>"
LINK = "[click](javascript:window.__pwned=1)"
MATHS = r"$\sqrt{x^2}$"
COLOUR = ":red[red text] :material/home:"
# Each annotator's answer for the body sentences of the hostile article (None: skipped).
ANSWERS = {"ann": ("factual", None, "factual"), "bob": ("factual", "factual", "opinion")}
USERS = (("admin", "admin"), ("lena", "lead"), ("ann", "annotator"), ("bob", "annotator"))


@dataclass(frozen=True)
class Hostile:
    """The hostile strings of one test run (they name the pixel server's port)."""

    port: int

    def image(self, where: str) -> str:
        return f'<img src="http://127.0.0.1:{self.port}/{where}.png" onerror="window.__pwned=1">'

    def markdown_image(self, where: str) -> str:
        return f"![x](http://127.0.0.1:{self.port}/{where}-md.png)"

    def linked_image(self, where: str) -> str:
        pixel = f"http://127.0.0.1:{self.port}"
        return f"[![x]({pixel}/{where}-linked.png)]({pixel}/{where}-link)"

    def text(self, where: str) -> str:
        """Every kind of attack in one line; `where` names its requests in the server log."""
        parts = [
            SCRIPT, self.image(where), self.markdown_image(where), self.linked_image(where),
            LINK, "**bold**", MATHS, COLOUR, "</div>",
        ]  # fmt: skip
        return " ".join(parts)

    @property
    def project(self) -> str:
        return f"P **bold** {self.markdown_image('project')} {SCRIPT}"

    @property
    def labels(self) -> tuple[str, str, str]:
        """Button texts of the scheme (at most 60 characters each)."""
        return (f"Fact **bold** {self.markdown_image('label')}", f"View {LINK}", f"None {SCRIPT}")

    @property
    def user_name(self) -> str:
        return f"{self.markdown_image('user')} {SCRIPT} **bold**"

    def bad_evidence_url(self) -> str:
        """An evidence URL the service refuses, quoting its first 80 characters."""
        pixel = f"http://127.0.0.1:{self.port}"
        return f"![x]({pixel}/evidence-error-md.png)<img src={pixel}/evidence-error.png>"

    def evidence_url(self) -> str:
        """A valid http URL that holds a Markdown image."""
        return f"https://example.org/{self.markdown_image('evidence')}"

    def scheme(self) -> bytes:
        values = ("factual", "opinion", "not_claim")
        labels = [
            {"value": v, "label": label, "key": str(i + 1), "definition": self.text(f"def-{v}"),
             "examples": [self.text(f"example-{v}")]}
            for i, (v, label) in enumerate(zip(values, self.labels, strict=True))
        ]  # fmt: skip
        date_bound = {"applies_to": "factual", "definition": self.text("date-bound")}
        document = {"name": "hostile", "labels": labels, "date_bound": date_bound}
        return json.dumps({**document, "torn_test": self.text("torn")}).encode()

    def body(self, where: str) -> str:
        """An article's text: three paragraphs of one sentence, the first and third hostile
        (named `where`-body-1 and -3)."""
        return (
            f"Officials said {self.text(f'{where}-body-1')} was found in the papers on Monday."
            "\n\nThe figure rose sharply last year, the ministry said in a statement.\n\n"
            f"Readers were told {self.text(f'{where}-body-3')} for more details on the plan."
        )

    def article(self, where: str = "article") -> bytes:
        """A JSON Lines file of one article, every field hostile (`where` names the article)."""
        fields = ("byline", "source", "url", "published")
        record = {field: self.text(f"{where}-{field}") for field in fields}
        record |= {"title": f"Title {self.text(f'{where}-title')}", "text": self.body(where)}
        record["id"] = f"{self.markdown_image(f'{where}-id')} {SCRIPT}"  # at most 200 characters
        return (json.dumps(record) + "\n").encode()

    def rejected_file(self) -> bytes:
        """A JSON Lines file refused with a message quoting a hostile key."""
        key = json.dumps(self.text("rejected-key"))
        return f'{{"title": "T", "text": "A sentence.", {key}: 1, {key}: 2}}\n'.encode()


def create_hostile_project(session: Session, hostile: Hostile, annotators: list[str]) -> UserInfo:
    """The project `hostile.project`, created by its lead `lena` (returned) with the hostile
    scheme and guidelines, holding one hostile article assigned to `annotators`."""
    lead = accounts.authenticate(session, "lena", PASSWORD)
    scheme = load_scheme("hostile.json", hostile.scheme())
    guidelines = hostile.text("guidelines")
    create_project(
        session, hostile.project, scheme=scheme, overlap=2, guidelines=guidelines, actor=lead
    )
    assert import_file(session, hostile.project, "h.jsonl", hostile.article()).imported == 1
    assignment.assign(session, lead, hostile.project, annotators)
    return lead


def build_hostile_project(db_url: str, hostile: Hostile) -> None:
    """Accounts admin, lead `lena`, annotators ann and bob; the project `hostile.project` with
    the hostile scheme and guidelines and one hostile article of three body sentences.

    ann and bob label every sentence per ANSWERS with hostile notes: the first is a gold
    factual claim, the second waits for labels (ann skipped it, the note her reason), the
    third is disputed. The gold claim is ann's to fact-check, and she has given it a verdict
    with a hostile rationale and evidence URL.
    """
    prepare_database(db_url, USERS)
    with open_session(db_url) as session:
        lead = create_hostile_project(session, hostile, list(ANSWERS))
        for name, answers in ANSWERS.items():
            _label_all(session, name, hostile, answers)
        assert fact_checking.assign_checks(session, lead, hostile.project, ["ann"]).assigned == 1
        ann = accounts.authenticate(session, "ann", PASSWORD)
        claim = fact_checking.check_queue(session, ann, hostile.project)[0]
        verdict = VerdictInput("true", (hostile.evidence_url(),), None, hostile.text("rationale"))
        fact_checking.record_verdict(session, ann, claim.id, verdict)


def _label_all(
    session: Session, name: str, hostile: Hostile, answers: tuple[str | None, ...]
) -> None:
    """`name` labels the article's body sentences with `answers` (None: a skip), each with a
    hostile note."""
    user = accounts.authenticate(session, name, PASSWORD)
    article = labelling.article_list(session, user, hostile.project)[0].id
    body = labelling.load_article(session, user, article).body
    note = hostile.text(f"note-{name}")
    for sentence, claim_type in zip(body, answers, strict=True):
        answer = LabelInput(claim_type, skipped=claim_type is None, note=note)
        labelling.save_label(session, user, sentence.id, answer, 2.0)

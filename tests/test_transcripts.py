"""Transcripts (issue 19, item 3): `SPEAKER: text` files and `{"speaker", "text"}` JSON Lines,
each turn's sentences stored with their speaker, exported in the `speaker` column, named as
ClaimReview's author; bad transcripts rejected by line with nothing stored."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.claimreview import CheckedClaim, claim_review
from annotator.errors import ImportRejected
from annotator.readers import ArticleDraft, read_file
from annotator.services import adjudication, assignment, fact_checking, labelling
from annotator.services.exporting import ExportRequest, export_bytes
from annotator.services.fact_checking import VerdictInput
from annotator.services.importing import import_file, prepare
from annotator.services.records import UserInfo
from annotator.transcripts import speaker_prefix
from db.models import Article, Sentence

DATA = Path(__file__).parent / "data" / "transcripts"
TXT = DATA / "mayoral-debate.txt"  # a fictional debate written for these tests
JSONL = DATA / "mayoral-debate-part-2.jsonl"
Run = Callable[..., tuple[int, str, str]]
Counts = Callable[[str], dict[str, int]]


def _transcript(path: Path, title: str | None = None) -> ArticleDraft:
    (draft,) = read_file(path.name, path.read_bytes(), transcript=True, title=title)
    return draft


def _sentences(draft: ArticleDraft) -> list[tuple[str, str | None, str]]:
    """(role, speaker, text) of each sentence the import would store."""
    rows = prepare(draft).sentences
    return [(role, speaker, draft.text[start:end]) for start, end, role, speaker in rows]


# ---- reading ----------------------------------------------------------------------------


def test_a_txt_transcript_is_stored_as_in_the_file_with_its_first_line_as_title() -> None:
    draft = _transcript(TXT)
    assert draft.text == TXT.read_text(encoding="utf-8")
    assert draft.title == (
        "Port Aldren mayoral debate, Harbour Hall, October 3 (excerpt, a fictional debate)"
    )
    assert {turn.speaker for turn in draft.turns} == {"OKONJO", "QUELLANE", "VANDERMEER", "SYSTEM"}
    assert _sentences(draft)[0] == ("title", None, draft.title)


def test_each_sentence_of_a_turn_has_its_speaker_and_a_line_without_prefix_continues_it() -> None:
    sentences = _sentences(_transcript(TXT))
    said = {text: speaker for role, speaker, text in sentences if role == "body"}
    # "Let's begin with housing." opens a line with no prefix, under OKONJO's turn.
    assert said["Let's begin with housing."] == "OKONJO"
    assert said["Then you know the wall was already approved."] == "QUELLANE"
    assert said["We balanced the budget in seven of them."] == "VANDERMEER"


def test_the_speaker_prefix_is_a_meta_sentence_and_never_part_of_a_body_sentence() -> None:
    sentences = _sentences(_transcript(TXT))
    prefixes = [(speaker, text) for role, speaker, text in sentences if text.endswith(":")]
    assert prefixes[:3] == [("OKONJO", "OKONJO:"), ("SYSTEM", "SYSTEM:"), ("QUELLANE", "QUELLANE:")]
    assert all(role == "meta" for role, _, text in sentences if text.endswith(":"))
    body = [text for role, _, text in sentences if role == "body"]
    assert body and not [t for t in body if t.startswith(("OKONJO:", "QUELLANE:", "VANDERMEER:"))]


def test_a_stage_direction_is_meta_not_a_sentence_to_label() -> None:
    sentences = _sentences(_transcript(TXT))
    assert ("meta", "SYSTEM", "(APPLAUSE)") in sentences
    assert ("meta", "QUELLANE", "[CROSSTALK]") in sentences  # inside a turn, after a sentence
    assert not [text for role, _, text in sentences if role == "body" and text[0] in "(["]


def test_a_jsonl_transcript_joins_its_turns_by_blank_lines_under_the_file_name() -> None:
    draft = _transcript(JSONL)
    turns = [json.loads(line) for line in JSONL.read_text(encoding="utf-8").splitlines()]
    assert draft.text == "\n\n".join(turn["text"] for turn in turns) + "\n"
    assert draft.title == "mayoral-debate-part-2"
    assert [t.speaker for t in draft.turns] == ["OKONJO", "QUELLANE", "OKONJO", "VANDERMEER"]
    assert [draft.text[t.start : t.end] for t in draft.turns] == [t["text"] for t in turns]
    sentences = _sentences(draft)
    assert sentences[0] == ("body", "OKONJO", "Councillor Quellane, would you like to respond?")
    assert {speaker for _, speaker, _ in sentences} == {"OKONJO", "QUELLANE", "VANDERMEER"}


def test_a_jsonl_transcript_takes_the_title_given() -> None:
    assert _transcript(JSONL, title="  Mayoral debate,  part 2 ").title == "Mayoral debate, part 2"


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        ("OKONJO: Welcome.", "OKONJO"),
        ("SEN. SANDERS: No.", "SEN. SANDERS"),
        ("Ursula von der Leyen: Yes.", "Ursula von der Leyen"),
        ("ПУТИН: Да.", "ПУТИН"),
        ("  Paula Okonjo:", "Paula Okonjo"),
        ("Here is the thing: taxes rose.", None),
        ("10:30 is when it started.", None),
        ("The committee of the whole house met: again.", None),
        ("See https://example.org: it says so.", None),
    ],
)
def test_a_turn_starts_only_with_a_short_capitalised_name_and_a_colon(
    line: str, speaker: str | None
) -> None:
    found = speaker_prefix(line)
    assert (found[0] if found else None) == speaker


def test_an_article_has_no_speakers() -> None:
    (draft,) = read_file("a.txt", b"Budget\n\nQUELLANE: The assembly met. It voted.\n")
    assert {speaker for _, speaker, _ in _sentences(draft)} == {None}


# ---- bad transcripts --------------------------------------------------------------------

BAD: dict[str, tuple[bytes, str]] = {
    "no_turn.txt": (b"A debate\n\n", "no_turn.txt: holds no turns"),
    "text_first.txt": (
        b"A debate\nGood evening.\nOKONJO: Welcome.\n",
        "text_first.txt:2: text before the first speaker",
    ),
    "empty_speaker.txt": (
        b"A debate\nOKONJO: Welcome.\n: Thank you.\n",
        "empty_speaker.txt:3: empty speaker name before ':'",
    ),
    "silent.txt": (
        b"A debate\nOKONJO:\n\nVANDERMEER: Thank you.\n",
        "silent.txt:2: 'OKONJO' says nothing",
    ),
    "array.jsonl": (
        b'{"speaker": "OKONJO", "text": "Welcome."}\n["VANDERMEER", "Thanks."]\n',
        "array.jsonl:2: expected a JSON object, got an array",
    ),
    "no_text.jsonl": (
        b'{"speaker": "OKONJO", "text": "Welcome."}\n\n{"speaker": "VANDERMEER"}\n',
        "no_text.jsonl:3: missing field 'text'",
    ),
    "number_speaker.jsonl": (
        b'{"speaker": 7, "text": "Welcome."}\n',
        "number_speaker.jsonl:1: field 'speaker' must be a string, got a number",
    ),
    "blank_speaker.jsonl": (
        b'{"speaker": "  ", "text": "Welcome."}\n',
        "blank_speaker.jsonl:1: empty 'speaker'",
    ),
    "empty.jsonl": (b"\n\n", "empty.jsonl: file is empty"),
    "turns.csv": (b"speaker,text\nOKONJO,Welcome.\n", "turns.csv: '.csv' files cannot be"),
}


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory, run_cli: Run) -> str:
    """One database set up by `init` for the rejection tests, which leave it as it was."""
    url = f"sqlite:///{tmp_path_factory.mktemp('transcripts') / 'annotator.db'}"
    assert run_cli(url, "init")[0] == 0
    return url


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_transcript_is_rejected_naming_the_line_and_nothing_is_stored(
    name: str, shared_db: str, tmp_path: Path, run_cli: Run, row_counts: Counts
) -> None:
    data, message = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    before = row_counts(shared_db)
    code, out, err = run_cli(shared_db, "import", str(path), "--transcript")
    assert (code, out) == (1, "")
    assert err.startswith(f"rejected {tmp_path / message}")
    assert row_counts(shared_db) == before


def test_a_title_for_a_txt_transcript_is_refused() -> None:
    with pytest.raises(ImportRejected, match="first line is its title"):
        read_file("d.txt", b"A debate\nOKONJO: Welcome.\n", transcript=True, title="Other")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--title", "Debate"), "--title is the title of a .jsonl transcript: add --transcript"),
        (("--transcript", "--title", "Debate", "OTHER"), "--title names one transcript, but 2"),
        (("--transcript", "--title", "  "), "--title is empty"),
        (("--transcript", "https://example.org/debate"), "--transcript reads transcript files"),
    ],
)
def test_transcript_options_that_do_not_fit_are_usage_errors(
    options: tuple[str, ...], message: str, tmp_path: Path, run_cli: Run
) -> None:
    db_url = f"sqlite:///{tmp_path / 'never.db'}"
    code, _, err = run_cli(db_url, "import", str(JSONL), *options)
    assert code == 2 and message in err
    assert not (tmp_path / "never.db").exists()


def test_the_command_line_imports_a_jsonl_transcript_with_its_title(
    cli_db: str, run_cli: Run, session_for: Callable[[str], AbstractContextManager[Session]]
) -> None:
    code, out, _ = run_cli(cli_db, "import", str(JSONL), "--transcript", "--title", "Debate")
    assert code == 0
    assert out == f"imported {JSONL}: 1 article, 15 body sentences, 0 duplicates skipped\n"
    with session_for(cli_db) as session:
        article = session.scalars(select(Article).where(Article.title == "Debate")).one()
        speakers = session.scalars(
            select(Sentence.speaker).where(Sentence.article_id == article.id)
        ).all()
    assert set(speakers) == {"OKONJO", "QUELLANE", "VANDERMEER"}


# ---- the speaker downstream: exports and ClaimReview ---------------------------------------


def test_the_speaker_reaches_the_exports_and_is_claimreviews_author(
    seeded: Session, admin_user: UserInfo, annotator_user: UserInfo
) -> None:
    assert import_file(seeded, "default", JSONL.name, JSONL.read_bytes(), transcript=True).imported
    adjudication.set_policy(seeded, None, "default", "unanimous", min_votes=1)
    assignment.assign(seeded, None, "default", ["ann"])
    debate = next(
        a for a in labelling.article_list(seeded, annotator_user, "default") if "debate" in a.title
    )
    claim = labelling.load_article(seeded, annotator_user, debate.id).body[1]
    assert claim.speaker == "QUELLANE"  # what the annotate page shows above the sentence
    labelling.save_label(seeded, annotator_user, claim.id, labelling.LabelInput("factual"), 1.0)

    sentences = _export(seeded, "sentences")
    assert set(sentences[sentences.article_title == debate.title].speaker) == {
        "OKONJO",
        "QUELLANE",
        "VANDERMEER",
    }
    assert set(sentences[sentences.article_title != debate.title].speaker) == {""}
    for kind in ("labels", "gold"):
        row = _export(seeded, kind).set_index("sentence_id").loc[claim.id]
        assert row.speaker == "QUELLANE", kind

    fact_checking.assign_checks(seeded, None, "default", ["ann"])
    (check,) = fact_checking.check_queue(seeded, annotator_user, "default")
    verdict = VerdictInput("true", ("https://example.org/un",), None, "The UN figures agree.")
    fact_checking.record_verdict(seeded, annotator_user, check.id, verdict)
    data = export_bytes(seeded, ExportRequest("default", "claimreview", "jsonl"), None)
    (review,) = [json.loads(line) for line in data.splitlines()]
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "QUELLANE"}


def _export(session: Session, kind: str) -> pd.DataFrame:
    data = export_bytes(session, ExportRequest(project="default", kind=kind), None)
    return pd.read_csv(io.BytesIO(data), keep_default_na=False)


def test_an_articles_speaker_is_empty_in_csv_and_null_in_jsonl(seeded: Session) -> None:
    request = ExportRequest(project="default", kind="sentences", format="jsonl")
    rows = [json.loads(line) for line in export_bytes(seeded, request, None).splitlines()]
    assert rows and {row["speaker"] for row in rows} == {None}
    assert set(_export(seeded, "sentences").speaker) == {""}


def test_claimreview_names_the_speaker_as_a_person_else_the_source_as_an_organisation() -> None:
    claim = CheckedClaim(
        1, "The tram lost 90,000 a week.", "false", dt.datetime(2025, 10, 4, tzinfo=dt.UTC),
        None, None, None, "Harbour Radio", speaker="VANDERMEER",
    )  # fmt: skip
    said = claim_review(claim, "Desk")["itemReviewed"]
    assert said == {"@type": "Claim", "author": {"@type": "Person", "name": "VANDERMEER"}}
    written = claim_review(CheckedClaim(**{**claim.__dict__, "speaker": None}), "Desk")
    assert written["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "Harbour Radio"},
    }

"""The fact-check stage: gold claims the scheme sends to checkers, verdicts, re-opening, exports."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace

import pandas as pd
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from annotator.config import SEEDS_DIR
from annotator.errors import InvalidInput, NotAssigned, PermissionDenied
from annotator.scheme import Scheme
from annotator.services import accounts, assignment, fact_checking, labelling
from annotator.services.exporting import ExportRequest, export_bytes
from annotator.services.fact_checking import VerdictInput
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.projects import create_project, shipped_schemes
from annotator.services.records import UserInfo
from db.models import FactCheck, FactCheckHistory
from tests.conftest import PASSWORD, open_session, prepare_database, table_counts
from tests.teams import ANSWERS, TEAM_PROJECT, build_team_project

SessionFor = Callable[[str], AbstractContextManager[Session]]
GOOD = VerdictInput(
    "mostly-true", ("https://example.org/report", "http://example.com/a?b=1"),
    dt.date(2014, 11, 21), "The ministry's report confirms the figure, give or take.",
)  # fmt: skip
# Required by schema.org's ClaimReview and by Google's guidance for it.
CLAIMREVIEW_FIELDS = {"@context", "@type", "claimReviewed", "reviewRating", "itemReviewed",
                      "datePublished", "author"}  # fmt: skip
RATING_FIELDS = {"@type", "ratingValue", "bestRating", "worstRating", "alternateName"}


@pytest.fixture
def team(db_url: str, session_for: SessionFor) -> Iterator[tuple[Session, list[int]]]:
    sentences = build_team_project(db_url)
    with session_for(db_url) as session:
        accounts.create_user(session, "fred", "annotator", PASSWORD)
        accounts.create_user(session, "gail", "annotator", PASSWORD)
        yield session, sentences


def _user(session: Session, name: str) -> UserInfo:
    return accounts.authenticate(session, name, PASSWORD)


def _gold_factual() -> int:
    return sum(answer == ("factual",) * 3 for answer in ANSWERS)


def test_gold_factual_claims_go_to_the_chosen_checkers_balanced(team) -> None:
    session, _ = team
    lead = _user(session, "lena")
    result = fact_checking.assign_checks(session, lead, TEAM_PROJECT, ["fred", "gail"])
    assert result.checkers == ("fred", "gail") and result.assigned == _gold_factual() == 3
    queues = [fact_checking.check_queue(session, _user(session, n), TEAM_PROJECT)
              for n in ("fred", "gail")]  # fmt: skip
    assert sorted(len(q) for q in queues) == [1, 2]
    assert fact_checking.assign_checks(session, lead, TEAM_PROJECT).assigned == 0  # idempotent


def test_overlap_two_gives_each_claim_to_two_checkers(team) -> None:
    session, _ = team
    result = fact_checking.assign_checks(session, None, TEAM_PROJECT, ["fred", "gail"], 2)
    assert result.assigned == 6 and result.claims_waiting == 0
    short = fact_checking.assign_checks(session, None, TEAM_PROJECT, [], 3)
    assert short.claims_waiting == 3  # only two checkers


def test_a_checker_records_a_verdict_with_history(team) -> None:
    session, _ = team
    fact_checking.assign_checks(session, None, TEAM_PROJECT, ["fred"])
    fred = _user(session, "fred")
    first = fact_checking.check_queue(session, fred, TEAM_PROJECT)[0]
    fact_checking.record_verdict(session, fred, first.id, GOOD)
    case = fact_checking.open_check(session, fred, first.id)
    assert case.verdict == GOOD and case.checker == "fred"
    assert case.article.text[case.sentence.start : case.sentence.end] == first.claim
    queue = fact_checking.check_queue(session, fred, TEAM_PROJECT)
    assert queue[-1].id == first.id and queue[-1].verdict == "mostly-true"  # done ones last
    with session.begin():
        history = session.scalars(select(FactCheckHistory)).all()
    assert len(history) == 1 and json.loads(history[0].new)["verdict"] == "mostly-true"


@pytest.mark.parametrize(
    ("verdict", "message"),
    [
        (VerdictInput("probably", GOOD.evidence_urls, None, "x"), "verdict 'probably' is not one"),
        (VerdictInput("", GOOD.evidence_urls, None, "x"), r"^choose a verdict \(true, "),
        (VerdictInput("true", (), None, "x"), "at least one evidence URL"),
        (
            VerdictInput("true", ("javascript:alert(1)",), None, "x"),
            "must be an http:// or https://",
        ),
        (
            VerdictInput("true", ("ftp://example.org/x",), None, "x"),
            "must be an http:// or https://",
        ),
        (VerdictInput("true", ("https://",), None, "x"), "must be an http:// or https://"),
        (VerdictInput("true", ("https://a b.org",), None, "x"), "must be an http:// or https://"),
        (VerdictInput("true", ("https://e.org/" + "a" * 2001,), None, "x"), "limit is 2,000"),
        (VerdictInput("true", ("https://e.org",) * 21, None, "x"), "21 evidence URLs"),
        (VerdictInput("true", GOOD.evidence_urls, None, "   "), "give a rationale"),
        (VerdictInput("true", GOOD.evidence_urls, None, "x" * 10_001), "limit is 10,000"),
    ],
)
def test_bad_verdicts_are_refused_and_nothing_changes(
    team, verdict: VerdictInput, message: str
) -> None:
    session, _ = team
    fact_checking.assign_checks(session, None, TEAM_PROJECT, ["fred"])
    fred = _user(session, "fred")
    check = fact_checking.check_queue(session, fred, TEAM_PROJECT)[0]
    before = table_counts(session.get_bind())
    with pytest.raises(InvalidInput, match=message):
        fact_checking.record_verdict(session, fred, check.id, verdict)
    assert table_counts(session.get_bind()) == before
    assert fact_checking.open_check(session, fred, check.id).verdict is None


def test_unverifiable_needs_no_evidence(team) -> None:
    session, _ = team
    fact_checking.assign_checks(session, None, TEAM_PROJECT, ["fred"])
    fred = _user(session, "fred")
    check = fact_checking.check_queue(session, fred, TEAM_PROJECT)[0]
    verdict = VerdictInput("unverifiable", (), None, "No public record exists.")
    fact_checking.record_verdict(session, fred, check.id, verdict)
    assert fact_checking.verdict_counts(session, None, TEAM_PROJECT)["unverifiable"] == 1


def test_only_the_assigned_checker_records_and_only_a_lead_reopens(team) -> None:
    session, _ = team
    fact_checking.assign_checks(session, None, TEAM_PROJECT, ["fred"])
    fred, gail = _user(session, "fred"), _user(session, "gail")
    check = fact_checking.check_queue(session, fred, TEAM_PROJECT)[0]
    with pytest.raises(NotAssigned):
        fact_checking.record_verdict(session, gail, check.id, GOOD)
    fact_checking.record_verdict(session, fred, check.id, GOOD)
    with pytest.raises(PermissionDenied):
        fact_checking.reopen_verdict(session, fred, check.id)
    fact_checking.reopen_verdict(session, _user(session, "lena"), check.id)
    case = fact_checking.open_check(session, fred, check.id)
    assert case.verdict is not None and case.verdict.verdict == ""  # open again, draft kept
    counts = fact_checking.verdict_counts(session, None, TEAM_PROJECT)
    assert counts["open"] == 3 and counts["mostly-true"] == 0


def test_unknown_or_disabled_checkers_and_bad_overlap_are_refused(team) -> None:
    session, _ = team
    lead = _user(session, "lena")
    accounts.set_active(session, _user(session, "admin"), "gail", False)
    with pytest.raises(InvalidInput, match="no account named 'zed'"):
        fact_checking.assign_checks(session, lead, TEAM_PROJECT, ["zed"])
    with pytest.raises(InvalidInput, match="'gail' is disabled"):
        fact_checking.assign_checks(session, lead, TEAM_PROJECT, ["gail"])
    with pytest.raises(InvalidInput, match="1 to 5, not 0"):
        fact_checking.assign_checks(session, lead, TEAM_PROJECT, ["fred"], 0)
    with pytest.raises(PermissionDenied):
        fact_checking.assign_checks(session, _user(session, "fred"), TEAM_PROJECT, ["fred"])
    with session.begin():
        assert session.scalars(select(FactCheck)).all() == []


def test_gold_export_carries_the_latest_verdict(team) -> None:
    session, _ = team
    fact_checking.assign_checks(session, None, TEAM_PROJECT, ["fred"])
    fred = _user(session, "fred")
    check = fact_checking.check_queue(session, fred, TEAM_PROJECT)[0]
    fact_checking.record_verdict(session, fred, check.id, GOOD)
    data = export_bytes(session, ExportRequest(TEAM_PROJECT, "gold"), None)
    gold = pd.read_csv(io.BytesIO(data), keep_default_na=False).set_index("sentence_id")
    row = gold.loc[check.sentence_id]
    assert row["verdict"] == "mostly-true"
    assert row["evidence_urls"] == "https://example.org/report http://example.com/a?b=1"
    assert row["rationale"] == GOOD.rationale
    assert (gold.drop(index=check.sentence_id)["verdict"] == "").all()


def test_claimreview_export_has_the_required_structure(team) -> None:
    session, _ = team
    fact_checking.assign_checks(session, None, TEAM_PROJECT, ["fred"])
    fred = _user(session, "fred")
    queue = fact_checking.check_queue(session, fred, TEAM_PROJECT)
    fact_checking.record_verdict(session, fred, queue[0].id, GOOD)
    fact_checking.record_verdict(session, fred, queue[1].id,
                                 VerdictInput("unverifiable", (), None, "No record."))  # fmt: skip
    request = ExportRequest(TEAM_PROJECT, "claimreview", "jsonl", organisation="Desk",
                            review_url="https://desk.example/checks/{sentence_id}")  # fmt: skip
    reviews = [json.loads(line) for line in export_bytes(session, request, None).splitlines()]
    assert len(reviews) == 2
    for review in reviews:
        assert set(review) >= CLAIMREVIEW_FIELDS and review["@type"] == "ClaimReview"
        assert set(review["reviewRating"]) >= RATING_FIELDS
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["author"] == {"@type": "Organization", "name": "Desk"}
        dt.date.fromisoformat(review["datePublished"])
    rated = next(r for r in reviews if r["claimReviewed"] == queue[0].claim)
    assert rated["reviewRating"]["ratingValue"] == 4
    assert rated["reviewRating"]["alternateName"] == "Mostly true"
    assert rated["url"] == f"https://desk.example/checks/{queue[0].sentence_id}"
    assert rated["temporalCoverage"] == "2014-11-21"
    unrated = next(r for r in reviews if r is not rated)
    assert unrated["reviewRating"]["ratingValue"] == -1


def test_claimreview_is_refused_in_tabular_formats(team) -> None:
    session, _ = team
    with pytest.raises(InvalidInput, match="export it with the jsonl format"):
        export_bytes(session, ExportRequest(TEAM_PROJECT, "claimreview", "csv"), None)


def test_fact_check_history_is_append_only(
    team, db_url: str, engine_for: Callable[[str], Engine]
) -> None:
    session, _ = team
    fact_checking.assign_checks(session, None, TEAM_PROJECT, ["fred"])
    fred = _user(session, "fred")
    check = fact_checking.check_queue(session, fred, TEAM_PROJECT)[0]
    fact_checking.record_verdict(session, fred, check.id, GOOD)
    with (
        engine_for(db_url).begin() as connection,
        pytest.raises(DatabaseError, match="append-only"),
    ):
        connection.execute(text("UPDATE fact_check_history SET new = NULL"))


def _cli(*args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from annotator.cli import main

    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("the command crashed") from result.exception
    return result.exit_code, result.stdout, result.stderr


def test_cli_assign_checks_and_claimreview_export(team, db_url: str) -> None:
    session, _ = team
    code, out, _ = _cli("assign-checks", "--db", db_url, "--project", TEAM_PROJECT,
                        "--checkers", "fred,gail")  # fmt: skip
    assert code == 0 and "3 claims assigned; checkers: fred, gail" in out
    assert "open 3" in out
    fred = _user(session, "fred")
    for check in fact_checking.check_queue(session, fred, TEAM_PROJECT):
        fact_checking.record_verdict(session, fred, check.id, GOOD)
    code, out, _ = _cli("export", "--db", db_url, "--project", TEAM_PROJECT, "--kind",
                        "claimreview")  # fmt: skip
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and lines and all(r["@type"] == "ClaimReview" for r in lines)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("assign-checks", "--project", TEAM_PROJECT, "--checkers", "zed"), 1, "no account"),
        (("assign-checks", "--project", TEAM_PROJECT, "--overlap", "9"), 2, "9 is not in"),
        (("export", "--project", TEAM_PROJECT, "--kind", "claimreview", "--format", "csv"), 2,
         "--format jsonl"),
    ],
)  # fmt: skip
def test_cli_fact_check_usage_errors(
    team, db_url: str, args: tuple[str, ...], code: int, message: str
) -> None:
    command, *rest = args
    result = _cli(command, "--db", db_url, *rest)
    assert result[0] == code and message in result[2]


def test_claimreview_names_every_verdict_in_the_stored_order() -> None:
    from annotator.claimreview import NAMES, RATINGS
    from db.models import VERDICTS

    assert tuple(NAMES) == VERDICTS
    assert set(RATINGS) == set(VERDICTS) - {"unverifiable"}


def _project_with_scheme(url: str, scheme: Scheme, answers: list[str]) -> list[int]:
    """Project `other` with `scheme` (overlap 1: each answer is gold at once), the first seed
    article's body labelled with `answers` by `ann`; returns those sentences' ids."""
    prepare_database(url, (("admin", "admin"), ("lena", "lead"), ("ann", "annotator")))
    with open_session(url) as session:
        lead, ann = _user(session, "lena"), _user(session, "ann")
        create_project(session, "other", scheme=scheme, overlap=1, actor=lead)
        seed = sorted(SEEDS_DIR.glob("*.txt"))[0]
        import_file(session, "other", seed.name, seed.read_bytes())
        assignment.assign(session, lead, "other", ["ann"])
        article = labelling.article_list(session, ann, "other")[0].id
        body = labelling.load_article(session, ann, article).body[: len(answers)]
        for sentence, answer in zip(body, answers, strict=True):
            labelling.save_label(session, ann, sentence.id, LabelInput(answer), 1.0)
        return [s.id for s in body]


def test_a_checkthat_project_sends_its_check_worthy_gold_claims_to_checkers(any_url) -> None:
    sentences = _project_with_scheme(any_url, shipped_schemes()["checkthat"], ["yes", "no", "yes"])
    with open_session(any_url) as session:
        result = fact_checking.assign_checks(session, None, "other", ["ann"])
        queue = fact_checking.check_queue(session, _user(session, "ann"), "other")
    assert result.assigned == 2
    assert [check.sentence_id for check in queue] == [sentences[0], sentences[2]]


def test_a_scheme_that_names_nothing_to_check_is_refused_with_the_fix(any_url, row_counts):
    scheme = replace(shipped_schemes()["checkthat"], fact_check=())
    _project_with_scheme(any_url, scheme, ["yes"])
    before = row_counts(any_url)
    with open_session(any_url) as session, pytest.raises(InvalidInput) as refused:
        fact_checking.assign_checks(session, None, "other", ["ann"])
    assert "does not say which answers go to fact-checking: give it a fact_check list" in str(
        refused.value
    )
    assert row_counts(any_url) == before


def test_claimreview_without_verdicts_is_empty_and_says_why(cli_db: str, tmp_path, run_cli) -> None:
    output = tmp_path / "reviews.jsonl"
    code, out, err = run_cli(cli_db, "export", "--kind", "claimreview", "-o", str(output))
    assert code == 0 and out == "" and output.read_bytes() == b""
    assert err == "note: no fact-check verdicts in project default: nothing to export\n"

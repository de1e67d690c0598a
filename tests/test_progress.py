"""Progress figures, from the service and from `progress --json`, and who may see them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from annotator.cli import main
from annotator.errors import PermissionDenied
from annotator.services import accounts, assignment, labelling
from annotator.services.labelling import LabelInput
from annotator.services.progress import project_progress
from annotator.services.records import UserInfo
from db.models import Project
from tests.conftest import PASSWORD


def _team(seeded: Session, overlap: int) -> list[UserInfo]:
    with seeded.begin():
        seeded.execute(update(Project).values(overlap=overlap))
    accounts.create_user(seeded, "admin", "admin", PASSWORD)
    users = [accounts.create_user(seeded, n, "annotator", PASSWORD) for n in ("lena", "omar")]
    assignment.assign(seeded, None, "default", [u.name for u in users])
    return users


def test_progress_counts_assigned_done_skipped_and_speed(seeded: Session) -> None:
    lena, _ = _team(seeded, overlap=2)
    article = labelling.article_list(seeded, lena, "default")[0]
    body = labelling.load_article(seeded, lena, article.id).body
    labelling.save_label(seeded, lena, body[0].id, LabelInput("opinion"), 30.0)
    labelling.save_label(seeded, lena, body[1].id, LabelInput(None, skipped=True), 10.0)
    report = project_progress(seeded, None, "default")
    rows = {r.annotator: r for r in report.annotators}
    assert report.assigned_sentences == 2 * report.body_sentences
    assert rows["lena"].assigned == rows["omar"].assigned == report.body_sentences
    assert (rows["lena"].done, rows["lena"].skipped) == (2, 1)
    assert rows["lena"].median_seconds == 20.0 and rows["lena"].sentences_per_hour == 180.0
    assert (rows["omar"].done, rows["omar"].sentences_per_hour) == (0, None)
    assert sum(n for _, n in report.labels_per_day) == 2


def test_annotators_may_not_see_progress(seeded: Session) -> None:
    lena, _ = _team(seeded, overlap=1)
    with pytest.raises(PermissionDenied):
        project_progress(seeded, lena, "default")


def test_progress_json_shows_every_body_sentence_assigned_k_times(
    seeded: Session, db_url: str, engine: Engine
) -> None:
    _team(seeded, overlap=2)
    result = CliRunner().invoke(
        main, ["progress", "--db", db_url, "--project", "default", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["assigned_sentences"] == data["overlap"] * data["body_sentences"]
    assigned = [row["assigned"] for row in data["annotators"]]
    assert sorted(assigned) == [data["body_sentences"]] * 2
    assert set(data) == {
        "project",
        "overlap",
        "body_sentences",
        "assigned_sentences",
        "annotators",
        "labels_per_day",
    }


def test_assign_cli_adds_annotators_and_reports(seeded: Session, db_url: str) -> None:
    accounts.create_user(seeded, "admin", "admin", PASSWORD)
    accounts.create_user(seeded, "maria", "annotator", PASSWORD)
    result = CliRunner().invoke(
        main, ["assign", "--db", db_url, "--project", "default", "--annotators", "maria"]
    )
    assert result.exit_code == 0 and result.stdout.startswith("2 new assignments")
    missing = CliRunner().invoke(
        main, ["assign", "--db", db_url, "--project", "default", "--annotators", "nobody"]
    )
    assert missing.exit_code == 1 and "no user named 'nobody'" in missing.stderr

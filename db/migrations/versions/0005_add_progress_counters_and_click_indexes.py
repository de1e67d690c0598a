"""Add progress counters (labels by day and by seconds spent) and indexes for click queries.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 09:00:00.000000
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _create_counter_tables()
    _backfill()


def _key_columns() -> list[sa.Column[int]]:
    return [
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
    ]


def _foreign_keys(table: str) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(
            ["annotator_id"], ["users.id"], name=op.f(f"fk_{table}_annotator_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f(f"fk_{table}_project_id_projects"),
            ondelete="CASCADE",
        ),
    ]


def _create_counter_tables() -> None:
    op.create_table(
        "label_day_counts",
        *_key_columns(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("labels", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        *_foreign_keys("label_day_counts"),
        sa.PrimaryKeyConstraint(
            "project_id", "annotator_id", "day", name=op.f("pk_label_day_counts")
        ),
    )
    op.create_table(
        "label_second_counts",
        *_key_columns(),
        sa.Column("second", sa.Integer(), nullable=False),
        sa.Column("labels", sa.Integer(), nullable=False),
        *_foreign_keys("label_second_counts"),
        sa.PrimaryKeyConstraint(
            "project_id", "annotator_id", "second", name=op.f("pk_label_second_counts")
        ),
    )


def _backfill() -> None:
    """Count the labels already stored (the services keep the counters from now on)."""
    rows = op.get_bind().execute(
        sa.text(
            "SELECT a.project_id, l.annotator_id, l.skipped, l.seconds_spent, l.updated_at "
            "FROM labels l JOIN sentences s ON s.id = l.sentence_id "
            "JOIN articles a ON a.id = s.article_id"
        )
    )
    days: dict[tuple[int, int, str], list[float]] = defaultdict(lambda: [0, 0, 0.0])
    seconds: dict[tuple[int, int, int], int] = defaultdict(int)
    for project_id, annotator_id, skipped, spent, when in rows:
        day = str(when)[:10]
        totals = days[(project_id, annotator_id, day)]
        totals[0] += 1
        totals[1] += bool(skipped)
        totals[2] += spent
        seconds[(project_id, annotator_id, round(spent))] += 1
    _insert(days, seconds)


def _insert(
    days: dict[tuple[int, int, str], list[float]], seconds: dict[tuple[int, int, int], int]
) -> None:
    day_table = sa.table(
        "label_day_counts",
        *(sa.column(c) for c in ("project_id", "annotator_id", "labels", "skipped", "seconds")),
        sa.column("day", sa.Date()),
    )
    second_table = sa.table(
        "label_second_counts",
        *(sa.column(c) for c in ("project_id", "annotator_id", "second", "labels")),
    )
    if days:
        op.bulk_insert(
            day_table,
            [
                dict(
                    project_id=p,
                    annotator_id=a,
                    day=_date(d),
                    labels=int(n),
                    skipped=int(s),
                    seconds=t,
                )
                for (p, a, d), (n, s, t) in days.items()
            ],
        )
    if seconds:
        op.bulk_insert(
            second_table,
            [
                dict(project_id=p, annotator_id=a, second=s, labels=n)
                for (p, a, s), n in seconds.items()
            ],
        )


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def downgrade() -> None:
    op.drop_table("label_second_counts")
    op.drop_table("label_day_counts")

"""Add outcome counts, label change counts and agreement snapshots; index the dispute queue's
order.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 22:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

QUEUE_INDEX = "ix_outcomes_project_id_status_queue"
OLD_INDEX = "ix_outcomes_project_id_status_agreement"


def _project_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["project_id"], ["projects.id"], name=op.f(f"fk_{table}_project_id_projects"),
        ondelete="CASCADE",
    )  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index(OLD_INDEX)
        batch_op.create_index(
            QUEUE_INDEX,
            ["project_id", "status", "agreement", sa.text("n_labels DESC"), "sentence_id"],
            unique=False,
        )
    op.create_table(
        "outcome_counts",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("sentences", sa.Integer(), nullable=False),
        _project_key("outcome_counts"),
        sa.PrimaryKeyConstraint("project_id", "status", "method", name=op.f("pk_outcome_counts")),
    )
    # Count what is already stored (the services keep the counts from now on).
    op.execute(
        "INSERT INTO outcome_counts (project_id, status, method, sentences) "
        "SELECT project_id, status, COALESCE(method, ''), count(*) FROM outcomes "
        "GROUP BY project_id, status, COALESCE(method, '')"
    )
    op.create_table(
        "label_change_counts",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotator_id"], ["users.id"], name=op.f("fk_label_change_counts_annotator_id_users")
        ),
        _project_key("label_change_counts"),
        sa.PrimaryKeyConstraint("project_id", "annotator_id", name=op.f("pk_label_change_counts")),
    )
    op.execute(
        "INSERT INTO label_change_counts (project_id, annotator_id, changes) "
        "SELECT a.project_id, l.annotator_id, count(*) FROM label_history h "
        "JOIN labels l ON l.id = h.label_id JOIN sentences s ON s.id = l.sentence_id "
        "JOIN articles a ON a.id = s.article_id GROUP BY a.project_id, l.annotator_id"
    )
    op.create_table(
        "agreement_snapshots",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("labels", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        _project_key("agreement_snapshots"),
        sa.PrimaryKeyConstraint("project_id", "field", name=op.f("pk_agreement_snapshots")),
    )


def downgrade() -> None:
    op.drop_table("agreement_snapshots")
    op.drop_table("label_change_counts")
    op.drop_table("outcome_counts")
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index(QUEUE_INDEX)
        batch_op.create_index(OLD_INDEX, ["project_id", "status", "agreement"], unique=False)

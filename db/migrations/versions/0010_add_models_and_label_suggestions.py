"""Add trained models of a project's labels, what each label's annotator was shown (the
suggestion, its confidence, model and mode), and a project's suggestion settings (issue 21).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("n_train", sa.Integer(), nullable=False),
        sa.Column("n_heldout", sa.Integer(), nullable=False),
        sa.Column("labels_seen", sa.Integer(), nullable=False),
        sa.Column("beats_baseline", sa.Boolean(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_models_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_models")),
        sa.UniqueConstraint(
            "project_id", "field", "version", name=op.f("uq_models_project_id_field_version")
        ),
    )
    with op.batch_alter_table("labels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suggestion", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("suggestion_confidence", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("suggestion_model", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("suggestion_mode", sa.String(length=16), nullable=True))
        batch_op.create_check_constraint(
            "suggestion_mode",
            "suggestion_mode IS NULL OR suggestion_mode IN ('shown', 'preselected')",
        )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suggestions", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("retrain_every", sa.Integer(), server_default="200", nullable=False)
        )
        batch_op.create_check_constraint(
            "suggestions", "suggestions IS NULL OR suggestions IN ('off', 'shown', 'preselected')"
        )
        batch_op.create_check_constraint("retrain_every_nonnegative", "retrain_every >= 0")


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_constraint("retrain_every_nonnegative", type_="check")
        batch_op.drop_constraint("suggestions", type_="check")
        batch_op.drop_column("retrain_every")
        batch_op.drop_column("suggestions")
    with op.batch_alter_table("labels", schema=None) as batch_op:
        batch_op.drop_constraint("suggestion_mode", type_="check")
        batch_op.drop_column("suggestion_mode")
        batch_op.drop_column("suggestion_model")
        batch_op.drop_column("suggestion_confidence")
        batch_op.drop_column("suggestion")
    op.drop_table("models")

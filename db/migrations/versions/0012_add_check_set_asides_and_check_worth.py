"""Add the gold claims leads set aside from fact-checking, and the check-worthiness scores
that order the fact-check queue (issue 21).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 15:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_set_asides",
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"],
            name=op.f("fk_check_set_asides_project_id_projects"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sentence_id"], ["sentences.id"],
            name=op.f("fk_check_set_asides_sentence_id_sentences"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_by"], ["users.id"], name=op.f("fk_check_set_asides_set_by_users")
        ),
        sa.PrimaryKeyConstraint("sentence_id", name=op.f("pk_check_set_asides")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_check_set_asides_project_id"), "check_set_asides", ["project_id"], unique=False
    )
    op.create_table(
        "check_worth",
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_id"], ["models.id"],
            name=op.f("fk_check_worth_model_id_models"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"],
            name=op.f("fk_check_worth_project_id_projects"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sentence_id"], ["sentences.id"],
            name=op.f("fk_check_worth_sentence_id_sentences"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sentence_id", name=op.f("pk_check_worth")),
    )  # fmt: skip
    op.create_index(  # read backwards for the highest scores first
        "ix_check_worth_project_id_score", "check_worth", ["project_id", "score"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_check_worth_project_id_score", table_name="check_worth")
    op.drop_table("check_worth")
    op.drop_index(op.f("ix_check_set_asides_project_id"), table_name="check_set_asides")
    op.drop_table("check_set_asides")

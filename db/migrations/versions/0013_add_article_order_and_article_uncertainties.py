"""Add a project's article order (`import`, or `uncertain`: the model's least sure articles
first) and the per-article uncertainty of its model that the order is read from (issue 21,
active ordering).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 15:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ORDER_INDEX = "ix_article_uncertainties_project_id_order"


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "article_order", sa.String(length=16), server_default="import", nullable=False
            )
        )
        batch_op.create_check_constraint(
            "article_order", "article_order IN ('import', 'uncertain')"
        )
    op.create_table(
        "article_uncertainties",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("uncertainty", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_uncertainties_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["models.id"],
            name=op.f("fk_article_uncertainties_model_id_models"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_article_uncertainties_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_uncertainties")),
    )
    op.create_index(
        ORDER_INDEX,
        "article_uncertainties",
        ["project_id", "model_id", sa.text("uncertainty DESC"), "article_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(ORDER_INDEX, table_name="article_uncertainties")
    op.drop_table("article_uncertainties")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_constraint("article_order", type_="check")
        batch_op.drop_column("article_order")

"""Add the speaker of each sentence (transcripts; empty for articles) and the original file an
article was extracted from (the HTML of a web page), kept byte for byte beside its text.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sentences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("speaker", sa.Text(), nullable=True))
    op.create_table(
        "article_originals",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_originals_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_originals")),
    )


def downgrade() -> None:
    op.drop_table("article_originals")
    with op.batch_alter_table("sentences", schema=None) as batch_op:
        batch_op.drop_column("speaker")

"""Add assigned counts (articles and body sentences each annotator holds in each project) and
article label counts (body sentences of each article each annotator has labelled).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assigned_counts",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("sentences", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotator_id"], ["users.id"], name=op.f("fk_assigned_counts_annotator_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_assigned_counts_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "annotator_id", name=op.f("pk_assigned_counts")),
    )
    # Count the assignments already stored (the services keep the counts from now on).
    op.execute(
        "INSERT INTO assigned_counts (project_id, annotator_id, articles, sentences) "
        "SELECT s.project_id, s.annotator_id, count(*), sum(a.n_body) "
        "FROM assignments s JOIN articles a ON a.id = s.article_id "
        "GROUP BY s.project_id, s.annotator_id"
    )
    op.create_table(
        "article_label_counts",
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("labels", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotator_id"], ["users.id"], name=op.f("fk_article_label_counts_annotator_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_label_counts_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("annotator_id", "article_id", name=op.f("pk_article_label_counts")),
    )
    op.execute(
        "INSERT INTO article_label_counts (annotator_id, article_id, labels) "
        "SELECT l.annotator_id, s.article_id, count(*) "
        "FROM labels l JOIN sentences s ON s.id = l.sentence_id "
        "GROUP BY l.annotator_id, s.article_id"
    )


def downgrade() -> None:
    op.drop_table("article_label_counts")
    op.drop_table("assigned_counts")

"""Create the core tables: users, projects, articles, sentences, labels, label history.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 12:38:24.813016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("scheme", sa.String(length=64), nullable=False),
        sa.Column("overlap", sa.Integer(), nullable=False),
        sa.Column("guidelines", sa.Text(), nullable=False),
        sa.Column("n_body", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("overlap >= 1", name=op.f("ck_projects_overlap_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("name", name=op.f("uq_projects_name")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'lead', 'annotator')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("byline", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_raw", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("n_sentences", sa.Integer(), nullable=False),
        sa.Column("n_body", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_articles_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint(
            "project_id", "content_hash", name=op.f("uq_articles_project_id_content_hash")
        ),
        sa.UniqueConstraint(
            "project_id", "external_id", name=op.f("uq_articles_project_id_external_id")
        ),
    )
    op.create_table(
        "sentences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("char_start", sa.Integer(), nullable=False),
        sa.Column("char_end", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "role IN ('body', 'title', 'meta', 'caption', 'related', 'boilerplate')",
            name=op.f("ck_sentences_role"),
        ),
        sa.CheckConstraint(
            "char_start >= 0 AND char_start < char_end", name=op.f("ck_sentences_span_valid")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_sentences_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sentences")),
        sa.UniqueConstraint("article_id", "index", name=op.f("uq_sentences_article_id_index")),
    )
    op.create_table(
        "labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("claim_type", sa.String(length=32), nullable=True),
        sa.Column("date_bound", sa.Boolean(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("seconds_spent", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(skipped AND claim_type IS NULL) OR (NOT skipped AND claim_type IS NOT NULL)",
            name=op.f("ck_labels_skipped_xor_type"),
        ),
        sa.CheckConstraint("seconds_spent >= 0", name=op.f("ck_labels_seconds_nonnegative")),
        sa.ForeignKeyConstraint(
            ["annotator_id"], ["users.id"], name=op.f("fk_labels_annotator_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["sentence_id"],
            ["sentences.id"],
            name=op.f("fk_labels_sentence_id_sentences"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labels")),
        sa.UniqueConstraint(
            "sentence_id", "annotator_id", name=op.f("uq_labels_sentence_id_annotator_id")
        ),
    )
    with op.batch_alter_table("labels", schema=None) as batch_op:
        batch_op.create_index(
            "ix_labels_annotator_id_sentence_id", ["annotator_id", "sentence_id"], unique=False
        )
        batch_op.create_index(
            "ix_labels_annotator_id_updated_at", ["annotator_id", "updated_at"], unique=False
        )

    op.create_table(
        "label_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label_id", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["users.id"], name=op.f("fk_label_history_changed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["label_id"], ["labels.id"], name=op.f("fk_label_history_label_id_labels")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_history")),
    )
    with op.batch_alter_table("label_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_label_history_label_id"), ["label_id"], unique=False)
    _make_history_append_only()


def downgrade() -> None:
    _drop_history_guards()
    with op.batch_alter_table("label_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_label_history_label_id"))

    op.drop_table("label_history")
    with op.batch_alter_table("labels", schema=None) as batch_op:
        batch_op.drop_index("ix_labels_annotator_id_updated_at")
        batch_op.drop_index("ix_labels_annotator_id_sentence_id")

    op.drop_table("labels")
    op.drop_table("sentences")
    op.drop_table("articles")
    op.drop_table("users")
    op.drop_table("projects")


_GUARDED = ("UPDATE", "DELETE")


def _make_history_append_only() -> None:
    """Refuse UPDATE and DELETE on label_history in the database itself, not only in code."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in _GUARDED:
            op.execute(
                f"CREATE TRIGGER label_history_no_{verb.lower()} BEFORE {verb} ON label_history "
                "BEGIN SELECT RAISE(ABORT, 'label_history is append-only'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION label_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'label_history is append-only'; END $$"
    )
    for verb in _GUARDED:
        op.execute(
            f"CREATE TRIGGER label_history_no_{verb.lower()} BEFORE {verb} ON label_history "
            "FOR EACH ROW EXECUTE FUNCTION label_history_append_only()"
        )


def _drop_history_guards() -> None:
    for verb in _GUARDED:
        op.execute(
            f"DROP TRIGGER IF EXISTS label_history_no_{verb.lower()}"
            + ("" if op.get_bind().dialect.name == "sqlite" else " ON label_history")
        )
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS label_history_append_only()")

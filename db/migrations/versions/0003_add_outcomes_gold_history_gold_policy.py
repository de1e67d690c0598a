"""Add outcomes (gold labels), the gold history and the project's gold policy.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:06:17.824104
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gold_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["users.id"], name=op.f("fk_gold_history_changed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["sentence_id"], ["sentences.id"], name=op.f("fk_gold_history_sentence_id_sentences")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gold_history")),
    )
    with op.batch_alter_table("gold_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gold_history_sentence_id"), ["sentence_id"], unique=False
        )

    op.create_table(
        "outcomes",
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("n_labels", sa.Integer(), nullable=False),
        sa.Column("agreement", sa.Float(), nullable=True),
        sa.Column("claim_type", sa.String(length=32), nullable=True),
        sa.Column("date_bound", sa.Boolean(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("adjudicator_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(COALESCE(method, '') = 'adjudicated') = (adjudicator_id IS NOT NULL)",
            name=op.f("ck_outcomes_adjudicator"),
        ),
        sa.CheckConstraint(
            "(status = 'gold') = (claim_type IS NOT NULL AND method IS NOT NULL)",
            name=op.f("ck_outcomes_gold_has_answer"),
        ),
        sa.CheckConstraint(
            "method IS NULL OR method IN ('unanimous', 'majority', 'adjudicated')",
            name=op.f("ck_outcomes_method"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'disputed', 'gold')", name=op.f("ck_outcomes_status")
        ),
        sa.ForeignKeyConstraint(
            ["adjudicator_id"], ["users.id"], name=op.f("fk_outcomes_adjudicator_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_outcomes_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sentence_id"],
            ["sentences.id"],
            name=op.f("fk_outcomes_sentence_id_sentences"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sentence_id", name=op.f("pk_outcomes")),
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outcomes_project_id_status_agreement",
            ["project_id", "status", "agreement"],
            unique=False,
        )

    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "gold_policy", sa.String(length=16), server_default="unanimous", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("gold_min_votes", sa.Integer(), server_default="2", nullable=False)
        )
        batch_op.create_check_constraint("gold_policy", "gold_policy IN ('unanimous', 'majority')")
        batch_op.create_check_constraint("gold_min_votes_positive", "gold_min_votes >= 1")
    _make_gold_history_append_only()


def downgrade() -> None:
    _drop_gold_history_guards()
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_constraint("gold_min_votes_positive", type_="check")
        batch_op.drop_constraint("gold_policy", type_="check")
        batch_op.drop_column("gold_min_votes")
        batch_op.drop_column("gold_policy")

    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_outcomes_project_id_status_agreement")

    op.drop_table("outcomes")
    with op.batch_alter_table("gold_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gold_history_sentence_id"))

    op.drop_table("gold_history")


_GUARDED = ("UPDATE", "DELETE")


def _make_gold_history_append_only() -> None:
    """Refuse UPDATE and DELETE on gold_history in the database, as for label_history."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in _GUARDED:
            op.execute(
                f"CREATE TRIGGER gold_history_no_{verb.lower()} BEFORE {verb} ON gold_history "
                "BEGIN SELECT RAISE(ABORT, 'gold_history is append-only'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION gold_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'gold_history is append-only'; END $$"
    )
    for verb in _GUARDED:
        op.execute(
            f"CREATE TRIGGER gold_history_no_{verb.lower()} BEFORE {verb} ON gold_history "
            "FOR EACH ROW EXECUTE FUNCTION gold_history_append_only()"
        )


def _drop_gold_history_guards() -> None:
    for verb in _GUARDED:
        op.execute(
            f"DROP TRIGGER IF EXISTS gold_history_no_{verb.lower()}"
            + ("" if op.get_bind().dialect.name == "sqlite" else " ON gold_history")
        )
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS gold_history_append_only()")

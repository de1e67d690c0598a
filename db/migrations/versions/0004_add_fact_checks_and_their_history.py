"""Add fact checks (the queue of gold factual claims, and verdicts) and their history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:54:18.495334
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fact_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("checker_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=True),
        sa.Column("evidence_urls", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "verdict IS NULL OR verdict IN "
            "('true', 'mostly-true', 'mixed', 'mostly-false', 'false', 'unverifiable')",
            name=op.f("ck_fact_checks_verdict"),
        ),
        sa.ForeignKeyConstraint(
            ["checker_id"], ["users.id"], name=op.f("fk_fact_checks_checker_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_fact_checks_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sentence_id"],
            ["sentences.id"],
            name=op.f("fk_fact_checks_sentence_id_sentences"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_checks")),
        sa.UniqueConstraint(
            "sentence_id", "checker_id", name=op.f("uq_fact_checks_sentence_id_checker_id")
        ),
    )
    with op.batch_alter_table("fact_checks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_fact_checks_checker_id_project_id",
            ["checker_id", "project_id", "verdict"],
            unique=False,
        )
        batch_op.create_index(
            "ix_fact_checks_project_id_verdict", ["project_id", "verdict"], unique=False
        )

    op.create_table(
        "fact_check_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fact_check_id", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["users.id"], name=op.f("fk_fact_check_history_changed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["fact_check_id"],
            ["fact_checks.id"],
            name=op.f("fk_fact_check_history_fact_check_id_fact_checks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_check_history")),
    )
    with op.batch_alter_table("fact_check_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fact_check_history_fact_check_id"), ["fact_check_id"], unique=False
        )
    _make_history_append_only()


def downgrade() -> None:
    _drop_history_guards()
    with op.batch_alter_table("fact_check_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_check_history_fact_check_id"))

    op.drop_table("fact_check_history")
    with op.batch_alter_table("fact_checks", schema=None) as batch_op:
        batch_op.drop_index("ix_fact_checks_project_id_verdict")
        batch_op.drop_index("ix_fact_checks_checker_id_project_id")

    op.drop_table("fact_checks")


_GUARDED = ("UPDATE", "DELETE")
_TABLE = "fact_check_history"


def _make_history_append_only() -> None:
    """Refuse UPDATE and DELETE on fact_check_history in the database, as for label_history."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in _GUARDED:
            op.execute(
                f"CREATE TRIGGER {_TABLE}_no_{verb.lower()} BEFORE {verb} ON {_TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{_TABLE} is append-only'); END"
            )
        return
    op.execute(
        f"CREATE FUNCTION {_TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{_TABLE} is append-only'; END $$"
    )
    for verb in _GUARDED:
        op.execute(
            f"CREATE TRIGGER {_TABLE}_no_{verb.lower()} BEFORE {verb} ON {_TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {_TABLE}_append_only()"
        )


def _drop_history_guards() -> None:
    for verb in _GUARDED:
        op.execute(
            f"DROP TRIGGER IF EXISTS {_TABLE}_no_{verb.lower()}"
            + ("" if op.get_bind().dialect.name == "sqlite" else f" ON {_TABLE}")
        )
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"DROP FUNCTION IF EXISTS {_TABLE}_append_only()")

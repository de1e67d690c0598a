"""Add the e-mail an account signs in with through the organisation's provider (unique, kept
in lower case, so unique whatever the case it was typed in), and on login sessions the key of
the provider sign-in that started one, with indexes for resuming a browser's session.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

EMAIL_INDEX = "uq_users_email"  # a unique index, not a constraint: SQLite adds it in place
BROWSER_INDEX = "ix_login_sessions_browser_key"
SIGN_IN_INDEX = "ix_login_sessions_sign_in_key"


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.create_index(EMAIL_INDEX, ["email"], unique=True)
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sign_in_key", sa.String(length=64), nullable=True))
        batch_op.create_index(BROWSER_INDEX, ["browser_key"], unique=False)
        batch_op.create_index(SIGN_IN_INDEX, ["sign_in_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_index(SIGN_IN_INDEX)
        batch_op.drop_index(BROWSER_INDEX)
        batch_op.drop_column("sign_in_key")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(EMAIL_INDEX)
        batch_op.drop_column("email")

"""Accounts: where a sign-in link leads, and shared rate-limit counters.

Revision ID: 20261121_accounts
Revises: 20261121_initial
Create Date: 2026-11-21 21:50:29.321512
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.db
from alembic import op

revision: str = "20261121_accounts"
down_revision: str | None = "20261121_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_counter",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("window_start", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start", name=op.f("pk_rate_limit_counter")),
    )
    with op.batch_alter_table("rate_limit_counter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rate_limit_counter_window_start"), ["window_start"], unique=False
        )

    # Links issued before this revision led to the person's home.
    with op.batch_alter_table("sign_in_token", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "next_path",
                sqlmodel.sql.sqltypes.AutoString(length=500),
                nullable=False,
                server_default="/account",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_in_token", schema=None) as batch_op:
        batch_op.drop_column("next_path")

    with op.batch_alter_table("rate_limit_counter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_limit_counter_window_start"))

    op.drop_table("rate_limit_counter")

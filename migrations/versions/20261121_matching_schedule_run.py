"""B2B meetings: the scheduler's run summary per stop (objective, bound, requests left out).

Revision ID: 20261121_matching
Revises: 20261121_consuls
Create Date: 2026-11-21 21:52:24.828033
"""

from collections.abc import Sequence

import sqlalchemy as sa

import app.db
from alembic import op

revision: str = "20261121_matching"
down_revision: str | None = "20261121_consuls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "schedule_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=False),
        sa.Column("objective", sa.Integer(), nullable=False),
        sa.Column("upper_bound", sa.Integer(), nullable=True),
        sa.Column("optimal", sa.Boolean(), nullable=False),
        sa.Column("idle_gaps", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("meeting_count", sa.Integer(), nullable=False),
        sa.Column("unscheduled", sa.JSON(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_schedule_run_created_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(["stop_id"], ["stop.id"], name=op.f("fk_schedule_run_stop_id_stop")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_run")),
    )
    with op.batch_alter_table("schedule_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedule_run_stop_id"), ["stop_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("schedule_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_run_stop_id"))
    op.drop_table("schedule_run")

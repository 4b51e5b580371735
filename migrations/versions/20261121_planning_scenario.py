"""Planning scenarios: the planner page's inputs, held stops and last result (issue 7).

Revision ID: 20261121_planning
Revises: 20261121_matching
Create Date: 2026-11-21 21:59:32.889392
"""

from collections.abc import Sequence

import sqlalchemy as sa

import app.db
from alembic import op

revision: str = "20261121_planning"
down_revision: str | None = "20261121_matching"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "planning_scenario",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("held", sa.JSON(), nullable=False),
        sa.Column("instance", sa.JSON(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("explanation", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_planning_scenario_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_scenario")),
    )
    with op.batch_alter_table("planning_scenario", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planning_scenario_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_planning_scenario_created_by"), ["created_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("planning_scenario", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planning_scenario_created_by"))
        batch_op.drop_index(batch_op.f("ix_planning_scenario_created_at"))
    op.drop_table("planning_scenario")

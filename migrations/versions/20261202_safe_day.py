"""The day itself: deleted agenda items kept for undo, who checked each attendee in, early check-in.

Revision ID: 20261202_safe_day
Revises: 20261202_statuses
Create Date: 2026-12-02 00:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

import app.db
from alembic import op

revision: str = "20261202_safe_day"
down_revision: str | None = "20261202_statuses"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checkin_opened_at", app.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", app.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_in_by_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_attendee_checked_in_by_user_id_user_account"),
            "user_account",
            ["checked_in_by_user_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_attendee_checked_in_by_user_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("checked_in_by_user_id")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
    with op.batch_alter_table("stop", schema=None) as batch_op:
        batch_op.drop_column("checkin_opened_at")

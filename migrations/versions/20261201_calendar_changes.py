"""Meetings and agenda items remember when they last changed: the calendar feeds' SEQUENCE.

A subscriber's calendar replaces an event only when its SEQUENCE grows, so a moved meeting or a
retimed agenda item must carry the moment of its change. Existing rows start at the migration.

Revision ID: 20261201_calendar
Revises: 20261121_companies
Create Date: 2026-12-01 21:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

import app.db
from alembic import op

revision: str = "20261201_calendar"
down_revision: str | None = "20261121_companies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("meeting", "agenda_item")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "updated_at",
                    app.db.UTCDateTime(timezone=True),
                    nullable=False,
                    server_default=sa.func.current_timestamp(),
                )
            )
        # The default only fills the rows already there; the application sets the column itself.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("updated_at", server_default=None)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("updated_at")

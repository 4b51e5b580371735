"""Consuls in the loop: request deadline, digests and reminders of requests, late confirmations.

Revision ID: 20261202_consul_loop
Revises: 20261201_jobs
Create Date: 2026-12-02 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from app.db import UTCDateTime

revision: str = "20261202_consul_loop"
down_revision: str | None = "20261201_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: tuple[tuple[str, str, type[sa.types.TypeEngine[object]] | type[UTCDateTime]], ...] = (
    ("stop", "requests_close_on", sa.Date),
    ("meeting_request", "digested_at", UTCDateTime),
    ("invitation", "request_digest_at", UTCDateTime),
    ("invitation", "request_reminder_at", UTCDateTime),
    ("invitation", "confirmed_late_at", UTCDateTime),
)


def upgrade() -> None:
    for table, name, kind in COLUMNS:
        column_type = kind(timezone=True) if kind is UTCDateTime else kind()
        op.add_column(table, sa.Column(name, column_type, nullable=True))
    # Requests made before digests existed were seen on the consul's page: not listed again.
    meeting_request = sa.table(
        "meeting_request", sa.column("digested_at", UTCDateTime()), sa.column("created_at", UTCDateTime())
    )
    op.execute(meeting_request.update().values(digested_at=meeting_request.c.created_at))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): rebuilding these tables would break the rows that
    # reference them.
    for table, name, _kind in reversed(COLUMNS):
        op.drop_column(table, name)

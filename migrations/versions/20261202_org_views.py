"""Agenda speakers still to confirm: a named speaker may be announced before saying yes.

Revision ID: 20261202_org_views
Revises: 20261202_outcomes
Create Date: 2026-12-02 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "20261202_org_views"
down_revision: str | None = "20261202_outcomes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agenda_speaker") as batch:
        batch.add_column(sa.Column("to_confirm", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("agenda_speaker") as batch:
        batch.drop_column("to_confirm")

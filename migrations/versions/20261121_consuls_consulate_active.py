"""Consulates can be deactivated: a closed representation keeps its invitation history.

Revision ID: 20261121_consuls
Revises: 20261121_accounts
Create Date: 2026-11-21 21:53:32.663274
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "20261121_consuls"
down_revision: str | None = "20261121_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing representations are active; the server default fills them in.
    with op.batch_alter_table("consulate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("consulate", schema=None) as batch_op:
        batch_op.drop_column("active")

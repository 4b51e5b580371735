"""Reference data carries a version token, so that processes may cache it until it changes;
seats are counted per stop from one index.

Revision ID: 20261201_reference_version
Revises: 20261201_outbox_attachment
Create Date: 2026-12-01 22:30:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "20261201_reference_version"
down_revision: str | None = "20261201_outbox_attachment"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "reference_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_version")),
    )
    # A token of its own per database: two databases never share a cached copy.
    op.bulk_insert(table, [{"id": 1, "token": uuid.uuid4().hex}])
    op.create_index(
        "ix_registration_stop_id_status_hold_expires_at",
        "registration",
        ["stop_id", "status", "hold_expires_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_registration_stop_id_status_hold_expires_at", table_name="registration")
    op.drop_table("reference_version")

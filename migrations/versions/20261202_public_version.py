"""Public pages' data carries a version token, so that processes may keep what they built from
it until it changes.

Revision ID: 20261202_public_version
Revises: 20261202_safe_day
Create Date: 2026-12-02 06:00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "20261202_public_version"
down_revision: str | None = "20261202_safe_day"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "public_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_version")),
    )
    # A token of its own per database: two databases never share a kept copy.
    op.bulk_insert(table, [{"id": 1, "token": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("public_version")

"""Revocable links: people and representatives carry the version their tokens must match.

Revision ID: 20261201_credential_version
Revises: 20261201_calendar
Create Date: 2026-12-01 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "20261201_credential_version"
down_revision: str | None = "20261201_calendar"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("user_account", "representative")


def upgrade() -> None:
    # Version 0 is also what tokens signed before this revision read as: nobody is signed out.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("credential_version", sa.Integer(), nullable=False, server_default="0")
            )
    # Who is inactive already starts revoked, so that a later reactivation revives no old link;
    # the consul accounts of inactive representatives close with them, as from now on.
    user = sa.table(
        "user_account",
        sa.column("is_active", sa.Boolean()),
        sa.column("representative_id", sa.Integer()),
        sa.column("credential_version", sa.Integer()),
    )
    representative = sa.table(
        "representative",
        sa.column("id", sa.Integer()),
        sa.column("active", sa.Boolean()),
        sa.column("credential_version", sa.Integer()),
    )
    inactive_people = sa.select(representative.c.id).where(representative.c.active == sa.false())
    op.execute(
        user.update().where(user.c.representative_id.in_(inactive_people)).values(is_active=sa.false())
    )
    op.execute(user.update().where(user.c.is_active == sa.false()).values(credential_version=1))
    op.execute(
        representative.update().where(representative.c.active == sa.false()).values(credential_version=1)
    )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): rebuilding these tables would break the rows that
    # reference them.
    for table in reversed(TABLES):
        op.drop_column(table, "credential_version")

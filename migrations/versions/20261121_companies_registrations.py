"""Registrations: re-registering after cancelling, attendee count, email confirmation.

The one-registration-per-company-and-stop rule now holds only for active registrations
(pending, confirmed, waitlisted), so that a company may register again after cancelling or
after its hold lapsed. A registration records how many people come, when its contact
confirmed the email address, and the hash of the single-use confirmation link.

Revision ID: 20261121_companies
Revises: 20261121_planning
Create Date: 2026-11-21 21:50:54.981401
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.db
from alembic import op

revision: str = "20261121_companies"
down_revision: str | None = "20261121_planning"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("status IN ('pending', 'confirmed', 'waitlisted')")


def upgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attendee_count", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("email_verified_at", app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("confirmation_token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.drop_constraint(batch_op.f("uq_registration_stop_id_company_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_registration_confirmation_token_hash"), ["confirmation_token_hash"]
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_registration_attendee_count_at_least_one"), "attendee_count >= 1"
        )
        batch_op.create_index(
            "uq_registration_stop_id_company_id_active",
            ["stop_id", "company_id"],
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.alter_column("attendee_count", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_index("uq_registration_stop_id_company_id_active")
        batch_op.drop_constraint(batch_op.f("ck_registration_attendee_count_at_least_one"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_registration_confirmation_token_hash"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_registration_stop_id_company_id"), ["stop_id", "company_id"]
        )
        batch_op.drop_column("confirmation_token_hash")
        batch_op.drop_column("email_verified_at")
        batch_op.drop_column("attendee_count")

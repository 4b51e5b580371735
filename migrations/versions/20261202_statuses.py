"""Published agendas: what each participant was last emailed, so re-publishing tells only changes.

Revision ID: 20261202_statuses
Revises: 20261202_org_views
Create Date: 2026-12-02 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

import app.db
from alembic import op

revision: str = "20261202_statuses"
down_revision: str | None = "20261202_org_views"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "published_agenda",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("meetings", sa.JSON(), nullable=False),
        sa.Column("sent_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["stop_id"], ["stop.id"], name=op.f("fk_published_agenda_stop_id_stop")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_agenda")),
        sa.UniqueConstraint(
            "stop_id", "party", "party_id", name=op.f("uq_published_agenda_stop_id_party_party_id")
        ),
    )
    with op.batch_alter_table("published_agenda", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_published_agenda_stop_id"), ["stop_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("published_agenda", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_published_agenda_stop_id"))
    op.drop_table("published_agenda")

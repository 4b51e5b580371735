"""Outcomes of the B2B meetings: attendance marked on the day, and each party's ratings.

A meeting gains what the organisers saw on the day (null: not marked) and when its parties were
asked to rate it, after the stop and at the follow-up months later. ``meeting_rating`` holds one
answer per meeting, party and stage.

Revision ID: 20261202_outcomes
Revises: 20261202_consul_loop
Create Date: 2026-12-02 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

import app.db
from alembic import op

revision: str = "20261202_outcomes"
down_revision: str | None = "20261202_consul_loop"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attendance", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("rating_asked_at", app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("follow_up_asked_at", app.db.UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        "meeting_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("took_place", sa.Boolean(), nullable=True),
        sa.Column("interest", sa.String(length=30), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("comment", sa.String(length=1000), nullable=False),
        sa.Column("answered_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_rating_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_rating")),
        sa.UniqueConstraint("meeting_id", "party", "stage", name=op.f("uq_meeting_rating_meeting_id_party_stage")),
    )
    with op.batch_alter_table("meeting_rating", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_rating_meeting_id"), ["meeting_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("meeting_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_rating_meeting_id"))
    op.drop_table("meeting_rating")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("follow_up_asked_at")
        batch_op.drop_column("rating_asked_at")
        batch_op.drop_column("attendance")

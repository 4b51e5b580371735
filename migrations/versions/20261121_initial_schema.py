"""Initial schema: reference data, stops, companies, consuls, meetings, agenda, accounts.

Revision ID: 20261121_initial
Revises:
Create Date: 2026-11-21 21:37:03.627410
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.db
from alembic import op

revision: str = "20261121_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "country",
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column(
            "name_it", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False
        ),
        sa.Column(
            "name_en", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False
        ),
        sa.Column("survey_rank", sa.Integer(), nullable=True),
        sa.Column("is_prospect", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_country")),
    )
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "to_address", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False
        ),
        sa.Column(
            "subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False
        ),
        sa.Column("body_text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("body_html", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "language", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False
        ),
        sa.Column(
            "template", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False
        ),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sent_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_message_next_attempt_at"),
            ["next_attempt_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_message_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_message_to_address"), ["to_address"], unique=False
        )

    op.create_table(
        "sector",
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column(
            "name_it", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False
        ),
        sa.Column(
            "name_en", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_sector")),
    )
    op.create_table(
        "territory",
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column(
            "capital", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False
        ),
        sa.Column(
            "association", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False
        ),
        sa.Column(
            "association_url",
            sqlmodel.sql.sqltypes.AutoString(length=200),
            nullable=True,
        ),
        sa.Column(
            "patron_saint_day",
            sqlmodel.sql.sqltypes.AutoString(length=5),
            nullable=True,
        ),
        sa.Column(
            "patron_saint_name",
            sqlmodel.sql.sqltypes.AutoString(length=120),
            nullable=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_territory")),
    )
    op.create_table(
        "company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "vat_number", sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False
        ),
        sa.Column(
            "fiscal_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True
        ),
        sa.Column(
            "ateco_code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True
        ),
        sa.Column(
            "province_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True
        ),
        sa.Column("size_class", sa.String(length=10), nullable=True),
        sa.Column(
            "website", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True
        ),
        sa.Column("export_share", sa.Integer(), nullable=True),
        sa.Column(
            "contact_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False
        ),
        sa.Column(
            "contact_role", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False
        ),
        sa.Column(
            "contact_email",
            sqlmodel.sql.sqltypes.AutoString(length=254),
            nullable=False,
        ),
        sa.Column(
            "contact_phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False
        ),
        sa.Column(
            "language", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False
        ),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("erased_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "export_share IS NULL OR (export_share >= 0 AND export_share <= 100)",
            name=op.f("ck_company_export_share_percent"),
        ),
        sa.ForeignKeyConstraint(
            ["province_code"],
            ["territory.code"],
            name=op.f("fk_company_province_code_territory"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company")),
        sa.UniqueConstraint("vat_number", name=op.f("uq_company_vat_number")),
    )
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_company_contact_email"), ["contact_email"], unique=False
        )

    op.create_table(
        "consulate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "country_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False
        ),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column(
            "name_it", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column(
            "name_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column(
            "address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False
        ),
        sa.Column(
            "website", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True
        ),
        sa.Column("demo_contact", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_code"],
            ["country.code"],
            name=op.f("fk_consulate_country_code_country"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consulate")),
    )
    with op.batch_alter_table("consulate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consulate_country_code"), ["country_code"], unique=False
        )

    op.create_table(
        "sector_interest",
        sa.Column(
            "sector_slug", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False
        ),
        sa.Column(
            "country_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False
        ),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "score BETWEEN 0 AND 5", name=op.f("ck_sector_interest_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["country_code"],
            ["country.code"],
            name=op.f("fk_sector_interest_country_code_country"),
        ),
        sa.ForeignKeyConstraint(
            ["sector_slug"],
            ["sector.slug"],
            name=op.f("fk_sector_interest_sector_slug_sector"),
        ),
        sa.PrimaryKeyConstraint(
            "sector_slug", "country_code", name=op.f("pk_sector_interest")
        ),
    )
    op.create_table(
        "stop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column(
            "title_it", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column(
            "title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column("description_it", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("description_en", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "sector_slug", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False
        ),
        sa.Column(
            "territory_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False
        ),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column(
            "venue", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column(
            "venue_address",
            sqlmodel.sql.sqltypes.AutoString(length=300),
            nullable=False,
        ),
        sa.Column("stop_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("attendees_per_company", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "registration_opens_at", app.db.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "registration_closes_at", app.db.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("hold_hours", sa.Integer(), nullable=False),
        sa.Column("meeting_request_quota", sa.Integer(), nullable=False),
        sa.Column("auto_accept_requests", sa.Boolean(), nullable=False),
        sa.Column("b2b_first_slot", sa.Time(), nullable=True),
        sa.Column("b2b_slot_minutes", sa.Integer(), nullable=False),
        sa.Column("b2b_slot_count", sa.Integer(), nullable=False),
        sa.Column("b2b_tables", sa.Integer(), nullable=False),
        sa.Column("schedule_status", sa.String(length=20), nullable=False),
        sa.Column("agenda_status", sa.String(length=20), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "attendees_per_company >= 1", name=op.f("ck_stop_attendees_at_least_one")
        ),
        sa.CheckConstraint("capacity >= 0", name=op.f("ck_stop_capacity_not_negative")),
        sa.CheckConstraint(
            "end_time > start_time", name=op.f("ck_stop_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["sector_slug"], ["sector.slug"], name=op.f("fk_stop_sector_slug_sector")
        ),
        sa.ForeignKeyConstraint(
            ["territory_code"],
            ["territory.code"],
            name=op.f("fk_stop_territory_code_territory"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stop")),
        sa.UniqueConstraint("slug", name=op.f("uq_stop_slug")),
    )
    with op.batch_alter_table("stop", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stop_sector_slug"), ["sector_slug"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stop_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stop_stop_date"), ["stop_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stop_territory_code"), ["territory_code"], unique=False
        )

    op.create_table(
        "territory_sector",
        sa.Column(
            "territory_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False
        ),
        sa.Column(
            "sector_slug", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False
        ),
        sa.Column("affinity", sa.Integer(), nullable=False),
        sa.Column("strength", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "affinity BETWEEN 0 AND 5", name=op.f("ck_territory_sector_affinity_range")
        ),
        sa.ForeignKeyConstraint(
            ["sector_slug"],
            ["sector.slug"],
            name=op.f("fk_territory_sector_sector_slug_sector"),
        ),
        sa.ForeignKeyConstraint(
            ["territory_code"],
            ["territory.code"],
            name=op.f("fk_territory_sector_territory_code_territory"),
        ),
        sa.PrimaryKeyConstraint(
            "territory_code", "sector_slug", name=op.f("pk_territory_sector")
        ),
    )
    op.create_table(
        "agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column(
            "title_it", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column(
            "title_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column("description_it", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("description_en", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("room", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.CheckConstraint(
            "ends_at > starts_at", name=op.f("ck_agenda_item_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["stop_id"], ["stop.id"], name=op.f("fk_agenda_item_stop_id_stop")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_item")),
    )
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agenda_item_stop_id"), ["stop_id"], unique=False
        )

    op.create_table(
        "company_market",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column(
            "country_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_company_market_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["country_code"],
            ["country.code"],
            name=op.f("fk_company_market_country_code_country"),
        ),
        sa.PrimaryKeyConstraint(
            "company_id", "country_code", name=op.f("pk_company_market")
        ),
    )
    op.create_table(
        "company_sector",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column(
            "sector_slug", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_company_sector_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sector_slug"],
            ["sector.slug"],
            name=op.f("fk_company_sector_sector_slug_sector"),
        ),
        sa.PrimaryKeyConstraint(
            "company_id", "sector_slug", name=op.f("pk_company_sector")
        ),
    )
    op.create_table(
        "representative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consulate_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column(
            "title", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False
        ),
        sa.Column(
            "email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False
        ),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column(
            "preferred_language",
            sqlmodel.sql.sqltypes.AutoString(length=2),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("delegated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consulate_id"],
            ["consulate.id"],
            name=op.f("fk_representative_consulate_id_consulate"),
        ),
        sa.ForeignKeyConstraint(
            ["delegated_by_id"],
            ["representative.id"],
            name=op.f("fk_representative_delegated_by_id_representative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_representative")),
        sa.UniqueConstraint("email", name=op.f("uq_representative_email")),
    )
    with op.batch_alter_table("representative", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_representative_consulate_id"), ["consulate_id"], unique=False
        )

    op.create_table(
        "stop_country",
        sa.Column("stop_id", sa.Integer(), nullable=False),
        sa.Column(
            "country_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_code"],
            ["country.code"],
            name=op.f("fk_stop_country_country_code_country"),
        ),
        sa.ForeignKeyConstraint(
            ["stop_id"],
            ["stop.id"],
            name=op.f("fk_stop_country_stop_id_stop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "stop_id", "country_code", name=op.f("pk_stop_country")
        ),
    )
    op.create_table(
        "agenda_speaker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("representative_id", sa.Integer(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column(
            "affiliation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_item.id"],
            name=op.f("fk_agenda_speaker_item_id_agenda_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["representative_id"],
            ["representative.id"],
            name=op.f("fk_agenda_speaker_representative_id_representative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_speaker")),
    )
    with op.batch_alter_table("agenda_speaker", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agenda_speaker_item_id"), ["item_id"], unique=False
        )

    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=False),
        sa.Column("representative_id", sa.Integer(), nullable=False),
        sa.Column(
            "country_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decline_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("delegate_invitation_id", sa.Integer(), nullable=True),
        sa.Column("available_slots", sa.JSON(), nullable=True),
        sa.Column("max_meetings", sa.Integer(), nullable=True),
        sa.Column("topics", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sector_interests", sa.JSON(), nullable=False),
        sa.Column("invited_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_reminder_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["country_code"],
            ["country.code"],
            name=op.f("fk_invitation_country_code_country"),
        ),
        sa.ForeignKeyConstraint(
            ["delegate_invitation_id"],
            ["invitation.id"],
            name=op.f("fk_invitation_delegate_invitation_id_invitation"),
        ),
        sa.ForeignKeyConstraint(
            ["representative_id"],
            ["representative.id"],
            name=op.f("fk_invitation_representative_id_representative"),
        ),
        sa.ForeignKeyConstraint(
            ["stop_id"], ["stop.id"], name=op.f("fk_invitation_stop_id_stop")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint(
            "stop_id",
            "representative_id",
            name=op.f("uq_invitation_stop_id_representative_id"),
        ),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invitation_representative_id"),
            ["representative_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_invitation_stop_id"), ["stop_id"], unique=False
        )

    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False
        ),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column(
            "password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True
        ),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("representative_id", sa.Integer(), nullable=True),
        sa.Column(
            "language", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False
        ),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_user_account_company_id_company"),
        ),
        sa.ForeignKeyConstraint(
            ["representative_id"],
            ["representative.id"],
            name=op.f("fk_user_account_representative_id_representative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_account_company_id"), ["company_id"], unique=False
        )

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column(
            "action", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False
        ),
        sa.Column(
            "entity_type", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False
        ),
        sa.Column(
            "entity_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False
        ),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["user_account.id"],
            name=op.f("fk_audit_event_actor_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_event_actor_user_id"), ["actor_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_event_entity_type"), ["entity_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_event_occurred_at"), ["occurred_at"], unique=False
        )

    op.create_table(
        "registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("waitlist_position", sa.Integer(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "privacy_version",
            sqlmodel.sql.sqltypes.AutoString(length=20),
            nullable=True,
        ),
        sa.Column(
            "privacy_accepted_at", app.db.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("hold_expires_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_registration_company_id_company"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_registration_created_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["stop_id"], ["stop.id"], name=op.f("fk_registration_stop_id_stop")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration")),
        sa.UniqueConstraint(
            "stop_id", "company_id", name=op.f("uq_registration_stop_id_company_id")
        ),
        sa.UniqueConstraint(
            "stop_id",
            "waitlist_position",
            name=op.f("uq_registration_stop_id_waitlist_position"),
        ),
    )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_registration_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_registration_stop_id"), ["stop_id"], unique=False
        )

    op.create_table(
        "sign_in_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False
        ),
        sa.Column("expires_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_sign_in_token_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sign_in_token_token_hash")),
    )
    with op.batch_alter_table("sign_in_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_in_token_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column(
            "email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False
        ),
        sa.Column("checked_in_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_attendee_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendee")),
    )
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendee_registration_id"), ["registration_id"], unique=False
        )

    op.create_table(
        "meeting_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("goal", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitation.id"],
            name=op.f("fk_meeting_request_invitation_id_invitation"),
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_meeting_request_registration_id_registration"),
        ),
        sa.ForeignKeyConstraint(
            ["stop_id"], ["stop.id"], name=op.f("fk_meeting_request_stop_id_stop")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_request")),
        sa.UniqueConstraint(
            "registration_id",
            "invitation_id",
            name=op.f("uq_meeting_request_registration_id_invitation_id"),
        ),
    )
    with op.batch_alter_table("meeting_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_request_invitation_id"),
            ["invitation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_request_registration_id"),
            ["registration_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_request_stop_id"), ["stop_id"], unique=False
        )

    op.create_table(
        "registration_country",
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column(
            "country_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["country_code"],
            ["country.code"],
            name=op.f("fk_registration_country_country_code_country"),
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_registration_country_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "registration_id", "country_code", name=op.f("pk_registration_country")
        ),
    )
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("slot_index", sa.Integer(), nullable=False),
        sa.Column("table_number", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "slot_index >= 0", name=op.f("ck_meeting_slot_index_not_negative")
        ),
        sa.CheckConstraint(
            "table_number >= 1", name=op.f("ck_meeting_table_number_positive")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["meeting_request.id"],
            name=op.f("fk_meeting_request_id_meeting_request"),
        ),
        sa.ForeignKeyConstraint(
            ["stop_id"], ["stop.id"], name=op.f("fk_meeting_stop_id_stop")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("request_id", name=op.f("uq_meeting_request_id")),
        sa.UniqueConstraint(
            "stop_id",
            "slot_index",
            "table_number",
            name=op.f("uq_meeting_stop_id_slot_index_table_number"),
        ),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_stop_id"), ["stop_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_stop_id"))

    op.drop_table("meeting")
    op.drop_table("registration_country")
    with op.batch_alter_table("meeting_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_request_stop_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_request_registration_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_request_invitation_id"))

    op.drop_table("meeting_request")
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendee_registration_id"))

    op.drop_table("attendee")
    with op.batch_alter_table("sign_in_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_token_user_id"))

    op.drop_table("sign_in_token")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_stop_id"))
        batch_op.drop_index(batch_op.f("ix_registration_status"))
        batch_op.drop_index(batch_op.f("ix_registration_company_id"))

    op.drop_table("registration")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_entity_type"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_user_id"))

    op.drop_table("audit_event")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_company_id"))

    op.drop_table("user_account")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_stop_id"))
        batch_op.drop_index(batch_op.f("ix_invitation_representative_id"))

    op.drop_table("invitation")
    with op.batch_alter_table("agenda_speaker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_speaker_item_id"))

    op.drop_table("agenda_speaker")
    op.drop_table("stop_country")
    with op.batch_alter_table("representative", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_representative_consulate_id"))

    op.drop_table("representative")
    op.drop_table("company_sector")
    op.drop_table("company_market")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_item_stop_id"))

    op.drop_table("agenda_item")
    op.drop_table("territory_sector")
    with op.batch_alter_table("stop", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stop_territory_code"))
        batch_op.drop_index(batch_op.f("ix_stop_stop_date"))
        batch_op.drop_index(batch_op.f("ix_stop_status"))
        batch_op.drop_index(batch_op.f("ix_stop_sector_slug"))

    op.drop_table("stop")
    op.drop_table("sector_interest")
    with op.batch_alter_table("consulate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consulate_country_code"))

    op.drop_table("consulate")
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_contact_email"))

    op.drop_table("company")
    op.drop_table("territory")
    op.drop_table("sector")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_to_address"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_status"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_next_attempt_at"))

    op.drop_table("outbox_message")
    op.drop_table("country")

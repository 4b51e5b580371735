"""Companies and their registrations for stops."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class SizeClass(StrEnum):
    """EU definition (Recommendation 2003/361/EC)."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class Company(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(
            "export_share IS NULL OR (export_share >= 0 AND export_share <= 100)",
            name="export_share_percent",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    # Normalised Italian partita IVA: 11 digits, without the IT prefix.
    vat_number: str = Field(max_length=11, unique=True)
    fiscal_code: str | None = Field(default=None, max_length=16)
    ateco_code: str | None = Field(default=None, max_length=8)
    # One of the twelve Lombard provinces, or null for a company outside Lombardy.
    province_code: str | None = Field(default=None, foreign_key="territory.code", max_length=2)
    size_class: SizeClass | None = Field(default=None, sa_type=String(10))
    website: str | None = Field(default=None, max_length=200)
    export_share: int | None = None
    contact_name: str = Field(default="", max_length=120)
    contact_role: str = Field(default="", max_length=120)
    contact_email: str = Field(max_length=254, index=True)
    contact_phone: str = Field(default="", max_length=40)
    language: str = Field(default="it", max_length=2)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CompanySector(SQLModel, table=True):
    __tablename__ = "company_sector"

    company_id: int = Field(foreign_key="company.id", primary_key=True, ondelete="CASCADE")
    sector_slug: str = Field(foreign_key="sector.slug", primary_key=True, max_length=40)


class CompanyMarket(SQLModel, table=True):
    """A market (country) the company is interested in."""

    __tablename__ = "company_market"

    company_id: int = Field(foreign_key="company.id", primary_key=True, ondelete="CASCADE")
    country_code: str = Field(foreign_key="country.code", primary_key=True, max_length=2)


class RegistrationStatus(StrEnum):
    PENDING = "pending"  # holds a seat until the contact confirms by email
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # the hold ran out before confirmation


SEAT_HOLDING_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)
# A company has at most one of these per stop; after cancelling (or a lapsed hold) it may register again.
ACTIVE_STATUSES = (*SEAT_HOLDING_STATUSES, RegistrationStatus.WAITLISTED)
_ACTIVE_SQL = text("status IN ('pending', 'confirmed', 'waitlisted')")


class Registration(SQLModel, table=True):
    __table_args__ = (
        Index(
            "uq_registration_stop_id_company_id_active",
            "stop_id",
            "company_id",
            unique=True,
            sqlite_where=_ACTIVE_SQL,
            postgresql_where=_ACTIVE_SQL,
        ),
        UniqueConstraint("stop_id", "waitlist_position"),
        # Listings count seats per stop from this index alone (app.stops.service).
        Index("ix_registration_stop_id_status_hold_expires_at", "stop_id", "status", "hold_expires_at"),
        CheckConstraint("attendee_count >= 1", name="attendee_count_at_least_one"),
    )

    id: int | None = Field(default=None, primary_key=True)
    stop_id: int = Field(foreign_key="stop.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    status: RegistrationStatus = Field(sa_type=String(20), index=True)
    waitlist_position: int | None = None
    # How many people the company brings; named attendees (if given) are in the attendee table.
    attendee_count: int = 1
    note: str = ""
    privacy_version: str | None = Field(default=None, max_length=20)
    privacy_accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hold_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When the contact proved the email address (or an organiser vouched for it); a waiting-list
    # registration promoted after this becomes confirmed at once.
    email_verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # SHA-256 of the single-use link token emailed to the contact; cleared once used.
    confirmation_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RegistrationCountry(SQLModel, table=True):
    """A prospect country of the stop that the registered company wants to hear about."""

    __tablename__ = "registration_country"

    registration_id: int = Field(foreign_key="registration.id", primary_key=True, ondelete="CASCADE")
    country_code: str = Field(foreign_key="country.code", primary_key=True, max_length=2)


class Attendee(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    role: str = Field(default="", max_length=120)
    email: str = Field(max_length=254)
    checked_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    checked_in_by_user_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )

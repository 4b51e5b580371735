"""A stop of the roadshow: one day, one sector, one territory, a few prospect countries."""

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class StopStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class PublicationStatus(StrEnum):
    """Where a stop's agenda or meeting schedule stands."""

    NONE = "none"
    DRAFT = "draft"
    PUBLISHED = "published"


class Stop(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("end_time > start_time", name="ends_after_start"),
        CheckConstraint("attendees_per_company >= 1", name="attendees_at_least_one"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    title_it: str = Field(max_length=200)
    title_en: str = Field(max_length=200)
    description_it: str = ""
    description_en: str = ""
    sector_slug: str = Field(foreign_key="sector.slug", max_length=40, index=True)
    territory_code: str = Field(foreign_key="territory.code", max_length=2, index=True)
    city: str = Field(max_length=120)
    venue: str = Field(max_length=200)
    venue_address: str = Field(default="", max_length=300)
    stop_date: date = Field(index=True)
    start_time: time = time(9, 30)
    end_time: time = time(17, 30)
    capacity: int
    attendees_per_company: int = 2
    status: StopStatus = Field(default=StopStatus.DRAFT, sa_type=String(20), index=True)
    registration_opens_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    registration_closes_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hold_hours: int = 48
    # B2B meetings block.
    meeting_request_quota: int = 3
    auto_accept_requests: bool = False
    # From this day requests still unanswered expire; null: they stay open until the stop.
    requests_close_on: date | None = None
    b2b_first_slot: time | None = None
    b2b_slot_minutes: int = 20
    b2b_slot_count: int = 0
    b2b_tables: int = 0
    schedule_status: PublicationStatus = Field(default=PublicationStatus.NONE, sa_type=String(20))
    agenda_status: PublicationStatus = Field(default=PublicationStatus.NONE, sa_type=String(20))
    # Set when an organiser opens check-in before the stop's day (it opens on the day by itself).
    checkin_opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class StopCountry(SQLModel, table=True):
    """A prospect country featured at a stop."""

    __tablename__ = "stop_country"

    stop_id: int = Field(foreign_key="stop.id", primary_key=True, ondelete="CASCADE")
    country_code: str = Field(foreign_key="country.code", primary_key=True, max_length=2)
    position: int = 0

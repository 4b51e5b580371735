"""What the API says about a stop."""

from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, Field, WithJsonSchema

from app.stops.models import StopStatus

# A wall-clock time in Italy, without an offset ("09:30:00"). JSON Schema's "time" format is
# RFC 3339's full-time, which requires one, so the schema says what the API really sends.
LocalTime = Annotated[
    time,
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{2}:\d{2}:\d{2}$", "description": "Local time in Italy, HH:MM:SS"}
    ),
]


# The field ``date`` of StopWrite shadows the type inside its class.
Day = date


class StopPublic(BaseModel):
    id: int
    slug: str
    title: str
    description: str
    sector: str
    sector_name: str
    territory: str
    territory_name: str
    city: str
    venue: str
    venue_address: str
    date: date
    start_time: LocalTime
    end_time: LocalTime
    status: StopStatus
    countries: list[str]
    country_names: dict[str, str]
    capacity: int
    seats_left: int
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    registration_open: bool
    url: str


class StopWrite(BaseModel):
    """What an organiser sends to create (all required ones) or change (any) a stop.

    Documentation of the body: the service reads it field by field so that every bad field
    gets its own message at once. Times are HH:MM; registration moments without an offset
    are times in Italy.
    """

    title: str | None = Field(None, description="Fills title_it and title_en when they are not given")
    title_it: str | None = None
    title_en: str | None = None
    description_it: str | None = None
    description_en: str | None = None
    sector: str = Field(description="Sector slug, e.g. aerospace")
    territory: str = Field(description="Province code, e.g. VA")
    city: str
    venue: str
    venue_address: str | None = None
    date: date
    start_time: time | None = Field(None, description="Default 09:30")
    end_time: time | None = Field(None, description="Default 17:30")
    capacity: int = Field(ge=0)
    attendees_per_company: int | None = Field(None, ge=1, le=20)
    countries: list[str] = Field(description="ISO 3166 alpha-2 codes, in the order shown")
    status: Literal["draft", "published"] = "draft"
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    hold_hours: int | None = None
    meeting_request_quota: int | None = None
    auto_accept_requests: bool | None = None
    requests_close_on: Day | None = Field(None, description="From this day unanswered requests expire")
    b2b_first_slot: time | None = None
    b2b_slot_minutes: int | None = None
    b2b_slot_count: int | None = None
    b2b_tables: int | None = None

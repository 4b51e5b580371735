"""What the API says about a stop."""

from datetime import date, datetime, time

from pydantic import BaseModel

from app.stops.models import StopStatus


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
    start_time: time
    end_time: time
    status: StopStatus
    countries: list[str]
    country_names: dict[str, str]
    capacity: int
    seats_left: int
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    registration_open: bool
    url: str

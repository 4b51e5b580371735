"""What the registration API accepts and answers."""

from datetime import datetime

from pydantic import BaseModel, Field

from app.companies.models import RegistrationStatus


class CompanyIn(BaseModel):
    name: str = Field(max_length=200)
    vat_number: str = Field(max_length=40, description="Partita IVA; the IT prefix is accepted")
    email: str = Field(max_length=254, description="The contact's email address")
    province: str | None = Field(default=None, description="Province code, or null outside Lombardy")
    sector: str | None = Field(default=None, description="Sector slug")


class AttendeeIn(BaseModel):
    name: str = Field(max_length=120)
    role: str = Field(default="", max_length=120)
    email: str = Field(max_length=254)


class RegistrationCreate(BaseModel):
    company: CompanyIn
    attendees: int | list[AttendeeIn] = Field(
        default=1, description="How many people come (1 to the stop's limit), or their names"
    )
    countries: list[str] = Field(default_factory=list, description="Prospect countries of the stop")
    note: str = Field(default="", max_length=2000)


class RegistrationCreated(BaseModel):
    id: int
    status: RegistrationStatus
    waitlist_position: int | None


class RegistrationCancelled(BaseModel):
    status: RegistrationStatus


class RegistrationListItem(BaseModel):
    id: int
    status: RegistrationStatus
    waitlist_position: int | None
    vat_number: str
    company_name: str
    province: str | None
    attendees: int
    countries: list[str]
    created_at: datetime

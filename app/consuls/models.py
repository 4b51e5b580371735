"""Consular representations in Milan, their representatives and invitations to stops."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class ConsulateKind(StrEnum):
    CONSULATE_GENERAL = "consulate_general"
    CONSULATE = "consulate"
    HONORARY_CONSULATE = "honorary_consulate"
    TRADE_OFFICE = "trade_office"


class Consulate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    country_code: str = Field(foreign_key="country.code", max_length=2, index=True)
    kind: ConsulateKind = Field(sa_type=String(30))
    name_it: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    address: str = Field(default="", max_length=300)
    website: str | None = Field(default=None, max_length=200)
    demo_contact: bool = False
    # A representation that closes is kept for the history of its invitations, not deleted.
    active: bool = True


class Representative(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    consulate_id: int = Field(foreign_key="consulate.id", index=True)
    name: str = Field(max_length=120)
    title: str = Field(default="", max_length=120)
    email: str = Field(max_length=254, unique=True)
    languages: list[str] = Field(default_factory=list, sa_type=JSON)
    preferred_language: str = Field(default="en", max_length=2)
    active: bool = True
    # Raised to revoke every invitation and calendar link sent so far (accounts.credentials).
    credential_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Set when the representative was named as a delegate through an invitation.
    delegated_by_id: int | None = Field(default=None, foreign_key="representative.id")


class InvitationStatus(StrEnum):
    INVITED = "invited"
    OPENED = "opened"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    DELEGATED = "delegated"


class Invitation(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("stop_id", "representative_id"),)

    id: int | None = Field(default=None, primary_key=True)
    stop_id: int = Field(foreign_key="stop.id", index=True)
    representative_id: int = Field(foreign_key="representative.id", index=True)
    country_code: str = Field(foreign_key="country.code", max_length=2)
    status: InvitationStatus = Field(default=InvitationStatus.INVITED, sa_type=String(20))
    decline_reason: str = ""
    delegate_invitation_id: int | None = Field(default=None, foreign_key="invitation.id")
    # B2B availability: indexes of the stop's meeting slots, null meaning all of them.
    available_slots: list[int] | None = Field(default=None, sa_type=JSON)
    max_meetings: int | None = None
    topics: str = ""
    sector_interests: list[str] = Field(default_factory=list, sa_type=JSON)
    invited_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_reminder_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attended: bool | None = None
    # The daily digest of new meeting requests and the reminder before requests close.
    request_digest_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    request_reminder_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set when the representative confirmed after the meeting schedule was published.
    confirmed_late_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

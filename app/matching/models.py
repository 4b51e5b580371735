"""Meeting requests of companies to representatives, and the scheduled meetings."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class RequestPriority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


class MeetingRequest(SQLModel, table=True):
    __tablename__ = "meeting_request"
    __table_args__ = (UniqueConstraint("registration_id", "invitation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    stop_id: int = Field(foreign_key="stop.id", index=True)
    registration_id: int = Field(foreign_key="registration.id", index=True)
    invitation_id: int = Field(foreign_key="invitation.id", index=True)
    priority: RequestPriority = Field(default=RequestPriority.MEDIUM, sa_type=String(10))
    goal: str = Field(default="", max_length=500)
    status: RequestStatus = Field(default=RequestStatus.PENDING, sa_type=String(10))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When the representative's daily digest listed it (``consuls.request_mail``).
    digested_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MeetingAttendance(StrEnum):
    """What an organiser saw on the day; a meeting not marked reads as held unless the company
    did not check in (``app.outcomes.attendance``)."""

    HELD = "held"
    COMPANY_ABSENT = "company_absent"
    REPRESENTATIVE_ABSENT = "representative_absent"


class Meeting(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("slot_index >= 0", name="slot_index_not_negative"),
        CheckConstraint("table_number >= 1", name="table_number_positive"),
        UniqueConstraint("stop_id", "slot_index", "table_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    stop_id: int = Field(foreign_key="stop.id", index=True)
    request_id: int = Field(foreign_key="meeting_request.id", unique=True)
    slot_index: int
    table_number: int
    locked: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Moving the meeting sets it: calendar feeds derive the event's SEQUENCE from it.
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Marked by an organiser from the stop's day on; null: not marked (see MeetingAttendance).
    attendance: MeetingAttendance | None = Field(default=None, sa_type=String(30))
    # When each party was asked to rate the meeting, and asked again months later: each once.
    rating_asked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    follow_up_asked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ScheduleRun(SQLModel, table=True):
    """What the scheduler reported the last times it ran for a stop (the newest is shown)."""

    __tablename__ = "schedule_run"

    id: int | None = Field(default=None, primary_key=True)
    stop_id: int = Field(foreign_key="stop.id", index=True)
    objective: int
    upper_bound: int | None = None
    optimal: bool = False
    idle_gaps: int = 0
    seconds: float = 0.0
    meeting_count: int = 0
    # [{"request_id": int, "reason": str}] for every accepted request left out, reasons in English.
    unscheduled: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    created_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PublishedAgenda(SQLModel, table=True):
    """What a participant was last emailed about the stop's schedule, to tell them only of changes.

    ``meetings`` maps a request id (as text) to ``{"start", "end", "table", "with"}`` for a meeting,
    or to ``{"with", "reason"}`` (a msgid) for an accepted request left out of the schedule.
    """

    __tablename__ = "published_agenda"
    __table_args__ = (UniqueConstraint("stop_id", "party", "party_id"),)

    id: int | None = Field(default=None, primary_key=True)
    stop_id: int = Field(foreign_key="stop.id", index=True)
    party: str = Field(max_length=20)  # "company" (a registration id) or "representative" (an invitation id)
    party_id: int
    meetings: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    sent_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

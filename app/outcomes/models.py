"""What each party said about a meeting: right after the stop, and again months later."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Party(StrEnum):
    COMPANY = "company"
    REPRESENTATIVE = "representative"


class RatingStage(StrEnum):
    AFTER_STOP = "after_stop"  # the day after the stop
    FOLLOW_UP = "follow_up"  # about six months later


class Interest(StrEnum):
    """How a meeting that took place went, as its party judged it the day after."""

    NO_INTEREST = "no_interest"
    INFORMATIVE = "informative"
    COOPERATION_POSSIBLE = "cooperation_possible"


class FollowUpOutcome(StrEnum):
    """Where the contact stood months after the meeting."""

    NO_FURTHER_CONTACT = "no_further_contact"
    IN_CONTACT = "in_contact"
    NEGOTIATION_STARTED = "negotiation_started"
    AGREEMENT_REACHED = "agreement_reached"


class MeetingRating(SQLModel, table=True):
    """One party's answer about one meeting at one stage; answering again replaces it."""

    __tablename__ = "meeting_rating"
    __table_args__ = (UniqueConstraint("meeting_id", "party", "stage"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    party: Party = Field(sa_type=String(20))
    stage: RatingStage = Field(sa_type=String(20))
    took_place: bool | None = None  # asked after the stop; the follow-up asks about the outcome
    # Set when the meeting took place: ``interest`` after the stop, ``outcome`` at the follow-up.
    interest: Interest | None = Field(default=None, sa_type=String(30))
    outcome: FollowUpOutcome | None = Field(default=None, sa_type=String(30))
    comment: str = Field(default="", max_length=1000)
    answered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

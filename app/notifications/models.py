"""The outbox: emails written in the transaction that causes them, sent later by the worker."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import LargeBinary, String
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    LOGGED = "logged"  # no SMTP server configured: written to the log, readable at /manage/outbox
    FAILED = "failed"  # gave up after the last retry


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=300)
    body_text: str
    body_html: str = ""
    language: str = Field(default="it", max_length=2)
    template: str = Field(default="", max_length=100)
    status: OutboxStatus = Field(default=OutboxStatus.QUEUED, sa_type=String(10), index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    last_error: str = ""
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OutboxAttachment(SQLModel, table=True):
    """An image the HTML part shows inline through ``cid:`` (a check-in QR code, say).

    Mail clients block ``data:`` images and, until the reader allows them, remote ones; a
    related MIME part is shown at once.
    """

    __tablename__ = "outbox_attachment"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="outbox_message.id", index=True, ondelete="CASCADE")
    content_id: str = Field(max_length=200)
    filename: str = Field(max_length=200)
    content_type: str = Field(default="image/png", max_length=100)
    data: bytes = Field(sa_type=LargeBinary)

"""The programme of a stop's day."""

from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, String
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class AgendaItemKind(StrEnum):
    WELCOME = "welcome"
    KEYNOTE = "keynote"
    COUNTRY_PRESENTATION = "country_presentation"
    PANEL = "panel"
    B2B_BLOCK = "b2b_block"
    NETWORKING_LUNCH = "networking_lunch"
    CLOSING = "closing"


class AgendaItem(SQLModel, table=True):
    __tablename__ = "agenda_item"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: int | None = Field(default=None, primary_key=True)
    stop_id: int = Field(foreign_key="stop.id", index=True)
    kind: AgendaItemKind = Field(sa_type=String(30))
    starts_at: time
    ends_at: time
    title_it: str = Field(max_length=200)
    title_en: str = Field(max_length=200)
    description_it: str = ""
    description_en: str = ""
    room: str = Field(default="", max_length=120)
    # Every change sets it: calendar feeds derive the event's SEQUENCE from it.
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # A deleted item is kept until the organiser leaves it deleted, so "Undo" can restore it.
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AgendaSpeaker(SQLModel, table=True):
    """A speaker of an item: a representative, or a named company speaker or official."""

    __tablename__ = "agenda_speaker"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True, ondelete="CASCADE")
    representative_id: int | None = Field(default=None, foreign_key="representative.id")
    name: str = Field(default="", max_length=120)
    affiliation: str = Field(default="", max_length=200)
    # A named speaker the organiser has not confirmed yet: shown as "to be confirmed". A
    # representative's confirmation comes from their invitation instead.
    to_confirm: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})

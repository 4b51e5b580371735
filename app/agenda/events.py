"""Agenda items and personal meetings as calendar events, for the builder in `app.ics`."""

from datetime import datetime, time

from app import ics
from app.agenda.reading import AgendaEntry
from app.stops.models import Stop, StopStatus
from app.web import localized


def _where(stop: Stop, room: str) -> str:
    place = ics.place(stop)
    return f"{place} – {room}" if room else place


def item_event(stop: Stop, entry: AgendaEntry) -> ics.Event:
    item = entry.item
    speakers = "; ".join(f"{s.name} ({s.affiliation})" if s.affiliation else s.name for s in entry.speakers)
    return ics.Event(
        uid=ics.agenda_item_uid(item.id),
        summary=localized(item, "title"),
        starts=ics.at(stop.stop_date, item.starts_at),
        ends=ics.at(stop.stop_date, item.ends_at),
        changed=ics.last_change(stop.updated_at, item.updated_at),
        location=_where(stop, item.room),
        description="\n".join(part for part in (localized(item, "description"), speakers) if part),
        cancelled=stop.status == StopStatus.CANCELLED,
    )


def meeting_event(
    stop: Stop,
    *,
    request_id: int,
    span: tuple[time, time],
    changed: datetime,
    summary: str,
    room: str,
    description: str = "",
) -> ics.Event:
    """One B2B meeting; its UID names the request, so it is the same in every feed and after a move."""
    return ics.Event(
        uid=ics.meeting_uid(request_id),
        summary=summary,
        starts=ics.at(stop.stop_date, span[0]),
        ends=ics.at(stop.stop_date, span[1]),
        changed=ics.last_change(stop.updated_at, changed),
        location=_where(stop, room),
        description=description,
        cancelled=stop.status == StopStatus.CANCELLED,
    )


def stop_calendar(stop: Stop, entries: list[AgendaEntry]) -> bytes:
    return ics.build(localized(stop, "title"), [item_event(stop, entry) for entry in entries])

"""Calendar feeds (RFC 5545) of a stop's agenda and of a personal agenda, in Europe/Rome time."""

from dataclasses import dataclass
from datetime import date, datetime, time

from fastapi.responses import Response
from icalendar import Calendar, Event

from app import clock
from app.agenda.service import AgendaEntry
from app.clock import ROME
from app.stops.models import Stop
from app.web import localized

PRODID = "-//Confindustria Lombardia//Roadshow//IT"


@dataclass
class CalendarEvent:
    uid: str
    starts_at: time
    ends_at: time
    summary: str
    description: str = ""
    room: str = ""


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=ROME)


def entry_events(entries: list[AgendaEntry]) -> list[CalendarEvent]:
    events = []
    for entry in entries:
        item = entry.item
        speakers = "; ".join(
            f"{s.name} ({s.affiliation})" if s.affiliation else s.name for s in entry.speakers
        )
        description = "\n".join(part for part in (localized(item, "description"), speakers) if part)
        events.append(
            CalendarEvent(
                f"agenda-item-{item.id}@roadshow",
                item.starts_at,
                item.ends_at,
                localized(item, "title"),
                description,
                item.room,
            )
        )
    return events


def build(stop: Stop, name: str, events: list[CalendarEvent]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Rome")
    place = ", ".join(part for part in (stop.venue, stop.venue_address, stop.city) if part)
    stamp = clock.now()
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", _at(stop.stop_date, item.starts_at))
        event.add("dtend", _at(stop.stop_date, item.ends_at))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        event.add("location", f"{place} – {item.room}" if item.room else place)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def stop_calendar(stop: Stop, entries: list[AgendaEntry]) -> bytes:
    return build(stop, localized(stop, "title"), entry_events(entries))


def response(body: bytes, filename: str) -> Response:
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

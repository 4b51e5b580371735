"""The one iCalendar (RFC 5545) builder behind every calendar feed of the roadshow.

Feeds describe their events plainly (`Event`); this module turns them into a calendar that other
programs read right: times in Europe/Rome with the VTIMEZONE they refer to, one UID per thing
(the same in every feed, so subscribing to two feeds never shows a meeting twice), a SEQUENCE
that grows whenever the thing changes, and STATUS:CANCELLED for what was called off.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from fastapi.responses import Response
from icalendar import Calendar
from icalendar import Event as VEvent

from app.clock import ROME
from app.stops.models import Stop, StopStatus
from app.web import localized

PRODID = "-//Confindustria Lombardia//Roadshow//IT"
UID_DOMAIN = "roadshow.confindustria.lombardia"
# SEQUENCE counts seconds from here to the thing's last change: it only ever grows.
SEQUENCE_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def stop_uid(stop_id: int | None) -> str:
    return f"stop-{stop_id}@{UID_DOMAIN}"


def agenda_item_uid(item_id: int | None) -> str:
    return f"agenda-item-{item_id}@{UID_DOMAIN}"


def meeting_uid(request_id: int | None) -> str:
    """A meeting is the company's request to meet a representative: moving it keeps its UID."""
    return f"meeting-{request_id}@{UID_DOMAIN}"


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    starts: datetime  # aware, Europe/Rome
    ends: datetime
    changed: datetime  # when the thing last changed: DTSTAMP, LAST-MODIFIED and SEQUENCE
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False


def at(day: date, moment: time) -> datetime:
    """A stop's local time as an aware Europe/Rome datetime."""
    return datetime.combine(day, moment, tzinfo=ROME)


def place(stop: Stop) -> str:
    return ", ".join(part for part in (stop.venue, stop.venue_address, stop.city) if part)


def last_change(*moments: datetime) -> datetime:
    """The latest of the moments (an event changes when the stop or the thing itself does)."""
    return max(_utc(moment) for moment in moments)


def sequence(changed: datetime) -> int:
    return max(int((_utc(changed) - SEQUENCE_EPOCH).total_seconds()), 0)


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for some columns; they are UTC.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).replace(microsecond=0)


def stop_event(stop: Stop, *, url: str = "") -> Event:
    """The stop's day as one event; a cancelled stop stays in the feed, marked as cancelled."""
    return Event(
        uid=stop_uid(stop.id),
        summary=localized(stop, "title"),
        starts=at(stop.stop_date, stop.start_time),
        ends=at(stop.stop_date, stop.end_time),
        changed=stop.updated_at,
        location=place(stop),
        description=localized(stop, "description"),
        url=url,
        cancelled=stop.status == StopStatus.CANCELLED,
    )


def build(name: str, events: Iterable[Event]) -> bytes:
    """The calendar named ``name`` with ``events``, VTIMEZONE included."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Rome")
    for item in events:
        event = VEvent()
        event.add("uid", item.uid)
        event.add("dtstamp", _utc(item.changed))
        event.add("last-modified", _utc(item.changed))
        event.add("sequence", sequence(item.changed))
        event.add("dtstart", item.starts.astimezone(ROME))
        event.add("dtend", item.ends.astimezone(ROME))
        event.add("summary", item.summary)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def response(body: bytes, filename: str, *, inline: bool = False) -> Response:
    """A ``text/calendar`` answer: a download, or ``inline`` for a feed calendar apps poll."""
    disposition = "inline" if inline else "attachment"
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )

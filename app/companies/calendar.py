"""A registration as a calendar event (.ics), for the company's own calendar."""

from datetime import datetime

from icalendar import Calendar, Event

from app import clock
from app.companies.models import Registration
from app.stops.models import Stop
from app.web import localized


def registration_event(registration: Registration, stop: Stop, *, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Confindustria Lombardia//Roadshow//IT")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"registration-{registration.id}@roadshow")
    event.add("dtstamp", clock.now())
    event.add("dtstart", datetime.combine(stop.stop_date, stop.start_time, tzinfo=clock.ROME))
    event.add("dtend", datetime.combine(stop.stop_date, stop.end_time, tzinfo=clock.ROME))
    event.add("summary", localized(stop, "title"))
    event.add("location", ", ".join(p for p in (stop.venue, stop.venue_address, stop.city) if p))
    event.add("url", f"{base_url.rstrip('/')}/stops/{stop.id}")
    event.add("description", localized(stop, "description"))
    calendar.add_component(event)
    return bytes(calendar.to_ical())

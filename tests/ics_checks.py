"""What every calendar feed must satisfy to be read right by other programs (RFC 5545)."""

from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

REQUIRED = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "STATUS")


def strict_calendar(body: bytes) -> Calendar:
    """The parsed feed, after a strict parser accepted it and every TZID has its VTIMEZONE."""
    IcsCalendarStream.calendar_from_ics(body.decode())  # raises on anything RFC 5545 forbids
    calendar = Calendar.from_ical(body)
    zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    events = calendar.walk("VEVENT")
    uids = [str(event["UID"]) for event in events]
    assert len(uids) == len(set(uids)), f"a UID is used twice: {uids}"
    for event in events:
        missing = [name for name in REQUIRED if name not in event]
        assert not missing, f"{event.get('UID')} lacks {missing}"
        assert str(event["UID"]).endswith("@roadshow.confindustria.lombardia")
        for name in ("DTSTART", "DTEND"):
            zone = event[name].params.get("TZID")
            assert zone is None or zone in zones, f"{name} uses TZID={zone} without its VTIMEZONE"
    return calendar


def events_by_uid(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}

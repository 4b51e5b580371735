"""Publishing the schedule: each participant's meetings, by email, on their page and as .ics."""

from dataclasses import dataclass
from datetime import datetime, time

from icalendar import Calendar, Event
from sqlmodel import Session

from app import clock
from app.clock import ROME
from app.companies.models import Company
from app.consuls.models import Representative
from app.errors import Conflict
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching import data as stop_data
from app.matching.data import StopData, slot_end, slot_times
from app.matching.models import MeetingRequest
from app.notifications.service import queue_email
from app.reference.models import Country
from app.stops.models import PublicationStatus, Stop
from app.web import localized


@dataclass
class AgendaEntry:
    """One meeting as a participant sees it."""

    meeting_id: int
    starts: time
    ends: time
    table: int
    company: Company
    representative: Representative
    country: Country
    request: MeetingRequest


def entries(
    info: StopData, *, registration_id: int | None = None, invitation_id: int | None = None
) -> list[AgendaEntry]:
    """The stored meetings of one company or one representative (or all), in time order."""
    times = slot_times(info.stop)
    result = []
    for q in info.requests:
        meeting = info.meetings.get(q.id or 0)
        if meeting is None or meeting.slot_index >= len(times):
            continue
        if registration_id is not None and q.registration_id != registration_id:
            continue
        if invitation_id is not None and q.invitation_id != invitation_id:
            continue
        invitation = info.invitations[q.invitation_id]
        starts = times[meeting.slot_index]
        result.append(
            AgendaEntry(
                meeting_id=meeting.id or 0,
                starts=starts,
                ends=slot_end(info.stop, starts),
                table=meeting.table_number,
                company=info.company_of(q),
                representative=info.representative_of(invitation),
                country=info.countries[invitation.country_code],
                request=q,
            )
        )
    return sorted(result, key=lambda entry: (entry.starts, entry.table))


def published_entries(
    info: StopData, *, registration_id: int | None = None, invitation_id: int | None = None
) -> list[AgendaEntry]:
    """What participants see: nothing until the schedule is published."""
    if info.stop.schedule_status != PublicationStatus.PUBLISHED:
        return []
    return entries(info, registration_id=registration_id, invitation_id=invitation_id)


def publish(stop: Stop, *, base_url: str, db_session: Session) -> int:
    """Publish the draft schedule and queue each participant's meetings; the number of emails."""
    if stop.schedule_status == PublicationStatus.PUBLISHED:
        raise Conflict(lazy("The schedule is already published."))
    info = stop_data.load(stop, db_session=db_session)
    if stop.schedule_status == PublicationStatus.NONE or not info.meetings:
        raise Conflict(lazy("Run the scheduler (or place meetings by hand) before publishing."))
    stop.schedule_status = PublicationStatus.PUBLISHED
    db_session.add(stop)
    schedulable = [q for q in info.requests if info.schedulable(q)]
    queued = 0
    for registration_id in sorted({q.registration_id for q in schedulable}):
        company = info.companies[info.registrations[registration_id].company_id]
        queue_email(
            db_session=db_session,
            to=company.contact_email,
            template="matching/emails/schedule_company",
            context={
                "stop": stop,
                "name": company.contact_name or company.name,
                "entries": entries(info, registration_id=registration_id),
                "link": f"{base_url}/my/stops/{stop.id}/meetings",
            },
            language=company.language,
        )
        queued += 1
    for invitation_id in sorted({q.invitation_id for q in schedulable}):
        invitation = info.invitations[invitation_id]
        representative = info.representative_of(invitation)
        queue_email(
            db_session=db_session,
            to=representative.email,
            template="matching/emails/schedule_representative",
            context={
                "stop": stop,
                "name": representative.name,
                "entries": entries(info, invitation_id=invitation_id),
                "link": f"{base_url}/consul/stops/{stop.id}/requests",
            },
            language=representative.preferred_language,
        )
        queued += 1
    db_session.flush()
    return queued


def calendar(stop: Stop, agenda: list[AgendaEntry], *, for_company: bool) -> bytes:
    """An iCalendar feed of one participant's meetings, in Rome's time."""
    feed = Calendar()
    feed.add("prodid", "-//Confindustria Lombardia//Roadshow//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", _("B2B meetings") + f" · {stop.city}")
    location = ", ".join(part for part in (stop.venue, stop.venue_address, stop.city) if part)
    for entry in agenda:
        event = Event()
        event.add("uid", f"meeting-{entry.meeting_id}-{entry.request.id}@roadshow")
        event.add("dtstamp", clock.now().replace(microsecond=0))
        event.add("dtstart", datetime.combine(stop.stop_date, entry.starts, tzinfo=ROME))
        event.add("dtend", datetime.combine(stop.stop_date, entry.ends, tzinfo=ROME))
        if for_company:
            summary = _("Meeting with %(name)s (%(country)s)") % {
                "name": entry.representative.name,
                "country": localized(entry.country, "name"),
            }
        else:
            summary = _("Meeting with %(name)s") % {"name": entry.company.name}
        event.add("summary", summary)
        event.add("location", f"{location} · " + _("table %d") % entry.table)
        feed.add_component(event)
    feed.add_missing_timezones()
    return bytes(feed.to_ical())

"""Publishing the schedule: each participant's meetings, by email, on their page and as .ics."""

from dataclasses import dataclass
from datetime import datetime, time

from sqlmodel import Session

from app import ics
from app.agenda.events import meeting_event
from app.companies.models import Company
from app.consuls.models import Representative
from app.errors import Conflict
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching import data as stop_data
from app.matching.data import StopData
from app.matching.models import MeetingRequest
from app.notifications.service import queue_email
from app.reference.models import Country
from app.stops.models import PublicationStatus, Stop
from app.stops.slots import slot_span, slot_times
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
    changed: datetime  # when the meeting last moved


def entries(
    info: StopData, *, registration_id: int | None = None, invitation_id: int | None = None
) -> list[AgendaEntry]:
    """The stored meetings of one company or one representative (or all), in time order."""
    slot_count = len(slot_times(info.stop))
    result = []
    for q in info.requests:
        meeting = info.meetings.get(q.id or 0)
        if meeting is None or meeting.slot_index >= slot_count:
            continue
        if registration_id is not None and q.registration_id != registration_id:
            continue
        if invitation_id is not None and q.invitation_id != invitation_id:
            continue
        invitation = info.invitations[q.invitation_id]
        starts, ends = slot_span(info.stop, meeting.slot_index)
        result.append(
            AgendaEntry(
                meeting_id=meeting.id or 0,
                starts=starts,
                ends=ends,
                table=meeting.table_number,
                company=info.company_of(q),
                representative=info.representative_of(invitation),
                country=info.countries[invitation.country_code],
                request=q,
                changed=meeting.updated_at,
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
    events = []
    for entry in agenda:
        if for_company:
            summary = _("Meeting with %(name)s (%(country)s)") % {
                "name": entry.representative.name,
                "country": localized(entry.country, "name"),
            }
        else:
            summary = _("Meeting with %(name)s") % {"name": entry.company.name}
        events.append(
            meeting_event(
                stop,
                request_id=entry.request.id or 0,
                span=(entry.starts, entry.ends),
                changed=entry.changed,
                summary=summary,
                room=_("table %d") % entry.table,
            )
        )
    return ics.build(_("B2B meetings") + f" · {stop.city}", events)

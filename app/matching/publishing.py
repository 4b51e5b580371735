"""Publishing the schedule: each participant's meetings, by email, on their page and as .ics."""

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlmodel import Session, select

from app import ics
from app.agenda.events import meeting_event
from app.companies.models import Company
from app.consuls.models import Representative
from app.errors import Conflict
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching import agenda_changes
from app.matching import data as stop_data
from app.matching.data import StopData
from app.matching.models import MeetingRequest, PublishedAgenda
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


@dataclass
class Preview:
    """Who publishing now would email: only those whose meetings changed since they were told."""

    companies: list[str]
    representatives: list[str]
    notices: list[agenda_changes.Notice]
    republishing: bool


def _check(stop: Stop, info: StopData) -> None:
    if stop.schedule_status == PublicationStatus.PUBLISHED:
        raise Conflict(lazy("The schedule is already published."))
    if stop.schedule_status == PublicationStatus.NONE or not info.meetings:
        raise Conflict(lazy("Run the scheduler (or place meetings by hand) before publishing."))


def preview(stop: Stop, *, db_session: Session) -> Preview:
    info = stop_data.load(stop, db_session=db_session)
    _check(stop, info)
    return _preview(info, db_session=db_session)


def _preview(info: StopData, *, db_session: Session) -> Preview:
    notices = agenda_changes.notices(info, db_session=db_session)
    companies = [
        info.companies[info.registrations[n.party_id].company_id].name
        for n in notices
        if n.party == agenda_changes.COMPANY
    ]
    representatives = [
        info.representative_of(info.invitations[n.party_id]).name
        for n in notices
        if n.party == agenda_changes.REPRESENTATIVE
    ]
    republishing = any(not n.first for n in notices) or bool(
        db_session.exec(select(PublishedAgenda.id).where(PublishedAgenda.stop_id == info.stop.id)).first()
    )
    return Preview(sorted(companies), sorted(representatives), notices, republishing)


def publish(stop: Stop, *, base_url: str, db_session: Session) -> int:
    """Publish the draft schedule and email each participant whose meetings changed since they
    were last told (everyone with meetings, the first time); the number of emails."""
    info = stop_data.load(stop, db_session=db_session)
    _check(stop, info)
    plan = _preview(info, db_session=db_session)
    stop.schedule_status = PublicationStatus.PUBLISHED
    db_session.add(stop)
    for notice in plan.notices:
        context: dict[str, Any] = {
            "stop": stop,
            "first": notice.first,
            "changes": notice.changes,
            "countries": info.countries,
        }
        if notice.party == agenda_changes.COMPANY:
            company = info.companies[info.registrations[notice.party_id].company_id]
            own = [q for q in info.requests if q.registration_id == notice.party_id]
            queue_email(
                db_session=db_session,
                to=company.contact_email,
                template="matching/emails/schedule_company",
                context={
                    **context,
                    "name": company.contact_name or company.name,
                    "entries": entries(info, registration_id=notice.party_id),
                    "left_out": _left_out(info, own, for_company=True),
                    "link": f"{base_url}/my/stops/{stop.id}/meetings",
                },
                language=company.language,
            )
        else:
            invitation = info.invitations[notice.party_id]
            representative = info.representative_of(invitation)
            own = [q for q in info.requests if q.invitation_id == notice.party_id]
            queue_email(
                db_session=db_session,
                to=representative.email,
                template="matching/emails/schedule_representative",
                context={
                    **context,
                    "name": representative.name,
                    "entries": entries(info, invitation_id=notice.party_id),
                    "left_out": _left_out(info, own, for_company=False),
                    "link": f"{base_url}/consul/stops/{stop.id}/requests",
                },
                language=representative.preferred_language,
            )
        agenda_changes.remember(info, notice, db_session=db_session)
    db_session.flush()
    return len(plan.notices)


def _left_out(
    info: StopData, requests: list[MeetingRequest], *, for_company: bool
) -> list[tuple[str, str, str]]:
    """(name, country code, reason msgid) of each accepted request without a meeting."""
    snapshot = agenda_changes.snapshot(info, requests, for_company=for_company)
    return [(item["with"], item["country"], item["reason"]) for item in snapshot.values() if "reason" in item]


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

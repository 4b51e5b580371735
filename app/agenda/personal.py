"""Personal agendas: the stop's published programme merged with one party's own meetings.

A company sees its confirmed registration's meetings, a representative theirs; only what is
published shows (the agenda once published, the meetings once the schedule is published).
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app import ics
from app.agenda.events import item_event, meeting_event
from app.agenda.reading import GONE, AgendaEntry, public_entries
from app.companies.models import Attendee, Company, Registration, RegistrationStatus
from app.consuls.models import Consulate, Invitation, Representative
from app.errors import NotFound
from app.freshness.service import Copies
from app.i18n import current_language, lazy
from app.i18n import gettext as _
from app.matching.models import Meeting, MeetingRequest
from app.reference.models import Country
from app.stops import service as stops_service
from app.stops.models import PublicationStatus, Stop
from app.stops.service import StopView
from app.stops.slots import slot_span
from app.web import localized

# The statements of every personal agenda, built once (building one costs about a tenth of a
# millisecond of the few a page takes); the values are bound at each request.

# A company's confirmed registration with its attendees, in one statement.
_REGISTRATION = (
    select(Registration, Attendee)
    .outerjoin(Attendee, col(Attendee.registration_id) == col(Registration.id))
    .where(Registration.stop_id == bindparam("stop_id"))
    .where(Registration.company_id == bindparam("company_id"))
    .where(Registration.status == RegistrationStatus.CONFIRMED)
    .order_by(col(Registration.id), col(Attendee.id))
)
_COMPANY_MEETINGS = (
    select(Meeting, Representative, Consulate, Country)
    .join(MeetingRequest, col(MeetingRequest.id) == Meeting.request_id)
    .join(Invitation, col(Invitation.id) == MeetingRequest.invitation_id)
    .join(Representative, col(Representative.id) == Invitation.representative_id)
    .join(Consulate, col(Consulate.id) == Representative.consulate_id)
    .join(Country, col(Country.code) == Invitation.country_code)
    .where(MeetingRequest.registration_id == bindparam("registration_id"))
    .order_by(col(Meeting.slot_index))
)
_INVITATION = (
    select(Invitation)
    .where(Invitation.stop_id == bindparam("stop_id"))
    .where(Invitation.representative_id == bindparam("representative_id"))
    .where(col(Invitation.status).not_in(GONE))
)
# A consul's meetings with the name and website of each company, all their day shows of it.
_CONSUL_MEETINGS = (
    select(Meeting, Company.name, Company.website)
    .join(MeetingRequest, col(MeetingRequest.id) == Meeting.request_id)
    .join(Registration, col(Registration.id) == MeetingRequest.registration_id)
    .join(Company, col(Company.id) == Registration.company_id)
    .where(MeetingRequest.invitation_id == bindparam("invitation_id"))
    .order_by(col(Meeting.slot_index))
)


@dataclass
class MeetingView:
    meeting: Meeting
    starts_at: time
    ends_at: time
    counterpart: str
    detail: str


@dataclass
class Line:
    """One line of a personal agenda: a programme item or one of the person's meetings."""

    starts_at: time
    ends_at: time
    entry: AgendaEntry | None = None
    meeting: MeetingView | None = None
    speaking: bool = False


@dataclass
class PersonalAgenda:
    view: StopView
    agenda_published: bool
    schedule_published: bool
    lines: list[Line] = field(default_factory=list)
    attendees: list[Attendee] = field(default_factory=list)

    @property
    def stop(self) -> Stop:
        return self.view.stop

    @property
    def meetings(self) -> list[MeetingView]:
        return [line.meeting for line in self.lines if line.meeting]

    def events(self) -> list[ics.Event]:
        events = []
        for line in self.lines:
            if line.entry is not None:
                events.append(item_event(self.stop, line.entry))
            elif line.meeting is not None:
                meeting = line.meeting
                events.append(
                    meeting_event(
                        self.stop,
                        request_id=meeting.meeting.request_id,
                        span=(meeting.starts_at, meeting.ends_at),
                        changed=meeting.meeting.updated_at,
                        summary=_("B2B meeting: %s") % meeting.counterpart,
                        room=_("Table %d") % meeting.meeting.table_number,
                        description=meeting.detail,
                    )
                )
        return events


def _merge(
    entries: list[AgendaEntry], meetings: list[MeetingView], speaker_id: int | None = None
) -> list[Line]:
    lines = [
        Line(
            e.item.starts_at,
            e.item.ends_at,
            entry=e,
            speaking=speaker_id is not None and any(s.representative_id == speaker_id for s in e.speakers),
        )
        for e in entries
    ]
    lines += [Line(m.starts_at, m.ends_at, meeting=m) for m in meetings]
    # Meetings sort after the B2B block that holds them, programme items before meetings.
    return sorted(lines, key=lambda line: (line.starts_at, line.meeting is not None, line.ends_at))


def _start(
    stop_id: int, *, db_session: Session, copies: Copies | None
) -> tuple[StopView, list[AgendaEntry], bool]:
    """The stop and its published programme: the same for every party, so kept in ``copies``
    until the public data changes (then detached from this session, which may roll back)."""

    def build() -> tuple[tuple[StopView, list[AgendaEntry]], datetime]:
        view, changes_at = stops_service.get_public_until(stop_id, db_session=db_session)
        entries = public_entries(view.stop, db_session=db_session)
        if copies is not None:
            for row in (view.stop, *(entry.item for entry in entries)):
                db_session.expunge(row)
        return (view, entries), changes_at

    if copies is None:
        (view, entries), _ = build()
    else:
        view, entries = copies.kept(("agenda", stop_id, current_language()), build, db_session=db_session)
    return view, entries, view.stop.schedule_status == PublicationStatus.PUBLISHED


def company_agenda(
    stop_id: int, company_id: int, *, db_session: Session, copies: Copies | None = None
) -> PersonalAgenda:
    view, entries, schedule_published = _start(stop_id, db_session=db_session, copies=copies)
    found = db_session.exec(_REGISTRATION, params={"stop_id": stop_id, "company_id": company_id}).all()
    registration = found[0][0] if found else None
    attendees = [attendee for row, attendee in found if row is registration and attendee is not None]
    if registration is None:
        raise NotFound(lazy("Your company has no confirmed registration for this stop."))
    meetings = []
    if schedule_published:
        rows = db_session.exec(_COMPANY_MEETINGS, params={"registration_id": registration.id})
        for meeting, rep, consulate, country in rows:
            start, end = slot_span(view.stop, meeting.slot_index)
            counterpart = f"{rep.name} ({localized(country, 'name')})"
            meetings.append(MeetingView(meeting, start, end, counterpart, localized(consulate, "name")))
    return PersonalAgenda(
        view,
        view.stop.agenda_status == PublicationStatus.PUBLISHED,
        schedule_published,
        _merge(entries, meetings),
        attendees,
    )


def consul_agenda(
    stop_id: int, representative_id: int, *, db_session: Session, copies: Copies | None = None
) -> PersonalAgenda:
    view, entries, schedule_published = _start(stop_id, db_session=db_session, copies=copies)
    invitation = db_session.exec(
        _INVITATION, params={"stop_id": stop_id, "representative_id": representative_id}
    ).first()
    if invitation is None:
        raise NotFound(lazy("You are not invited to this stop."))
    meetings = []
    if schedule_published:
        rows = db_session.exec(_CONSUL_MEETINGS, params={"invitation_id": invitation.id})
        for meeting, company_name, website in rows:
            start, end = slot_span(view.stop, meeting.slot_index)
            meetings.append(MeetingView(meeting, start, end, company_name, website or ""))
    return PersonalAgenda(
        view,
        view.stop.agenda_status == PublicationStatus.PUBLISHED,
        schedule_published,
        _merge(entries, meetings, speaker_id=representative_id),
    )

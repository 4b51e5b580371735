"""What a representative sees: their stops, their day at a stop, and their calendar feed."""

from dataclasses import dataclass, field
from datetime import datetime, time

from sqlmodel import Session, col, or_, select

from app import clock, ics
from app.accounts.models import User
from app.agenda.events import item_event, meeting_event
from app.agenda.models import AgendaItem, AgendaSpeaker
from app.agenda.reading import AgendaEntry
from app.companies.models import Company, Registration
from app.config import Settings
from app.consuls import links
from app.consuls import service as consuls_service
from app.consuls.invitations import WITHDRAWN_LINK
from app.consuls.models import Consulate, Invitation, InvitationStatus, Representative
from app.errors import Forbidden, NotFound
from app.i18n import lazy
from app.matching.models import Meeting, MeetingRequest
from app.stops import service as stops_service
from app.stops.models import PublicationStatus, Stop, StopCountry, StopStatus
from app.stops.service import StopView
from app.stops.slots import slot_span, slot_times

INVALID_FEED = lazy("This calendar link is not valid.")
WITHDRAWN_FEED = lazy("This calendar link has been withdrawn by the organisers and no longer works.")


def representative_of(user: User, *, db_session: Session) -> Representative:
    if user.representative_id is None:
        raise Forbidden(lazy("This account is not linked to a consular representative."))
    person = consuls_service.get_representative(user.representative_id, db_session=db_session)
    # Deactivating closes the account too; this guards accounts of anyone set inactive by hand.
    if not person.active:
        raise Forbidden(WITHDRAWN_LINK)
    return person


def _country_of(person: Representative, *, db_session: Session) -> str:
    return consuls_service.get(person.consulate_id, db_session=db_session).country_code


@dataclass
class StopLine:
    view: StopView
    invitation: Invitation | None


def upcoming_stops(person: Representative, *, db_session: Session) -> list[StopLine]:
    """Upcoming stops featuring the representative's country, or to which they are invited."""
    country = _country_of(person, db_session=db_session)
    theirs = {
        i.stop_id: i
        for i in db_session.exec(select(Invitation).where(Invitation.representative_id == person.id))
    }
    featuring = select(StopCountry.stop_id).where(StopCountry.country_code == country)
    stops = db_session.exec(
        select(Stop)
        .where(col(Stop.stop_date) >= clock.today())
        .where(or_(col(Stop.id).in_(featuring), col(Stop.id).in_(list(theirs))))
        .where(or_(Stop.status != StopStatus.DRAFT, col(Stop.id).in_(list(theirs))))
        .order_by(col(Stop.stop_date), col(Stop.id))
    ).all()
    views = stops_service._views(list(stops), db_session=db_session)
    return [StopLine(view, theirs.get(view.stop.id or 0)) for view in views]


@dataclass
class MeetingLine:
    starts_at: time
    ends_at: time
    table: int
    company: str
    request_id: int = 0
    changed: datetime = field(default_factory=clock.now)


@dataclass
class ConsulAgenda:
    view: StopView
    invitation: Invitation | None
    presentations: list[AgendaItem] = field(default_factory=list)
    meetings: list[MeetingLine] = field(default_factory=list)

    @property
    def schedule_published(self) -> bool:
        return self.view.stop.schedule_status == PublicationStatus.PUBLISHED


def agenda(person: Representative, stop_id: int, *, db_session: Session) -> ConsulAgenda:
    stop = db_session.get(Stop, stop_id)
    invitation = db_session.exec(
        select(Invitation).where(Invitation.stop_id == stop_id, Invitation.representative_id == person.id)
    ).first()
    featured = db_session.exec(
        select(StopCountry).where(
            StopCountry.stop_id == stop_id,
            StopCountry.country_code == _country_of(person, db_session=db_session),
        )
    ).first()
    if stop is None or (invitation is None and (featured is None or stop.status == StopStatus.DRAFT)):
        raise NotFound(lazy("This stop does not exist or does not feature your country."))
    view = stops_service._views([stop], db_session=db_session)[0]
    result = ConsulAgenda(view, invitation)
    result.presentations = list(
        db_session.exec(
            select(AgendaItem)
            .join(AgendaSpeaker, col(AgendaSpeaker.item_id) == col(AgendaItem.id))
            .where(AgendaItem.stop_id == stop_id, AgendaSpeaker.representative_id == person.id)
            .order_by(col(AgendaItem.starts_at))
        ).all()
    )
    if invitation is not None and result.schedule_published:
        result.meetings = meetings_of(invitation, stop, db_session=db_session)
    return result


def meetings_of(invitation: Invitation, stop: Stop, *, db_session: Session) -> list[MeetingLine]:
    slot_count = len(slot_times(stop))
    rows = db_session.exec(
        select(Meeting, Company)
        .join(MeetingRequest, col(MeetingRequest.id) == col(Meeting.request_id))
        .join(Registration, col(Registration.id) == col(MeetingRequest.registration_id))
        .join(Company, col(Company.id) == col(Registration.company_id))
        .where(MeetingRequest.invitation_id == invitation.id, Meeting.stop_id == stop.id)
        .order_by(col(Meeting.slot_index))
    ).all()
    lines = []
    for meeting, company in rows:
        if meeting.slot_index >= slot_count:
            continue
        start, end = slot_span(stop, meeting.slot_index)
        lines.append(
            MeetingLine(
                start, end, meeting.table_number, company.name, meeting.request_id, meeting.updated_at
            )
        )
    return lines


def calendar_feed(person: Representative, *, db_session: Session) -> bytes:
    """An iCalendar feed of the representative's confirmed stops, presentations and meetings.

    A stop cancelled after they confirmed stays in the feed, marked as cancelled, so that their
    calendar application drops it rather than keep a day that no longer happens.
    """
    confirmed = db_session.exec(
        select(Invitation, Stop)
        .join(Stop, col(Stop.id) == col(Invitation.stop_id))
        .where(Invitation.representative_id == person.id, Invitation.status == InvitationStatus.CONFIRMED)
        .order_by(col(Stop.stop_date))
    ).all()
    feed: list[ics.Event] = []
    for _invitation, stop in confirmed:
        feed.append(ics.stop_event(stop))
        details = agenda(person, stop.id or 0, db_session=db_session)
        feed += [item_event(stop, AgendaEntry(item, [])) for item in details.presentations]
        for meeting in details.meetings:
            feed.append(
                meeting_event(
                    stop,
                    request_id=meeting.request_id,
                    span=(meeting.starts_at, meeting.ends_at),
                    changed=meeting.changed,
                    summary=f"B2B: {meeting.company} (#{meeting.table})",
                    room="",
                )
            )
    return ics.build("Roadshow – " + person.name, feed)


def feed_owner(token: str, *, db_session: Session, settings: Settings) -> Representative:
    """The representative of a calendar link; a forged link is not found, a revoked one refused."""
    claim = links.feed_claim(token, settings)
    person = db_session.get(Representative, claim.subject_id) if claim is not None else None
    if claim is None or person is None:
        raise NotFound(INVALID_FEED)
    if not person.active or not claim.is_current_for(person):
        raise Forbidden(WITHDRAWN_FEED)
    return person


def consulate_of(person: Representative, *, db_session: Session) -> Consulate:
    return consuls_service.get(person.consulate_id, db_session=db_session)

"""What a representative sees: their stops, their day at a stop, and their calendar feed."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from icalendar import Calendar, Event
from sqlmodel import Session, col, or_, select

from app import clock
from app.accounts.models import User
from app.agenda.models import AgendaItem, AgendaSpeaker
from app.companies.models import Company, Registration
from app.config import Settings
from app.consuls import links
from app.consuls import service as consuls_service
from app.consuls.invitations import WITHDRAWN_LINK, slot_times
from app.consuls.models import Consulate, Invitation, InvitationStatus, Representative
from app.errors import Forbidden, NotFound
from app.i18n import lazy
from app.matching.models import Meeting, MeetingRequest
from app.stops import service as stops_service
from app.stops.models import PublicationStatus, Stop, StopCountry, StopStatus
from app.stops.service import StopView
from app.web import localized

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
    times = slot_times(stop)
    rows = db_session.exec(
        select(Meeting, Company)
        .join(MeetingRequest, col(MeetingRequest.id) == col(Meeting.request_id))
        .join(Registration, col(Registration.id) == col(MeetingRequest.registration_id))
        .join(Company, col(Company.id) == col(Registration.company_id))
        .where(MeetingRequest.invitation_id == invitation.id, Meeting.stop_id == stop.id)
        .order_by(col(Meeting.slot_index))
    ).all()
    step = timedelta(minutes=stop.b2b_slot_minutes)
    lines = []
    for meeting, company in rows:
        if meeting.slot_index >= len(times):
            continue
        start = times[meeting.slot_index]
        end = (datetime.combine(date(2000, 1, 1), start) + step).time()
        lines.append(MeetingLine(start, end, meeting.table_number, company.name))
    return lines


def calendar_feed(person: Representative, *, db_session: Session) -> bytes:
    """An iCalendar feed of the representative's confirmed stops, presentations and meetings."""
    feed = Calendar()
    feed.add("prodid", "-//Confindustria Lombardia//Roadshow//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", "Roadshow – " + person.name)
    confirmed = db_session.exec(
        select(Invitation, Stop)
        .join(Stop, col(Stop.id) == col(Invitation.stop_id))
        .where(Invitation.representative_id == person.id, Invitation.status == InvitationStatus.CONFIRMED)
        .where(Stop.status != StopStatus.CANCELLED)
        .order_by(col(Stop.stop_date))
    ).all()
    stamp = clock.now()
    for invitation, stop in confirmed:
        place = ", ".join(part for part in (stop.venue, stop.venue_address, stop.city) if part)
        span = (stop.start_time, stop.end_time)
        title = localized(stop, "title")
        _event(feed, stop, span, f"stop-{stop.id}-rep-{person.id}", title, place=place, stamp=stamp)
        details = agenda(person, stop.id or 0, db_session=db_session)
        for item in details.presentations:
            span, title = (item.starts_at, item.ends_at), localized(item, "title")
            _event(feed, stop, span, f"item-{item.id}-rep-{person.id}", title, place=place, stamp=stamp)
        for meeting in details.meetings:
            span, title = (meeting.starts_at, meeting.ends_at), f"B2B: {meeting.company} (#{meeting.table})"
            uid = f"meeting-{stop.id}-{invitation.id}-{meeting.starts_at:%H%M}"
            _event(feed, stop, span, uid, title, place=place, stamp=stamp)
    return bytes(feed.to_ical())


def _event(
    feed: Calendar,
    stop: Stop,
    span: tuple[time, time],
    uid: str,
    summary: str,
    *,
    place: str,
    stamp: datetime,
) -> None:
    event = Event()
    event.add("uid", f"{uid}@roadshow.confindustria.lombardia")
    event.add("summary", summary)
    event.add("dtstart", datetime.combine(stop.stop_date, span[0], tzinfo=clock.ROME))
    event.add("dtend", datetime.combine(stop.stop_date, span[1], tzinfo=clock.ROME))
    event.add("dtstamp", stamp)
    event.add("location", place)
    feed.add_component(event)


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

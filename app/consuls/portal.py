"""What a representative sees: their stops, their day at a stop, and their calendar feed."""

from dataclasses import dataclass, field
from datetime import datetime, time

from sqlmodel import Session, and_, col, or_, select

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

CONSULATES = "roadshow.consulates"
INVALID_FEED = lazy("This calendar link is not valid.")
WITHDRAWN_FEED = lazy("This calendar link has been withdrawn by the organisers and no longer works.")


def representative_of(user: User, *, db_session: Session) -> Representative:
    return _visit(user, None, db_session=db_session)[0]


def _visit(
    user: User, stop_id: int | None, *, db_session: Session
) -> tuple[Representative, Invitation | None]:
    """The user's representative (its consulate loaded with it) and their invitation to a stop."""
    if user.representative_id is None:
        raise Forbidden(lazy("This account is not linked to a consular representative."))
    query = (
        select(Representative, Consulate, Invitation)
        .join(Consulate, col(Consulate.id) == col(Representative.consulate_id))
        .outerjoin(
            Invitation,
            and_(
                col(Invitation.representative_id) == col(Representative.id),
                col(Invitation.stop_id) == (stop_id if stop_id is not None else -1),
            ),
        )
        .where(Representative.id == user.representative_id)
    )
    row = db_session.exec(query).first()
    if row is None:
        raise NotFound(lazy("This representative does not exist."))
    person, consulate, invitation = row
    # Kept for ``_country_of`` and ``consulate_of`` (the identity map holds rows only weakly).
    db_session.info.setdefault(CONSULATES, {})[consulate.id] = consulate
    # Deactivating closes the account too; this guards accounts of anyone set inactive by hand.
    if not person.active:
        raise Forbidden(WITHDRAWN_LINK)
    return person, invitation


def _country_of(person: Representative, *, db_session: Session) -> str:
    return consulate_of(person, db_session=db_session).country_code


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
    query = (
        select(Stop)
        .where(col(Stop.stop_date) >= clock.today())
        .where(or_(col(Stop.id).in_(featuring), col(Stop.id).in_(list(theirs))))
        .where(or_(Stop.status != StopStatus.DRAFT, col(Stop.id).in_(list(theirs))))
        .order_by(col(Stop.stop_date), col(Stop.id))
    )
    views = stops_service.counted_views(query, db_session=db_session)
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


def agenda(user: User, stop_id: int, *, db_session: Session) -> tuple[Representative, ConsulAgenda]:
    """The representative's day at a stop, in a fixed number of queries."""
    person, invitation = _visit(user, stop_id, db_session=db_session)
    views = stops_service.counted_views(select(Stop).where(Stop.id == stop_id), db_session=db_session)
    view = views[0] if views else None
    country = _country_of(person, db_session=db_session)
    featured = view is not None and any(c.code == country for c in view.countries)
    if view is None or (invitation is None and (not featured or view.stop.status == StopStatus.DRAFT)):
        raise NotFound(lazy("This stop does not exist or does not feature your country."))
    result = ConsulAgenda(view, invitation)
    result.presentations = list(
        db_session.exec(
            select(AgendaItem)
            .join(AgendaSpeaker, col(AgendaSpeaker.item_id) == col(AgendaItem.id))
            .where(AgendaItem.stop_id == stop_id, AgendaSpeaker.representative_id == person.id)
            .where(col(AgendaItem.deleted_at).is_(None))
            .order_by(col(AgendaItem.starts_at))
        ).all()
    )
    if invitation is not None and result.schedule_published:
        result.meetings = meetings_of(invitation, view.stop, db_session=db_session)
    return person, result


def meetings_of(invitation: Invitation, stop: Stop, *, db_session: Session) -> list[MeetingLine]:
    return _meetings([(invitation, stop)], db_session=db_session).get(stop.id or 0, [])


def _meetings(invited: list[tuple[Invitation, Stop]], *, db_session: Session) -> dict[int, list[MeetingLine]]:
    """Per stop, the meetings of the representative's invitations there, in one query."""
    stops = {invitation.id: stop for invitation, stop in invited}
    if not stops:
        return {}
    rows = db_session.exec(
        select(Meeting, Company, MeetingRequest.invitation_id)
        .join(MeetingRequest, col(MeetingRequest.id) == col(Meeting.request_id))
        .join(Registration, col(Registration.id) == col(MeetingRequest.registration_id))
        .join(Company, col(Company.id) == col(Registration.company_id))
        .where(col(MeetingRequest.invitation_id).in_(list(stops)))
        .where(col(Meeting.stop_id) == col(MeetingRequest.stop_id))
        .order_by(col(Meeting.slot_index))
    ).all()
    lines: dict[int, list[MeetingLine]] = {}
    for meeting, company, invitation_id in rows:
        stop = stops[invitation_id]
        if meeting.stop_id != stop.id or meeting.slot_index >= len(slot_times(stop)):
            continue
        start, end = slot_span(stop, meeting.slot_index)
        lines.setdefault(stop.id or 0, []).append(
            MeetingLine(
                start, end, meeting.table_number, company.name, meeting.request_id, meeting.updated_at
            )
        )
    return lines


def calendar_feed(person: Representative, *, db_session: Session) -> bytes:
    """An iCalendar feed of the representative's confirmed stops, presentations and meetings.

    A stop cancelled after they confirmed stays in the feed, marked as cancelled, so that their
    calendar application drops it rather than keep a day that no longer happens. Three queries,
    however many stops.
    """
    confirmed = db_session.exec(
        select(Invitation, Stop)
        .join(Stop, col(Stop.id) == col(Invitation.stop_id))
        .where(Invitation.representative_id == person.id, Invitation.status == InvitationStatus.CONFIRMED)
        .order_by(col(Stop.stop_date))
    ).all()
    stop_ids = [stop.id for _, stop in confirmed]
    presentations: dict[int, list[AgendaItem]] = {}
    if stop_ids:
        items = db_session.exec(
            select(AgendaItem)
            .join(AgendaSpeaker, col(AgendaSpeaker.item_id) == col(AgendaItem.id))
            .where(col(AgendaItem.stop_id).in_(stop_ids), AgendaSpeaker.representative_id == person.id)
            .where(col(AgendaItem.deleted_at).is_(None))
            .order_by(col(AgendaItem.starts_at))
        ).all()
        for item in items:
            presentations.setdefault(item.stop_id, []).append(item)
    published = [
        (invitation, stop)
        for invitation, stop in confirmed
        if stop.schedule_status == PublicationStatus.PUBLISHED
    ]
    meetings = _meetings(published, db_session=db_session)
    feed: list[ics.Event] = []
    for _invitation, stop in confirmed:
        feed.append(ics.stop_event(stop))
        feed += [item_event(stop, AgendaEntry(item, [])) for item in presentations.get(stop.id or 0, [])]
        for meeting in meetings.get(stop.id or 0, []):
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
    """The representative's consulate; no query when ``_visit`` loaded it with them."""
    kept = db_session.info.get(CONSULATES, {}).get(person.consulate_id)
    return kept or consuls_service.get(person.consulate_id, db_session=db_session)

"""Meeting requests: companies ask, representatives answer, organisers add and remove.

Who owns what is checked here: a company only reaches the requests of its own registration,
a representative only those addressed to their own invitation.
"""

from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app import clock
from app.accounts.models import User
from app.companies.models import Registration, RegistrationStatus
from app.consuls.models import Invitation, InvitationStatus
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.forms import Problems
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching import seating
from app.matching.models import Meeting, MeetingRequest, RequestPriority, RequestStatus
from app.reference import service as reference_service
from app.stops import service as stops_service
from app.stops.models import PublicationStatus, Stop, StopStatus

GOAL_MAX_LENGTH = 500

SCHEDULE_PUBLISHED = lazy(
    "The meeting schedule is already published: please ask the organisers for any change."
)
REQUESTS_CLOSED = lazy("The deadline for meeting requests at this stop has passed.")
# Requests that neither count against the company's quota nor go to the scheduler.
CLOSED_STATUSES = (RequestStatus.DECLINED, RequestStatus.EXPIRED)

T = TypeVar("T", Registration, Invitation)


def requests_closed(stop: Stop) -> bool:
    """From the stop's request deadline (or after its day) requests can no longer be answered."""
    today = clock.today()
    return today > stop.stop_date or (stop.requests_close_on is not None and today >= stop.requests_close_on)


def last_answer_day(stop: Stop) -> date:
    """The last day on which representatives can accept a request."""
    if stop.requests_close_on is not None:
        return stop.requests_close_on - timedelta(days=1)
    return stop.stop_date


def company_stop(stop_id: int, user: User, *, db_session: Session) -> tuple[Stop, Registration]:
    """The stop (or 404) with the signed-in company's confirmed registration for it (or 403),
    read in one statement: what every page of the company's meetings starts from."""
    stop, registration = _stop_with(stop_id, Registration, _registration_of(user, col(Stop.id)), db_session)
    return stop, _own_registration(registration, user)


def _registration_of(user: User, stop_id: Any) -> ColumnElement[bool]:
    return and_(
        col(Registration.stop_id) == stop_id,
        col(Registration.company_id) == user.company_id,
        # A company that cancelled and registered again has two rows: the confirmed one counts.
        col(Registration.status) == RegistrationStatus.CONFIRMED,
    )


def _own_registration(registration: Registration | None, user: User) -> Registration:
    if user.company_id is None or registration is None:
        raise Forbidden(
            lazy("Only companies with a confirmed registration for this stop can ask for meetings.")
        )
    return registration


def consul_stop(stop_id: int, user: User, *, db_session: Session) -> tuple[Stop, Invitation]:
    """The stop (or 404) with the signed-in representative's confirmed invitation to it (or
    403), read in one statement: what every page of the consul's requests starts from."""
    stop, invitation = _stop_with(stop_id, Invitation, _invitation_of(user, col(Stop.id)), db_session)
    return stop, _own_invitation(invitation, user)


def _invitation_of(user: User, stop_id: Any) -> ColumnElement[bool]:
    return and_(
        col(Invitation.stop_id) == stop_id, col(Invitation.representative_id) == user.representative_id
    )


def _own_invitation(invitation: Invitation | None, user: User) -> Invitation:
    if (
        user.representative_id is None
        or invitation is None
        or invitation.status != InvitationStatus.CONFIRMED
    ):
        raise Forbidden(
            lazy("Only representatives who confirmed their attendance at this stop can see its requests.")
        )
    return invitation


def _stop_with(
    stop_id: int, model: type[T], joined_on: ColumnElement[bool], db_session: Session
) -> tuple[Stop, T | None]:
    """The stop and the row of ``model`` joined to it (None when there is none), or 404; the
    statement carries the reference data's token, so that the cached copy costs no query."""
    found = db_session.exec(
        select(Stop, model, reference_service.token_column())
        .outerjoin(model, joined_on)
        .where(col(Stop.id) == stop_id)
    ).first()
    if found is None:
        raise NotFound(stops_service.NO_SUCH_STOP)
    stop, row, token = found
    reference_service.cached(db_session=db_session, token=token)
    return stop, row


def counts_against_quota(request: MeetingRequest) -> bool:
    """Whether the request takes a place of the company's quota (as ``count_active`` counts)."""
    return request.status not in CLOSED_STATUSES


def count_active(registration: Registration, *, db_session: Session) -> int:
    """Requests that count against the quota: a declined or expired request frees its place."""
    return db_session.exec(
        select(func.count())
        .select_from(MeetingRequest)
        .where(MeetingRequest.registration_id == registration.id)
        .where(col(MeetingRequest.status).not_in(CLOSED_STATUSES))
    ).one()


def create(
    stop: Stop,
    registration: Registration,
    *,
    invitation_id: str | int | None,
    priority: str,
    goal: str,
    by_organiser: bool,
    db_session: Session,
) -> MeetingRequest:
    """A company's request (or one an organiser adds for it, accepted at once)."""
    errors = Problems()
    invitation = _confirmed_invitation(stop, invitation_id, db_session=db_session)
    if invitation is None:
        errors["invitation_id"] = _("Choose a country whose representative has confirmed for this stop.")
    if priority not in {p.value for p in RequestPriority}:
        errors["priority"] = _("Choose a priority: high, medium or low.")
    goal = goal.strip()
    if not goal and not by_organiser:
        errors["goal"] = _("Tell the representative in a few words what you hope to achieve.")
    elif len(goal) > GOAL_MAX_LENGTH:
        errors["goal"] = _("Keep the note within %d characters.") % GOAL_MAX_LENGTH
    if registration.status != RegistrationStatus.CONFIRMED:
        errors["registration_id"] = _("Choose a company whose registration is confirmed.")
    errors.check()
    assert invitation is not None
    if stop.status == StopStatus.CANCELLED or stop.stop_date < clock.today():
        raise Conflict(lazy("This stop is no longer taking meeting requests."))
    if not by_organiser:
        if stop.schedule_status == PublicationStatus.PUBLISHED:
            raise Conflict(SCHEDULE_PUBLISHED)
        if requests_closed(stop):
            raise Conflict(REQUESTS_CLOSED)
        # Lock the registration's row so two requests sent at once cannot both take the last place.
        db_session.exec(
            select(Registration).where(Registration.id == registration.id).with_for_update()
        ).one()
        if count_active(registration, db_session=db_session) >= stop.meeting_request_quota:
            raise Conflict(
                lazy("You have reached this stop's limit of %(quota)d meeting requests."),
                quota=stop.meeting_request_quota,
            )
    accepted = by_organiser or stop.auto_accept_requests
    request = MeetingRequest(
        stop_id=stop.id or 0,
        registration_id=registration.id or 0,
        invitation_id=invitation.id or 0,
        priority=RequestPriority(priority),
        goal=goal,
        status=RequestStatus.ACCEPTED if accepted else RequestStatus.PENDING,
        answered_at=clock.now() if accepted else None,
    )
    duplicate = lazy("This company has already asked to meet this representative.")
    if _existing(registration, invitation, db_session=db_session):
        raise Conflict(duplicate)
    try:
        with db_session.begin_nested():
            db_session.add(request)
    except IntegrityError as exc:  # the same request sent twice at the same moment
        raise Conflict(duplicate) from exc
    return request


def _confirmed_invitation(
    stop: Stop, invitation_id: str | int | None, *, db_session: Session
) -> Invitation | None:
    try:
        key = int(invitation_id) if invitation_id not in (None, "") else None
    except (TypeError, ValueError):
        return None
    invitation = db_session.get(Invitation, key) if key is not None else None
    if invitation is None or invitation.stop_id != stop.id or invitation.status != InvitationStatus.CONFIRMED:
        return None
    return invitation


def _existing(registration: Registration, invitation: Invitation, *, db_session: Session) -> bool:
    return (
        db_session.exec(
            select(MeetingRequest.id)
            .where(MeetingRequest.registration_id == registration.id)
            .where(MeetingRequest.invitation_id == invitation.id)
        ).first()
        is not None
    )


def withdraw(stop: Stop, registration: Registration, request_id: int, *, db_session: Session) -> None:
    """A company takes back one of its own requests, until the schedule is published."""
    request = db_session.get(MeetingRequest, request_id)
    if request is None or request.registration_id != registration.id:
        raise NotFound(lazy("This meeting request does not exist."))
    if stop.schedule_status == PublicationStatus.PUBLISHED:
        raise Conflict(SCHEDULE_PUBLISHED)
    _delete(stop, request, db_session=db_session)


def answer(stop: Stop, invitation: Invitation, request_id: int, *, accept: bool, db_session: Session) -> None:
    """A representative accepts or declines a request addressed to them."""
    request = db_session.get(MeetingRequest, request_id)
    if request is None or request.invitation_id != invitation.id:
        raise NotFound(lazy("This meeting request does not exist."))
    if stop.schedule_status == PublicationStatus.PUBLISHED:
        raise Conflict(SCHEDULE_PUBLISHED)
    if request.status == RequestStatus.EXPIRED or (
        accept and request.status == RequestStatus.PENDING and requests_closed(stop)
    ):
        raise Conflict(lazy("This request expired when the deadline for answers passed."))
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.answered_at = clock.now()
    db_session.add(request)
    if not accept:
        _drop_meeting(stop, request, db_session=db_session)
    db_session.flush()


def remove(stop: Stop, request_id: int, *, db_session: Session) -> None:
    """Organisers remove any request of the stop, with its meeting if it had one."""
    request = db_session.get(MeetingRequest, request_id)
    if request is None or request.stop_id != stop.id:
        raise NotFound(lazy("This meeting request does not exist."))
    _delete(stop, request, db_session=db_session)


def registration_of_stop(
    stop: Stop, registration_id: str | int | None, *, db_session: Session
) -> Registration:
    """For organisers adding a request: a confirmed registration of this stop."""
    try:
        registration = db_session.get(Registration, int(registration_id or 0))
    except (TypeError, ValueError):
        registration = None
    if registration is None or registration.stop_id != stop.id or registration.status != "confirmed":
        raise InvalidInput({"registration_id": _("Choose a company whose registration is confirmed.")})
    return registration


def _delete(stop: Stop, request: MeetingRequest, *, db_session: Session) -> None:
    _drop_meeting(stop, request, db_session=db_session)
    db_session.delete(request)
    db_session.flush()


def _drop_meeting(stop: Stop, request: MeetingRequest, *, db_session: Session) -> None:
    meeting = db_session.exec(select(Meeting).where(col(Meeting.request_id) == request.id)).first()
    if meeting is None:
        return
    db_session.delete(meeting)
    db_session.flush()
    seating.after_meeting_removed(stop, db_session=db_session)

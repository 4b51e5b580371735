"""Answering a meeting request from the emailed link, without signing in.

A link names one request and one answer (accept or decline) and is signed at the
representative's credential version (``consuls.links``). It is single use because it only
works while the request waits for an answer; it expires with the stop's request deadline (or the
stop's day). Opening it decides nothing: the page asks for one click, a POST, so that a mail
scanner fetching every link of a message changes no request.
"""

from dataclasses import dataclass

from sqlmodel import Session

from app.companies.models import Company, Registration
from app.config import Settings
from app.consuls import links
from app.consuls.invitations import WITHDRAWN_LINK
from app.consuls.models import Invitation, InvitationStatus, Representative
from app.errors import Conflict
from app.i18n import lazy
from app.matching import requests as requests_service
from app.matching.models import MeetingRequest, RequestStatus
from app.stops.models import PublicationStatus, Stop, StopStatus

ACTIONS = ("accept", "decline")
INVALID = lazy(
    "This link is not valid, or the company has withdrawn its request. "
    "Please use the links in your latest email, or see all requests in your area."
)
USED = lazy("This link has already been used: the request has been answered. Nothing was changed now.")
EXPIRED = lazy(
    "This link has expired: the time for answering requests at this stop is over. Nothing was changed."
)
PUBLISHED = lazy(
    "The meeting schedule of this stop is already published: please write to the organisers for any change."
)
NOT_CONFIRMED = lazy(
    "Your attendance at this stop is not confirmed any more, so its requests can no longer be answered."
)


class LinkProblem(Exception):
    """Why a link cannot be used, with the status of the page that says so."""

    def __init__(self, status: int, message: str, linked: "LinkedRequest | None" = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.linked = linked


@dataclass
class LinkedRequest:
    """Everything the confirmation and the result pages show."""

    action: str
    request: MeetingRequest
    invitation: Invitation
    person: Representative
    stop: Stop
    company: Company


def read(token: str, action: str, *, db_session: Session, settings: Settings) -> LinkedRequest:
    """The request a link names, whatever its state; LinkProblem if forged or revoked."""
    claim = links.request_answer_claim(token, action, settings) if action in ACTIONS else None
    request = db_session.get(MeetingRequest, claim.subject_id) if claim is not None else None
    invitation = db_session.get(Invitation, request.invitation_id) if request is not None else None
    person = db_session.get(Representative, invitation.representative_id) if invitation is not None else None
    stop = db_session.get(Stop, request.stop_id) if request is not None else None
    registration = db_session.get(Registration, request.registration_id) if request is not None else None
    company = db_session.get(Company, registration.company_id) if registration is not None else None
    if claim is None or request is None or invitation is None or person is None:
        raise LinkProblem(404, INVALID)
    if stop is None or company is None:
        raise LinkProblem(404, INVALID)
    linked = LinkedRequest(action, request, invitation, person, stop, company)
    if not person.active or not claim.is_current_for(person):
        raise LinkProblem(403, WITHDRAWN_LINK, linked)
    return linked


def usable(token: str, action: str, *, db_session: Session, settings: Settings) -> LinkedRequest:
    """The request of a link that can still answer it; LinkProblem saying why not otherwise."""
    linked = read(token, action, db_session=db_session, settings=settings)
    request, stop = linked.request, linked.stop
    if request.status == RequestStatus.EXPIRED:
        raise LinkProblem(410, EXPIRED, linked)
    if request.status != RequestStatus.PENDING:
        raise LinkProblem(410, USED, linked)
    if stop.status == StopStatus.CANCELLED or requests_service.requests_closed(stop):
        raise LinkProblem(410, EXPIRED, linked)
    if stop.schedule_status == PublicationStatus.PUBLISHED:
        raise LinkProblem(410, PUBLISHED, linked)
    if linked.invitation.status != InvitationStatus.CONFIRMED:
        raise LinkProblem(403, NOT_CONFIRMED, linked)
    return linked


def answer(token: str, action: str, *, db_session: Session, settings: Settings) -> LinkedRequest:
    """Record the link's answer; LinkProblem if the link can no longer answer."""
    linked = usable(token, action, db_session=db_session, settings=settings)
    try:
        requests_service.answer(
            linked.stop,
            linked.invitation,
            linked.request.id or 0,
            accept=action == "accept",
            db_session=db_session,
        )
    except Conflict as exc:
        raise LinkProblem(409, exc.translated(), linked) from exc
    return linked

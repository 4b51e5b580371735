"""At a stop's request deadline, requests still unanswered expire and their companies are told.

An expired request frees its place in the company's quota and is never scheduled; the company
gets one email per stop listing its expired requests, so that it can ask someone else.
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app import clock
from app.companies.models import Company, Registration
from app.config import Settings, get_settings
from app.consuls.models import Invitation, Representative
from app.matching import requests as requests_service
from app.matching.models import MeetingRequest, RequestStatus
from app.matching.request_mail import REQUEST_MAIL_EVERY
from app.notifications.service import queue_email
from app.notifications.worker import register_periodic_job
from app.reference.models import Country
from app.stops.models import Stop, StopStatus


@dataclass
class ExpiredItem:
    request: MeetingRequest
    representative: Representative
    country: Country | None


@register_periodic_job("matching.request-expiry", every=REQUEST_MAIL_EVERY)
def expire_requests(*, db_session: Session, settings: Settings | None = None) -> int:
    """Expire the pending requests of stops whose deadline has come; returns how many expired."""
    settings = settings or get_settings()
    rows = db_session.exec(
        select(MeetingRequest, Invitation, Representative, Stop)
        .join(Invitation, col(Invitation.id) == col(MeetingRequest.invitation_id))
        .join(Representative, col(Representative.id) == col(Invitation.representative_id))
        .join(Stop, col(Stop.id) == col(MeetingRequest.stop_id))
        .where(MeetingRequest.status == RequestStatus.PENDING)
        .where(col(Stop.requests_close_on) <= clock.today(), Stop.status != StopStatus.CANCELLED)
        .order_by(col(MeetingRequest.registration_id), col(MeetingRequest.id))
        .with_for_update(of=MeetingRequest)
    ).all()
    by_registration: dict[int, list[ExpiredItem]] = defaultdict(list)
    stops: dict[int, Stop] = {}
    for request, invitation, person, stop in rows:
        request.status = RequestStatus.EXPIRED
        db_session.add(request)
        stops[request.registration_id] = stop
        by_registration[request.registration_id].append(
            ExpiredItem(request, person, db_session.get(Country, invitation.country_code))
        )
    db_session.flush()
    for registration_id, items in by_registration.items():
        stop = stops[registration_id]
        _tell_company(registration_id, stop, items, db_session=db_session, settings=settings)
    return len(rows)


def _tell_company(
    registration_id: int, stop: Stop, items: list[ExpiredItem], *, db_session: Session, settings: Settings
) -> None:
    registration = db_session.get(Registration, registration_id)
    company = db_session.get(Company, registration.company_id) if registration is not None else None
    if registration is None or company is None or company.erased_at is not None:
        return
    active = requests_service.count_active(registration, db_session=db_session)
    places_left = stop.meeting_request_quota - active
    queue_email(
        db_session=db_session,
        to=company.contact_email,
        template="matching/emails/requests_expired",
        context={
            "name": company.contact_name or company.name,
            "company": company,
            "stop": stop,
            "items": items,
            "places_left": max(places_left, 0),
            "meetings_url": settings.absolute_url(f"/my/stops/{stop.id}/meetings"),
            "organiser_email": settings.organiser_email,
        },
        language=company.language,
    )

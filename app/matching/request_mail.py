"""Keeping representatives in the loop: a daily digest of new requests, a reminder before the
request deadline, and at the deadline the expiry of what is still unanswered (the companies told).

All three are periodic jobs of ``roadshow worker``; each is idempotent, marking what it has sent
(``digested_at``, ``request_digest_at``, ``request_reminder_at``) or changed (the ``expired``
status) in the same transaction as the emails it queues, and locking those rows first.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import Session, col, select

from app import clock
from app.companies.models import Company, CompanySector, Registration
from app.config import Settings, get_settings
from app.consuls import links
from app.consuls.invitations import email_invited
from app.consuls.models import Invitation, InvitationStatus, Representative
from app.matching import requests as requests_service
from app.matching.models import MeetingRequest, RequestStatus
from app.notifications.worker import register_periodic_job
from app.reference.models import Sector
from app.stops.models import PublicationStatus, Stop, StopStatus

# Representatives with requests still unanswered are reminded this many days before the deadline.
REMINDER_DAYS_BEFORE_DEADLINE = 3
# Digests go out on the day of the first new request (at most one a day): look every hour.
REQUEST_MAIL_EVERY = timedelta(hours=1)


@dataclass
class DigestItem:
    request: MeetingRequest
    company: Company
    sectors: list[Sector] = field(default_factory=list)
    accept_url: str = ""
    decline_url: str = ""


def _pending(db_session: Session, *, new_only: bool) -> list[tuple[MeetingRequest, Invitation, Stop]]:
    """Pending requests to confirmed, active representatives of stops still ahead, locked."""
    query = (
        select(MeetingRequest, Invitation, Stop)
        .join(Invitation, col(Invitation.id) == col(MeetingRequest.invitation_id))
        .join(Representative, col(Representative.id) == col(Invitation.representative_id))
        .join(Stop, col(Stop.id) == col(MeetingRequest.stop_id))
        .where(MeetingRequest.status == RequestStatus.PENDING)
        .where(Invitation.status == InvitationStatus.CONFIRMED, col(Representative.active))
        .where(col(Stop.stop_date) >= clock.today(), Stop.status != StopStatus.CANCELLED)
        .where(Stop.schedule_status != PublicationStatus.PUBLISHED)
        .order_by(col(Invitation.id), col(MeetingRequest.id))
        .with_for_update(of=[MeetingRequest, Invitation])
    )
    if new_only:
        query = query.where(col(MeetingRequest.digested_at).is_(None))
    return [row for row in db_session.exec(query).all() if not requests_service.requests_closed(row[2])]


def _items(
    requests: list[MeetingRequest], person: Representative, *, db_session: Session, settings: Settings
) -> list[DigestItem]:
    registration_ids = [r.registration_id for r in requests]
    companies = {
        registration_id: company
        for registration_id, company in db_session.exec(
            select(Registration.id, Company)
            .join(Company, col(Company.id) == col(Registration.company_id))
            .where(col(Registration.id).in_(registration_ids))
        ).all()
    }
    sectors: dict[int, list[Sector]] = defaultdict(list)
    for company_id, sector in db_session.exec(
        select(CompanySector.company_id, Sector)
        .join(Sector, col(Sector.slug) == col(CompanySector.sector_slug))
        .where(col(CompanySector.company_id).in_([c.id for c in companies.values()]))
        .order_by(col(Sector.slug))
    ).all():
        sectors[company_id].append(sector)
    items = []
    for request in requests:
        company = companies[request.registration_id]
        request_id = request.id or 0
        items.append(
            DigestItem(
                request=request,
                company=company,
                sectors=sectors.get(company.id or 0, []),
                accept_url=links.request_answer_url(request_id, "accept", person, settings),
                decline_url=links.request_answer_url(request_id, "decline", person, settings),
            )
        )
    return items


def _email_representative(
    template: str,
    invitation: Invitation,
    stop: Stop,
    requests: list[MeetingRequest],
    *,
    db_session: Session,
    settings: Settings,
) -> None:
    person = db_session.get(Representative, invitation.representative_id)
    assert person is not None
    context = {
        "items": _items(requests, person, db_session=db_session, settings=settings),
        "requests_url": settings.absolute_url(f"/consul/stops/{stop.id}/requests"),
        "last_day": requests_service.last_answer_day(stop),
    }
    email_invited(invitation, person, stop, template, context, db_session=db_session)


def _by_invitation(
    rows: list[tuple[MeetingRequest, Invitation, Stop]],
) -> list[tuple[Invitation, Stop, list[MeetingRequest]]]:
    grouped: dict[int, tuple[Invitation, Stop, list[MeetingRequest]]] = {}
    for request, invitation, stop in rows:
        grouped.setdefault(invitation.id or 0, (invitation, stop, []))[2].append(request)
    return list(grouped.values())


@register_periodic_job("matching.request-digests", every=REQUEST_MAIL_EVERY)
def send_request_digests(*, db_session: Session, settings: Settings | None = None) -> int:
    """Tell each representative of the requests that arrived since their last digest, at most
    once a (Rome) day per stop; returns how many digests were queued."""
    settings = settings or get_settings()
    now, today = clock.now(), clock.today()
    sent = 0
    for invitation, stop, requests in _by_invitation(_pending(db_session, new_only=True)):
        last = invitation.request_digest_at
        if last is not None and last.astimezone(clock.ROME).date() >= today:
            continue
        template = "consuls/emails/request_digest"
        _email_representative(template, invitation, stop, requests, db_session=db_session, settings=settings)
        for request in requests:
            request.digested_at = now
            db_session.add(request)
        invitation.request_digest_at = now
        db_session.add(invitation)
        sent += 1
    db_session.flush()
    return sent


@register_periodic_job("matching.request-reminders", every=REQUEST_MAIL_EVERY)
def send_request_reminders(*, db_session: Session, settings: Settings | None = None) -> int:
    """Once per stop, a few days before its request deadline, remind each representative of the
    requests they have not answered; returns how many reminders were queued."""
    settings = settings or get_settings()
    today = clock.today()
    sent = 0
    for invitation, stop, requests in _by_invitation(_pending(db_session, new_only=False)):
        deadline = stop.requests_close_on
        if deadline is None or invitation.request_reminder_at is not None:
            continue
        if today < deadline - timedelta(days=REMINDER_DAYS_BEFORE_DEADLINE):
            continue
        _email_representative(
            "consuls/emails/request_reminder",
            invitation,
            stop,
            requests,
            db_session=db_session,
            settings=settings,
        )
        invitation.request_reminder_at = clock.now()
        db_session.add(invitation)
        sent += 1
    db_session.flush()
    return sent

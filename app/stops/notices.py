"""Telling the people registered or invited to a stop that it changed or was cancelled.

Companies with an open registration (pending, confirmed or on the waiting list) and
representatives with an invitation they have not declined get one email each, in their
own language, with the old and the new value of what changed.
"""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.companies.models import Company, Registration, RegistrationStatus
from app.config import get_settings
from app.consuls.models import Invitation, InvitationStatus, Representative
from app.i18n import LANGUAGES
from app.notifications.service import queue_email
from app.stops.models import Stop

OPEN_REGISTRATIONS = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    consul: bool = False  # a representative rather than a company's contact


def recipients(stop_id: int, *, db_session: Session) -> list[Recipient]:
    """Everyone to tell, once per address, companies first."""
    companies = db_session.exec(
        select(Company)
        .join(Registration, col(Registration.company_id) == col(Company.id))
        .where(Registration.stop_id == stop_id)
        .where(col(Registration.status).in_(OPEN_REGISTRATIONS))
        .where(col(Company.erased_at).is_(None))
        .order_by(col(Company.name))
    )
    representatives = db_session.exec(
        select(Representative)
        .join(Invitation, col(Invitation.representative_id) == col(Representative.id))
        .where(Invitation.stop_id == stop_id)
        .where(Invitation.status != InvitationStatus.DECLINED)
        .order_by(col(Representative.name))
    )
    people = [Recipient(c.contact_email, c.contact_name or c.name, c.language) for c in companies]
    people += [Recipient(r.email, r.name, r.preferred_language, consul=True) for r in representatives]
    seen: set[str] = set()
    unique = []
    for person in people:
        if person.email.lower() not in seen:
            seen.add(person.email.lower())
            language = person.language if person.language in LANGUAGES else "it"
            unique.append(Recipient(person.email, person.name, language, person.consul))
    return unique


def _send(stop: Stop, template: str, context: dict[str, Any], *, db_session: Session) -> int:
    people = recipients(stop.id or 0, db_session=db_session)
    url = get_settings().absolute_url(f"/stops/{stop.id}")
    for person in people:
        queue_email(
            db_session=db_session,
            to=person.email,
            template=f"stops/emails/{template}",
            context={"stop": stop, "name": person.name, "url": url, **context},
            language=person.language,
        )
    return len(people)


def tell_about_changes(stop: Stop, changes: dict[str, tuple[Any, Any]], *, db_session: Session) -> int:
    items = [{"field": field, "old": old, "new": new} for field, (old, new) in changes.items()]
    return _send(stop, "stop_changed", {"changes": items}, db_session=db_session)


def tell_about_cancellation(stop: Stop, reason: str, *, db_session: Session) -> int:
    return _send(stop, "stop_cancelled", {"reason": reason}, db_session=db_session)

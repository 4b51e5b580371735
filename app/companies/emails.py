"""The emails a registration sends, queued in the outbox within the change that causes them."""

from typing import Any

from sqlmodel import Session

from app.companies.models import Company, Registration
from app.config import get_settings
from app.notifications.service import queue_email
from app.stops.models import Stop


def _send(
    name: str,
    registration: Registration,
    stop: Stop,
    *,
    db_session: Session,
    to: str | None = None,
    **extra: Any,
) -> None:
    company = db_session.get(Company, registration.company_id)
    if company is None or company.erased_at is not None:
        return
    base_url = get_settings().base_url.rstrip("/")
    context = {
        "company": company,
        "stop": stop,
        "registration": registration,
        "stop_url": f"{base_url}/stops/{stop.id}",
        "my_url": f"{base_url}/my",
        **extra,
    }
    queue_email(
        db_session=db_session,
        to=to or company.contact_email,
        template=f"companies/emails/{name}",
        context=context,
        language=company.language,
    )


def _confirm_url(token: str) -> str:
    return f"{get_settings().base_url.rstrip('/')}/registrations/confirm/{token}"


def confirm(registration: Registration, stop: Stop, *, token: str, db_session: Session) -> None:
    """Double opt-in: the link that confirms a registration made on the stop's page."""
    _send("confirm", registration, stop, db_session=db_session, confirm_url=_confirm_url(token))


def confirmed(registration: Registration, stop: Stop, *, db_session: Session) -> None:
    _send("confirmed", registration, stop, db_session=db_session)


def waitlisted(registration: Registration, stop: Stop, *, db_session: Session) -> None:
    _send("waitlisted", registration, stop, db_session=db_session)


def promoted(registration: Registration, stop: Stop, *, token: str | None, db_session: Session) -> None:
    confirm_url = _confirm_url(token) if token else None
    _send("promoted", registration, stop, db_session=db_session, confirm_url=confirm_url)


def hold_expired(registration: Registration, stop: Stop, *, db_session: Session) -> None:
    _send("hold_expired", registration, stop, db_session=db_session)


def cancelled(registration: Registration, stop: Stop, *, db_session: Session) -> None:
    _send("cancelled", registration, stop, db_session=db_session)


def moved(
    registration: Registration, old_stop: Stop, stop: Stop, *, token: str | None, db_session: Session
) -> None:
    confirm_url = _confirm_url(token) if token else None
    _send("moved", registration, stop, db_session=db_session, old_stop=old_stop, confirm_url=confirm_url)

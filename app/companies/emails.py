"""The emails a registration sends, queued in the outbox within the change that causes them."""

import base64
from typing import Any

from sqlmodel import Session, col, select

from app.checkin.service import checkin_qr_png
from app.companies.models import Attendee, Company, Registration
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


def _checkin(registration: Registration, stop: Stop, *, db_session: Session) -> dict[str, Any]:
    """Each attendee's check-in QR code (an inline PNG: many mail clients show it, some block
    it) and the personal agenda, where the same codes are always shown."""
    attendees = db_session.exec(
        select(Attendee).where(Attendee.registration_id == registration.id).order_by(col(Attendee.id))
    ).all()
    codes = [
        (person.name, "data:image/png;base64," + base64.b64encode(checkin_qr_png(person)).decode())
        for person in attendees
    ]
    agenda_url = f"{get_settings().base_url.rstrip('/')}/my/stops/{stop.id}/agenda"
    return {"checkin_codes": codes, "agenda_url": agenda_url}


def confirmed(registration: Registration, stop: Stop, *, db_session: Session) -> None:
    _send(
        "confirmed",
        registration,
        stop,
        db_session=db_session,
        **_checkin(registration, stop, db_session=db_session),
    )


def waitlisted(registration: Registration, stop: Stop, *, db_session: Session) -> None:
    _send("waitlisted", registration, stop, db_session=db_session)


def promoted(registration: Registration, stop: Stop, *, token: str | None, db_session: Session) -> None:
    if token:
        _send("promoted", registration, stop, db_session=db_session, confirm_url=_confirm_url(token))
        return
    checkin = _checkin(registration, stop, db_session=db_session)
    _send("promoted", registration, stop, db_session=db_session, confirm_url=None, **checkin)


def hold_expired(registration: Registration, stop: Stop, *, db_session: Session) -> None:
    _send("hold_expired", registration, stop, db_session=db_session)


def cancelled(registration: Registration, stop: Stop, *, db_session: Session) -> None:
    _send("cancelled", registration, stop, db_session=db_session)


def moved(
    registration: Registration, old_stop: Stop, stop: Stop, *, token: str | None, db_session: Session
) -> None:
    confirm_url = _confirm_url(token) if token else None
    _send("moved", registration, stop, db_session=db_session, old_stop=old_stop, confirm_url=confirm_url)

"""The emails a registration sends, queued in the outbox within the change that causes them."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.checkin.service import checkin_qr_png
from app.companies.models import Attendee, Company, Registration
from app.config import get_settings
from app.notifications.service import InlineImage, queue_email
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
    settings = get_settings()
    context = {
        "name": company.contact_name or company.name,
        "company": company,
        "stop": stop,
        "registration": registration,
        "stop_url": settings.absolute_url(f"/stops/{stop.id}"),
        "my_url": settings.absolute_url("/my"),
        **extra,
    }
    codes: list[CheckinCode] = context.get("checkin_codes", [])
    queue_email(
        db_session=db_session,
        to=to or company.contact_email,
        template=f"companies/emails/{name}",
        context=context,
        language=company.language,
        images=[code.image for code in codes],
    )


def _confirm_url(token: str) -> str:
    return get_settings().absolute_url(f"/registrations/confirm/{token}")


@dataclass(frozen=True)
class CheckinCode:
    name: str
    image: InlineImage


def confirm(registration: Registration, stop: Stop, *, token: str, db_session: Session) -> None:
    """Double opt-in: the link that confirms a registration made on the stop's page."""
    _send("confirm", registration, stop, db_session=db_session, confirm_url=_confirm_url(token))


def _checkin(registration: Registration, stop: Stop, *, db_session: Session) -> dict[str, Any]:
    """Each attendee's check-in QR code (a PNG attached inline, shown by mail clients that block
    ``data:`` and remote images) and the personal agenda, where the same codes are always shown."""
    attendees = db_session.exec(
        select(Attendee).where(Attendee.registration_id == registration.id).order_by(col(Attendee.id))
    ).all()
    codes = [
        CheckinCode(
            name=person.name,
            image=InlineImage(
                content_id=f"checkin-{person.id}@roadshow",
                filename=f"checkin-{person.id}.png",
                data=checkin_qr_png(person),
            ),
        )
        for person in attendees
    ]
    agenda_url = get_settings().absolute_url(f"/my/stops/{stop.id}/agenda")
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

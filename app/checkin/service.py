"""Check-in on the day: signed codes for attendees, finding them, marking arrivals, counting.

Each attendee of a confirmed registration has a check-in token: their id signed with the app's
secret. The QR code holds the URL ``/checkin/<token>``, so the staff scanner (or any phone
camera, for a signed-in organiser) opens the attendee's arrival page. The token reveals
nothing but a number and cannot be forged or guessed.
"""

import base64
import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import segno
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit
from app.companies.models import Attendee, Company, Registration, RegistrationStatus
from app.config import get_settings
from app.errors import Conflict, NotFound
from app.i18n import lazy
from app.stops.models import Stop

TOKEN_SALT = "roadshow-checkin"  # noqa: S105 (a namespace for signatures, not a secret)
SEARCH_LIMIT = 30
REGISTERED_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
)


def _serializer(secret_key: str | None) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key or get_settings().secret_key, salt=TOKEN_SALT)


def checkin_token(attendee_id: int, *, secret_key: str | None = None) -> str:
    """The signed token of an attendee (the app's secret unless another is given)."""
    return _token(attendee_id, secret_key or get_settings().secret_key)


@lru_cache(maxsize=2048)
def _token(attendee_id: int, secret_key: str) -> str:
    # The same for ever (no time in it); every view of a personal agenda shows it.
    return str(_serializer(secret_key).dumps(attendee_id))


def attendee_id_from_token(token: str, *, secret_key: str | None = None) -> int | None:
    try:
        value = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def checkin_url(attendee: Attendee, *, secret_key: str | None = None, base_url: str | None = None) -> str:
    base = (base_url or get_settings().base_url).rstrip("/")
    return f"{base}/checkin/{checkin_token(attendee.id or 0, secret_key=secret_key)}"


def _qr(attendee: Attendee, secret_key: str | None, base_url: str | None) -> segno.QRCode:
    return segno.make(checkin_url(attendee, secret_key=secret_key, base_url=base_url), error="m")


def checkin_qr_svg(attendee: Attendee, *, secret_key: str | None = None, base_url: str | None = None) -> str:
    """The attendee's QR code as a standalone SVG document (with its namespace), for emails and pages."""
    return _svg_for_url(checkin_url(attendee, secret_key=secret_key, base_url=base_url))


@lru_cache(maxsize=2048)
def _svg_for_url(url: str) -> str:
    # Encoding a QR code costs about 10 ms; the same attendee's code never changes.
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=4, border=2, dark="#1b2430", xmldecl=False, svgns=True, title="Check-in"
    )
    return buffer.getvalue().decode()


def checkin_qr_data_uri(
    attendee: Attendee, *, secret_key: str | None = None, base_url: str | None = None
) -> str:
    """The QR code as a ``data:`` URI for an ``<img>`` (allowed by the pages' CSP)."""
    return _data_uri_for_url(checkin_url(attendee, secret_key=secret_key, base_url=base_url))


@lru_cache(maxsize=2048)
def _data_uri_for_url(url: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(_svg_for_url(url).encode()).decode()


def checkin_qr_png(
    attendee: Attendee, *, secret_key: str | None = None, base_url: str | None = None
) -> bytes:
    """The QR code as PNG bytes, for emails that attach it (many mail clients do not show SVG)."""
    buffer = io.BytesIO()
    _qr(attendee, secret_key, base_url).save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


@dataclass
class Arrival:
    attendee: Attendee
    company: Company
    registration: Registration

    @property
    def confirmed(self) -> bool:
        return self.registration.status == RegistrationStatus.CONFIRMED


def _arrivals_query() -> Any:
    return (
        select(Attendee, Company, Registration)
        .join(Registration, col(Registration.id) == Attendee.registration_id)
        .join(Company, col(Company.id) == Registration.company_id)
    )


def get_arrival(attendee_id: int, *, db_session: Session) -> Arrival:
    row = db_session.exec(_arrivals_query().where(Attendee.id == attendee_id)).first()
    if row is None:
        raise NotFound(lazy("This check-in code does not belong to any attendee."))
    return Arrival(*row)


def arrival_from_token(token: str, *, secret_key: str | None = None, db_session: Session) -> Arrival:
    attendee_id = attendee_id_from_token(token, secret_key=secret_key)
    if attendee_id is None:
        raise NotFound(lazy("This check-in code is not valid."))
    return get_arrival(attendee_id, db_session=db_session)


def search(stop_id: int, query: str, *, db_session: Session) -> list[Arrival]:
    """Confirmed attendees of the stop whose name, company or VAT number contains ``query``."""
    text = query.strip()
    if not text:
        return []
    pattern = f"%{text.lower()}%"
    vat = text.upper().removeprefix("IT").replace(" ", "")
    rows = db_session.exec(
        _arrivals_query()
        .where(Registration.stop_id == stop_id)
        .where(Registration.status == RegistrationStatus.CONFIRMED)
        .where(
            or_(
                func.lower(Attendee.name).like(pattern),
                func.lower(Company.name).like(pattern),
                col(Company.vat_number).like(f"%{vat or text}%"),
            )
        )
        .order_by(col(Company.name), col(Attendee.name))
        .limit(SEARCH_LIMIT)
    )
    return [Arrival(*row) for row in rows]


def is_open(stop: Stop) -> bool:
    """Check-in opens on the stop's day, or earlier once an organiser has opened it on purpose."""
    return stop.stop_date <= clock.today() or stop.checkin_opened_at is not None


def open_early(stop: Stop, *, actor: User, db_session: Session) -> None:
    """Open check-in before the stop's day (the page asked first: arrivals are recorded early)."""
    if is_open(stop):
        return
    stop.checkin_opened_at = clock.now()
    db_session.add(stop)
    db_session.flush()
    audit.record(
        db_session=db_session,
        actor=actor,
        action="stop.open_checkin",
        entity_type="stop",
        entity_id=stop.id,
        after={"checkin_opened_at": stop.checkin_opened_at},
    )


def _arrival_at(stop_id: int, attendee_id: int, *, db_session: Session) -> Arrival:
    arrival = get_arrival(attendee_id, db_session=db_session)
    if arrival.registration.stop_id != stop_id:
        raise NotFound(lazy("This attendee is not registered for this stop."))
    return arrival


def _mark(attendee: Attendee, arrived_at: datetime | None, *, actor: User, db_session: Session) -> None:
    """Mark the arrival (a time) or take it back (None); the audit keeps the time set or taken back."""
    undo = arrived_at is None
    stamp = {"checked_in_at": attendee.checked_in_at if undo else arrived_at}
    attendee.checked_in_at = arrived_at
    attendee.checked_in_by_user_id = None if undo else actor.id
    db_session.add(attendee)
    db_session.flush()
    audit.record(
        db_session=db_session,
        actor=actor,
        action="attendee.undo_check_in" if undo else "attendee.check_in",
        entity_type="attendee",
        entity_id=attendee.id,
        before=stamp if undo else None,
        after=None if undo else stamp,
    )


def check_in(stop_id: int, attendee_id: int, *, actor: User, db_session: Session) -> tuple[Arrival, bool]:
    """Mark the arrival; a second scan keeps the first time. Answers whether it is new."""
    arrival = _arrival_at(stop_id, attendee_id, db_session=db_session)
    stop = db_session.get(Stop, stop_id)
    if stop is None or not is_open(stop):
        raise Conflict(lazy("Check-in opens on the day of the stop."))
    if not arrival.confirmed:
        raise Conflict(lazy("This attendee's registration is not confirmed."))
    if arrival.attendee.checked_in_at is not None:
        return arrival, False
    _mark(arrival.attendee, clock.now(), actor=actor, db_session=db_session)
    return arrival, True


def undo_check_in(stop_id: int, attendee_id: int, *, actor: User, db_session: Session) -> Arrival:
    """Take back an arrival marked by mistake; undoing twice changes nothing."""
    arrival = _arrival_at(stop_id, attendee_id, db_session=db_session)
    if arrival.attendee.checked_in_at is not None:
        _mark(arrival.attendee, None, actor=actor, db_session=db_session)
    return arrival


@dataclass
class Arrived:
    attendee: Attendee
    company: Company
    by: User | None


def arrivals(stop_id: int, *, db_session: Session) -> list[Arrived]:
    """Who has checked in, the latest first, with the organiser who marked them."""
    rows = db_session.exec(
        select(Attendee, Company, User)
        .join(Registration, col(Registration.id) == Attendee.registration_id)
        .join(Company, col(Company.id) == Registration.company_id)
        .outerjoin(User, col(User.id) == Attendee.checked_in_by_user_id)
        .where(Registration.stop_id == stop_id, col(Attendee.checked_in_at).is_not(None))
        .order_by(col(Attendee.checked_in_at).desc(), col(Attendee.id).desc())
    )
    return [Arrived(attendee, company, by) for attendee, company, by in rows]


@dataclass
class Counts:
    registered: int
    confirmed: int
    attendees: int
    checked_in: int  # arrivals recorded, early ones included
    present: int | None  # people present: known only from the stop's day
    no_shows: int | None  # known only once the stop's day is over


def counts(stop: Stop, *, db_session: Session) -> Counts:
    """Companies registered and confirmed; people expected, arrived and missing, in two queries."""
    registered, confirmed = db_session.exec(
        select(
            func.count(col(Registration.id)).filter(col(Registration.status).in_(REGISTERED_STATUSES)),
            func.count(col(Registration.id)).filter(col(Registration.status) == RegistrationStatus.CONFIRMED),
        ).where(Registration.stop_id == stop.id)
    ).one()
    attendees, checked_in = db_session.exec(
        select(func.count(col(Attendee.id)), func.count(col(Attendee.checked_in_at)))
        .join(Registration, col(Registration.id) == Attendee.registration_id)
        .where(Registration.stop_id == stop.id)
        .where(Registration.status == RegistrationStatus.CONFIRMED)
    ).one()
    no_shows = attendees - checked_in if stop.stop_date < clock.today() else None
    present = checked_in if stop.stop_date <= clock.today() else None
    return Counts(registered, confirmed, attendees, checked_in, present, no_shows)

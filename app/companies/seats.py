"""Seats and the waiting list of a stop, always changed under the stop's row lock.

Every change that takes or frees a seat first locks the stop's row inside the request's
transaction (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite, writing transactions begin
``IMMEDIATE`` and so are already serialised). Counting, inserting and promoting then happen
while no other transaction can do the same for that stop, in any process: this is how pretix
guards its quotas. Stale holds are expired lazily here, under the same lock.

Promotion: when a seat frees, the head of the waiting list takes it. If its contact has
already confirmed the email address (or an organiser made it), it becomes confirmed at once;
otherwise it becomes pending with a fresh hold and a new confirmation link, exactly like a
new registration that found a free seat.
"""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app import clock
from app.companies import emails
from app.companies.models import SEAT_HOLDING_STATUSES, Registration, RegistrationStatus
from app.notifications.worker import register_periodic_job
from app.stops.models import Stop

# How often the worker releases lapsed holds; pages also release them lazily under the lock.
EXPIRE_HOLDS_EVERY = timedelta(minutes=5)


def lock_stop(stop_id: int, *, db_session: Session) -> Stop | None:
    """The stop, its row locked until the transaction ends (and re-read, not taken from the cache)."""
    query = select(Stop).where(Stop.id == stop_id).with_for_update().execution_options(populate_existing=True)
    return db_session.exec(query).first()


def seats_taken(stop_id: int, *, db_session: Session) -> int:
    query = (
        select(func.count())
        .select_from(Registration)
        .where(Registration.stop_id == stop_id)
        .where(col(Registration.status).in_(SEAT_HOLDING_STATUSES))
    )
    return int(db_session.exec(query).one())


def waiting_list(stop_id: int, *, db_session: Session) -> list[Registration]:
    query = (
        select(Registration)
        .where(Registration.stop_id == stop_id)
        .where(Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(col(Registration.waitlist_position), col(Registration.id))
        .execution_options(populate_existing=True)
    )
    return list(db_session.exec(query))


def next_waitlist_position(stop_id: int, *, db_session: Session) -> int:
    query = select(func.max(Registration.waitlist_position)).where(Registration.stop_id == stop_id)
    return int(db_session.exec(query).one() or 0) + 1


def renumber(stop_id: int, *, db_session: Session) -> None:
    """Positions 1..N in arrival order, without gaps.

    Rows move one at a time, lowest first, into positions already freed, so the unique
    (stop, position) constraint holds after every statement on both engines.
    """
    for expected, registration in enumerate(waiting_list(stop_id, db_session=db_session), start=1):
        if registration.waitlist_position != expected:
            registration.waitlist_position = expected
            db_session.add(registration)
            db_session.flush()


def new_confirmation_token(registration: Registration) -> str:
    """A single-use link token; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    registration.confirmation_token_hash = token_hash(token)
    return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hold_seat(registration: Registration, stop: Stop) -> str:
    """Make ``registration`` pending, holding a seat for the stop's hold time; the new link token."""
    registration.status = RegistrationStatus.PENDING
    registration.hold_expires_at = clock.now() + timedelta(hours=stop.hold_hours)
    registration.waitlist_position = None
    return new_confirmation_token(registration)


def take_seat(registration: Registration, stop: Stop) -> str | None:
    """Give a waiting registration its seat: confirmed if its email is proven, else held (new token)."""
    registration.waitlist_position = None
    registration.updated_at = clock.now()
    if registration.email_verified_at is None:
        return hold_seat(registration, stop)
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = clock.now()
    return None


def promote(stop: Stop, *, db_session: Session) -> list[Registration]:
    """Fill free seats from the head of the waiting list; the stop must be locked."""
    promoted: list[Registration] = []
    free = stop.capacity - seats_taken(stop.id or 0, db_session=db_session)
    queue = waiting_list(stop.id or 0, db_session=db_session)
    for registration in queue[: max(free, 0)]:
        token = take_seat(registration, stop)
        db_session.add(registration)
        db_session.flush()
        emails.promoted(registration, stop, token=token, db_session=db_session)
        promoted.append(registration)
    if promoted:
        renumber(stop.id or 0, db_session=db_session)
    return promoted


def _stale_holds(stop_id: int | None, *, db_session: Session) -> list[Registration]:
    query = (
        select(Registration)
        .where(Registration.status == RegistrationStatus.PENDING)
        .where(col(Registration.hold_expires_at) <= clock.now())
    )
    if stop_id is not None:
        query = query.where(Registration.stop_id == stop_id)
    query = query.order_by(col(Registration.id)).execution_options(populate_existing=True)
    return list(db_session.exec(query))


def expire_holds_of_locked_stop(stop: Stop, *, db_session: Session) -> int:
    """Release the lapsed holds of a stop already locked by the caller, promoting from the list."""
    stale = _stale_holds(stop.id, db_session=db_session)
    for registration in stale:
        registration.status = RegistrationStatus.EXPIRED
        registration.hold_expires_at = None
        registration.updated_at = clock.now()
        db_session.add(registration)
        db_session.flush()
        emails.hold_expired(registration, stop, db_session=db_session)
    if stale:
        promote(stop, db_session=db_session)
    return len(stale)


@register_periodic_job("companies.expire-stale-holds", every=EXPIRE_HOLDS_EVERY)
def expire_stale_holds(*, db_session: Session, stop_id: int | None = None) -> int:
    """Expire unconfirmed holds that ran out (of one stop, or of all), promoting from the lists.

    Also the periodic worker job. Each stop is locked before its holds are touched.
    """
    stop_ids = sorted({r.stop_id for r in _stale_holds(stop_id, db_session=db_session)})
    expired = 0
    for sid in stop_ids:
        stop = lock_stop(sid, db_session=db_session)
        if stop is not None:
            expired += expire_holds_of_locked_stop(stop, db_session=db_session)
    return expired

"""Seats and the waiting list of a stop: the one place that counts, holds, frees and promotes.

Every change that takes or frees a seat, or changes a capacity, first locks the stop's row inside
the request's transaction (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite, writing
transactions begin ``IMMEDIATE`` and so are already serialised). Counting, inserting and
promoting then happen while no other transaction can do the same for that stop, in any process:
this is how pretix guards its quotas. Lapsed holds are released here, under the same lock, and
after every change ``settle`` gives the free seats to the head of the waiting list, so a
newcomer never finds a seat that someone waiting is first in line for.

A seat is held by a confirmed registration, or by a pending one whose hold has not lapsed
(``holds_seat``: the one definition, for one stop under its lock and for listings of many).

Promotion: the head of the waiting list takes a free seat. If its contact has already confirmed
the email address (or an organiser made it), it becomes confirmed at once; otherwise it becomes
pending with a fresh hold and a new confirmation link, like a new registration that found a seat.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app import clock
from app.companies import emails
from app.companies.models import ACTIVE_STATUSES, Registration, RegistrationStatus
from app.errors import InvalidInput, NotFound
from app.i18n import gettext as _
from app.i18n import lazy
from app.notifications.worker import register_periodic_job
from app.stops.models import Stop

# How often the worker releases lapsed holds; every locked change also releases them.
EXPIRE_HOLDS_EVERY = timedelta(minutes=5)


def lock_stop(stop_id: int, *, db_session: Session) -> Stop:
    """The stop, its row locked until the transaction ends (and re-read, not taken from the cache)."""
    query = select(Stop).where(Stop.id == stop_id).with_for_update().execution_options(populate_existing=True)
    stop = db_session.exec(query).first()
    if stop is None:
        raise NotFound(lazy("This stop does not exist."))
    return stop


def holds_seat() -> ColumnElement[bool]:
    """A registration holding a seat now: confirmed, or pending with a hold that has not lapsed."""
    expires = col(Registration.hold_expires_at)
    live_hold = or_(expires.is_(None), expires > clock.now())
    return or_(
        col(Registration.status) == RegistrationStatus.CONFIRMED,
        and_(col(Registration.status) == RegistrationStatus.PENDING, live_hold),
    )


@dataclass(frozen=True)
class SeatCount:
    held: int = 0
    waiting: int = 0

    def spoken_for(self, capacity: int) -> int:
        """The seats a newcomer finds taken: those held, and free ones the waiting list is first for.

        Outside a lock a lapsed hold may still await release; its seat goes to the head of the
        list, never to a newcomer, so listings count it as taken while anyone is waiting.
        """
        return self.held + min(self.waiting, max(capacity - self.held, 0))


def seat_counts(stop_ids: list[int], *, db_session: Session) -> dict[int, SeatCount]:
    """Per stop, seats held and registrations waiting, in one aggregate query for any number of stops."""
    if not stop_ids:
        return {}
    waiting = col(Registration.status) == RegistrationStatus.WAITLISTED
    rows = db_session.exec(
        select(
            Registration.stop_id,
            func.count(col(Registration.id)).filter(holds_seat()),
            func.count(col(Registration.id)).filter(waiting),
        )
        .where(col(Registration.stop_id).in_(stop_ids))
        .group_by(col(Registration.stop_id))
    )
    return {stop_id: SeatCount(int(held), int(waiting)) for stop_id, held, waiting in rows}


def seats_taken(stop_id: int, *, db_session: Session) -> int:
    return seat_counts([stop_id], db_session=db_session).get(stop_id, SeatCount()).held


def has_free_seat(stop: Stop, *, db_session: Session) -> bool:
    """Whether a seat is free for a newcomer; the stop must be locked and settled."""
    return seats_taken(stop.id or 0, db_session=db_session) < stop.capacity


def waiting_list(stop_id: int, *, db_session: Session, limit: int | None = None) -> list[Registration]:
    """The waiting list in order (its first ``limit`` entries, if given)."""
    query = (
        select(Registration)
        .where(Registration.stop_id == stop_id)
        .where(Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(col(Registration.waitlist_position), col(Registration.id))
        .limit(limit)
        .execution_options(populate_existing=True)
    )
    return list(db_session.exec(query))


def next_waitlist_position(stop_id: int, *, db_session: Session) -> int:
    query = select(func.max(Registration.waitlist_position)).where(Registration.stop_id == stop_id)
    return int(db_session.exec(query).one() or 0) + 1


def _renumber(stop_id: int, *, db_session: Session) -> None:
    """Positions 1..N in arrival order, without gaps.

    Rows move one at a time, lowest first, into positions already freed, so the unique
    (stop, position) constraint holds after every statement on both engines. Positions are
    unique, so a list whose highest position is its length has no gaps: checked first, in one
    aggregate, because every change settles the stop and most leave the list as it was.
    """
    waiting = (
        select(func.count(), func.max(Registration.waitlist_position))
        .where(Registration.stop_id == stop_id)
        .where(Registration.status == RegistrationStatus.WAITLISTED)
    )
    count, highest = db_session.exec(waiting).one()
    if (highest or 0) == count:
        return
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


def _promote(stop: Stop, *, db_session: Session) -> list[Registration]:
    promoted: list[Registration] = []
    free = stop.capacity - seats_taken(stop.id or 0, db_session=db_session)
    if free <= 0:
        return promoted
    for registration in waiting_list(stop.id or 0, db_session=db_session, limit=free):
        token = take_seat(registration, stop)
        db_session.add(registration)
        db_session.flush()
        emails.promoted(registration, stop, token=token, db_session=db_session)
        promoted.append(registration)
    return promoted


def _lapsed_holds(stop_id: int | None, *, db_session: Session) -> list[Registration]:
    query = (
        select(Registration)
        .where(Registration.status == RegistrationStatus.PENDING)
        .where(col(Registration.hold_expires_at) <= clock.now())
    )
    if stop_id is not None:
        query = query.where(Registration.stop_id == stop_id)
    query = query.order_by(col(Registration.id)).execution_options(populate_existing=True)
    return list(db_session.exec(query))


def _release_lapsed_holds(stop: Stop, *, db_session: Session) -> int:
    lapsed = _lapsed_holds(stop.id, db_session=db_session)
    for registration in lapsed:
        registration.status = RegistrationStatus.EXPIRED
        registration.hold_expires_at = None
        registration.updated_at = clock.now()
        db_session.add(registration)
        db_session.flush()
        emails.hold_expired(registration, stop, db_session=db_session)
    return len(lapsed)


def settle(stop: Stop, *, db_session: Session) -> list[Registration]:
    """Release lapsed holds, give free seats to the head of the waiting list, renumber it.

    The stop must be locked. Called on locking for a change and after it; returns the promoted.
    """
    _release_lapsed_holds(stop, db_session=db_session)
    promoted = _promote(stop, db_session=db_session)
    _renumber(stop.id or 0, db_session=db_session)
    return promoted


def lock_and_settle(stop_id: int, *, db_session: Session) -> Stop:
    """The stop locked, its lapsed holds released and its free seats given to those waiting."""
    stop = lock_stop(stop_id, db_session=db_session)
    settle(stop, db_session=db_session)
    return stop


def capacity_problem(stop: Stop, capacity: int, *, db_session: Session) -> str | None:
    """Why ``capacity`` cannot be set on the stop (fewer than the seats held), if it cannot."""
    taken = seats_taken(stop.id or 0, db_session=db_session) if stop.id is not None else 0
    if capacity < taken:
        message = _("%d seats are already taken: cancel or move registrations before lowering the capacity.")
        return message % taken
    return None


def set_capacity(stop: Stop, capacity: int, *, db_session: Session) -> list[Registration]:
    """Change the capacity of a locked stop; raising it promotes from the waiting list (returned)."""
    settle(stop, db_session=db_session)
    problem = capacity_problem(stop, capacity, db_session=db_session)
    if problem is not None:
        raise InvalidInput({"capacity": problem})
    stop.capacity = capacity
    stop.updated_at = clock.now()
    db_session.add(stop)
    db_session.flush()
    return settle(stop, db_session=db_session)


def _active(stop_id: int | None) -> SelectOfScalar[Registration]:
    return (
        select(Registration)
        .where(Registration.stop_id == stop_id)
        .where(col(Registration.status).in_(ACTIVE_STATUSES))
    )


def active_count(stop_id: int, *, db_session: Session) -> int:
    """The registrations that cancelling the stop would cancel: those holding a seat or waiting."""
    query = select(func.count()).select_from(_active(stop_id).subquery())
    return int(db_session.exec(query).one())


def cancel_all(stop: Stop, *, db_session: Session) -> int:
    """Cancel every active registration of a locked stop and clear its waiting list; nothing is deleted.

    Nobody is promoted: the stop itself is being cancelled.
    """
    now = clock.now()
    registrations = list(db_session.exec(_active(stop.id)))
    for registration in registrations:
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.waitlist_position = None
        registration.hold_expires_at = None
        registration.updated_at = now
        db_session.add(registration)
    db_session.flush()
    return len(registrations)


@register_periodic_job("companies.expire-stale-holds", every=EXPIRE_HOLDS_EVERY)
def expire_stale_holds(*, db_session: Session, stop_id: int | None = None) -> int:
    """Release the holds that ran out (of one stop, or of all), promoting from the waiting lists.

    Also the periodic worker job. Each stop is locked before its holds are touched.
    """
    stop_ids = sorted({r.stop_id for r in _lapsed_holds(stop_id, db_session=db_session)})
    expired = 0
    for sid in stop_ids:
        stop = lock_stop(sid, db_session=db_session)
        expired += _release_lapsed_holds(stop, db_session=db_session)
        settle(stop, db_session=db_session)
    return expired

"""Changing registrations once made: their details, cancelling, moving, and a stop's capacity.

Every change that frees a seat or changes a capacity goes through ``app.companies.seats``: the
stop is locked and settled before the change, and settled again after it, so the head of the
waiting list takes any freed seat before a newcomer can.
"""

from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit
from app.companies import emails, registrations, seats
from app.companies.models import ACTIVE_STATUSES, Registration, RegistrationCountry, RegistrationStatus
from app.companies.registrations import RegistrationData
from app.errors import Conflict, InvalidInput
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching.models import MeetingRequest
from app.stops.models import Stop, StopStatus


def update_details(
    registration_id: int, data: RegistrationData, *, db_session: Session, by: User
) -> Registration:
    """Change who comes, the countries of interest and the note of an active registration."""
    registration = registrations.get_for(registration_id, by, db_session=db_session)
    if registration.status not in ACTIVE_STATUSES:
        raise Conflict(lazy("Only an active registration can be changed."))
    stop = db_session.get(Stop, registration.stop_id)
    assert stop is not None
    count, named, countries = registrations.check_details(data, stop, db_session=db_session)
    registration.note = data.note.strip()
    registration.updated_at = clock.now()
    registrations.write_details(registration, count, named, countries, db_session=db_session)
    return registration


def cancel(registration_id: int, *, db_session: Session, by: User) -> Registration:
    """Cancel; a freed seat goes to the head of the waiting list. Cancelling twice changes nothing."""
    registration = registrations.get_for(registration_id, by, db_session=db_session)
    stop = seats.lock_and_settle(registration.stop_id, db_session=db_session)
    db_session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    if registration.status == RegistrationStatus.EXPIRED:
        raise Conflict(lazy("This registration has already lapsed."))
    before = registrations.audited(registration)
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = clock.now()
    registration.updated_at = clock.now()
    registration.waitlist_position = None
    registration.hold_expires_at = None
    registration.confirmation_token_hash = None
    db_session.add(registration)
    db_session.flush()
    emails.cancelled(registration, stop, db_session=db_session)
    seats.settle(stop, db_session=db_session)
    if registrations.is_organiser(by):
        audit.record(
            db_session=db_session,
            actor=by,
            action="registration.cancel",
            entity_type="registration",
            entity_id=registration.id,
            before=before,
            after=registrations.audited(registration),
        )
    return registration


def _has_meeting_requests(registration: Registration, *, db_session: Session) -> bool:
    found = select(MeetingRequest.id).where(MeetingRequest.registration_id == registration.id)
    return db_session.exec(found.limit(1)).first() is not None


def set_capacity(stop_id: int, capacity: int, *, db_session: Session, by: User) -> list[Registration]:
    """Change a stop's capacity; raising it promotes from the waiting list (returned)."""
    stop = seats.lock_stop(stop_id, db_session=db_session)
    before = stop.capacity
    promoted = seats.set_capacity(stop, capacity, db_session=db_session)
    audit.record(
        db_session=db_session,
        actor=by,
        action="stop.capacity",
        entity_type="stop",
        entity_id=stop.id,
        before={"capacity": before},
        after={"capacity": capacity},
    )
    return promoted


def move(registration_id: int, to_stop_id: int, *, db_session: Session, by: User) -> Registration:
    """Move an active registration to another stop: its seat there if one is free, else the list.

    Both stops are locked in id order, so two opposite moves cannot deadlock. Countries of
    interest not featured at the new stop are dropped.
    """
    registration = registrations.get(registration_id, db_session=db_session)
    if registration.stop_id == to_stop_id:
        raise InvalidInput({"stop_id": _("Choose a different stop.")})
    if db_session.get(Stop, to_stop_id) is None:
        raise InvalidInput({"stop_id": _("This stop does not exist.")})
    locked = {
        sid: seats.lock_stop(sid, db_session=db_session) for sid in sorted((registration.stop_id, to_stop_id))
    }
    source, target = locked[registration.stop_id], locked[to_stop_id]
    for stop in (source, target):
        seats.settle(stop, db_session=db_session)
    db_session.refresh(registration)
    if registration.status not in ACTIVE_STATUSES:
        raise Conflict(lazy("Only an active registration can be moved."))
    if target.status in (StopStatus.CANCELLED, StopStatus.CLOSED) or target.stop_date < clock.today():
        raise Conflict(lazy("This stop does not take registrations."))
    already = registrations.active_registration(to_stop_id, registration.company_id, db_session=db_session)
    if already is not None:
        raise Conflict(lazy("This company is already registered for the other stop."))
    if _has_meeting_requests(registration, db_session=db_session):
        # They are addressed to this stop's representatives: none of them is at the other stop.
        raise Conflict(
            lazy(
                "This company has asked for meetings at its stop: remove its requests on that "
                "stop's B2B meetings page before moving it."
            )
        )
    before = registrations.audited(registration)
    target_has_seat = seats.has_free_seat(target, db_session=db_session)
    next_position = seats.next_waitlist_position(to_stop_id, db_session=db_session)
    registration.stop_id = to_stop_id
    registration.waitlist_position = None
    registration.updated_at = clock.now()
    token = None
    if target_has_seat:
        if registration.status == RegistrationStatus.WAITLISTED:
            token = seats.take_seat(registration, target)
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlist_position = next_position
        registration.hold_expires_at = None
    db_session.add(registration)
    db_session.flush()
    featured = set(registrations.featured_countries(to_stop_id, db_session=db_session))
    for link in db_session.exec(
        select(RegistrationCountry).where(RegistrationCountry.registration_id == registration.id)
    ):
        if link.country_code not in featured:
            db_session.delete(link)
    db_session.flush()
    seats.settle(source, db_session=db_session)
    emails.moved(registration, source, target, token=token, db_session=db_session)
    audit.record(
        db_session=db_session,
        actor=by,
        action="registration.move",
        entity_type="registration",
        entity_id=registration.id,
        before=before,
        after=registrations.audited(registration),
    )
    return registration

"""Registering companies for stops: seats, the waiting list, confirmation, cancelling, moving.

The rules on seats live in ``app.companies.seats``; every operation here that takes or frees a
seat locks the stop first (see there), then expires the stop's lapsed holds.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, delete, select

from app import clock
from app.accounts import service as accounts_service
from app.accounts.models import Role, User
from app.audit import service as audit
from app.companies import emails, seats
from app.companies.models import (
    ACTIVE_STATUSES,
    SEAT_HOLDING_STATUSES,
    Attendee,
    Company,
    Registration,
    RegistrationCountry,
    RegistrationStatus,
)
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.forms import Problems
from app.i18n import gettext as _
from app.i18n import lazy
from app.reference.models import Country
from app.stops.models import Stop, StopCountry, StopStatus

# The version of the privacy notice beside the form (templates/companies/public/privacy.html).
PRIVACY_VERSION = "2026-11"

ORGANISER_ROLES = (Role.ORGANISER, Role.ADMIN)


@dataclass
class AttendeeData:
    name: str = ""
    role: str = ""
    email: str = ""


@dataclass
class RegistrationData:
    """What a registration asks for: who comes (names, or only how many) and which countries."""

    attendees: list[AttendeeData] | int = 1
    countries: list[str] = field(default_factory=list)
    note: str = ""
    privacy_accepted: bool = False


def _audited(registration: Registration) -> dict[str, object]:
    """What the audit log keeps of a registration."""
    return {
        "stop_id": registration.stop_id,
        "company_id": registration.company_id,
        "status": str(registration.status),
        "waitlist_position": registration.waitlist_position,
        "attendee_count": registration.attendee_count,
    }


def is_organiser(user: User | None) -> bool:
    return user is not None and user.role in ORGANISER_ROLES


def get(registration_id: int, *, db_session: Session) -> Registration:
    registration = db_session.get(Registration, registration_id)
    if registration is None:
        raise NotFound(lazy("This registration does not exist."))
    return registration


def get_for(registration_id: int, user: User, *, db_session: Session) -> Registration:
    """A registration that ``user`` may see and change: an organiser's, or their company's own."""
    registration = get(registration_id, db_session=db_session)
    if is_organiser(user):
        return registration
    if user.role == Role.COMPANY and user.company_id == registration.company_id:
        return registration
    if user.role == Role.COMPANY:
        raise NotFound(lazy("This registration does not exist."))
    raise Forbidden()


def featured_countries(stop_id: int, *, db_session: Session) -> list[str]:
    query = select(StopCountry.country_code).where(StopCountry.stop_id == stop_id)
    return list(db_session.exec(query.order_by(col(StopCountry.position))))


def _check_attendees(attendees: list[AttendeeData], errors: dict[str, str]) -> list[AttendeeData]:
    """Named attendees (blank rows skipped), each with a name and a valid email."""
    named: list[AttendeeData] = []
    for index, attendee in enumerate(attendees):
        person = AttendeeData(" ".join(attendee.name.split()), attendee.role.strip(), attendee.email.strip())
        if not (person.name or person.role or person.email):
            continue
        if not person.name:
            errors[f"attendees.{index}.name"] = _("Enter the attendee's name.")
        elif len(person.name) > 120 or len(person.role) > 120:
            errors[f"attendees.{index}.name"] = _("This is too long (%d characters at most).") % 120
        try:
            person.email = accounts_service.normalise_email(person.email)
        except InvalidInput:
            errors[f"attendees.{index}.email"] = _("Enter a valid email address.")
        named.append(person)
    return named


def _check_countries(
    values: list[str], stop: Stop, errors: dict[str, str], *, db_session: Session
) -> list[str]:
    featured = featured_countries(stop.id or 0, db_session=db_session)
    countries: list[str] = []
    for raw in values:
        code = raw.strip().upper()
        if code in featured:
            if code not in countries:
                countries.append(code)
        elif db_session.get(Country, code) is None:
            errors["countries"] = _("Unknown country '%s': use an ISO 3166 alpha-2 code.") % raw
        else:
            errors["countries"] = _("%s is not one of the prospect countries of this stop.") % code
    return countries


def check_details(
    data: RegistrationData, stop: Stop, *, db_session: Session
) -> tuple[int, list[AttendeeData], list[str]]:
    """Attendees (1 to the stop's limit) and countries of interest among the stop's prospects."""
    errors = Problems()
    limit = stop.attendees_per_company
    named: list[AttendeeData] = []
    if isinstance(data.attendees, int):
        count = data.attendees
    else:
        named = _check_attendees(data.attendees, errors)
        count = len(named)
    if not 1 <= count <= limit:
        errors["attendees"] = _("Register from 1 to %d attendees for this stop.") % limit
    countries = _check_countries(data.countries, stop, errors, db_session=db_session)
    if len(data.note) > 2000:
        errors["note"] = _("The note is too long (2000 characters at most).")
    errors.check()
    return count, named, countries


def _check_open(stop: Stop, now: datetime) -> None:
    if stop.status != StopStatus.PUBLISHED or stop.stop_date < clock.today():
        raise Conflict(lazy("This stop does not take registrations."))
    if stop.registration_opens_at and now < stop.registration_opens_at:
        raise Conflict(lazy("Registrations for this stop are not open yet."))
    if stop.registration_closes_at and now >= stop.registration_closes_at:
        raise Conflict(lazy("Registrations for this stop are closed."))


def _active_registration(stop_id: int, company_id: int, *, db_session: Session) -> Registration | None:
    query = (
        select(Registration)
        .where(Registration.stop_id == stop_id)
        .where(Registration.company_id == company_id)
        .where(col(Registration.status).in_(ACTIVE_STATUSES))
    )
    return db_session.exec(query).first()


def _write_details(
    registration: Registration,
    count: int,
    named: list[AttendeeData],
    countries: list[str],
    *,
    db_session: Session,
) -> None:
    registration.attendee_count = count
    db_session.add(registration)
    db_session.flush()
    rid = registration.id or 0
    db_session.exec(delete(Attendee).where(col(Attendee.registration_id) == rid))
    db_session.exec(delete(RegistrationCountry).where(col(RegistrationCountry.registration_id) == rid))
    for person in named:
        db_session.add(Attendee(registration_id=rid, name=person.name, role=person.role, email=person.email))
    for code in countries:
        db_session.add(RegistrationCountry(registration_id=rid, country_code=code))
    db_session.flush()


def _announce(registration: Registration, stop: Stop, token: str | None, *, db_session: Session) -> None:
    if token is not None:
        emails.confirm(registration, stop, token=token, db_session=db_session)
    elif registration.status == RegistrationStatus.CONFIRMED:
        emails.confirmed(registration, stop, db_session=db_session)
    else:
        emails.waitlisted(registration, stop, db_session=db_session)


def register(
    company: Company,
    stop_id: int,
    data: RegistrationData,
    *,
    db_session: Session,
    by: User | None = None,
) -> Registration:
    """Register ``company`` for a stop: a seat if one is free, else the end of the waiting list.

    Made by an organiser, it is confirmed at once; otherwise it holds its seat for the stop's
    hold time while the contact confirms by the emailed link.
    """
    stop = db_session.get(Stop, stop_id)
    if stop is None or (stop.status == StopStatus.DRAFT and not is_organiser(by)):
        raise NotFound(lazy("This stop does not exist or is not published."))
    by_organiser = is_organiser(by)
    if not by_organiser and not data.privacy_accepted:
        raise InvalidInput({"privacy": _("Please accept the privacy notice to register.")})
    count, named, countries = check_details(data, stop, db_session=db_session)

    stop = seats.lock_stop(stop_id, db_session=db_session)
    assert stop is not None
    now = clock.now()
    _check_open(stop, now)
    seats.expire_holds_of_locked_stop(stop, db_session=db_session)
    if _active_registration(stop_id, company.id or 0, db_session=db_session) is not None:
        raise Conflict(
            lazy("This company (VAT number %(vat)s) is already registered for this stop."),
            vat=company.vat_number,
        )

    registration = Registration(
        stop_id=stop_id,
        company_id=company.id or 0,
        status=RegistrationStatus.WAITLISTED,
        note=data.note.strip(),
        created_by_user_id=by.id if by else None,
    )
    if not by_organiser:
        registration.privacy_version = PRIVACY_VERSION
        registration.privacy_accepted_at = now
    token = None
    has_seat = seats.seats_taken(stop_id, db_session=db_session) < stop.capacity
    if by_organiser:
        registration.email_verified_at = now
        if has_seat:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
    elif has_seat:
        token = seats.hold_seat(registration, stop)
    else:
        token = seats.new_confirmation_token(registration)
    if registration.status == RegistrationStatus.WAITLISTED:
        registration.waitlist_position = seats.next_waitlist_position(stop_id, db_session=db_session)
    db_session.add(registration)
    db_session.flush()
    _write_details(registration, count, named, countries, db_session=db_session)

    _announce(registration, stop, token, db_session=db_session)
    if by_organiser:
        audit.record(
            db_session=db_session,
            actor=by,
            action="registration.create",
            entity_type="registration",
            entity_id=registration.id,
            after=_audited(registration),
        )
    return registration


def confirm(token: str, *, db_session: Session) -> Registration:
    """Use a single-use confirmation link: the contact has proved the email address."""
    query = select(Registration).where(Registration.confirmation_token_hash == seats.token_hash(token))
    registration = db_session.exec(query).first()
    if registration is None:
        raise NotFound(lazy("This confirmation link is not valid or has already been used."))
    stop = seats.lock_stop(registration.stop_id, db_session=db_session)
    assert stop is not None
    seats.expire_holds_of_locked_stop(stop, db_session=db_session)
    db_session.refresh(registration)
    registration.confirmation_token_hash = None
    registration.updated_at = clock.now()
    db_session.add(registration)
    if registration.status == RegistrationStatus.EXPIRED:
        db_session.flush()
        raise Conflict(
            lazy("This registration was not confirmed in time and its seat was released. Register again.")
        )
    if registration.status == RegistrationStatus.CANCELLED:
        db_session.flush()
        raise Conflict(lazy("This registration has been cancelled."))
    registration.email_verified_at = registration.email_verified_at or clock.now()
    if registration.status == RegistrationStatus.PENDING:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = clock.now()
        registration.hold_expires_at = None
    db_session.flush()
    if registration.status == RegistrationStatus.CONFIRMED:
        emails.confirmed(registration, stop, db_session=db_session)
    return registration


def cancel(registration_id: int, *, db_session: Session, by: User) -> Registration:
    """Cancel; a freed seat goes to the head of the waiting list. Cancelling twice changes nothing."""
    registration = get_for(registration_id, by, db_session=db_session)
    stop = seats.lock_stop(registration.stop_id, db_session=db_session)
    assert stop is not None
    seats.expire_holds_of_locked_stop(stop, db_session=db_session)
    db_session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    if registration.status == RegistrationStatus.EXPIRED:
        raise Conflict(lazy("This registration has already lapsed."))
    before = _audited(registration)
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = clock.now()
    registration.updated_at = clock.now()
    registration.waitlist_position = None
    registration.hold_expires_at = None
    registration.confirmation_token_hash = None
    db_session.add(registration)
    db_session.flush()
    emails.cancelled(registration, stop, db_session=db_session)
    seats.renumber(stop.id or 0, db_session=db_session)
    seats.promote(stop, db_session=db_session)
    if is_organiser(by):
        audit.record(
            db_session=db_session,
            actor=by,
            action="registration.cancel",
            entity_type="registration",
            entity_id=registration.id,
            before=before,
            after=_audited(registration),
        )
    return registration


def update_details(
    registration_id: int, data: RegistrationData, *, db_session: Session, by: User
) -> Registration:
    """Change who comes, the countries of interest and the note of an active registration."""
    registration = get_for(registration_id, by, db_session=db_session)
    if registration.status not in ACTIVE_STATUSES:
        raise Conflict(lazy("Only an active registration can be changed."))
    stop = db_session.get(Stop, registration.stop_id)
    assert stop is not None
    count, named, countries = check_details(data, stop, db_session=db_session)
    registration.note = data.note.strip()
    registration.updated_at = clock.now()
    _write_details(registration, count, named, countries, db_session=db_session)
    return registration


def set_capacity(stop_id: int, capacity: int, *, db_session: Session, by: User) -> list[Registration]:
    """Change a stop's capacity; raising it promotes from the waiting list (returned)."""
    stop = seats.lock_stop(stop_id, db_session=db_session)
    if stop is None:
        raise NotFound(lazy("This stop does not exist."))
    seats.expire_holds_of_locked_stop(stop, db_session=db_session)
    taken = seats.seats_taken(stop_id, db_session=db_session)
    if capacity < taken:
        message = _("%d seats are already taken: cancel or move registrations before lowering the capacity.")
        raise InvalidInput({"capacity": message % taken})
    before = stop.capacity
    stop.capacity = capacity
    stop.updated_at = clock.now()
    db_session.add(stop)
    db_session.flush()
    audit.record(
        db_session=db_session,
        actor=by,
        action="stop.capacity",
        entity_type="stop",
        entity_id=stop.id,
        before={"capacity": before},
        after={"capacity": capacity},
    )
    return seats.promote(stop, db_session=db_session)


def move(registration_id: int, to_stop_id: int, *, db_session: Session, by: User) -> Registration:
    """Move an active registration to another stop: its seat there if one is free, else the list.

    Both stops are locked in id order, so two opposite moves cannot deadlock. Countries of
    interest not featured at the new stop are dropped.
    """
    registration = get(registration_id, db_session=db_session)
    if registration.stop_id == to_stop_id:
        raise InvalidInput({"stop_id": _("Choose a different stop.")})
    if db_session.get(Stop, to_stop_id) is None:
        raise InvalidInput({"stop_id": _("This stop does not exist.")})
    locked = {
        sid: seats.lock_stop(sid, db_session=db_session) for sid in sorted((registration.stop_id, to_stop_id))
    }
    source, target = locked[registration.stop_id], locked[to_stop_id]
    assert source is not None and target is not None
    for stop in (source, target):
        seats.expire_holds_of_locked_stop(stop, db_session=db_session)
    db_session.refresh(registration)
    if registration.status not in ACTIVE_STATUSES:
        raise Conflict(lazy("Only an active registration can be moved."))
    if target.status in (StopStatus.CANCELLED, StopStatus.CLOSED) or target.stop_date < clock.today():
        raise Conflict(lazy("This stop does not take registrations."))
    if _active_registration(to_stop_id, registration.company_id, db_session=db_session) is not None:
        raise Conflict(lazy("This company is already registered for the other stop."))
    before = _audited(registration)
    held_seat = registration.status in SEAT_HOLDING_STATUSES
    target_has_seat = seats.seats_taken(to_stop_id, db_session=db_session) < target.capacity
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
    featured = set(featured_countries(to_stop_id, db_session=db_session))
    for link in db_session.exec(
        select(RegistrationCountry).where(RegistrationCountry.registration_id == registration.id)
    ):
        if link.country_code not in featured:
            db_session.delete(link)
    db_session.flush()
    seats.renumber(source.id or 0, db_session=db_session)
    if held_seat:
        seats.promote(source, db_session=db_session)
    emails.moved(registration, source, target, token=token, db_session=db_session)
    audit.record(
        db_session=db_session,
        actor=by,
        action="registration.move",
        entity_type="registration",
        entity_id=registration.id,
        before=before,
        after=_audited(registration),
    )
    return registration

"""Organisers' operations on stops: create, change, duplicate, publish, close and cancel.

Every change is checked as a whole (one message per bad field), written to the audit log with
the stop's countries, and, when it touches people already involved, told to them by email.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlmodel import Session, col, delete, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit_service
from app.companies.models import Registration, RegistrationStatus
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import gettext as _
from app.i18n import lazy
from app.reference.models import Country, Sector, Territory
from app.stops import notices
from app.stops import service as stops_service
from app.stops.fields import FieldReader, iso_country_names
from app.stops.models import PublicationStatus, Stop, StopCountry, StopStatus

# Changing these on an announced stop is news for everyone registered or invited.
NOTIFIED_FIELDS = ("stop_date", "start_time", "end_time", "city", "venue", "venue_address")
ANNOUNCED_STATUSES = (StopStatus.PUBLISHED, StopStatus.CLOSED)
NEW_STOP_STATUSES = (StopStatus.DRAFT, StopStatus.PUBLISHED)
OPEN_REGISTRATION_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
)

# Input names and the columns they fill; defaults are the model's, as strings a form would send.
DEFAULTS: dict[str, Any] = {
    "description_it": "",
    "description_en": "",
    "venue_address": "",
    "start_time": "09:30",
    "end_time": "17:30",
    "attendees_per_company": 2,
    "registration_opens_at": None,
    "registration_closes_at": None,
    "hold_hours": 48,
    "meeting_request_quota": 3,
    "auto_accept_requests": False,
    "b2b_first_slot": None,
    "b2b_slot_minutes": 20,
    "b2b_slot_count": 0,
    "b2b_tables": 0,
    "countries": [],
}


FIELDS = frozenset(
    {*DEFAULTS, "title", "title_it", "title_en", "sector", "territory", "city", "venue", "date", "capacity"}
) | {"other_countries"}


@dataclass
class StopChange:
    """The checked values of a create or update: columns, and the countries in order."""

    columns: dict[str, Any]
    countries: list[str] | None


def _lock(stop_id: int, *, db_session: Session) -> Stop:
    """The stop, locked for this transaction (PostgreSQL; SQLite writers already queue)."""
    stop = db_session.exec(select(Stop).where(Stop.id == stop_id).with_for_update()).first()
    if stop is None:
        raise NotFound(lazy("This stop does not exist."))
    return stop


def country_codes(stop_id: int, *, db_session: Session) -> list[str]:
    links = db_session.exec(
        select(StopCountry).where(StopCountry.stop_id == stop_id).order_by(col(StopCountry.position))
    )
    return [link.country_code for link in links]


def _titles(raw: Mapping[str, Any]) -> dict[str, Any]:
    """``title`` fills whichever of ``title_it`` and ``title_en`` is missing."""
    values = dict(raw)
    shared = values.pop("title", None)
    it, en = values.get("title_it") or shared, values.get("title_en") or shared
    if it or en or "title_it" in raw or "title_en" in raw:
        values["title_it"], values["title_en"] = it or en, en or it
    return values


TEXTS = {
    "title_it": (200, True),
    "title_en": (200, True),
    "description_it": (4000, False),
    "description_en": (4000, False),
    "city": (120, True),
    "venue": (200, True),
    "venue_address": (300, False),
}
NUMBERS = {
    "capacity": (0, 100_000),
    "attendees_per_company": (1, 20),
    "hold_hours": (1, 720),
    "meeting_request_quota": (0, 50),
    "b2b_slot_minutes": (5, 120),
    "b2b_slot_count": (0, 100),
    "b2b_tables": (0, 200),
}


def _read(
    raw: Mapping[str, Any], *, creating: bool, db_session: Session
) -> tuple[FieldReader, list[str] | None]:
    read = FieldReader(raw)
    wanted = [name for name in FIELDS if creating or read.given(name)]
    if creating and "title_it" not in raw:
        read.errors["title"] = _("Give the stop a title.")
        wanted = [name for name in wanted if name not in ("title_it", "title_en")]
    for name in wanted:
        if name in TEXTS:
            read.text(name, max_length=TEXTS[name][0], required=TEXTS[name][1])
        elif name in NUMBERS:
            read.integer(name, minimum=NUMBERS[name][0], maximum=NUMBERS[name][1])
        elif name in ("start_time", "end_time"):
            read.clock_time(name)
        elif name == "b2b_first_slot":
            read.clock_time(name, optional=True)
        elif name in ("registration_opens_at", "registration_closes_at"):
            read.moment(name)
        elif name == "date":
            read.day(name, column="stop_date")
        elif name == "auto_accept_requests":
            read.flag(name)
    _read_reference(read, wanted, db_session=db_session)
    countries = _read_countries(read, db_session=db_session) if "countries" in wanted else None
    return read, countries


def _read_reference(read: FieldReader, wanted: list[str], *, db_session: Session) -> None:
    """Sector and territory by their codes."""
    if "sector" in wanted:
        read.text("sector", max_length=40, required=True, column="sector_slug")
        slug = read.values.pop("sector_slug", None)
        if slug is not None and db_session.get(Sector, slug.lower()) is None:
            read.errors["sector"] = _("Unknown sector '%s'.") % slug
        elif slug is not None:
            read.values["sector_slug"] = slug.lower()
    if "territory" in wanted:
        read.text("territory", max_length=2, required=True, column="territory_code")
        code = read.values.pop("territory_code", None)
        if code is not None and db_session.get(Territory, code.upper()) is None:
            read.errors["territory"] = _("Unknown territory '%s': use a province code.") % code
        elif code is not None:
            read.values["territory_code"] = code.upper()


def _read_countries(read: FieldReader, *, db_session: Session) -> list[str] | None:
    known = {c.code for c in db_session.exec(select(Country))}
    iso = iso_country_names()
    chosen: list[str] = []
    for name in ("countries", "other_countries"):
        codes = read.codes(name)
        if codes is None:
            continue
        unknown = [code for code in codes if code not in known and code not in iso]
        if unknown:
            read.errors[name] = _(
                "Unknown country code: %(codes)s. Use ISO 3166 alpha-2 codes, such as JP for Japan."
            ) % {"codes": ", ".join(unknown)}
        chosen += [code for code in codes if code not in unknown and code not in chosen]
    return chosen


def _check_together(
    values: dict[str, Any], errors: dict[str, str], *, stop: Stop | None, db_session: Session
) -> None:
    """Rules across fields, on the stop as it would be after the change."""

    def merged(column: str) -> Any:
        if column in values:
            return values[column]
        return getattr(stop, column) if stop is not None else None

    day, start, end = merged("stop_date"), merged("start_time"), merged("end_time")
    if (
        "stop_date" in values
        and day is not None
        and day < clock.today()
        and (stop is None or day != stop.stop_date)
    ):
        errors["date"] = _("The stop cannot be on a day already past.")
    if start is not None and end is not None and end <= start:
        errors.setdefault("end_time", _("The stop must end after it starts."))
    opens, closes = merged("registration_opens_at"), merged("registration_closes_at")
    if opens and closes and closes <= opens:
        errors.setdefault("registration_closes_at", _("Registrations must close after they open."))
    if day is not None and closes and closes.astimezone(clock.ROME).date() > day:
        errors.setdefault(
            "registration_closes_at", _("Registrations must close no later than the day of the stop.")
        )
    if day is not None and opens and opens.astimezone(clock.ROME).date() > day:
        errors.setdefault("registration_opens_at", _("Registrations must open before the day of the stop."))
    _check_b2b_block(merged, errors)
    capacity = values.get("capacity")
    if stop is not None and stop.id is not None and capacity is not None:
        taken = stops_service.seats_taken([stop.id], db_session=db_session).get(stop.id, 0)
        if capacity < taken:
            errors.setdefault(
                "capacity",
                _("%(n)d companies already hold a seat (confirmed or pending): the capacity cannot be lower.")
                % {"n": taken},
            )


def _check_b2b_block(merged: Any, errors: dict[str, str]) -> None:
    count, minutes, first = merged("b2b_slot_count"), merged("b2b_slot_minutes"), merged("b2b_first_slot")
    if not count:
        return
    if first is None:
        errors.setdefault("b2b_first_slot", _("Give the time of the first meeting slot."))
        return
    if not merged("b2b_tables"):
        errors.setdefault("b2b_tables", _("The meetings need at least one table."))
    start, end = merged("start_time"), merged("end_time")
    if start is None or end is None or minutes is None:
        return
    block_start = first.hour * 60 + first.minute
    block_end = block_start + count * minutes
    if block_start < start.hour * 60 + start.minute or block_end > end.hour * 60 + end.minute:
        last = time(block_end // 60 % 24, block_end % 60) if block_end < 24 * 60 else time(23, 59)
        errors.setdefault(
            "b2b_slot_count",
            _("The meetings block (%(first)s–%(last)s) must fit within the day (%(start)s–%(end)s).")
            % {
                "first": first.strftime("%H:%M"),
                "last": last.strftime("%H:%M") if block_end < 24 * 60 else _("after midnight"),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
            },
        )


def check(raw: Mapping[str, Any], *, stop: Stop | None, db_session: Session) -> StopChange:
    """The checked change, or InvalidInput naming every bad field."""
    creating = stop is None
    shared_title = "title" in raw and "title_it" not in raw and "title_en" not in raw
    values = _titles({**DEFAULTS, **raw} if creating else raw)
    read, countries = _read(values, creating=creating, db_session=db_session)
    for name in raw:
        if name not in FIELDS and name != "status":
            read.errors[name] = _("Unknown field.")
    if not creating and "status" in raw and raw["status"] != (stop.status if stop else None):
        read.errors["status"] = _("Change the status with the publish, close or cancel actions.")
    for name in ("title_it", "title_en"):
        if shared_title and name in read.errors:
            read.errors["title"] = read.errors.pop(name)
    _check_together(read.values, read.errors, stop=stop, db_session=db_session)
    if read.errors:
        raise InvalidInput(read.errors)
    return StopChange(columns=read.values, countries=countries)


def _slug(city: str, day: Any, *, db_session: Session) -> str:
    ascii_city = unicodedata.normalize("NFKD", city).encode("ascii", "ignore").decode()
    base = (re.sub(r"[^a-z0-9]+", "-", ascii_city.lower()).strip("-")[:60] or "stop") + f"-{day.isoformat()}"
    taken = set(db_session.exec(select(Stop.slug).where(col(Stop.slug).startswith(base))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _set_countries(stop: Stop, codes: list[str], *, db_session: Session) -> None:
    """Link the stop to ``codes``; a real country not yet known is added with Babel's names."""
    names = iso_country_names()
    for code in codes:
        if db_session.get(Country, code) is None:
            name_it, name_en = names[code]
            db_session.add(Country(code=code, name_it=name_it, name_en=name_en, is_prospect=False))
    db_session.flush()
    assert stop.id is not None
    db_session.exec(delete(StopCountry).where(col(StopCountry.stop_id) == stop.id))
    for position, code in enumerate(codes):
        db_session.add(StopCountry(stop_id=stop.id, country_code=code, position=position))
    db_session.flush()


def _snapshot(stop: Stop, countries: list[str]) -> dict[str, Any]:
    return audit_service.snapshot(stop, countries=countries)


def create(
    raw: Mapping[str, Any],
    *,
    actor: User | None,
    db_session: Session,
    origin: Mapping[str, Any] | None = None,
) -> Stop:
    """A new stop, checked, slugged and audited; ``origin`` adds where it came from to the audit entry."""
    status = str(raw.get("status") or StopStatus.DRAFT)
    change = check(raw, stop=None, db_session=db_session)
    if status not in NEW_STOP_STATUSES:
        raise InvalidInput({"status": _("A new stop is either a draft or published.")})
    countries = change.countries or []
    if status == StopStatus.PUBLISHED and not countries:
        raise InvalidInput({"countries": _("Choose at least one prospect country before publishing.")})
    columns = change.columns
    stop = Stop(
        slug=_slug(columns["city"], columns["stop_date"], db_session=db_session),
        status=StopStatus(status),
        **columns,
    )
    db_session.add(stop)
    db_session.flush()
    _set_countries(stop, countries, db_session=db_session)
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="create",
        entity_type="stop",
        entity_id=stop.id,
        after={**_snapshot(stop, countries), **(origin or {})},
    )
    return stop


def update(stop_id: int, raw: Mapping[str, Any], *, actor: User | None, db_session: Session) -> Stop:
    stop = _lock(stop_id, db_session=db_session)
    if stop.status == StopStatus.CANCELLED:
        raise Conflict(lazy("A cancelled stop cannot be changed."))
    old_countries = country_codes(stop_id, db_session=db_session)
    before = _snapshot(stop, old_countries)
    old_values = {column: getattr(stop, column) for column in NOTIFIED_FIELDS}
    change = check(raw, stop=stop, db_session=db_session)
    countries = old_countries if change.countries is None else change.countries
    if stop.status in ANNOUNCED_STATUSES and not countries:
        raise InvalidInput({"countries": _("A published stop needs at least one prospect country.")})
    for column, value in change.columns.items():
        setattr(stop, column, value)
    stop.updated_at = clock.now()
    db_session.add(stop)
    db_session.flush()
    if countries != old_countries:
        _set_countries(stop, countries, db_session=db_session)
    old, new = audit_service.changed(before, _snapshot(stop, countries))
    new.pop("updated_at", None)
    old.pop("updated_at", None)
    if new:
        audit_service.record(
            db_session=db_session,
            actor=actor,
            action="update",
            entity_type="stop",
            entity_id=stop.id,
            before=old,
            after=new,
        )
    changes = {
        column: (old_values[column], getattr(stop, column))
        for column in NOTIFIED_FIELDS
        if old_values[column] != getattr(stop, column)
    }
    if stop.status in ANNOUNCED_STATUSES and changes:
        notices.tell_about_changes(stop, changes, db_session=db_session)
    return stop


def duplicate(stop_id: int, *, actor: User | None, db_session: Session) -> Stop:
    """A draft copy to adjust: same day, place, settings and countries, nothing of its people."""
    original = stops_service.get(stop_id, db_session=db_session)
    countries = country_codes(stop_id, db_session=db_session)
    skipped = {"id", "slug", "status", "schedule_status", "agenda_status", "created_at", "updated_at"}
    columns = {k: v for k, v in original.model_dump().items() if k not in skipped}
    columns["title_it"] = (original.title_it + " (copia)")[:200]
    columns["title_en"] = (original.title_en + " (copy)")[:200]
    copy = Stop(
        **columns,
        slug=_slug(original.city, original.stop_date, db_session=db_session),
        status=StopStatus.DRAFT,
        schedule_status=PublicationStatus.NONE,
        agenda_status=PublicationStatus.NONE,
    )
    db_session.add(copy)
    db_session.flush()
    _set_countries(copy, countries, db_session=db_session)
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="duplicate",
        entity_type="stop",
        entity_id=copy.id,
        before={"duplicated_from": original.id},
        after=_snapshot(copy, countries),
    )
    return copy


# action -> (statuses it starts from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[StopStatus, ...], StopStatus]] = {
    "publish": ((StopStatus.DRAFT, StopStatus.CLOSED), StopStatus.PUBLISHED),
    "close": ((StopStatus.PUBLISHED,), StopStatus.CLOSED),
    "cancel": ((StopStatus.DRAFT, StopStatus.PUBLISHED, StopStatus.CLOSED), StopStatus.CANCELLED),
}
WRONG_STATUS = {
    "publish": lazy("Only a draft, or a stop whose registrations are closed, can be published."),
    "close": lazy("Only a published stop can close its registrations."),
    "cancel": lazy("This stop is already cancelled."),
}


def transition(
    stop_id: int, action: str, *, actor: User | None, db_session: Session, reason: str = ""
) -> Stop:
    """Move a stop along draft -> published -> closed, or to cancelled, telling who must know."""
    if action not in TRANSITIONS:
        raise NotFound()
    stop = _lock(stop_id, db_session=db_session)
    sources, target = TRANSITIONS[action]
    if stop.status not in sources:
        raise Conflict(WRONG_STATUS[action])
    countries = country_codes(stop_id, db_session=db_session)
    if target == StopStatus.PUBLISHED:
        if not countries:
            raise Conflict(lazy("Choose at least one prospect country before publishing."))
        if stop.stop_date < clock.today():
            raise Conflict(lazy("A stop whose day is past cannot be published."))
    before_status, announced = stop.status, stop.status in ANNOUNCED_STATUSES
    stop.status = target
    stop.updated_at = clock.now()
    db_session.add(stop)
    db_session.flush()
    after: dict[str, Any] = {"status": target}
    if target == StopStatus.CANCELLED:
        if announced:
            notices.tell_about_cancellation(stop, reason.strip(), db_session=db_session)
        after["registrations_cancelled"] = _close_registrations(stop, db_session=db_session)
        after["reason"] = reason.strip()
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action=action,
        entity_type="stop",
        entity_id=stop.id,
        before={"status": before_status, "countries": countries},
        after=after,
    )
    return stop


def _close_registrations(stop: Stop, *, db_session: Session) -> int:
    """Cancel every open registration and clear the waiting list; nothing is deleted."""
    now = clock.now()
    registrations = list(
        db_session.exec(
            select(Registration)
            .where(Registration.stop_id == stop.id)
            .where(col(Registration.status).in_(OPEN_REGISTRATION_STATUSES))
        )
    )
    for registration in registrations:
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.waitlist_position = None
        registration.hold_expires_at = None
        registration.updated_at = now
        db_session.add(registration)
    db_session.flush()
    return len(registrations)

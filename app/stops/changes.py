"""Organisers' operations on stops: create, change, duplicate, publish, close and cancel.

Every change is checked as a whole by ``validation.check`` (one message per bad field), written
to the audit log with the stop's countries, and, when it touches people already involved, told
to them by email.
"""

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, delete, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit_service
from app.companies import seats
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import gettext as _
from app.i18n import lazy
from app.reference.models import Country
from app.stops import notices
from app.stops import service as stops_service
from app.stops.fields import iso_country_names
from app.stops.models import PublicationStatus, Stop, StopCountry, StopStatus
from app.stops.validation import check

# Changing these on an announced stop is news for everyone registered or invited.
NOTIFIED_FIELDS = ("stop_date", "start_time", "end_time", "city", "venue", "venue_address")
ANNOUNCED_STATUSES = (StopStatus.PUBLISHED, StopStatus.CLOSED)
NEW_STOP_STATUSES = (StopStatus.DRAFT, StopStatus.PUBLISHED)


def country_codes(stop_id: int, *, db_session: Session) -> list[str]:
    links = db_session.exec(
        select(StopCountry).where(StopCountry.stop_id == stop_id).order_by(col(StopCountry.position))
    )
    return [link.country_code for link in links]


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
    return _add(stop, countries, action="create", actor=actor, db_session=db_session, origin=origin)


def _add(
    stop: Stop,
    countries: list[str],
    *,
    action: str,
    actor: User | None,
    db_session: Session,
    before: dict[str, Any] | None = None,
    origin: Mapping[str, Any] | None = None,
) -> Stop:
    """Write a new stop and its countries, and audit it as it stands."""
    db_session.add(stop)
    db_session.flush()
    _set_countries(stop, countries, db_session=db_session)
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action=action,
        entity_type="stop",
        entity_id=stop.id,
        before=before,
        after={**_snapshot(stop, countries), **(origin or {})},
    )
    return stop


def update(stop_id: int, raw: Mapping[str, Any], *, actor: User | None, db_session: Session) -> Stop:
    """Change a stop as a whole; a new capacity goes through the seats module, which promotes."""
    stop = seats.lock_and_settle(stop_id, db_session=db_session)
    if stop.status == StopStatus.CANCELLED:
        raise Conflict(lazy("A cancelled stop cannot be changed."))
    old_countries = country_codes(stop_id, db_session=db_session)
    before = _snapshot(stop, old_countries)
    old_values = {column: getattr(stop, column) for column in NOTIFIED_FIELDS}
    change = check(raw, stop=stop, db_session=db_session)
    countries = old_countries if change.countries is None else change.countries
    if stop.status in ANNOUNCED_STATUSES and not countries:
        raise InvalidInput({"countries": _("A published stop needs at least one prospect country.")})
    capacity = change.columns.pop("capacity", stop.capacity)
    for column, value in change.columns.items():
        setattr(stop, column, value)
    seats.set_capacity(stop, capacity, db_session=db_session)
    stop.updated_at = clock.now()
    db_session.add(stop)
    db_session.flush()
    if countries != old_countries:
        _set_countries(stop, countries, db_session=db_session)
    after = _snapshot(stop, countries)
    after.pop("updated_at", None)  # a change's time is the audit entry's own
    audit_service.record_change(
        db_session=db_session,
        actor=actor,
        action="update",
        entity_type="stop",
        entity_id=stop.id,
        before=before,
        after=after,
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
    before = {"duplicated_from": original.id}
    return _add(copy, countries, action="duplicate", actor=actor, db_session=db_session, before=before)


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
    stop = seats.lock_stop(stop_id, db_session=db_session)
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
        after["registrations_cancelled"] = seats.cancel_all(stop, db_session=db_session)
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

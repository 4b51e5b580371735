"""Reading and filtering stops, with their prospect countries and the seats left."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from app import clock
from app.companies.models import Registration, RegistrationStatus
from app.db import utcnow
from app.errors import NotFound
from app.forms import Problems
from app.i18n import gettext as _
from app.i18n import lazy
from app.reference.models import Country, Sector, Territory
from app.stops.models import Stop, StopCountry, StopStatus

PUBLIC_LIST_STATUSES = (StopStatus.PUBLISHED, StopStatus.CLOSED)
# A cancelled stop leaves the calendar but keeps its page, marked as cancelled.
PUBLIC_PAGE_STATUSES = (*PUBLIC_LIST_STATUSES, StopStatus.CANCELLED)


@dataclass
class StopFilters:
    sector: str | None = None
    country: str | None = None
    territory: str | None = None

    def normalised(self) -> "StopFilters":
        return StopFilters(
            sector=(self.sector or "").strip().lower() or None,
            country=(self.country or "").strip().upper() or None,
            territory=(self.territory or "").strip().upper() or None,
        )


@dataclass
class StopView:
    """A stop with what every listing shows beside it."""

    stop: Stop
    sector: Sector
    territory: Territory
    countries: list[Country] = field(default_factory=list)
    seats_taken: int = 0

    @property
    def seats_left(self) -> int:
        return max(self.stop.capacity - self.seats_taken, 0)

    @property
    def is_past(self) -> bool:
        return self.stop.stop_date < clock.today()

    def registration_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        stop = self.stop
        if stop.status != StopStatus.PUBLISHED or self.is_past:
            return False
        if stop.registration_opens_at and now < stop.registration_opens_at:
            return False
        return not (stop.registration_closes_at and now >= stop.registration_closes_at)


def check_filters(filters: StopFilters, *, db_session: Session) -> StopFilters:
    """Normalise the filters; an unknown code is an error naming the filter and the value."""
    filters = filters.normalised()
    errors = Problems()
    checks = (
        ("sector", filters.sector, Sector, _("Unknown sector '%s'.")),
        ("country", filters.country, Country, _("Unknown country '%s': use an ISO 3166 alpha-2 code.")),
        ("territory", filters.territory, Territory, _("Unknown territory '%s': use a province code.")),
    )
    for name, value, model, message in checks:
        if value is not None and db_session.get(model, value) is None:
            errors[name] = message % value
    errors.check("query")
    return filters


def list_public(filters: StopFilters, *, db_session: Session) -> list[StopView]:
    """Published (and closed) stops matching the filters, in date order."""
    filters = check_filters(filters, db_session=db_session)
    query = select(Stop).where(col(Stop.status).in_(PUBLIC_LIST_STATUSES))
    if filters.sector:
        query = query.where(Stop.sector_slug == filters.sector)
    if filters.territory:
        query = query.where(Stop.territory_code == filters.territory)
    if filters.country:
        featured = select(StopCountry.stop_id).where(StopCountry.country_code == filters.country)
        query = query.where(col(Stop.id).in_(featured))
    stops = list(db_session.exec(query.order_by(col(Stop.stop_date), col(Stop.id))))
    return _views(stops, db_session=db_session)


def get_public(stop_id: int, *, db_session: Session) -> StopView:
    stop = db_session.get(Stop, stop_id)
    if stop is None or stop.status not in PUBLIC_PAGE_STATUSES:
        raise NotFound(lazy("This stop does not exist or is not published."))
    return _views([stop], db_session=db_session)[0]


def get(stop_id: int, *, db_session: Session) -> Stop:
    stop = db_session.get(Stop, stop_id)
    if stop is None:
        raise NotFound(lazy("This stop does not exist."))
    return stop


def get_view(stop_id: int, *, db_session: Session) -> StopView:
    """Any stop, whatever its status, as the back office sees it."""
    return _views([get(stop_id, db_session=db_session)], db_session=db_session)[0]


def seat_counts(stop_ids: list[int], *, db_session: Session) -> dict[int, tuple[int, int]]:
    """Per stop: registrations holding a seat, and registrations on the waiting list.

    A seat is held by a confirmed registration or a pending one whose hold has not lapsed. A
    lapsed hold is released under the stop's lock by the next registration, whose seat goes
    first to the head of the waiting list (``app.companies.seats``).
    """
    if not stop_ids:
        return {}
    expires = col(Registration.hold_expires_at)
    live_hold = or_(expires.is_(None), expires > clock.now())
    holding = or_(
        col(Registration.status) == RegistrationStatus.CONFIRMED,
        and_(col(Registration.status) == RegistrationStatus.PENDING, live_hold),
    )
    rows = db_session.exec(
        select(
            Registration.stop_id,
            func.count(col(Registration.id)).filter(holding),
            func.count(col(Registration.id)).filter(
                col(Registration.status) == RegistrationStatus.WAITLISTED
            ),
        )
        .where(col(Registration.stop_id).in_(stop_ids))
        .group_by(col(Registration.stop_id))
    )
    return {stop_id: (int(held), int(waiting)) for stop_id, held, waiting in rows}


def seats_taken(stop_ids: list[int], *, db_session: Session) -> dict[int, int]:
    """Seats held now, per stop (see ``seat_counts``)."""
    return {stop_id: held for stop_id, (held, _) in seat_counts(stop_ids, db_session=db_session).items()}


def _taken(stop: Stop, counts: tuple[int, int]) -> int:
    """The seats a new registration would find taken: those held, and the free ones the waiting
    list is first in line for."""
    held, waiting = counts
    return held + min(waiting, max(stop.capacity - held, 0))


def build_views(stops: list[Stop], *, db_session: Session) -> list[StopView]:
    """Views of any stops (the back office lists every status)."""
    return _views(stops, db_session=db_session)


def _views(stops: list[Stop], *, db_session: Session) -> list[StopView]:
    """Build views with a fixed number of queries, whatever the number of stops."""
    if not stops:
        return []
    ids = [stop.id for stop in stops if stop.id is not None]
    sectors = {s.slug: s for s in db_session.exec(select(Sector))}
    territories = {t.code: t for t in db_session.exec(select(Territory))}
    countries = {c.code: c for c in db_session.exec(select(Country))}
    featured: dict[int, list[Country]] = defaultdict(list)
    links = db_session.exec(
        select(StopCountry)
        .where(col(StopCountry.stop_id).in_(ids))
        .order_by(col(StopCountry.stop_id), col(StopCountry.position))
    )
    for link in links:
        featured[link.stop_id].append(countries[link.country_code])
    counts = seat_counts(ids, db_session=db_session)
    return [
        StopView(
            stop=stop,
            sector=sectors[stop.sector_slug],
            territory=territories[stop.territory_code],
            countries=featured[stop.id or 0],
            seats_taken=_taken(stop, counts.get(stop.id or 0, (0, 0))),
        )
        for stop in stops
    ]

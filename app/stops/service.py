"""Reading and filtering stops, with their prospect countries and the seats left."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache
from typing import TypeVar

from sqlalchemy import ColumnElement, ScalarSelect, bindparam, func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app import clock
from app.clock import ROME
from app.companies import seats
from app.companies.models import Registration, RegistrationStatus
from app.db import UTCDateTime, utcnow
from app.errors import NotFound
from app.forms import Problems
from app.i18n import gettext as _
from app.i18n import lazy
from app.reference import service as reference_service
from app.reference.models import Country, Sector, Territory
from app.stops.models import Stop, StopCountry, StopStatus

T = TypeVar("T")

PUBLIC_LIST_STATUSES = (StopStatus.PUBLISHED, StopStatus.CLOSED)
# A cancelled stop leaves the calendar but keeps its page, marked as cancelled.
PUBLIC_PAGE_STATUSES = (*PUBLIC_LIST_STATUSES, StopStatus.CANCELLED)


@dataclass(frozen=True)
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
    # When the earliest live hold on a seat lapses (counted views only): the count drops then.
    hold_lapses_at: datetime | None = None

    @property
    def seats_left(self) -> int:
        return max(self.stop.capacity - self.seats_taken, 0)

    @property
    def is_past(self) -> bool:
        return self.stop.stop_date < clock.today()

    def changes_at(self, now: datetime) -> datetime:
        """The next moment the view changes by itself: a hold lapsing, registrations opening or
        closing, or the day going by (the stop becomes past)."""
        stop = self.stop
        moments = (self.hold_lapses_at, stop.registration_opens_at, stop.registration_closes_at)
        return min([*(m for m in moments if m is not None and m > now), _next_midnight(now)])

    def registration_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        stop = self.stop
        if stop.status != StopStatus.PUBLISHED or self.is_past:
            return False
        if stop.registration_opens_at and now < stop.registration_opens_at:
            return False
        return not (stop.registration_closes_at and now >= stop.registration_closes_at)


def _changes_at(views: list[StopView], now: datetime) -> datetime:
    """The next moment any of these views changes by itself (midnight when there are none)."""
    return min((view.changes_at(now) for view in views), default=_next_midnight(now))


def list_public_until(filters: StopFilters, *, db_session: Session) -> tuple[list[StopView], datetime]:
    """``list_public``, and the moment the listing changes by itself: a copy is good until then.

    The time is read before the data, so that a moment passing while it is read is not missed."""
    now = clock.now()
    views = list_public(filters, db_session=db_session)
    return views, _changes_at(views, now)


def get_public_until(stop_id: int, *, db_session: Session) -> tuple[StopView, datetime]:
    """``get_public``, and the moment the view changes by itself (as ``list_public_until``)."""
    now = clock.now()
    view = get_public(stop_id, db_session=db_session)
    return view, view.changes_at(now)


def _next_midnight(now: datetime) -> datetime:
    """When today ends where the roadshow happens."""
    return datetime.combine(now.astimezone(ROME).date() + timedelta(days=1), time(0), tzinfo=ROME)


def check_filters(filters: StopFilters, *, db_session: Session) -> StopFilters:
    """Normalise the filters; an unknown code is an error naming the filter and the value."""
    filters = filters.normalised()
    known = reference_service.cached(db_session=db_session)
    errors = Problems()
    checks = (
        ("sector", filters.sector, known.sector, _("Unknown sector '%s'.")),
        ("country", filters.country, known.country, _("Unknown country '%s': use an ISO 3166 alpha-2 code.")),
        ("territory", filters.territory, known.territory, _("Unknown territory '%s': use a province code.")),
    )
    for name, value, find, message in checks:
        if value is not None and find(value) is None:
            errors[name] = message % value
    errors.check("query")
    return filters


def list_public(filters: StopFilters, *, db_session: Session) -> list[StopView]:
    """Published (and closed) stops matching the filters, in date order.

    The filters are checked after the query, against the reference data whose token it carried:
    an unknown code matches no stop, and is then reported as an error.
    """
    filters = filters.normalised()
    query = select(Stop).where(col(Stop.status).in_(PUBLIC_LIST_STATUSES))
    if filters.sector:
        query = query.where(Stop.sector_slug == filters.sector)
    if filters.territory:
        query = query.where(Stop.territory_code == filters.territory)
    if filters.country:
        featured = select(StopCountry.stop_id).where(StopCountry.country_code == filters.country)
        query = query.where(col(Stop.id).in_(featured))
    views = counted_views(query.order_by(col(Stop.stop_date), col(Stop.id)), db_session=db_session)
    check_filters(filters, db_session=db_session)
    return views


def get_public(stop_id: int, *, db_session: Session) -> StopView:
    query = select(Stop).where(Stop.id == stop_id, col(Stop.status).in_(PUBLIC_PAGE_STATUSES))
    views = counted_views(query, db_session=db_session)
    if not views:
        raise NotFound(lazy("This stop does not exist or is not published."))
    return views[0]


NO_SUCH_STOP = lazy("This stop does not exist.")


def get(stop_id: int, *, db_session: Session) -> Stop:
    stop = db_session.get(Stop, stop_id)
    if stop is None:
        raise NotFound(NO_SUCH_STOP)
    return stop


def get_view(stop_id: int, *, db_session: Session) -> StopView:
    """Any stop, whatever its status, as the back office sees it."""
    return _views([get(stop_id, db_session=db_session)], db_session=db_session)[0]


def build_views(stops: list[Stop], *, db_session: Session) -> list[StopView]:
    """Views of any stops (the back office lists every status)."""
    return _views(stops, db_session=db_session)


def counted_views(query: SelectOfScalar[Stop], *, db_session: Session) -> list[StopView]:
    """Views of the stops a query selects, their seats counted and their featured countries
    joined in the same statement (a row per country, in order).

    Each count is a subquery correlated to its stop that seeks the index on (stop, status,
    hold) by status: only the registrations of the stops listed, and of the status counted,
    are read. The rows also carry the reference data's token, so that the cached copy costs
    no query of its own.
    """
    confirmed, pending, waiting, lapses, token = _count_columns()
    counted = (
        query.add_columns(confirmed, pending, waiting, lapses, token, col(StopCountry.country_code))
        .outerjoin(StopCountry, col(StopCountry.stop_id) == col(Stop.id))
        .order_by(col(StopCountry.position))
    )
    rows = db_session.execute(counted, {HOLD_NOW: clock.now()}).all()
    if not rows:
        return []
    known = reference_service.cached(db_session=db_session, token=rows[0][5])
    stops: dict[int, Stop] = {}
    counts: dict[int, seats.SeatCount] = {}
    lapsing: dict[int, datetime | None] = {}
    featured: dict[int, list[Country]] = defaultdict(list)
    for stop, held, holding, waits, lapse, _token, code in rows:
        stop_id = stop.id or 0
        stops[stop_id] = stop
        counts[stop_id] = seats.SeatCount(int(held) + int(holding), int(waits))
        lapsing[stop_id] = lapse
        if code is not None and (country := known.country(code)) is not None:
            featured[stop_id].append(country)
    views = _views(list(stops.values()), db_session=db_session, counts=counts, featured=featured)
    for view in views:
        view.hold_lapses_at = lapsing[view.stop.id or 0]
    return views


HOLD_NOW = "hold_now"


@cache
def _count_columns() -> tuple[
    ScalarSelect[int], ScalarSelect[int], ScalarSelect[int], ScalarSelect[datetime], ScalarSelect[str]
]:
    """The counting subqueries, built once: the moment holds lapse is a parameter (``HOLD_NOW``),
    and the earliest live hold's lapse is read beside them.

    The same seats as ``seats.holds_seat`` (a test compares them), split by status so that each
    count seeks the index instead of reading every registration of the stop.
    """

    def count(*conditions: ColumnElement[bool]) -> ScalarSelect[int]:
        return (
            select(func.count())
            .select_from(Registration)
            .where(col(Registration.stop_id) == col(Stop.id), *conditions)
            .scalar_subquery()
        )

    status = col(Registration.status)
    expires = col(Registration.hold_expires_at)
    live_hold = or_(expires.is_(None), expires > bindparam(HOLD_NOW, type_=UTCDateTime()))
    first_lapse = (
        select(func.min(expires))
        .where(col(Registration.stop_id) == col(Stop.id), status == RegistrationStatus.PENDING, live_hold)
        .scalar_subquery()
    )
    return (
        count(status == RegistrationStatus.CONFIRMED),
        count(status == RegistrationStatus.PENDING, live_hold),
        count(status == RegistrationStatus.WAITLISTED),
        first_lapse,
        reference_service.token_column(),
    )


def _views(
    stops: list[Stop],
    *,
    db_session: Session,
    counts: dict[int, seats.SeatCount] | None = None,
    featured: dict[int, list[Country]] | None = None,
) -> list[StopView]:
    """Build views with a fixed number of queries, whatever the number of stops."""
    if not stops:
        return []
    ids = [stop.id for stop in stops if stop.id is not None]
    known = reference_service.cached(db_session=db_session)
    if featured is None:
        featured = defaultdict(list)
        links = db_session.exec(
            select(StopCountry.stop_id, StopCountry.country_code)
            .where(col(StopCountry.stop_id).in_(ids))
            .order_by(col(StopCountry.stop_id), col(StopCountry.position))
        )
        for stop_id, code in links:
            country = known.country(code)
            if country is not None:
                featured[stop_id].append(country)
    if counts is None:
        counts = seats.seat_counts(ids, db_session=db_session)
    return [
        StopView(
            stop=stop,
            sector=_known(known.sector(stop.sector_slug)),
            territory=_known(known.territory(stop.territory_code)),
            countries=featured.get(stop.id or 0, []),
            seats_taken=counts.get(stop.id or 0, seats.SeatCount()).spoken_for(stop.capacity),
        )
        for stop in stops
    ]


def _known(item: T | None) -> T:
    # Stops name their sector and territory by foreign key: the cached copy always has them.
    assert item is not None
    return item

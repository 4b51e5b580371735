"""What the roadshow achieved, aggregated in SQL: a fixed number of queries whatever the size.

Every figure is a table (so that it can be exported); charts are drawn from the same tables.
A stop is *held* once its day has passed (and it was not cancelled); a company is *present*
at a stop when at least one of its people checked in; a meeting is *held* when its stop is.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app import clock
from app.companies.models import Attendee, Company, CompanySector, Registration, RegistrationStatus, SizeClass
from app.consuls.models import Consulate, Invitation, Representative
from app.i18n import gettext as _
from app.i18n import lazy, pgettext
from app.labels import label
from app.matching.models import Meeting, MeetingRequest
from app.reference.models import Country, Sector, SectorInterest, Territory
from app.stops.models import Stop, StopCountry, StopStatus
from app.web import localized

REPORTED_STATUSES = (StopStatus.PUBLISHED, StopStatus.CLOSED, StopStatus.CANCELLED)
CONFIRMED = RegistrationStatus.CONFIRMED


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)

    def column(self, index: int) -> list[Any]:
        return [row[index] for row in self.rows]


@dataclass
class StopRow:
    stop: Stop
    held: bool
    confirmed: int
    waitlisted: int
    present: int
    meetings: int


@dataclass
class Results:
    stops: list[StopRow]
    tables: dict[str, Table]
    sectors: list[Sector]
    countries: list[Country]
    interest: dict[tuple[str, str], int]
    totals: dict[str, int]


def _names(db_session: Session) -> tuple[dict[str, Sector], dict[str, Country], dict[str, Territory]]:
    sectors = {s.slug: s for s in db_session.exec(select(Sector).order_by(col(Sector.position)))}
    countries = {
        c.code: c
        for c in db_session.exec(
            select(Country).order_by(
                col(Country.survey_rank).is_(None), col(Country.survey_rank), col(Country.code)
            )
        )
    }
    territories = {t.code: t for t in db_session.exec(select(Territory).order_by(col(Territory.position)))}
    return sectors, countries, territories


def _held(today: date) -> Any:
    return and_(col(Stop.stop_date) < today, col(Stop.status) != StopStatus.CANCELLED)


def _present() -> Any:
    """An attendee counts as present once checked in at a stop whose day has come (not early)."""
    day_come = aliased(Stop)  # aliased: the stop rows' query correlates on Stop itself
    stops_on_or_before_today = select(day_come.id).where(col(day_come.stop_date) <= clock.today())
    return and_(
        col(Attendee.checked_in_at).is_not(None), col(Registration.stop_id).in_(stops_on_or_before_today)
    )


def _stop_rows(today: date, *, db_session: Session) -> list[StopRow]:
    def count_of(query: Any) -> Any:
        return query.scalar_subquery()

    confirmed = count_of(
        select(func.count(col(Registration.id))).where(
            Registration.stop_id == Stop.id, Registration.status == CONFIRMED
        )
    )
    waitlisted = count_of(
        select(func.count(col(Registration.id))).where(
            Registration.stop_id == Stop.id, Registration.status == RegistrationStatus.WAITLISTED
        )
    )
    present = count_of(
        select(func.count(func.distinct(Registration.company_id)))
        .join(Attendee, col(Attendee.registration_id) == Registration.id)
        .where(Registration.stop_id == Stop.id, _present())
    )
    meetings = count_of(select(func.count(col(Meeting.id))).where(Meeting.stop_id == Stop.id))
    # Five columns: more than sqlmodel's typed select() takes, so the query is typed loosely.
    query: Any = select(Stop, confirmed, waitlisted, present).add_columns(meetings)
    rows = db_session.exec(
        query.where(col(Stop.status).in_(REPORTED_STATUSES)).order_by(col(Stop.stop_date), col(Stop.id))
    )
    return [
        StopRow(
            stop,
            stop.stop_date < today and stop.status != StopStatus.CANCELLED,
            c or 0,
            w or 0,
            p or 0,
            m or 0,
        )
        for stop, c, w, p, m in rows
    ]


def _confirmed_companies(*, db_session: Session) -> "_CompanyFacts":
    """Each company with a confirmed registration: province, size, sectors and whether it came
    (checked in at any of them). One grouped read and one of sectors, instead of a grouped join of
    every registration and attendee per breakdown."""
    came = func.max(case((_present(), 1), else_=0))
    rows = db_session.exec(
        select(Company.id, Company.province_code, Company.size_class, came)
        .select_from(Registration)
        .join(Company, col(Company.id) == Registration.company_id)
        .outerjoin(Attendee, col(Attendee.registration_id) == Registration.id)
        .where(Registration.status == CONFIRMED)
        .group_by(col(Company.id), col(Company.province_code), col(Company.size_class))
    ).all()
    sectors: dict[int, list[str]] = {}
    confirmed = select(Registration.company_id).where(Registration.status == CONFIRMED)
    for company_id, slug in db_session.exec(
        select(CompanySector.company_id, CompanySector.sector_slug).where(
            col(CompanySector.company_id).in_(confirmed)
        )
    ):
        sectors.setdefault(company_id, []).append(slug)
    return _CompanyFacts([(c, p, sz, bool(v)) for c, p, sz, v in rows], sectors)


@dataclass
class _CompanyFacts:
    companies: list[tuple[int | None, str | None, str | None, bool]]
    sectors: dict[int, list[str]]

    def by(self, dimension: str) -> list[tuple[Any, int, int]]:
        """Distinct companies, and those present, per province, size or sector (as the grouped
        query gave them: a company in each of its sectors, one without any under None)."""
        registered: dict[Any, int] = {}
        present: dict[Any, int] = {}
        for company_id, province, size, came in self.companies:
            if dimension == "sector":
                keys: list[Any] = list(self.sectors.get(company_id or 0, [])) or [None]
            else:
                keys = [province if dimension == "province" else size]
            for key in keys:
                registered[key] = registered.get(key, 0) + 1
                present[key] = present.get(key, 0) + came
        keys = sorted(registered, key=lambda k: (k is not None, str(k or "")))  # as SQLite groups
        return [(key, registered[key], present[key]) for key in keys]


def _meetings_by_consulate(today: date, *, db_session: Session) -> list[tuple[Consulate, int, int]]:
    rows = db_session.exec(
        select(
            Consulate, func.count(col(Meeting.id)), func.count(func.distinct(MeetingRequest.registration_id))
        )
        .select_from(Meeting)
        .join(MeetingRequest, col(MeetingRequest.id) == Meeting.request_id)
        .join(Invitation, col(Invitation.id) == MeetingRequest.invitation_id)
        .join(Representative, col(Representative.id) == Invitation.representative_id)
        .join(Consulate, col(Consulate.id) == Representative.consulate_id)
        .join(Stop, col(Stop.id) == Meeting.stop_id)
        .where(_held(today))
        .group_by(col(Consulate.id))
        .order_by(func.count(col(Meeting.id)).desc())
    )
    return [(consulate, meetings, companies) for consulate, meetings, companies in rows]


def _meetings_by_country(today: date, *, db_session: Session) -> list[tuple[str, int, int, int]]:
    held = func.count(case((_held(today), Meeting.id)))
    rows = db_session.exec(
        select(Invitation.country_code, func.count(col(MeetingRequest.id)), func.count(col(Meeting.id)), held)
        .select_from(MeetingRequest)
        .join(Invitation, col(Invitation.id) == MeetingRequest.invitation_id)
        .join(Stop, col(Stop.id) == MeetingRequest.stop_id)
        .outerjoin(Meeting, col(Meeting.request_id) == MeetingRequest.id)
        .group_by(col(Invitation.country_code))
    )
    return [(code, requested, scheduled, done) for code, requested, scheduled, done in rows]


def _countries_covered(today: date, *, db_session: Session) -> dict[str, tuple[int, int]]:
    rows = db_session.exec(
        select(StopCountry.country_code, func.count(), func.count(case((_held(today), Stop.id))))
        .join(Stop, col(Stop.id) == StopCountry.stop_id)
        .where(col(Stop.status).in_((StopStatus.PUBLISHED, StopStatus.CLOSED)))
        .group_by(col(StopCountry.country_code))
    )
    return {code: (planned, held) for code, planned, held in rows}


def _ordered(rows: list[tuple[Any, int, int]], order: list[Any], name: Any) -> list[list[Any]]:
    by_key = {key: (registered, present) for key, registered, present in rows}
    keys = [k for k in order if k in by_key] + [k for k in by_key if k not in order]
    return [[name(k), *by_key[k]] for k in keys]


def build(*, db_session: Session) -> Results:
    today = clock.today()
    sectors, countries, territories = _names(db_session)
    stops = _stop_rows(today, db_session=db_session)
    not_given = _("Not given")
    company_headers = [_("Companies registered"), _("Companies present")]
    tables: dict[str, Table] = {}

    def add(slug: str, title: str, headers: list[str], rows: list[list[Any]]) -> None:
        tables[slug] = Table(slug, _(title), headers, rows)

    status_label = {True: _("Held"), False: _("Upcoming")}
    add(
        "stops",
        lazy("Stops"),
        [
            _("Date"),
            _("Stop"),
            _("Province"),
            _("Sector"),
            _("State"),
            _("Capacity"),
            pgettext("registrations", "Confirmed"),
            _("Waiting list"),
            _("Companies present"),
            _("B2B meetings"),
        ],
        [
            [
                r.stop.stop_date,
                localized(r.stop, "title"),
                r.stop.territory_code,
                localized(sectors[r.stop.sector_slug], "name"),
                _("Cancelled") if r.stop.status == StopStatus.CANCELLED else status_label[r.held],
                r.stop.capacity,
                r.confirmed,
                r.waitlisted,
                r.present,
                r.meetings,
            ]
            for r in stops
        ],
    )
    facts = _confirmed_companies(db_session=db_session)
    province_rows = facts.by("province")
    add(
        "companies-by-province",
        lazy("Companies by province"),
        [_("Province"), *company_headers],
        _ordered(
            province_rows, list(territories), lambda k: territories[k].name if k in territories else not_given
        ),
    )
    size_rows = facts.by("size")
    add(
        "companies-by-size",
        lazy("Companies by size"),
        [_("Size"), *company_headers],
        _ordered(size_rows, list(SizeClass), lambda k: label(k, "size") or not_given),
    )
    sector_rows = facts.by("sector")
    add(
        "companies-by-sector",
        lazy("Companies by sector"),
        [_("Sector"), *company_headers],
        _ordered(
            sector_rows, list(sectors), lambda k: localized(sectors[k], "name") if k in sectors else not_given
        ),
    )
    add(
        "meetings-by-consulate",
        lazy("Meetings held with consular representations"),
        [_("Consular representation"), _("Country"), _("Meetings held"), _("Companies met")],
        [
            [localized(c, "name"), localized(countries[c.country_code], "name"), meetings, met]
            for c, meetings, met in _meetings_by_consulate(today, db_session=db_session)
        ],
    )
    by_country = {code: rest for code, *rest in _meetings_by_country(today, db_session=db_session)}
    add(
        "meetings-by-country",
        lazy("B2B meetings per country"),
        [_("Country"), _("Meetings requested"), _("Meetings scheduled"), _("Meetings held")],
        [[localized(countries[code], "name"), *by_country[code]] for code in countries if code in by_country],
    )
    covered = _countries_covered(today, db_session=db_session)
    add(
        "countries-covered",
        lazy("Countries covered"),
        [_("Country"), _("Stops planned"), _("Stops held")],
        [[localized(countries[code], "name"), *covered[code]] for code in countries if code in covered],
    )
    add(
        "waiting-list",
        lazy("Waiting-list demand"),
        [
            _("Date"),
            _("Stop"),
            _("Capacity"),
            pgettext("registrations", "Confirmed"),
            _("Waiting list"),
            _("Demand (percentage of capacity)"),
        ],
        [
            [
                r.stop.stop_date,
                localized(r.stop, "title"),
                r.stop.capacity,
                r.confirmed,
                r.waitlisted,
                round(100 * (r.confirmed + r.waitlisted) / r.stop.capacity) if r.stop.capacity else 0,
            ]
            for r in stops
            if r.waitlisted
        ],
    )
    interest = {
        (row.sector_slug, row.country_code): row.score for row in db_session.exec(select(SectorInterest))
    }
    interest_countries = [c for c in countries.values() if any(code == c.code for _s, code in interest)]
    add(
        "sector-interest",
        lazy("Interest of sectors in countries (survey, 0–5)"),
        [_("Sector"), *[localized(c, "name") for c in interest_countries]],
        [
            [localized(s, "name"), *[interest.get((s.slug, c.code), 0) for c in interest_countries]]
            for s in sectors.values()
        ],
    )
    totals = {
        "stops_held": sum(1 for r in stops if r.held),
        "stops_planned": sum(1 for r in stops if r.stop.status != StopStatus.CANCELLED),
        "companies_registered": _distinct_companies(db_session=db_session, present=False),
        "companies_present": _distinct_companies(db_session=db_session, present=True),
        "meetings_held": sum(r.meetings for r in stops if r.held),
        "countries_covered": sum(1 for planned, held in covered.values() if held),
        "waitlisted": sum(r.waitlisted for r in stops),
    }
    return Results(stops, tables, list(sectors.values()), interest_countries, interest, totals)


def _distinct_companies(*, db_session: Session, present: bool) -> int:
    query = select(func.count(func.distinct(Registration.company_id))).where(Registration.status == CONFIRMED)
    if present:
        query = query.join(Attendee, col(Attendee.registration_id) == Registration.id).where(_present())
    return int(db_session.exec(query).one())

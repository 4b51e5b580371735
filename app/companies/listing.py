"""Reading registrations: a stop's table for organisers (search, filters, sorting), a company's own."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app.companies.models import (
    Attendee,
    Company,
    CompanySector,
    Registration,
    RegistrationCountry,
    RegistrationStatus,
)
from app.forms import Problems
from app.i18n import gettext as _
from app.stops.models import Stop

if TYPE_CHECKING:
    from sqlmodel.sql.expression import Select

PER_PAGE = 100

SORTS = {
    "time": (col(Registration.created_at), col(Registration.id)),
    "company": (func.lower(col(Company.name)), col(Registration.id)),
    "status": (col(Registration.status), col(Registration.waitlist_position), col(Registration.id)),
    "province": (col(Company.province_code), func.lower(col(Company.name)), col(Registration.id)),
    "size": (col(Company.size_class), func.lower(col(Company.name)), col(Registration.id)),
}


@dataclass
class RegistrationFilters:
    q: str = ""
    status: str = ""
    province: str = ""
    size: str = ""
    country: str = ""
    sort: str = "time"
    descending: bool = False

    def check(self) -> "RegistrationFilters":
        errors = Problems()
        if self.status and self.status not in {s.value for s in RegistrationStatus}:
            errors["status"] = _("Unknown status '%s'.") % self.status
        if self.sort not in SORTS:
            errors["sort"] = _("Sort by one of: %s.") % ", ".join(SORTS)
        errors.check("query")
        return self


@dataclass
class RegistrationRow:
    registration: Registration
    company: Company
    countries: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    attendees: list[Attendee] = field(default_factory=list)

    @property
    def created_at(self) -> datetime:
        return self.registration.created_at


def for_stop(
    stop_id: int, filters: RegistrationFilters | None = None, *, db_session: Session
) -> list[RegistrationRow]:
    """Every registration matching the filters (the exports: never cut to a page)."""
    query = _matching(stop_id, (filters or RegistrationFilters()).check())
    return _rows(list(db_session.exec(query).all()), db_session=db_session)


@dataclass
class Page:
    rows: list[RegistrationRow]
    total: int  # registrations matching the filters, on every page
    number: int  # from 1, within 1..count
    count: int  # pages, at least 1
    per_page: int

    @property
    def first(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def page_for_stop(
    stop_id: int, filters: RegistrationFilters, number: int, *, per_page: int = 0, db_session: Session
) -> Page:
    """One page of the table: the matching registrations counted in SQL, only the page's rows
    read with their countries, sectors and attendees (a number past the end shows the last)."""
    per_page = per_page or PER_PAGE
    query = _matching(stop_id, filters.check())
    total = db_session.exec(select(func.count()).select_from(query.order_by(None).subquery())).one()
    count = max(1, -(-total // per_page))
    number = min(max(number, 1), count)
    pairs = list(db_session.exec(query.offset((number - 1) * per_page).limit(per_page)).all())
    return Page(_rows(pairs, db_session=db_session), total, number, count, per_page)


def status_counts(stop_id: int, *, db_session: Session) -> dict[str, int]:
    """How many registrations of the stop are in each status (every status named, zeros too)."""
    found = db_session.exec(
        select(Registration.status, func.count())
        .where(Registration.stop_id == stop_id)
        .group_by(col(Registration.status))
    ).all()
    counts = {s.value: 0 for s in RegistrationStatus}
    counts.update({str(getattr(status, "value", status)): n for status, n in found})
    return counts


def _matching(stop_id: int, filters: RegistrationFilters) -> "Select[Registration, Company]":
    query = (
        select(Registration, Company)
        .join(Company, col(Company.id) == col(Registration.company_id))
        .where(Registration.stop_id == stop_id)
    )
    if filters.q.strip():
        needle = f"%{filters.q.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(col(Company.name)).like(needle),
                col(Company.vat_number).like(needle),
                func.lower(col(Company.contact_email)).like(needle),
                func.lower(col(Company.contact_name)).like(needle),
            )
        )
    if filters.status:
        query = query.where(Registration.status == filters.status)
    if filters.province == "-":
        query = query.where(col(Company.province_code).is_(None))
    elif filters.province:
        query = query.where(Company.province_code == filters.province.upper())
    if filters.size:
        query = query.where(Company.size_class == filters.size)
    if filters.country:
        wanted = select(RegistrationCountry.registration_id).where(
            RegistrationCountry.country_code == filters.country.upper()
        )
        query = query.where(col(Registration.id).in_(wanted))
    order = SORTS[filters.sort]
    return query.order_by(*(o.desc() if filters.descending else o for o in order))


def for_company(company_id: int, *, db_session: Session) -> list[tuple[RegistrationRow, Stop]]:
    """A company's registrations with their stops, newest first (the stop read in the same join)."""
    query = (
        select(Registration, Company, Stop)
        .join(Company, col(Company.id) == col(Registration.company_id))
        .join(Stop, col(Stop.id) == col(Registration.stop_id))
        .where(Registration.company_id == company_id)
        .order_by(col(Registration.created_at).desc(), col(Registration.id).desc())
    )
    found = list(db_session.exec(query).all())
    rows = _rows([(registration, company) for registration, company, _ in found], db_session=db_session)
    return [(row, stop) for row, (_, _, stop) in zip(rows, found, strict=True)]


def _rows(pairs: list[tuple[Registration, Company]], *, db_session: Session) -> list[RegistrationRow]:
    """Rows with their countries, sectors and attendees, in a fixed number of queries."""
    ids = [r.id or 0 for r, _ in pairs]
    company_ids = {c.id for _, c in pairs}
    countries: dict[int, list[str]] = defaultdict(list)
    sectors: dict[int, list[str]] = defaultdict(list)
    attendees: dict[int, list[Attendee]] = defaultdict(list)
    if ids:
        countries = _countries(ids, db_session=db_session)
        for sector in db_session.exec(
            select(CompanySector).where(col(CompanySector.company_id).in_(company_ids))
        ):
            sectors[sector.company_id].append(sector.sector_slug)
        attendees = _attendees(ids, db_session=db_session)
    return [
        RegistrationRow(
            registration=r,
            company=c,
            countries=countries[r.id or 0],
            sectors=sorted(sectors[c.id or 0]),
            attendees=attendees[r.id or 0],
        )
        for r, c in pairs
    ]


def details_of(registration_id: int, *, db_session: Session) -> tuple[list[str], list[Attendee]]:
    """One registration's countries and attendees, as its rows in the listings show them."""
    countries = _countries([registration_id], db_session=db_session)
    attendees = _attendees([registration_id], db_session=db_session)
    return countries[registration_id], attendees[registration_id]


def _countries(ids: list[int], *, db_session: Session) -> dict[int, list[str]]:
    countries: dict[int, list[str]] = defaultdict(list)
    for link in db_session.exec(
        select(RegistrationCountry)
        .where(col(RegistrationCountry.registration_id).in_(ids))
        .order_by(col(RegistrationCountry.country_code))
    ):
        countries[link.registration_id].append(link.country_code)
    return countries


def _attendees(ids: list[int], *, db_session: Session) -> dict[int, list[Attendee]]:
    attendees: dict[int, list[Attendee]] = defaultdict(list)
    for person in db_session.exec(
        # Grouped by registration as the index is: SQLite then needs no sort of its own.
        select(Attendee)
        .where(col(Attendee.registration_id).in_(ids))
        .order_by(col(Attendee.registration_id), col(Attendee.id))
    ):
        attendees[person.registration_id].append(person)
    return attendees

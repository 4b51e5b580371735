"""Reading reference data: sectors, countries and territories by their stable codes, and the
survey's interest of each sector in each country.

They change a few times a year, yet every public page shows them (and every company's B2B page
the survey). ``cached`` keeps, per process, a copy read under the token of
``reference_version``; any flush that adds, changes or deletes a sector, country, territory or
survey score gives the row a new token in the same transaction, so
every process (and a rolled-back writer) reads the data again on its next request. A cached
copy is made of transient objects of its own, never of rows attached to a session.
"""

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ScalarSelect, event, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from app.i18n import current_language
from app.reference.models import (
    Country,
    ReferenceVersion,
    Sector,
    SectorInterest,
    Territory,
    TerritorySector,
)

CACHED_MODELS = (Sector, Country, Territory, SectorInterest)
# Copies kept per process: one per database in use (tests open two).
KEEP = 4

SESSION_KEY = "roadshow.reference"

T = TypeVar("T", Sector, Country, Territory, SectorInterest)


def get_all_sectors(*, db_session: Session) -> list[Sector]:
    return list(db_session.exec(select(Sector).order_by(col(Sector.position))))


def get_all_countries(*, db_session: Session, prospects_only: bool = True) -> list[Country]:
    query = select(Country)
    if prospects_only:
        query = query.where(col(Country.is_prospect))
    return list(db_session.exec(query.order_by(col(Country.survey_rank), col(Country.code))))


def get_all_territories(*, db_session: Session) -> list[Territory]:
    return list(db_session.exec(select(Territory).order_by(col(Territory.position))))


@dataclass(frozen=True)
class ReferenceData:
    """Sectors, countries and territories in their display order, and by code; the survey's
    interest (0-5) by sector slug, then country code."""

    sectors: list[Sector]
    countries: list[Country]
    territories: list[Territory]
    sectors_by_slug: dict[str, Sector] = field(default_factory=dict)
    countries_by_code: dict[str, Country] = field(default_factory=dict)
    territories_by_code: dict[str, Territory] = field(default_factory=dict)
    interest: dict[str, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        sectors: list[Sector],
        countries: list[Country],
        territories: list[Territory],
        interest: list[SectorInterest],
    ) -> "ReferenceData":
        by_sector: dict[str, dict[str, int]] = {}
        for row in interest:
            by_sector.setdefault(row.sector_slug, {})[row.country_code] = row.score
        return cls(
            sectors,
            countries,
            territories,
            {s.slug: s for s in sectors},
            {c.code: c for c in countries},
            {t.code: t for t in territories},
            by_sector,
        )

    @property
    def prospect_countries(self) -> list[Country]:
        return [c for c in self.countries if c.is_prospect]

    def sector(self, slug: str) -> Sector | None:
        return self.sectors_by_slug.get(slug)

    def country(self, code: str) -> Country | None:
        return self.countries_by_code.get(code)

    def territory(self, code: str) -> Territory | None:
        return self.territories_by_code.get(code)


_copies: OrderedDict[str, ReferenceData] = OrderedDict()
_lock = threading.Lock()


def token_column() -> ScalarSelect[str]:
    """The current token, as a column another query can carry (saving the query of its own)."""
    return select(ReferenceVersion.token).where(ReferenceVersion.id == 1).scalar_subquery()


def cached(*, db_session: Session, token: str | None = None) -> ReferenceData:
    """The reference data, read from the database only when its token has changed.

    One query per session (the token, unless the caller read it with ``token_column``);
    later calls in the same session cost none.
    """
    if (kept := db_session.info.get(SESSION_KEY)) is not None:
        return kept  # type: ignore[no-any-return]
    if token is None:
        token = db_session.exec(select(ReferenceVersion.token).where(ReferenceVersion.id == 1)).first()
    with _lock:
        found = _copies.get(token) if token else None
    if found is not None:
        db_session.info[SESSION_KEY] = found
        return found
    data = ReferenceData.of(
        _copy(Sector, db_session, Sector.position),
        _copy(Country, db_session, Country.survey_rank, Country.code),
        _copy(Territory, db_session, Territory.position),
        _copy(SectorInterest, db_session, SectorInterest.sector_slug, SectorInterest.country_code),
    )
    if token:
        with _lock:
            _copies[token] = data
            while len(_copies) > KEEP:
                _copies.popitem(last=False)
    db_session.info[SESSION_KEY] = data
    return data


def _copy(model: type[T], db_session: Session, *order: Any) -> list[T]:
    table = model.__table__  # type: ignore[attr-defined]
    rows = db_session.connection().execute(table.select().order_by(*order))
    return [model(**row._mapping) for row in rows]


@event.listens_for(OrmSession, "before_flush")
def _new_token_on_write(session: OrmSession, _context: object, _instances: object) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, CACHED_MODELS) for obj in changed):
        session.info.pop(SESSION_KEY, None)
        session.execute(
            update(ReferenceVersion).where(col(ReferenceVersion.id) == 1).values(token=uuid.uuid4().hex)
        )


@event.listens_for(OrmSession, "after_rollback")
def _forget_on_rollback(session: OrmSession) -> None:
    session.info.pop(SESSION_KEY, None)


def get_strengths(*, db_session: Session) -> dict[str, list[str]]:
    """Sector slugs that are each territory's strengths."""
    rows = db_session.exec(select(TerritorySector).where(col(TerritorySector.strength)))
    strengths: dict[str, list[str]] = {}
    for row in rows:
        strengths.setdefault(row.territory_code, []).append(row.sector_slug)
    return strengths


def get_interest(*, db_session: Session) -> dict[str, dict[str, int]]:
    """The survey's scores by sector, then country: a copy of the cached ones, the caller's to change."""
    return {slug: dict(by_country) for slug, by_country in cached(db_session=db_session).interest.items()}


def name(item: Sector | Country) -> str:
    return item.name_en if current_language() == "en" else item.name_it

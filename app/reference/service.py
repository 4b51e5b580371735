"""Reading reference data: sectors, countries and territories by their stable codes."""

from sqlmodel import Session, col, select

from app.i18n import current_language
from app.reference.models import Country, Sector, SectorInterest, Territory, TerritorySector


def get_all_sectors(*, db_session: Session) -> list[Sector]:
    return list(db_session.exec(select(Sector).order_by(col(Sector.position))))


def get_all_countries(*, db_session: Session, prospects_only: bool = True) -> list[Country]:
    query = select(Country)
    if prospects_only:
        query = query.where(col(Country.is_prospect))
    return list(db_session.exec(query.order_by(col(Country.survey_rank), col(Country.code))))


def get_all_territories(*, db_session: Session) -> list[Territory]:
    return list(db_session.exec(select(Territory).order_by(col(Territory.position))))


def get_strengths(*, db_session: Session) -> dict[str, list[str]]:
    """Sector slugs that are each territory's strengths."""
    rows = db_session.exec(select(TerritorySector).where(col(TerritorySector.strength)))
    strengths: dict[str, list[str]] = {}
    for row in rows:
        strengths.setdefault(row.territory_code, []).append(row.sector_slug)
    return strengths


def get_interest(*, db_session: Session) -> dict[str, dict[str, int]]:
    interest: dict[str, dict[str, int]] = {}
    for row in db_session.exec(select(SectorInterest)):
        interest.setdefault(row.sector_slug, {})[row.country_code] = row.score
    return interest


def name(item: Sector | Country) -> str:
    return item.name_en if current_language() == "en" else item.name_it

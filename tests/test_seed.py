import holidays
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from app import seed
from app.config import ROOT
from app.consuls.models import Consulate, Representative
from app.reference.models import Country, Sector, Territory
from app.stops.models import Stop


def _counts(db_session: Session) -> dict[str, int]:
    return {
        table.name: db_session.exec(select(func.count()).select_from(table)).one()  # type: ignore[call-overload]
        for table in SQLModel.metadata.sorted_tables
    }


def test_second_seed_run_changes_nothing(db_session: Session) -> None:
    before = _counts(db_session)
    added = seed.load(ROOT / "seed_data", db_session=db_session)
    assert not added
    assert _counts(db_session) == before


def test_reference_data_is_complete(db_session: Session) -> None:
    sectors = db_session.exec(select(Sector).order_by(Sector.position)).all()
    assert [s.slug for s in sectors][:2] == ["advanced-manufacturing", "technological-innovation"]
    assert len(sectors) == 9
    countries = db_session.exec(select(Country).order_by(Country.survey_rank)).all()
    assert [c.code for c in countries] == ["US", "DE", "IN", "AE", "FR", "CA", "BR", "ES", "CN", "SA"]
    assert countries[1].name_it == "Germania" and countries[1].name_en == "Germany"
    territories = {t.code: t for t in db_session.exec(select(Territory))}
    assert set(territories) == {"BG", "BS", "CO", "CR", "LC", "LO", "MN", "MI", "MB", "PV", "SO", "VA"}
    assert {territories[c].association for c in ("MI", "MB", "LO", "PV")} == {"Assolombarda"}
    assert territories["SO"].association == territories["LC"].association


def test_every_prospect_country_has_a_consulate_with_demo_contacts(db_session: Session) -> None:
    consulates = db_session.exec(select(Consulate)).all()
    assert {c.country_code for c in consulates} == {
        "US",
        "DE",
        "IN",
        "AE",
        "FR",
        "CA",
        "BR",
        "ES",
        "CN",
        "SA",
    }
    emails = [r.email for r in db_session.exec(select(Representative))]
    assert emails and all(email.endswith("example.org") for email in emails)


def test_demo_stops_avoid_holidays_august_and_christmas(db_session: Session) -> None:
    stops = db_session.exec(select(Stop)).all()
    italy = holidays.country_holidays("IT", years=[2026, 2027], language="en_US")
    assert len({s.sector_slug for s in stops}) == 9
    for stop in stops:
        assert stop.stop_date not in italy, stop.slug
        assert stop.stop_date.month != 8, stop.slug
        assert not (stop.stop_date.month == 12 and stop.stop_date.day >= 20), stop.slug
        assert not (stop.stop_date.month == 1 and stop.stop_date.day <= 7), stop.slug

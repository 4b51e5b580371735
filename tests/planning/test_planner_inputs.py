"""The planner's instance comes from the database and the calendar: holidays, patron days, published stops."""

from datetime import date

import pytest
from sqlmodel import Session

from app.errors import InvalidInput
from app.planning import inputs as planner_inputs
from app.planning.engine.instance import load_instance
from app.planning.engine.solver import solve
from app.planning.sources import build_instance, existing_stops, load_reference, patron_days
from app.reference.models import Territory
from app.stops.models import StopStatus
from tests.contract import assert_plan_valid
from tests.factories import create_stop
from tests.planning.planner_helpers import fix_today, small_form


def instance_for(db_session: Session, **changes: str) -> dict:
    reference = load_reference(db_session=db_session)
    inputs = planner_inputs.parse(small_form(db_session, **changes), **reference.codes)
    existing = existing_stops(inputs.start, inputs.end, db_session=db_session)
    return build_instance(inputs, reference, existing, held=[])


def test_instance_built_from_the_database_loads_and_its_plan_passes_the_contract_checker(
    db_session: Session,
) -> None:
    fix_today()
    data = instance_for(db_session)
    plan = solve(load_instance(data), time_limit=5)
    assert_plan_valid(data, plan)
    assert len(plan["stops"]) == len(data["fixed"]) + 3


def test_default_window_starts_today_and_affinity_and_interest_come_from_the_database(
    db_session: Session,
) -> None:
    fix_today()
    data = instance_for(db_session)
    assert (data["start"], data["end"]) == ("2026-11-21", "2027-12-15")
    assert data["weekdays"] == ["tue", "wed", "thu"]
    assert {"start": "2027-08-01", "end": "2027-08-31"} in data["blackouts"]
    assert {"start": "2026-12-22", "end": "2027-01-06"} in data["blackouts"]
    varese = next(t for t in data["territories"] if t["id"] == "VA")
    assert varese["affinity"]["aerospace"] == 5
    assert data["interest"]["aerospace"]["US"] >= 1


def test_italian_holidays_are_closed_and_patron_days_make_their_territory_unavailable(
    db_session: Session,
) -> None:
    fix_today()
    data = instance_for(db_session)
    assert {"2026-12-08", "2026-12-25", "2027-03-29", "2027-06-02"} <= set(data["closed_dates"])
    unavailable = {t["id"]: set(t["unavailable"]) for t in data["territories"]}
    assert "2026-12-07" in unavailable["MI"]  # Sant'Ambrogio
    assert "2027-08-26" in unavailable["BG"]  # Sant'Alessandro
    assert "2026-12-07" not in unavailable["BG"]


def test_patron_day_comes_from_the_database_where_holidays_does_not_know_the_province() -> None:
    territory = Territory(
        code="ZZ", name="Nowhere", capital="Nowhere", association="-", patron_saint_day="05-03"
    )
    assert sorted(patron_days(territory, range(2026, 2028))) == [date(2026, 5, 3), date(2027, 5, 3)]


def test_countries_start_with_their_own_holidays_except_days_they_are_already_announced(
    db_session: Session,
) -> None:
    fix_today()
    form = small_form(db_session)
    assert "2026-12-25 Christmas Day" in form["country_unavailable.US"].splitlines()
    # The UAE's National Day is the day of the published Monza stop that features the UAE.
    assert "2026-12-03" not in form["country_unavailable.AE"]
    assert "2027-12-02" in form["country_unavailable.AE"]


def test_published_and_closed_stops_in_the_window_are_fixed_with_their_countries(db_session: Session) -> None:
    fix_today()
    create_stop(db_session, stop_date=date(2027, 3, 3), status=StopStatus.CLOSED, countries=("FR", "ES"))
    create_stop(db_session, stop_date=date(2027, 3, 17), status=StopStatus.DRAFT)
    create_stop(db_session, stop_date=date(2026, 11, 3), status=StopStatus.PUBLISHED)
    fixed = instance_for(db_session)["fixed"]
    assert {
        "sector": "aerospace",
        "territory": "VA",
        "date": "2027-03-03",
        "countries": ["FR", "ES"],
    } in fixed
    assert {
        "sector": "construction",
        "territory": "MB",
        "date": "2026-12-03",
        "countries": ["AE", "SA", "US"],
    } in fixed
    dates = {stop["date"] for stop in fixed}
    assert "2027-03-17" not in dates and "2026-11-03" not in dates
    assert "2026-03-12" not in dates  # published, but before the window


def test_bad_inputs_are_reported_field_by_field_in_italian_by_default(db_session: Session) -> None:
    fix_today()
    form = small_form(
        db_session,
        window_start="2027-05-01",
        window_end="2027-02-30",
        min_gap="ten",
        countries_min="3",
        countries_max="2",
        blackouts="2026-08-31..2026-08-01",
        **{"country_min.US": "4", "country_max.US": "2", "territory_unavailable.BG": "2027-01-05\nsoon"},
    )
    reference = load_reference(db_session=db_session)
    with pytest.raises(InvalidInput) as raised:
        planner_inputs.parse(form, **reference.codes)
    errors = raised.value.errors
    assert errors["window_end"] == "Inserisci una data nel formato AAAA-MM-GG."
    assert errors["min_gap"] == "Inserisci un numero intero non inferiore a 0."
    assert errors["countries_max"] == "Il massimo non può essere inferiore al minimo di 3."
    assert errors["blackouts"] == "Riga 1: il periodo finisce prima di cominciare."
    assert errors["country_max.US"] == "Il massimo non può essere inferiore al minimo di 4."
    assert errors["territory_unavailable.BG"] == "Riga 2: 'soon' non è una data (AAAA-MM-GG)."


def test_a_reversed_window_and_no_new_stops_are_refused(db_session: Session) -> None:
    fix_today()
    form = small_form(db_session, window_start="2027-05-01", window_end="2027-02-01", weekdays="")
    for key in form:
        if key.startswith("sector_stops."):
            form[key] = "0"
    with pytest.raises(InvalidInput) as raised:
        planner_inputs.parse(form, **load_reference(db_session=db_session).codes)
    assert raised.value.errors == {
        "window_end": "Il periodo non può finire prima di cominciare.",
        "weekdays": "Consenti almeno un giorno della settimana.",
        "sector_stops": "Pianifica almeno una nuova tappa.",
    }

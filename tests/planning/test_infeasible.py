import json
from pathlib import Path

import pytest

from app.planning.engine.instance import load_instance
from app.planning.engine.open_days import open_dates
from app.planning.engine.solver import Infeasible, solve

DATA = Path(__file__).resolve().parent / "data"


def tiny() -> dict:
    return json.loads((DATA / "tiny-plan.json").read_text())


def reasons_for(data: dict) -> list[str]:
    with pytest.raises(Infeasible) as raised:
        solve(load_instance(data), time_limit=5)
    return raised.value.reasons


def test_country_needed_more_often_than_its_dates_allow_is_named():
    data = tiny()
    saudi = data["countries"][3]
    saudi["min_stops"], saudi["max_stops"] = 3, 3
    free = {"2026-03-03", "2026-03-24"}
    saudi["unavailable"] = [
        day.isoformat() for day in open_dates(load_instance(data)) if day.isoformat() not in free
    ]
    data["fixed"][0]["countries"] = ["DE"]
    assert reasons_for(data) == [
        (
            "Saudi Arabia (SA) must be featured at 3 stops, but only 2 possible dates "
            "at least 14 days apart avoid its unavailable dates"
        )
    ]


def test_too_few_dates_for_the_spacing_is_explained():
    data = tiny()
    data["end"] = "2026-03-31"
    data["fixed"] = []
    assert reasons_for(data) == [
        (
            "4 stops need at least 14 days between them, but only 3 allowed dates fit "
            "between 2026-03-02 and 2026-03-31"
        )
    ]


def test_territory_limits_below_the_sectors_needs_are_explained():
    data = tiny()
    data["territories"][1]["max_stops"] = 0
    assert reasons_for(data) == ["territory limits allow 3 stops but the sectors need 4"]


def test_fixed_stop_on_a_closed_date_is_explained():
    data = tiny()
    data["fixed"][0]["date"] = "2026-04-07"
    assert "fixed[0] falls on a closed date 2026-04-07" in reasons_for(data)


def test_fixed_stops_too_close_together_are_explained():
    data = tiny()
    data["fixed"].append({"sector": "fashion", "territory": "VA", "date": "2026-04-29"})
    assert reasons_for(data) == ["two fixed stops on 2026-04-22 and 2026-04-29 are closer than 14 days"]


def test_countries_needing_more_places_than_stops_offer_is_explained():
    data = tiny()
    for country in data["countries"]:
        country["min_stops"], country["max_stops"] = 3, 4
    assert reasons_for(data) == [
        "the countries need at least 12 featured places but 4 stops × 2 countries allow at most 8"
    ]


def test_conflict_found_only_by_solving_names_the_conflicting_rule_families():
    data = tiny()
    # Only BG is ever free, and it hosts at most 2 of the 4 stops; no count shows this.
    data["fixed"] = []
    days = [day.isoformat() for day in open_dates(load_instance(data))]
    for territory in data["territories"][1:]:
        territory["unavailable"] = days
    assert reasons_for(data) == [
        (
            "the territories' max_stops and the territories' unavailable dates cannot both be met; "
            "relaxing either makes a plan possible"
        )
    ]

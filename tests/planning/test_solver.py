import json
from datetime import date
from itertools import pairwise
from pathlib import Path

from app.planning.engine.instance import load_instance
from app.planning.engine.solver import PlanningError, solve
from benchmarks.planning_instances import generate
from tests.contract import assert_plan_valid, example

HERE = Path(__file__).resolve()
DATA = HERE.parent / "data"


def tiny() -> dict:
    return json.loads((DATA / "tiny-plan.json").read_text())


def test_small_example_is_solved_to_its_proven_optimum_of_177():
    data = example("plan-small")
    plan = solve(load_instance(data), time_limit=10)
    assert_plan_valid(data, plan)
    assert (plan["objective"], plan["upper_bound"], plan["optimal"]) == (177, 177, True)
    assert plan["format"] == "roadshow.plan-result/1"


def test_stops_come_sorted_by_date_with_score_and_reasons():
    data = tiny()
    plan = solve(load_instance(data))
    dates = [stop["date"] for stop in plan["stops"]]
    assert dates == sorted(dates)
    assert sum(stop["score"] for stop in plan["stops"]) == plan["objective"]
    aerospace = next(stop for stop in plan["stops"] if stop["sector"] == "aerospace")
    assert "US: survey interest 5 for aerospace" in aerospace["reasons"] or (
        "US" not in aerospace["countries"]
    )
    assert all(stop["reasons"] for stop in plan["stops"])


def test_fixed_stop_is_kept_with_its_countries():
    data = tiny()
    plan = solve(load_instance(data))
    assert_plan_valid(data, plan)
    kept = [stop for stop in plan["stops"] if stop["date"] == "2026-04-22"]
    assert [(s["sector"], s["territory"], sorted(s["countries"])) for s in kept] == [
        ("energy", "MI", ["DE", "SA"])
    ]


def test_fixed_stop_without_countries_gets_them_chosen():
    data = tiny()
    del data["fixed"][0]["countries"]
    plan = solve(load_instance(data))
    assert_plan_valid(data, plan)
    kept = next(stop for stop in plan["stops"] if stop["date"] == "2026-04-22")
    assert kept["sector"] == "energy" and kept["territory"] == "MI"
    assert 1 <= len(kept["countries"]) <= 2
    # DE (4) and SA (3) are the energy sector's favourites and both free that day.
    assert sorted(kept["countries"]) == ["DE", "SA"]


def test_max_days_between_stops_is_respected():
    data = tiny()
    data["max_days_between_stops"] = 15
    data["min_days_between_stops"] = 7
    plan = solve(load_instance(data))
    assert_plan_valid(data, plan)
    days = [date.fromisoformat(stop["date"]) for stop in plan["stops"]]
    assert all(7 <= (later - earlier).days <= 15 for earlier, later in pairwise(days))


def test_generated_twenty_stop_instance_is_planned_validly():
    data = generate(20, seed=5)
    plan = solve(load_instance(data), time_limit=20)
    assert_plan_valid(data, plan)
    assert len(plan["stops"]) == 20
    assert plan["upper_bound"] >= plan["objective"]


def test_tiny_time_limit_gives_a_valid_plan_or_a_clear_error():
    data = example("plan-small")
    try:
        plan = solve(load_instance(data), time_limit=0.01)
    except PlanningError as error:
        assert "time limit" in error.reasons[0]
    else:
        assert_plan_valid(data, plan)
        assert plan["upper_bound"] is None or plan["upper_bound"] >= plan["objective"]


def test_an_instance_without_stops_gives_an_empty_optimal_plan():
    data = tiny()
    data["fixed"] = []
    for sector in data["sectors"]:
        sector["stops"] = 0
    for country in data["countries"]:
        country["min_stops"] = 0
    plan = solve(load_instance(data))
    assert (plan["stops"], plan["objective"], plan["optimal"]) == ([], 0, True)

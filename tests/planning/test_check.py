"""The project's own plan checker finds each broken hard rule, as the contract's check.py does."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.planning.engine.check import check_plan
from tests.contract import shared_checker

Mutation = Callable[[dict[str, Any]], None]


def tiny() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "tiny-plan.json").read_text())
    return data


def valid_plan() -> dict[str, Any]:
    """The optimal plan of the tiny instance."""
    return {
        "format": "roadshow.plan-result/1",
        "stops": [
            {"sector": "aerospace", "territory": "BG", "date": "2026-04-01", "countries": ["US", "FR"]},
            {"sector": "energy", "territory": "MI", "date": "2026-04-22", "countries": ["DE", "SA"]},
            {"sector": "aerospace", "territory": "BG", "date": "2026-05-06", "countries": ["SA", "US"]},
            {"sector": "fashion", "territory": "VA", "date": "2026-05-26", "countries": ["FR", "US"]},
        ],
        "objective": 52,
        "upper_bound": 52,
        "optimal": True,
        "seconds": 0.1,
    }


def _stop(index: int, **changes: Any) -> Mutation:
    return lambda plan: plan["stops"][index].update(changes)


MUTATIONS: dict[str, tuple[str, Mutation]] = {
    "a sector short of its stops": ("rule 1", lambda plan: plan["stops"].pop()),
    "a Monday": ("rule 2", _stop(3, date="2026-05-25")),
    "a day in a blackout": ("rule 2", _stop(0, date="2026-04-15")),
    "a day the territory is unavailable": ("rule 2", _stop(0, date="2026-03-10")),
    "two stops too close": ("rule 3", _stop(3, date="2026-05-12")),
    "a territory over its stops": ("rule 4", _stop(3, territory="MI")),
    "too many countries at a stop": ("rule 5", _stop(3, countries=["FR", "US", "DE"])),
    "a country at too many stops": ("rule 5", _stop(2, countries=["FR", "US"])),
    "a country on a day it is unavailable": ("rule 6", _stop(0, countries=["SA", "US"])),
    "a fixed stop changed": ("rule 7", _stop(1, countries=["DE"])),
    "a wrong objective": ("objective", lambda plan: plan.update(objective=53)),
    "a bound below the objective": ("upper_bound", lambda plan: plan.update(upper_bound=50)),
}


def test_a_valid_plan_passes_with_its_objective() -> None:
    assert check_plan(tiny(), valid_plan()) == ([], 52)
    if (shared := shared_checker()) is not None:
        assert shared.check_plan(tiny(), valid_plan()) == ([], 52)


@pytest.mark.parametrize("case", MUTATIONS)
def test_each_broken_rule_is_named(case: str) -> None:
    rule, mutate = MUTATIONS[case]
    plan = valid_plan()
    mutate(plan)
    problems, _objective = check_plan(tiny(), plan)
    assert any(problem.startswith(rule) for problem in problems), problems
    if (shared := shared_checker()) is not None:
        assert shared.check_plan(tiny(), plan)[0] != []

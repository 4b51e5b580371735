"""The project's own schedule checker finds each broken hard rule, as the contract's check.py does."""

import copy
from collections.abc import Callable
from typing import Any

import pytest

from app.matching.engine.check import check_schedule
from tests.contract import shared_checker
from tests.matching.matching_helpers import tiny_instance

Mutation = Callable[[dict[str, Any], dict[str, Any]], None]


def valid_schedule() -> dict[str, Any]:
    """A valid schedule of the tiny instance: c3 may meet once, so it does not meet us."""
    return {
        "format": "roadshow.schedule/1",
        "meetings": [
            {"company": "c1", "representative": "us", "slot": "14:00", "table": 1},
            {"company": "c2", "representative": "us", "slot": "14:20", "table": 1},
            {"company": "c1", "representative": "de", "slot": "14:20", "table": 2},
            {"company": "c3", "representative": "de", "slot": "14:40", "table": 2},
        ],
        "unscheduled": [{"company": "c3", "representative": "us", "reason": "company fully booked"}],
        "objective": 3 + 1 + 5 + 1 + 2 * 3,
        "upper_bound": 16,
        "optimal": True,
        "idle_gaps": 0,
        "seconds": 0.1,
    }


def _meeting(schedule: dict[str, Any], index: int, **changes: Any) -> None:
    schedule["meetings"][index].update(changes)


MUTATIONS: dict[str, tuple[str, Mutation]] = {
    "a meeting nobody asked for": (
        "rule 1",
        lambda _d, s: s["meetings"].append(
            {"company": "c2", "representative": "de", "slot": "14:40", "table": 3}
        ),
    ),
    "a request met twice": (
        "rule 1",
        lambda _d, s: s["meetings"].append(dict(s["meetings"][1], slot="14:40")),
    ),
    "a representative absent from the slot": ("rule 2", lambda _d, s: _meeting(s, 3, slot="14:00")),
    "two meetings at once": ("rule 3", lambda _d, s: _meeting(s, 1, slot="14:00", table=2)),
    "a company over its cap": ("rule 4", lambda d, _s: d["companies"][2].update(max_meetings=0)),
    "a table that does not exist": ("rule 5", lambda _d, s: _meeting(s, 0, table=4)),
    "one table for two meetings": ("rule 5", lambda _d, s: _meeting(s, 2, table=1)),
    "a representative who changes table": ("rule 6", lambda _d, s: _meeting(s, 3, table=3)),
    "a locked meeting left out": (
        "rule 7",
        lambda d, _s: d["locked"].append({"company": "c2", "representative": "us", "slot": "14:40"}),
    ),
    "a wrong objective": ("objective", lambda _d, s: s.update(objective=17)),
    "a bound below the objective": ("upper_bound", lambda _d, s: s.update(upper_bound=15)),
    "wrong idle gaps": ("idle_gaps", lambda _d, s: s.update(idle_gaps=1)),
    "a request neither met nor listed": ("unscheduled", lambda _d, s: s.update(unscheduled=[])),
}


def test_a_valid_schedule_passes_with_its_objective() -> None:
    data, schedule = tiny_instance(), valid_schedule()
    assert check_schedule(data, schedule) == ([], 16)
    if (shared := shared_checker()) is not None:
        assert shared.check_match(copy.deepcopy(data), schedule) == ([], 16)


@pytest.mark.parametrize("case", MUTATIONS)
def test_each_broken_rule_is_named(case: str) -> None:
    rule, mutate = MUTATIONS[case]
    data, schedule = tiny_instance(), valid_schedule()
    mutate(data, schedule)
    problems, _objective = check_schedule(data, schedule)
    assert any(problem.startswith(rule) for problem in problems), problems
    if (shared := shared_checker()) is not None:
        assert shared.check_match(data, schedule)[0] != []


def test_an_unscheduled_request_needs_a_reason() -> None:
    schedule = valid_schedule()
    schedule["unscheduled"][0]["reason"] = ""
    assert check_schedule(tiny_instance(), schedule)[0] == ["unscheduled[0]: no reason given"]

from typing import Any

import pytest

from app.matching.engine.instance import load_instance
from app.matching.engine.solver import Infeasible, solve
from benchmarks.matching_instances import generate
from tests.contract import assert_schedule_valid, example
from tests.matching.matching_helpers import tiny_instance


def solved(data: dict[str, Any], time_limit: float = 5.0) -> dict[str, Any]:
    schedule = solve(load_instance(data), time_limit=time_limit)
    assert_schedule_valid(data, schedule)
    return schedule


def test_small_example_reaches_proven_optimum_366() -> None:
    schedule = solved(example("match-small"))
    assert schedule["objective"] == 366
    assert schedule["upper_bound"] == 366
    assert schedule["optimal"] is True


def test_compact_example_reaches_84_with_no_idle_gap() -> None:
    schedule = solved(example("match-compact"), time_limit=30.0)
    assert schedule["objective"] == 84
    assert schedule["idle_gaps"] == 0


def test_schedule_has_the_contract_shape() -> None:
    schedule = solved(tiny_instance())
    assert schedule["format"] == "roadshow.schedule/1"
    assert set(schedule) == {
        "format",
        "meetings",
        "unscheduled",
        "objective",
        "upper_bound",
        "optimal",
        "idle_gaps",
        "seconds",
    }
    assert set(schedule["meetings"][0]) == {
        "company",
        "representative",
        "slot",
        "table",
    }


def test_every_unmet_request_is_listed_with_a_reason() -> None:
    data = example("match-small")
    schedule = solved(data)
    met = {(m["company"], m["representative"]) for m in schedule["meetings"]}
    listed = {(u["company"], u["representative"]) for u in schedule["unscheduled"]}
    everything = {(q["company"], q["representative"]) for q in data["requests"]}
    assert met | listed == everything
    assert not met & listed
    assert all(u["reason"] for u in schedule["unscheduled"])


def test_company_limit_is_given_as_the_reason() -> None:
    schedule = solved(tiny_instance())
    reasons = {(u["company"], u["representative"]): u["reason"] for u in schedule["unscheduled"]}
    assert reasons == {("c3", "de"): "company reached its meeting limit"} or reasons == {
        ("c3", "us"): "company reached its meeting limit"
    }


def test_parties_never_present_together_are_explained() -> None:
    data = tiny_instance()
    data["companies"][1]["slots"] = ["14:00"]
    data["requests"].append({"company": "c2", "representative": "de", "weight": 9})
    schedule = solved(data)
    reasons = {(u["company"], u["representative"]): u["reason"] for u in schedule["unscheduled"]}
    assert "no common slot" in reasons[("c2", "de")]


def test_meetings_only_in_slots_where_both_are_present() -> None:
    schedule = solved(tiny_instance())
    for meeting in schedule["meetings"]:
        if meeting["representative"] == "de":
            assert meeting["slot"] != "14:00"


def test_fewer_tables_than_representatives_caps_meetings_per_slot() -> None:
    data = generate("S", seed=3)
    data["tables"] = 3
    schedule = solved(data)
    per_slot: dict[str, int] = {}
    for meeting in schedule["meetings"]:
        per_slot[meeting["slot"]] = per_slot.get(meeting["slot"], 0) + 1
    assert max(per_slot.values()) <= 3


def test_representatives_keep_one_table_when_there_are_enough() -> None:
    data = generate("S", seed=4)
    data["tables"] = len(data["representatives"])
    schedule = solved(data)
    tables: dict[str, set[int]] = {}
    for meeting in schedule["meetings"]:
        tables.setdefault(meeting["representative"], set()).add(meeting["table"])
    assert all(len(used) == 1 for used in tables.values())


def test_locked_meetings_are_kept() -> None:
    data = tiny_instance(locked=[{"company": "c2", "representative": "us", "slot": "14:40"}])
    schedule = solved(data)
    assert {"company": "c2", "representative": "us", "slot": "14:40"} in [
        {k: m[k] for k in ("company", "representative", "slot")} for m in schedule["meetings"]
    ]


def test_tiny_time_limit_still_returns_a_valid_schedule() -> None:
    data = generate("M", seed=2)
    schedule = solved(data, time_limit=0.01)
    assert schedule["objective"] > 0
    assert schedule["upper_bound"] is None or schedule["upper_bound"] >= schedule["objective"]


def test_locked_meetings_clashing_for_a_company_raise_infeasible_naming_them() -> None:
    data = tiny_instance(
        locked=[
            {"company": "c1", "representative": "us", "slot": "14:20"},
            {"company": "c1", "representative": "de", "slot": "14:20"},
        ]
    )
    with pytest.raises(Infeasible) as raised:
        solve(load_instance(data), time_limit=1)
    assert raised.value.reasons == [
        "locked[0] (c1 with us at 14:20) and locked[1] (c1 with de at 14:20) both put company c1 in slot 14:20"
    ] or any("locked[0]" in r and "locked[1]" in r and "c1" in r for r in raised.value.reasons)


def test_locked_meetings_breaking_presence_tables_and_limits_are_all_explained() -> None:
    data = tiny_instance(
        tables=1,
        locked=[
            {"company": "c3", "representative": "de", "slot": "14:00"},
            {"company": "c3", "representative": "us", "slot": "14:20"},
            {"company": "c1", "representative": "de", "slot": "14:20"},
        ],
    )
    with pytest.raises(Infeasible) as raised:
        solve(load_instance(data), time_limit=1)
    text = "\n".join(raised.value.reasons)
    assert "representative de in slot 14:00, when it is absent" in text
    assert "only 1 tables" in text
    assert "above its max_meetings 1" in text

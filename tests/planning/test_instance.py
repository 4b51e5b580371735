import copy
import json
import random
from pathlib import Path

import pytest

from app.planning.engine.instance import InvalidInstance, load_instance

DATA = Path(__file__).resolve().parent / "data"


def tiny() -> dict:
    return json.loads((DATA / "tiny-plan.json").read_text())


def problems_of(data: object) -> list[str]:
    with pytest.raises(InvalidInstance) as raised:
        load_instance(data)
    return raised.value.problems


def test_valid_instance_loads_with_defaults_filled_in():
    data = tiny()
    del data["weekdays"], data["blackouts"], data["max_days_between_stops"]
    instance = load_instance(data)
    assert instance.total_stops == 4
    assert instance.weekdays == frozenset(range(5))
    assert instance.max_days_between_stops is None
    assert instance.fixed[0].countries == ("DE", "SA")


def test_every_problem_is_listed_with_its_field_path_and_index():
    data = tiny()
    data["weekdays"] = ["tue", "tues"]
    data["countries_per_stop"] = [3, 2]
    data["territories"][2]["affinity"]["aerospacex"] = 2
    data["countries"][2]["min_stops"] = 3
    data["fixed"][0]["date"] = "2026-13-01"
    data["interest"]["energy"]["US"] = 7
    data["closed_dates"].append("Easter")

    assert problems_of(data) == [
        "weekdays[1]: unknown weekday 'tues'",
        "closed_dates[3]: not a date 'Easter'",
        "countries_per_stop: expected [min, max] with 1 <= min <= max",
        "territories[2].affinity.aerospacex: unknown sector 'aerospacex'",
        "countries[2].min_stops: must not exceed max_stops",
        "interest.energy.US: must be an integer from 0 to 5",
        "fixed[0].date: not a date '2026-13-01'",
    ]


def test_references_to_unknown_ids_and_duplicates_are_problems():
    data = tiny()
    data["fixed"][0].update(sector="mining", territory="XX", countries=["DE", "ZZ", "DE"])
    data["countries"].append({"id": "US"})
    problems = problems_of(data)
    assert "countries[4].id: duplicate id 'US'" in problems
    assert "fixed[0].sector: unknown sector 'mining'" in problems
    assert "fixed[0].territory: unknown territory 'XX'" in problems
    assert "fixed[0].countries[1]: unknown country 'ZZ'" in problems
    assert "fixed[0].countries: lists a country twice" in problems


def test_missing_fields_wrong_types_and_booleans_as_numbers_are_problems():
    problems = problems_of(
        {
            "format": "roadshow.plan/1",
            "sectors": {"energy": 1},
            "min_days_between_stops": True,
        }
    )
    assert problems == [
        "start: missing",
        "end: missing",
        "min_days_between_stops: must be an integer of at least 0",
        "countries_per_stop: expected [min, max] with 1 <= min <= max",
        "sectors: expected a list",
        "territories: missing",
        "countries: missing",
    ]


def test_a_non_object_instance_is_one_problem():
    assert problems_of(["not", "an", "instance"]) == ["instance: expected a JSON object"]


def test_end_before_start_and_inverted_spacing_are_problems():
    data = tiny()
    data["end"] = "2026-03-01"
    data["max_days_between_stops"] = 7
    assert problems_of(data) == [
        "end: must not be before start 2026-03-02",
        "max_days_between_stops: must not be below min_days_between_stops",
    ]


def test_malformed_instances_never_raise_anything_but_invalid_instance():
    rng = random.Random(7)
    junk: list[object] = [
        None,
        3,
        "x",
        [],
        {},
        [1],
        {"a": None},
        True,
        -1,
        "2026-02-30",
    ]
    original = tiny()
    for _ in range(300):
        data = copy.deepcopy(original)
        target = rng.choice([data, data["territories"][0], data["countries"][1], data["fixed"][0]])
        target[rng.choice(list(target))] = rng.choice(junk)
        try:
            load_instance(data)
        except InvalidInstance as invalid:
            assert invalid.problems

import pytest

from app.matching.engine.instance import InvalidInstance, load_instance
from tests.contract import example
from tests.matching.matching_helpers import tiny_instance


def problems_of(data: object) -> list[str]:
    with pytest.raises(InvalidInstance) as raised:
        load_instance(data)
    return raised.value.problems


def test_valid_example_loads_with_every_party() -> None:
    instance = load_instance(example("match-small"))
    assert len(instance.companies) == 40
    assert len(instance.locked) == 3


def test_invalid_instance_lists_every_problem_with_field_paths() -> None:
    data = tiny_instance(format="roadshow.match/0", tables=0, fairness_bonus=-1)
    data["slots"].append("14:40")
    data["companies"][0]["slots"] = ["9:00"]
    data["companies"][1]["max_meetings"] = -2
    data["companies"].append({"id": "c1"})
    data["requests"][1]["representative"] = "xx"
    data["requests"][2]["weight"] = 11
    data["requests"].append({"company": "c1", "representative": "us"})
    data["locked"] = [{"company": "c2", "representative": "de", "slot": "14:20"}]
    assert problems_of(data) == [
        "format: expected 'roadshow.match/1'",
        "slots[3]: duplicate slot '14:40'",
        "tables: must be an integer >= 1",
        "fairness_bonus: must be an integer >= 0",
        "companies[0].slots[0]: unknown slot '9:00'",
        "companies[1].max_meetings: must be an integer >= 0",
        "companies[3].id: duplicate id 'c1'",
        "requests[1].representative: unknown id 'xx'",
        "requests[2].weight: must be an integer from 1 to 10",
        "requests[5]: duplicate request, same pair as requests[0]",
        "locked[0]: names no request (c2, de)",
    ]


@pytest.mark.parametrize("data", [None, [], "text", {"format": "roadshow.match/1"}, {"slots": 3}])
def test_malformed_json_shapes_raise_invalid_instance_only(data: object) -> None:
    assert problems_of(data)


def test_wrong_types_inside_lists_are_reported_not_raised() -> None:
    data = tiny_instance(companies=[3, {"id": 7}], requests=[{"company": None}], locked=[{}])
    problems = problems_of(data)
    assert "companies[0]: expected an object" in problems
    assert "companies[1].id: expected a non-empty string" in problems
    assert "requests[0].company: expected an id" in problems
    assert "locked[0].slot: unknown slot None" in problems

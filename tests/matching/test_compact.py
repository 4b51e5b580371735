import time

from app.matching.engine.compact import compact
from app.matching.engine.greedy import fill, greedy_schedule
from app.matching.engine.instance import load_instance
from app.matching.engine.kempe import anneal
from app.matching.engine.repair import complete
from app.matching.engine.scoring import assignment_gaps, objective
from app.matching.engine.slotting import Day, reslot
from app.matching.engine.solver import solve_with_gap_bound
from benchmarks.matching_days import planted_day, stop_day
from benchmarks.matching_instances import generate
from tests.contract import assert_schedule_valid as assert_valid
from tests.contract import example


def test_small_planted_day_reaches_its_known_optimum_with_no_idle_gap() -> None:
    data, best = planted_day(3, representatives=6, slots=8)
    started = time.monotonic()
    schedule, gap_bound = solve_with_gap_bound(load_instance(data), time_limit=5)
    assert_valid(data, schedule)
    assert schedule["objective"] == best
    assert schedule["optimal"] is True
    assert schedule["idle_gaps"] == 0
    assert gap_bound == 0
    assert time.monotonic() - started < 5  # stops once no gap is left


def test_planted_day_of_720_meetings_gets_its_optimum_and_a_valid_compact_schedule() -> None:
    data, best = planted_day(1)
    schedule, gap_bound = solve_with_gap_bound(load_instance(data), time_limit=10)
    assert_valid(data, schedule)
    assert len(schedule["meetings"]) == 720
    assert schedule["objective"] == schedule["upper_bound"] == best
    assert 0 <= gap_bound <= schedule["idle_gaps"]


def test_time_limit_is_total_wall_time_within_one_second() -> None:
    data = stop_day(2, requests=1200, representatives=40)
    started = time.monotonic()
    schedule, _ = solve_with_gap_bound(load_instance(data), time_limit=3)
    assert time.monotonic() - started < 4
    assert_valid(data, schedule)


def test_idle_gap_phase_keeps_every_meeting_and_the_objective() -> None:
    instance = load_instance(generate("S", seed=5))
    start = fill(instance, greedy_schedule(instance))
    result = compact(instance, start, time.monotonic() + 1.0)
    assert set(result.assignment) == set(start)
    assert objective(instance, result.assignment) == objective(instance, start)
    assert result.gaps == assignment_gaps(instance, result.assignment) <= assignment_gaps(instance, start)
    assert 0 <= result.bound <= result.gaps


def test_alternating_paths_give_every_planted_meeting_a_slot() -> None:
    data, _ = planted_day(2, representatives=10, slots=12, locked=2)
    instance = load_instance(data)
    planted = _planted_requests(instance)
    day = Day.of(instance, planted)
    locked = {lock.request: lock.slot for lock in instance.locked}
    slotted = complete(day, locked, time.monotonic() + 2)
    assert slotted is not None
    assert set(slotted) == planted
    assert all(slotted[r] == s for r, s in locked.items())
    _assert_feasible(day, slotted)


def test_annealing_and_neighbourhoods_never_break_a_rule_nor_add_gaps() -> None:
    instance = load_instance(generate("M", seed=2))
    start = fill(instance, greedy_schedule(instance))
    day = Day.of(instance, start)
    annealed = anneal(day, start, time.monotonic() + 0.5)
    _assert_feasible(day, annealed)
    assert day.gaps(annealed) <= day.gaps(start)
    some = sorted(annealed)[:40]
    result = reslot(day, annealed, some, 1.0)
    assert result.assignment is not None
    _assert_feasible(day, result.assignment)
    assert day.gaps(result.assignment) <= day.gaps(annealed)


def _planted_requests(instance) -> set[int]:  # type: ignore[no-untyped-def]
    """The planted meetings are each representative's heaviest requests, one per slot."""
    by_rep: dict[int, list[int]] = {}
    for index, q in enumerate(instance.requests):
        by_rep.setdefault(q.representative, []).append(index)
    chosen = set()
    for requests in by_rep.values():
        requests.sort(key=lambda r: -instance.requests[r].weight)
        chosen.update(requests[: len(instance.slots)])
    return chosen


def _assert_feasible(day: Day, assignment: dict[int, int]) -> None:
    seen: set[tuple[object, int]] = set()
    per_slot: dict[int, int] = {}
    for request, slot in assignment.items():
        assert slot in day.allowed[request]
        for party in day.parties[request]:
            assert (party, slot) not in seen
            seen.add((party, slot))
        per_slot[slot] = per_slot.get(slot, 0) + 1
    assert max(per_slot.values()) <= day.instance.tables


def test_exchanges_keep_the_objective_the_rules_and_the_locked_meetings() -> None:
    instance = load_instance(example("match-compact"))
    start = fill(instance, greedy_schedule(instance))
    result = compact(instance, start, time.monotonic() + 1.0, exchange=True)
    assert objective(instance, result.assignment) == objective(instance, start)
    _assert_feasible(Day.of(instance, result.assignment), result.assignment)
    assert result.gaps == assignment_gaps(instance, result.assignment) <= assignment_gaps(instance, start)
    caps = [c.max_meetings for c in instance.companies]
    for company, cap in enumerate(caps):
        met = sum(1 for r in result.assignment if instance.requests[r].company == company)
        assert cap is None or met <= cap

    data, _ = planted_day(4, representatives=6, slots=8, decoys=3, locked=3)
    instance = load_instance(data)
    start = fill(instance, greedy_schedule(instance))
    result = compact(instance, start, time.monotonic() + 1.0, exchange=True)
    assert objective(instance, result.assignment) == objective(instance, start)
    assert all(result.assignment[lock.request] == lock.slot for lock in instance.locked)
    _assert_feasible(Day.of(instance, result.assignment), result.assignment)

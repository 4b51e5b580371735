"""The B2B meeting engine: `roadshow.match/1` instance in, `roadshow.schedule/1` out.

The time limit is shared out so that a valid schedule always comes back in time:
1. a value-ordered greedy gives a schedule at once (the fallback);
2. the LP relaxation (GLOP) of the (request, slot) model proves the best weighted
   objective, usually with an integral vertex that is itself the schedule. When it is
   fractional (days packed so tightly that every representative is busy all day do
   that), the meetings are chosen first with slots aside, which is a bound too, then
   given slots by alternating paths (aggregate.py, repair.py); if that still falls
   short of the bound, CP-SAT searches from the best schedule under the bound;
3. the idle-gap phase keeps those meetings and moves their slots (compact.py): a
   back-to-back start, Kempe-chain annealing, CP-SAT neighbourhoods, and on small
   instances a last CP-SAT step where the met requests may change too, the weighted
   objective held at its best value. The phase uses all the time left: the limit is
   the total wall time.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from app.matching.engine.aggregate import choose_meetings
from app.matching.engine.compact import compact
from app.matching.engine.cp_model import MeetingModel
from app.matching.engine.explain import locked_conflicts, unscheduled_reasons
from app.matching.engine.greedy import Assignment, fill, greedy_schedule, locked_assignment
from app.matching.engine.instance import MatchInstance
from app.matching.engine.repair import complete
from app.matching.engine.scoring import assignment_gaps, idle_gaps, objective
from app.matching.engine.slotting import Day
from app.matching.engine.tables import assign_tables
from app.matching.engine.value_model import ValueModel

OUTPUT_FORMAT = "roadshow.schedule/1"
VALUE_SHARE = 0.7  # of the time limit, at most, for proving the weighted objective
AGGREGATE_SHARE = 0.05  # of the limit (or 20% of the time left) to choose meetings slots aside, again to slot
SLOTTING_SHARE = 0.6  # of the idle-gap phase on small instances; then the met requests may change
SECONDS_PER_COLUMN = 2e-5  # measured model-building cost, to skip models that cannot fit
FULL_GAP_MODEL_COLUMNS = 5000  # above this, the gap phase keeps the set of met requests
SAFETY = 0.25  # seconds kept for reading the solution and writing the output


class Infeasible(Exception):
    """The hard rules cannot all hold; `reasons` explains each conflict."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("\n".join(reasons))
        self.reasons = reasons


Progress = Callable[[dict[str, Any]], None]


def solve(
    instance: MatchInstance, *, time_limit: float = 10.0, progress: Progress | None = None
) -> dict[str, Any]:
    """Best schedule found within `time_limit` seconds, in `roadshow.schedule/1`.

    `progress`, if given, hears the best schedule so far after each phase, as
    ``{"objective", "bound", "idle_gaps", "meetings"}``."""
    return solve_with_gap_bound(instance, time_limit=time_limit, progress=progress)[0]


def solve_with_gap_bound(
    instance: MatchInstance, *, time_limit: float = 10.0, progress: Progress | None = None
) -> tuple[dict[str, Any], int]:
    """The schedule and a lower bound on the idle gaps of its set of meetings."""

    def report(best: Assignment, bound: int) -> None:
        if progress is not None:
            value, gaps = objective(instance, best), assignment_gaps(instance, best)
            progress({"objective": value, "bound": bound, "idle_gaps": gaps, "meetings": len(best)})

    started = time.monotonic()
    deadline = started + max(0.0, time_limit) - SAFETY
    conflicts = locked_conflicts(instance)
    if conflicts:
        raise Infeasible(conflicts)

    best = greedy_schedule(instance)
    bound = cheap_bound(instance)
    columns = sum(len(instance.common_slots(q)) for q in instance.requests)
    build_cost = columns * SECONDS_PER_COLUMN
    value_proven = False
    meeting_model: MeetingModel | None = None
    report(best, bound)

    value_deadline = started + time_limit * VALUE_SHARE
    if value_deadline - time.monotonic() > 2 * build_cost:
        value = ValueModel(instance, deadline=value_deadline).solve(value_deadline - time.monotonic())
        if value.upper_bound is not None:
            bound = min(bound, value.upper_bound)
        if value.assignment is not None:
            candidate = value.assignment if value.proven else fill(instance, value.assignment)
            best = _better(instance, best, candidate)
        value_proven = value.proven
    if not value_proven:
        seconds = max(AGGREGATE_SHARE * time_limit, AGGREGATE_SHARE * 4 * (deadline - time.monotonic()))
        best, bound = _meetings_first(instance, best, bound, seconds)
    if objective(instance, best) < bound and value_deadline - time.monotonic() > 2 * build_cost:
        meeting_model = MeetingModel(instance)
        meeting_model.hint(best)
        search = meeting_model.maximise_value(value_deadline - time.monotonic())
        if search.bound is not None:
            bound = min(bound, math.floor(search.bound + 1e-6))
        if search.assignment is not None:
            best = _better(instance, best, search.assignment)

    best = fill(instance, best)
    gap_bound = 0
    report(best, bound)
    if assignment_gaps(instance, best) > 0:
        full = columns <= FULL_GAP_MODEL_COLUMNS
        slotting_end = time.monotonic() + (deadline - time.monotonic()) * (SLOTTING_SHARE if full else 1.0)
        compacted = compact(instance, best, slotting_end, exchange=True)
        best, gap_bound = compacted.assignment, compacted.bound
        if full and compacted.gaps > 0:
            best = _gap_step(instance, best, meeting_model or MeetingModel(instance), deadline)
    schedule = _schedule(instance, best, bound, time.monotonic() - started)
    return schedule, min(gap_bound, schedule["idle_gaps"])


def _meetings_first(
    instance: MatchInstance, best: Assignment, bound: int, seconds: float
) -> tuple[Assignment, int]:
    """Phase 1 by decomposition: choose the meetings slots aside (a bound too), then slot them."""
    chosen = choose_meetings(instance, seconds)
    if chosen is None:
        return best, bound
    bound = min(bound, chosen.bound)
    if chosen.value > objective(instance, best):
        slotted = complete(
            Day.of(instance, chosen.met), locked_assignment(instance), time.monotonic() + seconds
        )
        if slotted is not None:
            best = slotted
    return best, bound


def _gap_step(instance: MatchInstance, best: Assignment, model: MeetingModel, deadline: float) -> Assignment:
    model.hint(best)
    value = objective(instance, best)
    compact = model.minimise_gaps(value, deadline - time.monotonic())
    if compact.assignment is None or objective(instance, compact.assignment) < value:
        return best
    if assignment_gaps(instance, compact.assignment) < assignment_gaps(instance, best):
        return compact.assignment
    return best


def _better(instance: MatchInstance, current: Assignment, candidate: Assignment) -> Assignment:
    return candidate if objective(instance, candidate) > objective(instance, current) else current


def cheap_bound(instance: MatchInstance) -> int:
    """A bound needing no solver: each company alone with its best possible requests.

    Valid because it drops every rule that couples companies (representatives' time
    and caps, tables), and a company can meet at most min(max_meetings, slots present).
    """
    best_weights: dict[int, list[int]] = {}
    for q in instance.requests:
        if instance.common_slots(q):
            best_weights.setdefault(q.company, []).append(q.weight)
    total = 0
    for company, weights in best_weights.items():
        party = instance.companies[company]
        room = len(party.present)
        if party.max_meetings is not None:
            room = min(room, party.max_meetings)
        if room > 0:
            total += sum(sorted(weights, reverse=True)[:room]) + instance.fairness_bonus
    return total


def _schedule(instance: MatchInstance, assignment: Assignment, bound: int, seconds: float) -> dict[str, Any]:
    tables = assign_tables(instance, assignment)
    meetings = [
        {
            "company": instance.companies[instance.requests[r].company].id,
            "representative": instance.representatives[instance.requests[r].representative].id,
            "slot": instance.slots[slot],
            "table": tables[r],
        }
        for r, slot in sorted(assignment.items(), key=lambda item: (item[1], tables[item[0]]))
    ]
    reasons = unscheduled_reasons(instance, assignment)
    unscheduled = [
        {
            "company": instance.companies[instance.requests[r].company].id,
            "representative": instance.representatives[instance.requests[r].representative].id,
            "reason": reason,
        }
        for r, reason in sorted(reasons.items())
    ]
    value = objective(instance, assignment)
    return {
        "format": OUTPUT_FORMAT,
        "meetings": meetings,
        "unscheduled": unscheduled,
        "objective": value,
        "upper_bound": bound,
        "optimal": value >= bound,
        "idle_gaps": idle_gaps(instance.slots, meetings),
        "seconds": round(seconds, 3),
    }

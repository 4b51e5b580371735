"""The meeting set fixed, only slots move: the slotting problem of the idle-gap phase.

Bofill et al. (JAIR 74, 2022) split the B2B day the same way: once the meetings are
chosen, giving each a slot so that nobody's day has holes is a problem of its own,
much smaller than the choice of meetings. Here it is a CP-SAT model built over any
subset of the meetings, the others held where they are; compact.py solves the whole
set of a small day, for a bound on the gaps.

Idle gaps are counted through run starts: a party starts a run in slot s when it is
busy in s and not in s - 1; its idle gaps are its runs minus one. Minimising the
starts is minimising the gaps, since the number of busy parties is fixed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from app.matching.engine.greedy import Assignment
from app.matching.engine.instance import MatchInstance

Party = tuple[str, int]  # ("c", company index) or ("r", representative index)


@dataclass
class Day:
    """The fixed meetings of a schedule: who meets whom, and where each may go."""

    instance: MatchInstance
    allowed: dict[int, list[int]]
    parties: dict[int, tuple[Party, Party]]
    meetings_of: dict[Party, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, instance: MatchInstance, met: Collection[int]) -> Day:
        locked = {lock.request: lock.slot for lock in instance.locked}
        allowed: dict[int, list[int]] = {}
        parties: dict[int, tuple[Party, Party]] = {}
        day = cls(instance, allowed, parties)
        for request in sorted(met):
            q = instance.requests[request]
            allowed[request] = [locked[request]] if request in locked else instance.common_slots(q)
            parties[request] = (("c", q.company), ("r", q.representative))
            for party in parties[request]:
                day.meetings_of[party].append(request)
        return day

    def cost(
        self, assignment: Mapping[int, int], parties: Collection[Party] | None = None
    ) -> tuple[int, int]:
        """(meetings without a slot, idle gaps among those placed) of these parties."""
        unplaced = gaps = 0
        for party in self.meetings_of if parties is None else parties:
            busy = {assignment[m] for m in self.meetings_of[party] if m in assignment}
            unplaced += len(self.meetings_of[party]) - len(busy)
            gaps += max(0, sum(1 for s in busy if s - 1 not in busy) - 1)
        return unplaced, gaps

    def gaps(self, assignment: Mapping[int, int], parties: Collection[Party] | None = None) -> int:
        return self.cost(assignment, parties)[1]


@dataclass
class SlotResult:
    assignment: Assignment | None
    cost: tuple[int, int] | None  # of the touched parties, see Day.cost
    bound: int
    optimal: bool


def reslot(
    day: Day, assignment: Mapping[int, int], free: Collection[int], time_limit: float, *, workers: int = 1
) -> SlotResult:
    """Best slots for the `free` meetings, the others held in place, from `assignment`.

    The current slots of the free meetings are the hint, so the answer is never worse.
    `bound` is a lower bound on the gaps of the parties the free meetings touch."""
    model = cp_model.CpModel()
    free = set(free)
    fixed_busy: set[tuple[Party, int]] = set()
    slot_load: dict[int, int] = defaultdict(int)
    for request, slot in assignment.items():
        if request not in free:
            slot_load[slot] += 1
            for party in day.parties[request]:
                fixed_busy.add((party, slot))
    meet: dict[tuple[int, int], cp_model.IntVar] = {}
    busy: dict[tuple[Party, int], list[cp_model.IntVar]] = defaultdict(list)
    by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for request in sorted(free):
        choices = []
        for slot in day.allowed[request]:
            if any((party, slot) in fixed_busy for party in day.parties[request]):
                continue
            var = model.new_bool_var("")
            if request in assignment:
                model.add_hint(var, assignment[request] == slot)
            meet[(request, slot)] = var
            choices.append(var)
            by_slot[slot].append(var)
            for party in day.parties[request]:
                busy[(party, slot)].append(var)
        model.add_exactly_one(choices)
    for group in busy.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for slot, group in by_slot.items():
        room = day.instance.tables - slot_load[slot]
        if len(group) > room:
            model.add(sum(group) <= room)
    touched = {party for request in free for party in day.parties[request]}
    starts: list[cp_model.IntVar] = []
    constant = 0  # runs that start in slots where nothing moves
    hinted = _busy_slots(day, assignment, touched)
    for party in touched:
        previous: list[cp_model.IntVar] | None = []  # None: busy with a held meeting
        for slot in range(len(day.instance.slots)):
            group = busy.get((party, slot), [])
            if (party, slot) in fixed_busy:
                if previous == []:
                    constant += 1
                elif previous is not None:
                    starts.append(
                        _start(model, [], previous, slot in hinted[party] and slot - 1 not in hinted[party])
                    )
                previous = None
            elif group:
                # After a held meeting, busy here starts no run.
                if previous is not None:
                    starts.append(
                        _start(
                            model, group, previous, slot in hinted[party] and slot - 1 not in hinted[party]
                        )
                    )
                previous = group
            else:
                previous = []
    model.minimize(sum(starts))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    runs_floor = constant - len(touched)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SlotResult(None, None, 0, False)
    result = dict(assignment)
    for (request, slot), var in meet.items():
        if solver.boolean_value(var):
            result[request] = slot
    bound = max(0, runs_floor + math.ceil(solver.best_objective_bound - 1e-6))
    return SlotResult(result, day.cost(result, touched), bound, status == cp_model.OPTIMAL)


def _start(
    model: cp_model.CpModel, now: list[cp_model.IntVar], before: list[cp_model.IntVar], hint: bool
) -> cp_model.IntVar:
    """A Boolean that is 1 when busy now (held meeting if `now` is empty) and not before."""
    start = model.new_bool_var("")
    model.add(start + sum(before) >= (sum(now) if now else 1))
    model.add_hint(start, hint)
    return start


def _busy_slots(day: Day, assignment: Mapping[int, int], parties: Collection[Party]) -> dict[Party, set[int]]:
    return {party: {assignment[m] for m in day.meetings_of[party] if m in assignment} for party in parties}

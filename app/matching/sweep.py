"""A second constructive start: the day filled slot by slot, as a sequence of matchings.

In each slot, the companies and representatives still owing meetings are matched
(CP-SAT on a small bipartite graph, one Boolean per meeting allowed there). Edge
weights say what a person scheduling by hand would weigh: a party that can no longer
fit its remaining meetings in its remaining slots must meet now; a party in the middle
of a run of meetings should go on (a pause is an idle gap); a party whose run has
ended should not start another. On days packed so tightly that every representative
is busy in every slot, this lays most companies' meetings in one block where the
company-by-company pass (construct.py) strands many.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from app.matching.greedy import Assignment
from app.matching.slotting import Day, Party

MUST = 1000  # a party with exactly as many slots left as meetings
GOES_ON = 60  # a party that met in the previous slot
NEW_RUN = -40  # a party that met before, but not in the previous slot
SLOT_SECONDS = 0.2


def sweep(day: Day) -> Assignment:
    slots = len(day.instance.slots)
    placed: Assignment = {lock.request: lock.slot for lock in day.instance.locked if lock.request in day.allowed}
    left: dict[Party, int] = {p: len(ms) for p, ms in day.meetings_of.items()}
    for request in placed:
        for party in day.parties[request]:
            left[party] -= 1
    busy: dict[Party, set[int]] = defaultdict(set)
    for request, slot in placed.items():
        for party in day.parties[request]:
            busy[party].add(slot)
    later: dict[Party, list[int]] = {}  # per party, how many of its slots remain from s on
    for party, meetings in day.meetings_of.items():
        usable = set().union(*(day.allowed[m] for m in meetings))
        counts = [0] * (slots + 1)
        for s in range(slots - 1, -1, -1):
            counts[s] = counts[s + 1] + (s in usable and s not in busy[party])
        later[party] = counts
    for slot in range(slots):
        taken = sum(1 for s in placed.values() if s == slot)
        options = [
            m
            for m in day.allowed
            if m not in placed
            and slot in day.allowed[m]
            and all(slot not in busy[p] for p in day.parties[m])
        ]
        chosen = _match(day, options, slot, busy, left, later, day.instance.tables - taken)
        for request in chosen:
            placed[request] = slot
            for party in day.parties[request]:
                busy[party].add(slot)
                left[party] -= 1
    return placed


def _weight(party: Party, slot: int, busy: dict[Party, set[int]], left: dict[Party, int], later: list[int]) -> int:
    weight = 10 * left[party] // max(1, later[slot])
    if left[party] >= later[slot]:
        weight += MUST
    if slot - 1 in busy[party]:
        weight += GOES_ON
    elif busy[party]:
        weight += NEW_RUN
    return weight


def _match(
    day: Day,
    options: list[int],
    slot: int,
    busy: dict[Party, set[int]],
    left: dict[Party, int],
    later: dict[Party, list[int]],
    room: int,
) -> list[int]:
    if not options or room <= 0:
        return []
    model = cp_model.CpModel()
    var = {m: model.new_bool_var("") for m in options}
    by_party: dict[Party, list[cp_model.IntVar]] = defaultdict(list)
    for m in options:
        for party in day.parties[m]:
            by_party[party].append(var[m])
    for group in by_party.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    if len(options) > room:
        model.add(sum(var.values()) <= room)
    weights = {
        m: 100 + sum(_weight(p, slot, busy, left, later[p]) for p in day.parties[m]) for m in options
    }
    model.maximize(sum(max(1, weights[m]) * var[m] for m in options))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = SLOT_SECONDS
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return []
    return [m for m in options if solver.boolean_value(var[m])]

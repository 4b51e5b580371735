"""Which requests to meet, slots left aside: the first step of a two-step phase 1.

When the LP relaxation of the (request, slot) model stops at a fractional vertex
(days packed so tightly that every representative is busy all day do this), the
meeting set is chosen first, with one Boolean per request and only the rules that
count meetings: one per party per slot present (so at most as many as its slots),
`max_meetings`, and `tables` per slot over the day. That is a relaxation, so its
optimum is a bound too; when the chosen set can then be given slots (slotting.py),
the schedule is optimal. Bofill et al. (JAIR 74, 2022) decompose the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from app.matching.engine.instance import MatchInstance

WORKERS = 2


@dataclass
class MeetingSet:
    met: set[int]
    value: int
    bound: int


def choose_meetings(instance: MatchInstance, time_limit: float) -> MeetingSet | None:
    model = cp_model.CpModel()
    meet: dict[int, cp_model.IntVar] = {}
    by_company: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    by_rep: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    locked = {lock.request for lock in instance.locked}
    for index, q in enumerate(instance.requests):
        if not instance.common_slots(q):
            continue
        var = model.new_bool_var("")
        meet[index] = var
        by_company[q.company].append(var)
        by_rep[q.representative].append(var)
        if index in locked:
            model.add(var == 1)
    for parties, groups in ((instance.companies, by_company), (instance.representatives, by_rep)):
        for party, group in groups.items():
            room = len(parties[party].present)
            cap = parties[party].max_meetings
            room = room if cap is None else min(room, cap)
            if room < len(group):
                model.add(sum(group) <= room)
    model.add(sum(meet.values()) <= instance.tables * len(instance.slots))
    terms = [instance.requests[index].weight * var for index, var in meet.items()]
    for group in by_company.values():
        if instance.fairness_bonus:
            active = model.new_bool_var("")
            model.add_bool_or(group).only_enforce_if(active)
            terms.append(instance.fairness_bonus * active)
    model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = WORKERS
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    met = {index for index, var in meet.items() if solver.boolean_value(var)}
    return MeetingSet(met, round(solver.objective_value), int(solver.best_objective_bound + 1e-6))

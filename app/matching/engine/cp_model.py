"""The CP-SAT model: one Boolean per (request, slot in which both parties are present).

It serves two phases: searching for value when the LP relaxation is fractional, and
minimising idle gaps with the weighted objective held at its best value. Tables need
no variables: any set of meetings with at most `tables` per slot can be seated
(see tables.py).

Every hint given is complete (auxiliary variables included), because CP-SAT often
failed to complete a partial hint on the 300-company instance within seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from ortools.sat.python import cp_model

from app.matching.engine.greedy import Assignment
from app.matching.engine.instance import MatchInstance

WORKERS = 2  # the deployment machine has two cores
Lit = cp_model.IntVar


@dataclass
class PhaseResult:
    assignment: Assignment | None
    bound: float | None
    proven: bool


class MeetingModel:
    def __init__(self, instance: MatchInstance, keep: Collection[int] | None = None) -> None:
        """With `keep`, only those requests are modelled and each must be met: the
        phase then only moves meetings between slots, which is far smaller."""
        self.instance = instance
        self.model = cp_model.CpModel()
        self.meet: dict[tuple[int, int], Lit] = {}
        self.hints: dict[Lit, bool] = {}
        self.by_party_slot: dict[tuple[str, int, int], list[Lit]] = defaultdict(list)
        by_slot: dict[int, list[Lit]] = defaultdict(list)
        per_party: dict[tuple[str, int], list[Lit]] = defaultdict(list)
        locked = {lock.request: lock.slot for lock in instance.locked}
        self.met_terms: dict[int, list[Lit]] = {}
        requests = sorted(keep) if keep is not None else range(len(instance.requests))
        for index in requests:
            q = instance.requests[index]
            slots = [locked[index]] if index in locked else instance.common_slots(q)
            terms = []
            for slot in slots:
                var = self.model.new_bool_var(f"m{index}_{slot}")
                self.meet[(index, slot)] = var
                terms.append(var)
                self.by_party_slot[("c", q.company, slot)].append(var)
                self.by_party_slot[("r", q.representative, slot)].append(var)
                by_slot[slot].append(var)
            per_party[("c", q.company)].extend(terms)
            per_party[("r", q.representative)].extend(terms)
            if keep is not None:
                self.model.add_exactly_one(terms)
            elif len(terms) > 1:
                self.model.add_at_most_one(terms)
            if index in locked:
                self.model.add(terms[0] == 1)
            self.met_terms[index] = terms
        for group in self.by_party_slot.values():
            if len(group) > 1:
                self.model.add_at_most_one(group)
        for group in by_slot.values():
            if len(group) > instance.tables:
                self.model.add(sum(group) <= instance.tables)
        for (kind, party), terms in per_party.items():
            parties = instance.companies if kind == "c" else instance.representatives
            cap = parties[party].max_meetings
            if cap is not None and cap < len(terms):
                self.model.add(sum(terms) <= cap)
        self.weighted = self._objective_expression(per_party)

    def _objective_expression(self, per_party: dict[tuple[str, int], list[Lit]]) -> cp_model.LinearExprT:
        terms: list[cp_model.LinearExprT] = []
        for index, met in self.met_terms.items():
            terms.extend(self.instance.requests[index].weight * var for var in met)
        self.active: dict[int, Lit] = {}
        if self.instance.fairness_bonus:
            for (kind, company), met in per_party.items():
                if kind != "c" or not met:
                    continue
                active = self.model.new_bool_var(f"active{company}")
                self.model.add_bool_or(met).only_enforce_if(active)
                self.active[company] = active
                terms.append(self.instance.fairness_bonus * active)
        return sum(terms)

    def hint(self, assignment: Assignment) -> None:
        self.hints = {var: assignment.get(index) == slot for (index, slot), var in self.meet.items()}
        met = {self.instance.requests[index].company for index in assignment}
        self.hints.update({var: company in met for company, var in self.active.items()})

    def _run(self, time_limit: float) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        self.model.clear_hints()  # type: ignore[no-untyped-call]  # untyped in ortools
        for var, value in self.hints.items():
            self.model.add_hint(var, value)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, time_limit)
        solver.parameters.num_workers = WORKERS
        status = solver.solve(self.model)
        return solver, status

    def _result(self, solver: cp_model.CpSolver, status: cp_model.CpSolverStatus) -> PhaseResult:
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return PhaseResult(None, None, False)
        chosen = {index: slot for (index, slot), var in self.meet.items() if solver.boolean_value(var)}
        return PhaseResult(chosen, solver.best_objective_bound, status == cp_model.OPTIMAL)

    def maximise_value(self, time_limit: float) -> PhaseResult:
        self.model.maximize(self.weighted)
        return self._result(*self._run(time_limit))

    def minimise_gaps(self, value: int, time_limit: float) -> PhaseResult:
        """Hold the weighted objective at `value` or better and minimise idle gaps."""
        self.model.add(self.weighted >= value)
        self.model.minimize(self._gaps_expression())
        return self._result(*self._run(time_limit))

    def _flag(self, value: bool) -> Lit:
        var = self.model.new_bool_var("")
        self.hints[var] = value
        return var

    def _gaps_expression(self) -> cp_model.LinearExprT:
        """Idle gaps: per party, the slots where meetings start again after an idle
        slot that follows an earlier meeting. Counting these, rather than runs minus
        one, keeps the relaxation at zero or above and proved the compact example."""
        hinted_busy = {
            key for key, group in self.by_party_slot.items() if any(self.hints.get(v) for v in group)
        }
        gaps: list[Lit] = []
        for kind, party in sorted({key[:2] for key in self.by_party_slot}):
            flags = []
            for slot in range(len(self.instance.slots)):
                flag = self._flag((kind, party, slot) in hinted_busy)
                self.model.add(flag == sum(self.by_party_slot.get((kind, party, slot), [])))
                flags.append(flag)
            met_before = self._flag(False)
            self.model.add(met_before == 0)
            for slot in range(2, len(flags)):
                previous = met_before
                met_before = self._flag(self.hints[previous] or self.hints[flags[slot - 2]])
                self.model.add_bool_or([previous, flags[slot - 2]]).only_enforce_if(met_before)
                self.model.add_implication(previous, met_before)
                self.model.add_implication(flags[slot - 2], met_before)
                ends_gap = self.hints[flags[slot]] and not self.hints[flags[slot - 1]]
                gap = self._flag(ends_gap and self.hints[met_before])
                self.model.add_bool_or([flags[slot].Not(), flags[slot - 1], met_before.Not(), gap])
                gaps.append(gap)
        return sum(gaps)

"""The exact model: one Boolean per (request, slot in which both parties are present).

CP-SAT solves it in two lexicographic phases: first the weighted objective, then, with
that value held, the idle gaps. Tables need no variables: any set of meetings with at
most `tables` per slot can be seated (see tables.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from app.matching.greedy import Assignment
from app.matching.instance import MatchInstance

WORKERS = 2  # the deployment machine has two cores


@dataclass
class PhaseResult:
    assignment: Assignment | None
    bound: float | None
    proven: bool


class MeetingModel:
    def __init__(self, instance: MatchInstance) -> None:
        self.instance = instance
        self.model = cp_model.CpModel()
        self.meet: dict[tuple[int, int], cp_model.IntVar] = {}
        by_company_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        by_rep_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        locked = {lock.request: lock.slot for lock in instance.locked}
        self.met_terms: list[list[cp_model.IntVar]] = []
        for index, q in enumerate(instance.requests):
            slots = [locked[index]] if index in locked else instance.common_slots(q)
            terms = []
            for slot in slots:
                var = self.model.new_bool_var(f"m{index}_{slot}")
                self.meet[(index, slot)] = var
                terms.append(var)
                by_company_slot[(q.company, slot)].append(var)
                by_rep_slot[(q.representative, slot)].append(var)
                by_slot[slot].append(var)
            if index in locked:
                self.model.add(terms[0] == 1)
            elif len(terms) > 1:
                self.model.add_at_most_one(terms)
            self.met_terms.append(terms)
        for group in (*by_company_slot.values(), *by_rep_slot.values()):
            if len(group) > 1:
                self.model.add_at_most_one(group)
        for slot, group in by_slot.items():
            reps_present = sum(1 for r in instance.representatives if slot in r.present)
            if instance.tables < reps_present:
                self.model.add(sum(group) <= instance.tables)
        self._add_caps()
        self.weighted = self._objective_expression()

    def _add_caps(self) -> None:
        per_company: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        per_rep: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for index, q in enumerate(self.instance.requests):
            per_company[q.company].extend(self.met_terms[index])
            per_rep[q.representative].extend(self.met_terms[index])
        for parties, groups in (
            (self.instance.companies, per_company),
            (self.instance.representatives, per_rep),
        ):
            for party, terms in groups.items():
                cap = parties[party].max_meetings
                if cap is not None and cap < len(terms):
                    self.model.add(sum(terms) <= cap)

    def _objective_expression(self) -> cp_model.LinearExprT:
        terms: list[cp_model.LinearExprT] = []
        per_company: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for index, q in enumerate(self.instance.requests):
            terms.extend(q.weight * var for var in self.met_terms[index])
            per_company[q.company].extend(self.met_terms[index])
        if self.instance.fairness_bonus:
            for company, met in per_company.items():
                if not met:
                    continue
                active = self.model.new_bool_var(f"active{company}")
                self.model.add_bool_or(met).only_enforce_if(active)
                terms.append(self.instance.fairness_bonus * active)
        return sum(terms)

    def hint(self, assignment: Assignment) -> None:
        self.model.clear_hints()
        for (index, slot), var in self.meet.items():
            self.model.add_hint(var, assignment.get(index) == slot)

    def _read(self, solver: cp_model.CpSolver) -> Assignment:
        return {index: slot for (index, slot), var in self.meet.items() if solver.boolean_value(var)}

    def _run(self, time_limit: float) -> tuple[cp_model.CpSolver, int]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, time_limit)
        solver.parameters.num_workers = WORKERS
        status = solver.solve(self.model)
        return solver, status

    def maximise_value(self, time_limit: float) -> PhaseResult:
        self.model.maximize(self.weighted)
        solver, status = self._run(time_limit)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return PhaseResult(None, None, False)
        return PhaseResult(self._read(solver), solver.best_objective_bound, status == cp_model.OPTIMAL)

    def minimise_gaps(self, value: int, time_limit: float) -> PhaseResult:
        """Hold the weighted objective at `value` or better and minimise idle gaps."""
        self.model.add(self.weighted >= value)
        self.model.minimize(self._gaps_expression())
        solver, status = self._run(time_limit)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return PhaseResult(None, None, False)
        return PhaseResult(self._read(solver), solver.best_objective_bound, status == cp_model.OPTIMAL)

    def _gaps_expression(self) -> cp_model.LinearExprT:
        """Idle gaps: per party, the slots where a run of meetings starts again after
        an idle slot that follows an earlier meeting."""
        busy: dict[tuple[str, int, int], list[cp_model.IntVar]] = defaultdict(list)
        for (index, slot), var in self.meet.items():
            q = self.instance.requests[index]
            busy[("c", q.company, slot)].append(var)
            busy[("r", q.representative, slot)].append(var)
        parties = sorted({key[:2] for key in busy})
        gaps: list[cp_model.IntVar] = []
        for kind, party in parties:
            flags = []
            for slot in range(len(self.instance.slots)):
                here = busy.get((kind, party, slot), [])
                flag = self.model.new_bool_var("")
                self.model.add(flag == sum(here))
                flags.append(flag)
            # met_before[s]: the party had a meeting in some slot before s - 1.
            met_before = self.model.new_bool_var("")
            self.model.add(met_before == 0)
            for slot in range(2, len(flags)):
                previous = met_before
                met_before = self.model.new_bool_var("")
                self.model.add_bool_or([previous, flags[slot - 2]]).only_enforce_if(met_before)
                self.model.add_implication(previous, met_before)
                self.model.add_implication(flags[slot - 2], met_before)
                gap = self.model.new_bool_var("")
                # Busy now, idle just before, busy earlier: a gap ends here.
                self.model.add_bool_or(
                    [flags[slot].Not(), flags[slot - 1], met_before.Not(), gap]
                )
                gaps.append(gap)
        return sum(gaps)

"""First phase: the most valuable set of meetings, as an integer programme.

One binary column per (request, slot in which both parties are present), one per
company for the fairness bonus. On generated instances from 40 to 1000 companies
the LP relaxation of this model was integral at its simplex vertex (see
benchmarks/matching.py), so the LP alone usually proves optimality in about a
second; when it is not, its bound still holds and CP-SAT searches on (solver.py).

GLOP (OR-Tools' simplex) rather than highspy: ortools and highspy each ship their
own HiGHS library and cannot be loaded into one process, and ortools is already a
dependency of the app.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from app.matching.engine.greedy import Assignment
from app.matching.engine.instance import MatchInstance

THREADS = 2  # the deployment machine has two cores
INTEGRALITY_TOLERANCE = 1e-6


@dataclass
class ValueResult:
    assignment: Assignment | None
    upper_bound: int | None
    proven: bool = True


class ValueModel:
    def __init__(self, instance: MatchInstance, backend: str = "GLOP") -> None:
        self.instance = instance
        self.backend = backend
        self.solver = pywraplp.Solver.CreateSolver(backend)
        self.solver.SetNumThreads(THREADS)
        infinity = self.solver.infinity()
        objective = self.solver.Objective()
        objective.SetMaximization()
        self.columns: list[tuple[int, int, pywraplp.Variable]] = []
        rows: dict[tuple[str, int, int], list[pywraplp.Variable]] = defaultdict(list)
        locked = {lock.request: lock.slot for lock in instance.locked}
        for index, q in enumerate(instance.requests):
            slots = [locked[index]] if index in locked else instance.common_slots(q)
            for slot in slots:
                var = self.solver.NumVar(1.0 if index in locked else 0.0, 1.0, "")
                objective.SetCoefficient(var, q.weight)
                self.columns.append((index, slot, var))
                rows[("request", index, 0)].append(var)
                rows[("company-slot", q.company, slot)].append(var)
                rows[("rep-slot", q.representative, slot)].append(var)
                rows[("slot", slot, 0)].append(var)
                rows[("company", q.company, 0)].append(var)
                rows[("rep", q.representative, 0)].append(var)
        for (kind, key, _), members in rows.items():
            cap = self._capacity(kind, key)
            if cap is None or cap >= len(members):
                continue
            row = self.solver.Constraint(-infinity, cap)
            for var in members:
                row.SetCoefficient(var, 1.0)
        self.bonus: dict[int, pywraplp.Variable] = {}
        if instance.fairness_bonus:
            # The bonus is earned only by a company with a meeting: bonus <= its meetings.
            for company in sorted({instance.requests[i].company for i, _, _ in self.columns}):
                var = self.solver.NumVar(0.0, 1.0, "")
                objective.SetCoefficient(var, instance.fairness_bonus)
                row = self.solver.Constraint(-infinity, 0.0)
                row.SetCoefficient(var, 1.0)
                for meeting in rows[("company", company, 0)]:
                    row.SetCoefficient(meeting, -1.0)
                self.bonus[company] = var

    def _capacity(self, kind: str, key: int) -> int | None:
        match kind:
            case "request" | "company-slot" | "rep-slot":
                return 1
            case "slot":
                return self.instance.tables
            case "company":
                return self.instance.companies[key].max_meetings
            case _:
                return self.instance.representatives[key].max_meetings

    def _assignment(self) -> Assignment:
        return {index: slot for index, slot, var in self.columns if var.solution_value() > 0.5}

    def _is_integral(self) -> bool:
        return all(
            min(v, 1.0 - v) <= INTEGRALITY_TOLERANCE
            for v in (var.solution_value() for _, _, var in self.columns)
        )

    def solve(self, time_limit: float) -> ValueResult:
        """Best assignment found and a proven bound, within `time_limit` seconds."""
        self.solver.SetTimeLimit(max(10, int(time_limit * 1000)))
        if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return ValueResult(None, None, proven=False)
        # The objective is an integer, so the floor of the relaxation is still a bound.
        bound = math.floor(self.solver.Objective().Value() + INTEGRALITY_TOLERANCE)
        if self._is_integral():
            return ValueResult(self._assignment(), bound)
        # A fractional vertex: keep what the relaxation settled and let the caller fill
        # the rest and search on with CP-SAT, knowing the bound.
        settled = {
            index: slot
            for index, slot, var in self.columns
            if var.solution_value() >= 1.0 - INTEGRALITY_TOLERANCE
        }
        return ValueResult(settled, bound, proven=False)

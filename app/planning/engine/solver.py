"""Plan a roadshow calendar: `roadshow.plan/1` instance in, `roadshow.plan-result/1` out.

The date-free relaxation gives a proven upper bound first, and caps the full model's
objective; the full model then only has to reach it (or prove it cannot).
"""

from __future__ import annotations

import time
from typing import Any

from ortools.sat.python import cp_model

from app.planning.engine.cp_model import PlanModel, build_model
from app.planning.engine.diagnose import conflicting_families
from app.planning.engine.explain import precheck
from app.planning.engine.instance import PlanInstance
from app.planning.engine.reasons import stop_reasons, stop_score
from app.planning.engine.relaxation import solve_relaxation
from app.planning.engine.why import Reason, english, reason

RESULT_FORMAT = "roadshow.plan-result/1"
WORKERS = 2  # the deployment has two cores; see benchmarks/planning.py for the measurements
DIAGNOSIS_SECONDS = 20.0


class PlanningError(Exception):
    """No plan could be produced: `why` says why as data (why.py), `reasons` in plain English."""

    def __init__(self, why: list[Reason]) -> None:
        self.why = why
        self.reasons = [english(item) for item in why]
        super().__init__("; ".join(self.reasons))


class Infeasible(PlanningError):
    """The hard constraints cannot all hold."""


class NoPlanFound(PlanningError):
    """The time limit ran out before any plan was found, and before infeasibility was proven."""


def solve(instance: PlanInstance, *, time_limit: float = 10.0) -> dict[str, Any]:
    started = time.monotonic()
    if reasons := precheck(instance):
        raise Infeasible(reasons)
    if instance.total_stops == 0:
        return _result([], 0, time.monotonic() - started)
    relaxation = solve_relaxation(instance)
    if relaxation is None:
        raise Infeasible(_diagnose(instance, time_limit))
    plan = build_model(instance)
    objective = sum(score * literal for literal, score in plan.objective_terms if score)
    if relaxation.bound is not None:
        plan.model.add(objective <= relaxation.bound)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.0, time_limit - (time.monotonic() - started))
    solver.parameters.num_workers = WORKERS
    # Day domains full of holes (weekdays, holidays, unavailability) make presolve probing
    # slow; without it the 30-stop benchmark proves optimality in about half the time.
    solver.parameters.cp_model_probing_level = 0
    status = solver.solve(plan.model)
    if status == cp_model.INFEASIBLE:
        raise Infeasible(_diagnose(instance, time_limit))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise NoPlanFound([reason("time_limit", seconds=time_limit)])
    stops = _stops(plan, solver)
    value = sum(stop["score"] for stop in stops)
    bounds = [int(solver.best_objective_bound + 1e-6)]
    if relaxation.bound is not None:
        bounds.append(relaxation.bound)
    bound = value if status == cp_model.OPTIMAL else max(value, min(bounds))
    return _result(stops, bound, time.monotonic() - started)


def _result(stops: list[dict[str, Any]], bound: int, seconds: float) -> dict[str, Any]:
    value = sum(stop["score"] for stop in stops)
    return {
        "format": RESULT_FORMAT,
        "stops": stops,
        "objective": value,
        "upper_bound": bound,
        "optimal": bound == value,
        "seconds": round(seconds, 3),
    }


def _diagnose(instance: PlanInstance, time_limit: float) -> list[Reason]:
    # Diagnosis gets its own budget: an explanation is worth more than a quick failure.
    return conflicting_families(instance, time_limit=max(time_limit, DIAGNOSIS_SECONDS))


def _stops(plan: PlanModel, solver: cp_model.CpSolver) -> list[dict[str, Any]]:
    instance = plan.instance
    stops: list[dict[str, Any]] = []
    for i, slot in enumerate(plan.slots):
        territory = next(t for t, literal in plan.territory[i].items() if solver.boolean_value(literal))
        countries = sorted(
            (c for c, literal in plan.featured[i].items() if solver.boolean_value(literal)),
            key=lambda c: (-instance.interest_of(slot.sector, c), c),
        )
        stops.append(
            {
                "sector": slot.sector,
                "territory": territory,
                "date": plan.date_of(solver.value(plan.day[i])).isoformat(),
                "countries": countries,
            }
        )
    stops.sort(key=lambda stop: (stop["date"], stop["sector"], stop["territory"]))
    for stop in stops:
        stop["score"] = stop_score(instance, stop)
        stop["reasons"] = stop_reasons(instance, stop, stops)
    return stops

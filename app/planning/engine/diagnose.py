"""Which rule families conflict, when the solver proves a plan impossible.

A deletion filter over the families of model.Family: relax one family; if the rest is
still impossible, that family is not needed for the conflict and stays relaxed. What
remains is a minimal set of families that cannot hold together (each is needed).
Every check runs with the sectors' stop counts and one territory per stop in force.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from app.planning.engine.cp_model import Family, build_model
from app.planning.engine.instance import PlanInstance
from app.planning.engine.why import Reason, reason


def conflicting_families(instance: PlanInstance, *, time_limit: float) -> list[Reason]:
    deadline = time.monotonic() + time_limit
    # The calendar is the backdrop of every plan: blaming it alongside other rules would
    # read as "hold stops on public holidays", so it stays in force unless it alone fails.
    candidates = [family for family in Family if family is not Family.CLOSED_DATES]
    if _is_impossible(instance, frozenset(Family), deadline) is True:
        return [reason("calendar_impossible", start=instance.start.isoformat(), end=instance.end.isoformat())]
    if _is_impossible(instance, frozenset(candidates), deadline) is True:
        return [reason("families_conflict", families=[_code(Family.CLOSED_DATES)], uncertain=False)]
    relaxed: set[Family] = set()
    uncertain = False
    for family in candidates:
        verdict = _is_impossible(instance, frozenset(relaxed | {family}), deadline)
        if verdict is True:
            relaxed.add(family)
        elif verdict is None:
            uncertain = True
    needed = [_code(family) for family in candidates if family not in relaxed]
    return [reason("families_conflict", families=needed, uncertain=uncertain)]


def _code(family: Family) -> str:
    """The family's code in reasons (why.FAMILIES words it)."""
    return family.name.lower()


def _is_impossible(instance: PlanInstance, relaxed: frozenset[Family], deadline: float) -> bool | None:
    """True if proven impossible, False if a plan exists, None if time ran out."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None
    plan = build_model(instance, relaxed=relaxed, optimise=False)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = min(remaining, 5.0)
    solver.parameters.num_workers = 2
    status = solver.solve(plan.model)
    if status == cp_model.INFEASIBLE:
        return True
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    return None

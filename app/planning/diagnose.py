"""Which rule families conflict, when the solver proves a plan impossible.

A deletion filter over the families of model.Family: relax one family; if the rest is
still impossible, that family is not needed for the conflict and stays relaxed. What
remains is a minimal set of families that cannot hold together (each is needed).
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from app.planning.instance import PlanInstance
from app.planning.model import Family, build_model


def conflicting_families(instance: PlanInstance, *, time_limit: float) -> list[str]:
    deadline = time.monotonic() + time_limit
    families = list(Family)
    relaxed: set[Family] = set()
    if _is_impossible(instance, frozenset(families), deadline) is True:
        return [
            (
                "no plan is possible even with every rule family relaxed: the sectors' stops "
                f"cannot be placed between {instance.start.isoformat()} and "
                f"{instance.end.isoformat()} on the allowed weekdays"
            )
        ]
    uncertain = False
    for family in families:
        verdict = _is_impossible(instance, frozenset(relaxed | {family}), deadline)
        if verdict is True:
            relaxed.add(family)
        elif verdict is None:
            uncertain = True
    needed = [family.value for family in families if family not in relaxed]
    hedge = " (some checks ran out of time, so the list may be longer than needed)"
    if len(needed) == 1:
        reason = f"{needed[0]} cannot be met, even with the other rules relaxed"
    else:
        listed = ", ".join(needed[:-1]) + " and " + needed[-1]
        reason = f"{listed} cannot all be met together; relaxing any one of them makes a plan possible"
    return [reason + (hedge if uncertain else "")]


def _is_impossible(
    instance: PlanInstance, relaxed: frozenset[Family], deadline: float
) -> bool | None:
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

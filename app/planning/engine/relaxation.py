"""The date-free relaxation: the best plan if dates never got in the way.

The objective does not depend on dates, so dropping the date rules (spacing,
unavailability) leaves a small aggregate problem: how many stops of each sector go to
each territory, and how many of each sector's stops feature each country. Its optimum is
a proven upper bound on the real plan, and usually equals it.

The aggregate is exact for the date-free problem: given per-sector country counts
m[c] <= n with lo*n <= sum(m) <= hi*n, dealing each country's copies round-robin over the
n stops gives every stop distinct countries and a load within [lo, hi].
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ortools.sat.python import cp_model

from app.planning.engine.instance import PlanInstance


@dataclass(frozen=True)
class Relaxation:
    bound: int | None
    territory_counts: dict[tuple[str, str], int]
    country_counts: dict[tuple[str, str], int]


def solve_relaxation(instance: PlanInstance, *, time_limit: float = 5.0) -> Relaxation | None:
    """Solve the date-free aggregate; None when even it has no solution.

    It is tiny and solves in milliseconds; should it not, its bound is unknown (None).
    """
    model = cp_model.CpModel()
    total = instance.total_stops
    lo, hi = instance.countries_per_stop
    fixed_pairs = Counter((stop.sector, stop.territory) for stop in instance.fixed)
    fixed_featured = Counter(country for stop in instance.fixed for country in stop.countries or ())
    preset_countries = Counter(stop.sector for stop in instance.fixed if stop.countries is not None)

    placed = {
        (s.id, t.id): model.new_int_var(fixed_pairs[s.id, t.id], s.stops, f"n_{s.id}_{t.id}")
        for s in instance.sectors
        for t in instance.territories
    }
    featured = {}
    for s in instance.sectors:
        free_stops = max(0, s.stops - preset_countries[s.id])
        for c in instance.countries:
            featured[s.id, c.id] = model.new_int_var(0, free_stops, f"m_{s.id}_{c.id}")
        load = sum(featured[s.id, c.id] for c in instance.countries)
        model.add(load >= lo * free_stops)
        model.add(load <= hi * free_stops)
        model.add(sum(placed[s.id, t.id] for t in instance.territories) == s.stops)
    for t in instance.territories:
        if t.max_stops is not None:
            model.add(sum(placed[s.id, t.id] for s in instance.sectors) <= t.max_stops)
    for c in instance.countries:
        count = sum(featured[s.id, c.id] for s in instance.sectors) + fixed_featured[c.id]
        model.add(count >= c.min_stops)
        model.add(count <= (total if c.max_stops is None else c.max_stops))

    preset_score = sum(
        instance.interest_of(stop.sector, country)
        for stop in instance.fixed
        for country in stop.countries or ()
    )
    model.maximize(
        sum(instance.affinity(t, s) * var for (s, t), var in placed.items())
        + sum(instance.interest_of(s, c) * var for (s, c), var in featured.items())
        + preset_score
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Relaxation(bound=None, territory_counts={}, country_counts={})
    return Relaxation(
        bound=int(solver.best_objective_bound + 1e-6),
        territory_counts={key: solver.value(var) for key, var in placed.items()},
        country_counts={key: solver.value(var) for key, var in featured.items()},
    )

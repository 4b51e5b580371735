"""The full CP-SAT model of a roadshow plan.

Each sector needs a known number of stops, so the model's stops are indexed by sector:
stop i *is* a stop of sector s_i, and the objective is linear in the territory and
country booleans, with no sector-times-country products (an earlier chronological-position
model with one-hot sectors needed them, and took 4.5 s to reach the optimum of the 9-stop
example; this one takes a fraction of a second). Stops of one sector are interchangeable,
so their dates are kept in increasing order; fixed stops get their own pinned stops.

Dates are integer day numbers; unavailability restricts a day's domain, enforced by the
territory's or country's literal. Minimum spacing is a no-overlap of intervals `gap` days
long; maximum spacing needs the chronological order, given by a circuit through the stops.

Each rule belongs to a Family, and any family can be left out: the diagnosis of an
infeasible instance re-solves with families relaxed to find which ones conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from ortools.sat.python import cp_model

from app.planning.engine.instance import FixedStop, PlanInstance
from app.planning.engine.open_days import open_dates, weekday_dates


class Family(Enum):
    """Groups of hard rules, named as a person would name them."""

    CLOSED_DATES = "the closed dates and blackouts"
    TERRITORY_LIMITS = "the territories' max_stops"
    TERRITORY_DATES = "the territories' unavailable dates"
    COUNTRY_LIMITS = "the countries' min_stops and max_stops"
    COUNTRIES_PER_STOP = "countries_per_stop"
    COUNTRY_DATES = "the countries' unavailable dates"
    MIN_SPACING = "min_days_between_stops"
    MAX_SPACING = "max_days_between_stops"
    FIXED = "the fixed stops"


@dataclass(frozen=True)
class Slot:
    """One stop of the plan as the model sees it: its sector, and whether it is fixed."""

    sector: str
    fixed: FixedStop | None = None


@dataclass
class PlanModel:
    instance: PlanInstance
    model: cp_model.CpModel
    slots: list[Slot]
    day: list[cp_model.IntVar]
    territory: list[dict[str, cp_model.IntVar]]
    featured: list[dict[str, cp_model.IntVar]]
    objective_terms: list[tuple[cp_model.IntVar, int]] = field(default_factory=list)

    def day_number(self, day: date) -> int:
        return (day - self.instance.start).days

    def date_of(self, number: int) -> date:
        return self.instance.start + timedelta(days=number)


def plan_slots(instance: PlanInstance, *, keep_fixed: bool = True) -> list[Slot]:
    """Fixed stops first, then each sector's remaining stops (none if over-fixed)."""
    fixed = list(instance.fixed) if keep_fixed else []
    slots = [Slot(stop.sector, stop) for stop in fixed]
    for sector in instance.sectors:
        already = sum(1 for stop in fixed if stop.sector == sector.id)
        slots += [Slot(sector.id)] * max(0, sector.stops - already)
    return slots


def build_model(
    instance: PlanInstance,
    *,
    relaxed: frozenset[Family] = frozenset(),
    optimise: bool = True,
) -> PlanModel:
    model = cp_model.CpModel()
    slots = plan_slots(instance, keep_fixed=Family.FIXED not in relaxed)
    days = weekday_dates(instance) if Family.CLOSED_DATES in relaxed else open_dates(instance)
    domain = cp_model.Domain.from_values([(day - instance.start).days for day in days])
    plan = PlanModel(
        instance=instance,
        model=model,
        slots=slots,
        day=[model.new_int_var_from_domain(domain, f"day_{i}") for i in range(len(slots))],
        territory=[
            {t.id: model.new_bool_var(f"t_{i}_{t.id}") for t in instance.territories}
            for i in range(len(slots))
        ],
        featured=[
            {c.id: model.new_bool_var(f"c_{i}_{c.id}") for c in instance.countries} for i in range(len(slots))
        ],
    )
    if len(slots) != instance.total_stops:
        model.add_bool_or([])  # more fixed stops than a sector needs: nothing can hold
    _add_contents(plan, relaxed)
    _add_fixed(plan)
    _add_unavailability(plan, days, relaxed)
    _add_spacing(plan, relaxed)
    if optimise:
        for i, slot in enumerate(slots):
            for t_id, literal in plan.territory[i].items():
                plan.objective_terms.append((literal, instance.affinity(t_id, slot.sector)))
            for c_id, literal in plan.featured[i].items():
                plan.objective_terms.append((literal, instance.interest_of(slot.sector, c_id)))
        model.maximize(sum(score * literal for literal, score in plan.objective_terms if score))
    return plan


def _add_contents(plan: PlanModel, relaxed: frozenset[Family]) -> None:
    instance, model = plan.instance, plan.model
    lo, hi = instance.countries_per_stop
    if Family.COUNTRIES_PER_STOP in relaxed:
        lo, hi = 0, len(instance.countries)
    for i in range(len(plan.slots)):
        model.add_exactly_one(plan.territory[i].values())
        model.add_linear_constraint(sum(plan.featured[i].values()), lo, hi)
    if Family.TERRITORY_LIMITS not in relaxed:
        for t in instance.territories:
            if t.max_stops is not None:
                model.add(sum(stop[t.id] for stop in plan.territory) <= t.max_stops)
    if Family.COUNTRY_LIMITS not in relaxed:
        for c in instance.countries:
            most = instance.total_stops if c.max_stops is None else c.max_stops
            model.add_linear_constraint(sum(stop[c.id] for stop in plan.featured), c.min_stops, most)


def _add_fixed(plan: PlanModel) -> None:
    for i, slot in enumerate(plan.slots):
        if slot.fixed is None:
            continue
        plan.model.add(plan.day[i] == plan.day_number(slot.fixed.date))
        plan.model.add(plan.territory[i][slot.fixed.territory] == 1)
        if slot.fixed.countries is not None:
            for country, literal in plan.featured[i].items():
                plan.model.add(literal == int(country in slot.fixed.countries))


def _add_unavailability(plan: PlanModel, days: list[date], relaxed: frozenset[Family]) -> None:
    parties: list[tuple[list[dict[str, cp_model.IntVar]], str, frozenset[date]]] = []
    if Family.TERRITORY_DATES not in relaxed:
        parties += [(plan.territory, t.id, t.unavailable) for t in plan.instance.territories]
    if Family.COUNTRY_DATES not in relaxed:
        parties += [(plan.featured, c.id, c.unavailable) for c in plan.instance.countries]
    for literals, party, unavailable in parties:
        allowed = [plan.day_number(day) for day in days if day not in unavailable]
        if len(allowed) == len(days):
            continue
        domain = cp_model.Domain.from_values(allowed)
        for i, day in enumerate(plan.day):
            plan.model.add_linear_expression_in_domain(day, domain).only_enforce_if(literals[i][party])


def _add_spacing(plan: PlanModel, relaxed: frozenset[Family]) -> None:
    instance, model, slots, day = plan.instance, plan.model, plan.slots, plan.day
    least = 0 if Family.MIN_SPACING in relaxed else instance.min_days_between_stops
    most = None if Family.MAX_SPACING in relaxed else instance.max_days_between_stops
    # A sector's unfixed stops are interchangeable: keep them in date order.
    follows: dict[int, int] = {}
    last_of_sector: dict[str, int] = {}
    for i, slot in enumerate(slots):
        if slot.fixed is None:
            if (previous := last_of_sector.get(slot.sector)) is not None:
                model.add(day[i] >= day[previous] + least)
                follows[i] = previous
            last_of_sector[slot.sector] = i
    if least > 0:
        model.add_no_overlap(
            [model.new_fixed_size_interval_var(day[i], least, f"gap_{i}") for i in range(len(slots))]
        )
    if most is None or len(slots) < 2:
        return
    # A Hamiltonian path through the stops (node 0 closes it) is their chronological order.
    arcs: list[tuple[int, int, cp_model.IntVar]] = []
    for i in range(len(slots)):
        arcs.append((0, i + 1, model.new_bool_var(f"first_{i}")))
        arcs.append((i + 1, 0, model.new_bool_var(f"last_{i}")))
        for j in range(len(slots)):
            if i == j or not _may_follow(slots, follows, i, j, least, most):
                continue
            arc = model.new_bool_var(f"next_{i}_{j}")
            model.add_linear_constraint(day[j] - day[i], least, most).only_enforce_if(arc)
            arcs.append((i + 1, j + 1, arc))
    model.add_circuit(arcs)


def _may_follow(slots: list[Slot], follows: dict[int, int], i: int, j: int, least: int, most: int) -> bool:
    """Whether stop j may come straight after stop i, judged before solving."""
    earlier, later = slots[i].fixed, slots[j].fixed
    if earlier is not None and later is not None:
        return least <= (later.date - earlier.date).days <= most
    if slots[i].fixed is None and slots[j].fixed is None and slots[i].sector == slots[j].sector:
        # Same-sector stops are in index order, so only the next one can come straight after.
        return follows.get(j) == i
    return True

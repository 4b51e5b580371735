"""Check a `roadshow.plan-result/1` against its instance, hard rule by hard rule (contract, section 5).

Independent of the solver: it reads the instance as `load_instance` validates it and the
plan as JSON, then recomputes the objective as the contract defines it. `check_plan` returns
the broken rules (none when the plan holds) and the objective; the tests run it on every
plan, and the contract's own check.py beside it when that is at hand.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import pairwise
from typing import Any

from app.planning.engine.instance import PlanInstance, load_instance

PLAN_FORMAT = "roadshow.plan-result/1"


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _countries(value: object) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(country, str) for country in value):
        return None
    return value


def _closed(instance: PlanInstance, day: date) -> bool:
    return day in instance.closed_dates or any(first <= day <= last for first, last in instance.blackouts)


class _Tally:
    def __init__(self) -> None:
        self.per_sector: Counter[str] = Counter()
        self.per_territory: Counter[str] = Counter()
        self.per_country: Counter[str] = Counter()
        self.dates: list[date] = []
        self.held: list[tuple[str, str, date, list[str]]] = []
        self.objective = 0


def _stop(instance: PlanInstance, i: int, stop: object, tally: _Tally, problems: list[str]) -> None:
    if not isinstance(stop, dict):
        problems.append(f"stops[{i}]: expected an object")
        return
    sector, territory = stop.get("sector"), stop.get("territory")
    day, countries = _date(stop.get("date")), _countries(stop.get("countries", []))
    where = f"stops[{i}] ({sector}, {territory}, {stop.get('date')})"
    sectors, territories = {s.id for s in instance.sectors}, {t.id for t in instance.territories}
    if not isinstance(sector, str) or sector not in sectors:
        problems.append(f"{where}: unknown sector")
        return
    if not isinstance(territory, str) or territory not in territories:
        problems.append(f"{where}: unknown territory")
        return
    if day is None or countries is None:
        problems.append(f"{where}: expected an ISO date and a list of country codes")
        return
    tally.per_sector[sector] += 1
    tally.per_territory[territory] += 1
    tally.dates.append(day)
    tally.held.append((sector, territory, day, countries))
    if not instance.start <= day <= instance.end:
        problems.append(f"rule 2: {where}: outside {instance.start}..{instance.end}")
    if day.weekday() not in instance.weekdays:
        problems.append(f"rule 2: {where}: not an allowed weekday")
    if _closed(instance, day):
        problems.append(f"rule 2: {where}: a closed date or in a blackout")
    if day in instance.territory(territory).unavailable:
        problems.append(f"rule 2: {where}: the territory is unavailable that day")
    fewest, most = instance.countries_per_stop
    if len(set(countries)) != len(countries) or not fewest <= len(countries) <= most:
        problems.append(f"rule 5: {where}: {len(countries)} countries, needs {fewest}..{most} distinct ones")
    known = {country.id for country in instance.countries}
    for country in sorted(set(countries)):
        if country not in known:
            problems.append(f"{where}: unknown country {country}")
            continue
        tally.per_country[country] += 1
        if day in instance.country(country).unavailable:
            problems.append(f"rule 6: {where}: country {country} is unavailable that day")
        tally.objective += instance.interest_of(sector, country)
    tally.objective += instance.affinity(territory, sector)


def _counts(instance: PlanInstance, tally: _Tally, problems: list[str]) -> None:
    for sector in instance.sectors:
        held = tally.per_sector[sector.id]
        if held != sector.stops:
            problems.append(f"rule 1: sector {sector.id} has {held} stops, needs {sector.stops}")
    for territory in instance.territories:
        hosted, most = tally.per_territory[territory.id], territory.max_stops
        if most is not None and hosted > most:
            problems.append(f"rule 4: territory {territory.id} hosts {hosted} stops, at most {most}")
    for country in instance.countries:
        featured, least, most = tally.per_country[country.id], country.min_stops, country.max_stops
        if featured < least or (most is not None and featured > most):
            bounds = f"{least}..{'' if most is None else most}"
            problems.append(f"rule 5: country {country.id} is at {featured} stops, allowed {bounds}")


def _spacing(instance: PlanInstance, tally: _Tally, problems: list[str]) -> None:
    least, most = instance.min_days_between_stops, instance.max_days_between_stops
    for first, second in pairwise(sorted(tally.dates)):
        apart = (second - first).days
        if apart < least:
            problems.append(f"rule 3: stops on {first} and {second} are {apart} days apart, need {least}")
        if most is not None and apart > most:
            problems.append(f"rule 3: stops on {first} and {second} are {apart} days apart, at most {most}")


def _fixed(instance: PlanInstance, tally: _Tally, problems: list[str]) -> None:
    for i, fixed in enumerate(instance.fixed):
        if not any(
            (sector, territory, day) == (fixed.sector, fixed.territory, fixed.date)
            and (fixed.countries is None or sorted(countries) == sorted(fixed.countries))
            for sector, territory, day, countries in tally.held
        ):
            problems.append(f"rule 7: fixed[{i}] {fixed.sector} {fixed.territory} {fixed.date} is missing")


def _claims(plan: dict[str, Any], objective: int) -> list[str]:
    problems = []
    if plan.get("format") != PLAN_FORMAT:
        problems.append(f"format: expected {PLAN_FORMAT!r}")
    if plan.get("objective") != objective:
        problems.append(f"objective: the plan says {plan.get('objective')}, recomputed {objective}")
    bound = plan.get("upper_bound")
    if bound is not None and (not isinstance(bound, int | float) or bound < objective):
        problems.append(f"upper_bound {bound} is below the objective {objective}")
    return problems


def check_plan(data: object, plan: object) -> tuple[list[str], int]:
    """The broken rules of `plan` for the instance `data` (empty when valid), and its objective.

    Raises InvalidInstance when `data` itself is not a valid instance.
    """
    instance = load_instance(data)
    if not isinstance(plan, dict) or not isinstance(plan.get("stops"), list):
        return ["plan: expected an object with a list 'stops'"], 0
    problems: list[str] = []
    tally = _Tally()
    for i, stop in enumerate(plan["stops"]):
        _stop(instance, i, stop, tally, problems)
    _counts(instance, tally, problems)
    _spacing(instance, tally, problems)
    _fixed(instance, tally, problems)
    return problems + _claims(plan, tally.objective), tally.objective

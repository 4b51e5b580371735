"""Cheap counting arguments that show a plan impossible, each in words a person follows.

They run before any solving; what they cannot see, diagnose.py finds by re-solving.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import combinations

from app.planning.engine.instance import PlanInstance
from app.planning.engine.names import country_label, plural
from app.planning.engine.open_days import most_spaced, open_dates, runs, why_closed


def precheck(instance: PlanInstance) -> list[str]:
    """Every reason, found by counting, why no plan can satisfy the instance."""
    return (
        _fixed_stops(instance)
        + _territory_capacity(instance)
        + _country_capacity(instance)
        + _spacing(instance)
        + _country_dates(instance)
    )


def usable_dates(instance: PlanInstance) -> list[date]:
    """Open dates on which some territory is free and enough countries are available."""
    least = instance.countries_per_stop[0]
    return [
        day
        for day in open_dates(instance)
        if any(day not in t.unavailable for t in instance.territories)
        and sum(day not in c.unavailable for c in instance.countries) >= least
    ]


def _fixed_stops(instance: PlanInstance) -> list[str]:
    reasons = []
    lo, hi = instance.countries_per_stop
    for index, stop in enumerate(instance.fixed):
        name, when = f"fixed[{index}]", stop.date.isoformat()
        if (closed := why_closed(instance, stop.date)) == "a closed date":
            reasons.append(f"{name} falls on a closed date {when}")
        elif closed is not None:
            reasons.append(f"{name} on {when} is {closed}")
        if stop.date in instance.territory(stop.territory).unavailable:
            reasons.append(f"{name} is in {stop.territory} on {when}, when {stop.territory} is unavailable")
        if stop.countries is not None:
            if not lo <= len(stop.countries) <= hi:
                listed = plural(len(stop.countries), "country", "countries")
                reasons.append(f"{name} features {listed}, but each stop needs {lo} to {hi}")
            for code in stop.countries:
                if stop.date in instance.country(code).unavailable:
                    reasons.append(
                        f"{name} features {country_label(code)} on {when}, one of its unavailable dates"
                    )
    gap = instance.min_days_between_stops
    for first, second in combinations(sorted(instance.fixed, key=lambda stop: stop.date), 2):
        if (second.date - first.date).days < gap:
            reasons.append(
                f"two fixed stops on {first.date.isoformat()} and {second.date.isoformat()} "
                f"are closer than {gap} days"
            )
    for sector in instance.sectors:
        fixed = sum(stop.sector == sector.id for stop in instance.fixed)
        if fixed > sector.stops:
            reasons.append(
                f"{plural(fixed, 'fixed stop')} are in {sector.id}, which needs only {sector.stops}"
            )
    for territory in instance.territories:
        fixed = sum(stop.territory == territory.id for stop in instance.fixed)
        if territory.max_stops is not None and fixed > territory.max_stops:
            reasons.append(
                f"{plural(fixed, 'fixed stop')} are in {territory.id}, "
                f"which hosts at most {territory.max_stops}"
            )
    featured = Counter(code for stop in instance.fixed for code in stop.countries or ())
    for code, count in featured.items():
        limit = instance.country(code).max_stops
        if limit is not None and count > limit:
            reasons.append(
                f"the fixed stops feature {country_label(code)} {count} times, but its max_stops is {limit}"
            )
    return reasons


def _territory_capacity(instance: PlanInstance) -> list[str]:
    limits = [t.max_stops for t in instance.territories]
    if any(limit is None for limit in limits):
        return []
    room = sum(limit or 0 for limit in limits)
    if room < instance.total_stops:
        return [f"territory limits allow {room} stops but the sectors need {instance.total_stops}"]
    return []


def _country_capacity(instance: PlanInstance) -> list[str]:
    total = instance.total_stops
    lo, hi = instance.countries_per_stop
    if total == 0:
        return []
    reasons = []
    if len(instance.countries) < lo:
        reasons.append(
            f"each stop needs {lo} distinct countries but only {len(instance.countries)} are listed"
        )
    needed = sum(c.min_stops for c in instance.countries)
    if needed > total * hi:
        reasons.append(
            f"the countries need at least {needed} featured places but "
            f"{total} stops × {hi} countries allow at most {total * hi}"
        )
    room = sum(total if c.max_stops is None else min(c.max_stops, total) for c in instance.countries)
    if room < total * lo:
        reasons.append(
            f"{total} stops × {lo} countries need {total * lo} featured places but the "
            f"countries' max_stops allow at most {room}"
        )
    for country in instance.countries:
        if country.min_stops > total:
            reasons.append(
                f"{country_label(country.id)} must be featured at {country.min_stops} stops, "
                f"but the plan has only {total}"
            )
    return reasons


def _spacing(instance: PlanInstance) -> list[str]:
    total, gap = instance.total_stops, instance.min_days_between_stops
    if total == 0:
        return []
    days = usable_dates(instance)
    period = f"between {instance.start.isoformat()} and {instance.end.isoformat()}"
    if not days:
        return [f"no date {period} is allowed and has a free territory and enough countries"]
    fit = most_spaced(days, gap)
    if fit < total:
        return [
            (
                f"{total} stops need at least {gap} days between them, but only {fit} allowed dates "
                f"fit {period}"
            )
        ]
    most = instance.max_days_between_stops
    stretches = runs(days, most)
    if len(stretches) == 1:
        return []
    roomiest = max(stretches, key=lambda stretch: most_spaced(stretch, gap))
    if (fit := most_spaced(roomiest, gap)) < total:
        return [
            (
                f"consecutive stops may be at most {most} days apart, and the allowed dates have gaps "
                f"longer than that: the roomiest stretch, {roomiest[0].isoformat()}.."
                f"{roomiest[-1].isoformat()}, fits only {fit} of the {total} stops"
            )
        ]
    fixed_runs = {
        next(n for n, stretch in enumerate(stretches) if stretch[0] <= stop.date <= stretch[-1])
        for stop in instance.fixed
        if stretches[0][0] <= stop.date <= stretches[-1][-1]
    }
    if len(fixed_runs) > 1:
        return [
            (
                f"the fixed stops cannot all be in one plan: consecutive stops may be at most {most} "
                f"days apart, and the allowed dates between the fixed stops have longer gaps"
            )
        ]
    return []


def _country_dates(instance: PlanInstance) -> list[str]:
    gap = instance.min_days_between_stops
    days = usable_dates(instance)
    reasons = []
    for country in instance.countries:
        if country.min_stops == 0:
            continue
        fit = most_spaced((day for day in days if day not in country.unavailable), gap)
        if fit < country.min_stops:
            spaced = f" at least {gap} days apart" if gap > 1 else ""
            reasons.append(
                f"{country_label(country.id)} must be featured at {country.min_stops} stops, but "
                f"only {fit} possible dates{spaced} avoid its unavailable dates"
            )
    return reasons

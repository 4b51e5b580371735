"""Cheap counting arguments that show a plan impossible, each as a reason (why.py) a person follows.

They run before any solving; what they cannot see, diagnose.py finds by re-solving.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import combinations

from app.planning.engine.instance import PlanInstance
from app.planning.engine.open_days import closed_reason, most_spaced, open_dates, runs
from app.planning.engine.why import Reason, reason


def precheck(instance: PlanInstance) -> list[Reason]:
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


def _fixed_stops(instance: PlanInstance) -> list[Reason]:
    reasons = []
    lo, hi = instance.countries_per_stop
    for index, stop in enumerate(instance.fixed):
        when = stop.date.isoformat()
        closed = closed_reason(instance, stop.date)
        if closed is not None and closed["why"] == "closed_date":
            reasons.append(reason("fixed_closed_date", fixed=index, date=when))
        elif closed is not None:
            reasons.append(reason("fixed_not_open", fixed=index, date=when, closed=closed))
        if stop.date in instance.territory(stop.territory).unavailable:
            reasons.append(
                reason("fixed_territory_unavailable", fixed=index, territory=stop.territory, date=when)
            )
        if stop.countries is not None:
            if not lo <= len(stop.countries) <= hi:
                reasons.append(
                    reason("fixed_country_count", fixed=index, count=len(stop.countries), low=lo, high=hi)
                )
            for code in stop.countries:
                if stop.date in instance.country(code).unavailable:
                    reasons.append(reason("fixed_country_unavailable", fixed=index, country=code, date=when))
    gap = instance.min_days_between_stops
    for first, second in combinations(sorted(instance.fixed, key=lambda stop: stop.date), 2):
        if (second.date - first.date).days < gap:
            reasons.append(
                reason(
                    "fixed_too_close", first=first.date.isoformat(), second=second.date.isoformat(), gap=gap
                )
            )
    for sector in instance.sectors:
        fixed = sum(stop.sector == sector.id for stop in instance.fixed)
        if fixed > sector.stops:
            reasons.append(reason("fixed_sector_excess", count=fixed, sector=sector.id, stops=sector.stops))
    for territory in instance.territories:
        fixed = sum(stop.territory == territory.id for stop in instance.fixed)
        if territory.max_stops is not None and fixed > territory.max_stops:
            reasons.append(
                reason(
                    "fixed_territory_excess", count=fixed, territory=territory.id, limit=territory.max_stops
                )
            )
    featured = Counter(code for stop in instance.fixed for code in stop.countries or ())
    for code, count in featured.items():
        limit = instance.country(code).max_stops
        if limit is not None and count > limit:
            reasons.append(reason("fixed_country_excess", country=code, count=count, limit=limit))
    return reasons


def _territory_capacity(instance: PlanInstance) -> list[Reason]:
    limits = [t.max_stops for t in instance.territories]
    if any(limit is None for limit in limits):
        return []
    room = sum(limit or 0 for limit in limits)
    if room < instance.total_stops:
        return [reason("territory_capacity", room=room, needed=instance.total_stops)]
    return []


def _country_capacity(instance: PlanInstance) -> list[Reason]:
    total = instance.total_stops
    lo, hi = instance.countries_per_stop
    if total == 0:
        return []
    reasons = []
    if len(instance.countries) < lo:
        reasons.append(reason("too_few_countries", low=lo, listed=len(instance.countries)))
    needed = sum(c.min_stops for c in instance.countries)
    if needed > total * hi:
        reasons.append(reason("country_places_short", needed=needed, stops=total, high=hi))
    room = sum(total if c.max_stops is None else min(c.max_stops, total) for c in instance.countries)
    if room < total * lo:
        reasons.append(reason("country_room_short", stops=total, low=lo, room=room))
    for country in instance.countries:
        if country.min_stops > total:
            reasons.append(
                reason("country_min_exceeds_plan", country=country.id, min=country.min_stops, stops=total)
            )
    return reasons


def _spacing(instance: PlanInstance) -> list[Reason]:
    total, gap = instance.total_stops, instance.min_days_between_stops
    if total == 0:
        return []
    days = usable_dates(instance)
    period = {"start": instance.start.isoformat(), "end": instance.end.isoformat()}
    if not days:
        return [reason("no_usable_date", **period)]
    fit = most_spaced(days, gap)
    if fit < total:
        return [reason("spacing", stops=total, gap=gap, fit=fit, **period)]
    most = instance.max_days_between_stops
    stretches = runs(days, most)
    if len(stretches) == 1:
        return []
    roomiest = max(stretches, key=lambda stretch: most_spaced(stretch, gap))
    if (fit := most_spaced(roomiest, gap)) < total:
        return [
            reason(
                "max_spacing_stretch",
                most=most,
                first=roomiest[0].isoformat(),
                last=roomiest[-1].isoformat(),
                fit=fit,
                stops=total,
            )
        ]
    fixed_runs = {
        next(n for n, stretch in enumerate(stretches) if stretch[0] <= stop.date <= stretch[-1])
        for stop in instance.fixed
        if stretches[0][0] <= stop.date <= stretches[-1][-1]
    }
    if len(fixed_runs) > 1:
        return [reason("fixed_split_by_gaps", most=most)]
    return []


def _country_dates(instance: PlanInstance) -> list[Reason]:
    gap = instance.min_days_between_stops
    days = usable_dates(instance)
    reasons = []
    for country in instance.countries:
        if country.min_stops == 0:
            continue
        fit = most_spaced((day for day in days if day not in country.unavailable), gap)
        if fit < country.min_stops:
            reasons.append(
                reason("country_dates", country=country.id, min=country.min_stops, fit=fit, gap=gap)
            )
    return reasons

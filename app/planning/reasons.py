"""Plain-English notes on why a planned stop looks the way it does."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from app.planning.instance import PlanInstance


def stop_score(instance: PlanInstance, stop: dict[str, Any]) -> int:
    """The stop's share of the objective: territory affinity plus the countries' interest."""
    sector = stop["sector"]
    return instance.affinity(stop["territory"], sector) + sum(
        instance.interest_of(sector, country) for country in stop["countries"]
    )


def stop_reasons(instance: PlanInstance, stop: dict[str, Any], plan: list[dict[str, Any]]) -> list[str]:
    sector, territory, day = (
        stop["sector"],
        stop["territory"],
        date.fromisoformat(stop["date"]),
    )
    featured = Counter(country for other in plan for country in other["countries"])
    reasons = []
    fixed = next(
        (f for f in instance.fixed if (f.sector, f.territory, f.date) == (sector, territory, day)),
        None,
    )
    if fixed is not None:
        given = "its countries too" if fixed.countries is not None else "the countries were chosen"
        reasons.append(f"fixed stop: sector, territory and date were given; {given}")
    reasons.append(f"{territory}: territory affinity {instance.affinity(territory, sector)} for {sector}")
    for country in stop["countries"]:
        note = f"{country}: survey interest {instance.interest_of(sector, country)} for {sector}"
        if featured[country] == instance.country(country).min_stops:
            note += f"; featured at {featured[country]} stops, its minimum"
        reasons.append(note)
    lowest = min((instance.interest_of(sector, c) for c in stop["countries"]), default=0)
    passed_over = sorted(
        (c for c in instance.countries if c.id not in stop["countries"]),
        key=lambda c: -instance.interest_of(sector, c.id),
    )
    for country in passed_over:
        if instance.interest_of(sector, country.id) <= lowest:
            break
        interest = instance.interest_of(sector, country.id)
        if day in country.unavailable:
            why = f"unavailable on {day.isoformat()}"
        elif country.max_stops is not None and featured[country.id] >= country.max_stops:
            why = f"already at its maximum of {country.max_stops} stops"
        else:
            why = "its places did more for the plan at other stops"
        reasons.append(f"{country.id} (interest {interest}) not featured: {why}")
    return reasons

"""Which days a stop may be held on, and counting arguments about spacing stops on them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from app.planning.engine.instance import PlanInstance


def why_closed(instance: PlanInstance, day: date) -> str | None:
    """Why no stop may be held on `day` whatever its territory, or None if it is open."""
    if not instance.start <= day <= instance.end:
        return f"outside {instance.start.isoformat()}..{instance.end.isoformat()}"
    if day.weekday() not in instance.weekdays:
        return f"on a {day.strftime('%A')}, not an allowed weekday"
    if day in instance.closed_dates:
        return "a closed date"
    for first, last in instance.blackouts:
        if first <= day <= last:
            return f"in the blackout {first.isoformat()}..{last.isoformat()}"
    return None


def open_dates(instance: PlanInstance) -> list[date]:
    """Every day, in order, on which some stop could be held."""
    days = (instance.start + timedelta(days=n) for n in range((instance.end - instance.start).days + 1))
    return [day for day in days if why_closed(instance, day) is None]


def weekday_dates(instance: PlanInstance) -> list[date]:
    """Every allowed weekday in the period, ignoring closed dates and blackouts."""
    days = (instance.start + timedelta(days=n) for n in range((instance.end - instance.start).days + 1))
    return [day for day in days if day.weekday() in instance.weekdays]


def most_spaced(days: Iterable[date], gap: int) -> int:
    """How many stops at least `gap` days apart fit on `days` (greedy earliest is optimal)."""
    count, last = 0, None
    for day in sorted(days):
        if last is None or (day - last).days >= gap:
            count, last = count + 1, day
    return count


def runs(days: Sequence[date], max_gap: int | None) -> list[list[date]]:
    """Split sorted `days` where two neighbours are more than `max_gap` apart.

    Consecutive stops may be at most `max_gap` days apart, so a whole plan lies in one run.
    """
    if not days:
        return []
    if max_gap is None:
        return [list(days)]
    found = [[days[0]]]
    for day in days[1:]:
        if (day - found[-1][-1]).days > max_gap:
            found.append([])
        found[-1].append(day)
    return found

"""Which days a stop may be held on, and counting arguments about spacing stops on them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from app.planning.engine.instance import PlanInstance
from app.planning.engine.why import closed_english

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def closed_reason(instance: PlanInstance, day: date) -> dict[str, Any] | None:
    """Why no stop may be held on `day` whatever its territory, as data (see why.CLOSED), or None."""
    if not instance.start <= day <= instance.end:
        return {"why": "outside", "start": instance.start.isoformat(), "end": instance.end.isoformat()}
    if day.weekday() not in instance.weekdays:
        return {"why": "weekday", "weekday": WEEKDAYS[day.weekday()], "weekday_index": day.weekday()}
    if day in instance.closed_dates:
        return {"why": "closed_date"}
    for first, last in instance.blackouts:
        if first <= day <= last:
            return {"why": "blackout", "start": first.isoformat(), "end": last.isoformat()}
    return None


def why_closed(instance: PlanInstance, day: date) -> str | None:
    """Why no stop may be held on `day` whatever its territory, in English, or None if it is open."""
    closed = closed_reason(instance, day)
    return None if closed is None else closed_english(closed)


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

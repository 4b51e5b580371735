"""Seeded roadshow.plan/1 instances for benchmarks and tests.

Each instance is built around a planted plan, so it is known to be feasible; the rules
are then drawn tight around that plan: a period just long enough, spacing of 14 to about
40 days, Italian public holidays closed, August and Christmas blacked out, territories and
countries unavailable on about one open date in ten, and some stops fixed.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

import holidays

from app.planning.engine.instance import load_instance
from app.planning.engine.open_days import open_dates

SECTORS = (
    "advanced-manufacturing",
    "technological-innovation",
    "artificial-intelligence",
    "mechanics",
    "aerospace",
    "energy",
    "fashion",
    "technical-textiles",
    "construction",
)
TERRITORIES = ("BG", "BS", "CO", "CR", "LC", "LO", "MN", "MI", "MB", "PV", "SO", "VA")
COUNTRIES = ("US", "DE", "IN", "AE", "FR", "CA", "BR", "ES", "CN", "SA")
MIN_GAP = 14
FIRST_DAY, LAST_DAY = date(2026, 2, 1), date(2027, 12, 15)


def generate(stops: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    base = _calendar()
    days = open_dates(load_instance({**base, **_skeleton()}))
    planted = _planted_dates(days, stops, rng)
    gaps = [(b - a).days for a, b in itertools.pairwise(planted)]
    sectors = _sector_counts(stops, rng)
    plan: list[dict[str, Any]] = [
        {
            "sector": sector,
            "territory": rng.choice(TERRITORIES),
            "date": day,
            "countries": rng.sample(COUNTRIES, rng.randint(2, 4)),
        }
        for sector, day in zip(rng.sample(sectors, len(sectors)), planted, strict=True)
    ]
    hosted = Counter(stop["territory"] for stop in plan)
    featured = Counter(country for stop in plan for country in stop["countries"])
    window = [day for day in days if planted[0] - timedelta(days=7) <= day <= planted[-1]]
    busy = {(stop["territory"], stop["date"]) for stop in plan}
    busy |= {(country, stop["date"]) for stop in plan for country in stop["countries"]}

    def unavailable(code: str, share: float) -> list[str]:
        picks = [day for day in window if (code, day) not in busy and rng.random() < share]
        return [day.isoformat() for day in picks]

    instance = {
        **base,
        "start": (planted[0] - timedelta(days=7)).isoformat(),
        "end": planted[-1].isoformat(),
        "min_days_between_stops": MIN_GAP,
        "max_days_between_stops": max(gaps, default=MIN_GAP) + rng.randint(0, 7),
        "countries_per_stop": [2, 4],
        "sectors": [{"id": s, "stops": n} for s, n in sorted(Counter(sectors).items())],
        "territories": [
            {
                "id": code,
                "max_stops": hosted[code] + rng.randint(0, 1),
                "affinity": {s: rng.randint(0, 5) for s in rng.sample(SECTORS, 4)},
                "unavailable": unavailable(code, 0.08),
            }
            for code in TERRITORIES
        ],
        "countries": [
            {
                "id": code,
                "min_stops": max(0, featured[code] - rng.randint(0, 2)),
                "max_stops": featured[code] + rng.randint(0, 2),
                "unavailable": unavailable(code, 0.1),
            }
            for code in COUNTRIES
        ],
        "interest": {s: {c: rng.randint(0, 5) for c in COUNTRIES} for s in SECTORS},
        "fixed": [
            {
                "sector": stop["sector"],
                "territory": stop["territory"],
                "date": stop["date"].isoformat(),
                **({"countries": stop["countries"]} if rng.random() < 0.5 else {}),
            }
            for stop in rng.sample(plan, max(1, stops // 10))
        ],
    }
    instance["interest"] = {s: instance["interest"][s] for s in Counter(sectors)}
    return instance


def _calendar() -> dict[str, Any]:
    italy = holidays.country_holidays("IT", years=[2026, 2027], language="en_US")
    closed = sorted({*italy, date(2026, 12, 7), date(2027, 12, 7)})  # Sant'Ambrogio, Milan
    return {
        "format": "roadshow.plan/1",
        "weekdays": ["tue", "wed", "thu"],
        "closed_dates": [day.isoformat() for day in closed],
        "blackouts": [
            {"start": "2026-08-01", "end": "2026-08-31"},
            {"start": "2026-12-20", "end": "2027-01-07"},
            {"start": "2027-08-01", "end": "2027-08-31"},
        ],
    }


def _skeleton() -> dict[str, Any]:
    return {
        "start": FIRST_DAY.isoformat(),
        "end": LAST_DAY.isoformat(),
        "countries_per_stop": [1, 1],
        "sectors": [],
        "territories": [],
        "countries": [],
    }


def _planted_dates(days: list[date], stops: int, rng: random.Random) -> list[date]:
    """Dates 14 to 21 days apart where possible: a plan that only just fits."""
    room = len(days) - stops * 10
    chosen = [days[rng.randrange(max(1, min(room, 20)))]]
    while len(chosen) < stops:
        later = [day for day in days if (day - chosen[-1]).days >= MIN_GAP]
        if not later:
            raise ValueError(f"{stops} stops do not fit in {FIRST_DAY}..{LAST_DAY}")
        near = [day for day in later if (day - chosen[-1]).days <= MIN_GAP + 7]
        chosen.append(rng.choice(near) if near else later[0])
    return chosen


def _sector_counts(stops: int, rng: random.Random) -> list[str]:
    """Every sector once where there is room, the rest spread at random."""
    first = list(SECTORS[:stops])
    return first + [rng.choice(SECTORS) for _ in range(stops - len(first))]

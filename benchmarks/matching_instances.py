"""Seeded `roadshow.match/1` instances shaped like a real stop, for benchmarks and tests.

Demand is skewed (a few countries are wanted by most companies), both sides are
partly absent, companies cap their meetings, some stops have fewer tables than
representatives, and a few meetings are already locked.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from app.matching.engine.greedy import first_come_first_served
from app.matching.engine.instance import load_instance

COUNTRIES = [
    "US",
    "DE",
    "FR",
    "CN",
    "AE",
    "IN",
    "GB",
    "BR",
    "CA",
    "MX",
    "JP",
    "SA",
    "TR",
    "VN",
    "ZA",
    "KR",
    "AU",
    "SG",
    "PL",
    "ES",
    "NL",
    "CH",
    "SE",
    "MA",
    "EG",
    "ID",
    "TH",
    "CL",
    "AR",
    "PE",
    "KE",
    "NG",
    "QA",
    "KZ",
    "RO",
    "CZ",
    "HU",
    "PT",
    "GR",
    "IL",
]

# name: (companies, representatives, slots, tables)
SIZES: dict[str, tuple[int, int, int, int]] = {
    "S": (40, 8, 8, 6),
    "M": (300, 20, 20, 20),
    "L": (600, 40, 24, 32),
    "XL": (1000, 40, 30, 40),
}


def slot_labels(count: int, start: str = "09:00", minutes: int = 20) -> list[str]:
    first = datetime.strptime(start, "%H:%M")
    return [(first + timedelta(minutes=minutes * i)).strftime("%H:%M") for i in range(count)]


def _window(rng: random.Random, slots: list[str], share: float) -> list[str]:
    """A contiguous part of the day covering about `share` of it (morning, afternoon...)."""
    length = max(2, round(len(slots) * share))
    start = rng.randrange(0, len(slots) - length + 1)
    return slots[start : start + length]


def generate(size: str, seed: int = 1) -> dict[str, Any]:
    """A decoded instance of the named size (S, M, L or XL)."""
    company_count, rep_count, slot_count, tables = SIZES[size]
    rng = random.Random(f"{size}-{seed}")
    slots = slot_labels(slot_count)
    reps: list[dict[str, Any]] = []
    for i in range(rep_count):
        country = COUNTRIES[i % len(COUNTRIES)]
        rep: dict[str, Any] = {"id": f"r{i:02d}-{country.lower()}", "country": country}
        if rng.random() < 0.25:
            rep["slots"] = _window(rng, slots, rng.uniform(0.4, 0.7))
        if rng.random() < 0.3:
            rep["max_meetings"] = rng.randint(slot_count // 2, slot_count)
        reps.append(rep)
    # Zipf-like popularity: the first few countries attract most of the demand.
    popularity = [1.0 / (rank + 1) ** 1.1 for rank in range(rep_count)]
    companies: list[dict[str, Any]] = []
    requests: list[dict[str, Any]] = []
    for i in range(company_count):
        company: dict[str, Any] = {"id": f"c{i:04d}"}
        if rng.random() < 0.3:
            company["slots"] = _window(rng, slots, rng.uniform(0.3, 0.6))
        if rng.random() < 0.7:
            company["max_meetings"] = rng.randint(2, 6)
        companies.append(company)
        wanted = min(rep_count, rng.randint(2, 8))
        chosen: set[int] = set()
        while len(chosen) < wanted:
            chosen.add(rng.choices(range(rep_count), weights=popularity)[0])
        for rep_index in sorted(chosen):
            weight = min(10, 1 + int(rng.expovariate(0.35)))
            requests.append(
                {
                    "company": company["id"],
                    "representative": reps[rep_index]["id"],
                    "weight": weight,
                }
            )
    instance: dict[str, Any] = {
        "format": "roadshow.match/1",
        "stop": f"generated-{size}-{seed}",
        "slots": slots,
        "tables": tables,
        "fairness_bonus": 4,
        "companies": companies,
        "representatives": reps,
        "requests": requests,
        "locked": [],
    }
    instance["locked"] = _some_locked(instance, rng, count=max(3, company_count // 50))
    return instance


def _some_locked(instance: dict[str, Any], rng: random.Random, count: int) -> list[dict[str, str]]:
    """Locked meetings taken from a feasible schedule, so that they never clash."""
    parsed = load_instance(instance)
    booked = sorted(first_come_first_served(parsed).items())
    picked = rng.sample(booked, min(count, len(booked)))
    return [
        {
            "company": parsed.companies[parsed.requests[r].company].id,
            "representative": parsed.representatives[parsed.requests[r].representative].id,
            "slot": parsed.slots[s],
        }
        for r, s in sorted(picked)
    ]

"""Seeded `roadshow.match/1` days whose best schedule is known, for benchmarks and tests.

`planted_day`: a gap-free schedule is laid first. Slot by slot the representatives
(in a shuffled order) form a ring; each "diagonal" of the ring (representative
`d + s` in slot `s`) is cut into blocks of 3 to 6 consecutive slots, and each block
is one company, meeting consecutive representatives back to back. Every
representative is then busy in every slot and every company has one run of
meetings: 0 idle gaps. Decoy requests follow, each lighter than every planted
request of its representative. A representative can meet at most one request per
slot, so its planted requests (its heaviest, one per slot) are the most it can
give; every company already earns the fairness bonus: the planted objective is the
optimum, and the LP bound proves it.

`stop_day`: a realistic stop of 2,400 accepted requests and 80 representatives,
with fewer tables than representatives, skewed demand and partial presence.
"""

from __future__ import annotations

import random
from typing import Any

from benchmarks import matching_instances as generated
from benchmarks.matching_instances import COUNTRIES, slot_labels

FORMAT = "roadshow.match/1"
BONUS = 3


def _blocks(rng: random.Random, length: int, low: int = 3, high: int = 6) -> list[int]:
    """Cut `length` consecutive slots into blocks of `low` to `high` slots."""
    sizes: list[int] = []
    left = length
    while left > high:
        size = rng.randint(low, min(high, left - low))
        sizes.append(size)
        left -= size
    sizes.append(left)
    return sizes


def planted_day(
    seed: int = 1, *, representatives: int = 30, slots: int = 24, decoys: int = 2, locked: int = 3
) -> tuple[dict[str, Any], int]:
    """A decoded instance and its known optimal objective (reached with 0 idle gaps)."""
    rng = random.Random(f"planted-{representatives}-{slots}-{seed}")
    labels = slot_labels(slots, minutes=15)
    ring = list(range(representatives))
    rng.shuffle(ring)
    rep_ids = [f"r{i:02d}-{COUNTRIES[i % len(COUNTRIES)].lower()}" for i in range(representatives)]
    planted: list[tuple[str, int, int, int]] = []  # company, representative, slot, weight
    companies: list[dict[str, Any]] = []
    for diagonal in range(representatives):
        start = 0
        for size in _blocks(rng, slots):
            company = f"c{len(companies):03d}"
            entry: dict[str, Any] = {"id": company}
            if rng.random() < 0.4:
                first = max(0, start - rng.randint(0, 3))
                last = min(slots, start + size + rng.randint(0, 3))
                entry["slots"] = labels[first:last]
            if rng.random() < 0.3:
                entry["max_meetings"] = size + rng.randint(0, 1)
            companies.append(entry)
            for slot in range(start, start + size):
                rep = ring[(diagonal + slot) % representatives]
                planted.append((company, rep, slot, rng.randint(2, 10)))
            start += size
    lightest = [10] * representatives
    for _, rep, _, weight in planted:
        lightest[rep] = min(lightest[rep], weight)
    asked = {(company, rep) for company, rep, _, _ in planted}
    requests = [{"company": c, "representative": rep_ids[r], "weight": w} for c, r, _, w in planted]
    for entry in companies:
        for _ in range(decoys):
            rep = rng.randrange(representatives)
            if (entry["id"], rep) in asked or lightest[rep] < 2:
                continue
            asked.add((entry["id"], rep))
            requests.append(
                {
                    "company": entry["id"],
                    "representative": rep_ids[rep],
                    "weight": rng.randint(1, lightest[rep] - 1),
                }
            )
    rng.shuffle(requests)
    rng.shuffle(companies)
    best = sum(w for _, _, _, w in planted) + BONUS * len(companies)
    instance = {
        "format": FORMAT,
        "stop": f"planted-{representatives}x{slots}-{seed}",
        "slots": labels,
        "tables": representatives,
        "fairness_bonus": BONUS,
        "companies": companies,
        "representatives": [
            {"id": rep_ids[i], "country": COUNTRIES[i % len(COUNTRIES)]} for i in range(representatives)
        ],
        "requests": requests,
        "locked": [
            {"company": c, "representative": rep_ids[r], "slot": labels[s]}
            for c, r, s, _ in rng.sample(planted, locked)
        ],
    }
    return instance, best


def stop_day(
    seed: int = 1, *, requests: int = 2400, representatives: int = 80, slots: int = 24, tables: int = 30
) -> dict[str, Any]:
    """A stop as the organiser sees it after the consuls answered: `requests` accepted requests."""
    rng = random.Random(f"stop-{requests}-{representatives}-{seed}")
    labels = slot_labels(slots)
    reps = generated.representatives(rng, labels, representatives, fewest_meetings=slots // 3)
    popularity = [1.0 / (rank + 1) ** 0.8 for rank in range(representatives)]
    companies: list[dict[str, Any]] = []
    wanted: list[dict[str, Any]] = []
    while len(wanted) < requests:
        companies.append(generated.company(rng, labels, f"c{len(companies):04d}"))
        chosen: set[int] = set()
        for _ in range(min(requests - len(wanted), rng.randint(3, 9))):
            while True:
                pick = rng.choices(range(representatives), weights=popularity)[0]
                if pick not in chosen:
                    break
            chosen.add(pick)
        wanted += generated.weighted_requests(rng, companies[-1]["id"], reps, chosen)
    return {
        "format": FORMAT,
        "stop": f"stop-{requests}-{seed}",
        "slots": labels,
        "tables": tables,
        "fairness_bonus": BONUS,
        "companies": companies,
        "representatives": reps,
        "requests": wanted,
        "locked": [],
    }

"""Seating: which table each meeting gets.

Rule 6 asks a representative to keep one table all day whenever there are at least
as many tables as representatives with meetings; otherwise meetings only need
distinct tables within a slot, and we still keep each representative at the same
table whenever that table is free, so that people move as little as possible.
"""

from __future__ import annotations

from collections import defaultdict

from app.matching.engine.greedy import Assignment
from app.matching.engine.instance import MatchInstance


def assign_tables(instance: MatchInstance, assignment: Assignment) -> dict[int, int]:
    """Table number (1-based) per scheduled request; expects at most `tables` per slot."""
    reps = sorted({instance.requests[r].representative for r in assignment})
    home = {rep: rank % instance.tables + 1 for rank, rep in enumerate(reps)}
    if len(reps) <= instance.tables:
        return {r: home[instance.requests[r].representative] for r in assignment}
    by_slot: dict[int, list[int]] = defaultdict(list)
    for request, slot in assignment.items():
        by_slot[slot].append(request)
    seats: dict[int, int] = {}
    for requests in by_slot.values():
        taken: set[int] = set()
        waiting = []
        for request in sorted(requests, key=lambda r: instance.requests[r].representative):
            table = home[instance.requests[request].representative]
            if table in taken:
                waiting.append(request)
            else:
                seats[request] = table
                taken.add(table)
        free = (t for t in range(1, instance.tables + 1) if t not in taken)
        for request in waiting:
            seats[request] = next(free)
    return seats

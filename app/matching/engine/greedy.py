"""Quick schedules: a value-ordered greedy (the exact solver's hint and fallback),
a first-come-first-served baseline, and a pass that adds whatever still fits.

A schedule here is an assignment `{request index: slot index}`; tables are given
out afterwards (see tables.py), because any set of meetings that respects the
per-slot table count can be seated.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.matching.engine.instance import MatchInstance

Assignment = dict[int, int]


class Occupancy:
    """Who is busy when, and how many meetings each party and each slot already holds."""

    def __init__(self, instance: MatchInstance) -> None:
        self.instance = instance
        self.company_busy: set[tuple[int, int]] = set()
        self.rep_busy: set[tuple[int, int]] = set()
        self.company_load = [0] * len(instance.companies)
        self.rep_load = [0] * len(instance.representatives)
        self.slot_load = [0] * len(instance.slots)

    def company_full(self, company: int) -> bool:
        cap = self.instance.companies[company].max_meetings
        return cap is not None and self.company_load[company] >= cap

    def rep_full(self, rep: int) -> bool:
        cap = self.instance.representatives[rep].max_meetings
        return cap is not None and self.rep_load[rep] >= cap

    def both_free(self, request: int, slot: int) -> bool:
        q = self.instance.requests[request]
        return (q.company, slot) not in self.company_busy and (
            q.representative,
            slot,
        ) not in self.rep_busy

    def table_free(self, slot: int) -> bool:
        return self.slot_load[slot] < self.instance.tables

    def fits(self, request: int, slot: int) -> bool:
        q = self.instance.requests[request]
        return (
            not self.company_full(q.company)
            and not self.rep_full(q.representative)
            and self.both_free(request, slot)
            and self.table_free(slot)
        )

    def place(self, request: int, slot: int) -> None:
        q = self.instance.requests[request]
        self.company_busy.add((q.company, slot))
        self.rep_busy.add((q.representative, slot))
        self.company_load[q.company] += 1
        self.rep_load[q.representative] += 1
        self.slot_load[slot] += 1

    def neighbours_busy(self, request: int, slot: int) -> int:
        """How many of the adjacent slots already hold a meeting of either party."""
        q = self.instance.requests[request]
        count = 0
        for near in (slot - 1, slot + 1):
            count += (q.company, near) in self.company_busy
            count += (q.representative, near) in self.rep_busy
        return count


def occupancy_of(instance: MatchInstance, assignment: Assignment) -> Occupancy:
    occupancy = Occupancy(instance)
    for request, slot in assignment.items():
        occupancy.place(request, slot)
    return occupancy


def locked_assignment(instance: MatchInstance) -> Assignment:
    return {lock.request: lock.slot for lock in instance.locked}


def _place_in_order(
    instance: MatchInstance,
    assignment: Assignment,
    order: Iterable[int],
    *,
    compact: bool,
) -> Assignment:
    occupancy = occupancy_of(instance, assignment)
    result = dict(assignment)
    for request in order:
        if request in result:
            continue
        free = [s for s in instance.common_slots(instance.requests[request]) if occupancy.fits(request, s)]
        if not free:
            continue
        # Next to an existing meeting keeps idle gaps down; otherwise the earliest slot.
        slot = max(free, key=lambda s: (occupancy.neighbours_busy(request, s), -s)) if compact else free[0]
        occupancy.place(request, slot)
        result[request] = slot
    return result


def _scarcity_order(instance: MatchInstance) -> list[int]:
    """Requests by value, the company's favourite first (it earns the fairness bonus),
    and among equals those whose representative is least demanded."""
    demand = [0] * len(instance.representatives)
    for q in instance.requests:
        demand[q.representative] += 1
    favourite: dict[int, int] = {}
    for index, q in enumerate(instance.requests):
        best = favourite.get(q.company)
        if best is None or q.weight > instance.requests[best].weight:
            favourite[q.company] = index
    favourites = set(favourite.values())

    def value(index: int) -> tuple[int, int]:
        q = instance.requests[index]
        bonus = instance.fairness_bonus if index in favourites else 0
        return (-(q.weight + bonus), demand[q.representative])

    return sorted(range(len(instance.requests)), key=value)


def greedy_schedule(instance: MatchInstance) -> Assignment:
    """Locked meetings, then requests by value, each in a free slot that leaves few gaps."""
    return _place_in_order(instance, locked_assignment(instance), _scarcity_order(instance), compact=True)


def first_come_first_served(instance: MatchInstance) -> Assignment:
    """The baseline an organiser would get by booking requests in the order they came."""
    return _place_in_order(
        instance,
        locked_assignment(instance),
        range(len(instance.requests)),
        compact=False,
    )


def fill(instance: MatchInstance, assignment: Assignment) -> Assignment:
    """Add every unmet request that still fits, most valuable first."""
    return _place_in_order(instance, assignment, _scarcity_order(instance), compact=True)

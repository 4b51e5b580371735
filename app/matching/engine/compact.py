"""The idle-gap phase: the meetings of phase 1 stay, their slots move until days are compact.

1. a constructive pass lays each company's meetings back to back (construct.py);
2. large-neighbourhood search: free a few parties with idle gaps together with the
   people they meet, or a window of slots, hold every other meeting where it is, and
   let CP-SAT re-slot the freed ones (slotting.py) in a fraction of a second. A
   neighbourhood is kept when it has no more gaps than before, so that equal moves
   let the search drift; its size grows while CP-SAT proves them quickly and
   shrinks when it runs out of time;
3. a lower bound: the whole slotting model solved once, when time allows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Collection
from dataclasses import dataclass

from app.matching.engine.construct import back_to_back
from app.matching.engine.greedy import Assignment
from app.matching.engine.instance import MatchInstance
from app.matching.engine.kempe import anneal
from app.matching.engine.repair import complete
from app.matching.engine.slotting import Day, Party, reslot

STEP_SECONDS = 0.25  # time limit of one neighbourhood
FIRST_SIZE = 60  # freed meetings per neighbourhood at first
SMALLEST, LARGEST = 20, 400
START_SHARE = 0.05  # of the phase, at most, to complete the back-to-back start
BOUND_SHARE = 0.15  # of the rest, for the whole slotting model (the bound)
ANNEAL_SHARE = 0.8  # of the rest, for Kempe-chain annealing; then neighbourhoods with CP-SAT
FULL_MODEL_MEETINGS = 150  # above this, the whole model is not built: it seldom proves more than 0


@dataclass
class Compact:
    assignment: Assignment
    gaps: int
    bound: int  # lower bound on the idle gaps of this meeting set


def place_all(instance: MatchInstance, met: Collection[int], deadline: float, seed: int = 0) -> Assignment | None:
    """Slots for every meeting of `met`, laid back to back, or None if none found in time."""
    day = Day.of(instance, met)
    locked = {lock.request: lock.slot for lock in instance.locked if lock.request in day.allowed}
    search = _Search(day, back_to_back(day, locked), random.Random(seed))
    while search.cost[0] > 0 and deadline - time.monotonic() > 0.05:
        search.step(min(STEP_SECONDS, deadline - time.monotonic()))
    return search.best if search.cost[0] == 0 else None


def compact(instance: MatchInstance, assignment: Assignment, deadline: float, seed: int = 0) -> Compact:
    """Fewer idle gaps, the same meetings: every meeting of `assignment` keeps a slot."""
    day = Day.of(instance, assignment)
    best = dict(assignment)
    built = complete(day, back_to_back(day, best), _share(deadline, START_SHARE), seed)
    if built is not None and day.gaps(built) < day.gaps(best):
        best = built
    bound = 0
    if day.gaps(best) > 0 and len(best) <= FULL_MODEL_MEETINGS:
        whole = reslot(day, best, best.keys(), _share(deadline, BOUND_SHARE) - time.monotonic(), workers=2)
        bound = whole.bound
        if whole.assignment is not None and whole.cost is not None and whole.cost[1] < day.gaps(best):
            best = whole.assignment
    if day.gaps(best) > bound:
        best = anneal(day, best, _share(deadline, ANNEAL_SHARE), seed)
    search = _Search(day, best, random.Random(seed))
    while search.cost[1] > bound and deadline - time.monotonic() > 0.05:
        search.step(min(STEP_SECONDS, deadline - time.monotonic()))
    return Compact(search.best, search.cost[1], min(bound, search.cost[1]))


def _share(deadline: float, share: float) -> float:
    """The moment when `share` of the time left until `deadline` has passed."""
    now = time.monotonic()
    return now + max(0.0, deadline - now) * share


class _Search:
    """Large-neighbourhood search on (meetings without a slot, idle gaps)."""

    def __init__(self, day: Day, best: Assignment, rng: random.Random) -> None:
        self.day = day
        self.best = best
        self.rng = rng
        self.size = FIRST_SIZE
        self.cost = day.cost(best)

    def step(self, time_limit: float) -> None:
        if self.cost[0] > 0:
            unplaced = [m for m in self.day.allowed if m not in self.best]
            free = self._grow(self.day.parties[self.rng.choice(unplaced)])
        elif self.rng.random() < 0.7:
            free = self._around_gaps()
        else:
            free = self._window()
        touched = {party for request in free for party in self.day.parties[request]}
        before = self.day.cost(self.best, touched)
        started = time.monotonic()
        result = reslot(self.day, self.best, free, time_limit)
        if result.assignment is not None and result.cost is not None and result.cost <= before:
            self.best = result.assignment
            self.cost = (
                self.cost[0] + result.cost[0] - before[0],
                self.cost[1] + result.cost[1] - before[1],
            )
        if result.optimal and time.monotonic() - started < time_limit / 2:
            self.size = min(LARGEST, int(self.size * 1.2) + 1)
        elif not result.optimal:
            self.size = max(SMALLEST, int(self.size * 0.8))

    def _party_gaps(self, party: Party) -> int:
        return self.day.cost(self.best, [party])[1]

    def _around_gaps(self) -> set[int]:
        with_gaps = [p for p in self.day.meetings_of if self._party_gaps(p) > 0]
        if not with_gaps:
            return self._window()
        return self._grow([self.rng.choice(with_gaps)])

    def _grow(self, seeds: Collection[Party]) -> set[int]:
        """These parties' meetings, then those of the people they meet, and so on, until `size`."""
        queue: list[Party] = list(seeds)
        seen = set(queue)
        free: set[int] = set()
        while queue and len(free) < self.size:
            party = queue.pop(self.rng.randrange(len(queue)))
            for request in self.day.meetings_of[party]:
                free.add(request)
                for other in self.day.parties[request]:
                    if other not in seen:
                        seen.add(other)
                        queue.append(other)
        return free

    def _window(self) -> set[int]:
        """Every meeting in a few consecutive slots."""
        slots = len(self.day.instance.slots)
        per_slot = max(1, len(self.best) // slots)
        width = max(2, min(slots, self.size // per_slot))
        first = self.rng.randrange(0, slots - width + 1)
        return {r for r, s in self.best.items() if first <= s < first + width}

"""The idle-gap phase: the meetings of phase 1 stay, their slots move until days are compact.

Bofill et al. (JAIR 74, 2022) split the B2B day the same way: once the meetings are
chosen, giving each a slot so that nobody's day has holes is a problem of its own.

1. a start that lays each company's meetings back to back (construct.py), completed
   by alternating paths (repair.py), kept if it has fewer gaps than phase 1's slots;
2. on small days, the whole slotting model in CP-SAT, for a lower bound on the gaps;
3. simulated annealing over Kempe-chain moves (kempe.py), most of the time;
4. large-neighbourhood search for the rest: a party with idle gaps and the people it
   meets, or a window of slots, re-slotted by CP-SAT with every other meeting held
   (slotting.py). Its size grows while CP-SAT proves them quickly and shrinks when
   it runs out of time.
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

AROUND_GAPS = 0.7  # share of neighbourhoods grown from a party with gaps; the others are windows
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


def compact(instance: MatchInstance, assignment: Assignment, deadline: float, seed: int = 0) -> Compact:
    """Fewer idle gaps, the same meetings: every meeting of `assignment` keeps a slot."""
    day = Day.of(instance, assignment)
    best = dict(assignment)
    start_deadline = _share(deadline, START_SHARE)
    built = complete(day, back_to_back(day, best, start_deadline), start_deadline, seed)
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
    search = _Search(day, best, random.Random(seed))  # noqa: S311  (a seeded search)
    while search.cost[1] > bound and deadline - time.monotonic() > 0.05:
        search.step(min(STEP_SECONDS, deadline - time.monotonic()))
    return Compact(search.best, search.cost[1], min(bound, search.cost[1]))


def _share(deadline: float, share: float) -> float:
    """The moment when `share` of the time left until `deadline` has passed."""
    now = time.monotonic()
    return now + max(0.0, deadline - now) * share


class _Search:
    """Large-neighbourhood search, every meeting keeping a slot throughout."""

    def __init__(self, day: Day, best: Assignment, rng: random.Random) -> None:
        self.day = day
        self.best = best
        self.rng = rng
        self.size = FIRST_SIZE
        self.cost = day.cost(best)

    def step(self, time_limit: float) -> None:
        free = self._around_gaps() if self.rng.random() < AROUND_GAPS else self._window()
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

"""Completing a partial slotting: every chosen meeting gets a slot, by alternating paths.

Giving slots to a fixed set of meetings is colouring the edges of a bipartite graph
(companies and representatives; one colour per slot). The classical repair for an
edge (c, r) that finds no common free slot: take a slot a free for c and a slot b
free for r, and swap a and b along the path of meetings alternating a and b that
starts at r (a Kempe chain). That path never reaches c (it would have to arrive by a
meeting at a, and c has none), so afterwards a is free for both. Presence windows
and tables can forbid a swap; then another pair is tried, and as a last resort a
meeting in the way is taken out and queued again (min-conflicts), a few thousand
times at most.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

from app.matching.engine.greedy import Assignment
from app.matching.engine.slotting import Day, Party

PAIRS_TRIED = 40


class SlotState:
    def __init__(self, day: Day, partial: Assignment) -> None:
        self.day = day
        self.slot_of: Assignment = {}
        self.at: dict[Party, dict[int, int]] = defaultdict(dict)
        self.load = [0] * len(day.instance.slots)
        self.in_slot: list[set[int]] = [set() for _ in day.instance.slots]
        self.locked = {lock.request for lock in day.instance.locked}
        for request, slot in partial.items():
            self.put(request, slot)

    def put(self, request: int, slot: int) -> None:
        self.slot_of[request] = slot
        self.load[slot] += 1
        self.in_slot[slot].add(request)
        for party in self.day.parties[request]:
            self.at[party][slot] = request

    def take(self, request: int) -> None:
        slot = self.slot_of.pop(request)
        self.load[slot] -= 1
        self.in_slot[slot].discard(request)
        for party in self.day.parties[request]:
            del self.at[party][slot]

    def free(self, party: Party, slot: int) -> bool:
        return slot not in self.at[party]

    def chain(self, start: Party, a: int, b: int) -> list[int] | None:
        """The meetings of the a/b path from `start` (leaving by a), if swapping is allowed."""
        path: list[int] = []
        party, colour = start, a
        while colour in self.at[party]:
            request = self.at[party][colour]
            other = b if colour == a else a
            if request in self.locked or other not in self.day.allowed[request]:
                return None
            path.append(request)
            c, r = self.day.parties[request]
            party = r if party == c else c
            colour = other
        moved_to_b = sum(1 for m in path if self.slot_of[m] == a)
        moved_to_a = len(path) - moved_to_b
        tables = self.day.instance.tables
        if (
            self.load[b] + moved_to_b - moved_to_a > tables
            or self.load[a] - moved_to_b + moved_to_a > tables - 1
        ):
            return None
        return path

    def swap(self, path: list[int], a: int, b: int) -> None:
        """Meetings at a go to b and those at b to a (take and put inlined: the annealing's
        innermost step)."""
        slot_of, at, parties = self.slot_of, self.at, self.day.parties
        moves = [(m, b if slot_of[m] == a else a) for m in path]
        for m, new in moves:
            old = a + b - new
            for party in parties[m]:
                del at[party][old]
        for m, new in moves:
            old = a + b - new
            slot_of[m] = new
            self.load[old] -= 1
            self.load[new] += 1
            self.in_slot[old].discard(m)
            self.in_slot[new].add(m)
            for party in parties[m]:
                at[party][new] = m


def complete(day: Day, partial: Assignment, deadline: float, seed: int = 0) -> Assignment | None:
    rng = random.Random(seed)  # noqa: S311  (a seeded search, not a secret)
    state = SlotState(day, partial)
    queue = [m for m in day.allowed if m not in state.slot_of]
    rng.shuffle(queue)
    tries = 0
    while queue and time.monotonic() < deadline:
        tries += 1
        request = queue.pop()
        if not _place(state, request, rng):
            queue.extend(_force(state, request, rng))
        if tries > 50 * len(day.allowed):
            return None
    return state.slot_of if not queue else None


def _place(state: SlotState, request: int, rng: random.Random) -> bool:
    company, rep = state.day.parties[request]
    allowed = state.day.allowed[request]
    tables = state.day.instance.tables
    both = [s for s in allowed if state.free(company, s) and state.free(rep, s) and state.load[s] < tables]
    if both:
        state.put(request, rng.choice(both))
        return True
    for_company = [s for s in allowed if state.free(company, s)]
    for_rep = [s for s in allowed if state.free(rep, s)]
    pairs = [(a, b) for a in for_company for b in for_rep if a != b]
    rng.shuffle(pairs)
    for a, b in pairs[:PAIRS_TRIED]:
        for start, colour, other in ((rep, a, b), (company, b, a)):
            path = state.chain(start, colour, other)
            if path is not None:
                state.swap(path, colour, other)
                if state.free(company, colour) and state.free(rep, colour) and state.load[colour] < tables:
                    state.put(request, colour)
                    return True
    return False


def _force(state: SlotState, request: int, rng: random.Random) -> list[int]:
    """Put the meeting in a random allowed slot, taking out whatever is in its way."""
    allowed = state.day.allowed[request]
    slot = rng.choice(allowed)
    evicted = []
    for party in state.day.parties[request]:
        other = state.at[party].get(slot)
        if other is not None:
            if other in state.locked:
                return [request]
            evicted.append(other)
    if not evicted and state.load[slot] >= state.day.instance.tables:
        same_slot = [m for m in state.in_slot[slot] if m not in state.locked]
        if not same_slot:
            return [request]
        evicted.append(rng.choice(same_slot))
    for other in set(evicted):
        state.take(other)
    state.put(request, slot)
    return list(set(evicted))

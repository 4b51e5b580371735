"""Equal-weight exchanges: a met request gives way to an unmet one of the same weight.

Phase 1 proves the best objective but picks one of many optimal sets of meetings, and
the set decides how compact the day can be: on the compact example of the contract
phase 1's set leaves at least 1 idle gap however it is slotted, while another set of
the same value has none. An exchange, one of the annealing's moves (kempe.py), takes
a met request out and meets in its place an unmet request of the same weight sharing
a party with it (the same company with another representative, or the same
representative with another company), in a slot where both its parties are free and
a table is left (next to one of their meetings when there is such a slot). The
weighted objective cannot fall: the weights are equal, caps are kept, and a company
loses its last meeting only when the other company gains its first (the fairness
bonus). Locked meetings stay.

The annealing's Day then also holds the unmet requests (`Exchanges.requests`), so
that the slots they may take are known; only met requests are ever in the assignment.
On the 2,400-request stop few exchanges are possible (the met set is held by the
representatives' caps), so compact.py uses them on small days only.
"""

from __future__ import annotations

import random
from collections import defaultdict

from app.matching.engine.instance import MatchInstance
from app.matching.engine.repair import SlotState
from app.matching.engine.slotting import Party


class Exchanges:
    def __init__(self, instance: MatchInstance) -> None:
        self.instance = instance
        locked = {lock.request for lock in instance.locked}
        self.alike: dict[tuple[Party, int], list[int]] = defaultdict(list)
        for index, q in enumerate(instance.requests):
            if index not in locked and instance.common_slots(q):
                self.alike[(("c", q.company), q.weight)].append(index)
                self.alike[(("r", q.representative), q.weight)].append(index)
        self.locked = locked
        self.requests = {r for group in self.alike.values() for r in group}

    def propose(self, state: SlotState, request: int, rng: random.Random) -> tuple[int, int] | None:
        """An unmet request of the same weight to meet instead of `request`, and its slot."""
        if request in self.locked:
            return None
        out_parties = state.day.parties[request]
        weight = self.instance.requests[request].weight
        into = rng.choice(self.alike[(rng.choice(out_parties), weight)])
        if into in state.slot_of:
            return None
        in_parties = state.day.parties[into]
        entering = [p for p in in_parties if p not in out_parties]
        if not all(self._room(state, p) for p in entering) or not self._bonus_kept(state, request, into):
            return None
        given_up = state.slot_of[request]
        free = []
        for slot in state.day.allowed[into]:
            if state.load[slot] - (slot == given_up) >= self.instance.tables:
                continue
            if all(state.at[p].get(slot, request) == request for p in in_parties):
                free.append(slot)
        if not free:
            return None
        near = [s for s in free if any(s + step in state.at[p] for p in in_parties for step in (-1, 1))]
        return into, rng.choice(near or free)

    def _room(self, state: SlotState, party: Party) -> bool:
        kind, index = party
        cap = (self.instance.companies if kind == "c" else self.instance.representatives)[index].max_meetings
        return cap is None or len(state.at[party]) < cap

    def _bonus_kept(self, state: SlotState, out: int, into: int) -> bool:
        lose, gain = state.day.parties[out][0], state.day.parties[into][0]
        if lose == gain or not self.instance.fairness_bonus:
            return True
        return len(state.at[lose]) > 1 or not state.at[gain]

"""Idle gaps down by Kempe-chain moves, annealed: thousands of moves a second.

A move takes one meeting at slot a to slot b and, to keep everybody in one meeting
per slot, swaps a and b along the whole chain of meetings alternating a and b that
passes through it (on a day where representatives are busy in every slot nothing
smaller is feasible). Chains through a locked meeting or outside someone's presence
are refused; when a chain would put more meetings in a slot than it has tables, a
second chain going the other way is swapped with it (the cheapest of a few tried).

Moves are aimed: a party with an idle gap moves a meeting at the edge of one run next
to another run; some moves slide anybody's run by one slot, which costs that party
nothing and makes room for others. The search cost counts idle gaps (weighted) plus
idle slots, so that a hole that shrinks is progress too. A worse move is taken with
the simulated-annealing probability, and the schedule with the fewest gaps is kept.
"""

from __future__ import annotations

import itertools
import math
import random
import time

from app.matching.engine.exchange import Exchanges
from app.matching.engine.greedy import Assignment
from app.matching.engine.repair import SlotState
from app.matching.engine.slotting import Day, Party

START_TEMPERATURE = 10.0
END_TEMPERATURE = 0.5
WANDER = 0.1  # share of moves to any slot rather than next to another run
GAP_WEIGHT, IDLE_WEIGHT = 4, 1
BALANCE_TRIES = 6  # meetings tried to make room in a slot whose tables are all taken
SLIDE = 0.3  # share of moves that slide a run of anybody's by one slot
CHECK_EVERY = 200  # moves between two looks at the clock
EXCHANGE = 0.15  # share of moves that exchange a met request for an unmet one (exchange.py)


def _score(state: SlotState, party: Party) -> tuple[int, int]:
    """(search cost, idle gaps): gaps weighted plus idle slots, so that a hole that
    shrinks is progress too."""
    busy = state.at[party]
    if not busy:
        return 0, 0
    gaps = sum(1 for s in busy if s - 1 not in busy) - 1
    return GAP_WEIGHT * gaps + IDLE_WEIGHT * (max(busy) - min(busy) + 1 - len(busy)), gaps


def _chain(state: SlotState, request: int, b: int, a: int | None = None) -> list[int] | None:
    """Every meeting of the a/b component through `request` (at a or b), if all may swap."""
    a = state.slot_of[request] if a is None else a
    seen = {request}
    todo = [request]
    while todo:
        current = todo.pop()
        if (
            current in state.locked
            or (b if state.slot_of[current] == a else a) not in state.day.allowed[current]
        ):
            return None
        for party in state.day.parties[current]:
            for colour in (a, b):
                other = state.at[party].get(colour)
                if other is not None and other not in seen:
                    seen.add(other)
                    todo.append(other)
    return list(seen)


def _net(state: SlotState, chain: list[int], a: int) -> int:
    """How many more meetings slot b holds after swapping the chain (a its other slot)."""
    to_b = sum(1 for m in chain if state.slot_of[m] == a)
    return 2 * to_b - len(chain)


def _balanced(state: SlotState, chain: list[int], a: int, b: int, rng: random.Random) -> list[list[int]]:
    """The chain alone if the tables of a and b allow it; otherwise the chain with each
    second chain found that makes room in the crowded slot."""
    net = _net(state, chain, a)
    tables = state.day.instance.tables
    if state.load[b] + net <= tables and state.load[a] - net <= tables:
        return [chain]
    crowded = b if net > 0 else a
    in_chain = set(chain)
    pool = [m for m in state.in_slot[crowded] if m not in in_chain]
    found = []
    for other in rng.sample(pool, min(BALANCE_TRIES, len(pool))):
        second = _chain(state, other, a if crowded == b else b, crowded)
        if second is None or in_chain.intersection(second):
            continue
        total = net + _net(state, second, a)
        if state.load[b] + total <= tables and state.load[a] - total <= tables:
            found.append(chain + second)
    return found


class _Scores:
    """Each party's score, kept up to date as chains are swapped and swapped back."""

    def __init__(self, state: SlotState) -> None:
        self.state = state
        self.of = {party: _score(state, party) for party in state.day.meetings_of}
        self.undo: dict[Party, tuple[int, int]] = {}

    def swap(self, chain: list[int], a: int, b: int) -> tuple[int, int]:
        """Swap the chain: (change in cost, change in gaps)."""
        self.state.swap(chain, a, b)
        return self._rescore(chain)

    def swap_back(self, chain: list[int], a: int, b: int) -> None:
        self.state.swap(chain, a, b)
        self.of.update(self.undo)

    def replace(self, out: int, into: int, slot: int) -> tuple[int, int]:
        """Meet `into` at `slot` instead of `out`: (change in cost, change in gaps)."""
        self.state.take(out)
        self.state.put(into, slot)
        return self._rescore([out, into])

    def replace_back(self, out: int, into: int, slot: int) -> None:
        self.state.take(into)
        self.state.put(out, slot)
        self.of.update(self.undo)

    def _rescore(self, requests: list[int]) -> tuple[int, int]:
        self.undo = {}
        cost = gaps = 0
        for request in requests:
            for party in self.state.day.parties[request]:
                if party in self.undo:
                    continue
                self.undo[party] = old = self.of[party]
                self.of[party] = new = _score(self.state, party)
                cost += new[0] - old[0]
                gaps += new[1] - old[1]
        return cost, gaps


def anneal(
    day: Day, assignment: Assignment, deadline: float, seed: int = 0, exchanges: Exchanges | None = None
) -> Assignment:
    """The slots with the fewest idle gaps found by `deadline`; with `exchanges` (and a
    Day that holds their requests), the met requests may change too (exchange.py)."""
    rng = random.Random(seed)  # noqa: S311  (a seeded search, not a secret)
    state = SlotState(day, assignment)
    scores = _Scores(state)
    gaps = sum(g for _, g in scores.of.values())
    best, best_gaps = dict(state.slot_of), gaps
    parties = [p for p, (_, g) in scores.of.items() if g > 0]
    everyone = list(day.meetings_of)
    started, span = time.monotonic(), max(1e-3, deadline - time.monotonic())
    temperature = START_TEMPERATURE
    moves = 0
    while best_gaps > 0:
        moves += 1
        if moves % CHECK_EVERY == 0:
            now = time.monotonic()
            if now >= deadline:
                break
            progress = (now - started) / span
            temperature = START_TEMPERATURE * (END_TEMPERATURE / START_TEMPERATURE) ** progress
            parties = [p for p, (_, g) in scores.of.items() if g > 0] or parties
        if exchanges is not None and rng.random() < EXCHANGE:
            taken = _exchange(scores, exchanges, rng.choice(parties), rng, temperature)
            if taken is not None:
                gaps += taken
                if gaps < best_gaps:
                    best, best_gaps = dict(state.slot_of), gaps
            continue
        if rng.random() < SLIDE:
            move = _slide(state, rng.choice(everyone), rng)
        else:
            move = _aimed_move(state, rng.choice(parties), rng)
        if move is None:
            continue
        request, target = move
        a = state.slot_of[request]
        chain = _chain(state, request, target)
        if chain is None:
            continue
        chain_options = _balanced(state, chain, a, target, rng)
        if not chain_options:
            continue
        if len(chain_options) > 1:
            # Of the ways to make room, the cheapest.
            tried: list[tuple[int, int]] = []
            for option in chain_options:
                tried.append((scores.swap(option, a, target)[0], len(tried)))
                scores.swap_back(option, a, target)
            chain = chain_options[min(tried)[1]]
        else:
            chain = chain_options[0]
        delta, gap_delta = scores.swap(chain, a, target)
        if delta <= 0 or rng.random() < math.exp(-delta / temperature):
            gaps += gap_delta
            if gaps < best_gaps:
                best, best_gaps = dict(state.slot_of), gaps
        else:
            scores.swap_back(chain, a, target)
    return best


def _exchange(
    scores: _Scores, exchanges: Exchanges, party: Party, rng: random.Random, temperature: float
) -> int | None:
    """An exchange of one of the party's meetings, if proposed and taken: the change in gaps."""
    state = scores.state
    if not state.at[party]:
        return None
    out = rng.choice(list(state.at[party].values()))
    move = exchanges.propose(state, out, rng)
    if move is None:
        return None
    into, slot = move
    given_up = state.slot_of[out]
    delta, gap_delta = scores.replace(out, into, slot)
    if delta <= 0 or rng.random() < math.exp(-delta / temperature):
        return gap_delta
    scores.replace_back(out, into, given_up)
    return None


def _slide(state: SlotState, party: Party, rng: random.Random) -> tuple[int, int] | None:
    """The first (or last) meeting of one of the party's runs moved past its other end."""
    busy = state.at[party]
    if not busy:
        return None
    slot = rng.choice(list(busy))
    step = 1 if rng.random() < 0.5 else -1
    first = slot
    while first - step in busy:
        first -= step
    last = slot
    while last + step in busy:
        last += step
    target = last + step
    if first == last or not 0 <= target < len(state.day.instance.slots):
        return None
    return busy[first], target


def _aimed_move(state: SlotState, party: Party, rng: random.Random) -> tuple[int, int] | None:
    """A meeting of `party` at the edge of a run, and a slot next to another of its runs."""
    busy = sorted(state.at[party])
    if len(busy) < 2:
        return None
    runs: list[tuple[int, int]] = []  # (first, last) slot of each run
    start = busy[0]
    for before, slot in itertools.pairwise(busy):
        if slot != before + 1:
            runs.append((start, before))
            start = slot
    if not runs:
        return None
    runs.append((start, busy[-1]))
    first = rng.randrange(len(runs))
    second = rng.randrange(len(runs) - 1)
    moving, staying = runs[first], runs[second + (second >= first)]  # two distinct runs
    slot = moving[0] if rng.random() < 0.5 else moving[1]
    if rng.random() < WANDER:
        target = rng.randrange(len(state.day.instance.slots))
    else:
        target = staying[0] - 1 if rng.random() < 0.5 else staying[1] + 1
    if not 0 <= target < len(state.day.instance.slots) or target in state.at[party]:
        return None
    return state.at[party][slot], target

"""Idle gaps down by Kempe-chain moves, annealed: thousands of moves a second.

A move takes one meeting at slot a to slot b and, to keep everybody in one meeting
per slot, swaps a and b along the whole chain of meetings alternating a and b that
passes through it (on a day where representatives are busy in every slot nothing
smaller is feasible). Chains through a locked meeting, outside someone's presence or
over the tables of a slot are refused. Moves are aimed: a party with an idle gap
moves a meeting at the edge of one run next to another run. A worse move is taken
with the simulated-annealing probability, and the best schedule seen is kept.
"""

from __future__ import annotations

import math
import random
import time

from app.matching.engine.greedy import Assignment
from app.matching.engine.repair import _State
from app.matching.engine.slotting import Day, Party

START_TEMPERATURE = 6.0
END_TEMPERATURE = 0.5
WANDER = 0.1  # share of moves to any slot rather than next to another run
GAP_WEIGHT, IDLE_WEIGHT = 3, 1
CHECK_EVERY = 200  # moves between two looks at the clock


def _gaps(state: _State, party: Party) -> int:
    busy = state.at[party]
    return max(0, sum(1 for s in busy if s - 1 not in busy) - 1)


def _cost(state: _State, party: Party) -> int:
    """Idle gaps, weighted, plus idle slots: a hole that shrinks is progress too."""
    busy = state.at[party]
    if not busy:
        return 0
    runs = sum(1 for s in busy if s - 1 not in busy)
    return GAP_WEIGHT * (runs - 1) + IDLE_WEIGHT * (max(busy) - min(busy) + 1 - len(busy))


def _chain(state: _State, request: int, b: int) -> list[int] | None:
    """Every meeting of the a/b component through `request` (a its slot), if all may swap."""
    a = state.slot_of[request]
    seen = {request}
    todo = [request]
    while todo:
        current = todo.pop()
        if current in state.locked or (b if state.slot_of[current] == a else a) not in state.day.allowed[current]:
            return None
        for party in state.day.parties[current]:
            for colour in (a, b):
                other = state.at[party].get(colour)
                if other is not None and other not in seen:
                    seen.add(other)
                    todo.append(other)
    to_b = sum(1 for m in seen if state.slot_of[m] == a)
    to_a = len(seen) - to_b
    tables = state.day.instance.tables
    if state.load[b] + to_b - to_a > tables or state.load[a] - to_b + to_a > tables:
        return None
    return list(seen)


def anneal(day: Day, assignment: Assignment, deadline: float, seed: int = 0) -> Assignment:
    rng = random.Random(seed)
    state = _State(day, assignment)
    gaps = sum(_gaps(state, p) for p in day.meetings_of)
    best, best_gaps = dict(state.slot_of), gaps
    parties = [p for p in day.meetings_of if _gaps(state, p) > 0]
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
            parties = [p for p in day.meetings_of if _gaps(state, p) > 0] or parties
        move = _aimed_move(state, rng.choice(parties), rng)
        if move is None:
            continue
        request, target = move
        chain = _chain(state, request, target)
        if chain is None:
            continue
        touched = {p for m in chain for p in day.parties[m]}
        before = sum(_gaps(state, p) for p in touched)
        cost_before = sum(_cost(state, p) for p in touched)
        a = state.slot_of[request]
        state.swap(chain, a, target)
        delta = sum(_cost(state, p) for p in touched) - cost_before
        if delta <= 0 or rng.random() < math.exp(-delta / temperature):
            gaps += sum(_gaps(state, p) for p in touched) - before
            if gaps < best_gaps:
                best, best_gaps = dict(state.slot_of), gaps
        else:
            state.swap(chain, a, target)
    return best


def _aimed_move(state: _State, party: Party, rng: random.Random) -> tuple[int, int] | None:
    """A meeting of `party` at the edge of a run, and a slot next to another of its runs."""
    busy = sorted(state.at[party])
    if len(busy) < 2:
        return None
    runs: list[list[int]] = [[busy[0]]]
    for slot in busy[1:]:
        if slot == runs[-1][-1] + 1:
            runs[-1].append(slot)
        else:
            runs.append([slot])
    if len(runs) == 1:
        return None
    moving, staying = rng.sample(runs, 2)
    slot = moving[0] if rng.random() < 0.5 else moving[-1]
    if rng.random() < WANDER:
        target = rng.randrange(len(state.day.instance.slots))
    else:
        target = staying[0] - 1 if rng.random() < 0.5 else staying[-1] + 1
    if not 0 <= target < len(state.day.instance.slots) or target in state.at[party]:
        return None
    return state.at[party][slot], target

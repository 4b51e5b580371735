"""A constructive start for the idle-gap phase: each company's meetings back to back.

Companies are taken most-meetings first (then the least present). For each, every
window of consecutive slots is tried, shortest first, and the company's meetings are
matched to the window's slots (augmenting paths, so a fit is found whenever one
exists) where the representative and a table are free; among windows of the same
length the one where representatives' meetings also touch wins. Locked meetings
stay where they are. A company whose meetings fit no window keeps those that fit
its best partial window; the others are left without a slot for the search to place, as are all those of
the companies not reached by the deadline.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from app.matching.engine.greedy import Assignment
from app.matching.engine.slotting import Day, Party

LONGER = 2  # windows tried up to this many slots longer than the company's meetings


def back_to_back(day: Day, current: Mapping[int, int], deadline: float) -> Assignment:
    slots = len(day.instance.slots)
    placed: Assignment = {}
    busy: set[tuple[Party, int]] = set()
    load = [0] * slots
    locked = {lock.request for lock in day.instance.locked}
    for request in locked & current.keys():
        placed[request] = current[request]
        load[current[request]] += 1
        for party in day.parties[request]:
            busy.add((party, current[request]))
    companies = [p for p in day.meetings_of if p[0] == "c"]
    companies.sort(key=lambda p: (-len(day.meetings_of[p]), len(day.instance.companies[p[1]].present)))
    for company in companies:
        todo = [m for m in day.meetings_of[company] if m not in placed]
        if not todo or time.monotonic() > deadline:
            continue
        fitted = _best_window(day, todo, busy, load, slots)
        for request, slot in fitted.items():
            placed[request] = slot
            load[slot] += 1
            for party in day.parties[request]:
                busy.add((party, slot))
    return placed


def _best_window(
    day: Day, todo: list[int], busy: set[tuple[Party, int]], load: list[int], slots: int
) -> dict[int, int]:
    tables = day.instance.tables

    def usable(request: int, slot: int) -> bool:
        return load[slot] < tables and all((party, slot) not in busy for party in day.parties[request])

    for length in range(len(todo), min(slots, len(todo) + LONGER) + 1):
        best: tuple[int, dict[int, int]] | None = None
        for first in range(0, slots - length + 1):
            window = range(first, first + length)
            options = {m: [s for s in day.allowed[m] if s in window and usable(m, s)] for m in todo}
            fit = _match(options)
            if fit is None:
                continue
            score = sum(
                (day.parties[m][1], near) in busy for m, s in fit.items() for near in (s - 1, s + 1)
            ) - _runs(set(fit.values()))
            if best is None or score > best[0]:
                best = (score, fit)
        if best is not None:
            return best[1]
    options = {m: [s for s in day.allowed[m] if usable(m, s)] for m in todo}
    return _match(options, partial=True) or {}


def _runs(taken: set[int]) -> int:
    return sum(1 for s in taken if s - 1 not in taken)


def _match(options: dict[int, list[int]], *, partial: bool = False) -> dict[int, int] | None:
    """A slot for each meeting, distinct slots, or None (Kuhn's augmenting paths);
    `partial`: as many meetings as can be matched."""
    owner: dict[int, int] = {}

    def augment(request: int, seen: set[int]) -> bool:
        for slot in options[request]:
            if slot in seen:
                continue
            seen.add(slot)
            if slot not in owner or augment(owner[slot], seen):
                owner[slot] = request
                return True
        return False

    for request in sorted(options, key=lambda m: len(options[m])):
        if not augment(request, set()) and not partial:
            return None
    return {request: slot for slot, request in owner.items()}

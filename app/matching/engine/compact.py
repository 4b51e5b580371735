"""The idle-gap phase: the slots of phase 1's meetings move until days are compact.

Bofill et al. (JAIR 74, 2022) split the B2B day the same way: once the meetings are
chosen, giving each a slot so that nobody's day has holes is a problem of its own.

1. a start that lays each company's meetings back to back (construct.py), completed
   by alternating paths (repair.py), kept if it has fewer gaps than phase 1's slots;
2. on small days, the whole slotting model in CP-SAT (slotting.py), for a lower bound
   on the gaps and often the best slots outright;
3. simulated annealing over Kempe-chain moves (kempe.py) for the rest of the time;
   on small days it restarts from the best every second, with another seed, and
   (in the solver) may exchange met requests for unmet ones of the same weight
   (exchange.py), since there phase 1's set of meetings is often what leaves a gap.

Large-neighbourhood search with CP-SAT (a party with gaps and the people it meets, or
a window of slots, re-slotted with every other meeting held) was tried in place of 3:
on the planted and 2,400-request days CP-SAT could not settle even 50 freed meetings
within half a second, where annealing makes thousands of moves.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from app.matching.engine.construct import back_to_back
from app.matching.engine.exchange import Exchanges
from app.matching.engine.greedy import Assignment
from app.matching.engine.instance import MatchInstance
from app.matching.engine.kempe import anneal
from app.matching.engine.repair import complete
from app.matching.engine.slotting import Day, reslot

START_SHARE = 0.05  # of the phase, at most, to complete the back-to-back start
BOUND_SHARE = 0.15  # of the rest, for the whole slotting model (the bound)
FULL_MODEL_MEETINGS = 150  # above this, the whole model is not built: it seldom proves more than 0
RESTART_SECONDS = 1.0  # on days up to FULL_MODEL_MEETINGS, the annealing restarts this often


@dataclass
class Compact:
    assignment: Assignment
    gaps: int
    bound: int  # lower bound on the idle gaps of this meeting set


def compact(
    instance: MatchInstance, assignment: Assignment, deadline: float, seed: int = 0, *, exchange: bool = False
) -> Compact:
    """Fewer idle gaps, the same meetings: every meeting of `assignment` keeps a slot.

    With `exchange`, on days up to FULL_MODEL_MEETINGS met requests may also give way
    to unmet ones of the same weight (exchange.py); the weighted objective holds."""
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
    if day.gaps(best) > bound and len(best) > FULL_MODEL_MEETINGS:
        best = anneal(day, best, deadline, seed)
    while day.gaps(best) > bound and time.monotonic() < deadline:
        # A small day settles in a local minimum within a second: anneal again from
        # the best, hot and with another seed, rather than wait there.
        seed += 1
        ends = min(deadline, time.monotonic() + RESTART_SECONDS)
        if exchange:
            exchanges = Exchanges(instance)
            best = anneal(Day.of(instance, exchanges.requests | set(best)), best, ends, seed, exchanges)
            day = Day.of(instance, best)
        else:
            best = anneal(day, best, ends, seed)
    if best.keys() != assignment.keys():
        bound = 0  # the bound was proven for phase 1's set of meetings, not this one
    gaps = day.gaps(best)
    return Compact(best, gaps, min(bound, gaps))


def _share(deadline: float, share: float) -> float:
    """The moment when `share` of the time left until `deadline` has passed."""
    now = time.monotonic()
    return now + max(0.0, deadline - now) * share

"""The two objectives of the contract, computed from a schedule rather than trusted."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from app.matching.engine.instance import MatchInstance


def idle_gaps(slots: Sequence[str], meetings: Iterable[Mapping[str, object]]) -> int:
    """Runs of consecutive busy slots minus one, summed over companies and representatives."""
    order = {label: i for i, label in enumerate(slots)}
    busy: dict[str, set[int]] = defaultdict(set)
    for meeting in meetings:
        slot = meeting.get("slot")
        if isinstance(slot, str) and slot in order:
            busy[f"c:{meeting.get('company')}"].add(order[slot])
            busy[f"r:{meeting.get('representative')}"].add(order[slot])
    return sum(_runs(taken) - 1 for taken in busy.values())


def _runs(taken: set[int]) -> int:
    return sum(1 for i in taken if i - 1 not in taken)


def assignment_gaps(instance: MatchInstance, assignment: Mapping[int, int]) -> int:
    """idle_gaps for an assignment {request index: slot index}."""
    busy: dict[tuple[str, int], set[int]] = defaultdict(set)
    for request, slot in assignment.items():
        q = instance.requests[request]
        busy[("c", q.company)].add(slot)
        busy[("r", q.representative)].add(slot)
    return sum(_runs(taken) - 1 for taken in busy.values())


def objective(instance: MatchInstance, met: Iterable[int]) -> int:
    """Sum of the weights of the met requests plus the fairness bonus per company met."""
    met = list(met)
    weights = sum(instance.requests[r].weight for r in met)
    companies = {instance.requests[r].company for r in met}
    return weights + instance.fairness_bonus * len(companies)

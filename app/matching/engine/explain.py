"""Plain-language explanations: why locked meetings cannot all hold, and why a
request was left out of a schedule."""

from __future__ import annotations

from collections import defaultdict

from app.matching.engine.greedy import Assignment, occupancy_of
from app.matching.engine.instance import MatchInstance


def _describe(instance: MatchInstance, position: int) -> str:
    lock = instance.locked[position]
    q = instance.requests[lock.request]
    return (
        f"locked[{position}] ({instance.companies[q.company].id} with "
        f"{instance.representatives[q.representative].id} at {instance.slots[lock.slot]})"
    )


def locked_conflicts(instance: MatchInstance) -> list[str]:
    """Every way in which the locked meetings break a hard rule on their own."""
    reasons: list[str] = []
    by_company_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_rep_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_slot: dict[int, list[int]] = defaultdict(list)
    by_request: dict[int, list[int]] = defaultdict(list)
    by_company: dict[int, list[int]] = defaultdict(list)
    by_rep: dict[int, list[int]] = defaultdict(list)
    for position, lock in enumerate(instance.locked):
        q = instance.requests[lock.request]
        company = instance.companies[q.company]
        rep = instance.representatives[q.representative]
        slot = instance.slots[lock.slot]
        if lock.slot not in company.present:
            reasons.append(f"locked[{position}] puts company {company.id} in slot {slot}, when it is absent")
        if lock.slot not in rep.present:
            reasons.append(
                f"locked[{position}] puts representative {rep.id} in slot {slot}, when it is absent"
            )
        by_company_slot[(q.company, lock.slot)].append(position)
        by_rep_slot[(q.representative, lock.slot)].append(position)
        by_slot[lock.slot].append(position)
        by_request[lock.request].append(position)
        by_company[q.company].append(position)
        by_rep[q.representative].append(position)
    for (company_index, slot_index), positions in by_company_slot.items():
        if len(positions) > 1:
            reasons.append(
                f"{_names(positions)} put company {instance.companies[company_index].id} "
                f"in slot {instance.slots[slot_index]}"
            )
    for (rep_index, slot_index), positions in by_rep_slot.items():
        if len(positions) > 1:
            reasons.append(
                f"{_names(positions)} put representative {instance.representatives[rep_index].id} "
                f"in slot {instance.slots[slot_index]}"
            )
    for slot_index, positions in by_slot.items():
        if len(positions) > instance.tables:
            reasons.append(
                f"{_names(positions)} need a table in slot {instance.slots[slot_index]}, "
                f"but there are only {instance.tables} tables"
            )
    for positions in by_request.values():
        if len(positions) > 1:
            reasons.append(f"{_names(positions)} lock the same request at different slots")
    for kind, parties, groups in (
        ("company", instance.companies, by_company),
        ("representative", instance.representatives, by_rep),
    ):
        for party, positions in groups.items():
            cap = parties[party].max_meetings
            if cap is not None and len(positions) > cap:
                reasons.append(
                    f"{_names(positions)} give {kind} {parties[party].id} "
                    f"{len(positions)} meetings, above its max_meetings {cap}"
                )
    return reasons


def _names(positions: list[int]) -> str:
    """'locked[0] and locked[3] both', or 'locked[0], locked[2] and locked[5] all'."""
    labels = [f"locked[{p}]" for p in positions]
    quantifier = "both" if len(labels) == 2 else "all"
    return f"{', '.join(labels[:-1])} and {labels[-1]} {quantifier}"


def unscheduled_reasons(instance: MatchInstance, assignment: Assignment) -> dict[int, str]:
    """For every request not in the assignment, what stands in its way now."""
    occupancy = occupancy_of(instance, assignment)
    reasons: dict[int, str] = {}
    for index, q in enumerate(instance.requests):
        if index in assignment:
            continue
        common = instance.common_slots(q)
        rep = instance.representatives[q.representative]
        company = instance.companies[q.company]
        if not common:
            reasons[index] = "never present at the same time: no common slot"
        elif occupancy.rep_full(q.representative) or all(
            (q.representative, s) in occupancy.rep_busy for s in rep.present
        ):
            reasons[index] = "representative fully booked"
        elif occupancy.company_full(q.company):
            reasons[index] = "company reached its meeting limit"
        elif all((q.company, s) in occupancy.company_busy for s in company.present):
            reasons[index] = "company fully booked"
        elif not any(occupancy.both_free(index, s) for s in common):
            reasons[index] = "no common free slot"
        elif not any(occupancy.both_free(index, s) and occupancy.table_free(s) for s in common):
            reasons[index] = "no table free when both are present"
        else:
            reasons[index] = "left out for a better overall schedule"
    return reasons

"""Check a `roadshow.schedule/1` against its instance, hard rule by hard rule (contract, section 4).

Independent of the solver: it reads the instance as `load_instance` validates it and the
schedule as JSON, then recomputes the objective and the idle gaps as the contract defines
them. `check_schedule` returns the broken rules (none when the schedule holds) and the
objective; the tests run it on every schedule, and the contract's own check.py beside it
when that is at hand.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from app.matching.engine.instance import MatchInstance, load_instance

SCHEDULE_FORMAT = "roadshow.schedule/1"


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


class _Tally:
    """What the meetings add up to, gathered in one pass."""

    def __init__(self) -> None:
        self.met: Counter[tuple[int, int]] = Counter()
        self.busy: Counter[tuple[str, int, int]] = Counter()
        self.load: Counter[tuple[str, int]] = Counter()
        self.at_table: Counter[tuple[int, int]] = Counter()
        self.tables_of: defaultdict[int, set[int]] = defaultdict(set)
        self.placed: set[tuple[int, int, int]] = set()
        self.timetable: list[tuple[int, int, int]] = []


def _tally(instance: MatchInstance, meetings: list[Any], problems: list[str]) -> _Tally:
    slot_of = {label: i for i, label in enumerate(instance.slots)}
    company_of = {party.id: i for i, party in enumerate(instance.companies)}
    representative_of = {party.id: i for i, party in enumerate(instance.representatives)}
    requested = {(request.company, request.representative) for request in instance.requests}
    tally = _Tally()
    for i, meeting in enumerate(meetings):
        if not isinstance(meeting, dict):
            problems.append(f"meetings[{i}]: expected an object")
            continue
        company, representative = _text(meeting.get("company")), _text(meeting.get("representative"))
        label, table = _text(meeting.get("slot")), meeting.get("table")
        where = f"meetings[{i}] ({company}, {representative}, {label}, table {table})"
        c, r = company_of.get(company or ""), representative_of.get(representative or "")
        if c is None or r is None or (c, r) not in requested:
            problems.append(f"rule 1: {where} is not a request")
            continue
        tally.met[(c, r)] += 1
        s = slot_of.get(label or "")
        if s is None:
            problems.append(f"{where}: unknown slot")
            continue
        tally.timetable.append((c, r, s))
        if s not in instance.companies[c].present:
            problems.append(f"rule 2: {where}: the company is not present in that slot")
        if s not in instance.representatives[r].present:
            problems.append(f"rule 2: {where}: the representative is not present in that slot")
        tally.busy[("company", c, s)] += 1
        tally.busy[("representative", r, s)] += 1
        tally.load[("company", c)] += 1
        tally.load[("representative", r)] += 1
        tally.placed.add((c, r, s))
        if not isinstance(table, int) or isinstance(table, bool) or not 1 <= table <= instance.tables:
            problems.append(f"rule 5: {where}: table outside 1..{instance.tables}")
            continue
        tally.at_table[(s, table)] += 1
        tally.tables_of[r].add(table)
    return tally


def _rules(instance: MatchInstance, tally: _Tally, problems: list[str]) -> None:
    parties = {"company": instance.companies, "representative": instance.representatives}
    for (c, r), times in tally.met.items():
        if times > 1:
            pair = (instance.companies[c].id, instance.representatives[r].id)
            problems.append(f"rule 1: request {pair} met {times} times")
    for (side, who, s), count in tally.busy.items():
        if count > 1:
            name = parties[side][who].id
            problems.append(f"rule 3: {side} {name} has {count} meetings at {instance.slots[s]}")
    for (side, who), count in tally.load.items():
        party = parties[side][who]
        if party.max_meetings is not None and count > party.max_meetings:
            problems.append(f"rule 4: {side} {party.id} has {count} meetings, at most {party.max_meetings}")
    for (s, table), count in tally.at_table.items():
        if count > 1:
            problems.append(f"rule 5: table {table} holds {count} meetings at {instance.slots[s]}")
    busy_representatives = {r for _c, r, _s in tally.timetable}
    if instance.tables >= len(busy_representatives):
        for r, tables in tally.tables_of.items():
            if len(tables) > 1:
                name = instance.representatives[r].id
                problems.append(f"rule 6: representative {name} moves between tables {sorted(tables)}")
    for i, locked in enumerate(instance.locked):
        request = instance.requests[locked.request]
        if (request.company, request.representative, locked.slot) not in tally.placed:
            problems.append(f"rule 7: locked[{i}] is not in the schedule at {instance.slots[locked.slot]}")


def _idle_gaps(timetable: list[tuple[int, int, int]]) -> int:
    """Per participant, the runs of consecutive busy slots minus one; summed."""
    busy: defaultdict[tuple[str, int], set[int]] = defaultdict(set)
    for c, r, s in timetable:
        busy[("company", c)].add(s)
        busy[("representative", r)].add(s)
    return sum(sum(1 for s in slots if s - 1 not in slots) - 1 for slots in busy.values())


def _objective(instance: MatchInstance, tally: _Tally) -> int:
    weight = {(request.company, request.representative): request.weight for request in instance.requests}
    met_companies = {c for c, _r in tally.met}
    return sum(weight[pair] for pair in tally.met) + instance.fairness_bonus * len(met_companies)


def _claims(instance: MatchInstance, schedule: dict[str, Any], tally: _Tally, objective: int) -> list[str]:
    problems = []
    if schedule.get("format") != SCHEDULE_FORMAT:
        problems.append(f"format: expected {SCHEDULE_FORMAT!r}")
    if schedule.get("objective") != objective:
        problems.append(f"objective: the schedule says {schedule.get('objective')}, recomputed {objective}")
    bound = schedule.get("upper_bound")
    if bound is not None and (not isinstance(bound, int | float) or bound < objective):
        problems.append(f"upper_bound {bound} is below the objective {objective}")
    gaps = _idle_gaps(tally.timetable)
    if schedule.get("idle_gaps") != gaps:
        problems.append(f"idle_gaps: the schedule says {schedule.get('idle_gaps')}, recomputed {gaps}")
    listed: set[tuple[str | None, str | None]] = set()
    unscheduled = schedule.get("unscheduled", [])
    for i, entry in enumerate(unscheduled if isinstance(unscheduled, list) else []):
        if not isinstance(entry, dict):
            problems.append(f"unscheduled[{i}]: expected an object")
            continue
        listed.add((_text(entry.get("company")), _text(entry.get("representative"))))
        if not _text(entry.get("reason")):
            problems.append(f"unscheduled[{i}]: no reason given")
    for request in instance.requests:
        pair = (instance.companies[request.company].id, instance.representatives[request.representative].id)
        if (request.company, request.representative) not in tally.met and pair not in listed:
            problems.append(f"unscheduled: request {pair} is neither met nor listed")
    return problems


def check_schedule(data: object, schedule: object) -> tuple[list[str], int]:
    """The broken rules of `schedule` for the instance `data` (empty when valid), and its objective.

    Raises InvalidInstance when `data` itself is not a valid instance.
    """
    instance = load_instance(data)
    if not isinstance(schedule, dict) or not isinstance(schedule.get("meetings"), list):
        return ["schedule: expected an object with a list 'meetings'"], 0
    problems: list[str] = []
    tally = _tally(instance, schedule["meetings"], problems)
    _rules(instance, tally, problems)
    objective = _objective(instance, tally)
    return problems + _claims(instance, schedule, tally, objective), objective

"""Writing a scheduler run's answer, in one short transaction that first re-checks what may have
changed while the engine worked with no transaction open: a request withdrawn, a meeting locked
or moved by hand, a representative's availability. Meetings that no longer hold are left out,
and the run says how many and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from app.errors import Conflict
from app.i18n import lazy
from app.matching import data as stop_data
from app.matching.engine.scoring import idle_gaps
from app.matching.models import Meeting, ScheduleRun
from app.stops.models import PublicationStatus, Stop

if TYPE_CHECKING:
    from app.matching.scheduling import Prepared

WITHDRAWN, LOCKED, AVAILABILITY = "withdrawn", "locked", "availability"
# How the page names each kind of meeting left out; %(count)d is how many.
DROPPED = {
    WITHDRAWN: lazy("%(count)d meetings dropped: request withdrawn meanwhile."),
    LOCKED: lazy("%(count)d meetings dropped: their slot was taken by a meeting locked or moved meanwhile."),
    AVAILABILITY: lazy("%(count)d meetings dropped: the representative's availability changed meanwhile."),
}
# The reason shown beside a request the run had placed but could not keep.
CHANGED_MEANWHILE = lazy("changed while the scheduler ran: run it again to place it")


@dataclass
class Stored:
    run: ScheduleRun
    dropped: dict[str, int] = field(default_factory=dict)


def store(
    prepared: Prepared, schedule: dict[str, Any], *, user_id: int | None, db_session: Session
) -> Stored:
    """Replace the draft with the engine's meetings that still hold, keeping locked ones."""
    stop = db_session.get(Stop, prepared.stop_id, with_for_update=True)
    if stop is None:
        raise Conflict(lazy("The stop no longer exists."))
    current_block = (stop.b2b_first_slot, stop.b2b_slot_minutes, stop.b2b_slot_count, stop.b2b_tables)
    was_published = stop.schedule_status == PublicationStatus.PUBLISHED
    if current_block != prepared.block or was_published != prepared.was_published:
        raise Conflict(
            lazy("The B2B block or the publication changed while the scheduler ran: run it again.")
        )
    built = prepared.built
    labels: list[str] = built.data["slots"]
    info = stop_data.load(stop, db_session=db_session)
    schedulable = {q.id for q in info.requests if info.schedulable(q)}
    kept = {
        request_id: meeting
        for request_id, meeting in info.meetings.items()
        if request_id in schedulable and (meeting.locked or was_published)
    }
    for request_id, meeting in info.meetings.items():
        if request_id not in kept:
            db_session.delete(meeting)
    db_session.flush()

    busy: set[tuple[str, int]] = set()  # (party, slot) for companies and invitations
    tables: set[tuple[int, int]] = set()  # (slot, table)
    booked: Counter[int] = Counter()  # meetings per invitation
    for request_id, meeting in kept.items():
        q = info.request(request_id)
        assert q is not None
        if was_published and not meeting.locked:  # a re-run keeps what was published, locked
            meeting.locked = True
            db_session.add(meeting)
        busy |= {(f"r{q.registration_id}", meeting.slot_index), (f"i{q.invitation_id}", meeting.slot_index)}
        tables.add((meeting.slot_index, meeting.table_number))
        booked[q.invitation_id] += 1

    renumber = _table_renumbering(schedule["meetings"], prepared, kept, stop.b2b_tables)
    dropped: Counter[str] = Counter()
    unscheduled = [
        {"request_id": built.requests[(u["company"], u["representative"])].id, "reason": u["reason"]}
        for u in schedule["unscheduled"]
    ]
    written: list[dict[str, Any]] = []
    for item in schedule["meetings"]:
        request_id = built.requests[(item["company"], item["representative"])].id or 0
        slot = labels.index(item["slot"])
        if request_id not in schedulable:
            dropped[WITHDRAWN] += 1
            continue
        if request_id in kept:
            written.append({**item, "slot": labels[kept[request_id].slot_index]})
            continue
        q = info.request(request_id)
        assert q is not None
        invitation = info.invitations[q.invitation_id]
        available = invitation.available_slots
        if (available is not None and slot not in available) or (
            invitation.max_meetings is not None and booked[q.invitation_id] >= invitation.max_meetings
        ):
            dropped[AVAILABILITY] += 1
            unscheduled.append({"request_id": request_id, "reason": CHANGED_MEANWHILE})
            continue
        parties = {(f"r{q.registration_id}", slot), (f"i{q.invitation_id}", slot)}
        table = renumber[item["table"]]
        if (slot, table) in tables:
            table = next((t for t in range(1, stop.b2b_tables + 1) if (slot, t) not in tables), 0)
        if parties & busy or not table:
            dropped[LOCKED] += 1
            unscheduled.append({"request_id": request_id, "reason": CHANGED_MEANWHILE})
            continue
        busy |= parties
        tables.add((slot, table))
        booked[q.invitation_id] += 1
        db_session.add(
            Meeting(stop_id=stop.id or 0, request_id=request_id, slot_index=slot, table_number=table)
        )
        written.append(item)
    written_pairs = {(m["company"], m["representative"]) for m in written}
    for request_id, meeting in kept.items():  # locked by hand meanwhile, left where it was
        q = info.request(request_id)
        assert q is not None
        pair = (f"r{q.registration_id}", f"i{q.invitation_id}")
        if pair not in written_pairs:
            written.append(
                {"company": pair[0], "representative": pair[1], "slot": labels[meeting.slot_index]}
            )
    unscheduled = [u for u in unscheduled if u["request_id"] in schedulable]
    summary = ScheduleRun(
        stop_id=stop.id or 0,
        objective=schedule["objective"] if not dropped else _value(built.data, written),
        upper_bound=schedule["upper_bound"],
        optimal=schedule["optimal"] and not dropped,
        idle_gaps=schedule["idle_gaps"] if not dropped else idle_gaps(labels, written),
        seconds=schedule["seconds"],
        meeting_count=len(written),
        unscheduled=unscheduled,
        created_by_user_id=user_id,
    )
    stop.schedule_status = PublicationStatus.DRAFT
    db_session.add(summary)
    db_session.add(stop)
    db_session.flush()
    return Stored(summary, dict(dropped))


def _value(data: dict[str, Any], meetings: list[dict[str, Any]]) -> int:
    weights = {(r["company"], r["representative"]): r["weight"] for r in data["requests"]}
    met = {(m["company"], m["representative"]) for m in meetings}
    bonus = int(data["fairness_bonus"])
    return sum(int(weights.get(pair, 0)) for pair in met) + bonus * len({c for c, _ in met})


def _table_renumbering(
    meetings: list[dict[str, Any]], prepared: Prepared, kept: dict[int, Meeting], tables: int
) -> dict[int, int]:
    """Swap table numbers so that meetings kept in place also keep their table when they can.

    Any permutation of the table numbers keeps every rule, so this costs nothing."""
    mapping: dict[int, int] = {}
    for item in meetings:
        q = prepared.built.requests[(item["company"], item["representative"])]
        old = kept.get(q.id or 0)
        if old is None or item["table"] in mapping or old.table_number in mapping.values():
            continue
        if old.table_number <= tables:
            mapping[item["table"]] = old.table_number
    free = iter(t for t in range(1, tables + 1) if t not in mapping.values())
    for table in range(1, tables + 1):
        if table not in mapping:
            mapping[table] = next(free)
    return mapping

"""The organiser's side of the schedule: the B2B block, running the engine, storing its result.

The engine (``app.matching.engine.solver``) knows nothing of the database: this module turns a stop
into a ``roadshow.match/1`` instance and the ``roadshow.schedule/1`` answer back into meetings.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, select

from app import clock
from app.errors import Conflict
from app.forms import Problems
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching import data as stop_data
from app.matching.data import StopData
from app.matching.engine.instance import FORMAT, load_instance
from app.matching.engine.scoring import idle_gaps
from app.matching.engine.solver import OUTPUT_FORMAT, Infeasible, Progress, solve
from app.matching.models import Meeting, MeetingRequest, ScheduleRun
from app.matching.storing import store
from app.stops.models import PublicationStatus, Stop
from app.stops.slots import slot_labels

FAIRNESS_BONUS = 3
MIN_SLOT_MINUTES, MAX_SLOT_MINUTES = 5, 120
MAX_SLOTS = 48
MAX_TABLES = 200

# The engine's reasons for leaving a request out, as msgids so that pages translate them.
REASONS = (
    lazy("never present at the same time: no common slot"),
    lazy("representative fully booked"),
    lazy("company reached its meeting limit"),
    lazy("company fully booked"),
    lazy("no common free slot"),
    lazy("no table free when both are present"),
    lazy("left out for a better overall schedule"),
)
NOT_RUN_YET = lazy("accepted after the last run of the scheduler")


def company_key(registration_id: int) -> str:
    return f"r{registration_id}"


def representative_key(invitation_id: int) -> str:
    return f"i{invitation_id}"


def set_block(
    stop: Stop, *, first_slot: str, slot_minutes: str, slot_count: str, tables: str, db_session: Session
) -> None:
    """Set the B2B block from the organiser's form, checking each field."""
    if stop.schedule_status == PublicationStatus.PUBLISHED:
        raise Conflict(lazy("The schedule is published: its block of slots can no longer change."))
    errors = Problems()
    start = _parse_time(first_slot)
    if start is None:
        errors["first_slot"] = _("Enter the first slot's time as HH:MM.")
    minutes = _parse_int(slot_minutes, MIN_SLOT_MINUTES, MAX_SLOT_MINUTES)
    if minutes is None:
        errors["slot_minutes"] = _("Enter a slot length from %(min)d to %(max)d minutes.") % {
            "min": MIN_SLOT_MINUTES,
            "max": MAX_SLOT_MINUTES,
        }
    count = _parse_int(slot_count, 1, MAX_SLOTS)
    if count is None:
        errors["slot_count"] = _("Enter a number of slots from 1 to %d.") % MAX_SLOTS
    table_count = _parse_int(tables, 1, MAX_TABLES)
    if table_count is None:
        errors["tables"] = _("Enter a number of tables from 1 to %d.") % MAX_TABLES
    if start is not None and start < stop.start_time:
        errors["first_slot"] = _(
            "The stop opens at %s: start the meetings then or later."
        ) % stop.start_time.strftime("%H:%M")
    elif start is not None and minutes is not None and count is not None:
        end = datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes * count)
        closes = datetime.combine(date(2000, 1, 1), stop.end_time)
        if end > closes:
            errors["slot_count"] = _("These slots end at %(end)s, after the stop closes at %(close)s.") % {
                "end": end.strftime("%H:%M") if end.date() == closes.date() else "24:00+",
                "close": stop.end_time.strftime("%H:%M"),
            }
    errors.check()
    assert start is not None and minutes is not None and count is not None and table_count is not None
    stop.b2b_first_slot, stop.b2b_slot_minutes = start, minutes
    stop.b2b_slot_count, stop.b2b_tables = count, table_count
    stop.updated_at = clock.now()  # every meeting's time may have moved: calendar feeds re-send them
    db_session.add(stop)
    # Meetings that no longer fit the block leave the draft schedule.
    for meeting in db_session.exec(select(Meeting).where(Meeting.stop_id == stop.id)):
        if meeting.slot_index >= count or meeting.table_number > table_count:
            db_session.delete(meeting)
    db_session.flush()


def _parse_time(value: str) -> time | None:
    if not re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        return None
    hours, minutes = (int(part) for part in value.strip().split(":"))
    return time(hours, minutes) if hours < 24 and minutes < 60 else None


def _parse_int(value: str, low: int, high: int) -> int | None:
    try:
        number = int(value.strip())
    except ValueError:
        return None
    return number if low <= number <= high else None


def block_is_set(stop: Stop) -> bool:
    return stop.b2b_first_slot is not None and stop.b2b_slot_count > 0 and stop.b2b_tables > 0


@dataclass
class StopInstance:
    """A ``roadshow.match/1`` instance and the rows behind its ids."""

    data: dict[str, Any]
    requests: dict[tuple[str, str], MeetingRequest] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def build_instance(info: StopData, *, lock_all: bool = False) -> StopInstance:
    """The stop as the engine sees it. ``lock_all`` keeps every stored meeting in place
    (a published schedule re-run after late changes); otherwise only locked ones stay."""
    stop = info.stop
    labels = slot_labels(stop)
    result = StopInstance(data={})
    request_rows = [q for q in info.requests if info.schedulable(q)]
    registration_ids = sorted({q.registration_id for q in request_rows})
    companies = [{"id": company_key(r)} for r in registration_ids]
    representatives = []
    for invitation in info.confirmed_invitations():
        key = representative_key(invitation.id or 0)
        rep: dict[str, Any] = {"id": key, "country": invitation.country_code}
        if invitation.available_slots is not None:
            rep["slots"] = [
                labels[i] for i in sorted(set(invitation.available_slots)) if 0 <= i < len(labels)
            ]
        if invitation.max_meetings is not None:
            rep["max_meetings"] = invitation.max_meetings
        representatives.append(rep)
        result.names[key] = info.representative_of(invitation).name
    for registration_id in registration_ids:
        result.names[company_key(registration_id)] = info.companies[
            info.registrations[registration_id].company_id
        ].name
    requests, locked = [], []
    for q in request_rows:
        pair = (company_key(q.registration_id), representative_key(q.invitation_id))
        result.requests[pair] = q
        requests.append({"company": pair[0], "representative": pair[1], "weight": info.weight(q)})
        meeting = info.meetings.get(q.id or 0)
        if meeting is not None and (meeting.locked or lock_all) and meeting.slot_index < len(labels):
            locked.append({"company": pair[0], "representative": pair[1], "slot": labels[meeting.slot_index]})
    result.data = {
        "format": FORMAT,
        "stop": stop.slug,
        "slots": labels,
        "tables": max(stop.b2b_tables, 1),
        "fairness_bonus": FAIRNESS_BONUS,
        "companies": companies,
        "representatives": representatives,
        "requests": requests,
        "locked": locked,
    }
    return result


@dataclass
class Prepared:
    """What a run read before solving: the instance, and what must not change meanwhile."""

    stop_id: int
    built: StopInstance
    was_published: bool
    block: tuple[Any, ...]


def prepare(stop: Stop, *, db_session: Session) -> Prepared:
    """Read the stop and build its instance (a short read, before any solving)."""
    if not block_is_set(stop):
        raise Conflict(
            lazy("Set the B2B block (first slot, slot length, slots and tables) before scheduling.")
        )
    info = stop_data.load(stop, db_session=db_session)
    was_published = stop.schedule_status == PublicationStatus.PUBLISHED
    built = build_instance(info, lock_all=was_published)
    if not built.data["requests"]:
        raise Conflict(lazy("There are no accepted requests to schedule yet."))
    return Prepared(stop.id or 0, built, was_published, _block(stop))


def _block(stop: Stop) -> tuple[Any, ...]:
    return (stop.b2b_first_slot, stop.b2b_slot_minutes, stop.b2b_slot_count, stop.b2b_tables)


def solve_prepared(
    prepared: Prepared, *, time_limit: float, progress: Progress | None = None
) -> dict[str, Any]:
    """Solve with no session open; the engine's answer in ``roadshow.schedule/1``."""
    built = prepared.built
    try:
        return solve(load_instance(built.data), time_limit=time_limit, progress=progress)
    except Infeasible as infeasible:
        reasons = "; ".join(_with_names(reason, built.names) for reason in infeasible.reasons)
        raise Conflict(
            lazy("The locked meetings cannot all hold: %(reasons)s"), reasons=reasons
        ) from infeasible


def run(stop: Stop, *, time_limit: float, user_id: int | None, db_session: Session) -> ScheduleRun:
    """Solve the stop's instance and store its meetings in one go (the command line, tests)."""
    prepared = prepare(stop, db_session=db_session)
    schedule = solve_prepared(prepared, time_limit=time_limit)
    return store(prepared, schedule, user_id=user_id, db_session=db_session).run


def _with_names(reason: str, names: dict[str, str]) -> str:
    return re.sub(r"\b[ri]\d+\b", lambda found: names.get(found.group(0), found.group(0)), reason)


def stored_objective(info: StopData) -> int:
    """What the stored meetings score, as the engine counts it: the weights of the schedulable
    requests that have a meeting, plus the fairness bonus for each company with one. A page
    that shows only this number asks here rather than building the whole instance."""
    met = [q for q in info.requests if (q.id or 0) in info.meetings and info.schedulable(q)]
    return sum(info.weight(q) for q in met) + FAIRNESS_BONUS * len({q.registration_id for q in met})


def export(
    stop: Stop, *, db_session: Session, info: StopData | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The stop's instance (stored locks included) and its stored schedule, in the contract's
    formats: what ``check.py`` judges, and what ``roadshow match`` can be given.

    A caller that has loaded the stop's data already passes it as ``info``.
    """
    if info is None:
        info = stop_data.load(stop, db_session=db_session)
    built = build_instance(info)
    labels = built.data["slots"]
    by_request = {q.id: pair for pair, q in built.requests.items()}
    meetings = [
        {
            "company": by_request[m.request_id][0],
            "representative": by_request[m.request_id][1],
            "slot": labels[m.slot_index],
            "table": m.table_number,
        }
        for m in sorted(info.meetings.values(), key=lambda m: (m.slot_index, m.table_number))
        if m.request_id in by_request
    ]
    met = {(m["company"], m["representative"]) for m in meetings}
    value = stored_objective(info)
    reasons = {u["request_id"]: u["reason"] for u in (info.latest_run.unscheduled if info.latest_run else [])}
    bound = info.latest_run.upper_bound if info.latest_run else None
    schedule = {
        "format": OUTPUT_FORMAT,
        "meetings": meetings,
        "unscheduled": [
            {"company": pair[0], "representative": pair[1], "reason": reasons.get(q.id, NOT_RUN_YET)}
            for pair, q in built.requests.items()
            if pair not in met
        ],
        "objective": value,
        "upper_bound": bound if bound is not None and bound >= value else None,
        "optimal": bound is not None and value >= bound,
        "idle_gaps": idle_gaps(labels, meetings),
        "seconds": info.latest_run.seconds if info.latest_run else 0.0,
    }
    return built.data, schedule

"""Keeping the stored schedule within the rules after a meeting leaves it.

Removing a meeting can leave as many tables as representatives with meetings; the rule
"each representative keeps a single table all day" then applies again, so a representative
who had to change tables is given one table for the whole day.
"""

from collections import Counter, defaultdict

from sqlmodel import Session, select

from app import clock
from app.matching.models import Meeting, MeetingRequest
from app.stops.models import PublicationStatus, Stop

# Meetings are first parked at table + OFFSET so that the unique (slot, table) pairs never
# clash half-way through a reshuffle.
OFFSET = 10_000


def mark_changed(stop: Stop, *, db_session: Session) -> None:
    """A changed schedule must be published again before participants see it."""
    if stop.schedule_status == PublicationStatus.PUBLISHED:
        stop.schedule_status = PublicationStatus.DRAFT
        db_session.add(stop)
        db_session.flush()


def after_meeting_removed(stop: Stop, *, db_session: Session) -> None:
    mark_changed(stop, db_session=db_session)
    rows = list(
        db_session.exec(
            select(Meeting, MeetingRequest.invitation_id)
            .join(MeetingRequest, MeetingRequest.id == Meeting.request_id)  # type: ignore[arg-type]
            .where(Meeting.stop_id == stop.id)
        )
    )
    tables_of: dict[int, Counter[int]] = defaultdict(Counter)
    for meeting, invitation_id in rows:
        tables_of[invitation_id][meeting.table_number] += 1
    if len(tables_of) > stop.b2b_tables or all(len(used) == 1 for used in tables_of.values()):
        return
    home: dict[int, int] = {}
    # Representatives with the most meetings keep their usual table first.
    for invitation_id, used in sorted(tables_of.items(), key=lambda item: -sum(item[1].values())):
        taken = set(home.values())
        favourite = next((table for table, _ in used.most_common() if table not in taken), None)
        home[invitation_id] = favourite or min(t for t in range(1, stop.b2b_tables + 1) if t not in taken)
    for meeting, _invitation_id in rows:
        meeting.table_number += OFFSET
        db_session.add(meeting)
    db_session.flush()
    moved_at = clock.now()
    for meeting, invitation_id in rows:
        if meeting.table_number - OFFSET != home[invitation_id]:
            meeting.updated_at = moved_at
        meeting.table_number = home[invitation_id]
        db_session.add(meeting)
    db_session.flush()

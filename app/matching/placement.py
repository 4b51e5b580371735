"""Organisers' changes by hand: move a meeting, place an accepted request, lock, take out.

Each change is checked against the contract's hard rules on the stored schedule, and a
refusal names the rule it would break, so that the organiser knows what to change.
"""

from sqlmodel import Session

from app import clock
from app.errors import Conflict, InvalidInput, NotFound
from app.forms import Problems
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching import data as stop_data
from app.matching import seating
from app.matching.data import StopData
from app.matching.models import Meeting, MeetingRequest
from app.stops.models import Stop
from app.stops.slots import slot_labels


def _meeting(stop: Stop, meeting_id: int, *, db_session: Session) -> Meeting:
    meeting = db_session.get(Meeting, meeting_id)
    if meeting is None or meeting.stop_id != stop.id:
        raise NotFound(lazy("This meeting does not exist."))
    return meeting


def _position(stop: Stop, slot: str, table: str) -> tuple[int, int]:
    errors = Problems()
    labels = slot_labels(stop)
    slot_index = labels.index(slot) if slot in labels else None
    if slot_index is None:
        errors["slot"] = _("Choose one of the block's slots.")
    try:
        table_number: int | None = int(table)
    except ValueError:
        table_number = None
    if table_number is None or not 1 <= table_number <= stop.b2b_tables:
        errors["table"] = _("Choose a table from 1 to %d.") % stop.b2b_tables
    errors.check()
    assert slot_index is not None and table_number is not None
    return slot_index, table_number


def check(
    info: StopData, request: MeetingRequest, slot_index: int, table: int, moving: Meeting | None
) -> None:
    """Raise Conflict naming the first hard rule that the meeting at (slot, table) breaks."""
    labels = slot_labels(info.stop)
    invitation = info.invitations[request.invitation_id]
    company = info.company_of(request)
    rep_name = info.representative_of(invitation).name
    slot = labels[slot_index]
    others = [m for m in info.meetings.values() if moving is None or m.id != moving.id]
    invitation_of = {q.id: q.invitation_id for q in info.requests}
    registration_of = {q.id: q.registration_id for q in info.requests}
    if not info.schedulable(request):
        raise Conflict(lazy("Only accepted requests between confirmed participants can be scheduled."))
    if invitation.available_slots is not None and slot_index not in invitation.available_slots:
        raise Conflict(
            lazy("Rule “both present”: %(name)s is not available at %(slot)s."), name=rep_name, slot=slot
        )
    for meeting in others:
        if meeting.slot_index != slot_index:
            continue
        if registration_of[meeting.request_id] == request.registration_id:
            raise Conflict(
                lazy("Rule “nobody twice in a slot”: %(name)s already has a meeting at %(slot)s."),
                name=company.name,
                slot=slot,
            )
        if invitation_of[meeting.request_id] == request.invitation_id:
            raise Conflict(
                lazy("Rule “nobody twice in a slot”: %(name)s already has a meeting at %(slot)s."),
                name=rep_name,
                slot=slot,
            )
        if meeting.table_number == table:
            raise Conflict(
                lazy("Rule “table free”: table %(table)d is taken at %(slot)s."), table=table, slot=slot
            )
    own = [m for m in others if invitation_of[m.request_id] == request.invitation_id]
    if invitation.max_meetings is not None and len(own) >= invitation.max_meetings:
        raise Conflict(
            lazy("Rule “maximum meetings”: %(name)s accepts at most %(max)d meetings."),
            name=rep_name,
            max=invitation.max_meetings,
        )
    reps_with_meetings = {invitation_of[m.request_id] for m in others} | {request.invitation_id}
    home = sorted({m.table_number for m in own})
    if info.stop.b2b_tables >= len(reps_with_meetings) and home and home != [table]:
        raise Conflict(
            lazy(
                "Rule “one table per representative”: there are enough tables, "
                "so %(name)s keeps table %(home)d all day."
            ),
            name=rep_name,
            home=home[0],
        )


def move(stop: Stop, meeting_id: int, *, slot: str, table: str, db_session: Session) -> None:
    meeting = _meeting(stop, meeting_id, db_session=db_session)
    if meeting.locked:
        raise Conflict(lazy("This meeting is locked: unlock it before moving it."))
    slot_index, table_number = _position(stop, slot, table)
    info = stop_data.load(stop, db_session=db_session)
    request = info.request(meeting.request_id)
    assert request is not None
    check(info, request, slot_index, table_number, meeting)
    meeting.slot_index, meeting.table_number = slot_index, table_number
    meeting.updated_at = clock.now()
    db_session.add(meeting)
    seating.mark_changed(stop, db_session=db_session)
    db_session.flush()


def place(stop: Stop, request_id: str, *, slot: str, table: str, db_session: Session) -> Meeting:
    """Schedule an accepted request that the scheduler left out (or that came later)."""
    info = stop_data.load(stop, db_session=db_session)
    try:
        request = info.request(int(request_id))
    except ValueError:
        request = None
    if request is None:
        raise InvalidInput({"request_id": _("Choose an accepted request.")})
    if request.id in info.meetings:
        raise Conflict(lazy("This request already has a meeting: move that meeting instead."))
    slot_index, table_number = _position(stop, slot, table)
    check(info, request, slot_index, table_number, None)
    meeting = Meeting(
        stop_id=stop.id or 0, request_id=request.id or 0, slot_index=slot_index, table_number=table_number
    )
    db_session.add(meeting)
    seating.mark_changed(stop, db_session=db_session)
    db_session.flush()
    return meeting


def set_locked(stop: Stop, meeting_id: int, *, locked: bool, db_session: Session) -> None:
    """A locked meeting keeps its slot when the scheduler runs again."""
    meeting = _meeting(stop, meeting_id, db_session=db_session)
    meeting.locked = locked
    db_session.add(meeting)
    db_session.flush()


def unschedule(stop: Stop, meeting_id: int, *, db_session: Session) -> None:
    """Take a meeting out of the schedule; its request stays, accepted, to be placed again."""
    meeting = _meeting(stop, meeting_id, db_session=db_session)
    if meeting.locked:
        raise Conflict(lazy("This meeting is locked: unlock it before taking it out."))
    db_session.delete(meeting)
    db_session.flush()
    seating.after_meeting_removed(stop, db_session=db_session)

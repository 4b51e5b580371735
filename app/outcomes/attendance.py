"""Who came to each B2B meeting, as the organisers mark it from the stop's day on.

A meeting nobody marked reads as *held*, unless the day's own records say otherwise: the
company did not check in while others did (check-in was in use), or the representative was
marked absent on the consuls' attendance list. Marking is a choice among the three values and
can be changed back at any time after the stop's day has begun.
"""

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit
from app.companies.models import Attendee, Company, Registration
from app.consuls.models import Invitation, Representative
from app.errors import Conflict, NotFound
from app.forms import Problems
from app.i18n import babel_locale, lazy
from app.i18n import gettext as _
from app.labels import options
from app.matching.models import Meeting, MeetingAttendance, MeetingRequest
from app.matching.view_models import table_label
from app.reference.models import Country
from app.stops.models import Stop
from app.stops.slots import slot_labels
from app.web import localized

if TYPE_CHECKING:
    from app.matching.data import StopData

BEFORE_THE_DAY = lazy(
    "Attendance at the meetings can be marked from the day of the stop (%(date)s), not before."
)


def _day(stop: Stop) -> str:
    return format_date(stop.stop_date, format="long", locale=babel_locale())


def attendance_open(stop: Stop) -> bool:
    return clock.today() >= stop.stop_date


def effective(
    marked: str | None, *, company_checked_in: bool, checkin_used: bool, representative_attended: bool | None
) -> MeetingAttendance:
    """What a meeting counts as: the organiser's mark, or what the day's records suggest."""
    if marked:
        return MeetingAttendance(marked)
    if checkin_used and not company_checked_in:
        return MeetingAttendance.COMPANY_ABSENT
    if representative_attended is False:
        return MeetingAttendance.REPRESENTATIVE_ABSENT
    return MeetingAttendance.HELD


def checked_in_registrations(stop_ids: list[int], *, db_session: Session) -> set[int]:
    """Registrations of these stops with at least one attendee checked in."""
    if not stop_ids:
        return set()
    rows = db_session.exec(
        select(Attendee.registration_id)
        .join(Registration, col(Registration.id) == Attendee.registration_id)
        .where(col(Registration.stop_id).in_(stop_ids), col(Attendee.checked_in_at).is_not(None))
        .group_by(col(Attendee.registration_id))
    )
    return set(rows)


@dataclass
class AttendanceRow:
    meeting: Meeting
    slot: str
    table_label: str
    company: Company
    representative: Representative
    country_name: str
    value: MeetingAttendance
    marked: bool


@dataclass
class AttendanceView:
    open: bool
    rows: list[AttendanceRow]
    choices: list[tuple[str, str]]
    before_message: str


def _from_stop_data(info: "StopData") -> list[tuple[Any, ...]]:
    """The rows of the query below, from a page's load of the stop's B2B data."""
    by_id = {q.id: q for q in info.requests}
    found = []
    for meeting in sorted(info.meetings.values(), key=lambda m: (m.slot_index, m.table_number)):
        request = by_id[meeting.request_id]
        invitation = info.invitations[request.invitation_id]
        found.append(
            (
                meeting,
                info.registrations[request.registration_id],
                info.company_of(request),
                invitation,
                info.representative_of(invitation),
                info.countries[invitation.country_code],
            )
        )
    return found


def _query_rows(stop: Stop, *, db_session: Session) -> list[tuple[Any, ...]]:
    # Six entities: more than sqlmodel's typed select() takes, so the query is typed loosely.
    query: Any = select(Meeting, Registration, Company, Invitation).add_columns(Representative, Country)
    rows = db_session.exec(
        query.join(MeetingRequest, col(MeetingRequest.id) == Meeting.request_id)
        .join(Registration, col(Registration.id) == MeetingRequest.registration_id)
        .join(Company, col(Company.id) == Registration.company_id)
        .join(Invitation, col(Invitation.id) == MeetingRequest.invitation_id)
        .join(Representative, col(Representative.id) == Invitation.representative_id)
        .join(Country, col(Country.code) == Invitation.country_code)
        .where(Meeting.stop_id == stop.id)
        .order_by(col(Meeting.slot_index), col(Meeting.table_number))
    ).all()
    return list(rows)


def view(stop: Stop, *, db_session: Session, info: "StopData | None" = None) -> AttendanceView:
    """Every meeting of the stop with what it counts as, in slot and table order (from ``info``
    when the page has loaded the stop's B2B data already). Before the stop's day there is
    nothing to mark and every meeting would read *held*: no rows then, only the message."""
    is_open = attendance_open(stop)
    rows: list[tuple[Any, ...]] = []
    if is_open:
        rows = _from_stop_data(info) if info is not None else _query_rows(stop, db_session=db_session)
    present = checked_in_registrations([stop.id or 0], db_session=db_session) if rows else set()
    labels = slot_labels(stop)
    tables = cache(table_label)  # hundreds of meetings at a few tables: each label once
    result = []
    for meeting, registration, company, invitation, representative, country in rows:
        value = effective(
            meeting.attendance,
            company_checked_in=registration.id in present,
            checkin_used=bool(present),
            representative_attended=invitation.attended,
        )
        result.append(
            AttendanceRow(
                meeting=meeting,
                slot=labels[meeting.slot_index] if meeting.slot_index < len(labels) else "—",
                table_label=tables(meeting.table_number),
                company=company,
                representative=representative,
                country_name=localized(country, "name"),
                value=value,
                marked=meeting.attendance is not None,
            )
        )
    return AttendanceView(
        open=is_open,
        rows=result,
        choices=options("attendance"),
        before_message=_(BEFORE_THE_DAY) % {"date": _day(stop)},
    )


def mark(stop: Stop, meeting_id: int, value: str, *, actor: User | None, db_session: Session) -> Meeting:
    """Record what an organiser saw; refused before the stop's day."""
    meeting = db_session.get(Meeting, meeting_id)
    if meeting is None or meeting.stop_id != stop.id:
        raise NotFound(lazy("This meeting is not part of this stop's schedule."))
    if not attendance_open(stop):
        raise Conflict(BEFORE_THE_DAY, date=_day(stop))
    problems = Problems()
    if value not in {member.value for member in MeetingAttendance}:
        problems.add("attendance", _("Choose whether the meeting was held or who was absent."))
    problems.check()
    before = {"attendance": meeting.attendance}
    meeting.attendance = MeetingAttendance(value)
    db_session.add(meeting)
    db_session.flush()
    audit.record_change(
        db_session=db_session,
        actor=actor,
        action="meeting.attendance",
        entity_type="meeting",
        entity_id=meeting.id,
        before=before,
        after={"attendance": meeting.attendance},
    )
    return meeting

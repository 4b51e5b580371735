"""The one status a company or a consul reads for a meeting request, on pages and in emails.

``display_status`` is a pure function of plain values; ``of_request`` gathers them from a stop's
data. A request is requested (pending), accepted, declined or expired; once accepted it reads
"accepted, waiting for the schedule" until the schedule is published, and then either
"scheduled" with its time and table or "not scheduled" with the reason in plain words.
"""

from dataclasses import dataclass
from datetime import time

from app.consuls.models import InvitationStatus
from app.i18n import gettext as _
from app.i18n import lazy, pgettext
from app.matching.data import StopData
from app.matching.models import MeetingRequest, RequestStatus
from app.stops.models import PublicationStatus
from app.stops.slots import has_slot, slot_span

# Why an accepted request has no meeting when the scheduler gave none (msgids, translated on show).
NOT_PLACED = lazy("the organisers did not place it in the published schedule")
NOT_CONFIRMED = lazy("the representative has not confirmed attendance at this stop")
COMPANY_NOT_CONFIRMED = lazy("the company's registration for this stop is not confirmed")


@dataclass(frozen=True)
class DisplayStatus:
    kind: str  # pending, waiting, declined, expired, scheduled, not_scheduled
    label: str
    detail: str = ""

    @property
    def text(self) -> str:
        return f"{self.label}: {self.detail}" if self.detail else self.label


def display_status(
    status: RequestStatus | str,
    *,
    published: bool,
    meeting: tuple[time, time, int] | None = None,
    reason: str | None = None,
) -> DisplayStatus:
    """What a participant reads for one request. ``reason`` is a msgid, translated here."""
    status = RequestStatus(status)
    if status == RequestStatus.PENDING:
        return DisplayStatus("pending", _("Requested, waiting for an answer"))
    if status == RequestStatus.DECLINED:
        return DisplayStatus("declined", pgettext("request", "Declined"))
    if status == RequestStatus.EXPIRED:
        return DisplayStatus("expired", _("Expired: no answer before the deadline"))
    if not published:
        return DisplayStatus("waiting", _("Accepted, waiting for the schedule"))
    if meeting is not None:
        starts, ends, table = meeting
        detail = _("%(start)s–%(end)s, table %(table)d") % {
            "start": starts.strftime("%H:%M"),
            "end": ends.strftime("%H:%M"),
            "table": table,
        }
        return DisplayStatus("scheduled", pgettext("request", "Scheduled"), detail)
    return DisplayStatus("not_scheduled", pgettext("request", "Not scheduled"), _(reason or NOT_PLACED))


def left_out_reason(info: StopData, request: MeetingRequest) -> str:
    """The msgid saying why an accepted request has no meeting."""
    run = info.latest_run
    for item in run.unscheduled if run else []:
        if item.get("request_id") == request.id:
            return str(item["reason"])
    if not info.schedulable(request):
        if info.invitations[request.invitation_id].status != InvitationStatus.CONFIRMED:
            return NOT_CONFIRMED
        return COMPANY_NOT_CONFIRMED
    return NOT_PLACED


def meeting_of(info: StopData, request: MeetingRequest) -> tuple[time, time, int] | None:
    meeting = info.meetings.get(request.id or 0)
    if meeting is None or not has_slot(info.stop, meeting.slot_index):
        return None
    starts, ends = slot_span(info.stop, meeting.slot_index)
    return starts, ends, meeting.table_number


def of_request(info: StopData, request: MeetingRequest) -> DisplayStatus:
    published = info.stop.schedule_status == PublicationStatus.PUBLISHED
    meeting = meeting_of(info, request) if published else None
    reason = None
    if published and meeting is None and request.status == RequestStatus.ACCEPTED:
        reason = left_out_reason(info, request)
    return display_status(request.status, published=published, meeting=meeting, reason=reason)

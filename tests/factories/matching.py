"""B2B meeting requests and the meetings placed from them."""

from sqlmodel import Session

from app.companies.models import Registration
from app.consuls.models import Invitation
from app.matching.models import Meeting, MeetingRequest, RequestPriority, RequestStatus


def create_meeting_request(
    db_session: Session,
    registration: Registration,
    invitation: Invitation,
    *,
    priority: RequestPriority | str = RequestPriority.MEDIUM,
    status: RequestStatus | str = RequestStatus.ACCEPTED,
    goal: str = "Find a distributor",
) -> MeetingRequest:
    """A request of ``registration``'s company to meet ``invitation``'s representative (accepted
    unless told)."""
    request = MeetingRequest(
        stop_id=registration.stop_id,
        registration_id=registration.id or 0,
        invitation_id=invitation.id or 0,
        priority=RequestPriority(priority),
        goal=goal,
        status=RequestStatus(status),
    )
    db_session.add(request)
    db_session.flush()
    return request


def create_meeting(
    db_session: Session,
    request: MeetingRequest,
    *,
    slot_index: int = 0,
    table_number: int = 1,
    locked: bool = False,
) -> Meeting:
    """The meeting of ``request``, placed at ``slot_index`` and ``table_number``."""
    meeting = Meeting(
        stop_id=request.stop_id,
        request_id=request.id or 0,
        slot_index=slot_index,
        table_number=table_number,
        locked=locked,
    )
    db_session.add(meeting)
    db_session.flush()
    return meeting

"""A stop's tools in the back office (registrations, consuls, meetings, agenda, check-in) and a
short live state of each, read with a fixed number of aggregate queries."""

from dataclasses import dataclass

from sqlalchemy import distinct, func
from sqlmodel import Session, col, select

from app.checkin import service as checkin_service
from app.consuls.models import Invitation, InvitationStatus
from app.matching.models import MeetingRequest, RequestStatus
from app.stops.models import Stop, StopCountry

AWAITING_ANSWER = (InvitationStatus.INVITED, InvitationStatus.OPENED)


@dataclass
class ToolStatus:
    countries: int
    countries_confirmed: int
    invitations_waiting: int
    requests: int
    requests_pending: int
    checkin: checkin_service.Counts


def status(stop: Stop, *, db_session: Session) -> ToolStatus:
    countries = db_session.exec(
        select(func.count()).select_from(StopCountry).where(StopCountry.stop_id == stop.id)
    ).one()
    confirmed, waiting = db_session.exec(
        select(
            func.count(distinct(col(Invitation.country_code))).filter(
                col(Invitation.status) == InvitationStatus.CONFIRMED
            ),
            func.count(col(Invitation.id)).filter(col(Invitation.status).in_(AWAITING_ANSWER)),
        ).where(Invitation.stop_id == stop.id)
    ).one()
    requests, pending = db_session.exec(
        select(
            func.count(col(MeetingRequest.id)),
            func.count(col(MeetingRequest.id)).filter(col(MeetingRequest.status) == RequestStatus.PENDING),
        ).where(MeetingRequest.stop_id == stop.id)
    ).one()
    return ToolStatus(
        countries=int(countries),
        countries_confirmed=int(confirmed),
        invitations_waiting=int(waiting),
        requests=int(requests),
        requests_pending=int(pending),
        checkin=checkin_service.counts(stop, db_session=db_session),
    )

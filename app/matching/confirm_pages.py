"""Confirmations before a meeting request is taken back: by its company or by an organiser."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, select

from app import confirm
from app.accounts.deps import OrganiserUser, require_roles
from app.accounts.models import Role, User
from app.companies.models import Company, Registration
from app.consuls.models import Consulate, Invitation, Representative
from app.db import SessionDep, TransactionRoute
from app.errors import NotFound
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching import requests
from app.matching.models import Meeting, MeetingRequest
from app.matching.page_flow import load_stop
from app.stops.models import Stop
from app.web import date_text, localized

router = APIRouter(tags=["matching"], route_class=TransactionRoute)
CompanyUser = Annotated[User, Depends(require_roles(Role.COMPANY))]


def _confirmation(
    stop: Stop,
    meeting_request: MeetingRequest,
    *,
    title: str,
    button: str,
    action: str,
    back_href: str,
    db_session: Session,
) -> confirm.Confirmation:
    """Taking a request back, by whoever: who it is between, and what it does to them."""
    registration = db_session.get(Registration, meeting_request.registration_id)
    company = db_session.get(Company, registration.company_id) if registration else None
    invitation = db_session.get(Invitation, meeting_request.invitation_id)
    person = db_session.get(Representative, invitation.representative_id) if invitation else None
    consulate = db_session.get(Consulate, person.consulate_id) if person else None
    between = _("%(company)s with %(person)s (%(consulate)s)") % {
        "company": company.name if company else "",
        "person": person.name if person else "",
        "consulate": localized(consulate, "name") if consulate else "",
    }
    lines = [_("The request disappears for the company and for the representative.")]
    meeting = db_session.exec(select(Meeting).where(Meeting.request_id == meeting_request.id)).first()
    if meeting is not None:
        lines.append(_("Its meeting in the schedule is removed and the table is freed."))
    lines.append(_("It can be asked again while the schedule is not published."))
    return confirm.Confirmation(
        title=title,
        subject=f"{between} · {localized(stop, 'title')} · {date_text(stop.stop_date)}",
        consequences=lines,
        action=action,
        button=button,
        back_href=back_href,
        back_label=_("Keep the request"),
    )


def _of_stop(stop: Stop, request_id: int, *, db_session: Session) -> MeetingRequest:
    meeting_request = db_session.get(MeetingRequest, request_id)
    if meeting_request is None or meeting_request.stop_id != stop.id:
        raise NotFound(lazy("This meeting request does not exist."))
    return meeting_request


@router.get("/my/stops/{stop_id}/meetings/{request_id}/withdraw", response_class=HTMLResponse)
def confirm_withdraw(
    stop_id: int, request_id: int, request: Request, db_session: SessionDep, user: CompanyUser
) -> HTMLResponse:
    stop, registration = requests.company_stop(stop_id, user, db_session=db_session)
    meeting_request = _of_stop(stop, request_id, db_session=db_session)
    if meeting_request.registration_id != registration.id:
        raise NotFound(lazy("This meeting request does not exist."))
    confirmation = _confirmation(
        stop,
        meeting_request,
        title=_("Withdraw the meeting request"),
        button=_("Withdraw the request"),
        action=f"/my/stops/{stop_id}/meetings/{request_id}/withdraw",
        back_href=f"/my/stops/{stop_id}/meetings",
        db_session=db_session,
    )
    return confirm.page(request, confirmation, template=confirm.PUBLIC)


@router.get("/manage/stops/{stop_id}/meetings/requests/{request_id}/remove", response_class=HTMLResponse)
def confirm_remove(
    stop_id: int, request_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> HTMLResponse:
    stop = load_stop(stop_id, db_session)
    confirmation = _confirmation(
        stop,
        _of_stop(stop, request_id, db_session=db_session),
        title=_("Remove the meeting request"),
        button=_("Remove the request"),
        action=f"/manage/stops/{stop_id}/meetings/requests/{request_id}/remove",
        back_href=f"/manage/stops/{stop_id}/meetings",
        db_session=db_session,
    )
    return confirm.page(request, confirmation, section="stops")

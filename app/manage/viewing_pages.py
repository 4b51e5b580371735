"""What a company or a consul sees, as the organisers see it: read-only copies of their pages.

The organiser opens, from a stop's registrations or consuls table, the personal agenda and the
meetings page of one company or one representative. The pages are built by the same view
builders and templates as ``/my/...`` and ``/consul/...``; ``viewing`` in the context makes the
templates show a banner saying whose page it is and leave out every form and link that acts.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, col, select

from app.accounts.deps import OrganiserUser
from app.agenda import personal
from app.agenda.personal_pages import personal_page
from app.agenda.reading import GONE
from app.companies.models import Company, Registration, RegistrationStatus
from app.consuls.models import Invitation, InvitationStatus, Representative
from app.db import SessionDep, TransactionRoute
from app.errors import NotFound
from app.i18n import lazy
from app.matching.view_models import company_context, consul_context
from app.stops import service as stops_service
from app.web import render

router = APIRouter(prefix="/manage/stops/{stop_id}", tags=["back office"], route_class=TransactionRoute)


def _registration(stop_id: int, registration_id: int, *, db_session: Session) -> tuple[Registration, Company]:
    found = db_session.exec(
        select(Registration, Company)
        .join(Company, col(Company.id) == Registration.company_id)
        .where(Registration.id == registration_id)
        .where(Registration.stop_id == stop_id)
    ).first()
    if found is None:
        raise NotFound(lazy("This registration does not exist."))
    if found[0].status != RegistrationStatus.CONFIRMED:
        raise NotFound(lazy("Only a confirmed registration has an agenda and meetings."))
    return found


def _invitation(
    stop_id: int, representative_id: int, *, db_session: Session
) -> tuple[Invitation, Representative]:
    found = db_session.exec(
        select(Invitation, Representative)
        .join(Representative, col(Representative.id) == Invitation.representative_id)
        .where(Invitation.stop_id == stop_id)
        .where(Invitation.representative_id == representative_id)
        .where(col(Invitation.status).not_in(GONE))
    ).first()
    if found is None:
        raise NotFound(lazy("This representative is not invited to this stop."))
    return found


def _base(stop_id: int, people: str, person_id: int) -> str:
    return f"/manage/stops/{stop_id}/{people}/{person_id}"


def _viewing(name: str, stop_id: int, people: str, person_id: int, page: str) -> dict[str, Any]:
    """Whose page it is, their two pages, and the way back to the stop's list of ``people``."""
    base = _base(stop_id, people, person_id)
    return {
        "name": name,
        "agenda": f"{base}/agenda",
        "meetings": f"{base}/meetings",
        "back": f"/manage/stops/{stop_id}/{people}",
        "page": page,
    }


def _agenda_page(
    request: Request, agenda: personal.PersonalAgenda, name: str, stop_id: int, people: str, person_id: int
) -> HTMLResponse:
    viewing = _viewing(name, stop_id, people, person_id, "agenda")
    return personal_page(request, agenda, _base(stop_id, people, person_id), printable=False, viewing=viewing)


@router.get("/registrations/{registration_id}/agenda", response_class=HTMLResponse)
def company_agenda(
    stop_id: int, registration_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> HTMLResponse:
    _row, company = _registration(stop_id, registration_id, db_session=db_session)
    agenda = personal.company_agenda(stop_id, company.id or 0, db_session=db_session)
    return _agenda_page(request, agenda, company.name, stop_id, "registrations", registration_id)


@router.get("/registrations/{registration_id}/meetings", response_class=HTMLResponse)
def company_meetings(
    stop_id: int, registration_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> HTMLResponse:
    registration, company = _registration(stop_id, registration_id, db_session=db_session)
    stop = stops_service.get(stop_id, db_session=db_session)
    context = {
        **company_context(stop, registration, db_session=db_session),
        "viewing": _viewing(company.name, stop_id, "registrations", registration_id, "meetings"),
        "can_request": False,
    }
    return render(request, "matching/public/company_meetings.html", context)


@router.get("/consuls/{representative_id}/agenda", response_class=HTMLResponse)
def consul_agenda(
    stop_id: int, representative_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> HTMLResponse:
    _invited, person = _invitation(stop_id, representative_id, db_session=db_session)
    agenda = personal.consul_agenda(stop_id, representative_id, db_session=db_session)
    return _agenda_page(request, agenda, person.name, stop_id, "consuls", representative_id)


@router.get("/consuls/{representative_id}/meetings", response_class=HTMLResponse)
def consul_meetings(
    stop_id: int, representative_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> HTMLResponse:
    invitation, person = _invitation(stop_id, representative_id, db_session=db_session)
    if invitation.status != InvitationStatus.CONFIRMED:
        raise NotFound(
            lazy("This representative has not confirmed attendance: there are no meetings to show.")
        )
    stop = stops_service.get(stop_id, db_session=db_session)
    context = {
        **consul_context(stop, invitation, db_session=db_session),
        "viewing": _viewing(person.name, stop_id, "consuls", representative_id, "meetings"),
    }
    return render(request, "matching/public/consul_requests.html", context)

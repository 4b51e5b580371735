"""Personal agendas of companies (/my) and consular representatives (/consul): page, print, .ics."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from app import ics
from app.accounts.deps import require_roles
from app.accounts.models import Role, User
from app.agenda import personal
from app.agenda.personal import PersonalAgenda
from app.checkin.service import checkin_qr_data_uri
from app.db import SessionDep, TransactionRoute
from app.errors import Forbidden
from app.freshness.deps import copies
from app.i18n import gettext as _
from app.web import render

router = APIRouter(tags=["agenda"], route_class=TransactionRoute)

CompanyUser = Annotated[User, Depends(require_roles(Role.COMPANY))]
ConsulUser = Annotated[User, Depends(require_roles(Role.CONSUL))]


def _company(stop_id: int, user: User, db_session: SessionDep, request: Request) -> PersonalAgenda:
    if user.company_id is None:
        raise Forbidden()
    kept = copies(request)
    return personal.company_agenda(stop_id, user.company_id, db_session=db_session, copies=kept)


def _consul(stop_id: int, user: User, db_session: SessionDep, request: Request) -> PersonalAgenda:
    if user.representative_id is None:
        raise Forbidden()
    kept = copies(request)
    return personal.consul_agenda(stop_id, user.representative_id, db_session=db_session, copies=kept)


def personal_page(
    request: Request,
    agenda: PersonalAgenda,
    base: str,
    *,
    printable: bool,
    viewing: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The personal agenda page; ``viewing`` (whose page, and the organiser's links) makes it
    the organisers' read-only copy (``app.manage.viewing_pages``)."""
    settings = request.app.state.settings
    codes = [
        (attendee, checkin_qr_data_uri(attendee, secret_key=settings.secret_key, base_url=settings.base_url))
        for attendee in agenda.attendees
    ]
    context = {"agenda": agenda, "codes": codes, "base": base, "printable": printable, "viewing": viewing}
    return render(request, "agenda/public/personal.html", context)


def _calendar(agenda: PersonalAgenda, who: str) -> Response:
    name = f"{_('My agenda')} – {agenda.stop.city}"
    return ics.response(ics.build(name, agenda.events()), f"{agenda.stop.slug}-{who}.ics")


@router.get("/my/stops/{stop_id}/agenda", response_class=HTMLResponse, name="company_agenda")
def company_page(stop_id: int, request: Request, db_session: SessionDep, user: CompanyUser) -> HTMLResponse:
    agenda = _company(stop_id, user, db_session, request)
    return personal_page(request, agenda, f"/my/stops/{stop_id}/agenda", printable=False)


@router.get("/my/stops/{stop_id}/agenda/print", response_class=HTMLResponse)
def company_print(stop_id: int, request: Request, db_session: SessionDep, user: CompanyUser) -> HTMLResponse:
    agenda = _company(stop_id, user, db_session, request)
    return personal_page(request, agenda, f"/my/stops/{stop_id}/agenda", printable=True)


@router.get("/my/stops/{stop_id}/agenda.ics")
def company_calendar(stop_id: int, request: Request, db_session: SessionDep, user: CompanyUser) -> Response:
    return _calendar(_company(stop_id, user, db_session, request), "company")


@router.get("/consul/stops/{stop_id}/agenda", response_class=HTMLResponse, name="consul_agenda")
def consul_page(stop_id: int, request: Request, db_session: SessionDep, user: ConsulUser) -> HTMLResponse:
    agenda = _consul(stop_id, user, db_session, request)
    return personal_page(request, agenda, f"/consul/stops/{stop_id}/agenda", printable=False)


@router.get("/consul/stops/{stop_id}/agenda/print", response_class=HTMLResponse)
def consul_print(stop_id: int, request: Request, db_session: SessionDep, user: ConsulUser) -> HTMLResponse:
    agenda = _consul(stop_id, user, db_session, request)
    return personal_page(request, agenda, f"/consul/stops/{stop_id}/agenda", printable=True)


@router.get("/consul/stops/{stop_id}/agenda.ics")
def consul_calendar(stop_id: int, request: Request, db_session: SessionDep, user: ConsulUser) -> Response:
    return _calendar(_consul(stop_id, user, db_session, request), "consul")

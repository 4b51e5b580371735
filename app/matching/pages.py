"""B2B meeting pages of the participants: the company's requests and meetings, the consul's
answers, and each one's meetings as a calendar file. Each POST redirects back with a short
confirmation, or shows the page again with the error next to the form that caused it."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app import ics
from app.accounts.deps import require_roles
from app.accounts.models import Role, User
from app.db import SessionDep, TransactionRoute
from app.errors import InvalidInput
from app.i18n import gettext as _
from app.matching import data as stop_data
from app.matching import publishing, requests
from app.matching.page_flow import RequestForm, attempt, done_message
from app.matching.view_models import company_context, consul_context
from app.web import render

router = APIRouter(tags=["pages"], route_class=TransactionRoute)

CompanyUser = Annotated[User, Depends(require_roles(Role.COMPANY))]
ConsulUser = Annotated[User, Depends(require_roles(Role.CONSUL))]


# The company -------------------------------------------------------------------------------


def _company_page(request: Request, db_session: Session, stop_id: int, user: User) -> Callable[..., Response]:
    def page(extra: dict[str, Any], status: int = 200) -> Response:
        stop, registration = requests.company_stop(stop_id, user, db_session=db_session)
        context = company_context(stop, registration, db_session=db_session)
        return render(request, "matching/public/company_meetings.html", {**context, **extra}, status=status)

    return page


@router.get("/my/stops/{stop_id}/meetings", response_class=HTMLResponse, name="company_meetings")
def company_meetings(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: CompanyUser,
    done: Annotated[str | None, Query()] = None,
) -> Response:
    return _company_page(request, db_session, stop_id, user)({"done": done_message(done)})


@router.post("/my/stops/{stop_id}/meetings", response_class=HTMLResponse)
def company_request(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: CompanyUser,
    form: Annotated[RequestForm, Form()],
) -> Response:
    stop, registration = requests.company_stop(stop_id, user, db_session=db_session)
    page = _company_page(request, db_session, stop_id, user)
    values = form.values(exclude={"registration_id"})
    invitation_id, priority, goal = form.invitation_id, form.priority, form.goal

    def with_values(extra: dict[str, Any], status: int) -> Response:
        return page({**extra, "values": values}, status)

    return attempt(
        request,
        db_session,
        lambda: requests.create(
            stop,
            registration,
            invitation_id=invitation_id,
            priority=priority,
            goal=goal,
            by_organiser=False,
            db_session=db_session,
        ),
        f"/my/stops/{stop_id}/meetings",
        "requested",
        with_values,
        "request",
    )


@router.post("/my/stops/{stop_id}/meetings/{request_id}/withdraw", response_class=HTMLResponse)
def company_withdraw(
    stop_id: int, request_id: int, request: Request, db_session: SessionDep, user: CompanyUser
) -> Response:
    stop, registration = requests.company_stop(stop_id, user, db_session=db_session)
    return attempt(
        request,
        db_session,
        lambda: requests.withdraw(stop, registration, request_id, db_session=db_session),
        f"/my/stops/{stop_id}/meetings",
        "withdrawn",
        _company_page(request, db_session, stop_id, user),
        "requests",
    )


@router.get("/my/stops/{stop_id}/meetings.ics", name="company_meetings_ics")
def company_ics(stop_id: int, db_session: SessionDep, user: CompanyUser) -> Response:
    stop, registration = requests.company_stop(stop_id, user, db_session=db_session)
    info = stop_data.load_personal(stop, registration_id=registration.id, db_session=db_session)
    agenda = publishing.published_entries(info, registration_id=registration.id)
    return ics.response(publishing.calendar(stop, agenda, for_company=True), f"meetings-{stop.slug}.ics")


# The consul --------------------------------------------------------------------------------


def _consul_page(request: Request, db_session: Session, stop_id: int, user: User) -> Callable[..., Response]:
    def page(extra: dict[str, Any], status: int = 200) -> Response:
        stop, invitation = requests.consul_stop(stop_id, user, db_session=db_session)
        context = consul_context(stop, invitation, db_session=db_session)
        return render(request, "matching/public/consul_requests.html", {**context, **extra}, status=status)

    return page


@router.get("/consul/stops/{stop_id}/requests", response_class=HTMLResponse, name="consul_requests")
def consul_requests(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: ConsulUser,
    done: Annotated[str | None, Query()] = None,
) -> Response:
    return _consul_page(request, db_session, stop_id, user)({"done": done_message(done)})


@router.post("/consul/stops/{stop_id}/requests/{request_id}/answer", response_class=HTMLResponse)
def consul_answer(
    stop_id: int,
    request_id: int,
    request: Request,
    db_session: SessionDep,
    user: ConsulUser,
    decision: Annotated[str, Form()] = "",
) -> Response:
    stop, invitation = requests.consul_stop(stop_id, user, db_session=db_session)
    if decision not in ("accept", "decline"):
        raise InvalidInput({"decision": _("Choose accept or decline.")})
    return attempt(
        request,
        db_session,
        lambda: requests.answer(
            stop, invitation, request_id, accept=decision == "accept", db_session=db_session
        ),
        f"/consul/stops/{stop_id}/requests",
        "accepted" if decision == "accept" else "declined",
        _consul_page(request, db_session, stop_id, user),
        "requests",
    )


@router.get("/consul/stops/{stop_id}/meetings.ics", name="consul_meetings_ics")
def consul_ics(stop_id: int, db_session: SessionDep, user: ConsulUser) -> Response:
    stop, invitation = requests.consul_stop(stop_id, user, db_session=db_session)
    info = stop_data.load_personal(stop, invitation_id=invitation.id, db_session=db_session)
    agenda = publishing.published_entries(info, invitation_id=invitation.id)
    return ics.response(publishing.calendar(stop, agenda, for_company=False), f"meetings-{stop.slug}.ics")

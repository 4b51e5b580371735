"""Representatives' pages: the invitation link and its answer, their stops, agenda and feed.

The signed invitation link is itself the credential for answering, so a representative can
answer from any device; opening it also signs them in to their area.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import ics
from app.accounts import service as accounts_service
from app.accounts.deps import Public, require_roles, signer
from app.accounts.models import Role, User
from app.consuls import invitations, links, portal
from app.consuls import service as consuls_service
from app.consuls.models import Invitation
from app.consuls.schemas import ConfirmationInput, DelegateInput
from app.db import SessionDep, TransactionRoute
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import LANGUAGE_COOKIE, set_language
from app.i18n import gettext as _
from app.reference import service as reference_service
from app.reference.models import Country
from app.stops.models import Stop
from app.stops.slots import slot_times
from app.web import SESSION_COOKIE, render

router = APIRouter(prefix="/consul", tags=["pages"], route_class=TransactionRoute)

ConsulUser = Annotated[User, Depends(require_roles(Role.CONSUL))]


@router.get("", response_class=HTMLResponse, name="consul_home")
def home(request: Request, db_session: SessionDep, user: ConsulUser) -> HTMLResponse:
    person = portal.representative_of(user, db_session=db_session)
    settings = request.app.state.settings
    lines = portal.upcoming_stops(person, db_session=db_session)
    answer_links = {
        line.view.stop.id: "/consul/invitations/" + links.invitation_token(line.invitation, person, settings)
        for line in lines
        if line.invitation is not None
    }
    context = {
        "person": person,
        "consulate": portal.consulate_of(person, db_session=db_session),
        "lines": lines,
        "answer_links": answer_links,
        "feed_url": links.feed_url(person, settings),
    }
    return render(request, "consuls/public/home.html", context)


@router.get("/stops/{stop_id:int}", response_class=HTMLResponse)
def stop_agenda(stop_id: int, request: Request, db_session: SessionDep, user: ConsulUser) -> HTMLResponse:
    person, agenda = portal.agenda(user, stop_id, db_session=db_session)
    return render(request, "consuls/public/stop.html", {"person": person, "agenda": agenda})


@router.get("/calendar.ics", dependencies=[Public])
def calendar_feed(request: Request, db_session: SessionDep, token: Annotated[str, Query()] = "") -> Response:
    person = portal.feed_owner(token, db_session=db_session, settings=request.app.state.settings)
    return ics.response(portal.calendar_feed(person, db_session=db_session), "roadshow.ics", inline=True)


def _answer_page(
    request: Request,
    token: str,
    invitation: Invitation,
    db_session: SessionDep,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    stop = db_session.get(Stop, invitation.stop_id)
    if stop is None:
        raise NotFound()
    person = consuls_service.get_representative(invitation.representative_id, db_session=db_session)
    delegate = None
    if invitation.delegate_invitation_id is not None:
        delegated = db_session.get(Invitation, invitation.delegate_invitation_id)
        if delegated is not None:
            delegate = consuls_service.get_representative(delegated.representative_id, db_session=db_session)
    slots = slot_times(stop)
    chosen = set(range(len(slots)) if invitation.available_slots is None else invitation.available_slots)
    values = {
        "token": token,
        "invitation": invitation,
        "person": person,
        "stop": stop,
        "country": db_session.get(Country, invitation.country_code),
        "delegate": delegate,
        "slots": list(enumerate(slots)),
        "chosen_slots": chosen,
        "sectors": reference_service.get_all_sectors(db_session=db_session),
        "can_change": invitations.can_change(invitation, stop),
        "can_confirm_late": invitations.can_confirm_late(invitation, stop),
        "schedule_published_message": _(invitations.SCHEDULE_PUBLISHED),
        "saved": request.query_params.get("saved") == "1",
        "errors": {},
        "failed": "",
        "confirmation": ConfirmationInput(
            slots=[str(i) for i in sorted(chosen)],
            max_meetings=str(invitation.max_meetings or ""),
            sectors=list(invitation.sector_interests),
            topics=invitation.topics,
        ),
        "delegate_form": DelegateInput(),
        "reason": invitation.decline_reason,
        **context,
    }
    if values["failed"] == "confirm":
        values["chosen_slots"] = {int(s) for s in values["confirmation"].slots if s.isdigit()}
    return render(request, "consuls/public/invitation.html", values, status=status)


@router.get("/invitations/{token}", response_class=HTMLResponse, dependencies=[Public])
def open_invitation(token: str, request: Request, db_session: SessionDep) -> Response:
    settings = request.app.state.settings
    invitation = invitations.get_by_token(token, db_session=db_session, settings=settings)
    user = invitations.open_invitation(invitation, db_session=db_session)
    person = consuls_service.get_representative(invitation.representative_id, db_session=db_session)
    first_visit = LANGUAGE_COOKIE not in request.cookies
    if first_visit:
        set_language(invitations.message_language(person))
    response = _answer_page(request, token, invitation, db_session)
    if first_visit:
        response.set_cookie(
            LANGUAGE_COOKIE,
            invitations.message_language(person),
            max_age=365 * 24 * 3600,
            samesite="lax",
            httponly=True,
        )
    if user is not None:
        response.set_cookie(
            SESSION_COOKIE,
            signer(request).session_cookie(user),
            max_age=accounts_service.SESSION_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
        )
    return response


def _answered(token: str) -> RedirectResponse:
    return RedirectResponse(f"/consul/invitations/{token}?saved=1", status_code=303)


@router.post("/invitations/{token}/confirm", response_class=HTMLResponse, dependencies=[Public])
def confirm(
    *,
    token: str,
    request: Request,
    db_session: SessionDep,
    data: Annotated[ConfirmationInput, Form()],
) -> Response:
    invitation = invitations.get_by_token(token, db_session=db_session, settings=request.app.state.settings)
    try:
        invitations.confirm(invitation, data, db_session=db_session)
    except InvalidInput as exc:
        return _answer_page(
            request,
            token,
            invitation,
            db_session,
            422,
            errors=exc.errors,
            failed="confirm",
            confirmation=data,
        )
    except Conflict as exc:
        return _answer_page(request, token, invitation, db_session, 409, conflict=exc.translated())
    return _answered(token)


@router.post("/invitations/{token}/decline", response_class=HTMLResponse, dependencies=[Public])
def decline(
    token: str, request: Request, db_session: SessionDep, reason: Annotated[str, Form()] = ""
) -> Response:
    invitation = invitations.get_by_token(token, db_session=db_session, settings=request.app.state.settings)
    try:
        invitations.decline(invitation, reason, db_session=db_session)
    except InvalidInput as exc:
        return _answer_page(
            request, token, invitation, db_session, 422, errors=exc.errors, failed="decline", reason=reason
        )
    except Conflict as exc:
        return _answer_page(request, token, invitation, db_session, 409, conflict=exc.translated())
    return _answered(token)


@router.post("/invitations/{token}/delegate", response_class=HTMLResponse, dependencies=[Public])
def delegate(
    *,
    token: str,
    request: Request,
    db_session: SessionDep,
    data: Annotated[DelegateInput, Form()],
) -> Response:
    settings = request.app.state.settings
    invitation = invitations.get_by_token(token, db_session=db_session, settings=settings)
    try:
        invitations.delegate(invitation, data, db_session=db_session, settings=settings)
    except InvalidInput as exc:
        return _answer_page(
            request,
            token,
            invitation,
            db_session,
            422,
            errors=exc.errors,
            failed="delegate",
            delegate_form=data,
        )
    except Conflict as exc:
        return _answer_page(request, token, invitation, db_session, 409, conflict=exc.translated())
    return _answered(token)

"""B2B meeting pages: the company's requests and meetings, the consul's answers, the organiser's
schedule. Each POST redirects back with a short confirmation, or shows the page again with the
error next to the form that caused it."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.accounts.deps import OrganiserUser, require_roles
from app.accounts.models import Role, User
from app.db import SessionDep, TransactionRoute, discard_changes
from app.errors import AppError, InvalidInput
from app.forms import FormModel
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching import data as stop_data
from app.matching import placement, publishing, requests, scheduling
from app.matching.models import RequestPriority
from app.matching.views import company_context, consul_context, manage_context
from app.stops import service as stops_service
from app.stops.models import Stop
from app.web import render


class RequestForm(FormModel):
    """A meeting request: the company asks, or an organiser adds one for a registration."""

    registration_id: str = ""
    invitation_id: str = ""
    priority: str = RequestPriority.MEDIUM.value
    goal: str = ""


class BlockForm(FormModel):
    first_slot: str = ""
    slot_minutes: str = ""
    slot_count: str = ""
    tables: str = ""


class PlaceForm(FormModel):
    request_id: str = ""
    slot: str = ""
    table: str = ""


router = APIRouter(tags=["pages"], route_class=TransactionRoute)

CompanyUser = Annotated[User, Depends(require_roles(Role.COMPANY))]
ConsulUser = Annotated[User, Depends(require_roles(Role.CONSUL))]

DONE = {
    "requested": lazy("Your request has been sent."),
    "withdrawn": lazy("Your request has been withdrawn."),
    "accepted": lazy("You accepted the request."),
    "declined": lazy("You declined the request."),
    "request_added": lazy("The request has been added, accepted."),
    "request_removed": lazy("The request has been removed."),
    "block": lazy("The B2B block has been saved."),
    "scheduled": lazy("The scheduler has run: the new draft schedule is below."),
    "moved": lazy("The meeting has been moved."),
    "placed": lazy("The meeting has been added to the schedule."),
    "locked": lazy("The meeting is locked: it keeps its slot when the scheduler runs again."),
    "unlocked": lazy("The meeting is unlocked."),
    "unscheduled": lazy("The meeting has been taken out of the schedule."),
    "published": lazy("The schedule is published and every participant has been emailed."),
}


def _done(key: str | None) -> str | None:
    message = DONE.get(key or "")
    return _(message) if message else None


def _attempt(
    request: Request,
    db_session: Session,
    action: Callable[[], object],
    redirect_to: str,
    done: str,
    page: Callable[[dict[str, Any], int], Response],
    form: str,
) -> Response:
    """Run a service call; on a readable error undo it and show the page with the error."""
    try:
        action()
    except InvalidInput as exc:
        discard_changes(db_session)  # the page shows the schedule as it was
        return page({"form": form, "errors": exc.errors}, 422)
    except AppError as exc:
        if exc.status_code not in (409,):
            raise
        discard_changes(db_session)
        return page({"form": form, "alert": exc.translated()}, exc.status_code)
    return RedirectResponse(f"{redirect_to}?done={done}", status_code=303)


def _stop(stop_id: int, db_session: Session) -> Stop:
    return stops_service.get(stop_id, db_session=db_session)


# The company -------------------------------------------------------------------------------


def _company_page(request: Request, db_session: Session, stop_id: int, user: User) -> Callable[..., Response]:
    def page(extra: dict[str, Any], status: int = 200) -> Response:
        stop = _stop(stop_id, db_session)
        registration = requests.company_registration(stop, user, db_session=db_session)
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
    return _company_page(request, db_session, stop_id, user)({"done": _done(done)})


@router.post("/my/stops/{stop_id}/meetings", response_class=HTMLResponse)
def company_request(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: CompanyUser,
    form: Annotated[RequestForm, Form()],
) -> Response:
    stop = _stop(stop_id, db_session)
    registration = requests.company_registration(stop, user, db_session=db_session)
    page = _company_page(request, db_session, stop_id, user)
    values = form.values(exclude={"registration_id"})
    invitation_id, priority, goal = form.invitation_id, form.priority, form.goal

    def with_values(extra: dict[str, Any], status: int) -> Response:
        return page({**extra, "values": values}, status)

    return _attempt(
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
    stop = _stop(stop_id, db_session)
    registration = requests.company_registration(stop, user, db_session=db_session)
    return _attempt(
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
    stop = _stop(stop_id, db_session)
    registration = requests.company_registration(stop, user, db_session=db_session)
    info = stop_data.load(stop, db_session=db_session)
    agenda = publishing.published_entries(info, registration_id=registration.id)
    return _ics(publishing.calendar(stop, agenda, for_company=True), stop)


def _ics(body: bytes, stop: Stop) -> Response:
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="meetings-{stop.slug}.ics"'},
    )


# The consul --------------------------------------------------------------------------------


def _consul_page(request: Request, db_session: Session, stop_id: int, user: User) -> Callable[..., Response]:
    def page(extra: dict[str, Any], status: int = 200) -> Response:
        stop = _stop(stop_id, db_session)
        invitation = requests.consul_invitation(stop, user, db_session=db_session)
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
    return _consul_page(request, db_session, stop_id, user)({"done": _done(done)})


@router.post("/consul/stops/{stop_id}/requests/{request_id}/answer", response_class=HTMLResponse)
def consul_answer(
    stop_id: int,
    request_id: int,
    request: Request,
    db_session: SessionDep,
    user: ConsulUser,
    decision: Annotated[str, Form()] = "",
) -> Response:
    stop = _stop(stop_id, db_session)
    invitation = requests.consul_invitation(stop, user, db_session=db_session)
    if decision not in ("accept", "decline"):
        raise InvalidInput({"decision": _("Choose accept or decline.")})
    return _attempt(
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
    stop = _stop(stop_id, db_session)
    invitation = requests.consul_invitation(stop, user, db_session=db_session)
    info = stop_data.load(stop, db_session=db_session)
    agenda = publishing.published_entries(info, invitation_id=invitation.id)
    return _ics(publishing.calendar(stop, agenda, for_company=False), stop)


# The organiser -----------------------------------------------------------------------------


def _manage_url(stop_id: int) -> str:
    return f"/manage/stops/{stop_id}/meetings"


def _manage_page(request: Request, db_session: Session, stop_id: int) -> Callable[..., Response]:
    def page(extra: dict[str, Any], status: int = 200) -> Response:
        stop = _stop(stop_id, db_session)
        context = manage_context(stop, db_session=db_session)
        return render(request, "matching/manage/meetings.html", {**context, **extra}, status=status)

    return page


@router.get("/manage/stops/{stop_id}/meetings", response_class=HTMLResponse, name="manage_meetings")
def manage_meetings(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    done: Annotated[str | None, Query()] = None,
) -> Response:
    return _manage_page(request, db_session, stop_id)({"done": _done(done)})


def _manage_action(
    request: Request,
    db_session: Session,
    stop_id: int,
    action: Callable[[], object],
    done: str,
    form: str,
    values: dict[str, str] | None = None,
) -> Response:
    page = _manage_page(request, db_session, stop_id)

    def with_values(extra: dict[str, Any], status: int) -> Response:
        return page({**extra, "values": values or {}}, status)

    return _attempt(request, db_session, action, _manage_url(stop_id), done, with_values, form)


@router.post("/manage/stops/{stop_id}/meetings/requests", response_class=HTMLResponse)
def manage_add_request(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    form: Annotated[RequestForm, Form()],
) -> Response:
    stop = _stop(stop_id, db_session)

    def add() -> None:
        registration = requests.registration_of_stop(stop, form.registration_id, db_session=db_session)
        requests.create(
            stop,
            registration,
            invitation_id=form.invitation_id,
            priority=form.priority,
            goal=form.goal,
            by_organiser=True,
            db_session=db_session,
        )

    return _manage_action(request, db_session, stop_id, add, "request_added", "add_request", form.values())


@router.post("/manage/stops/{stop_id}/meetings/requests/{request_id}/remove", response_class=HTMLResponse)
def manage_remove_request(
    stop_id: int, request_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> Response:
    stop = _stop(stop_id, db_session)
    return _manage_action(
        request,
        db_session,
        stop_id,
        lambda: requests.remove(stop, request_id, db_session=db_session),
        "request_removed",
        "requests",
    )


@router.post("/manage/stops/{stop_id}/meetings/block", response_class=HTMLResponse)
def manage_block(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    form: Annotated[BlockForm, Form()],
) -> Response:
    stop = _stop(stop_id, db_session)
    values = form.values()
    return _manage_action(
        request,
        db_session,
        stop_id,
        lambda: scheduling.set_block(stop, **values, db_session=db_session),
        "block",
        "block",
        values,
    )


@router.post("/manage/stops/{stop_id}/meetings/schedule", response_class=HTMLResponse)
def manage_schedule(stop_id: int, request: Request, db_session: SessionDep, user: OrganiserUser) -> Response:
    stop = _stop(stop_id, db_session)
    time_limit = request.app.state.settings.scheduler_time_limit
    return _manage_action(
        request,
        db_session,
        stop_id,
        lambda: scheduling.run(stop, time_limit=time_limit, user_id=user.id, db_session=db_session),
        "scheduled",
        "schedule",
    )


@router.post("/manage/stops/{stop_id}/meetings/place", response_class=HTMLResponse)
def manage_place(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    form: Annotated[PlaceForm, Form()],
) -> Response:
    stop = _stop(stop_id, db_session)
    request_id, slot, table = form.request_id, form.slot, form.table
    return _manage_action(
        request,
        db_session,
        stop_id,
        lambda: placement.place(stop, request_id, slot=slot, table=table, db_session=db_session),
        "placed",
        f"place-{request_id}",
        {"slot": slot, "table": table},
    )


@router.post("/manage/stops/{stop_id}/meetings/{meeting_id}/move", response_class=HTMLResponse)
def manage_move(
    stop_id: int,
    meeting_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    form: Annotated[PlaceForm, Form()],
) -> Response:
    stop = _stop(stop_id, db_session)
    slot, table = form.slot, form.table
    return _manage_action(
        request,
        db_session,
        stop_id,
        lambda: placement.move(stop, meeting_id, slot=slot, table=table, db_session=db_session),
        "moved",
        f"move-{meeting_id}",
        {"slot": slot, "table": table},
    )


@router.post("/manage/stops/{stop_id}/meetings/{meeting_id}/lock", response_class=HTMLResponse)
def manage_lock(
    stop_id: int,
    meeting_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    locked: Annotated[bool, Form()] = True,
) -> Response:
    stop = _stop(stop_id, db_session)
    return _manage_action(
        request,
        db_session,
        stop_id,
        lambda: placement.set_locked(stop, meeting_id, locked=locked, db_session=db_session),
        "locked" if locked else "unlocked",
        f"move-{meeting_id}",
    )


@router.post("/manage/stops/{stop_id}/meetings/{meeting_id}/unschedule", response_class=HTMLResponse)
def manage_unschedule(
    stop_id: int, meeting_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> Response:
    stop = _stop(stop_id, db_session)
    return _manage_action(
        request,
        db_session,
        stop_id,
        lambda: placement.unschedule(stop, meeting_id, db_session=db_session),
        "unscheduled",
        f"move-{meeting_id}",
    )


@router.post("/manage/stops/{stop_id}/meetings/publish", response_class=HTMLResponse)
def manage_publish(stop_id: int, request: Request, db_session: SessionDep, user: OrganiserUser) -> Response:
    stop = _stop(stop_id, db_session)
    base_url = request.app.state.settings.base_url
    return _manage_action(
        request,
        db_session,
        stop_id,
        lambda: publishing.publish(stop, base_url=base_url, db_session=db_session),
        "published",
        "publish",
    )

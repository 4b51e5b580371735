"""B2B meeting pages of the organisers: a stop's requests, its B2B block, the scheduler's draft,
moving, placing and locking meetings by hand, and publishing the schedule. Each POST redirects
back with a short confirmation, or shows the page again with the error next to its form."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.accounts.deps import OrganiserUser
from app.db import SessionDep, TransactionRoute
from app.errors import Conflict
from app.jobs.runner import wake_runner
from app.matching import data as stop_data
from app.matching import placement, publishing, requests, schedule_job, scheduling
from app.matching.page_flow import BlockForm, PlaceForm, RequestForm, attempt, done_message, load_stop
from app.matching.view_models import manage_context
from app.outcomes import attendance
from app.web import render

router = APIRouter(tags=["pages"], route_class=TransactionRoute)


def _manage_url(stop_id: int) -> str:
    return f"/manage/stops/{stop_id}/meetings"


def _manage_page(request: Request, db_session: Session, stop_id: int) -> Callable[..., Response]:
    def page(extra: dict[str, Any], status: int = 200) -> Response:
        stop = load_stop(stop_id, db_session)
        info = stop_data.load(stop, db_session=db_session)  # once, for the grid and attendance
        context = manage_context(stop, db_session=db_session, info=info)
        context["run_job"] = schedule_job.view(stop, db_session=db_session)
        context["attendance"] = attendance.view(stop, db_session=db_session, info=info)
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
    return _manage_page(request, db_session, stop_id)({"done": done_message(done)})


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

    return attempt(request, db_session, action, _manage_url(stop_id), done, with_values, form)


@router.post("/manage/stops/{stop_id}/meetings/requests", response_class=HTMLResponse)
def manage_add_request(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    form: Annotated[RequestForm, Form()],
) -> Response:
    stop = load_stop(stop_id, db_session)

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
    stop = load_stop(stop_id, db_session)
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
    stop = load_stop(stop_id, db_session)
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
    """Queue a run and return at once: the page follows it while it runs."""
    stop = load_stop(stop_id, db_session)
    time_limit = request.app.state.settings.scheduler_time_limit
    response = _manage_action(
        request,
        db_session,
        stop_id,
        lambda: schedule_job.start(stop, time_limit=time_limit, user_id=user.id, db_session=db_session),
        "scheduling",
        "schedule",
    )
    wake_runner(request)
    return response


@router.post("/manage/stops/{stop_id}/meetings/place", response_class=HTMLResponse)
def manage_place(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    form: Annotated[PlaceForm, Form()],
) -> Response:
    stop = load_stop(stop_id, db_session)
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


@router.post("/manage/stops/{stop_id}/meetings/{meeting_id}/attendance", response_class=HTMLResponse)
def manage_attendance(
    stop_id: int,
    meeting_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    value: Annotated[str, Form(alias="attendance")] = "",
) -> Response:
    """Mark a meeting held, or who was absent; from the stop's day on, and changeable."""
    stop = load_stop(stop_id, db_session)
    return _manage_action(
        request,
        db_session,
        stop_id,
        lambda: attendance.mark(stop, meeting_id, value, actor=user, db_session=db_session),
        "attendance",
        f"attendance-{meeting_id}",
        {"attendance": value},
    )


@router.get(
    "/manage/stops/{stop_id}/meetings/publish", response_class=HTMLResponse, name="manage_publish_confirm"
)
def manage_publish_confirm(
    stop_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> Response:
    """Who publishing would email (only those whose meetings changed), before anything is sent."""
    stop = load_stop(stop_id, db_session)
    try:
        preview = publishing.preview(stop, db_session=db_session)
    except Conflict as exc:
        return _manage_page(request, db_session, stop_id)({"form": "publish", "alert": exc.translated()}, 409)
    return render(request, "matching/manage/publish_confirm.html", {"stop": stop, "preview": preview})


@router.post("/manage/stops/{stop_id}/meetings/publish", response_class=HTMLResponse)
def manage_publish(stop_id: int, request: Request, db_session: SessionDep, user: OrganiserUser) -> Response:
    stop = load_stop(stop_id, db_session)
    base_url = request.app.state.settings.base_url
    return _manage_action(
        request,
        db_session,
        stop_id,
        lambda: publishing.publish(stop, base_url=base_url, db_session=db_session),
        "published",
        "publish",
    )

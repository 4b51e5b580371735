"""One meeting of the organisers' grid: the page that moves it, locks or unlocks it, or takes it
out of the schedule. The grid links each cell here instead of carrying a move form per cell, so
that a day of 720 meetings renders without 1,440 selects; an error shows this page again with
the message next to its form."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.accounts.deps import OrganiserUser
from app.db import SessionDep, TransactionRoute
from app.matching import placement
from app.matching.page_flow import PlaceForm, attempt, load_stop
from app.matching.view_models import meeting_context
from app.web import render

router = APIRouter(tags=["pages"], route_class=TransactionRoute)


def _meeting_page(
    request: Request, db_session: Session, stop_id: int, meeting_id: int, values: dict[str, str] | None = None
) -> Callable[[dict[str, Any], int], Response]:
    def page(extra: dict[str, Any], status: int = 200) -> Response:
        stop = load_stop(stop_id, db_session)
        context = meeting_context(stop, meeting_id, db_session=db_session)
        context.update(extra, values=values or {})
        return render(request, "matching/manage/meeting.html", context, status=status)

    return page


def _meeting_action(
    request: Request,
    db_session: Session,
    stop_id: int,
    meeting_id: int,
    action: Callable[[], object],
    done: str,
    values: dict[str, str] | None = None,
) -> Response:
    page = _meeting_page(request, db_session, stop_id, meeting_id, values)
    grid = f"/manage/stops/{stop_id}/meetings"
    return attempt(request, db_session, action, grid, done, page, f"move-{meeting_id}")


@router.get(
    "/manage/stops/{stop_id}/meetings/{meeting_id}/move",
    response_class=HTMLResponse,
    name="manage_meeting",
)
def manage_meeting(
    stop_id: int, meeting_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> Response:
    return _meeting_page(request, db_session, stop_id, meeting_id)({}, 200)


@router.post("/manage/stops/{stop_id}/meetings/{meeting_id}/move", response_class=HTMLResponse)
def manage_move(
    stop_id: int,
    meeting_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    form: Annotated[PlaceForm, Form()],
) -> Response:
    stop = load_stop(stop_id, db_session)
    slot, table = form.slot, form.table
    return _meeting_action(
        request,
        db_session,
        stop_id,
        meeting_id,
        lambda: placement.move(stop, meeting_id, slot=slot, table=table, db_session=db_session),
        "moved",
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
    stop = load_stop(stop_id, db_session)
    return _meeting_action(
        request,
        db_session,
        stop_id,
        meeting_id,
        lambda: placement.set_locked(stop, meeting_id, locked=locked, db_session=db_session),
        "locked" if locked else "unlocked",
    )


@router.post("/manage/stops/{stop_id}/meetings/{meeting_id}/unschedule", response_class=HTMLResponse)
def manage_unschedule(
    stop_id: int, meeting_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> Response:
    stop = load_stop(stop_id, db_session)
    return _meeting_action(
        request,
        db_session,
        stop_id,
        meeting_id,
        lambda: placement.unschedule(stop, meeting_id, db_session=db_session),
        "unscheduled",
    )

"""The staff check-in page (search or scan, then mark the arrival) and the scanned codes' page."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import clock, confirm
from app.accounts.deps import OrganiserUser
from app.checkin import service
from app.db import SessionDep, TransactionRoute
from app.i18n import gettext as _
from app.stops import service as stops_service
from app.web import date_text, localized, render

router = APIRouter(tags=["checkin"], route_class=TransactionRoute)


@router.get("/manage/stops/{stop_id}/checkin", response_class=HTMLResponse, name="checkin_desk")
def desk(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    q: Annotated[str, Query(max_length=120)] = "",
    arrived: Annotated[int | None, Query()] = None,
    new: Annotated[bool, Query()] = False,
    undone: Annotated[int | None, Query()] = None,
) -> HTMLResponse:
    stop = stops_service.get(stop_id, db_session=db_session)
    last = service.get_arrival(arrived, db_session=db_session) if arrived else None
    context = {
        "stop": stop,
        "query": q,
        "results": service.search(stop_id, q, db_session=db_session),
        "counts": service.counts(stop, db_session=db_session),
        "last": last if last and last.registration.stop_id == stop_id else None,
        "last_is_new": new,
        "undone": service.get_arrival(undone, db_session=db_session) if undone else None,
        "is_open": service.is_open(stop),
        "opened_early": service.is_open(stop) and stop.stop_date > clock.today(),
        "arrivals": service.arrivals(stop_id, db_session=db_session),
    }
    return render(request, "checkin/manage/desk.html", context)


@router.post("/manage/stops/{stop_id}/checkin/{attendee_id}/undo")
def undo_arrival(
    stop_id: int, attendee_id: int, db_session: SessionDep, user: OrganiserUser
) -> RedirectResponse:
    service.undo_check_in(stop_id, attendee_id, actor=user, db_session=db_session)
    return RedirectResponse(f"/manage/stops/{stop_id}/checkin?undone={attendee_id}#arrivals", status_code=303)


@router.get("/manage/stops/{stop_id}/checkin/open", response_class=HTMLResponse)
def confirm_open_early(
    stop_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> Response:
    stop = stops_service.get(stop_id, db_session=db_session)
    if service.is_open(stop):
        return RedirectResponse(f"/manage/stops/{stop_id}/checkin", status_code=303)
    day = date_text(stop.stop_date, "full")
    confirmation = confirm.Confirmation(
        title=_("Open check-in before the day"),
        subject=f"{localized(stop, 'title')} · {stop.city}",
        warning=_("This stop is on %(date)s: checking in now records arrivals before the day.")
        % {"date": day},
        consequences=[
            _("Every organiser can check people in at this stop from now on."),
            _("Arrivals recorded early count as presence only from the stop's day."),
            _("Each arrival can be undone from the list of arrivals."),
        ],
        action=f"/manage/stops/{stop_id}/checkin/open",
        button=_("Open check-in now"),
        back_href=f"/manage/stops/{stop_id}/checkin",
        back_label=_("Wait for the day"),
    )
    return confirm.page(request, confirmation, section="stops")


@router.post("/manage/stops/{stop_id}/checkin/open")
def open_early(stop_id: int, db_session: SessionDep, user: OrganiserUser) -> RedirectResponse:
    stop = stops_service.get(stop_id, db_session=db_session)
    service.open_early(stop, actor=user, db_session=db_session)
    return RedirectResponse(f"/manage/stops/{stop_id}/checkin", status_code=303)


# After /checkin/open, which the attendee's id would otherwise match.
@router.post("/manage/stops/{stop_id}/checkin/{attendee_id}")
def mark_arrival(
    stop_id: int,
    attendee_id: int,
    db_session: SessionDep,
    user: OrganiserUser,
) -> RedirectResponse:
    _arrival, is_new = service.check_in(stop_id, attendee_id, actor=user, db_session=db_session)
    target = f"/manage/stops/{stop_id}/checkin?arrived={attendee_id}&new={str(is_new).lower()}"
    return RedirectResponse(target, status_code=303)


@router.get("/checkin/{token}", response_class=HTMLResponse, name="checkin_code")
def scanned(token: str, request: Request, db_session: SessionDep, user: OrganiserUser) -> HTMLResponse:
    secret = request.app.state.settings.secret_key
    arrival = service.arrival_from_token(token, secret_key=secret, db_session=db_session)
    stop = stops_service.get(arrival.registration.stop_id, db_session=db_session)
    context = {"arrival": arrival, "stop": stop, "token": token, "is_open": service.is_open(stop)}
    return render(request, "checkin/manage/code.html", context)


@router.post("/checkin/{token}")
def check_in_by_code(
    token: str, request: Request, db_session: SessionDep, user: OrganiserUser
) -> RedirectResponse:
    secret = request.app.state.settings.secret_key
    arrival = service.arrival_from_token(token, secret_key=secret, db_session=db_session)
    stop_id = arrival.registration.stop_id
    _arrival, is_new = service.check_in(stop_id, arrival.attendee.id or 0, actor=user, db_session=db_session)
    target = f"/manage/stops/{stop_id}/checkin?arrived={arrival.attendee.id}&new={str(is_new).lower()}"
    return RedirectResponse(target, status_code=303)

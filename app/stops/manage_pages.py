"""The back office's stop pages: list, create, edit, duplicate, publish, close and cancel."""

from datetime import datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import Field
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.accounts.deps import OrganiserUser
from app.audit.models import AuditEvent
from app.clock import ROME
from app.companies import seats
from app.companies.models import Registration
from app.db import SessionDep, TransactionRoute, discard_changes
from app.errors import AppError, InvalidInput
from app.forms import FormModel
from app.i18n import gettext as _
from app.i18n import lazy
from app.manage import stop_tools
from app.reference import service as reference_service
from app.stops import changes, notices, validation
from app.stops import service as stops_service
from app.stops.manage_list import ManageFilters, list_for_manage
from app.stops.models import Stop, StopStatus
from app.web import localized, render

router = APIRouter(prefix="/manage/stops", tags=["back office"], route_class=TransactionRoute)

# What a redirect after a change says on the next page (?done=...).
NOTICES = {
    "created": lazy("The stop has been created as a draft: publish it when it is ready."),
    "created_published": lazy("The stop has been created and published."),
    "saved": lazy("Your changes have been saved."),
    "duplicated": lazy("This is a draft copy of the stop: adjust it and save."),
    "publish": lazy("The stop is published: it is on the public calendar."),
    "close": lazy("Registrations are closed: the stop stays on the calendar."),
    "cancel": lazy("The stop is cancelled: the people concerned have been told by email."),
}


class StopFields(FormModel):
    """The stop form's fields; an unticked checkbox is sent as nothing, so it is read as no."""

    title_it: str = ""
    title_en: str = ""
    description_it: str = ""
    description_en: str = ""
    sector: str = ""
    territory: str = ""
    city: str = ""
    venue: str = ""
    venue_address: str = ""
    date: str = ""
    start_time: str = ""
    end_time: str = ""
    capacity: str = ""
    attendees_per_company: str = ""
    registration_opens_at: str = ""
    registration_closes_at: str = ""
    hold_hours: str = ""
    meeting_request_quota: str = ""
    b2b_first_slot: str = ""
    b2b_slot_minutes: str = ""
    b2b_slot_count: str = ""
    b2b_tables: str = ""
    other_countries: str = ""
    countries: list[str] = Field(default_factory=list)
    auto_accept_requests: str | None = None
    requests_close_on: str = ""


StopForm = Annotated[StopFields, Form()]


def _local(moment: datetime | None) -> str:
    return moment.astimezone(ROME).strftime("%Y-%m-%dT%H:%M") if moment else ""


def _hhmm(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def form_values(stop: Stop, countries: list[str]) -> dict[str, Any]:
    names = StopFields.model_fields
    values: dict[str, Any] = {name: getattr(stop, name) for name in names if hasattr(stop, name)}
    values.update(
        sector=stop.sector_slug,
        territory=stop.territory_code,
        date=stop.stop_date.isoformat(),
        start_time=_hhmm(stop.start_time),
        end_time=_hhmm(stop.end_time),
        b2b_first_slot=_hhmm(stop.b2b_first_slot),
        registration_opens_at=_local(stop.registration_opens_at),
        registration_closes_at=_local(stop.registration_closes_at),
        auto_accept_requests=stop.auto_accept_requests,
        requests_close_on=stop.requests_close_on.isoformat() if stop.requests_close_on else "",
        countries=countries,
        other_countries="",
    )
    return values


def _form_page(
    request: Request,
    db_session: Session,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    stop: Stop | None,
    status: int = 200,
    notice: str = "",
) -> HTMLResponse:
    countries = reference_service.get_all_countries(db_session=db_session, prospects_only=False)
    prospects = [c for c in countries if c.is_prospect]
    others = sorted((c for c in countries if not c.is_prospect), key=lambda c: localized(c, "name"))
    people = len(notices.recipients(stop.id, db_session=db_session)) if stop and stop.id else 0
    context = {
        "section": "stops",
        "stop": stop,
        "values": values,
        "errors": errors,
        "country_choices": [*prospects, *others],
        "sector_options": [
            (s.slug, localized(s, "name")) for s in reference_service.get_all_sectors(db_session=db_session)
        ],
        "territory_options": [
            (t.code, f"{t.name} ({t.code})")
            for t in reference_service.get_all_territories(db_session=db_session)
        ],
        "people_to_tell": people,
        "announced": stop is not None and stop.status in changes.ANNOUNCED_STATUSES,
        "notice": notice,
    }
    return render(request, "stops/manage/form.html", context, status=status)


@router.get("", response_class=HTMLResponse, name="manage_stops")
def stop_list(
    request: Request,
    *,
    db_session: SessionDep,
    user: OrganiserUser,
    status: Annotated[str | None, Query()] = None,
    sector: Annotated[str | None, Query()] = None,
    territory: Annotated[str | None, Query()] = None,
    when: Annotated[str | None, Query()] = None,
    q: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    filters = ManageFilters(status=status, sector=sector, territory=territory, when=when, q=q)
    errors: dict[str, str] = {}
    try:
        filters, views = list_for_manage(filters, db_session=db_session)
    except InvalidInput as exc:
        errors, views = exc.errors, []
    context = {
        "section": "stops",
        "views": views,
        "filters": filters,
        "errors": errors,
        "statuses": [(s.value, s.value) for s in StopStatus],
        "sector_options": [
            (s.slug, localized(s, "name")) for s in reference_service.get_all_sectors(db_session=db_session)
        ],
        "territory_options": [
            (t.code, t.name) for t in reference_service.get_all_territories(db_session=db_session)
        ],
    }
    return render(request, "stops/manage/list.html", context, status=422 if errors else 200)


@router.get("/new", response_class=HTMLResponse, name="new_stop")
def new_stop(request: Request, db_session: SessionDep, user: OrganiserUser) -> HTMLResponse:
    values = {**validation.DEFAULTS, "countries": [], "other_countries": ""}
    return _form_page(request, db_session, values=values, errors={}, stop=None)


@router.post("/new", response_class=HTMLResponse)
def create_stop(request: Request, db_session: SessionDep, user: OrganiserUser, form: StopForm) -> Response:
    values = form.values()
    try:
        stop = changes.create(values, actor=user, db_session=db_session)
    except InvalidInput as exc:
        return _form_page(request, db_session, values=values, errors=exc.errors, stop=None, status=422)
    return RedirectResponse(f"/manage/stops/{stop.id}?done=created", status_code=303)


def _detail_page(
    request: Request,
    db_session: Session,
    stop_id: int,
    *,
    notice: str = "",
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    view = stops_service.get_view(stop_id, db_session=db_session)
    counts = dict(
        db_session.exec(
            select(Registration.status, func.count())
            .where(Registration.stop_id == stop_id)
            .group_by(col(Registration.status))
        ).all()
    )
    history = db_session.exec(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "stop", AuditEvent.entity_id == str(stop_id))
        .order_by(col(AuditEvent.occurred_at).desc(), col(AuditEvent.id).desc())
        .limit(20)
    ).all()
    context = {
        "section": "stops",
        "view": view,
        "stop": view.stop,
        "counts": {str(k): v for k, v in counts.items()},
        "history": history,
        "notice": notice,
        "error": error,
        "people_to_tell": len(notices.recipients(stop_id, db_session=db_session)),
        "tools": stop_tools.status(view.stop, db_session=db_session),
    }
    return render(request, "stops/manage/detail.html", context, status=status)


@router.get("/{stop_id}", response_class=HTMLResponse, name="manage_stop")
def stop_detail(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    done: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    return _detail_page(request, db_session, stop_id, notice=_(NOTICES[done]) if done in NOTICES else "")


@router.get("/{stop_id}/edit", response_class=HTMLResponse, name="edit_stop")
def edit_stop(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    done: Annotated[str | None, Query()] = None,
) -> Response:
    stop = stops_service.get(stop_id, db_session=db_session)
    if stop.status == StopStatus.CANCELLED:
        return RedirectResponse(f"/manage/stops/{stop_id}", status_code=303)
    values = form_values(stop, changes.country_codes(stop_id, db_session=db_session))
    notice = _(NOTICES[done]) if done in NOTICES else ""
    return _form_page(request, db_session, values=values, errors={}, stop=stop, notice=notice)


@router.post("/{stop_id}/edit", response_class=HTMLResponse)
def save_stop(
    stop_id: int, request: Request, db_session: SessionDep, user: OrganiserUser, form: StopForm
) -> Response:
    values = form.values()
    try:
        changes.update(stop_id, values, actor=user, db_session=db_session)
    except InvalidInput as exc:
        discard_changes(db_session)  # the page shows the stop as it was
        stop = stops_service.get(stop_id, db_session=db_session)
        return _form_page(request, db_session, values=values, errors=exc.errors, stop=stop, status=422)
    return RedirectResponse(f"/manage/stops/{stop_id}?done=saved", status_code=303)


@router.post("/{stop_id}/duplicate")
def duplicate_stop(stop_id: int, db_session: SessionDep, user: OrganiserUser) -> RedirectResponse:
    copy = changes.duplicate(stop_id, actor=user, db_session=db_session)
    return RedirectResponse(f"/manage/stops/{copy.id}/edit?done=duplicated", status_code=303)


@router.get("/{stop_id}/cancel", response_class=HTMLResponse, name="cancel_stop")
def confirm_cancel(stop_id: int, request: Request, db_session: SessionDep, user: OrganiserUser) -> Response:
    view = stops_service.get_view(stop_id, db_session=db_session)
    if view.stop.status == StopStatus.CANCELLED:
        return RedirectResponse(f"/manage/stops/{stop_id}", status_code=303)
    announced = view.stop.status in changes.ANNOUNCED_STATUSES
    people = notices.recipients(stop_id, db_session=db_session) if announced else []
    open_registrations = seats.active_count(stop_id, db_session=db_session)
    context = {
        "section": "stops",
        "view": view,
        "stop": view.stop,
        "companies": sum(not person.consul for person in people),
        "consuls": sum(person.consul for person in people),
        "open_registrations": open_registrations,
    }
    return render(request, "stops/manage/cancel.html", context)


def _status_route(action: str) -> Any:
    def change_status(
        stop_id: int,
        request: Request,
        db_session: SessionDep,
        user: OrganiserUser,
        reason: Annotated[str, Form(max_length=1000)] = "",
    ) -> Response:
        try:
            changes.transition(stop_id, action, actor=user, db_session=db_session, reason=reason)
        except AppError as exc:
            if exc.status_code == 404:
                raise
            discard_changes(db_session)  # the page shows the stop as it was
            return _detail_page(request, db_session, stop_id, error=exc.translated(), status=exc.status_code)
        return RedirectResponse(f"/manage/stops/{stop_id}?done={action}", status_code=303)

    return change_status


for _action in changes.TRANSITIONS:
    router.add_api_route(
        f"/{{stop_id}}/{_action}",
        _status_route(_action),
        methods=["POST"],
        response_class=HTMLResponse,
        name=f"manage_{_action}_stop",
    )

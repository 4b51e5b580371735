"""Organisers' pages: the consular corps, its CSV import, and each stop's invitations."""

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import confirm, labels
from app.accounts.deps import OrganiserUser
from app.consuls import corps_import, follow_up, invitations, service
from app.consuls.schemas import ConsulateInput, RepresentativeInput
from app.db import SessionDep, TransactionRoute
from app.errors import InvalidInput
from app.i18n import gettext as _
from app.i18n import ngettext
from app.reference import service as reference_service
from app.reference.models import Country
from app.stops import service as stops_service
from app.stops import slots
from app.web import date_text, localized, render

router = APIRouter(prefix="/manage", tags=["pages"], route_class=TransactionRoute)


def _choices(db_session: SessionDep) -> dict[str, Any]:
    countries = reference_service.get_all_countries(db_session=db_session, prospects_only=False)
    return {
        "country_options": sorted(((c.code, localized(c, "name")) for c in countries), key=lambda o: o[1]),
        "kind_options": labels.options("consulate"),
    }


def _list_page(request: Request, db_session: SessionDep, **context: Any) -> HTMLResponse:
    values = {
        "consulates": service.get_all(db_session=db_session),
        "form": ConsulateInput(),
        "errors": {},
        **_choices(db_session),
        **context,
    }
    return render(request, "consuls/manage/consulates.html", values, status=422 if values["errors"] else 200)


@router.get("/consuls", response_class=HTMLResponse, name="manage_consuls")
def consulates(request: Request, db_session: SessionDep, _user: OrganiserUser) -> HTMLResponse:
    return _list_page(request, db_session)


@router.post("/consuls", response_class=HTMLResponse)
def create_consulate(
    *,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    data: Annotated[ConsulateInput, Form()],
) -> Response:
    try:
        consulate = service.create(data, db_session=db_session, actor=user)
    except InvalidInput as exc:
        return _list_page(request, db_session, form=data, errors=exc.errors)
    return RedirectResponse(f"/manage/consuls/{consulate.id}?saved=1", status_code=303)


@router.get("/consuls/import", response_class=HTMLResponse)
def import_form(request: Request, _user: OrganiserUser) -> HTMLResponse:
    return render(request, "consuls/manage/import.html", {"columns": corps_import.COLUMNS, "errors": {}})


@router.post("/consuls/import", response_class=HTMLResponse)
def import_corps(
    request: Request, db_session: SessionDep, user: OrganiserUser, file: Annotated[UploadFile, File()]
) -> HTMLResponse:
    context: dict[str, Any] = {"columns": corps_import.COLUMNS, "errors": {}, "filename": file.filename}
    try:
        context["result"] = corps_import.import_csv(file.file.read(), db_session=db_session, actor=user)
    except corps_import.ImportRejected as exc:
        context["rows"] = exc.rows
        return render(request, "consuls/manage/import.html", context, status=422)
    except InvalidInput as exc:
        context["errors"] = exc.errors
        return render(request, "consuls/manage/import.html", context, status=422)
    return render(request, "consuls/manage/import.html", context)


def _consulate_page(
    request: Request, consulate_id: int, db_session: SessionDep, status: int = 200, **context: Any
) -> HTMLResponse:
    consulate = service.get(consulate_id, db_session=db_session)
    view = next(v for v in service.get_all(db_session=db_session) if v.consulate.id == consulate.id)
    values = {
        "view": view,
        "form": ConsulateInput(
            country_code=consulate.country_code,
            kind=consulate.kind,
            name_it=consulate.name_it,
            name_en=consulate.name_en,
            address=consulate.address,
            website=consulate.website or "",
        ),
        "errors": {},
        "person_form": RepresentativeInput(),
        "person_errors": {},
        "saved": request.query_params.get("saved") == "1",
        **_choices(db_session),
        **context,
    }
    return render(request, "consuls/manage/consulate.html", values, status=status)


@router.get("/consuls/{consulate_id:int}", response_class=HTMLResponse)
def consulate_page(
    consulate_id: int, request: Request, db_session: SessionDep, _user: OrganiserUser
) -> HTMLResponse:
    return _consulate_page(request, consulate_id, db_session)


@router.post("/consuls/{consulate_id:int}", response_class=HTMLResponse)
def update_consulate(
    *,
    consulate_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    data: Annotated[ConsulateInput, Form()],
) -> Response:
    consulate = service.get(consulate_id, db_session=db_session)
    try:
        service.update(consulate, data, db_session=db_session, actor=user)
    except InvalidInput as exc:
        return _consulate_page(request, consulate_id, db_session, 422, form=data, errors=exc.errors)
    return RedirectResponse(f"/manage/consuls/{consulate_id}?saved=1", status_code=303)


@router.get("/consuls/{consulate_id:int}/active", response_class=HTMLResponse)
def confirm_deactivate_consulate(
    consulate_id: int, request: Request, db_session: SessionDep, _user: OrganiserUser
) -> Response:
    """What deactivating a representation does, before it is done."""
    consulate = service.get(consulate_id, db_session=db_session)
    return _deactivation_page(
        request,
        f"/manage/consuls/{consulate_id}",
        active=consulate.active,
        title=_("Deactivate this representation?"),
        subject=localized(consulate, "name"),
        consequences=[_("Its representatives are no longer invited to the stops ahead.")],
        button=_("Deactivate the representation"),
        back_label=_("Keep the representation active"),
    )


@router.post("/consuls/{consulate_id:int}/active")
def set_consulate_active(
    consulate_id: int, db_session: SessionDep, user: OrganiserUser, active: Annotated[bool, Form()]
) -> RedirectResponse:
    consulate = service.get(consulate_id, db_session=db_session)
    service.set_consulate_active(consulate, active, db_session=db_session, actor=user)
    return RedirectResponse(f"/manage/consuls/{consulate_id}?saved=1", status_code=303)


@router.post("/consuls/{consulate_id:int}/representatives", response_class=HTMLResponse)
def add_representative(
    *,
    consulate_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    data: Annotated[RepresentativeInput, Form()],
) -> Response:
    consulate = service.get(consulate_id, db_session=db_session)
    try:
        service.add_representative(consulate, data, db_session=db_session, actor=user)
    except InvalidInput as exc:
        return _consulate_page(
            request, consulate_id, db_session, 422, person_form=data, person_errors=exc.errors
        )
    return RedirectResponse(f"/manage/consuls/{consulate_id}?saved=1", status_code=303)


def _representative_page(
    request: Request, representative_id: int, db_session: SessionDep, status: int = 200, **context: Any
) -> HTMLResponse:
    person = service.get_representative(representative_id, db_session=db_session)
    values = {
        "person": person,
        "consulate": service.get(person.consulate_id, db_session=db_session),
        "form": RepresentativeInput(
            name=person.name,
            title=person.title,
            email=person.email,
            languages=", ".join(person.languages),
            preferred_language=person.preferred_language,
        ),
        "errors": {},
        "saved": request.query_params.get("saved") == "1",
        **context,
    }
    return render(request, "consuls/manage/representative.html", values, status=status)


@router.get("/consuls/representatives/{representative_id:int}", response_class=HTMLResponse)
def representative_page(
    representative_id: int, request: Request, db_session: SessionDep, _user: OrganiserUser
) -> HTMLResponse:
    return _representative_page(request, representative_id, db_session)


@router.post("/consuls/representatives/{representative_id:int}", response_class=HTMLResponse)
def update_representative(
    *,
    representative_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    data: Annotated[RepresentativeInput, Form()],
) -> Response:
    person = service.get_representative(representative_id, db_session=db_session)
    try:
        service.update_representative(person, data, db_session=db_session, actor=user)
    except InvalidInput as exc:
        return _representative_page(request, representative_id, db_session, 422, form=data, errors=exc.errors)
    return RedirectResponse(f"/manage/consuls/representatives/{representative_id}?saved=1", status_code=303)


@router.get("/consuls/representatives/{representative_id:int}/active", response_class=HTMLResponse)
def confirm_deactivate_representative(
    representative_id: int, request: Request, db_session: SessionDep, _user: OrganiserUser
) -> Response:
    """What deactivating a representative does, before it is done."""
    person = service.get_representative(representative_id, db_session=db_session)
    return _deactivation_page(
        request,
        f"/manage/consuls/representatives/{representative_id}",
        active=person.active,
        title=_("Deactivate this representative?"),
        subject=f"{person.name} · {person.email}",
        consequences=[
            _("Their invitation and calendar links and their sessions stop working at once."),
            _("They are no longer invited to the stops ahead."),
            _("Reactivating them later emails the invitations still ahead again, with fresh links."),
        ],
        button=_("Deactivate the representative"),
        back_label=_("Keep the representative active"),
    )


@router.post("/consuls/representatives/{representative_id:int}/active")
def set_representative_active(
    representative_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    active: Annotated[bool, Form()],
) -> RedirectResponse:
    person = service.get_representative(representative_id, db_session=db_session)
    settings = request.app.state.settings
    invitations.set_active(person, active, db_session=db_session, actor=user, settings=settings)
    return RedirectResponse(f"/manage/consuls/representatives/{representative_id}?saved=1", status_code=303)


@router.get("/stops/{stop_id:int}/consuls", response_class=HTMLResponse, name="manage_stop_consuls")
def stop_consuls(
    *,
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    _user: OrganiserUser,
    invited: Annotated[int | None, Query()] = None,
    already: Annotated[int | None, Query()] = None,
    without: Annotated[str | None, Query()] = None,
    attendance: Annotated[int | None, Query()] = None,
) -> HTMLResponse:
    stop = stops_service.get(stop_id, db_session=db_session)
    settings = request.app.state.settings
    context = {
        "stop": stop,
        "rows": follow_up.matrix(stop, db_session=db_session, settings=settings),
        "columns": follow_up.MATRIX_COLUMNS,
        "missing": follow_up.missing_countries(stop, db_session=db_session)
        if follow_up.within_missing_window(stop)
        else [],
        "attendance_open": follow_up.attendance_open(stop),
        "late": follow_up.late_confirmations([stop.id or 0], db_session=db_session).get(stop.id or 0, []),
        "slot_times": slots.slot_times(stop),
        "reminder_days": settings.invitation_reminder_days,
        "sector_names": {
            sector.slug: localized(sector, "name")
            for sector in reference_service.get_all_sectors(db_session=db_session)
        },
        "invited": invited,
        "already": already,
        "without": [code for code in (without or "").split(",") if code],
        "attendance_saved": attendance,
    }
    return render(request, "consuls/manage/stop_consuls.html", context)


@router.get("/stops/{stop_id:int}/consuls/invite", response_class=HTMLResponse)
def confirm_invite(
    stop_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> HTMLResponse:
    stop = stops_service.get(stop_id, db_session=db_session)
    plan = invitations.plan_invitations(stop, db_session=db_session)
    countries = {code: db_session.get(Country, code) for code, _person in plan.to_invite}
    people = [f"{person.name} ({localized(countries[code], 'name')})" for code, person in plan.to_invite]
    lines = [
        ngettext(
            "%(num)d representative receives an invitation by email, in their language: %(people)s.",
            "%(num)d representatives receive an invitation by email, in their language: %(people)s.",
            len(people),
        )
        % {"num": len(people), "people": "; ".join(people)}
        if people
        else _("Every representative of the prospect countries is already invited: nobody is written to.")
    ]
    if plan.already_invited:
        lines.append(
            ngettext(
                "%(num)d already invited is not written to again.",
                "%(num)d already invited are not written to again.",
                plan.already_invited,
            )
            % {"num": plan.already_invited}
        )
    confirmation = confirm.Confirmation(
        title=_("Invite the representatives"),
        subject=f"{localized(stop, 'title')} · {date_text(stop.stop_date)}",
        consequences=lines,
        action=f"/manage/stops/{stop_id}/consuls/invite",
        button=_("Send the invitations"),
        back_href=f"/manage/stops/{stop_id}/consuls",
        back_label=_("Not yet"),
        danger=False,
    )
    return confirm.page(request, confirmation, section="stops")


@router.post("/stops/{stop_id:int}/consuls/invite")
def invite(stop_id: int, request: Request, db_session: SessionDep, user: OrganiserUser) -> RedirectResponse:
    stop = stops_service.get(stop_id, db_session=db_session)
    result = invitations.invite_stop(
        stop, db_session=db_session, actor=user, settings=request.app.state.settings
    )
    query = f"invited={len(result.created)}&already={result.already_invited}"
    if result.countries_without_representative:
        query += "&without=" + ",".join(result.countries_without_representative)
    return RedirectResponse(f"/manage/stops/{stop_id}/consuls?{query}", status_code=303)


@router.post("/stops/{stop_id:int}/consuls/attendance")
def attendance(
    stop_id: int,
    db_session: SessionDep,
    user: OrganiserUser,
    attended: Annotated[list[int], Form()] = [],  # noqa: B006 (FastAPI copies form defaults)
) -> RedirectResponse:
    stop = stops_service.get(stop_id, db_session=db_session)
    count = follow_up.mark_attendance(stop, set(attended), db_session=db_session, actor=user)
    return RedirectResponse(f"/manage/stops/{stop_id}/consuls?attendance={count}", status_code=303)


def _deactivation_page(
    request: Request,
    back: str,
    *,
    active: bool,
    title: str,
    subject: str,
    consequences: list[str],
    button: str,
    back_label: str,
) -> Response:
    """The confirmation before ``{back}/active`` deactivates; nothing to confirm when inactive."""
    if not active:
        return RedirectResponse(back, status_code=303)
    confirmation = confirm.Confirmation(
        title=title,
        subject=subject,
        consequences=consequences,
        action=f"{back}/active",
        button=button,
        back_href=back,
        back_label=back_label,
        fields={"active": "false"},
    )
    return confirm.page(request, confirmation, section="consuls")

"""Organisers' pages for a stop's registrations: table, add, move, cancel, capacity, import, export."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session, col, select
from starlette.datastructures import FormData, UploadFile

from app import clock, confirm
from app.accounts.deps import OrganiserUser
from app.companies import cancelling, changes, exports, forms, imports, listing, registrations, seats, signup
from app.companies.listing import RegistrationFilters
from app.companies.models import ACTIVE_STATUSES, Company, RegistrationStatus
from app.companies.profiles import CompanyData
from app.companies.registrations import AttendeeData, RegistrationData
from app.db import SessionDep, TransactionRoute, discard_changes
from app.errors import Conflict, InvalidInput
from app.i18n import gettext as _
from app.reference import service as reference_service
from app.reference.models import Country, Sector, Territory
from app.stops import service as stops_service
from app.stops.models import Stop, StopStatus
from app.stops.service import StopView
from app.web import date_text, localized, render

router = APIRouter(prefix="/manage", tags=["manage"], route_class=TransactionRoute)
FormDep = Annotated[FormData, Depends(forms.read_form)]
IMPORT_SALT = "companies-import"


def _filters(
    *,
    q: Annotated[str, Query()] = "",
    status: Annotated[str, Query()] = "",
    province: Annotated[str, Query()] = "",
    size: Annotated[str, Query()] = "",
    country: Annotated[str, Query()] = "",
    sort: Annotated[str, Query()] = "time",
    dir: Annotated[str, Query()] = "asc",
) -> RegistrationFilters:
    return RegistrationFilters(
        q=q, status=status, province=province, size=size, country=country, sort=sort, descending=dir == "desc"
    )


FiltersDep = Annotated[RegistrationFilters, Depends(_filters)]


def _stop_view(stop: Stop, *, db_session: Session) -> StopView:
    """Any stop (drafts too) with its sector, territory, countries and seats taken."""
    codes = registrations.featured_countries(stop.id or 0, db_session=db_session)
    return StopView(
        stop=stop,
        sector=db_session.get_one(Sector, stop.sector_slug),
        territory=db_session.get_one(Territory, stop.territory_code),
        countries=[db_session.get_one(Country, code) for code in codes],
        seats_taken=seats.seats_taken(stop.id or 0, db_session=db_session),
    )


def _other_stops(stop: Stop, *, db_session: Session) -> list[Stop]:
    """The stops a registration may move to: not this one, not cancelled or closed, not yet held."""
    query = (
        select(Stop)
        .where(Stop.id != stop.id)
        .where(col(Stop.status).in_((StopStatus.PUBLISHED, StopStatus.DRAFT)))
        .where(col(Stop.stop_date) >= clock.today())
    )
    return list(db_session.exec(query.order_by(col(Stop.stop_date))))


@router.get("/stops/{stop_id}/registrations", response_class=HTMLResponse, name="manage_registrations")
def table(
    stop_id: int,
    request: Request,
    user: OrganiserUser,
    filters: FiltersDep,
    db_session: SessionDep,
    page: Annotated[str, Query()] = "1",
) -> HTMLResponse:
    """A page of 100 registrations (a stop may have thousands); the exports keep every row."""
    stop = stops_service.get(stop_id, db_session=db_session)
    view = _stop_view(stop, db_session=db_session)
    errors: dict[str, str] = {}
    number = int(page) if page.isdigit() else 1
    try:
        found = listing.page_for_stop(stop_id, filters, number, db_session=db_session)
    except InvalidInput as exc:
        errors, found = exc.errors, listing.Page([], 0, 1, 1, listing.PER_PAGE)
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "message")])
    context: dict[str, Any] = {
        "view": view,
        "rows": found.rows,
        "page": found,
        "page_numbers": _page_numbers(found.number, found.count),
        "filters": filters,
        "errors": errors,
        "counts": listing.status_counts(stop_id, db_session=db_session),
        "active": ACTIVE_STATUSES,
        "statuses": [s.value for s in RegistrationStatus],
        "other_stops": _other_stops(stop, db_session=db_session),
        "query": query,
        "message": request.query_params.get("message", ""),
        **forms.profile_options(db_session=db_session),
    }
    return render(request, "companies/manage/registrations.html", context, status=422 if errors else 200)


def _page_numbers(current: int, count: int) -> list[int | None]:
    """The page links: the first, the last and three either side of the current (None: a gap)."""
    shown = sorted({1, count, *range(max(1, current - 3), min(count, current + 3) + 1)})
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers


def _back(stop_id: int, message: str) -> RedirectResponse:
    return RedirectResponse(f"/manage/stops/{stop_id}/registrations?{urlencode({'message': message})}", 303)


@router.post("/stops/{stop_id}/capacity")
def capacity(stop_id: int, user: OrganiserUser, form: FormDep, db_session: SessionDep) -> Response:
    value = str(form.get("capacity", "")).strip()
    if not value.isdigit():
        return _back(stop_id, _("Enter the capacity as a whole number."))
    try:
        promoted = changes.set_capacity(stop_id, int(value), db_session=db_session, by=user)
    except InvalidInput as exc:
        discard_changes(db_session)
        return _back(stop_id, next(iter(exc.errors.values())))
    return _back(
        stop_id,
        _("Capacity set to %(capacity)s; %(n)d promoted from the waiting list.")
        % {"capacity": value, "n": len(promoted)},
    )


@router.get("/registrations/{registration_id}/cancel", response_class=HTMLResponse)
def confirm_cancel(
    registration_id: int, request: Request, user: OrganiserUser, db_session: SessionDep
) -> Response:
    registration = registrations.get(registration_id, db_session=db_session)
    back = f"/manage/stops/{registration.stop_id}/registrations"
    if registration.status not in ACTIVE_STATUSES:
        return RedirectResponse(back, status_code=303)
    stop = stops_service.get(registration.stop_id, db_session=db_session)
    company = db_session.get(Company, registration.company_id)
    parts = (company.name if company else "", localized(stop, "title"), date_text(stop.stop_date))
    confirmation = confirm.Confirmation(
        title=_("Cancel the registration"),
        subject=" · ".join(parts),
        consequences=cancelling.consequences(registration, organiser=True, db_session=db_session),
        action=f"/manage/registrations/{registration_id}/cancel",
        button=_("Cancel the registration"),
        back_href=back,
        back_label=_("Keep the registration"),
    )
    return confirm.page(request, confirmation, section="stops")


@router.post("/registrations/{registration_id}/cancel")
def cancel(registration_id: int, user: OrganiserUser, db_session: SessionDep) -> Response:
    registration = registrations.get(registration_id, db_session=db_session)
    stop_id = registration.stop_id
    try:
        changes.cancel(registration_id, db_session=db_session, by=user)
    except Conflict as exc:
        discard_changes(db_session)
        return _back(stop_id, exc.translated())
    return _back(stop_id, _("The registration has been cancelled."))


@router.post("/registrations/{registration_id}/move")
def move(registration_id: int, user: OrganiserUser, form: FormDep, db_session: SessionDep) -> Response:
    registration = registrations.get(registration_id, db_session=db_session)
    stop_id = registration.stop_id
    target = str(form.get("stop_id", "")).strip()
    if not target.isdigit():
        return _back(stop_id, _("Choose the stop to move the registration to."))
    try:
        changes.move(registration_id, int(target), db_session=db_session, by=user)
    except (Conflict, InvalidInput) as exc:
        discard_changes(db_session)
        message = next(iter(exc.errors.values())) if isinstance(exc, InvalidInput) else exc.translated()
        return _back(stop_id, message)
    return _back(stop_id, _("The registration has been moved."))


def _new_page(
    request: Request,
    stop_id: int,
    *,
    db_session: Session,
    company: CompanyData,
    details: RegistrationData,
    errors: dict[str, str] | None = None,
    problem: str = "",
    status: int = 200,
) -> HTMLResponse:
    stop = stops_service.get(stop_id, db_session=db_session)
    view = _stop_view(stop, db_session=db_session)
    people = details.attendees if isinstance(details.attendees, list) else []
    rows = (people + [AttendeeData()] * stop.attendees_per_company)[: stop.attendees_per_company]
    context = {
        "view": view,
        "company": company,
        "details": details,
        "attendee_rows": rows,
        "errors": errors or {},
        "problem": problem,
        **forms.profile_options(db_session=db_session),
    }
    return render(request, "companies/manage/new.html", context, status=status)


@router.get("/stops/{stop_id}/registrations/new", response_class=HTMLResponse)
def new_form(stop_id: int, request: Request, user: OrganiserUser, db_session: SessionDep) -> HTMLResponse:
    return _new_page(
        request, stop_id, db_session=db_session, company=CompanyData(), details=RegistrationData([])
    )


@router.post("/stops/{stop_id}/registrations/new", response_class=HTMLResponse)
def new(
    stop_id: int, request: Request, user: OrganiserUser, form: FormDep, db_session: SessionDep
) -> Response:
    stop = stops_service.get(stop_id, db_session=db_session)
    company = forms.company_data(form)
    details = forms.registration_data(form, stop.attendees_per_company)
    try:
        signup.sign_up(stop_id, company, details, db_session=db_session, user=user)
    except InvalidInput as exc:
        return _new_page(
            request,
            stop_id,
            db_session=db_session,
            company=company,
            details=details,
            errors=exc.errors,
            status=422,
        )
    except Conflict as exc:
        discard_changes(db_session)  # the page counts the seats as they were
        return _new_page(
            request,
            stop_id,
            db_session=db_session,
            company=company,
            details=details,
            problem=exc.translated(),
            status=409,
        )
    return _back(stop_id, _("The company has been registered."))


def _reference_names(db_session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """Sector and country names in the request's language, for the exports."""
    sectors = {
        s.slug: reference_service.name(s) for s in reference_service.get_all_sectors(db_session=db_session)
    }
    countries = reference_service.get_all_countries(db_session=db_session, prospects_only=False)
    return sectors, {c.code: reference_service.name(c) for c in countries}


@router.get("/stops/{stop_id}/registrations.csv")
def export_csv(stop_id: int, user: OrganiserUser, filters: FiltersDep, db_session: SessionDep) -> Response:
    stop = stops_service.get(stop_id, db_session=db_session)
    rows = listing.for_stop(stop_id, filters, db_session=db_session)
    return exports.csv_response(f"registrations-{stop.slug}.csv", rows, *_reference_names(db_session))


@router.get("/stops/{stop_id}/registrations.xlsx")
def export_xlsx(stop_id: int, user: OrganiserUser, filters: FiltersDep, db_session: SessionDep) -> Response:
    stop = stops_service.get(stop_id, db_session=db_session)
    rows = listing.for_stop(stop_id, filters, db_session=db_session)
    return exports.xlsx_response(f"registrations-{stop.slug}.xlsx", rows, *_reference_names(db_session))


def _signer(request: Request) -> URLSafeSerializer:
    return URLSafeSerializer(request.app.state.settings.secret_key, salt=IMPORT_SALT)


@router.get("/stops/{stop_id}/registrations/import", response_class=HTMLResponse)
def import_form(stop_id: int, request: Request, user: OrganiserUser, db_session: SessionDep) -> HTMLResponse:
    stop = stops_service.get(stop_id, db_session=db_session)
    return render(request, "companies/manage/import.html", {"stop": stop, "errors": {}, "preview": None})


@router.post("/stops/{stop_id}/registrations/import", response_class=HTMLResponse)
def import_preview(
    stop_id: int, request: Request, user: OrganiserUser, form: FormDep, db_session: SessionDep
) -> HTMLResponse:
    stop = stops_service.get(stop_id, db_session=db_session)
    upload = form.get("file")
    register = form.get("register") == "yes"
    context: dict[str, Any] = {"stop": stop, "errors": {}, "preview": None, "register": register}
    if not isinstance(upload, UploadFile) or not upload.filename:
        context["errors"] = {"file": _("Choose a .csv or .xlsx file.")}
        return render(request, "companies/manage/import.html", context, status=422)
    content = upload.file.read()
    try:
        table = imports.read_table(upload.filename, content)
        preview = imports.preview(table, db_session=db_session)
    except InvalidInput as exc:
        context["errors"] = exc.errors
        return render(request, "companies/manage/import.html", context, status=422)
    context["preview"] = preview
    context["payload"] = _signer(request).dumps(imports.payload(preview.valid))
    return render(request, "companies/manage/import.html", context)


@router.post("/stops/{stop_id}/registrations/import/apply")
def import_apply(
    stop_id: int, request: Request, user: OrganiserUser, form: FormDep, db_session: SessionDep
) -> Response:
    stops_service.get(stop_id, db_session=db_session)
    try:
        rows = _signer(request).loads(str(form.get("payload", "")))
    except BadSignature:
        return _back(stop_id, _("The import has expired: upload the file again."))
    register_at = stop_id if form.get("register") == "yes" else None
    try:
        result = imports.apply(rows, db_session=db_session, by=user, register_at_stop=register_at)
    except InvalidInput as exc:
        discard_changes(db_session)
        return _back(stop_id, next(iter(exc.errors.values())))
    message = _(
        "Imported: %(created)d new companies, %(known)d already known; registered %(registered)d, "
        "waiting list %(waitlisted)d, already registered %(already)d."
    ) % {
        "created": result.created,
        "known": result.known,
        "registered": result.registered,
        "waitlisted": result.waitlisted,
        "already": result.already_registered,
    }
    return _back(stop_id, message)

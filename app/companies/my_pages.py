"""The company's own area (/my): registrations, profile, calendar, its data and erasing it."""

import json
from contextlib import suppress
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app import confirm, ics
from app.accounts.deps import require_roles
from app.accounts.models import Role, User
from app.companies import cancelling, changes, forms, listing, privacy, profiles, registrations, signup
from app.companies.models import ACTIVE_STATUSES, Company
from app.companies.registrations import AttendeeData, RegistrationData
from app.db import SessionDep, TransactionRoute
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import gettext as _
from app.i18n import lazy
from app.stops import service as stops_service
from app.web import SESSION_COOKIE, date_text, localized, render

router = APIRouter(prefix="/my", tags=["pages"], route_class=TransactionRoute)
CompanyUser = Annotated[User, Depends(require_roles(Role.COMPANY))]
FormDep = Annotated[Any, Depends(forms.read_form)]


def _company(user: User, db_session: Session) -> Company:
    company = signup.company_of(user, db_session=db_session)
    if company is None:
        raise NotFound(lazy("Your company's data are no longer here."))
    return company


@router.get("", response_class=HTMLResponse, name="my_home")
def home(
    request: Request,
    user: CompanyUser,
    db_session: SessionDep,
    confirmed: Annotated[int | None, Query()] = None,
) -> HTMLResponse:
    company = _company(user, db_session)
    rows = listing.for_company(company.id or 0, db_session=db_session)
    # The registration whose address was just confirmed, to say where it really stands.
    just_confirmed = next((row.registration for row, _ in rows if row.registration.id == confirmed), None)
    context = {"company": company, "rows": rows, "confirmed": just_confirmed, "active": ACTIVE_STATUSES}
    return render(request, "companies/my/home.html", context)


def _profile_page(
    request: Request, data: Any, errors: dict[str, str], db_session: Session, status: int = 200
) -> HTMLResponse:
    context = {
        "company": data,
        "errors": errors,
        "saved": False,
        **forms.profile_options(db_session=db_session),
    }
    return render(request, "companies/my/company.html", context, status=status)


@router.get("/company", response_class=HTMLResponse, name="my_company")
def company_form(request: Request, user: CompanyUser, db_session: SessionDep) -> HTMLResponse:
    company = _company(user, db_session)
    return _profile_page(request, profiles.data_of(company, db_session=db_session), {}, db_session)


@router.post("/company", response_class=HTMLResponse)
def company_save(request: Request, user: CompanyUser, form: FormDep, db_session: SessionDep) -> Response:
    company = _company(user, db_session)
    data = forms.company_data(form)
    try:
        profiles.update_profile(company, data, db_session=db_session)
    except InvalidInput as exc:
        return _profile_page(request, data, exc.errors, db_session, status=422)
    return RedirectResponse("/my?saved=1", status_code=303)


def _edit_page(
    request: Request,
    registration_id: int,
    user: User,
    *,
    db_session: Session,
    details: RegistrationData | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    registration = registrations.get_for(registration_id, user, db_session=db_session)
    view = stops_service.get_public(registration.stop_id, db_session=db_session)
    if details is None:
        countries, attendees = listing.details_of(registration_id, db_session=db_session)
        people = [AttendeeData(a.name, a.role, a.email) for a in attendees]
        details = RegistrationData(attendees=people, countries=countries, note=registration.note)
    people = details.attendees if isinstance(details.attendees, list) else []
    rows = (people + [AttendeeData()] * view.stop.attendees_per_company)[: view.stop.attendees_per_company]
    context = {
        "registration": registration,
        "view": view,
        "details": details,
        "attendee_rows": rows,
        "errors": errors or {},
    }
    return render(request, "companies/my/registration.html", context, status=status)


@router.get("/registrations/{registration_id}", response_class=HTMLResponse, name="my_registration")
def registration_form(
    registration_id: int, request: Request, user: CompanyUser, db_session: SessionDep
) -> HTMLResponse:
    return _edit_page(request, registration_id, user, db_session=db_session)


@router.post("/registrations/{registration_id}", response_class=HTMLResponse)
def registration_save(
    registration_id: int, request: Request, user: CompanyUser, form: FormDep, db_session: SessionDep
) -> Response:
    registration = registrations.get_for(registration_id, user, db_session=db_session)
    stop = stops_service.get(registration.stop_id, db_session=db_session)
    details = forms.registration_data(form, stop.attendees_per_company)
    try:
        changes.update_details(registration_id, details, db_session=db_session, by=user)
    except InvalidInput as exc:
        return _edit_page(
            request,
            registration_id,
            user,
            db_session=db_session,
            details=details,
            errors=exc.errors,
            status=422,
        )
    return RedirectResponse("/my?saved=1", status_code=303)


@router.get("/registrations/{registration_id}/cancel", response_class=HTMLResponse, name="my_cancel")
def confirm_cancel(
    registration_id: int, request: Request, user: CompanyUser, db_session: SessionDep
) -> Response:
    registration = registrations.get_for(registration_id, user, db_session=db_session)
    if registration.status not in ACTIVE_STATUSES:
        return RedirectResponse("/my", status_code=303)
    stop = stops_service.get(registration.stop_id, db_session=db_session)
    title = localized(stop, "title")
    confirmation = confirm.Confirmation(
        title=_("Cancel the registration"),
        subject=f"{title} · {date_text(stop.stop_date, 'full')} · {stop.city}",
        consequences=cancelling.consequences(registration, organiser=False, db_session=db_session),
        action=f"/my/registrations/{registration_id}/cancel",
        button=_("Cancel the registration"),
        back_href="/my",
        back_label=_("Keep the registration"),
    )
    return confirm.page(request, confirmation, template=confirm.PUBLIC)


@router.post("/registrations/{registration_id}/cancel")
def registration_cancel(registration_id: int, user: CompanyUser, db_session: SessionDep) -> RedirectResponse:
    with suppress(Conflict):  # already lapsed: nothing left to cancel
        changes.cancel(registration_id, db_session=db_session, by=user)
    return RedirectResponse("/my?cancelled=1", status_code=303)


@router.get("/registrations/{registration_id}/calendar.ics", name="my_calendar")
def registration_calendar(
    registration_id: int, request: Request, user: CompanyUser, db_session: SessionDep
) -> Response:
    registration = registrations.get_for(registration_id, user, db_session=db_session)
    stop = stops_service.get(registration.stop_id, db_session=db_session)
    url = f"{request.app.state.settings.base_url.rstrip('/')}/stops/{stop.id}"
    body = ics.build(localized(stop, "title"), [ics.stop_event(stop, url=url)])
    return ics.response(body, f"roadshow-{stop.slug}.ics")


@router.get("/data.json", name="my_data")
def my_data(user: CompanyUser, db_session: SessionDep) -> Response:
    data = privacy.export(_company(user, db_session), db_session=db_session)
    headers = {"Content-Disposition": 'attachment; filename="roadshow-company-data.json"'}
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2), media_type="application/json", headers=headers
    )


@router.get("/erase", response_class=HTMLResponse, name="my_erase")
def erase_form(request: Request, user: CompanyUser, db_session: SessionDep) -> HTMLResponse:
    return render(request, "companies/my/erase.html", {"company": _company(user, db_session), "error": ""})


@router.post("/erase", response_class=HTMLResponse)
def erase(request: Request, user: CompanyUser, form: FormDep, db_session: SessionDep) -> Response:
    company = _company(user, db_session)
    if form.get("vat_number", "").strip().upper().removeprefix("IT") != company.vat_number:
        context = {"company": company, "error": True}
        return render(request, "companies/my/erase.html", context, status=422)
    privacy.erase(company, db_session=db_session, by=user)
    response = RedirectResponse("/?erased=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response

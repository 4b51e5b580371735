"""Public pages: registering at a stop, confirming by the emailed link, the privacy notice."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session
from starlette.datastructures import FormData

from app import clock
from app.accounts import service as accounts_service
from app.accounts.deps import OptionalUser, Public, signer
from app.accounts.models import User
from app.companies import forms, profiles, registrations, signup
from app.companies.models import Company, Registration
from app.companies.profiles import CompanyData
from app.companies.registrations import PRIVACY_VERSION, AttendeeData, RegistrationData
from app.db import SessionDep, TransactionRoute, discard_changes, keep_changes
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import lazy
from app.stops import service as stops_service
from app.web import SESSION_COOKIE, render

router = APIRouter(tags=["pages"], route_class=TransactionRoute)
RECEIPT_SALT = "registration-received"
RECEIPT_SECONDS = 24 * 3600  # the receipt page tells the status; after a day the email does
FormDep = Annotated[FormData, Depends(forms.read_form)]


def _form_page(
    request: Request,
    stop_id: int,
    user: User | None,
    *,
    db_session: Session,
    company: CompanyData,
    details: RegistrationData,
    errors: dict[str, str] | None = None,
    problem: str = "",
    status: int = 200,
) -> HTMLResponse:
    view = stops_service.get_public(stop_id, db_session=db_session)
    attendees = details.attendees if isinstance(details.attendees, list) else []
    rows = attendees + [AttendeeData()] * (view.stop.attendees_per_company - len(attendees))
    context: dict[str, Any] = {
        "view": view,
        "company": company,
        "details": details,
        "attendee_rows": rows[: view.stop.attendees_per_company],
        "errors": errors or {},
        "problem": problem,
        "signed_in_company": signup.company_of(user, db_session=db_session),
        "privacy_version": PRIVACY_VERSION,
        **forms.profile_options(db_session=db_session),
    }
    return render(request, "companies/public/register.html", context, status=status)


@router.get("/stops/{stop_id}/register", response_class=HTMLResponse, name="register", dependencies=[Public])
def register_form(stop_id: int, request: Request, user: OptionalUser, db_session: SessionDep) -> HTMLResponse:
    own = signup.company_of(user, db_session=db_session)
    company = profiles.data_of(own, db_session=db_session) if own else CompanyData()
    details = RegistrationData(attendees=[])
    if own is not None:
        details.attendees = [AttendeeData(own.contact_name, own.contact_role, own.contact_email)]
    return _form_page(request, stop_id, user, db_session=db_session, company=company, details=details)


@router.post("/stops/{stop_id}/register", response_class=HTMLResponse, dependencies=[Public])
def register(
    stop_id: int, request: Request, user: OptionalUser, form: FormDep, db_session: SessionDep
) -> Response:
    view = stops_service.get_public(stop_id, db_session=db_session)
    company = forms.company_data(form)
    details = forms.registration_data(form, view.stop.attendees_per_company)
    try:
        registration = signup.sign_up(stop_id, company, details, db_session=db_session, user=user)
    except InvalidInput as exc:
        return _form_page(
            request,
            stop_id,
            user,
            db_session=db_session,
            company=company,
            details=details,
            errors=exc.errors,
            status=422,
        )
    except Conflict as exc:
        discard_changes(db_session)  # the page counts the seats as they were
        return _form_page(
            request,
            stop_id,
            user,
            db_session=db_session,
            company=company,
            details=details,
            problem=exc.translated(),
            status=409,
        )
    receipt = _receipts(request).dumps([registration.id, company.contact_email])
    return RedirectResponse(f"/stops/{stop_id}/registered/{receipt}", status_code=303)


def _receipts(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.settings.secret_key, salt=RECEIPT_SALT)


@router.get("/stops/{stop_id}/registered/{receipt}", response_class=HTMLResponse, dependencies=[Public])
def registered(stop_id: int, receipt: str, request: Request, db_session: SessionDep) -> HTMLResponse:
    """Where a registration lands after its POST, so that reloading the page registers nothing."""
    try:
        registration_id, typed_email = _receipts(request).loads(receipt, max_age=RECEIPT_SECONDS)
    except BadSignature as exc:
        raise NotFound(lazy("This page has expired: your registrations are in the email we sent.")) from exc
    registration = db_session.get(Registration, registration_id)
    if registration is None or registration.stop_id != stop_id:
        raise NotFound(lazy("This page has expired: your registrations are in the email we sent."))
    context = {
        "view": stops_service.get_public(stop_id, db_session=db_session),
        "registration": registration,
        "company": db_session.get(Company, registration.company_id),
        "typed_email": typed_email,
    }
    return render(request, "companies/public/registered.html", context)


@router.get(
    "/registrations/confirm/{token}", response_class=HTMLResponse, name="confirm", dependencies=[Public]
)
def confirm_form(token: str, request: Request) -> HTMLResponse:
    # A button, not the link itself, confirms: mail scanners that open links must not confirm.
    return render(request, "companies/public/confirm.html", {"token": token})


@router.post("/registrations/confirm/{token}", dependencies=[Public])
def confirm(token: str, request: Request, db_session: SessionDep) -> Response:
    try:
        registration = registrations.confirm(token, db_session=db_session)
    except Conflict as exc:
        keep_changes(db_session)  # the link stays used
        return render(
            request, "companies/public/confirm.html", {"token": "", "problem": exc.translated()}, 409
        )
    company = db_session.get(Company, registration.company_id)
    user = profiles.ensure_company_user(company, db_session=db_session) if company else None
    response = RedirectResponse(f"/my?confirmed={registration.id}", status_code=303)
    if user is not None:
        # Following the emailed link proves the address: the contact is signed in.
        user.last_login_at = clock.now()
        db_session.add(user)
        response.set_cookie(
            SESSION_COOKIE,
            signer(request).session_cookie(user),
            max_age=accounts_service.SESSION_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.secure_cookies,
        )
    return response


@router.get("/privacy", response_class=HTMLResponse, name="privacy", dependencies=[Public])
def privacy(request: Request) -> HTMLResponse:
    return render(request, "companies/public/privacy.html", {"privacy_version": PRIVACY_VERSION})

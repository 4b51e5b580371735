"""Signing in: organisers with a password (/login), companies and consuls by emailed link (/sign-in)."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import confirm
from app.accounts import limits, service
from app.accounts.api import WRONG_CREDENTIALS
from app.accounts.deps import (
    AdminUser,
    CurrentUser,
    Limiter,
    OptionalUser,
    Public,
    client_address,
    signer,
)
from app.accounts.models import Role, User
from app.db import SessionDep, TransactionRoute, keep_changes
from app.errors import Conflict, InvalidInput
from app.forms import FormModel
from app.i18n import gettext as _
from app.pages import safe_next
from app.web import SESSION_COOKIE, render


class LoginForm(FormModel):
    email: str = ""
    password: str = ""
    next: str = "/account"


class SignInForm(FormModel):
    email: str = ""
    next: str = "/account"


class OrganiserForm(FormModel):
    email: str = ""
    password: str = ""
    language: str = "it"


router = APIRouter(tags=["pages"], route_class=TransactionRoute)


def _start_session(request: Request, user: User, next_path: str) -> RedirectResponse:
    response = RedirectResponse(safe_next(next_path), status_code=303)
    settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        signer(request).session_cookie(user),
        max_age=service.SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.get("/login", response_class=HTMLResponse, name="login", dependencies=[Public])
def login_form(request: Request, user: OptionalUser, next: Annotated[str | None, Query()] = None) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next or "/account"), status_code=303)
    # Without a page to return to, people land on their home (``/account`` sends them there).
    return render(request, "accounts/public/login.html", {"next": safe_next(next or "/account"), "email": ""})


@router.post("/login", response_class=HTMLResponse, dependencies=[Public])
def login(
    request: Request,
    db_session: SessionDep,
    limiter: Limiter,
    form: Annotated[LoginForm, Form()],
) -> Response:
    email, password, next = form.email, form.password, form.next
    checks = limits.login_checks(client_address(request), email)
    limiter.check(checks, db_session=db_session)
    user = service.authenticate(email, password, db_session=db_session) if email and password else None
    if user is None or user.role not in service.STAFF_ROLES:
        limiter.hit(checks, db_session=db_session)
        keep_changes(db_session)  # the failure counts towards the limit
        context = {"next": safe_next(next), "email": email, "error": _(WRONG_CREDENTIALS)}
        return render(request, "accounts/public/login.html", context, status=401)
    return _start_session(request, user, next)


@router.post("/logout", dependencies=[Public])
def logout() -> RedirectResponse:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


HOME_BY_ROLE = {Role.ADMIN: "/manage", Role.ORGANISER: "/manage", Role.COMPANY: "/my", Role.CONSUL: "/consul"}


@router.get("/account", name="account")
def account(user: CurrentUser) -> RedirectResponse:
    """Each kind of person has a home: the back office, the company's area, the consul's area."""
    return RedirectResponse(HOME_BY_ROLE[Role(user.role)], status_code=303)


@router.get("/sign-in", response_class=HTMLResponse, name="sign_in", dependencies=[Public])
def sign_in_form(request: Request, next: Annotated[str | None, Query()] = None) -> HTMLResponse:
    context = {"next": safe_next(next or "/account"), "email": "", "errors": {}}
    return render(request, "accounts/public/sign_in.html", context)


@router.post("/sign-in", response_class=HTMLResponse, dependencies=[Public])
def request_sign_in_link(
    request: Request,
    db_session: SessionDep,
    limiter: Limiter,
    form: Annotated[SignInForm, Form()],
) -> HTMLResponse:
    email, next_path = form.email, safe_next(form.next)
    try:
        address = service.normalise_email(email)
    except InvalidInput as exc:
        context = {"next": next_path, "email": email, "errors": exc.errors}
        return render(request, "accounts/public/sign_in.html", context, status=422)
    limiter.hit_and_check(limits.link_checks(client_address(request), address), db_session=db_session)
    service.request_sign_in_link(address, next_path=next_path, db_session=db_session)
    # The same answer whether or not the address belongs to anyone.
    sent = {"email": address, "minutes": service.LINK_LIFETIME.seconds // 60}
    return render(request, "accounts/public/sign_in_sent.html", sent)


def _dead_link(request: Request) -> HTMLResponse:
    context = {"next": "/account", "email": "", "errors": {}}
    return render(request, "accounts/public/sign_in_expired.html", context, status=410)


@router.get("/sign-in/{token}", response_class=HTMLResponse, dependencies=[Public])
def open_sign_in_link(token: str, request: Request, db_session: SessionDep) -> HTMLResponse:
    """Ask for one click before spending the link: mail scanners that fetch links would spend it."""
    found = service.find_link(token, db_session=db_session)
    if found is None:
        return _dead_link(request)
    link, user = found
    context = {"token": token, "email": user.email, "purpose": link.purpose, "expires_at": link.expires_at}
    return render(request, "accounts/public/sign_in_confirm.html", context)


@router.post("/sign-in/{token}", response_class=HTMLResponse, dependencies=[Public])
def use_sign_in_link(token: str, request: Request, db_session: SessionDep) -> Response:
    used = service.use_link(token, db_session=db_session)
    if used is None:
        keep_changes(db_session)  # a link that was still good is spent all the same
        return _dead_link(request)
    link, user = used
    return _start_session(request, user, link.next_path)


@router.get("/manage/organisers", response_class=HTMLResponse, name="organisers")
def organisers(
    request: Request, db_session: SessionDep, user: AdminUser, done: Annotated[str, Query()] = ""
) -> HTMLResponse:
    return _organisers_page(request, db_session, user, done=done)


def _organisers_page(
    request: Request,
    db_session: SessionDep,
    user: User,
    *,
    done: str = "",
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "user": user,
        "staff": service.list_staff(db_session=db_session),
        "done": done if done in ("created", "deactivated", "activated") else "",
        "form": form or {"email": "", "language": "it"},
        "errors": errors or {},
    }
    return render(request, "accounts/manage/organisers.html", context, status=status)


@router.post("/manage/organisers", response_class=HTMLResponse)
def create_organiser(
    request: Request,
    db_session: SessionDep,
    user: AdminUser,
    fields: Annotated[OrganiserForm, Form()],
) -> Response:
    email, password, language = fields.email, fields.password, fields.language
    form = {"email": email, "language": language}
    if language not in ("it", "en"):
        errors = {"language": _("Choose Italian or English.")}
        return _organisers_page(request, db_session, user, form=form, errors=errors, status=422)
    try:
        service.create_organiser(
            db_session=db_session, actor=user, email=email, password=password, language=language
        )
    except InvalidInput as exc:
        errors = {field: _(message) for field, message in exc.errors.items()}
        return _organisers_page(request, db_session, user, form=form, errors=errors, status=422)
    except Conflict as exc:
        errors = {"email": exc.translated()}
        return _organisers_page(request, db_session, user, form=form, errors=errors, status=409)
    return RedirectResponse("/manage/organisers?done=created", status_code=303)


@router.get("/manage/organisers/{user_id}/deactivate", response_class=HTMLResponse)
def confirm_deactivate_organiser(
    user_id: int, request: Request, db_session: SessionDep, user: AdminUser
) -> Response:
    """What deactivating an organiser does, before it is done."""
    person = service.get(user_id, db_session=db_session)
    if person is None or person.role not in service.STAFF_ROLES or not person.is_active:
        return RedirectResponse("/manage/organisers", status_code=303)
    confirmation = confirm.Confirmation(
        title=_("Deactivate this account?"),
        subject=person.email,
        consequences=[
            _("They are signed out at once: their sessions, API tokens and sign-in links stop working."),
            _("Reactivating the account later brings none of them back: they sign in afresh."),
        ],
        action=f"/manage/organisers/{user_id}/deactivate",
        button=_("Deactivate the account"),
        back_href="/manage/organisers",
        back_label=_("Keep the account active"),
    )
    return confirm.page(request, confirmation, section="organisers")


@router.post("/manage/organisers/{user_id}/deactivate")
def deactivate_organiser(user_id: int, db_session: SessionDep, user: AdminUser) -> RedirectResponse:
    service.set_staff_active(db_session=db_session, actor=user, user_id=user_id, active=False)
    return RedirectResponse("/manage/organisers?done=deactivated", status_code=303)


@router.post("/manage/organisers/{user_id}/activate")
def activate_organiser(user_id: int, db_session: SessionDep, user: AdminUser) -> RedirectResponse:
    service.set_staff_active(db_session=db_session, actor=user, user_id=user_id, active=True)
    return RedirectResponse("/manage/organisers?done=activated", status_code=303)

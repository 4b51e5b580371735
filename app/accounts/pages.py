"""Organisers' sign-in page with a session cookie, and sign-out."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts import service
from app.accounts.api import WRONG_CREDENTIALS
from app.accounts.deps import CurrentUser, OptionalUser, Public, signer
from app.accounts.models import Role
from app.db import SessionDep
from app.i18n import gettext as _
from app.pages import safe_next
from app.web import SESSION_COOKIE, render

router = APIRouter(tags=["pages"])


@router.get("/login", response_class=HTMLResponse, name="login", dependencies=[Public])
def login_form(request: Request, user: OptionalUser, next: Annotated[str | None, Query()] = None) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "accounts/public/login.html", {"next": safe_next(next), "email": ""})


@router.post("/login", response_class=HTMLResponse, dependencies=[Public])
def login(
    request: Request,
    db_session: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    user = service.authenticate(email, password, db_session=db_session) if email and password else None
    if user is None:
        context = {"next": safe_next(next), "email": email, "error": _(WRONG_CREDENTIALS)}
        return render(request, "accounts/public/login.html", context, status=401)
    response = RedirectResponse(safe_next(next), status_code=303)
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

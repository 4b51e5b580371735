"""OAuth2 password flow for organisers using the API."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from app.accounts import limits, service
from app.accounts.deps import Limiter, Public, client_address, signer
from app.db import SessionDep, TransactionRoute, keep_changes
from app.i18n import gettext as _
from app.i18n import lazy

router = APIRouter(prefix="/api/auth", tags=["auth"], route_class=TransactionRoute)

WRONG_CREDENTIALS = lazy("Wrong email or password.")


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 (the OAuth2 token type, not a secret)
    expires_in: int = service.API_TOKEN_MAX_AGE


@router.post(
    "/token",
    response_model=Token,
    dependencies=[Public],
    summary="Exchange an organiser's email and password for a token",
    responses={
        401: {"description": "Wrong email or password (the same answer for an unknown email)"},
        429: {"description": "Too many failed attempts from this address or for this email; see Retry-After"},
    },
)
def issue_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    db_session: SessionDep,
    limiter: Limiter,
) -> Token | JSONResponse:
    checks = limits.login_checks(client_address(request), form.username)
    limiter.check(checks, db_session=db_session)
    user = service.authenticate(form.username, form.password, db_session=db_session)
    if user is None or user.role not in service.STAFF_ROLES:
        limiter.hit(checks, db_session=db_session)
        keep_changes(db_session)  # the failure counts towards the limit
        return JSONResponse(
            {"detail": _(WRONG_CREDENTIALS)}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
    return Token(access_token=signer(request).api_token(user))

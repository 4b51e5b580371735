"""OAuth2 password flow for organisers using the API."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from app.accounts import service
from app.accounts.deps import Public, signer
from app.accounts.models import Role
from app.db import SessionDep
from app.errors import Unauthorized
from app.i18n import lazy

router = APIRouter(prefix="/api/auth", tags=["auth"])

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
)
def issue_token(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()], db_session: SessionDep
) -> Token:
    user = service.authenticate(form.username, form.password, db_session=db_session)
    if user is None or user.role not in (Role.ORGANISER, Role.ADMIN):
        raise Unauthorized(WRONG_CREDENTIALS)
    return Token(access_token=signer(request).api_token(user))

"""Who is asking: dependencies that load the signed-in user and check their role.

A bearer token (API) or the session cookie (pages) identifies the user. Routes declare who may
use them with ``Annotated`` aliases: ``CurrentUser``, ``OrganiserUser``, ``AdminUser``.
"""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from app.accounts import service
from app.accounts.limits import RateLimiter, limiter_for
from app.accounts.models import Role, User
from app.db import SessionDep
from app.errors import Forbidden, Unauthorized
from app.web import SESSION_COOKIE

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def signer(request: Request) -> service.Signer:
    return service.Signer(request.app.state.settings.secret_key)


def get_optional_user(
    request: Request, db_session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User | None:
    sign = signer(request)
    claim = None
    if token:
        claim = sign.api_token_claim(token)
        if claim is None:
            raise Unauthorized()
    elif cookie := request.cookies.get(SESSION_COOKIE):
        claim = sign.session_claim(cookie)
    if claim is None:
        return None
    found = service.get_signed_in(claim.subject_id, db_session=db_session)
    # A token signed before the user's last revocation names an older version: it is refused
    # here, on the row loaded anyway, at no extra query.
    user = found if found is not None and found.is_active and claim.is_current_for(found) else None
    # Pages read it (``current_user`` in templates) to show what this person may open.
    request.state.user = user
    return user


async def public() -> None:
    """Declares a route open to anyone; routes without it must require a user.

    Async, as it does nothing: a sync dependency would cost each public request a hop through
    the thread pool.
    """


Public = Depends(public)

OptionalUser = Annotated[User | None, Depends(get_optional_user)]


async def get_current_user(user: OptionalUser) -> User:
    if user is None:
        raise Unauthorized()
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: Role) -> Callable[[User], Coroutine[Any, Any, User]]:
    # Async, as they only look at the user: sync ones would each cost a thread-pool hop.
    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden()
        return user

    # Read by the route-access test, which checks every route against what it declares.
    check.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
    return check


OrganiserUser = Annotated[User, Depends(require_roles(Role.ORGANISER, Role.ADMIN))]
AdminUser = Annotated[User, Depends(require_roles(Role.ADMIN))]


def rate_limiter(request: Request) -> RateLimiter:
    """The app's limiter (database or Redis), built on first use from its settings."""
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    if limiter is None:
        limiter = limiter_for(request.app.state.settings.redis_url)
        request.app.state.rate_limiter = limiter
    return limiter


Limiter = Annotated[RateLimiter, Depends(rate_limiter)]


def client_address(request: Request) -> str:
    # Behind a proxy, uvicorn's proxy_headers has already put the forwarded address here.
    return request.client.host if request.client else "unknown"

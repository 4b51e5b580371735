"""CSRF protection for every form that changes state.

Each browser gets a random ``roadshow_csrf`` cookie; forms carry ``csrf_token``, an HMAC of
that cookie under the app's secret (``{{ csrf_input() }}`` in templates). Every unsafe request
outside ``/api`` must present the matching token. The JSON API is exempt: it is called with a
bearer token or a JSON body, which a cross-site form cannot send.
"""

import hashlib
import hmac
import secrets

from fastapi import Request
from markupsafe import Markup, escape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db import SAFE_METHODS
from app.errors import Forbidden
from app.i18n import lazy

CSRF_COOKIE = "roadshow_csrf"
CSRF_FIELD = "csrf_token"
EXPIRED_FORM = lazy("This form has expired. Please go back, reload the page and try again.")


def _sign(secret_key: str, browser_key: str) -> str:
    return hmac.new(secret_key.encode(), browser_key.encode(), hashlib.sha256).hexdigest()


def browser_key(request: Request) -> str:
    return str(request.scope.get("state", {}).get("csrf_key") or request.cookies.get(CSRF_COOKIE, ""))


def token_for(request: Request) -> str:
    return _sign(request.app.state.settings.secret_key, browser_key(request))


def csrf_input(request: Request) -> Markup:
    return Markup('<input type="hidden" name="%s" value="%s">') % (CSRF_FIELD, escape(token_for(request)))


async def verify_csrf(request: Request) -> None:
    """App-wide dependency: refuse unsafe page requests without the browser's token."""
    if request.method in SAFE_METHODS or request.url.path.startswith("/api"):
        return
    key = request.cookies.get(CSRF_COOKIE, "")
    content_type = request.headers.get("content-type", "")
    sent = ""
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else ""
    sent = sent or request.headers.get("x-csrf-token", "")
    expected = _sign(request.app.state.settings.secret_key, key)
    if not key or not hmac.compare_digest(sent, expected):
        raise Forbidden(EXPIRED_FORM)


class CsrfCookieMiddleware:
    """Gives every browser its random CSRF key the first time it comes."""

    def __init__(self, app: ASGIApp, secure: bool = False) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(("/api", "/static", "/healthz")):
            await self.app(scope, receive, send)
            return
        has_key = any(
            name == b"cookie" and CSRF_COOKIE.encode() + b"=" in value for name, value in scope["headers"]
        )
        if has_key:
            await self.app(scope, receive, send)
            return
        key = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_key"] = key
        cookie = f"{CSRF_COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax"
        if self.secure:
            cookie += "; Secure"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, send_with_cookie)

"""Typed errors that carry their HTTP status, rendered as JSON under /api and as pages elsewhere."""

import logging
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.i18n import gettext as _
from app.i18n import lazy

logger = logging.getLogger(__name__)

# Input that passed validation but that the database cannot hold: an id past 64 bits (SQLite's
# driver raises OverflowError, PostgreSQL "out of range"), or a NUL character in text, which
# PostgreSQL refuses. Found by fuzzing; a 422 then, never a 500.
UNSTORABLE = lazy("A value is too large or contains a character that cannot be stored (such as a NUL byte).")


class AppError(Exception):
    """An error a person can read; ``message`` is an English msgid, translated on display."""

    status_code = 400
    default_message = lazy("The request could not be completed.")

    def __init__(self, message: str | None = None, **params: Any) -> None:
        self.message = message or self.default_message
        self.params = params
        super().__init__(self.message % params if params else self.message)

    def translated(self) -> str:
        text = _(self.message)
        return text % self.params if self.params else text


class NotFound(AppError):
    status_code = 404
    default_message = lazy("We could not find what you asked for.")


class Unauthorized(AppError):
    status_code = 401
    default_message = lazy("Please sign in to continue.")


class Forbidden(AppError):
    status_code = 403
    default_message = lazy("You are not allowed to do this.")


class Conflict(AppError):
    status_code = 409
    default_message = lazy("This conflicts with the current state.")


class TooManyRequests(AppError):
    status_code = 429
    default_message = lazy("Too many attempts. Please wait a moment and try again.")

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class InvalidInput(AppError):
    """Bad input detected by a service: one message per field, like a 422 from validation."""

    status_code = 422
    default_message = lazy("Some fields need your attention.")

    def __init__(self, errors: dict[str, str], location: str = "body") -> None:
        self.errors = errors
        self.location = location
        super().__init__()


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/healthz"


def _error_page(request: Request, status: int, message: str, **headers: str) -> Response:
    from app.web import render

    template = f"errors/{status}.html" if status in (403, 404, 500) else "errors/error.html"
    response = render(request, template, {"status": status, "message": message}, status=status)
    response.headers.update(headers)
    return response


def _headers_for(exc: AppError) -> dict[str, str]:
    if isinstance(exc, TooManyRequests):
        return {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, Unauthorized):
        return {"WWW-Authenticate": "Bearer"}
    return {}


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        errors.append(
            {
                "loc": loc,
                "field": ".".join(part for part in loc if part not in ("body", "query", "path")),
                "msg": error.get("msg", "invalid"),
                "type": error.get("type", "value_error"),
            }
        )
    return errors


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def handle_app_error(request: Request, exc: AppError) -> Response:
        headers = _headers_for(exc)
        if wants_json(request):
            body: dict[str, Any] = {"detail": exc.translated()}
            if isinstance(exc, InvalidInput):
                body["detail"] = [
                    {
                        "loc": [exc.location, *field.split(".")],
                        "field": field,
                        "msg": _(msg),
                        "type": "value_error",
                    }
                    for field, msg in exc.errors.items()
                ]
            return JSONResponse(body, status_code=exc.status_code, headers=headers)
        if isinstance(exc, Unauthorized):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
        return _error_page(request, exc.status_code, exc.translated(), **headers)

    @app.exception_handler(RequestValidationError)
    async def handle_validation_error(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": _validation_errors(exc)}, status_code=422)
        message = "; ".join(f"{e['field']}: {e['msg']}" for e in _validation_errors(exc))
        return _error_page(request, 422, message)

    @app.exception_handler(StarletteHTTPException)
    async def handle_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
        messages = {
            404: NotFound.default_message,
            403: Forbidden.default_message,
            401: Unauthorized.default_message,
            405: lazy("This page does not accept that kind of request."),
            413: lazy("What you sent is too large."),
        }
        message = messages.get(exc.status_code, str(exc.detail))
        return _error_page(request, exc.status_code, _(message), **headers)

    @app.exception_handler(DataError)
    @app.exception_handler(OverflowError)
    async def handle_unstorable_value(request: Request, exc: Exception) -> Response:
        logger.info(
            "Refused a value the database cannot store on %s %s: %s", request.method, request.url.path, exc
        )
        message = _(UNSTORABLE)
        if wants_json(request):
            detail = [{"loc": ["request"], "field": "request", "msg": message, "type": "value_error"}]
            return JSONResponse({"detail": detail}, status_code=422)
        return _error_page(request, 422, message)

    @app.exception_handler(Exception)
    async def handle_unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("Unhandled error on %s %s", request.method, request.url.path)
        message = _("Something went wrong on our side. Please try again later.")
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=500)
        return _error_page(request, 500, message)

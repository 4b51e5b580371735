"""Pages that belong to no single area: health, language switch, the favicon."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from sqlalchemy import text

from app.accounts.deps import Public
from app.db import SessionDep, TransactionRoute
from app.errors import InvalidInput
from app.i18n import LANGUAGE_COOKIE, LANGUAGES
from app.i18n import gettext as _

router = APIRouter(route_class=TransactionRoute)


@router.get("/healthz", tags=["health"], summary="Liveness and database check", dependencies=[Public])
def healthz(db_session: SessionDep) -> JSONResponse:
    try:
        db_session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    except Exception:
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


def safe_next(next_url: str | None) -> str:
    """Only local paths: never redirect a visitor to another site."""
    if not next_url or not next_url.startswith("/") or next_url.startswith("//") or "\\" in next_url:
        return "/"
    return next_url


@router.get("/language/{language}", name="set_language", tags=["pages"], dependencies=[Public])
def set_language(language: str, next: Annotated[str | None, Query()] = None) -> RedirectResponse:
    if language not in LANGUAGES:
        raise InvalidInput({"language": _("Choose Italian (it) or English (en).")}, location="path")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


FAVICON = Path(__file__).parent / "static" / "favicon.svg"


@router.get("/favicon.ico", include_in_schema=False, dependencies=[Public])
def favicon() -> FileResponse:
    """Browsers ask for /favicon.ico whatever the page says; they all read an SVG icon."""
    return FileResponse(
        FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"}
    )

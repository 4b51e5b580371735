"""Back-office pages for reference data (``/manage/reference``)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.accounts.deps import OrganiserUser
from app.db import SessionDep, TransactionRoute
from app.errors import InvalidInput, NotFound
from app.i18n import gettext as _
from app.i18n import lazy
from app.reference import changes
from app.reference import service as reference_service
from app.reference.models import Territory
from app.web import render

router = APIRouter(prefix="/manage/reference", tags=["back office"], route_class=TransactionRoute)

SAVED = lazy("Your changes have been saved.")


async def form_data(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormData = Annotated[dict[str, Any], Depends(form_data)]


def _notice(done: str | None) -> str:
    return _(SAVED) if done == "saved" else ""


@router.get("", response_class=HTMLResponse, name="manage_reference")
def index(request: Request, db_session: SessionDep, user: OrganiserUser) -> HTMLResponse:
    context = {
        "section": "reference",
        "sectors": reference_service.get_all_sectors(db_session=db_session),
        "territories": reference_service.get_all_territories(db_session=db_session),
    }
    return render(request, "reference/manage/index.html", context)


def _sectors_page(
    request: Request, db_session: Session, values: dict[str, Any], errors: dict[str, str], notice: str = ""
) -> HTMLResponse:
    sectors = reference_service.get_all_sectors(db_session=db_session)
    if not values:
        values = {
            f"name_{lang}-{s.slug}": getattr(s, f"name_{lang}") for s in sectors for lang in ("it", "en")
        }
    context = {
        "section": "reference",
        "sectors": sectors,
        "values": values,
        "errors": errors,
        "notice": notice,
    }
    return render(request, "reference/manage/sectors.html", context, status=422 if errors else 200)


@router.get("/sectors", response_class=HTMLResponse, name="manage_sectors")
def sectors(
    request: Request, db_session: SessionDep, user: OrganiserUser, done: Annotated[str | None, Query()] = None
) -> HTMLResponse:
    return _sectors_page(request, db_session, {}, {}, _notice(done))


@router.post("/sectors", response_class=HTMLResponse)
def save_sectors(request: Request, db_session: SessionDep, user: OrganiserUser, form: FormData) -> Response:
    try:
        changes.update_sectors(form, actor=user, db_session=db_session)
    except InvalidInput as exc:
        return _sectors_page(request, db_session, form, exc.errors)
    return RedirectResponse("/manage/reference/sectors?done=saved", status_code=303)


def _territory_page(
    request: Request,
    db_session: Session,
    territory: Territory,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    notice: str = "",
) -> HTMLResponse:
    sectors = reference_service.get_all_sectors(db_session=db_session)
    if not values:
        scores = changes.territory_scores(territory.code, db_session=db_session)
        values = {"association": territory.association, "association_url": territory.association_url or ""}
        for sector in sectors:
            row = scores.get(sector.slug)
            values[f"affinity-{sector.slug}"] = row.affinity if row else 0
            values[f"strength-{sector.slug}"] = "on" if row and row.strength else ""
    context = {
        "section": "reference",
        "territory": territory,
        "sectors": sectors,
        "values": values,
        "errors": errors,
        "notice": notice,
    }
    return render(request, "reference/manage/territory.html", context, status=422 if errors else 200)


def _territory(code: str, db_session: Session) -> Territory:
    territory = db_session.get(Territory, code.upper())
    if territory is None:
        raise NotFound(lazy("This province does not exist."))
    return territory


@router.get("/territories/{code}", response_class=HTMLResponse, name="manage_territory")
def territory(
    code: str,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    done: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    return _territory_page(request, db_session, _territory(code, db_session), {}, {}, notice=_notice(done))


@router.post("/territories/{code}", response_class=HTMLResponse)
def save_territory(
    code: str, request: Request, db_session: SessionDep, user: OrganiserUser, form: FormData
) -> Response:
    try:
        saved = changes.update_territory(code, form, actor=user, db_session=db_session)
    except InvalidInput as exc:
        return _territory_page(request, db_session, _territory(code, db_session), form, exc.errors)
    return RedirectResponse(f"/manage/reference/territories/{saved.code}?done=saved", status_code=303)


def _interest_page(
    request: Request, db_session: Session, values: dict[str, Any], errors: dict[str, str], notice: str = ""
) -> HTMLResponse:
    sectors = reference_service.get_all_sectors(db_session=db_session)
    countries = reference_service.get_all_countries(db_session=db_session)
    if not values:
        interest = reference_service.get_interest(db_session=db_session)
        values = {
            f"score-{s.slug}-{c.code}": interest.get(s.slug, {}).get(c.code, 0)
            for s in sectors
            for c in countries
        }
    context = {
        "section": "reference",
        "sectors": sectors,
        "countries": countries,
        "values": values,
        "errors": errors,
        "notice": notice,
    }
    return render(request, "reference/manage/interest.html", context, status=422 if errors else 200)


@router.get("/interest", response_class=HTMLResponse, name="manage_interest")
def interest(
    request: Request, db_session: SessionDep, user: OrganiserUser, done: Annotated[str | None, Query()] = None
) -> HTMLResponse:
    return _interest_page(request, db_session, {}, {}, _notice(done))


@router.post("/interest", response_class=HTMLResponse)
def save_interest(request: Request, db_session: SessionDep, user: OrganiserUser, form: FormData) -> Response:
    try:
        changes.update_interest(form, actor=user, db_session=db_session)
    except InvalidInput as exc:
        return _interest_page(request, db_session, form, exc.errors)
    return RedirectResponse("/manage/reference/interest?done=saved", status_code=303)

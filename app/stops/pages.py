"""Public pages: the roadshow calendar and a stop's page."""

from datetime import date
from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.accounts.deps import Public
from app.agenda import service as agenda_service
from app.db import SessionDep, TransactionRoute
from app.errors import InvalidInput
from app.reference import service as reference_service
from app.stops import service
from app.stops.service import StopFilters, StopView
from app.web import localized, render

router = APIRouter(tags=["pages"], route_class=TransactionRoute)


def _by_month(views: list[StopView]) -> list[tuple[date, list[StopView]]]:
    def month_of(view: StopView) -> date:
        return view.stop.stop_date.replace(day=1)

    return [(month, list(group)) for month, group in groupby(views, key=month_of)]


@router.get("/", response_class=HTMLResponse, name="calendar", dependencies=[Public])
def calendar(
    request: Request,
    db_session: SessionDep,
    sector: Annotated[str | None, Query()] = None,
    country: Annotated[str | None, Query()] = None,
    territory: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    filters = StopFilters(sector=sector, country=country, territory=territory)
    errors: dict[str, str] = {}
    try:
        views = service.list_public(filters, db_session=db_session)
    except InvalidInput as exc:
        errors, views = exc.errors, []
    upcoming = [v for v in views if not v.is_past]
    past = sorted((v for v in views if v.is_past), key=lambda v: v.stop.stop_date, reverse=True)
    context = {
        "upcoming": _by_month(upcoming),
        "past": _by_month(past),
        "filters": filters.normalised(),
        "errors": errors,
        "sector_options": [
            (s.slug, localized(s, "name")) for s in reference_service.get_all_sectors(db_session=db_session)
        ],
        "country_options": sorted(
            (
                (c.code, localized(c, "name"))
                for c in reference_service.get_all_countries(db_session=db_session)
            ),
            key=lambda option: option[1],
        ),
        "territory_options": [
            (t.code, t.name) for t in reference_service.get_all_territories(db_session=db_session)
        ],
    }
    return render(request, "stops/public/calendar.html", context, status=422 if errors else 200)


@router.get("/stops/{stop_id}", response_class=HTMLResponse, name="stop_page", dependencies=[Public])
def stop_page(stop_id: int, request: Request, db_session: SessionDep) -> HTMLResponse:
    view = service.get_public(stop_id, db_session=db_session)
    agenda_entries = agenda_service.public_entries(view.stop, db_session=db_session)
    return render(request, "stops/public/stop.html", {"view": view, "agenda_entries": agenda_entries})

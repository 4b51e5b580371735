"""Public pages: the roadshow calendar and a stop's page."""

from datetime import date, datetime
from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlmodel import Session

from app.accounts.deps import Public
from app.agenda import reading as agenda_reading
from app.db import SessionDep, TransactionRoute
from app.errors import InvalidInput
from app.freshness import service as freshness
from app.freshness.deps import copies
from app.i18n import current_language
from app.reference import service as reference_service
from app.stops import service
from app.stops.service import StopFilters, StopView
from app.web import localized, render, render_fragment

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
    filters = StopFilters(sector=sector, country=country, territory=territory).normalised()
    freshness.stamp(db_session=db_session)  # the reference data comes with the tokens
    try:
        service.check_filters(filters, db_session=db_session)
    except InvalidInput as exc:
        content_html, _ = _calendar_content(request, filters, exc.errors, db_session=db_session)
        return render(request, "stops/public/calendar.html", {"content_html": content_html}, status=422)
    content_html = copies(request).kept(
        ("calendar", filters, current_language()),
        lambda: _calendar_content(request, filters, {}, db_session=db_session),
        db_session=db_session,
    )
    return render(request, "stops/public/calendar.html", {"content_html": content_html})


def _calendar_content(
    request: Request, filters: StopFilters, errors: dict[str, str], *, db_session: Session
) -> tuple[Markup, datetime | None]:
    """The calendar's introduction, filters and stops (none when the filters have errors), and
    the moment it next changes by itself. The filters' reference data is covered by the tokens
    the copy is kept under, which carry the reference data's own."""
    views, changes_at = ([], None) if errors else service.list_public_until(filters, db_session=db_session)
    upcoming = [v for v in views if not v.is_past]
    past = sorted((v for v in views if v.is_past), key=lambda v: v.stop.stop_date, reverse=True)
    known = reference_service.cached(db_session=db_session)
    context = {
        "filters": filters,
        "errors": errors,
        "sector_options": [(s.slug, localized(s, "name")) for s in known.sectors],
        "country_options": sorted(
            ((c.code, localized(c, "name")) for c in known.prospect_countries),
            key=lambda option: option[1],
        ),
        "territory_options": [(t.code, t.name) for t in known.territories],
        "upcoming": _by_month(upcoming),
        "past": _by_month(past),
    }
    return render_fragment(request, "stops/public/_calendar_content.html", context), changes_at


@router.get("/stops/{stop_id}", response_class=HTMLResponse, name="stop_page", dependencies=[Public])
def stop_page(stop_id: int, request: Request, db_session: SessionDep) -> HTMLResponse:
    title, stop_html = copies(request).kept(
        ("stop", stop_id, current_language()),
        lambda: _stop_body(stop_id, request, db_session=db_session),
        db_session=db_session,
    )
    return render(request, "stops/public/stop.html", {"title": title, "stop_html": stop_html})


def _stop_body(
    stop_id: int, request: Request, *, db_session: Session
) -> tuple[tuple[str, Markup], datetime | None]:
    """The stop's title and page body; a stop that is not public raises NotFound (never kept)."""
    view, changes_at = service.get_public_until(stop_id, db_session=db_session)
    agenda_entries = agenda_reading.public_entries(view.stop, db_session=db_session)
    context = {"view": view, "agenda_entries": agenda_entries}
    html = render_fragment(request, "stops/public/_stop.html", context)
    return (localized(view.stop, "title"), html), changes_at

"""Public JSON API of the roadshow calendar."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.accounts.deps import Public
from app.db import SessionDep
from app.i18n import current_language
from app.stops import service
from app.stops.schemas import StopPublic
from app.stops.service import StopFilters, StopView
from app.web import localized

router = APIRouter(prefix="/api/stops", tags=["stops"])


def to_public(view: StopView, request: Request) -> StopPublic:
    stop = view.stop
    english = current_language() == "en"
    return StopPublic(
        id=stop.id or 0,
        slug=stop.slug,
        title=localized(stop, "title"),
        description=localized(stop, "description"),
        sector=stop.sector_slug,
        sector_name=view.sector.name_en if english else view.sector.name_it,
        territory=stop.territory_code,
        territory_name=view.territory.name,
        city=stop.city,
        venue=stop.venue,
        venue_address=stop.venue_address,
        date=stop.stop_date,
        start_time=stop.start_time,
        end_time=stop.end_time,
        status=stop.status,
        countries=[c.code for c in view.countries],
        country_names={c.code: c.name_en if english else c.name_it for c in view.countries},
        capacity=stop.capacity,
        seats_left=view.seats_left,
        registration_opens_at=stop.registration_opens_at,
        registration_closes_at=stop.registration_closes_at,
        registration_open=view.registration_open(),
        url=str(request.url_for("stop_page", stop_id=stop.id)),
    )


@router.get(
    "", response_model=list[StopPublic], summary="Published stops of the roadshow", dependencies=[Public]
)
def list_stops(
    request: Request,
    db_session: SessionDep,
    sector: Annotated[str | None, Query(description="Sector slug, e.g. aerospace")] = None,
    country: Annotated[str | None, Query(description="ISO 3166 alpha-2 code, e.g. US")] = None,
    territory: Annotated[str | None, Query(description="Province code, e.g. VA")] = None,
) -> list[StopPublic]:
    filters = StopFilters(sector=sector, country=country, territory=territory)
    return [to_public(view, request) for view in service.list_public(filters, db_session=db_session)]


@router.get("/{stop_id}", response_model=StopPublic, summary="One published stop", dependencies=[Public])
def get_stop(stop_id: int, request: Request, db_session: SessionDep) -> StopPublic:
    return to_public(service.get_public(stop_id, db_session=db_session), request)

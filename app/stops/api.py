"""Public JSON API of the roadshow calendar."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from pydantic import BaseModel, Field, TypeAdapter

from app.accounts.deps import OrganiserUser, Public
from app.db import SessionDep, TransactionRoute
from app.freshness.deps import copies
from app.i18n import current_language
from app.stops import changes, service
from app.stops.schemas import StopPublic, StopWrite
from app.stops.service import StopFilters, StopView
from app.web import localized

router = APIRouter(prefix="/api/stops", tags=["stops"], route_class=TransactionRoute)
STOP_LIST = TypeAdapter(list[StopPublic])


def stop_urls(request: Request) -> Callable[[int], str]:
    """The public page's URL of any stop; ``url_for`` scans every route, so once per response."""
    sample = str(request.url_for("stop_page", stop_id=0))
    base = sample.removesuffix("0")
    return lambda stop_id: f"{base}{stop_id}"


def to_public(view: StopView, request: Request, url: Callable[[int], str] | None = None) -> StopPublic:
    stop = view.stop
    url = url or stop_urls(request)
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
        url=url(stop.id or 0),
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
) -> Response:
    filters = StopFilters(sector=sector, country=country, territory=territory).normalised()
    url = stop_urls(request)

    def build() -> tuple[bytes, datetime]:
        views, changes_at = service.list_public_until(filters, db_session=db_session)
        # Serialised once by pydantic: FastAPI would validate the models again against the
        # response model before encoding them (the schema stays documented by response_model).
        body = STOP_LIST.dump_json([to_public(view, request, url) for view in views])
        return body, changes_at

    key = ("api-stops", filters, current_language(), url(0))
    body = copies(request).kept(key, build, db_session=db_session)
    return Response(body, media_type="application/json")


@router.get("/{stop_id}", response_model=StopPublic, summary="One published stop", dependencies=[Public])
def get_stop(stop_id: int, request: Request, db_session: SessionDep) -> StopPublic:
    return to_public(service.get_public(stop_id, db_session=db_session), request)


# The body is read field by field by the service (every bad field reported at once, in the
# reader's language); its schema is documented from StopWrite.
WRITE_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": StopWrite.model_json_schema()}},
    }
}
EXAMPLE = {
    "title": "Aerospazio a Varese",
    "sector": "aerospace",
    "territory": "VA",
    "city": "Varese",
    "venue": "Ville Ponti",
    "date": "2027-05-12",
    "capacity": 80,
    "countries": ["US", "DE", "FR"],
    "status": "published",
}


@router.post(
    "",
    response_model=StopPublic,
    status_code=201,
    summary="Create a stop (organisers)",
    openapi_extra=WRITE_BODY,
)
def create_stop(
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    body: Annotated[dict[str, Any], Body(examples=[EXAMPLE])],
) -> StopPublic:
    stop = changes.create(body, actor=user, db_session=db_session)
    return to_public(service.get_view(stop.id or 0, db_session=db_session), request)


@router.patch(
    "/{stop_id}",
    response_model=StopPublic,
    summary="Change some fields of a stop (organisers); people are told of changes that concern them",
    openapi_extra={"requestBody": {**WRITE_BODY["requestBody"], "required": False}},
)
def update_stop(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    body: Annotated[dict[str, Any], Body(examples=[{"venue": "Centro Congressi", "capacity": 100}])],
) -> StopPublic:
    changes.update(stop_id, body, actor=user, db_session=db_session)
    return to_public(service.get_view(stop_id, db_session=db_session), request)


class StatusChange(BaseModel):
    reason: str = Field("", max_length=1000, description="Told to the people concerned when cancelling")


def _transition(action: str) -> Any:
    def change_status(
        stop_id: int,
        request: Request,
        db_session: SessionDep,
        user: OrganiserUser,
        body: Annotated[StatusChange | None, Body()] = None,
    ) -> StopPublic:
        reason = body.reason if body else ""
        changes.transition(stop_id, action, actor=user, db_session=db_session, reason=reason)
        return to_public(service.get_view(stop_id, db_session=db_session), request)

    return change_status


for _action, _summary in (
    ("publish", "Publish a draft stop, or reopen its registrations (organisers)"),
    ("close", "Close a published stop's registrations (organisers)"),
    ("cancel", "Cancel a stop: people are told, registrations closed, waiting list cleared (organisers)"),
):
    router.add_api_route(
        f"/{{stop_id}}/{_action}",
        _transition(_action),
        methods=["POST"],
        response_model=StopPublic,
        summary=_summary,
        name=f"{_action}_stop",
    )

"""The organisers' results dashboard, and each of its tables as CSV or XLSX."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import OrganiserUser
from app.db import SessionDep, TransactionRoute
from app.errors import NotFound
from app.i18n import gettext as _
from app.i18n import lazy
from app.results import charts, export, service
from app.results import outcomes as outcome_tables
from app.web import render

router = APIRouter(tags=["results"], route_class=TransactionRoute)

FORMATS = {
    "csv": ("text/csv; charset=utf-8", export.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.to_xlsx),
}


@router.get("/manage/results", response_class=HTMLResponse, name="results_dashboard")
def dashboard(request: Request, db_session: SessionDep, user: OrganiserUser) -> HTMLResponse:
    results = service.build(db_session=db_session)
    tables = results.tables
    province = tables["companies-by-province"]
    by_country = tables["meetings-by-country"]
    heat = tables["sector-interest"]
    context = {
        "results": results,
        "tables": tables,
        "province_chart": charts.bars(
            province.column(0), [(_("Registered"), province.column(1)), (_("Present"), province.column(2))]
        ),
        "country_chart": charts.bars(
            by_country.column(0),
            [(_("Meetings requested"), by_country.column(1)), (_("Meetings held"), by_country.column(3))],
        ),
        "heatmap": charts.heatmap(heat.column(0), heat.headers[1:], [row[1:] for row in heat.rows]),
        "timeline": charts.timeline([(r.stop.stop_date, r.stop.city, r.held) for r in results.stops]),
    }
    context["outcomes"] = outcome_tables.build(db_session=db_session)
    context["outcome_dimensions"] = [(key, _(title)) for key, title in outcome_tables.DIMENSIONS]
    return render(request, "results/manage/dashboard.html", context)


@router.get("/manage/results/{slug}.{extension}", name="results_export")
def download(slug: str, extension: str, db_session: SessionDep, user: OrganiserUser) -> Response:
    if extension not in FORMATS:
        raise NotFound(lazy("Tables can be downloaded as .csv or .xlsx."))
    tables = outcome_tables.build(db_session=db_session) if slug in outcome_tables.SLUGS else None
    table = (tables or service.build(db_session=db_session).tables).get(slug)
    if table is None:
        raise NotFound(lazy("There is no results table with this name."))
    media_type, write = FORMATS[extension]
    return Response(
        write(table),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="roadshow-{slug}.{extension}"'},
    )

"""The organisers' planner: inputs, the proposed calendar, pins and changes, acceptance."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app import clock
from app.accounts.deps import OrganiserUser
from app.db import SessionDep, TransactionRoute
from app.errors import InvalidInput
from app.jobs import service as jobs
from app.jobs.runner import wake_runner
from app.planning import explanations, service, view_models
from app.planning.inputs import Form
from app.planning.models import PlanningScenario, ScenarioStatus
from app.planning.sources import default_form, italian_holidays, load_reference, patron_days
from app.web import render

router = APIRouter(prefix="/manage/planning", tags=["pages"], route_class=TransactionRoute)
MULTIPLE = ("weekdays", "countries")


async def form_values(request: Request) -> Form:
    """The posted form as strings; fields that may repeat (checkboxes) are joined by commas."""
    data = await request.form()
    values = {key: value for key, value in data.items() if isinstance(value, str) and key not in MULTIPLE}
    for key in MULTIPLE:
        values[key] = ",".join(value for value in data.getlist(key) if isinstance(value, str))
    values.pop("csrf_token", None)
    return values


FormValues = Annotated[Form, Depends(form_values)]


def _time_limit(request: Request) -> float:
    return float(request.app.state.settings.planner_time_limit)


def _page(
    request: Request,
    db_session: Session,
    *,
    form: Form,
    scenario: PlanningScenario | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    reference = load_reference(db_session=db_session)
    rows = view_models.proposal_rows(scenario, reference) if scenario else []
    context: dict[str, Any] = {
        "form": form,
        "errors": errors or {},
        "scenario": scenario,
        "reference": reference,
        "rows": rows,
        "months": view_models.months(rows, scenario.instance or {}) if scenario else [],
        "weekday_names": view_models.weekday_names(),
        "recent": service.get_recent(db_session=db_session) if scenario is None else [],
        "closed": _closed_dates(form),
        "patron_days": _patron_days(form, reference),
        "plan_job": _plan_job(scenario, db_session),
        "explanation": explanations.lines(scenario.explanation, reference) if scenario else [],
    }
    return render(request, "planning/manage/planner.html", context, status=status)


def _plan_job(scenario: PlanningScenario | None, db_session: Session) -> dict[str, Any] | None:
    """While the scenario waits for its plan: how long so far, or why its job failed."""
    if scenario is None or scenario.status != ScenarioStatus.PLANNING:
        return None
    job = jobs.latest(service.PLAN_KIND, scenario_id=scenario.id, db_session=db_session)
    if job is None:
        return {"seconds": 0, "error": None}
    return {"seconds": jobs.elapsed_seconds(job), "error": jobs.error_text(job)}


def _years(form: Form) -> range:
    start, end = form.get("window_start", "")[:4], form.get("window_end", "")[:4]
    if start.isdigit() and end.isdigit() and int(start) <= int(end):
        return range(int(start), int(end) + 1)
    return range(clock.today().year, clock.today().year + 2)


def _closed_dates(form: Form) -> list[tuple[Any, str]]:
    return sorted(italian_holidays(_years(form)).items())


def _patron_days(form: Form, reference: Any) -> dict[str, list[Any]]:
    years = _years(form)
    return {t.code: sorted(patron_days(t, years).items()) for t in reference.territories}


@router.get("", response_class=HTMLResponse, name="planner")
def planner(request: Request, db_session: SessionDep, user: OrganiserUser) -> HTMLResponse:
    reference = load_reference(db_session=db_session)
    return _page(request, db_session, form=default_form(reference, clock.today(), db_session=db_session))


@router.post("", response_class=HTMLResponse)
def create_scenario(
    request: Request, db_session: SessionDep, user: OrganiserUser, form: FormValues
) -> Response:
    try:
        scenario = service.create(form, db_session=db_session, user=user, time_limit=_time_limit(request))
    except InvalidInput as invalid:
        return _page(request, db_session, form=form, errors=invalid.errors, status=422)
    wake_runner(request)
    return RedirectResponse(f"/manage/planning/{scenario.id}", status_code=303)


@router.get("/{scenario_id}", response_class=HTMLResponse, name="planning_scenario")
def scenario_page(
    scenario_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> HTMLResponse:
    scenario = service.get(scenario_id, db_session=db_session)
    return _page(request, db_session, form=scenario.inputs, scenario=scenario)


@router.post("/{scenario_id}", response_class=HTMLResponse)
def update_inputs(
    scenario_id: int, request: Request, db_session: SessionDep, user: OrganiserUser, form: FormValues
) -> Response:
    scenario = service.get(scenario_id, db_session=db_session)
    try:
        service.update_inputs(scenario, form, db_session=db_session, time_limit=_time_limit(request))
    except InvalidInput as invalid:
        return _page(request, db_session, form=form, scenario=scenario, errors=invalid.errors, status=422)
    wake_runner(request)
    return _back(scenario)


@router.post("/{scenario_id}/plan")
def replan(scenario_id: int, request: Request, db_session: SessionDep, user: OrganiserUser) -> Response:
    scenario = service.get(scenario_id, db_session=db_session)
    service.replan(scenario, db_session=db_session, time_limit=_time_limit(request))
    wake_runner(request)
    return _back(scenario)


@router.post("/{scenario_id}/pin")
def pin(scenario_id: int, db_session: SessionDep, user: OrganiserUser, form: FormValues) -> Response:
    scenario = service.get(scenario_id, db_session=db_session)
    service.pin(scenario, form.get("stop", ""), db_session=db_session)
    return _back(scenario)


@router.post("/{scenario_id}/release")
def release(scenario_id: int, db_session: SessionDep, user: OrganiserUser, form: FormValues) -> Response:
    scenario = service.get(scenario_id, db_session=db_session)
    service.release(scenario, form.get("stop", ""), db_session=db_session)
    return _back(scenario)


@router.get("/{scenario_id}/change", response_class=HTMLResponse, name="planning_change")
def change_form(
    scenario_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    stop: Annotated[str, Query()] = "",
) -> HTMLResponse:
    scenario = service.get(scenario_id, db_session=db_session)
    proposed = service.proposed_stop(scenario, stop)
    values = {**proposed, "countries": ",".join(proposed["countries"])}
    return _change_page(request, db_session, scenario, stop, values, {})


@router.post("/{scenario_id}/change", response_class=HTMLResponse)
def change(
    scenario_id: int, request: Request, db_session: SessionDep, user: OrganiserUser, form: FormValues
) -> Response:
    scenario = service.get(scenario_id, db_session=db_session)
    key = form.get("stop", "")
    try:
        service.change(scenario, key, form, db_session=db_session, time_limit=_time_limit(request))
    except InvalidInput as invalid:
        return _change_page(request, db_session, scenario, key, form, invalid.errors, status=422)
    wake_runner(request)
    return _back(scenario)


@router.post("/{scenario_id}/accept")
def accept(scenario_id: int, db_session: SessionDep, user: OrganiserUser) -> Response:
    scenario = service.get(scenario_id, db_session=db_session)
    service.accept(scenario, db_session=db_session, user=user)
    return RedirectResponse("/manage/stops", status_code=303)


def _change_page(
    request: Request,
    db_session: Session,
    scenario: PlanningScenario,
    key: str,
    values: Form,
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    context = {
        "scenario": scenario,
        "key": key,
        "values": values,
        "chosen": values.get("countries", "").split(","),
        "errors": errors,
        "reference": load_reference(db_session=db_session),
    }
    return render(request, "planning/manage/change.html", context, status=status)


def _back(scenario: PlanningScenario) -> RedirectResponse:
    anchor = {ScenarioStatus.PLANNED: "#proposal", ScenarioStatus.PLANNING: "#planning"}.get(
        scenario.status, "#explanation"
    )
    return RedirectResponse(f"/manage/planning/{scenario.id}{anchor}", status_code=303)

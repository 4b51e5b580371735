"""Planning scenarios: plan from the organiser's inputs, hold stops, re-plan, accept as drafts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit_service
from app.errors import Conflict, InvalidInput, NotFound
from app.forms import Problems
from app.i18n import gettext as _
from app.i18n import lazy
from app.jobs import service as jobs
from app.jobs.models import Job
from app.planning import inputs as planner_inputs
from app.planning.engine.instance import InvalidInstance, load_instance
from app.planning.engine.solver import Infeasible, PlanningError, solve
from app.planning.inputs import Form, iso_date
from app.planning.models import PlanningScenario, ScenarioStatus
from app.planning.sources import Reference, build_instance, existing_stops, load_reference
from app.reference.models import Territory
from app.stops import changes as stop_changes
from app.stops.models import Stop, StopStatus

HOLD_PINNED, HOLD_CHANGED = "pinned", "changed"
PLAN_KIND = "plan"
DRAFT_CAPACITY = 80
DRAFT_VENUE = "Sede da confermare / Venue to be confirmed"


def stop_key(stop: Mapping[str, Any]) -> str:
    """Names a stop of a plan: no two stops share a date, sector and territory."""
    return f"{stop['date']}/{stop['sector']}/{stop['territory']}"


def get(scenario_id: int, *, db_session: Session) -> PlanningScenario:
    scenario = db_session.get(PlanningScenario, scenario_id)
    if scenario is None:
        raise NotFound(lazy("This planning scenario does not exist."))
    return scenario


def get_recent(*, db_session: Session, limit: int = 10) -> list[PlanningScenario]:
    query = select(PlanningScenario).order_by(
        col(PlanningScenario.created_at).desc(), col(PlanningScenario.id).desc()
    )
    return list(db_session.exec(query.limit(limit)))


def create(form: Form, *, db_session: Session, user: User, time_limit: float) -> PlanningScenario:
    """Check the inputs (InvalidInput names each bad field), save them and plan."""
    reference = load_reference(db_session=db_session)
    planner_inputs.parse(form, **reference.codes)
    scenario = PlanningScenario(inputs=dict(form), created_by=user.id)
    db_session.add(scenario)
    _plan(scenario, reference, db_session=db_session, time_limit=time_limit)
    return scenario


def update_inputs(scenario: PlanningScenario, form: Form, *, db_session: Session, time_limit: float) -> None:
    _check_open(scenario)
    reference = load_reference(db_session=db_session)
    planner_inputs.parse(form, **reference.codes)
    scenario.inputs = dict(form)
    _plan(scenario, reference, db_session=db_session, time_limit=time_limit)


def replan(scenario: PlanningScenario, *, db_session: Session, time_limit: float) -> None:
    _check_open(scenario)
    _plan(scenario, load_reference(db_session=db_session), db_session=db_session, time_limit=time_limit)


def pin(scenario: PlanningScenario, key: str, *, db_session: Session) -> None:
    """Keep a proposed stop as it is in the next plans."""
    _check_open(scenario)
    stop = proposed_stop(scenario, key)
    if any(stop_key(held) == key for held in scenario.held):
        return
    scenario.held = [*scenario.held, {**_plain(stop), "how": HOLD_PINNED}]
    _touch(scenario, db_session=db_session)


def release(scenario: PlanningScenario, key: str, *, db_session: Session) -> None:
    """Let the planner choose again for a stop the organiser had pinned or changed."""
    _check_open(scenario)
    if not any(stop_key(held) == key for held in scenario.held):
        raise NotFound(lazy("This stop is not pinned or changed."))
    scenario.held = [held for held in scenario.held if stop_key(held) != key]
    _touch(scenario, db_session=db_session)


def change(
    scenario: PlanningScenario, key: str, form: Form, *, db_session: Session, time_limit: float
) -> None:
    """Replace a proposed stop with the organiser's sector, territory, date and countries; plan again."""
    _check_open(scenario)
    original = proposed_stop(scenario, key)
    reference = load_reference(db_session=db_session)
    changed = _changed_stop(form, reference)
    # The sectors' totals stay as asked: moving a stop to another sector moves one of its stops.
    if changed["sector"] != original["sector"]:
        inputs = dict(scenario.inputs)
        for slug, step in ((original["sector"], -1), (changed["sector"], 1)):
            count = int(inputs.get(f"sector_stops.{slug}") or 0)
            inputs[f"sector_stops.{slug}"] = str(max(count + step, 0))
        scenario.inputs = inputs
    others = [held for held in scenario.held if stop_key(held) != key]
    scenario.held = [*others, {**changed, "how": HOLD_CHANGED}]
    _plan(scenario, reference, db_session=db_session, time_limit=time_limit)


def accept(scenario: PlanningScenario, *, db_session: Session, user: User) -> list[Stop]:
    """Create the plan's new stops as drafts (those not already in the calendar), audited."""
    _check_open(scenario)
    if scenario.status != ScenarioStatus.PLANNED or not scenario.result:
        raise Conflict(lazy("Only a plan that was found can be accepted."))
    sectors = {s.slug: s for s in load_reference(db_session=db_session).sectors}
    created = []
    for proposed in scenario.result["stops"]:
        day = iso_date(proposed["date"])
        assert day is not None
        exists = db_session.exec(
            select(Stop.id)
            .where(Stop.sector_slug == proposed["sector"], Stop.territory_code == proposed["territory"])
            .where(Stop.stop_date == day, col(Stop.status) != StopStatus.CANCELLED)
        ).first()
        if exists is not None:
            continue
        territory = db_session.get(Territory, proposed["territory"])
        assert territory is not None
        sector = sectors[proposed["sector"]]
        raw = {
            "title_it": f"Roadshow Internazionalizzazione – {sector.name_it} a {territory.capital}",
            "title_en": f"Internationalisation Roadshow – {sector.name_en} in {territory.capital}",
            "sector": sector.slug,
            "territory": territory.code,
            "city": territory.capital,
            "venue": DRAFT_VENUE,
            "date": day,
            "capacity": DRAFT_CAPACITY,
            "countries": list(proposed["countries"]),
            "status": StopStatus.DRAFT,
        }
        origin = {"planning_scenario": scenario.id}
        stop = stop_changes.create(raw, actor=user, db_session=db_session, origin=origin)
        created.append(stop)
    scenario.status = ScenarioStatus.ACCEPTED
    scenario.accepted_at = clock.now()
    _touch(scenario, db_session=db_session)
    audit_service.record(
        db_session=db_session,
        actor=user,
        action="accept",
        entity_type="planning_scenario",
        entity_id=scenario.id,
        after={"stops_created": [stop.id for stop in created]},
    )
    return created


def _plan(
    scenario: PlanningScenario, reference: Reference, *, db_session: Session, time_limit: float
) -> None:
    """Build the instance now and queue its solving: a job plans it off the request path."""
    inputs = planner_inputs.parse(scenario.inputs, **reference.codes)
    existing = existing_stops(inputs.start, inputs.end, db_session=db_session)
    held = [stop for stop in scenario.held if stop_key(stop) not in {stop_key(e) for e in existing}]
    scenario.instance = build_instance(inputs, reference, existing, held)
    scenario.result, scenario.explanation = None, None
    scenario.status = ScenarioStatus.PLANNING
    _touch(scenario, db_session=db_session)
    jobs.enqueue(
        PLAN_KIND,
        scenario_id=scenario.id,
        params={"time_limit": time_limit},
        user_id=scenario.created_by,
        refuse_while_active=False,
        db_session=db_session,
    )


def solve_instance(instance: dict[str, Any], *, time_limit: float) -> dict[str, Any]:
    """The planner's answer to an instance: the new status, the plan or the explanation."""
    try:
        result = solve(load_instance(instance), time_limit=time_limit)
    except InvalidInstance as invalid:
        return {"status": ScenarioStatus.INFEASIBLE, "explanation": invalid.problems}
    except Infeasible as infeasible:
        return {"status": ScenarioStatus.INFEASIBLE, "explanation": infeasible.why}
    except PlanningError as error:
        return {"status": ScenarioStatus.NO_PLAN, "explanation": error.why}
    return {"status": ScenarioStatus.PLANNED, "result": result}


@jobs.register_kind(PLAN_KIND)
def run_plan_job(job: Job, *, sessions: jobs.Sessions, progress: jobs.Progress) -> dict[str, Any]:
    """Solve with no session open; write the plan only if the scenario still waits for this one."""
    assert job.scenario_id is not None
    with sessions(write=False) as db_session:
        instance = get(job.scenario_id, db_session=db_session).instance
    if instance is None:
        return {"superseded": True}
    outcome = solve_instance(instance, time_limit=float(job.params["time_limit"]))
    with sessions() as db_session:
        scenario = db_session.get(PlanningScenario, job.scenario_id, with_for_update=True)
        if scenario is None or scenario.status != ScenarioStatus.PLANNING or scenario.instance != instance:
            return {"superseded": True}  # changed meanwhile: a newer job plans it
        scenario.status = outcome["status"]
        scenario.result, scenario.explanation = outcome.get("result"), outcome.get("explanation")
        _touch(scenario, db_session=db_session)
    return {"status": str(outcome["status"])}


def _changed_stop(form: Form, reference: Reference) -> dict[str, Any]:
    errors = Problems()
    codes = reference.codes
    sector, territory = form.get("sector", ""), form.get("territory", "")
    if sector not in codes["sectors"]:
        errors["sector"] = _("Choose a sector.")
    if territory not in codes["territories"]:
        errors["territory"] = _("Choose a territory.")
    day = iso_date((form.get("date") or "").strip())
    if day is None:
        errors["date"] = _("Enter a date as YYYY-MM-DD.")
    countries = [code for code in form.get("countries", "").split(",") if code]
    if not countries:
        errors["countries"] = _("Choose at least one country.")
    elif unknown := [code for code in countries if code not in codes["countries"]]:
        errors["countries"] = _("Unknown country '%s'.") % unknown[0]
    if errors or day is None:
        raise InvalidInput(errors, location="form")
    return {"sector": sector, "territory": territory, "date": day.isoformat(), "countries": countries}


def proposed_stop(scenario: PlanningScenario, key: str) -> dict[str, Any]:
    stops = (scenario.result or {}).get("stops", [])
    found = next((stop for stop in stops if stop_key(stop) == key), None)
    if found is None:
        raise Conflict(lazy("This stop is no longer in the plan; the page may be out of date."))
    return dict(found)


def _plain(stop: Mapping[str, Any]) -> dict[str, Any]:
    return {key: stop[key] for key in ("sector", "territory", "date", "countries")}


def _check_open(scenario: PlanningScenario) -> None:
    if scenario.status == ScenarioStatus.ACCEPTED:
        raise Conflict(lazy("This plan was already accepted; start a new scenario to plan again."))


def _touch(scenario: PlanningScenario, *, db_session: Session) -> None:
    scenario.updated_at = clock.now()
    db_session.add(scenario)
    db_session.flush()
